//! racksync host authority: every action is validated against the world rules, ACKed to
//! its actor, applied, and broadcast to everyone else, one at a time in arrival order so
//! that conflicting actions are serialized and exactly one of them wins.

mod decide;
mod release;

pub use decide::{ActionApplied, AuthorityStats, decide_actions};
pub use racksync_replication::HostActions;
pub use release::{release_on_leave, release_spot};

use bevy_app::prelude::*;
use bevy_ecs::prelude::*;
use bevy_renet::RenetServer;
use racksync_replication::{HostReplicationPlugin, RacksyncSystems};

/// Host authority. Adds [`HostReplicationPlugin`] if it is missing.
#[derive(Default)]
pub struct AuthorityPlugin;

impl Plugin for AuthorityPlugin {
    fn build(&self, app: &mut App) {
        if !app.is_plugin_added::<HostReplicationPlugin>() {
            app.add_plugins(HostReplicationPlugin);
        }
        app.init_resource::<AuthorityStats>()
            .add_message::<ActionApplied>()
            .add_systems(
                Update,
                (release_on_leave, decide_actions)
                    .chain()
                    .in_set(RacksyncSystems::Process)
                    .run_if(resource_exists::<RenetServer>),
            );
    }
}
