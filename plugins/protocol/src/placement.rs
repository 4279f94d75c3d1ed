//! Where an object is: on the floor, in a rack, in a hand, or in a switch port.

use crate::ids::{ObjectId, PlayerId};
use serde::{Deserialize, Serialize};

/// A position in whole millimetres.
///
/// Positions are integers on the wire and in the world state, so they are always finite,
/// hash the same on every platform and never need float normalisation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PosMm {
    /// East-west, millimetres.
    pub x: i32,
    /// Up, millimetres.
    pub y: i32,
    /// North-south, millimetres.
    pub z: i32,
}

impl PosMm {
    /// A position from millimetres.
    pub const fn new(x: i32, y: i32, z: i32) -> Self {
        Self { x, y, z }
    }
}

/// A slot of a rack: the rack and the lowest unit (1-based) the object occupies.
///
/// This is the game's rack-slot uid, made explicit: the rack's id plus a unit number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RackSlot {
    /// The rack.
    pub rack: ObjectId,
    /// Lowest occupied unit, 1..=42.
    pub unit: u8,
}

/// Where an object is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Placement {
    /// Standing on the floor.
    Floor {
        /// Position in millimetres.
        pos: PosMm,
        /// Heading in 1/65536 of a turn.
        yaw: u16,
    },
    /// Mounted in a rack, occupying `slot.unit .. slot.unit + height`.
    InRack(RackSlot),
    /// Carried by a player.
    Held(PlayerId),
    /// An SFP module inserted in a switch port.
    InPort {
        /// The switch.
        switch: ObjectId,
        /// The port, 0-based.
        port: u8,
    },
}
