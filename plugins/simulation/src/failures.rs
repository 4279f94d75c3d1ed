//! Seeded random early failures.

use crate::settings::SimulationSettings;
use bevy_ecs::prelude::*;
use racksync_protocol::ObjectId;
use racksync_world::WorldIndex;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// The failure dice, seeded from [`SimulationSettings::seed`].
#[derive(Resource, Debug)]
pub struct SimulationRng {
    seed: u64,
    rng: StdRng,
}

impl SimulationRng {
    /// Dice seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// The seed the dice started from.
    pub fn seed(&self) -> u64 {
        self.seed
    }
}

impl Default for SimulationRng {
    fn default() -> Self {
        Self::new(SimulationSettings::default().seed)
    }
}

/// One wear step's roll: with chance `failure_ppm`, one running device picked at random
/// (devices in id order, so the pick is the same on every run) fails early.
pub fn roll_failure(
    rng: &mut SimulationRng,
    settings: &SimulationSettings,
    index: &WorldIndex,
) -> Option<ObjectId> {
    if settings.failure_ppm == 0 {
        return None;
    }
    let roll = rng.rng.random_range(0..1_000_000u32);
    let running = index.running().count();
    if roll >= settings.failure_ppm || running == 0 {
        return None;
    }
    let pick = rng.rng.random_range(0..running);
    index.running().nth(pick)
}
