//! Counts of a world's objects by kind, for `racksync world stats`.

use crate::digest::{WorldDigest, object_hash};
use racksync_protocol::{ObjectKind, ObjectRecord};
use std::fmt;

/// Object counts by kind and the world digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorldStats {
    /// `(kind, count)` for every kind, in wire order.
    pub by_kind: Vec<(ObjectKind, usize)>,
    /// The canonical digest.
    pub digest: WorldDigest,
}

impl WorldStats {
    /// Statistics of a set of objects.
    pub fn of<'a>(objects: impl IntoIterator<Item = &'a ObjectRecord>) -> Self {
        let mut counts = [0usize; ObjectKind::ALL.len()];
        let mut digest = WorldDigest::default();
        for record in objects {
            counts[usize::from(record.kind.code())] += 1;
            digest.add(object_hash(record));
        }
        Self {
            by_kind: ObjectKind::ALL.iter().copied().zip(counts).collect(),
            digest,
        }
    }
}

impl fmt::Display for WorldStats {
    /// One line per kind, then the `objects=N digest=D` line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (kind, count) in &self.by_kind {
            writeln!(f, "{:<12} {count}", kind.name())?;
        }
        write!(f, "{}", self.digest)
    }
}
