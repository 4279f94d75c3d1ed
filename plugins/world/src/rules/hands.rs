//! Picking objects up and putting them down.

use super::{Plan, existing, write};
use crate::index::WorldIndex;
use crate::store::{ReadObjects, Settings};
use bevy_ecs::prelude::*;
use racksync_protocol::{
    ObjectId, ObjectKind, ObjectRecord, Placement, PlayerId, PosMm, Rejection,
};

/// PickUp: the object stands on the floor, is not a connected cable or a loaded rack,
/// and fits in the actor's hand.
pub(super) fn pick_up(world: &World, actor: PlayerId, id: ObjectId) -> Result<Plan, Rejection> {
    let mut record = existing(world, id)?;
    match record.placement {
        Placement::Floor { .. } => {}
        Placement::Held(holder) if holder != actor => return Err(Rejection::HeldByOther(holder)),
        _ => return Err(Rejection::NotOnFloor),
    }
    let index = world.resource::<WorldIndex>();
    if record.cable.is_some() {
        return Err(Rejection::CableConnected);
    }
    if record.kind == ObjectKind::Rack
        && let Some(occupant) = index.rack_units(id).into_iter().flatten().flatten().next()
    {
        return Err(Rejection::RackNotEmpty(*occupant));
    }
    check_hand_has_room(world, actor, record.kind)?;
    record.placement = Placement::Held(actor);
    Ok(write(record))
}

/// Drop: the actor holds the object and the spot lies inside the world.
pub(super) fn drop(
    world: &World,
    actor: PlayerId,
    id: ObjectId,
    pos: PosMm,
    yaw: u16,
) -> Result<Plan, Rejection> {
    let mut record = existing(world, id)?;
    check_held_by(&record, actor)?;
    check_in_bounds(world, pos)?;
    record.placement = Placement::Floor { pos, yaw };
    Ok(write(record))
}

/// Release (host only): whatever hand holds the object lets go of it at `pos`.
pub(super) fn release(
    world: &World,
    id: ObjectId,
    pos: PosMm,
    yaw: u16,
) -> Result<Plan, Rejection> {
    let mut record = existing(world, id)?;
    if !matches!(record.placement, Placement::Held(_)) {
        return Err(Rejection::NotHeld);
    }
    check_in_bounds(world, pos)?;
    record.placement = Placement::Floor { pos, yaw };
    Ok(write(record))
}

/// The position must lie inside the world bounds.
pub(super) fn check_in_bounds(world: &World, pos: PosMm) -> Result<(), Rejection> {
    if world.resource::<Settings>().0.bounds.contains(pos) {
        Ok(())
    } else {
        Err(Rejection::OutOfBounds)
    }
}

/// The object must be in `actor`'s hand.
pub(super) fn check_held_by(record: &ObjectRecord, actor: PlayerId) -> Result<(), Rejection> {
    match record.placement {
        Placement::Held(holder) if holder == actor => Ok(()),
        Placement::Held(holder) => Err(Rejection::HeldByOther(holder)),
        _ => Err(Rejection::NotHeld),
    }
}

/// A hand holds one device, or several objects of a kind that stacks (SFP modules).
pub(super) fn check_hand_has_room(
    world: &World,
    actor: PlayerId,
    kind: ObjectKind,
) -> Result<(), Rejection> {
    let held = world.resource::<WorldIndex>().held_by(actor);
    let Some(first) = held.first() else {
        return Ok(());
    };
    let same_kind = world.object(*first).is_some_and(|r| r.kind == kind);
    if same_kind && held.len() < usize::from(kind.hand_capacity()) {
        Ok(())
    } else {
        Err(Rejection::HandFull)
    }
}
