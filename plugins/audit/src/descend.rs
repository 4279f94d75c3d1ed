//! Client: comparing the host's digests with the confirmed world and applying fixes,
//! as pure functions of the world.

use crate::answer::child_digests;
use crate::confirmed::ConfirmedView;
use crate::wire_digest::{node_digest, object_digest};
use bevy_ecs::prelude::*;
use racksync_protocol::audit::{TREE_DEPTH, TREE_FANOUT};
use racksync_protocol::{LeafObjects, NodeDigests, NodeRef, ObjectFix};
use racksync_world::{ConfirmedOverlay, ReadObjects, WorldObjects};

/// What the client asks next after comparing one host answer.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct NextRequests {
    /// Inner nodes that differ, with the client's children digests.
    pub nodes: Vec<NodeDigests>,
    /// Leaves that differ, with the client's objects.
    pub leaves: Vec<LeafObjects>,
}

impl NextRequests {
    /// True when nothing differs.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.leaves.is_empty()
    }
}

/// Why a host answer could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadAnswer {
    /// A node outside the tree or at the leaf level.
    #[error("host sent digests for impossible node {0:?}")]
    Node(NodeRef),
    /// A node with the wrong number of child digests.
    #[error("host sent {got} child digests for node {node:?}")]
    ChildCount {
        /// The node.
        node: NodeRef,
        /// How many digests came.
        got: usize,
    },
}

/// The first request of a round: the client's digests of the root's children.
pub fn root_request(view: &ConfirmedView<'_>, round: u32) -> NodeDigests {
    NodeDigests {
        node: NodeRef::ROOT,
        children: child_digests(|n| view.node(n), NodeRef::ROOT, round),
    }
}

/// Compares the host's children digests with the confirmed world and builds the next
/// requests: children digests of differing inner nodes, objects of differing leaves.
pub fn compare_nodes(
    view: &ConfirmedView<'_>,
    round: u32,
    host: &[NodeDigests],
) -> Result<NextRequests, BadAnswer> {
    for entry in host {
        if !entry.node.is_valid() || entry.node.level >= TREE_DEPTH {
            return Err(BadAnswer::Node(entry.node));
        }
        if entry.children.len() != TREE_FANOUT {
            return Err(BadAnswer::ChildCount {
                node: entry.node,
                got: entry.children.len(),
            });
        }
    }
    let mut next = NextRequests::default();
    for entry in host {
        for (slot, theirs) in entry.children.iter().enumerate() {
            let child = entry.node.child(slot);
            if node_digest(view.node(child), round) == *theirs {
                continue;
            }
            if child.level == TREE_DEPTH {
                next.leaves.push(LeafObjects {
                    leaf: child.index,
                    objects: view
                        .leaf_objects(child.index)
                        .into_iter()
                        .map(|(id, hash)| (id, object_digest(hash, round)))
                        .collect(),
                });
            } else {
                next.nodes.push(NodeDigests {
                    node: child,
                    children: child_digests(|n| view.node(n), child, round),
                });
            }
        }
    }
    // The host requires strictly ascending lists; answers may interleave subtrees.
    next.nodes.sort_unstable_by_key(|n| n.node);
    next.nodes.dedup_by_key(|n| n.node);
    next.leaves.sort_unstable_by_key(|l| l.leaf);
    next.leaves.dedup_by_key(|l| l.leaf);
    Ok(next)
}

/// Applies the host's fixes to the confirmed world; returns how many objects changed.
///
/// An object with a pending prediction keeps its predicted local state: only its
/// confirmed state in the overlay changes, and rollback is asked to rebase its
/// predictions. Any other object is written through the world store, so indexes,
/// hashes and digests follow.
pub fn apply_fixes(world: &mut World, fixes: Vec<ObjectFix>) -> u64 {
    let mut changed = 0;
    for fix in fixes {
        let (id, state) = match fix {
            ObjectFix::State(record) => (record.id, Some(record)),
            ObjectFix::Absent(id) => (id, None),
        };
        let mut overlay = world.resource_mut::<ConfirmedOverlay>();
        if let Some(confirmed) = overlay.get(id) {
            if *confirmed != state {
                overlay.correct(id, state);
                changed += 1;
            }
            continue;
        }
        let local = world.object(id);
        if local == state {
            continue;
        }
        changed += 1;
        match state {
            Some(record) => {
                // `write_object` keeps an object's kind; a different kind means a
                // different object, so it is replaced whole.
                if local.is_some_and(|l| l.kind != record.kind) {
                    world.despawn_object(id);
                }
                world.write_object(record);
            }
            None => {
                world.despawn_object(id);
            }
        }
        // Predictions on other objects may depend on this one (a slot, a hand).
        let mut overlay = world.resource_mut::<ConfirmedOverlay>();
        if !overlay.is_empty() {
            overlay.request_rebase();
        }
    }
    changed
}
