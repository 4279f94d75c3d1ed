//! Whole-world invariants a loaded save must satisfy before the host serves it.

use crate::rules::{ROUTED_CABLE, has_property, is_usable_ip, is_valid_label};
use racksync_protocol::{
    CableEnd, ObjectId, ObjectKind, ObjectRecord, Placement, PlayerId, Property, RACK_UNITS,
    WorldSettings,
};
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// The first contradiction found in a world.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsistencyError {
    /// Two objects share an id.
    #[error("object id {0} is used twice")]
    DuplicateId(ObjectId),
    /// An object refers to an object that does not exist or has the wrong kind.
    #[error("object {object} refers to {target}, which is missing or not a {expected}")]
    BadReference {
        /// The referring object.
        object: ObjectId,
        /// The missing or wrong object.
        target: ObjectId,
        /// What it should be.
        expected: &'static str,
    },
    /// An object is placed where its kind cannot go.
    #[error("object {0} ({1}) cannot have that placement")]
    BadPlacement(ObjectId, &'static str),
    /// A device sticks out of its rack or overlaps another.
    #[error("object {object} does not fit rack {rack} at unit {unit}")]
    RackConflict {
        /// The device.
        object: ObjectId,
        /// The rack.
        rack: ObjectId,
        /// Its lowest unit.
        unit: u8,
    },
    /// A port number is beyond the device's ports, or two things use one port.
    #[error("object {object} uses port {port} of {device}, which does not exist or is taken")]
    BadPort {
        /// The cable or module.
        object: ObjectId,
        /// The device.
        device: ObjectId,
        /// The port.
        port: u8,
    },
    /// A position lies outside the world bounds.
    #[error("object {0} lies outside the world bounds")]
    OutOfBounds(ObjectId),
    /// The customer list is not strictly ascending.
    #[error("customer ids must be listed in ascending order without repeats")]
    CustomersNotSorted,
    /// A cable goes to an unknown customer.
    #[error("object {0} refers to unknown customer {1}")]
    UnknownCustomer(ObjectId, u32),
    /// A cable is plugged into a device that is not mounted in a rack.
    #[error("cable {cable} is plugged into {device}, which is not installed in a rack")]
    CableToLooseDevice {
        /// The cable.
        cable: ObjectId,
        /// The device.
        device: ObjectId,
    },
    /// A cable is plugged into a switch port that holds no SFP module.
    #[error("cable {cable} is plugged into port {port} of {switch}, which has no SFP module")]
    CableWithoutModule {
        /// The cable.
        cable: ObjectId,
        /// The switch.
        switch: ObjectId,
        /// The port.
        port: u8,
    },
    /// A property the object's kind does not have, or a value the rules would refuse
    /// (unusable address, unknown customer, over-long or unprintable label).
    #[error("object {0} has an invalid {1} property")]
    BadProperty(ObjectId, &'static str),
    /// Two devices share an address.
    #[error("objects {0} and {1} share address {2}")]
    DuplicateIp(ObjectId, ObjectId, Ipv4Addr),
    /// Something other than an installed server or switch is powered.
    #[error("object {0} is powered but is not a server or switch in a rack")]
    BadPower(ObjectId),
    /// A player holds more than one hand takes (mixed kinds, or too many of a kind).
    #[error("player {0} holds more than a hand takes")]
    HandOverfull(PlayerId),
}

/// Whether objects may be in a player's hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holding {
    /// A live world (a join snapshot): players hold things.
    Allowed,
    /// A save: nobody is connected when a world loads, so nothing is held.
    Forbidden,
}

/// Checks ids, references, rack occupancy, ports and bounds of a whole world, and every
/// invariant the rules maintain: cables only on installed devices (and on switch ports
/// that hold a module), power only for installed servers and switches, valid and unique
/// properties, and (when holding is allowed) hands within their capacity.
pub fn check_consistency(
    settings: &WorldSettings,
    objects: impl Iterator<Item = ObjectRecord>,
    holding: Holding,
) -> Result<(), ConsistencyError> {
    if !settings.customers.windows(2).all(|pair| pair[0] < pair[1]) {
        return Err(ConsistencyError::CustomersNotSorted);
    }
    let objects: Vec<ObjectRecord> = objects.collect();
    let mut kinds = HashMap::with_capacity(objects.len());
    for record in &objects {
        if kinds.insert(record.id, record.kind).is_some() {
            return Err(ConsistencyError::DuplicateId(record.id));
        }
    }
    let expect =
        |object: ObjectId, target: ObjectId, ok: fn(ObjectKind) -> bool, expected| match kinds
            .get(&target)
        {
            Some(kind) if ok(*kind) => Ok(()),
            _ => Err(ConsistencyError::BadReference {
                object,
                target,
                expected,
            }),
        };
    let mut units: HashMap<(ObjectId, u8), ObjectId> = HashMap::new();
    let mut installed: HashMap<ObjectId, ObjectId> = HashMap::new();
    let mut ports: HashMap<(ObjectId, u8), ObjectId> = HashMap::new();
    let mut use_port = |object: ObjectId, device: ObjectId, port: u8, kind: ObjectKind| {
        if port >= kind.port_count() || ports.insert((device, port), object).is_some() {
            return Err(ConsistencyError::BadPort {
                object,
                device,
                port,
            });
        }
        Ok(())
    };
    for record in &objects {
        match record.placement {
            // A connected cable runs between its ends; its placement is a fixed marker.
            Placement::Floor { .. } if record.cable.is_some() => {}
            Placement::Floor { pos, .. } => {
                if !settings.bounds.contains(pos) {
                    return Err(ConsistencyError::OutOfBounds(record.id));
                }
            }
            Placement::Held(_) if holding == Holding::Allowed => {}
            Placement::Held(_) => {
                return Err(ConsistencyError::BadPlacement(
                    record.id,
                    record.kind.name(),
                ));
            }
            Placement::InRack(slot) => {
                let height = record
                    .kind
                    .rack_units()
                    .ok_or(ConsistencyError::BadPlacement(
                        record.id,
                        record.kind.name(),
                    ))?;
                expect(record.id, slot.rack, |k| k == ObjectKind::Rack, "rack")?;
                let last = u16::from(slot.unit) + u16::from(height) - 1;
                if slot.unit == 0 || last > u16::from(RACK_UNITS) {
                    return Err(rack_conflict(record, slot.rack, slot.unit));
                }
                installed.insert(record.id, slot.rack);
                for unit in slot.unit..slot.unit + height {
                    if units.insert((slot.rack, unit), record.id).is_some() {
                        return Err(rack_conflict(record, slot.rack, slot.unit));
                    }
                }
            }
            Placement::InPort { switch, port } => {
                if record.kind != ObjectKind::SfpModule {
                    return Err(ConsistencyError::BadPlacement(
                        record.id,
                        record.kind.name(),
                    ));
                }
                expect(record.id, switch, |k| k == ObjectKind::Switch, "switch")?;
                use_port(record.id, switch, port, ObjectKind::Switch)?;
            }
        }
    }
    // Modules occupy switch ports in their own table: a cable into a switch port goes
    // through the module in that port, so the two do not conflict.
    let mut cable_ports: HashMap<(ObjectId, u8), ObjectId> = HashMap::new();
    for record in &objects {
        let Some(ends) = record.cable else { continue };
        if record.kind != ObjectKind::Cable || record.placement != ROUTED_CABLE {
            return Err(ConsistencyError::BadPlacement(
                record.id,
                record.kind.name(),
            ));
        }
        for end in ends {
            match end {
                CableEnd::Port { device, port } => {
                    let kind = *kinds.get(&device).ok_or(ConsistencyError::BadReference {
                        object: record.id,
                        target: device,
                        expected: "device",
                    })?;
                    if port >= kind.port_count()
                        || cable_ports.insert((device, port), record.id).is_some()
                    {
                        return Err(ConsistencyError::BadPort {
                            object: record.id,
                            device,
                            port,
                        });
                    }
                    if !installed.contains_key(&device) {
                        return Err(ConsistencyError::CableToLooseDevice {
                            cable: record.id,
                            device,
                        });
                    }
                    if kind == ObjectKind::Switch && !ports.contains_key(&(device, port)) {
                        return Err(ConsistencyError::CableWithoutModule {
                            cable: record.id,
                            switch: device,
                            port,
                        });
                    }
                }
                CableEnd::Customer(customer) => {
                    if settings.customers.binary_search(&customer).is_err() {
                        return Err(ConsistencyError::UnknownCustomer(record.id, customer));
                    }
                }
            }
        }
    }
    check_devices(settings, &objects)?;
    if holding == Holding::Allowed {
        check_hands(&objects)?;
    }
    Ok(())
}

/// Power and properties: only installed servers and switches are powered, every property
/// belongs to the kind and holds a value the rules accept, and addresses are unique.
fn check_devices(
    settings: &WorldSettings,
    objects: &[ObjectRecord],
) -> Result<(), ConsistencyError> {
    let mut ips: HashMap<Ipv4Addr, ObjectId> = HashMap::new();
    for record in objects {
        if record.powered
            && !(record.kind.is_powered_device()
                && matches!(record.placement, Placement::InRack(_)))
        {
            return Err(ConsistencyError::BadPower(record.id));
        }
        let props = &record.properties;
        let present = [
            props.ip.map(|ip| Property::Ip(Some(ip))),
            props.customer.map(|c| Property::Customer(Some(c))),
            props.label.clone().map(|l| Property::Label(Some(l))),
            props.app.map(|a| Property::App(Some(a))),
        ];
        for property in present.into_iter().flatten() {
            let valid = has_property(record.kind, &property)
                && match &property {
                    Property::Ip(ip) => ip.is_some_and(is_usable_ip),
                    Property::Customer(c) => {
                        c.is_some_and(|c| settings.customers.binary_search(&c).is_ok())
                    }
                    Property::Label(label) => label.as_deref().is_some_and(is_valid_label),
                    Property::App(_) => true,
                };
            if !valid {
                return Err(ConsistencyError::BadProperty(record.id, property.key()));
            }
        }
        if let Some(ip) = props.ip
            && let Some(other) = ips.insert(ip, record.id)
        {
            return Err(ConsistencyError::DuplicateIp(other, record.id, ip));
        }
    }
    Ok(())
}

/// Every hand holds objects of one kind, at most as many as that kind allows.
fn check_hands(objects: &[ObjectRecord]) -> Result<(), ConsistencyError> {
    let mut hands: HashMap<PlayerId, (ObjectKind, u8)> = HashMap::new();
    for record in objects {
        let Placement::Held(player) = record.placement else {
            continue;
        };
        let hand = hands.entry(player).or_insert((record.kind, 0));
        hand.1 = hand.1.saturating_add(1);
        if hand.0 != record.kind || hand.1 > record.kind.hand_capacity() {
            return Err(ConsistencyError::HandOverfull(player));
        }
    }
    Ok(())
}

fn rack_conflict(record: &ObjectRecord, rack: ObjectId, unit: u8) -> ConsistencyError {
    ConsistencyError::RackConflict {
        object: record.id,
        rack,
        unit,
    }
}
