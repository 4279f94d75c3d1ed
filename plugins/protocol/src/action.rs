//! World actions a player (or the host) performs, and why the host may refuse them.

use crate::ids::{ObjectId, PlayerId};
use crate::kind::ObjectKind;
use crate::placement::{PosMm, RackSlot};
use crate::record::CableEnd;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

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
    /// Switch an installed server or switch on or off.
    SetPower {
        /// The device.
        object: ObjectId,
        /// The new switch position.
        on: bool,
    },
    /// Set one whitelisted property of a device.
    SetProperty {
        /// The device.
        object: ObjectId,
        /// The property and its new value.
        value: Property,
    },
    /// Plug a held loose cable into two endpoints.
    ConnectCable {
        /// The cable.
        cable: ObjectId,
        /// Both ends.
        ends: [CableEnd; 2],
    },
    /// Unplug a connected cable into the actor's hand.
    DisconnectCable {
        /// The cable.
        cable: ObjectId,
    },
    /// Create an object on the floor. The id comes from the actor's own namespace, so an
    /// optimistic spawn never needs remapping; the kind is the game's prefab.
    Spawn {
        /// The new object's id, in the actor's namespace.
        object: ObjectId,
        /// What to create.
        kind: ObjectKind,
        /// Where, in millimetres.
        pos: PosMm,
        /// Heading in 1/65536 of a turn.
        yaw: u16,
    },
    /// Remove an object from the world.
    Destroy {
        /// The object.
        object: ObjectId,
    },
    /// Insert a held SFP module into a free switch port.
    InsertSfp {
        /// The module.
        module: ObjectId,
        /// The switch.
        switch: ObjectId,
        /// The port, 0-based.
        port: u8,
    },
    /// Take an SFP module out of its switch port into the actor's hand.
    RemoveSfp {
        /// The module.
        module: ObjectId,
    },
    /// Repair a broken or worn device, giving it a fresh time-to-break.
    Repair {
        /// The device.
        object: ObjectId,
    },
    /// Host only: a device fails now.
    Break {
        /// The device.
        object: ObjectId,
    },
    /// Host only: every powered, working device wears by `seconds` of running time.
    Wear {
        /// Running time elapsed since the previous wear step.
        seconds: u32,
    },
    /// Host only: an object leaves whatever hand holds it and lands on the floor (a
    /// player left, or an operator intervened).
    Release {
        /// The object.
        object: ObjectId,
        /// Where, in millimetres.
        pos: PosMm,
        /// Heading in 1/65536 of a turn.
        yaw: u16,
    },
}

/// A whitelisted device property with its new value (`None` clears it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Property {
    /// IPv4 address; unicast, not loopback, unique in the world.
    Ip(Option<Ipv4Addr>),
    /// Customer served; must be one of the world's customers.
    Customer(Option<u32>),
    /// Free-form label of printable characters, at most
    /// [`crate::MAX_LABEL_BYTES`] bytes.
    Label(Option<String>),
    /// Application id running on the device.
    App(Option<u32>),
}

impl Property {
    /// The property's key, as the client prompt names it.
    pub const fn key(&self) -> &'static str {
        match self {
            Property::Ip(_) => "ip",
            Property::Customer(_) => "customer",
            Property::Label(_) => "label",
            Property::App(_) => "app",
        }
    }
}

impl Action {
    /// Every action kind's short name, in declaration order.
    pub const NAMES: [&'static str; 16] = [
        "pick_up",
        "drop",
        "install_in_rack",
        "remove_from_rack",
        "set_power",
        "set_property",
        "connect_cable",
        "disconnect_cable",
        "spawn",
        "destroy",
        "insert_sfp",
        "remove_sfp",
        "repair",
        "break",
        "wear",
        "release",
    ];

    /// Short name for logs, reports and the client prompt.
    pub const fn name(&self) -> &'static str {
        Self::NAMES[self.kind_index()]
    }

    /// Position of the action's kind in [`Action::NAMES`].
    pub const fn kind_index(&self) -> usize {
        match self {
            Action::PickUp { .. } => 0,
            Action::Drop { .. } => 1,
            Action::InstallInRack { .. } => 2,
            Action::RemoveFromRack { .. } => 3,
            Action::SetPower { .. } => 4,
            Action::SetProperty { .. } => 5,
            Action::ConnectCable { .. } => 6,
            Action::DisconnectCable { .. } => 7,
            Action::Spawn { .. } => 8,
            Action::Destroy { .. } => 9,
            Action::InsertSfp { .. } => 10,
            Action::RemoveSfp { .. } => 11,
            Action::Repair { .. } => 12,
            Action::Break { .. } => 13,
            Action::Wear { .. } => 14,
            Action::Release { .. } => 15,
        }
    }

    /// The object the action is about; `None` for world-wide actions ([`Action::Wear`]).
    pub const fn object(&self) -> Option<ObjectId> {
        match self {
            Action::PickUp { object }
            | Action::Drop { object, .. }
            | Action::InstallInRack { object, .. }
            | Action::RemoveFromRack { object }
            | Action::SetPower { object, .. }
            | Action::SetProperty { object, .. }
            | Action::Spawn { object, .. }
            | Action::Destroy { object }
            | Action::Repair { object }
            | Action::Break { object }
            | Action::Release { object, .. } => Some(*object),
            Action::ConnectCable { cable, .. } | Action::DisconnectCable { cable } => Some(*cable),
            Action::InsertSfp { module, .. } | Action::RemoveSfp { module } => Some(*module),
            Action::Wear { .. } => None,
        }
    }

    /// True for actions only the host (its simulation or an operator) may perform.
    pub const fn is_host_only(&self) -> bool {
        matches!(
            self,
            Action::Break { .. } | Action::Wear { .. } | Action::Release { .. }
        )
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
    /// Only the host may perform this action.
    #[error("only the host may do that")]
    HostOnly,
    /// The action would change nothing (the device is already in that state).
    #[error("nothing to change")]
    NoChange,
    /// The device is broken and must be repaired first.
    #[error("device is broken")]
    DeviceBroken,
    /// The device is neither broken nor worn.
    #[error("device needs no repair")]
    NothingToRepair,
    /// The device reached its end of life and must be replaced.
    #[error("device reached its end of life")]
    EndOfLife,
    /// The address is not a usable unicast IPv4 address.
    #[error("address is not a usable unicast address")]
    InvalidIp,
    /// Another device already has this address.
    #[error("address is already used by {0}")]
    DuplicateIp(ObjectId),
    /// The label is too long or contains control characters.
    #[error("label is too long or not printable")]
    InvalidLabel,
    /// The customer is not one of the world's customers.
    #[error("customer {0} does not exist")]
    UnknownCustomer(u32),
    /// The cable is already plugged in.
    #[error("cable is already connected")]
    CableConnected,
    /// The cable is not plugged in.
    #[error("cable is not connected")]
    CableNotConnected,
    /// Both ends of a cable name the same endpoint.
    #[error("both cable ends are the same")]
    SameEndpoints,
    /// The device has no such port.
    #[error("{device} has no port {port}")]
    NoSuchPort {
        /// The device.
        device: ObjectId,
        /// The port asked for.
        port: u8,
    },
    /// Something already uses the port.
    #[error("port is taken by {0}")]
    PortTaken(ObjectId),
    /// A switch port needs an SFP module before a cable can plug into it.
    #[error("port {port} of {switch} has no SFP module")]
    NoModule {
        /// The switch.
        switch: ObjectId,
        /// The port.
        port: u8,
    },
    /// The endpoint device is not mounted in a rack.
    #[error("device {0} is not installed in a rack")]
    NotInstalled(ObjectId),
    /// The target is not a switch.
    #[error("target {0} is not a switch")]
    NotASwitch(ObjectId),
    /// The module is not in a switch port.
    #[error("module is not in a switch port")]
    NotInPort,
    /// The new object's id is not in the actor's namespace.
    #[error("id is outside your namespace")]
    WrongNamespace,
    /// An object with this id already exists.
    #[error("id {0} is already taken")]
    IdTaken(ObjectId),
    /// The player sent more actions per second than the host's budget allows; the host
    /// refused this one without looking at it. Slow down.
    #[error("too many actions; slow down")]
    RateLimited,
}
