//! The body of a join snapshot: world settings plus every object, sorted by id.

use crate::placement::PosMm;
use crate::record::ObjectRecord;
use serde::{Deserialize, Serialize};

/// The box positions must stay inside, in millimetres (inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WorldBounds {
    /// Smallest corner.
    pub min: PosMm,
    /// Largest corner.
    pub max: PosMm,
}

impl WorldBounds {
    /// True when `pos` lies inside the box.
    pub fn contains(&self, pos: PosMm) -> bool {
        (self.min.x..=self.max.x).contains(&pos.x)
            && (self.min.y..=self.max.y).contains(&pos.y)
            && (self.min.z..=self.max.z).contains(&pos.z)
    }
}

impl Default for WorldBounds {
    /// 200 m × 10 m × 200 m centred on the origin, floor at 0.
    fn default() -> Self {
        Self {
            min: PosMm::new(-100_000, 0, -100_000),
            max: PosMm::new(100_000, 10_000, 100_000),
        }
    }
}

/// World-wide settings every rule needs besides the objects.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WorldSettings {
    /// Where objects may be placed.
    pub bounds: WorldBounds,
    /// Ids of known customers, ascending.
    pub customers: Vec<u32>,
}

/// A complete world at one revision, as sent to a joining client (then compressed and
/// chunked on the `bulk` channel).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotBody {
    /// World-wide settings.
    pub settings: WorldSettings,
    /// Every object, ascending by id.
    pub objects: Vec<ObjectRecord>,
}
