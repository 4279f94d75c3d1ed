//! Canonical hashing of object state and the incremental world digest.
//!
//! An object's hash is xxh3-64 over a fixed-width little-endian encoding of its record
//! (no varints, no floats, no platform-dependent layout), so every build on every
//! platform computes the same value. The world digest combines object hashes with a
//! wrapping sum, which is order-independent and updates in O(1) when one object changes.

use bevy_ecs::prelude::*;
use racksync_protocol::{CableEnd, ObjectRecord, Placement};
use xxhash_rust::xxh3::xxh3_64;

/// Canonical hash of one object's networked state.
pub fn object_hash(record: &ObjectRecord) -> u64 {
    let mut bytes = Vec::with_capacity(96);
    write_canonical(record, &mut bytes);
    xxh3_64(&bytes)
}

/// Appends the canonical fixed-width encoding of `record` to `out`.
pub fn write_canonical(record: &ObjectRecord, out: &mut Vec<u8>) {
    out.extend_from_slice(&record.id.0.to_le_bytes());
    out.push(record.kind.code());
    match record.placement {
        Placement::Floor { pos, yaw } => {
            out.push(0);
            for axis in [pos.x, pos.y, pos.z] {
                out.extend_from_slice(&axis.to_le_bytes());
            }
            out.extend_from_slice(&yaw.to_le_bytes());
        }
        Placement::InRack(slot) => {
            out.push(1);
            out.extend_from_slice(&slot.rack.0.to_le_bytes());
            out.push(slot.unit);
        }
        Placement::Held(player) => {
            out.push(2);
            out.extend_from_slice(&player.0.to_le_bytes());
        }
        Placement::InPort { switch, port } => {
            out.push(3);
            out.extend_from_slice(&switch.0.to_le_bytes());
            out.push(port);
        }
    }
    out.push(u8::from(record.powered));
    let health = &record.health;
    out.push(u8::from(health.broken));
    out.extend_from_slice(&health.time_to_break.to_le_bytes());
    out.extend_from_slice(&health.eol_time.to_le_bytes());
    out.push(u8::from(health.warning_cleared));
    let props = &record.properties;
    write_option_u32(out, props.ip.map(u32::from));
    write_option_u32(out, props.customer);
    match &props.label {
        Some(label) => {
            out.push(1);
            out.extend_from_slice(&(label.len() as u32).to_le_bytes());
            out.extend_from_slice(label.as_bytes());
        }
        None => out.push(0),
    }
    write_option_u32(out, props.app);
    match &record.cable {
        Some(ends) => {
            out.push(1);
            for end in ends {
                match *end {
                    CableEnd::Port { device, port } => {
                        out.push(0);
                        out.extend_from_slice(&device.0.to_le_bytes());
                        out.push(port);
                    }
                    CableEnd::Customer(customer) => {
                        out.push(1);
                        out.extend_from_slice(&customer.to_le_bytes());
                    }
                }
            }
        }
        None => out.push(0),
    }
}

fn write_option_u32(out: &mut Vec<u8>, value: Option<u32>) {
    match value {
        Some(value) => {
            out.push(1);
            out.extend_from_slice(&value.to_le_bytes());
        }
        None => out.push(0),
    }
}

/// The world digest, maintained incrementally as objects change.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorldDigest {
    sum: u64,
    count: u64,
}

impl WorldDigest {
    /// Digest of a set of object hashes.
    pub fn from_hashes(hashes: impl IntoIterator<Item = u64>) -> Self {
        let mut digest = Self::default();
        for hash in hashes {
            digest.add(hash);
        }
        digest
    }

    /// A digest from its raw sum and count (the root of a
    /// [`crate::tree::DigestTree`] is one).
    pub fn from_parts(sum: u64, count: u64) -> Self {
        Self { sum, count }
    }

    /// Counts an object in.
    pub fn add(&mut self, object_hash: u64) {
        self.sum = self.sum.wrapping_add(object_hash);
        self.count += 1;
    }

    /// Counts an object out.
    pub fn remove(&mut self, object_hash: u64) {
        self.sum = self.sum.wrapping_sub(object_hash);
        self.count -= 1;
    }

    /// Replaces one object's hash.
    pub fn replace(&mut self, old: u64, new: u64) {
        self.sum = self.sum.wrapping_sub(old).wrapping_add(new);
    }

    /// Number of objects counted.
    pub fn objects(&self) -> u64 {
        self.count
    }

    /// The 64-bit digest value compared between host and clients.
    pub fn value(&self) -> u64 {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.sum.to_le_bytes());
        bytes[8..].copy_from_slice(&self.count.to_le_bytes());
        xxh3_64(&bytes)
    }
}

impl core::fmt::Display for WorldDigest {
    /// `objects=N digest=D`, the line format shared by `world stats` and the client.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "objects={} digest={:016x}", self.count, self.value())
    }
}
