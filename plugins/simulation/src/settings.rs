//! What the simulation does and how fast.

use bevy_ecs::prelude::*;
use core::time::Duration;

/// Settings of the host simulation.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct SimulationSettings {
    /// Whether the simulation runs at all.
    pub enabled: bool,
    /// Fixed time between wear steps. Each step is one broadcast action that rewrites
    /// every running device, so it is coarse on purpose.
    pub wear_every: Duration,
    /// Device running seconds per real second (1 = real time; raise it to see wear in a
    /// test or a demo).
    pub time_scale: u32,
    /// Chance per wear step, in parts per million, that one random running device fails
    /// early.
    pub failure_ppm: u32,
    /// Seed of the failure dice.
    pub seed: u64,
}

impl Default for SimulationSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            wear_every: Duration::from_secs(10),
            time_scale: 1,
            failure_ppm: 2_000,
            seed: 0,
        }
    }
}

impl SimulationSettings {
    /// Device running seconds one wear step accounts for.
    pub fn seconds_per_step(&self) -> u32 {
        let real = u32::try_from(self.wear_every.as_secs()).unwrap_or(u32::MAX);
        real.max(1).saturating_mul(self.time_scale)
    }
}
