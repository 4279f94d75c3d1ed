//! SFP modules in and out of switch ports.

use super::hands::{check_hand_has_room, check_held_by};
use super::{Plan, existing, write};
use crate::queries::{cable_on_port, module_in_port};
use bevy_ecs::prelude::*;
use racksync_protocol::{ObjectId, ObjectKind, Placement, PlayerId, Rejection};

/// InsertSfp: a module in the actor's hand goes into an existing, free port of a switch.
pub(super) fn insert(
    world: &World,
    actor: PlayerId,
    id: ObjectId,
    switch: ObjectId,
    port: u8,
) -> Result<Plan, Rejection> {
    let mut record = existing(world, id)?;
    if record.kind != ObjectKind::SfpModule {
        return Err(Rejection::WrongKind(record.kind));
    }
    check_held_by(&record, actor)?;
    let target = existing(world, switch)?;
    if target.kind != ObjectKind::Switch {
        return Err(Rejection::NotASwitch(switch));
    }
    if port >= target.kind.port_count() {
        return Err(Rejection::NoSuchPort {
            device: switch,
            port,
        });
    }
    if let Some(module) = module_in_port(world, switch, port) {
        return Err(Rejection::PortTaken(module));
    }
    record.placement = Placement::InPort { switch, port };
    Ok(write(record))
}

/// RemoveSfp: a module with no cable in its port comes out into the actor's hand.
pub(super) fn remove(world: &World, actor: PlayerId, id: ObjectId) -> Result<Plan, Rejection> {
    let mut record = existing(world, id)?;
    if record.kind != ObjectKind::SfpModule {
        return Err(Rejection::WrongKind(record.kind));
    }
    let Placement::InPort { switch, port } = record.placement else {
        return Err(Rejection::NotInPort);
    };
    if let Some(cable) = cable_on_port(world, switch, port) {
        return Err(Rejection::CablesAttached(cable));
    }
    check_hand_has_room(world, actor, record.kind)?;
    record.placement = Placement::Held(actor);
    Ok(write(record))
}
