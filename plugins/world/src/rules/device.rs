//! Power, repairs and wear of servers and switches.

use super::health::{is_end_of_life, is_warning, repaired, worn};
use super::{Change, Plan, existing, write};
use crate::index::WorldIndex;
use crate::store::ReadObjects;
use bevy_ecs::prelude::*;
use racksync_protocol::{ObjectId, ObjectRecord, Placement, Rejection};

/// SetPower: an installed, working server or switch changes its power state.
pub(super) fn set_power(world: &World, id: ObjectId, on: bool) -> Result<Plan, Rejection> {
    let mut record = powered_device(world, id)?;
    if !matches!(record.placement, Placement::InRack(_)) {
        return Err(Rejection::NotInRack);
    }
    if record.powered == on {
        return Err(Rejection::NoChange);
    }
    if on && record.health.broken {
        return Err(Rejection::DeviceBroken);
    }
    record.powered = on;
    Ok(write(record))
}

/// Repair: a broken or warning device that has not reached its end of life gets a fresh
/// time-to-break.
pub(super) fn repair(world: &World, id: ObjectId) -> Result<Plan, Rejection> {
    let mut record = powered_device(world, id)?;
    if is_end_of_life(&record.health) {
        return Err(Rejection::EndOfLife);
    }
    if !record.health.broken && !is_warning(&record.health) {
        return Err(Rejection::NothingToRepair);
    }
    record.health = repaired(record.health);
    Ok(write(record))
}

/// Break (host only): a working device fails now.
pub(super) fn break_down(world: &World, id: ObjectId) -> Result<Plan, Rejection> {
    let mut record = powered_device(world, id)?;
    if record.health.broken {
        return Err(Rejection::DeviceBroken);
    }
    record.health.broken = true;
    record.health.time_to_break = 0;
    Ok(write(record))
}

/// Wear (host only): every powered, working device runs for `seconds`.
pub(super) fn wear(world: &World, seconds: u32) -> Result<Plan, Rejection> {
    if seconds == 0 {
        return Err(Rejection::NoChange);
    }
    let running: Vec<ObjectId> = world.resource::<WorldIndex>().running().collect();
    if running.is_empty() {
        // Nothing runs, nothing wears: refused like every other no-op.
        return Err(Rejection::NoChange);
    }
    Ok(running
        .into_iter()
        .filter_map(|id| world.object(id))
        .map(|mut record| {
            record.health = worn(record.health, seconds);
            Change::Write(record)
        })
        .collect())
}

/// The object must be a server or switch.
fn powered_device(world: &World, id: ObjectId) -> Result<ObjectRecord, Rejection> {
    let record = existing(world, id)?;
    if record.kind.is_powered_device() {
        Ok(record)
    } else {
        Err(Rejection::WrongKind(record.kind))
    }
}
