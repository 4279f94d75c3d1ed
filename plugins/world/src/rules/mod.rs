//! The world rules, one implementation shared by host and client.
//!
//! Each rule *plans* an action: it checks the action against the current world and
//! returns every change the action makes, or the [`Rejection`] that forbids it.
//! [`validate`] plans and discards; [`apply`] plans and writes. Because both go through
//! the same plan, what is validated is exactly what is applied.

mod cable;
mod device;
mod hands;
pub mod health;
mod lifecycle;
mod property;
mod rack;
mod sfp;

pub use cable::ROUTED_CABLE;
pub use property::{has_property, is_usable_ip, is_valid_label};

use crate::store::{ReadObjects, WorldObjects};
use bevy_ecs::prelude::*;
use racksync_protocol::{Action, ObjectId, ObjectRecord, PlayerId, Rejection};
use serde::{Deserialize, Serialize};

/// One change an action makes to one object. Serializable because the host's journal
/// stores what each accepted action changed (replaying results, not actions, keeps
/// recovery independent of the rules' code).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// The object's new state (a new object when the id is unknown).
    Write(ObjectRecord),
    /// The object leaves the world.
    Remove(ObjectId),
}

impl Change {
    /// The object changed.
    pub fn id(&self) -> ObjectId {
        match self {
            Change::Write(record) => record.id,
            Change::Remove(id) => *id,
        }
    }
}

/// Every change an action makes, in order.
pub type Plan = Vec<Change>;

/// Checks whether `actor` may perform `action` on the world as it is now.
pub fn validate(world: &World, actor: PlayerId, action: &Action) -> Result<(), Rejection> {
    plan(world, actor, action).map(drop)
}

/// Performs `action` if it is legal now; returns the changes it made.
pub fn apply(world: &mut World, actor: PlayerId, action: &Action) -> Result<Plan, Rejection> {
    let changes = plan(world, actor, action)?;
    for change in &changes {
        write_change(world, change.clone());
    }
    Ok(changes)
}

/// Writes one planned change through the world store.
pub fn write_change(world: &mut World, change: Change) {
    match change {
        Change::Write(record) => world.write_object(record),
        Change::Remove(id) => {
            world.despawn_object(id);
        }
    }
}

/// Computes the effect of `action` without changing anything.
pub fn plan(world: &World, actor: PlayerId, action: &Action) -> Result<Plan, Rejection> {
    if action.is_host_only() && actor != PlayerId::HOST {
        return Err(Rejection::HostOnly);
    }
    match action {
        Action::PickUp { object } => hands::pick_up(world, actor, *object),
        Action::Drop { object, pos, yaw } => hands::drop(world, actor, *object, *pos, *yaw),
        Action::InstallInRack { object, slot } => rack::install(world, actor, *object, *slot),
        Action::RemoveFromRack { object } => rack::remove(world, actor, *object),
        Action::SetPower { object, on } => device::set_power(world, *object, *on),
        Action::SetProperty { object, value } => property::set(world, *object, value),
        Action::ConnectCable { cable, ends } => cable::connect(world, actor, *cable, *ends),
        Action::DisconnectCable { cable } => cable::disconnect(world, actor, *cable),
        Action::Spawn {
            object,
            kind,
            pos,
            yaw,
        } => lifecycle::spawn(world, actor, *object, *kind, *pos, *yaw),
        Action::Destroy { object } => lifecycle::destroy(world, actor, *object),
        Action::InsertSfp {
            module,
            switch,
            port,
        } => sfp::insert(world, actor, *module, *switch, *port),
        Action::RemoveSfp { module } => sfp::remove(world, actor, *module),
        Action::Repair { object } => device::repair(world, *object),
        Action::Break { object } => device::break_down(world, *object),
        Action::Wear { seconds } => device::wear(world, *seconds),
        Action::Release { object, pos, yaw } => hands::release(world, *object, *pos, *yaw),
    }
}

/// Looks an object up, rejecting unknown ids.
fn existing(world: &World, id: ObjectId) -> Result<ObjectRecord, Rejection> {
    world.object(id).ok_or(Rejection::UnknownObject(id))
}

/// A plan that writes one object.
fn write(record: ObjectRecord) -> Plan {
    vec![Change::Write(record)]
}
