//! Plugging cables in and out.

use super::hands::{check_hand_has_room, check_held_by};
use super::{Plan, existing, write};
use crate::queries::{cable_on_port, module_in_port};
use crate::store::Settings;
use bevy_ecs::prelude::*;
use racksync_protocol::{CableEnd, ObjectId, ObjectKind, Placement, PlayerId, PosMm, Rejection};

/// Where a connected cable is: it runs between its ends, so its own placement is a fixed
/// marker on the floor at the origin.
pub const ROUTED_CABLE: Placement = Placement::Floor {
    pos: PosMm::new(0, 0, 0),
    yaw: 0,
};

/// ConnectCable: a loose cable in the actor's hand goes between two different, free
/// endpoints: ports of installed devices (a switch port needs an SFP module) or known
/// customers.
pub(super) fn connect(
    world: &World,
    actor: PlayerId,
    id: ObjectId,
    ends: [CableEnd; 2],
) -> Result<Plan, Rejection> {
    let mut record = existing(world, id)?;
    if record.kind != ObjectKind::Cable {
        return Err(Rejection::WrongKind(record.kind));
    }
    if record.cable.is_some() {
        return Err(Rejection::CableConnected);
    }
    check_held_by(&record, actor)?;
    if ends[0] == ends[1] {
        return Err(Rejection::SameEndpoints);
    }
    for end in ends {
        check_endpoint(world, end)?;
    }
    record.cable = Some(ends);
    record.placement = ROUTED_CABLE;
    Ok(write(record))
}

/// DisconnectCable: a connected cable comes out into the actor's hand.
pub(super) fn disconnect(world: &World, actor: PlayerId, id: ObjectId) -> Result<Plan, Rejection> {
    let mut record = existing(world, id)?;
    if record.kind != ObjectKind::Cable {
        return Err(Rejection::WrongKind(record.kind));
    }
    if record.cable.is_none() {
        return Err(Rejection::CableNotConnected);
    }
    check_hand_has_room(world, actor, record.kind)?;
    record.cable = None;
    record.placement = Placement::Held(actor);
    Ok(write(record))
}

/// One end must exist, be installed, have the port, and the port must be free.
fn check_endpoint(world: &World, end: CableEnd) -> Result<(), Rejection> {
    match end {
        CableEnd::Customer(customer) => {
            if world
                .resource::<Settings>()
                .0
                .customers
                .binary_search(&customer)
                .is_err()
            {
                return Err(Rejection::UnknownCustomer(customer));
            }
        }
        CableEnd::Port { device, port } => {
            let record = existing(world, device)?;
            if port >= record.kind.port_count() {
                return Err(Rejection::NoSuchPort { device, port });
            }
            if !matches!(record.placement, Placement::InRack(_)) {
                return Err(Rejection::NotInstalled(device));
            }
            if let Some(cable) = cable_on_port(world, device, port) {
                return Err(Rejection::PortTaken(cable));
            }
            if record.kind == ObjectKind::Switch && module_in_port(world, device, port).is_none() {
                return Err(Rejection::NoModule {
                    switch: device,
                    port,
                });
            }
        }
    }
    Ok(())
}
