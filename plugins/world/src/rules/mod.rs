//! The world rules, one implementation shared by host and client.
//!
//! Each rule *plans* an action: it checks the action against the current world and
//! returns the new state of every object the action changes, or the [`Rejection`] that
//! forbids it. [`validate`] plans and discards; [`apply`] plans and writes. Because both
//! go through the same plan, what is validated is exactly what is applied.

mod hands;
mod rack;

use crate::store::{ReadObjects, WorldObjects};
use bevy_ecs::prelude::*;
use racksync_protocol::{Action, ObjectId, ObjectRecord, PlayerId, Rejection};

/// The new state of every object an action changes.
pub type Plan = Vec<ObjectRecord>;

/// Checks whether `actor` may perform `action` on the world as it is now.
pub fn validate(world: &World, actor: PlayerId, action: &Action) -> Result<(), Rejection> {
    plan(world, actor, action).map(drop)
}

/// Performs `action` if it is legal now; returns the objects it changed.
pub fn apply(world: &mut World, actor: PlayerId, action: &Action) -> Result<Plan, Rejection> {
    let changes = plan(world, actor, action)?;
    for record in &changes {
        world.write_object(record.clone());
    }
    Ok(changes)
}

/// Computes the effect of `action` without changing anything.
pub fn plan(world: &World, actor: PlayerId, action: &Action) -> Result<Plan, Rejection> {
    match action {
        Action::PickUp { object } => hands::pick_up(world, actor, *object),
        Action::Drop { object, pos, yaw } => hands::drop(world, actor, *object, *pos, *yaw),
        Action::InstallInRack { object, slot } => rack::install(world, actor, *object, *slot),
        Action::RemoveFromRack { object } => rack::remove(world, actor, *object),
    }
}

/// Looks an object up, rejecting unknown ids.
fn existing(world: &World, id: ObjectId) -> Result<ObjectRecord, Rejection> {
    world.object(id).ok_or(Rejection::UnknownObject(id))
}
