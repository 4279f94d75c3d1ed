//! The embedded default world (`assets/worlds/default.ron`).

use racksync_world::{SaveError, WorldSave};

/// RON text of the default world, embedded in the binary.
pub const DEFAULT_WORLD_RON: &str = include_str!("../assets/worlds/default.ron");

/// The default world, parsed and checked.
pub fn default_world() -> Result<WorldSave, SaveError> {
    WorldSave::from_ron(DEFAULT_WORLD_RON)
}
