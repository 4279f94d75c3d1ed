//! Mounting devices in racks and taking them out.

use super::hands::{check_hand_has_room, check_held_by};
use super::{Plan, existing, write};
use crate::index::WorldIndex;
use bevy_ecs::prelude::*;
use racksync_protocol::{
    ObjectId, ObjectKind, Placement, PlayerId, RACK_UNITS, RackSlot, Rejection,
};

/// InstallInRack: a held rack-mountable device goes into a standing rack, and every unit
/// of its height is free and inside the rack.
pub(super) fn install(
    world: &World,
    actor: PlayerId,
    id: ObjectId,
    slot: RackSlot,
) -> Result<Plan, Rejection> {
    let mut record = existing(world, id)?;
    let height = record
        .kind
        .rack_units()
        .ok_or(Rejection::WrongKind(record.kind))?;
    check_held_by(&record, actor)?;
    let rack = existing(world, slot.rack)?;
    if rack.kind != ObjectKind::Rack {
        return Err(Rejection::NotARack(slot.rack));
    }
    if !matches!(rack.placement, Placement::Floor { .. }) {
        return Err(Rejection::RackNotStanding);
    }
    let last = u16::from(slot.unit) + u16::from(height) - 1;
    if slot.unit == 0 || last > u16::from(RACK_UNITS) {
        return Err(Rejection::OutsideRack {
            first: slot.unit,
            height,
        });
    }
    let first_index = usize::from(slot.unit) - 1;
    if let Some(units) = world.resource::<WorldIndex>().rack_units(slot.rack)
        && let Some(occupant) = units[first_index..first_index + usize::from(height)]
            .iter()
            .flatten()
            .next()
    {
        return Err(Rejection::SlotOccupied(*occupant));
    }
    record.placement = Placement::InRack(slot);
    record.powered = false;
    Ok(write(record))
}

/// RemoveFromRack: a mounted device with no cables or modules attached goes into the
/// actor's hand, powered off.
pub(super) fn remove(world: &World, actor: PlayerId, id: ObjectId) -> Result<Plan, Rejection> {
    let mut record = existing(world, id)?;
    if !matches!(record.placement, Placement::InRack(_)) {
        return Err(Rejection::NotInRack);
    }
    let index = world.resource::<WorldIndex>();
    if let Some(cable) = index.cables_on(id).iter().min() {
        return Err(Rejection::CablesAttached(*cable));
    }
    if let Some(module) = index.modules_in(id).iter().min() {
        return Err(Rejection::ModulesInserted(*module));
    }
    check_hand_has_room(world, actor, record.kind)?;
    record.placement = Placement::Held(actor);
    record.powered = false;
    Ok(write(record))
}
