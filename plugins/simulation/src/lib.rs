//! racksync host simulation: the host runs the world, not just relays it.
//!
//! FixedUpdate systems advance device wear and inject random failures. They never write
//! the world themselves: every change is queued as a host action ([`HostActions`]),
//! which the authority applies and broadcasts like any other action, so every client
//! sees the same breakage at the same revision. For a given seed and number of fixed
//! ticks the simulation queues exactly the same actions.

mod failures;
mod settings;
mod stats;
mod wear;

pub use failures::{SimulationRng, inject_failures};
pub use settings::SimulationSettings;
pub use stats::SimulationStats;
pub use wear::{WearClock, advance_wear};

use bevy_app::prelude::*;
use bevy_ecs::prelude::*;
use bevy_renet::RenetServer;
use racksync_replication::HostActions;

/// The simulation's systems, in FixedUpdate on the host, in this order.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SimulationSystems {
    /// Counts running time and queues [`racksync_protocol::Action::Wear`].
    Wear,
    /// Queues seeded random [`racksync_protocol::Action::Break`]s at wear steps.
    Failures,
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
            .configure_sets(
                FixedUpdate,
                (SimulationSystems::Wear, SimulationSystems::Failures).chain(),
            )
            .add_systems(
                FixedUpdate,
                (
                    advance_wear.in_set(SimulationSystems::Wear),
                    inject_failures.in_set(SimulationSystems::Failures),
                )
                    .run_if(resource_exists::<RenetServer>),
            );
    }
}
