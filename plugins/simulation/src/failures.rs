//! Seeded random early failures.

use crate::settings::SimulationSettings;
use crate::stats::SimulationStats;
use crate::wear::WearClock;
use bevy_ecs::prelude::*;
use racksync_protocol::Action;
use racksync_replication::HostActions;
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
}

impl Default for SimulationRng {
    fn default() -> Self {
        Self::new(SimulationSettings::default().seed)
    }
}

/// At each wear step, with chance `failure_ppm`, queues an [`Action::Break`] of one
/// running device picked at random (devices in id order, so the pick is the same on
/// every run). Runs in [`crate::SimulationSystems::Failures`] in FixedUpdate on the host.
pub fn inject_failures(
    settings: Res<SimulationSettings>,
    clock: Res<WearClock>,
    index: Res<WorldIndex>,
    mut rng: ResMut<SimulationRng>,
    mut actions: ResMut<HostActions>,
    mut stats: ResMut<SimulationStats>,
) {
    if rng.seed != settings.seed {
        *rng = SimulationRng::new(settings.seed);
    }
    if !clock.stepped || settings.failure_ppm == 0 {
        return;
    }
    let roll = rng.rng.random_range(0..1_000_000u32);
    let running = index.running().count();
    if roll >= settings.failure_ppm || running == 0 {
        return;
    }
    let pick = rng.rng.random_range(0..running);
    if let Some(object) = index.running().nth(pick) {
        actions.0.push(Action::Break { object });
        stats.random_failures += 1;
    }
}
