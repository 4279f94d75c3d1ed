//! racksync client rollback: a player's own actions apply at once, are sent to the host
//! as pending actions, and are reconciled with ACKs, rejections, timeouts and
//! broadcasts so that the client always converges on the host's world.
//!
//! The client keeps the last *confirmed* (host-authoritative) state of every object a
//! locally applied pending action touched. Reconciling means: rewind those objects to
//! their confirmed state, apply what the host decided, then replay the pending actions
//! still in flight (dropping those that no longer validate). Pending actions are only
//! forgotten when their ACK arrives, so a late ACK for a timed-out or dropped action
//! still updates the confirmed world.

mod outcome;
mod pending;
mod reconcile;

pub use outcome::{ActionOutcome, PerformAction, RemoteChange, RollbackStats};
pub use pending::{Pending, PendingActions};
pub use reconcile::{Requests, collect_requests, reconcile};

use bevy_app::prelude::*;
use bevy_ecs::prelude::*;
use bevy_renet::RenetClient;
use core::time::Duration;
use racksync_replication::{ClientReplicationPlugin, RacksyncSystems};

/// How long a pending action waits for its ACK before it is rolled back locally.
pub const DEFAULT_ACK_TIMEOUT: Duration = Duration::from_secs(5);

/// Client-side pending actions and rollback. Adds [`ClientReplicationPlugin`] if missing.
#[derive(Clone, Debug)]
pub struct RollbackPlugin {
    /// ACK timeout (default 5 s).
    pub ack_timeout: Duration,
}

impl Default for RollbackPlugin {
    fn default() -> Self {
        Self {
            ack_timeout: DEFAULT_ACK_TIMEOUT,
        }
    }
}

/// Settings of the rollback plugin, as a resource.
#[derive(Resource, Clone, Debug)]
pub struct RollbackSettings {
    /// ACK timeout.
    pub ack_timeout: Duration,
}

impl Plugin for RollbackPlugin {
    fn build(&self, app: &mut App) {
        if !app.is_plugin_added::<ClientReplicationPlugin>() {
            app.add_plugins(ClientReplicationPlugin);
        }
        app.insert_resource(RollbackSettings {
            ack_timeout: self.ack_timeout,
        })
        .init_resource::<PendingActions>()
        .init_resource::<Requests>()
        .init_resource::<RollbackStats>()
        .add_message::<PerformAction>()
        .add_message::<ActionOutcome>()
        .add_message::<RemoteChange>()
        .add_systems(
            Update,
            (collect_requests, reconcile)
                .chain()
                .in_set(RacksyncSystems::Process)
                .run_if(resource_exists::<RenetClient>),
        );
    }
}
