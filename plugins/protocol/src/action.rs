//! World actions a player (or the host) performs, and why the host may refuse them.

use crate::ids::{ObjectId, PlayerId};
use crate::kind::ObjectKind;
use crate::placement::{PosMm, RackSlot};
use serde::{Deserialize, Serialize};

/// A change to the world. Actions from players are validated by the host before they
/// take effect; the acting player is never part of the payload (it comes from the
/// connection).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Pick an object up from the floor.
    PickUp {
        /// The object.
        object: ObjectId,
    },
    /// Put a held object down on the floor.
    Drop {
        /// The object.
        object: ObjectId,
        /// Where, in millimetres.
        pos: PosMm,
        /// Heading in 1/65536 of a turn.
        yaw: u16,
    },
    /// Mount a held device in a rack slot.
    InstallInRack {
        /// The device.
        object: ObjectId,
        /// The rack and lowest unit.
        slot: RackSlot,
    },
    /// Take a device out of its rack into the actor's hand.
    RemoveFromRack {
        /// The device.
        object: ObjectId,
    },
}

impl Action {
    /// Short name for logs, reports and the client prompt.
    pub const fn name(&self) -> &'static str {
        match self {
            Action::PickUp { .. } => "pick_up",
            Action::Drop { .. } => "drop",
            Action::InstallInRack { .. } => "install_in_rack",
            Action::RemoveFromRack { .. } => "remove_from_rack",
        }
    }

    /// The object the action is about.
    pub const fn object(&self) -> ObjectId {
        match self {
            Action::PickUp { object }
            | Action::Drop { object, .. }
            | Action::InstallInRack { object, .. }
            | Action::RemoveFromRack { object } => *object,
        }
    }
}

/// Why the host refused an action. Every variant is a rule of the world, checked the
/// same way on host and client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
pub enum Rejection {
    /// No object has this id.
    #[error("object {0} does not exist")]
    UnknownObject(ObjectId),
    /// The object's kind does not allow this action.
    #[error("a {} cannot do that", .0.name())]
    WrongKind(ObjectKind),
    /// Another player holds the object.
    #[error("object is held by {0}")]
    HeldByOther(PlayerId),
    /// The action needs the object in the actor's hand.
    #[error("object is not in your hand")]
    NotHeld,
    /// The actor's hand cannot take the object.
    #[error("your hands are full")]
    HandFull,
    /// The object must be on the floor for this action.
    #[error("object is not on the floor")]
    NotOnFloor,
    /// The target is not a rack.
    #[error("target {0} is not a rack")]
    NotARack(ObjectId),
    /// The rack itself is not standing on the floor.
    #[error("rack is not standing on the floor")]
    RackNotStanding,
    /// A rack with devices in it cannot be picked up.
    #[error("rack still holds {0}")]
    RackNotEmpty(ObjectId),
    /// The slot range would leave the rack's 42 units.
    #[error("units {first}..{end} are outside the rack", end = .first + .height)]
    OutsideRack {
        /// Lowest unit asked for.
        first: u8,
        /// Height of the device in units.
        height: u8,
    },
    /// Another device occupies part of the slot range.
    #[error("slot occupied by {0}")]
    SlotOccupied(ObjectId),
    /// The object is not mounted in a rack.
    #[error("object is not in a rack")]
    NotInRack,
    /// Cables are still plugged into the device.
    #[error("cable {0} is still attached")]
    CablesAttached(ObjectId),
    /// SFP modules are still inserted in the device.
    #[error("module {0} is still inserted")]
    ModulesInserted(ObjectId),
    /// The position lies outside the world bounds.
    #[error("position is outside the world")]
    OutOfBounds,
}
