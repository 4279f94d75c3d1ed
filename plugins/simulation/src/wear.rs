//! The wear clock: running time of devices, advanced in coarse steps.

use crate::failures::{SimulationRng, roll_failure};
use crate::settings::SimulationSettings;
use crate::stats::SimulationStats;
use bevy_ecs::prelude::*;
use bevy_time::{Fixed, Time};
use core::time::Duration;
use racksync_protocol::Action;
use racksync_replication::HostActions;
use racksync_world::WorldIndex;

/// Fixed time accumulated since the last wear step.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WearClock {
    /// Time since the last step.
    pub since_step: Duration,
}

/// Accumulates fixed time; once per `wear_every` queues one [`Action::Wear`] and rolls
/// the failure dice. Runs in [`crate::SimulationSystems::Step`] in FixedUpdate on the
/// host.
///
/// The fixed clock advances by exactly one timestep per tick, so the steps depend only
/// on the tick count, never on wall-clock jitter.
pub fn step_simulation(
    time: Res<Time<Fixed>>,
    settings: Res<SimulationSettings>,
    index: Res<WorldIndex>,
    mut clock: ResMut<WearClock>,
    mut rng: ResMut<SimulationRng>,
    mut actions: ResMut<HostActions>,
    mut stats: ResMut<SimulationStats>,
) {
    if rng.seed() != settings.seed {
        *rng = SimulationRng::new(settings.seed);
    }
    if !settings.enabled || settings.wear_every.is_zero() {
        return;
    }
    clock.since_step += time.delta();
    if clock.since_step < settings.wear_every {
        return;
    }
    clock.since_step -= settings.wear_every;
    if index.running().next().is_none() {
        // Nothing runs: nothing wears and nothing can fail.
        return;
    }
    actions.0.push(Action::Wear {
        seconds: settings.seconds_per_step(),
    });
    stats.wear_steps += 1;
    if let Some(object) = roll_failure(&mut rng, &settings, &index) {
        actions.0.push(Action::Break { object });
        stats.random_failures += 1;
    }
}
