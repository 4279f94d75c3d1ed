//! The digests that travel: the root as a full 64-bit world digest, inner nodes and
//! objects as 32-bit values salted with the audit round.

use racksync_protocol::{Digest32, Digest64};
use racksync_world::NodeSum;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The root digest: the same value as [`racksync_world::WorldDigest::value`], so the
/// audit, `world stats` and the join snapshot all print one number for one world.
pub fn root_digest(root: NodeSum) -> Digest64 {
    Digest64(root.world_digest().value())
}

/// A node's digest for one round: sum and count mixed with the round as seed.
pub fn node_digest(node: NodeSum, round: u32) -> Digest32 {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&node.sum.to_le_bytes());
    bytes[8..].copy_from_slice(&node.count.to_le_bytes());
    Digest32(xxh3_64_with_seed(&bytes, u64::from(round)) as u32)
}

/// An object's hash for one round.
pub fn object_digest(hash: u64, round: u32) -> Digest32 {
    Digest32(xxh3_64_with_seed(&hash.to_le_bytes(), u64::from(round)) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_salt_changes_every_digest() {
        let node = NodeSum { sum: 42, count: 3 };
        assert_eq!(node_digest(node, 1), node_digest(node, 1));
        assert_ne!(node_digest(node, 1), node_digest(node, 2));
        assert_ne!(object_digest(42, 1), object_digest(42, 2));
        assert_ne!(
            node_digest(node, 1),
            node_digest(NodeSum { sum: 42, count: 4 }, 1)
        );
    }

    #[test]
    fn root_digest_is_the_world_digest() {
        let node = NodeSum { sum: 7, count: 1 };
        assert_eq!(
            root_digest(node).0,
            racksync_world::WorldDigest::from_hashes([7]).value()
        );
    }
}
