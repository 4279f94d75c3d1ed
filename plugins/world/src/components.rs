//! The networked components of world objects and players.

use bevy_ecs::prelude::*;
use racksync_protocol::{CableEnd, Health, ObjectId, ObjectKind, Placement, PlayerId, Properties};

/// Identity of a networked world object. Never changes after spawn.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetObject {
    /// Stable id, the same on host and every client.
    pub id: ObjectId,
    /// What the object is.
    pub kind: ObjectKind,
}

/// Where the object is.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed(pub Placement);

/// Power switch state of a server or switch.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Powered(pub bool);

/// Wear and failure state of a server or switch.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wear(pub Health);

/// Configurable properties (ip, customer, label, app).
#[derive(Component, Clone, Debug, Default, PartialEq, Eq)]
pub struct Props(pub Properties);

/// Endpoints of a connected cable; absent while the cable is loose.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct CableLink(pub [CableEnd; 2]);

/// Cached canonical hash of the object's networked state (see [`crate::digest`]).
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObjectHash(pub u64);

/// A connected player.
#[derive(Component, Clone, Debug, PartialEq, Eq)]
pub struct Player {
    /// Session id, also the player's object namespace.
    pub id: PlayerId,
    /// Display name.
    pub name: String,
}
