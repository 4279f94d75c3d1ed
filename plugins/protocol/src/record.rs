//! The full networked state of one object, as it travels in snapshots and resyncs.

use crate::ids::ObjectId;
use crate::kind::ObjectKind;
use crate::placement::Placement;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// Wear and failure state of a powered device.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Health {
    /// The device is broken and does nothing until repaired.
    pub broken: bool,
    /// Powered seconds left until the device breaks.
    pub time_to_break: u32,
    /// Powered seconds left until end of life.
    pub eol_time: u32,
    /// The player acknowledged the wear warning.
    pub warning_cleared: bool,
}

/// Configurable properties of a device.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Properties {
    /// IPv4 address, unique in the world.
    pub ip: Option<Ipv4Addr>,
    /// Customer the device serves; must be a known customer.
    pub customer: Option<u32>,
    /// Free-form label, at most [`MAX_LABEL_BYTES`] bytes.
    pub label: Option<String>,
    /// Application id running on the device.
    pub app: Option<u32>,
}

/// Longest label accepted, in bytes.
pub const MAX_LABEL_BYTES: usize = 32;

/// One end of a cable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CableEnd {
    /// A port of a server, switch or patch panel (0-based).
    Port {
        /// The device.
        device: ObjectId,
        /// The port, 0-based.
        port: u8,
    },
    /// A customer's network uplink.
    Customer(u32),
}

/// Everything networked about one object.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ObjectRecord {
    /// Stable id.
    pub id: ObjectId,
    /// What it is.
    pub kind: ObjectKind,
    /// Where it is.
    pub placement: Placement,
    /// Power switch (servers and switches).
    pub powered: bool,
    /// Wear state (servers and switches).
    pub health: Health,
    /// Configurable properties.
    pub properties: Properties,
    /// Both endpoints of a connected cable.
    pub cable: Option<[CableEnd; 2]>,
}
