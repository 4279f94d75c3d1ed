//! Objects entering and leaving the world.

use super::hands::{check_held_by, check_in_bounds};
use super::health::new_health;
use super::{Change, Plan, existing};
use crate::index::WorldIndex;
use bevy_ecs::prelude::*;
use racksync_protocol::{
    ObjectId, ObjectKind, ObjectRecord, Placement, PlayerId, PosMm, Properties, Rejection,
};

/// Spawn: a fresh object with an unused id from the actor's namespace appears on the floor
/// inside the world.
pub(super) fn spawn(
    world: &World,
    actor: PlayerId,
    id: ObjectId,
    kind: ObjectKind,
    pos: PosMm,
    yaw: u16,
) -> Result<Plan, Rejection> {
    if id.namespace() != actor.namespace() || id.serial() == 0 {
        return Err(Rejection::WrongNamespace);
    }
    if world.resource::<WorldIndex>().entity(id).is_some() {
        return Err(Rejection::IdTaken(id));
    }
    check_in_bounds(world, pos)?;
    Ok(vec![Change::Write(ObjectRecord {
        id,
        kind,
        placement: Placement::Floor { pos, yaw },
        powered: false,
        health: new_health(kind),
        properties: Properties::default(),
        cable: None,
    })])
}

/// Destroy: an object on the floor or in the actor's hand, with nothing attached to it,
/// leaves the world.
pub(super) fn destroy(world: &World, actor: PlayerId, id: ObjectId) -> Result<Plan, Rejection> {
    let record = existing(world, id)?;
    match record.placement {
        Placement::Floor { .. } => {}
        Placement::Held(_) => check_held_by(&record, actor)?,
        _ => return Err(Rejection::NotOnFloor),
    }
    if record.cable.is_some() {
        return Err(Rejection::CableConnected);
    }
    let index = world.resource::<WorldIndex>();
    if let Some(cable) = index.cables_on(id).iter().min() {
        return Err(Rejection::CablesAttached(*cable));
    }
    if let Some(module) = index.modules_in(id).iter().min() {
        return Err(Rejection::ModulesInserted(*module));
    }
    if let Some(occupant) = index.rack_units(id).into_iter().flatten().flatten().next() {
        return Err(Rejection::RackNotEmpty(*occupant));
    }
    Ok(vec![Change::Remove(id)])
}
