//! The host side of replication: sessions, handshakes and join snapshots.

mod audit_requests;
mod budgets;
mod faults;
mod host_actions;
mod receive;
mod sessions;
mod settings;
mod stream;

pub use audit_requests::{AuditRequests, InboundAudit};
pub use budgets::{
    Admission, BudgetSettings, BudgetStats, ChannelBudget, ClientBudgets, OverBudget,
};
pub use faults::BroadcastFaults;
pub use host_actions::HostActions;
pub use receive::{
    RefusalLog, SnapshotCache, charge, close, close_lingering, receive_from_clients, refuse_kicked,
    send_world, track_connections, valid_name,
};
pub use sessions::{ActionInbox, InboundAction, Session, SessionPhase, Sessions, SnapshotStream};
pub use settings::HostSettings;
pub use stream::stream_snapshots;

use crate::sets::{RacksyncSystems, configure_sets};
use bevy_app::prelude::*;
use bevy_ecs::prelude::*;
use bevy_renet::RenetServer;
use racksync_world::WorldObjects;

/// Host replication: accepts Hellos, welcomes players, streams snapshots.
/// Needs a `RenetServer` resource and a server transport.
#[derive(Default)]
pub struct HostReplicationPlugin;

impl Plugin for HostReplicationPlugin {
    fn build(&self, app: &mut App) {
        configure_sets(app);
        app.world_mut().init_world_resources();
        if !app.is_plugin_added::<crate::presence::HostPresencePlugin>() {
            app.add_plugins(crate::presence::HostPresencePlugin);
        }
        if !app.is_plugin_added::<crate::messaging::HostMessagingPlugin>() {
            app.add_plugins(crate::messaging::HostMessagingPlugin);
        }
        app.init_resource::<HostSettings>()
            .init_resource::<Sessions>()
            .init_resource::<ActionInbox>()
            .init_resource::<HostActions>()
            .init_resource::<SnapshotCache>()
            .init_resource::<BroadcastFaults>()
            .init_resource::<BudgetSettings>()
            .init_resource::<ClientBudgets>()
            .init_resource::<RefusalLog>()
            .add_observer(track_connections)
            .add_observer(refuse_kicked)
            .add_systems(
                Update,
                (
                    receive_from_clients.in_set(RacksyncSystems::Receive),
                    stream_snapshots.in_set(RacksyncSystems::Replicate),
                    close_lingering.in_set(RacksyncSystems::Send),
                )
                    .run_if(resource_exists::<RenetServer>),
            );
    }
}
