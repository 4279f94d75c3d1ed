//! What the simulation has done.

use bevy_ecs::prelude::*;

/// Counters of the host simulation.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SimulationStats {
    /// Wear steps queued.
    pub wear_steps: u64,
    /// Random failures queued.
    pub random_failures: u64,
}
