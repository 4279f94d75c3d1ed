//! SetProperty: the whitelisted device properties and the checks on their values.

use super::{Plan, existing, write};
use crate::index::WorldIndex;
use crate::store::Settings;
use bevy_ecs::prelude::*;
use racksync_protocol::{MAX_LABEL_BYTES, ObjectId, ObjectKind, Property, Rejection};
use std::net::Ipv4Addr;

/// SetProperty: the kind has the property and the value is valid (a unique unicast
/// address, a known customer, a short printable label).
pub(super) fn set(world: &World, id: ObjectId, value: &Property) -> Result<Plan, Rejection> {
    let mut record = existing(world, id)?;
    if !has_property(record.kind, value) {
        return Err(Rejection::WrongKind(record.kind));
    }
    let props = &mut record.properties;
    match value {
        Property::Ip(ip) => {
            if let Some(ip) = ip {
                check_ip(world, id, *ip)?;
            }
            check_changes(&props.ip, ip)?;
            props.ip = *ip;
        }
        Property::Customer(customer) => {
            if let Some(customer) = customer
                && world
                    .resource::<Settings>()
                    .0
                    .customers
                    .binary_search(customer)
                    .is_err()
            {
                return Err(Rejection::UnknownCustomer(*customer));
            }
            check_changes(&props.customer, customer)?;
            props.customer = *customer;
        }
        Property::Label(label) => {
            if let Some(label) = label
                && !is_valid_label(label)
            {
                return Err(Rejection::InvalidLabel);
            }
            check_changes(&props.label, label)?;
            props.label = label.clone();
        }
        Property::App(app) => {
            check_changes(&props.app, app)?;
            props.app = *app;
        }
    }
    Ok(write(record))
}

/// Which kinds carry which property: addresses on networked devices, customers and
/// applications on what serves customers, labels on anything.
pub fn has_property(kind: ObjectKind, value: &Property) -> bool {
    let server = matches!(
        kind,
        ObjectKind::Server1U | ObjectKind::Server3U | ObjectKind::Server7U
    );
    match value {
        Property::Ip(_) => kind.is_powered_device(),
        Property::Customer(_) => server || kind == ObjectKind::PatchPanel,
        Property::App(_) => server,
        Property::Label(_) => true,
    }
}

/// A label fits [`MAX_LABEL_BYTES`] and has no control characters.
pub fn is_valid_label(label: &str) -> bool {
    label.len() <= MAX_LABEL_BYTES && !label.chars().any(char::is_control)
}

/// An address a device can use: unicast, and neither "this network" (0.0.0.0/8), loopback
/// (127.0.0.0/8), multicast (224.0.0.0/4) nor reserved or broadcast (240.0.0.0/4).
pub fn is_usable_ip(ip: Ipv4Addr) -> bool {
    let first = ip.octets()[0];
    first != 0 && !ip.is_loopback() && !ip.is_multicast() && first < 240
}

/// A device address must be usable unicast and not taken by another device.
fn check_ip(world: &World, id: ObjectId, ip: Ipv4Addr) -> Result<(), Rejection> {
    if !is_usable_ip(ip) {
        return Err(Rejection::InvalidIp);
    }
    match world.resource::<WorldIndex>().ip_owner(ip) {
        Some(owner) if owner != id => Err(Rejection::DuplicateIp(owner)),
        _ => Ok(()),
    }
}

/// Setting a property to the value it has is refused, so every accepted action changes
/// the world.
fn check_changes<T: PartialEq>(old: &T, new: &T) -> Result<(), Rejection> {
    if old == new {
        Err(Rejection::NoChange)
    } else {
        Ok(())
    }
}
