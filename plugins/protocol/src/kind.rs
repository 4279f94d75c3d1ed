//! The kinds of world objects and what each kind can do.

use serde::{Deserialize, Serialize};

/// Number of rack units in a rack.
pub const RACK_UNITS: u8 = 42;

/// What a world object is. The numbering follows the game's `ObjectInHand` order where
/// it has one; it is part of the wire format and of the canonical hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ObjectKind {
    /// A 1U server.
    Server1U,
    /// A 7U server.
    Server7U,
    /// A 3U server.
    Server3U,
    /// A network switch (1U) whose ports take SFP modules.
    Switch,
    /// A 42U rack.
    Rack,
    /// A cable with two endpoints.
    Cable,
    /// A 1U patch panel.
    PatchPanel,
    /// An SFP transceiver module.
    SfpModule,
    /// A box of SFP modules.
    SfpBox,
}

impl ObjectKind {
    /// Every kind, in wire order.
    pub const ALL: [ObjectKind; 9] = [
        ObjectKind::Server1U,
        ObjectKind::Server7U,
        ObjectKind::Server3U,
        ObjectKind::Switch,
        ObjectKind::Rack,
        ObjectKind::Cable,
        ObjectKind::PatchPanel,
        ObjectKind::SfpModule,
        ObjectKind::SfpBox,
    ];

    /// Stable numeric code used in the canonical hash.
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// Height in rack units for kinds that mount in a rack, `None` otherwise.
    pub const fn rack_units(self) -> Option<u8> {
        match self {
            ObjectKind::Server1U | ObjectKind::Switch | ObjectKind::PatchPanel => Some(1),
            ObjectKind::Server3U => Some(3),
            ObjectKind::Server7U => Some(7),
            _ => None,
        }
    }

    /// Number of network ports a cable or SFP module can attach to.
    pub const fn port_count(self) -> u8 {
        match self {
            ObjectKind::Server1U => 2,
            ObjectKind::Server3U => 4,
            ObjectKind::Server7U => 8,
            ObjectKind::Switch => 24,
            ObjectKind::PatchPanel => 24,
            _ => 0,
        }
    }

    /// True for kinds that draw power, wear out and break (servers and switches).
    pub const fn is_powered_device(self) -> bool {
        matches!(
            self,
            ObjectKind::Server1U | ObjectKind::Server3U | ObjectKind::Server7U | ObjectKind::Switch
        )
    }

    /// How many objects of this kind fit in one hand at once.
    pub const fn hand_capacity(self) -> u8 {
        match self {
            ObjectKind::SfpModule => 4,
            _ => 1,
        }
    }

    /// Lower-case name used in logs, statistics and the client prompt.
    pub const fn name(self) -> &'static str {
        match self {
            ObjectKind::Server1U => "server1u",
            ObjectKind::Server7U => "server7u",
            ObjectKind::Server3U => "server3u",
            ObjectKind::Switch => "switch",
            ObjectKind::Rack => "rack",
            ObjectKind::Cable => "cable",
            ObjectKind::PatchPanel => "patch_panel",
            ObjectKind::SfpModule => "sfp_module",
            ObjectKind::SfpBox => "sfp_box",
        }
    }
}
