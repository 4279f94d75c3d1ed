//! A client's confirmed world as the audit sees it: the local digest tree with the
//! predictions of pending actions taken out.
//!
//! Only objects in the [`ConfirmedOverlay`] differ between the local and the confirmed
//! world, and there are few of them (those the player's in-flight actions touched).
//! Because node digests are sums, the confirmed value of any node is the local one
//! minus the predicted hashes plus the confirmed ones of the overlay objects below it:
//! O(overlay) per node, never a recomputation.

use racksync_protocol::ObjectId;
use racksync_protocol::audit::{NodeRef, leaf_of};
use racksync_world::{ConfirmedOverlay, DigestTree, NodeSum, object_hash};

/// One predicted object: where it is and what it contributes locally and confirmed.
#[derive(Clone, Copy, Debug)]
struct Delta {
    leaf: u32,
    id: ObjectId,
    local: Option<u64>,
    confirmed: Option<u64>,
}

/// The confirmed world's digests, borrowed from the local tree.
pub struct ConfirmedView<'a> {
    tree: &'a DigestTree,
    deltas: Vec<Delta>,
}

impl<'a> ConfirmedView<'a> {
    /// The confirmed view of `tree` under `overlay`.
    pub fn new(tree: &'a DigestTree, overlay: &ConfirmedOverlay) -> Self {
        let deltas = overlay
            .iter()
            .map(|(id, confirmed)| Delta {
                leaf: leaf_of(id),
                id,
                local: tree.hash_of(id),
                confirmed: confirmed.as_ref().map(object_hash),
            })
            .filter(|delta| delta.local != delta.confirmed)
            .collect();
        Self { tree, deltas }
    }

    /// The confirmed sum below `node`.
    pub fn node(&self, node: NodeRef) -> NodeSum {
        let mut sum = self.tree.node(node);
        for delta in self.deltas.iter().filter(|d| node.covers(d.leaf)) {
            if let Some(hash) = delta.local {
                sum.remove(hash);
            }
            if let Some(hash) = delta.confirmed {
                sum.add(hash);
            }
        }
        sum
    }

    /// The confirmed objects of one leaf with their hashes, ascending by id.
    pub fn leaf_objects(&self, leaf: u32) -> Vec<(ObjectId, u64)> {
        let mut objects: Vec<(ObjectId, u64)> = self.tree.leaf_objects(leaf).collect();
        let deltas = self.deltas.iter().filter(|d| d.leaf == leaf);
        for delta in deltas {
            objects.retain(|(id, _)| *id != delta.id);
            if let Some(hash) = delta.confirmed {
                objects.push((delta.id, hash));
            }
        }
        objects.sort_unstable_by_key(|(id, _)| *id);
        objects
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use racksync_world::generate_world;

    #[test]
    fn the_view_equals_a_tree_of_the_confirmed_world() {
        let records: Vec<racksync_protocol::ObjectRecord> = generate_world(300, 3)
            .objects
            .into_iter()
            .map(Into::into)
            .collect();
        let confirmed_tree =
            DigestTree::from_hashes(records.iter().map(|r| (r.id, object_hash(r))));

        // Locally: object 0 changed, object 1 gone, a new object 999 spawned; all three
        // are predictions with their confirmed state in the overlay.
        let mut local = records.clone();
        local[0].powered = !local[0].powered;
        let removed = local.remove(1);
        let mut spawned = records[2].clone();
        spawned.id = ObjectId::new(1, 999);
        local.push(spawned.clone());
        let local_tree = DigestTree::from_hashes(local.iter().map(|r| (r.id, object_hash(r))));
        let mut overlay = ConfirmedOverlay::default();
        overlay.remember(records[0].id, Some(records[0].clone()));
        overlay.remember(removed.id, Some(removed.clone()));
        overlay.remember(spawned.id, None);

        let view = ConfirmedView::new(&local_tree, &overlay);
        assert_ne!(local_tree.root(), confirmed_tree.root());
        assert_eq!(view.node(NodeRef::ROOT), confirmed_tree.root());
        for id in [records[0].id, removed.id, spawned.id] {
            let leaf = leaf_of(id);
            let expected: Vec<(ObjectId, u64)> = confirmed_tree.leaf_objects(leaf).collect();
            assert_eq!(view.leaf_objects(leaf), expected);
            for level in 0..=racksync_protocol::audit::TREE_DEPTH {
                let node = NodeRef {
                    level,
                    index: racksync_protocol::audit::ancestor(leaf, level),
                };
                assert_eq!(view.node(node), confirmed_tree.node(node));
            }
        }
    }
}
