//! The hierarchical digest tree (a Merkle-style tree over object ids) the audit
//! compares level by level.
//!
//! Every node holds the wrapping sum and the count of the object hashes below it. Sums
//! are order-independent, so a change to one object updates exactly the
//! `TREE_DEPTH + 1` nodes on its leaf's path, in O(depth), and nothing is ever
//! recomputed from scratch. The tree also keeps each object's hash keyed by
//! `(leaf, id)`, so the objects of a leaf are one ordered range away.
//!
//! The tree's shape (fan-out, depth, leaf function) is part of the wire contract and is
//! defined in [`racksync_protocol::audit`]. [`crate::store`] keeps the tree in step with
//! every spawn, write and despawn.

use crate::digest::WorldDigest;
use bevy_ecs::prelude::*;
use racksync_protocol::ObjectId;
use racksync_protocol::audit::{NodeRef, TREE_DEPTH, ancestor, leaf_of, nodes_at};
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// Sum and count of the object hashes below one node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NodeSum {
    /// Wrapping sum of the object hashes.
    pub sum: u64,
    /// Number of objects.
    pub count: u64,
}

impl NodeSum {
    /// Counts one object hash in.
    pub fn add(&mut self, hash: u64) {
        self.sum = self.sum.wrapping_add(hash);
        self.count = self.count.wrapping_add(1);
    }

    /// Counts one object hash out.
    pub fn remove(&mut self, hash: u64) {
        self.sum = self.sum.wrapping_sub(hash);
        self.count = self.count.wrapping_sub(1);
    }

    /// The same value as a [`WorldDigest`] (meaningful for the root).
    pub fn world_digest(self) -> WorldDigest {
        WorldDigest::from_parts(self.sum, self.count)
    }
}

/// The digest tree of the local world, maintained incrementally.
#[derive(Resource, Clone, Debug)]
pub struct DigestTree {
    /// `levels[l][i]` is node `i` at level `l`; level 0 is the root.
    levels: Vec<Vec<NodeSum>>,
    /// Every object's hash, keyed by leaf first so a leaf is a contiguous range.
    hashes: BTreeMap<(u32, ObjectId), u64>,
}

impl Default for DigestTree {
    fn default() -> Self {
        Self {
            levels: (0..=TREE_DEPTH)
                .map(|level| vec![NodeSum::default(); nodes_at(level) as usize])
                .collect(),
            hashes: BTreeMap::new(),
        }
    }
}

impl DigestTree {
    /// A tree of the given `(id, hash)` pairs, for checks and tests (the resource itself
    /// is only ever updated incrementally).
    pub fn from_hashes(objects: impl IntoIterator<Item = (ObjectId, u64)>) -> Self {
        let mut tree = Self::default();
        for (id, hash) in objects {
            tree.insert(id, hash);
        }
        tree
    }

    /// Counts a new object in. An id already present is replaced.
    pub fn insert(&mut self, id: ObjectId, hash: u64) {
        let leaf = leaf_of(id);
        if let Some(old) = self.hashes.insert((leaf, id), hash) {
            self.update_path(leaf, |node| node.remove(old));
        }
        self.update_path(leaf, |node| node.add(hash));
    }

    /// Changes an object's hash (counts it in if it was unknown).
    pub fn replace(&mut self, id: ObjectId, hash: u64) {
        let leaf = leaf_of(id);
        match self.hashes.insert((leaf, id), hash) {
            Some(old) if old == hash => {}
            Some(old) => self.update_path(leaf, |node| {
                node.sum = node.sum.wrapping_sub(old).wrapping_add(hash);
            }),
            None => self.update_path(leaf, |node| node.add(hash)),
        }
    }

    /// Counts an object out; returns its hash if it was present.
    pub fn remove(&mut self, id: ObjectId) -> Option<u64> {
        let leaf = leaf_of(id);
        let old = self.hashes.remove(&(leaf, id))?;
        self.update_path(leaf, |node| node.remove(old));
        Some(old)
    }

    /// Forgets every object.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    fn update_path(&mut self, leaf: u32, mut change: impl FnMut(&mut NodeSum)) {
        for (level, nodes) in self.levels.iter_mut().enumerate() {
            change(&mut nodes[ancestor(leaf, level as u8) as usize]);
        }
    }

    /// The sum below a node; the empty sum for a node outside the tree.
    pub fn node(&self, node: NodeRef) -> NodeSum {
        self.levels
            .get(usize::from(node.level))
            .and_then(|nodes| nodes.get(node.index as usize))
            .copied()
            .unwrap_or_default()
    }

    /// The root: every object.
    pub fn root(&self) -> NodeSum {
        self.levels[0][0]
    }

    /// An object's hash, if the object exists.
    pub fn hash_of(&self, id: ObjectId) -> Option<u64> {
        self.hashes.get(&(leaf_of(id), id)).copied()
    }

    /// The objects of one leaf with their hashes, ascending by id.
    pub fn leaf_objects(&self, leaf: u32) -> impl Iterator<Item = (ObjectId, u64)> + '_ {
        self.hashes
            .range(leaf_range(leaf))
            .map(|(&(_, id), &hash)| (id, hash))
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// True when the tree holds no object.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }
}

fn leaf_range(leaf: u32) -> RangeInclusive<(u32, ObjectId)> {
    (leaf, ObjectId(0))..=(leaf, ObjectId(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use racksync_protocol::audit::TREE_FANOUT;

    fn check_sums(tree: &DigestTree) {
        // Every inner node is the sum of its children.
        for level in 0..TREE_DEPTH {
            for index in 0..nodes_at(level) {
                let node = NodeRef { level, index };
                let mut children = NodeSum::default();
                for slot in 0..TREE_FANOUT {
                    let child = tree.node(node.child(slot));
                    children.sum = children.sum.wrapping_add(child.sum);
                    children.count += child.count;
                }
                assert_eq!(tree.node(node), children, "{node:?}");
            }
        }
    }

    #[test]
    fn incremental_updates_match_a_fresh_tree() {
        let mut tree = DigestTree::default();
        let ids: Vec<ObjectId> = (0..500).map(|s| ObjectId::new((s % 3) as u16, s)).collect();
        for (n, id) in ids.iter().enumerate() {
            tree.insert(*id, n as u64 * 0x1234_5678_9abc);
        }
        for id in ids.iter().step_by(3) {
            tree.replace(*id, u64::from(id.0).wrapping_mul(77));
        }
        for id in ids.iter().step_by(5) {
            assert!(tree.remove(*id).is_some());
        }
        assert_eq!(tree.remove(ObjectId::new(9, 9)), None);
        let fresh = DigestTree::from_hashes(
            ids.iter()
                .filter_map(|id| tree.hash_of(*id).map(|hash| (*id, hash))),
        );
        assert_eq!(tree.root(), fresh.root());
        assert_eq!(tree.len(), fresh.len());
        for leaf in 0..256 {
            let node = NodeRef {
                level: TREE_DEPTH,
                index: leaf,
            };
            assert_eq!(tree.node(node), fresh.node(node));
        }
        check_sums(&tree);
    }

    #[test]
    fn leaf_objects_are_exactly_the_leaf() {
        let tree = DigestTree::from_hashes((0..2_000).map(|s| (ObjectId::new(0, s), u64::from(s))));
        let id = ObjectId::new(0, 1234);
        let leaf = leaf_of(id);
        let listed: Vec<(ObjectId, u64)> = tree.leaf_objects(leaf).collect();
        assert!(listed.contains(&(id, 1234)));
        assert!(listed.iter().all(|(other, _)| leaf_of(*other) == leaf));
        assert!(listed.windows(2).all(|w| w[0].0 < w[1].0));
        let node = NodeRef {
            level: TREE_DEPTH,
            index: leaf,
        };
        assert_eq!(tree.node(node).count, listed.len() as u64);
    }

    #[test]
    fn root_matches_the_world_digest() {
        let hashes = [3u64, u64::MAX, 99];
        let tree = DigestTree::from_hashes(
            hashes
                .iter()
                .enumerate()
                .map(|(n, h)| (ObjectId::new(0, n as u32), *h)),
        );
        assert_eq!(tree.root().world_digest(), WorldDigest::from_hashes(hashes));
    }
}
