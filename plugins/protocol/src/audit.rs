//! Audit and resync messages, and the shape of the digest tree they talk about.
//!
//! The digest tree is part of the wire contract: a node is named by its level and its
//! index at that level, and an object's leaf is a fixed function of its id, so host and
//! client agree on which objects every node covers without exchanging any layout.
//!
//! The tree has [`TREE_DEPTH`] levels below the root and [`TREE_FANOUT`] children per
//! node. The descent alternates: the client compares levels 0 (the root), 2 and 4 (the
//! leaves), the host compares levels 1 and 3 and finally the objects of the differing
//! leaves, then sends their full state. One diverged object therefore costs three round
//! trips after the root, each message carrying 16 four-byte digests or a handful of
//! objects.

use crate::ids::{ObjectId, Revision};
use crate::record::ObjectRecord;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// log2 of the number of children of an inner node.
pub const TREE_FANOUT_BITS: u32 = 4;
/// Children per inner node.
pub const TREE_FANOUT: usize = 1 << TREE_FANOUT_BITS;
/// Levels below the root; leaves live at this level.
pub const TREE_DEPTH: u8 = 4;
/// Bits of a leaf index.
pub const TREE_LEAF_BITS: u32 = TREE_FANOUT_BITS * TREE_DEPTH as u32;
/// Number of leaves.
pub const TREE_LEAVES: u32 = 1 << TREE_LEAF_BITS;

// The descent alternates between client and host level by level and must end with the
// client comparing leaves (so that the host compares objects and sends their state).
const _: () = assert!(
    TREE_DEPTH.is_multiple_of(2),
    "the audit descent needs an even depth"
);

/// The leaf an object belongs to: the top bits of a Fibonacci hash of its id, so that
/// sequential serials and different namespaces spread evenly over the leaves.
pub const fn leaf_of(id: ObjectId) -> u32 {
    ((id.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - TREE_LEAF_BITS)) as u32
}

/// Number of nodes at `level` (0 = the root).
pub const fn nodes_at(level: u8) -> u32 {
    1 << (TREE_FANOUT_BITS * level as u32)
}

/// The index at `level` of the node covering `leaf`.
pub const fn ancestor(leaf: u32, level: u8) -> u32 {
    leaf >> (TREE_FANOUT_BITS * (TREE_DEPTH - level) as u32)
}

/// A full 64-bit digest, always 8 bytes on the wire (a varint would take 10 for most
/// values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Digest64(pub u64);

impl Serialize for Digest64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.to_le_bytes().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Digest64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <[u8; 8]>::deserialize(deserializer).map(|bytes| Self(u64::from_le_bytes(bytes)))
    }
}

/// A 32-bit digest salted with the audit round, always 4 bytes on the wire.
///
/// Inner comparisons only need to tell "same" from "different"; 32 bits make an
/// accidental match a 1 in 4·10⁹ event, and the per-round salt keeps such a match from
/// hiding the same divergence again at the next audit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Digest32(pub u32);

impl Serialize for Digest32 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.to_le_bytes().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Digest32 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <[u8; 4]>::deserialize(deserializer).map(|bytes| Self(u32::from_le_bytes(bytes)))
    }
}

/// A node of the digest tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NodeRef {
    /// 0 (the root) ..= [`TREE_DEPTH`] (a leaf).
    pub level: u8,
    /// Index at that level, below [`nodes_at`]`(level)`.
    pub index: u32,
}

impl NodeRef {
    /// The root.
    pub const ROOT: NodeRef = NodeRef { level: 0, index: 0 };

    /// True when the node exists in the tree.
    pub const fn is_valid(self) -> bool {
        self.level <= TREE_DEPTH && self.index < nodes_at(self.level)
    }

    /// The `slot`-th child (`slot < TREE_FANOUT`).
    pub const fn child(self, slot: usize) -> NodeRef {
        NodeRef {
            level: self.level + 1,
            index: (self.index << TREE_FANOUT_BITS) | slot as u32,
        }
    }

    /// True when `leaf` lies below (or is) this node.
    pub const fn covers(self, leaf: u32) -> bool {
        ancestor(leaf, self.level) == self.index
    }
}

/// The digests of every child of one node, in child order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeDigests {
    /// The parent node.
    pub node: NodeRef,
    /// [`TREE_FANOUT`] salted digests of its children.
    pub children: Vec<Digest32>,
}

/// The objects a client holds (confirmed) in one leaf, with their salted hashes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeafObjects {
    /// Leaf index, below [`TREE_LEAVES`].
    pub leaf: u32,
    /// `(id, salted object hash)`, ascending by id.
    pub objects: Vec<(ObjectId, Digest32)>,
}

/// One object the host resyncs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObjectFix {
    /// The object's full host state (it differs or the client lacks it).
    State(ObjectRecord),
    /// The host has no such object; the client must drop it.
    Absent(ObjectId),
}

/// Host → client audit traffic, inside [`crate::HostWorldMessage::Audit`].
///
/// Every message describes the host's world at `revision`; on the ordered `world`
/// channel the client reads it exactly when its own world is at that revision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HostAudit {
    /// The periodic audit: the host's world digest.
    Root {
        /// The host's revision.
        revision: Revision,
        /// The host's world digest value.
        digest: Digest64,
    },
    /// For each node whose digest differed from the client's, the host's children.
    Nodes {
        /// Round (salt) of the request this answers.
        round: u32,
        /// The host's revision.
        revision: Revision,
        /// False on the last message answering one request.
        more: bool,
        /// Children of the differing nodes.
        nodes: Vec<NodeDigests>,
    },
    /// Full state of the objects that differ, are missing on the client, or are extra.
    Objects {
        /// Round (salt) of the request this answers.
        round: u32,
        /// The host's revision.
        revision: Revision,
        /// False on the last message answering one request.
        more: bool,
        /// The repairs.
        fixes: Vec<ObjectFix>,
    },
}

/// Client → host audit traffic, inside [`crate::ClientWorldMessage::Audit`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientAudit {
    /// The client's children digests of nodes that differ; the host compares them and
    /// answers with [`HostAudit::Nodes`] one level further down.
    Nodes {
        /// Round id, also the digest salt.
        round: u32,
        /// Nodes at a level of at most `TREE_DEPTH - 2`, each with all its children.
        nodes: Vec<NodeDigests>,
    },
    /// The client's objects in leaves that differ; the host answers with
    /// [`HostAudit::Objects`].
    Objects {
        /// Round id, also the digest salt.
        round: u32,
        /// The leaves, each listing every confirmed object the client has in it.
        leaves: Vec<LeafObjects>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::encode_unbounded;

    #[test]
    fn digests_are_fixed_width() {
        assert_eq!(encode_unbounded(&Digest64(u64::MAX)).len(), 8);
        assert_eq!(encode_unbounded(&Digest64(0)).len(), 8);
        assert_eq!(encode_unbounded(&Digest32(u32::MAX)).len(), 4);
        let back: Digest64 = postcard::from_bytes(&encode_unbounded(&Digest64(42))).unwrap();
        assert_eq!(back, Digest64(42));
    }

    #[test]
    fn tree_paths_are_prefixes_of_the_leaf() {
        let leaf = leaf_of(ObjectId::new(3, 77));
        assert!(leaf < TREE_LEAVES);
        let mut node = NodeRef::ROOT;
        for level in 1..=TREE_DEPTH {
            let slot = (ancestor(leaf, level) & (TREE_FANOUT as u32 - 1)) as usize;
            node = node.child(slot);
            assert!(node.is_valid());
            assert!(node.covers(leaf));
        }
        assert_eq!(node.index, leaf);
        assert!(!NodeRef { level: 5, index: 0 }.is_valid());
        assert!(
            !NodeRef {
                level: 1,
                index: 16
            }
            .is_valid()
        );
    }

    #[test]
    fn sequential_ids_spread_over_leaves() {
        let mut used = std::collections::HashSet::new();
        for serial in 0..1_000 {
            used.insert(ancestor(leaf_of(ObjectId::new(0, serial)), 2));
        }
        // 1000 ids over 256 level-2 nodes: nearly all of them get some.
        assert!(used.len() > 240, "{}", used.len());
    }
}
