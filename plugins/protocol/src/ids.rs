//! Compact numeric identifiers that travel on the wire.
//!
//! Every id is a varint on the wire, so small values cost one byte. Object ids carry the
//! namespace of their creator in the high bits so that a client can allocate ids for
//! objects it spawns optimistically without ever having to remap them.

use core::fmt;
use serde::{Deserialize, Serialize};

/// Number of low bits of an [`ObjectId`] holding the serial inside its namespace.
pub const OBJECT_SERIAL_BITS: u32 = 20;
/// Largest serial a namespace can allocate.
pub const MAX_OBJECT_SERIAL: u32 = (1 << OBJECT_SERIAL_BITS) - 1;
/// Largest namespace number (the host owns namespace 0, players own 1..=MAX).
pub const MAX_NAMESPACE: u16 = (1 << (32 - OBJECT_SERIAL_BITS)) as u16 - 1;

/// Stable id of a world object: `namespace << 20 | serial`.
///
/// Namespace 0 belongs to the host and to objects of the loaded world, so world objects
/// encode in at most 3 bytes (serials below 2^21).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ObjectId(pub u32);

impl ObjectId {
    /// Builds an id from a namespace and a serial.
    ///
    /// Panics when the serial does not fit the 20 serial bits: that is a local allocation bug.
    pub const fn new(namespace: u16, serial: u32) -> Self {
        assert!(serial <= MAX_OBJECT_SERIAL, "object serial exceeds 20 bits");
        assert!(namespace <= MAX_NAMESPACE, "namespace exceeds 12 bits");
        Self(((namespace as u32) << OBJECT_SERIAL_BITS) | serial)
    }

    /// The namespace (creator) of this id.
    pub const fn namespace(self) -> u16 {
        (self.0 >> OBJECT_SERIAL_BITS) as u16
    }

    /// The serial inside the namespace.
    pub const fn serial(self) -> u32 {
        self.0 & MAX_OBJECT_SERIAL
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace() == 0 {
            write!(f, "#{}", self.serial())
        } else {
            write!(f, "#{}:{}", self.namespace(), self.serial())
        }
    }
}

/// A player's id for one host session. `PlayerId::HOST` (0) is the host itself.
///
/// A player's id is also the namespace of the objects it creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PlayerId(pub u16);

impl PlayerId {
    /// The host: actor of simulation and admin actions.
    pub const HOST: PlayerId = PlayerId(0);

    /// The object namespace this player allocates ids from.
    pub const fn namespace(self) -> u16 {
        self.0
    }
}

impl fmt::Display for PlayerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Self::HOST {
            f.write_str("host")
        } else {
            write!(f, "p{}", self.0)
        }
    }
}

/// The host's world revision: incremented by every accepted action.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Revision(pub u64);

impl Revision {
    /// The revision after this one.
    pub const fn next(self) -> Revision {
        Revision(self.0 + 1)
    }
}

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_id_packs_namespace_and_serial() {
        let id = ObjectId::new(7, 12345);
        assert_eq!(id.namespace(), 7);
        assert_eq!(id.serial(), 12345);
        assert_eq!(ObjectId::new(0, 5).to_string(), "#5");
        assert_eq!(id.to_string(), "#7:12345");
    }

    #[test]
    fn world_object_ids_encode_in_three_bytes() {
        let bytes = postcard::to_allocvec(&ObjectId::new(0, MAX_OBJECT_SERIAL)).unwrap();
        assert_eq!(bytes.len(), 3);
    }
}
