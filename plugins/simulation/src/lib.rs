//! racksync host simulation: the host runs the world, not just relays it.
//!
//! A FixedUpdate system advances device wear and injects random failures. They never write
//! the world themselves: every change is queued as a host action ([`HostActions`]),
//! which the authority applies and broadcasts like any other action, so every client
//! sees the same breakage at the same revision. For a given seed and number of fixed
//! ticks the simulation queues exactly the same actions.

mod failures;
mod settings;
mod stats;
mod wear;

pub use failures::{SimulationRng, roll_failure};
pub use settings::SimulationSettings;
pub use stats::SimulationStats;
pub use wear::{WearClock, step_simulation};

use bevy_app::prelude::*;
use bevy_ecs::prelude::*;
use bevy_renet::RenetServer;
use racksync_replication::HostActions;

/// The simulation's systems, in FixedUpdate on the host.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SimulationSystems {
    /// Counts running time; per step queues [`racksync_protocol::Action::Wear`] and, by
    /// seeded chance, one [`racksync_protocol::Action::Break`].
    Step,
}

/// Host-side simulation of device wear. Settings come from the [`SimulationSettings`]
/// resource, which may be replaced at any time (the RNG reseeds when the seed changes).
#[derive(Default)]
pub struct SimulationPlugin;

impl Plugin for SimulationPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<SimulationSettings>()
            .init_resource::<SimulationStats>()
            .init_resource::<WearClock>()
            .init_resource::<SimulationRng>()
            .init_resource::<HostActions>()
            .add_systems(
                FixedUpdate,
                step_simulation
                    .in_set(SimulationSystems::Step)
                    .run_if(resource_exists::<RenetServer>),
            );
    }
}
