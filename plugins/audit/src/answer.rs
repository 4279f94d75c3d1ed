//! Host: answering one descent request, as a pure function of the world.
//!
//! The host keeps no per-descent state: every request carries the client's digests,
//! and the answer is the host's view one level further down (or the objects that
//! differ), at the host's current revision. Requests are validated completely before
//! any work: a malformed request is a protocol violation, never a panic.

use crate::chunk::encoded_len;
use crate::wire_digest::{node_digest, object_digest};
use bevy_ecs::prelude::*;
use racksync_protocol::audit::{TREE_DEPTH, TREE_FANOUT, TREE_LEAVES, leaf_of};
use racksync_protocol::{Digest32, LeafObjects, NodeDigests, NodeRef, ObjectFix, ObjectId};
use racksync_world::{DigestTree, ReadObjects};
use std::cmp::Ordering;

/// Why a request was refused as a protocol violation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    /// A request with nothing in it.
    #[error("empty audit request")]
    Empty,
    /// A node outside the tree.
    #[error("audit node {0:?} does not exist")]
    NoSuchNode(NodeRef),
    /// A node whose grandchildren would lie below the leaves.
    #[error("audit node {0:?} is too deep to descend from")]
    TooDeep(NodeRef),
    /// A node with the wrong number of child digests.
    #[error("audit node {node:?} carries {got} child digests")]
    ChildCount {
        /// The node.
        node: NodeRef,
        /// How many digests it carried.
        got: usize,
    },
    /// Nodes not in strictly ascending order (or repeated).
    #[error("audit nodes out of order at {0:?}")]
    NodeOrder(NodeRef),
    /// A leaf index outside the tree.
    #[error("audit leaf {0} does not exist")]
    NoSuchLeaf(u32),
    /// Leaves not in strictly ascending order (or repeated).
    #[error("audit leaves out of order at {0}")]
    LeafOrder(u32),
    /// An object listed under a leaf it does not belong to.
    #[error("object {id} does not belong to audit leaf {leaf}")]
    WrongLeaf {
        /// The object.
        id: ObjectId,
        /// The leaf it was listed under.
        leaf: u32,
    },
    /// Objects of a leaf not in strictly ascending order (or repeated).
    #[error("objects of audit leaf {0} out of order")]
    ObjectOrder(u32),
    /// A request arrived before the host audited this client.
    #[error("audit request before any audit")]
    Unsolicited,
}

/// An answer cut to the budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer<T> {
    /// What to send.
    pub items: Vec<T>,
    /// Encoded bytes of the items.
    pub bytes: usize,
    /// True when the budget cut the answer short.
    pub truncated: bool,
}

impl<T: serde::Serialize> Answer<T> {
    fn new() -> Self {
        Self {
            items: Vec::new(),
            bytes: 0,
            truncated: false,
        }
    }

    /// Adds `item` if it fits the budget; returns false (and marks the answer cut)
    /// otherwise.
    fn push(&mut self, item: T, budget: usize) -> bool {
        let size = encoded_len(&item);
        if self.bytes + size > budget {
            self.truncated = true;
            return false;
        }
        self.bytes += size;
        self.items.push(item);
        true
    }
}

/// Checks a `Nodes` request: every node exists, has grandchildren, carries one digest
/// per child, and nodes ascend strictly.
pub fn validate_nodes(nodes: &[NodeDigests]) -> Result<(), Violation> {
    if nodes.is_empty() {
        return Err(Violation::Empty);
    }
    let mut previous: Option<NodeRef> = None;
    for entry in nodes {
        let node = entry.node;
        if !node.is_valid() {
            return Err(Violation::NoSuchNode(node));
        }
        if node.level + 2 > TREE_DEPTH {
            return Err(Violation::TooDeep(node));
        }
        if entry.children.len() != TREE_FANOUT {
            return Err(Violation::ChildCount {
                node,
                got: entry.children.len(),
            });
        }
        if previous.is_some_and(|p| p >= node) {
            return Err(Violation::NodeOrder(node));
        }
        previous = Some(node);
    }
    Ok(())
}

/// The digests of a node's children, salted with `round`.
pub fn child_digests(
    digest_of: impl Fn(NodeRef) -> racksync_world::NodeSum,
    node: NodeRef,
    round: u32,
) -> Vec<Digest32> {
    (0..TREE_FANOUT)
        .map(|slot| node_digest(digest_of(node.child(slot)), round))
        .collect()
}

/// For every child whose digest differs from the client's, the host's digests of that
/// child's children; at most `budget` encoded bytes.
pub fn answer_nodes(
    tree: &DigestTree,
    round: u32,
    nodes: &[NodeDigests],
    budget: usize,
) -> Result<Answer<NodeDigests>, Violation> {
    validate_nodes(nodes)?;
    let mut answer = Answer::new();
    for entry in nodes {
        for (slot, theirs) in entry.children.iter().enumerate() {
            let child = entry.node.child(slot);
            if node_digest(tree.node(child), round) == *theirs {
                continue;
            }
            let ours = NodeDigests {
                node: child,
                children: child_digests(|n| tree.node(n), child, round),
            };
            if !answer.push(ours, budget) {
                return Ok(answer);
            }
        }
    }
    Ok(answer)
}

/// Checks an `Objects` request: leaves exist and ascend strictly; each leaf's objects
/// belong to it and ascend strictly.
pub fn validate_leaves(leaves: &[LeafObjects]) -> Result<(), Violation> {
    if leaves.is_empty() {
        return Err(Violation::Empty);
    }
    let mut previous: Option<u32> = None;
    for entry in leaves {
        let leaf = entry.leaf;
        if leaf >= TREE_LEAVES {
            return Err(Violation::NoSuchLeaf(leaf));
        }
        if previous.is_some_and(|p| p >= leaf) {
            return Err(Violation::LeafOrder(leaf));
        }
        previous = Some(leaf);
        let mut last: Option<ObjectId> = None;
        for (id, _) in &entry.objects {
            if leaf_of(*id) != leaf {
                return Err(Violation::WrongLeaf { id: *id, leaf });
            }
            if last.is_some_and(|l| l >= *id) {
                return Err(Violation::ObjectOrder(leaf));
            }
            last = Some(*id);
        }
    }
    Ok(())
}

/// The fixes for the listed leaves: the host's state of every object the client lacks
/// or holds differently, and `Absent` for every object only the client has; at most
/// `budget` encoded bytes.
pub fn answer_objects(
    world: &World,
    tree: &DigestTree,
    round: u32,
    leaves: &[LeafObjects],
    budget: usize,
) -> Result<Answer<ObjectFix>, Violation> {
    validate_leaves(leaves)?;
    let mut answer = Answer::new();
    for entry in leaves {
        let ours: Vec<(ObjectId, u64)> = tree.leaf_objects(entry.leaf).collect();
        let theirs = &entry.objects;
        let (mut i, mut j) = (0, 0);
        // A merge of two id-sorted lists.
        while i < ours.len() || j < theirs.len() {
            let order = match (ours.get(i), theirs.get(j)) {
                (Some(o), Some(t)) => o.0.cmp(&t.0),
                (Some(_), None) => Ordering::Less,
                (None, _) => Ordering::Greater,
            };
            let fix = match order {
                Ordering::Less => {
                    i += 1;
                    world.object(ours[i - 1].0).map(ObjectFix::State)
                }
                Ordering::Greater => {
                    j += 1;
                    Some(ObjectFix::Absent(theirs[j - 1].0))
                }
                Ordering::Equal => {
                    let (id, hash) = ours[i];
                    let same = object_digest(hash, round) == theirs[j].1;
                    i += 1;
                    j += 1;
                    if same {
                        None
                    } else {
                        world.object(id).map(ObjectFix::State)
                    }
                }
            };
            if let Some(fix) = fix
                && !answer.push(fix, budget)
            {
                return Ok(answer);
            }
        }
    }
    Ok(answer)
}
