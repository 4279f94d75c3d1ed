//! The wear clock: running time of devices, advanced in coarse steps.

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
    /// Whether the wear step queued in this fixed tick is still to be seen by
    /// [`crate::inject_failures`].
    pub stepped: bool,
}

/// Accumulates fixed time and queues one [`Action::Wear`] per `wear_every`. Runs in
/// [`crate::SimulationSystems::Wear`] in FixedUpdate on the host.
///
/// The fixed clock advances by exactly one timestep per tick, so the steps depend only
/// on the tick count, never on wall-clock jitter.
pub fn advance_wear(
    time: Res<Time<Fixed>>,
    settings: Res<SimulationSettings>,
    index: Res<WorldIndex>,
    mut clock: ResMut<WearClock>,
    mut actions: ResMut<HostActions>,
    mut stats: ResMut<SimulationStats>,
) {
    clock.stepped = false;
    if !settings.enabled || settings.wear_every.is_zero() {
        return;
    }
    clock.since_step += time.delta();
    if clock.since_step < settings.wear_every {
        return;
    }
    clock.since_step -= settings.wear_every;
    clock.stepped = true;
    if index.running().next().is_none() {
        // Nothing runs: no step to broadcast.
        return;
    }
    actions.0.push(Action::Wear {
        seconds: settings.seconds_per_step(),
    });
    stats.wear_steps += 1;
}
