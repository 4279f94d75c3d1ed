//! The client side of replication: handshake, snapshot download, live updates.

mod audit_inbox;
mod receive;
mod session;

pub use audit_inbox::{AuditInbox, HeldWorldMessage, ReceivedAudit};
pub use receive::{SnapshotDownload, receive_from_host, send_hello, watch_disconnect};
pub use session::{
    ClientSession, ClientSettings, JoinState, LoadProgress, WorldUpdate, WorldUpdates,
};

use crate::sets::{RacksyncSystems, configure_sets};
use bevy_app::prelude::*;
use bevy_ecs::prelude::*;
use bevy_renet::RenetClient;
use racksync_world::WorldObjects;

/// Client replication: joins the host and keeps [`WorldUpdates`] filled.
/// Needs a `RenetClient` resource, a client transport and [`ClientSettings`].
#[derive(Default)]
pub struct ClientReplicationPlugin;

impl Plugin for ClientReplicationPlugin {
    fn build(&self, app: &mut App) {
        configure_sets(app);
        app.world_mut().init_world_resources();
        if !app.is_plugin_added::<crate::presence::ClientPresencePlugin>() {
            app.add_plugins(crate::presence::ClientPresencePlugin);
        }
        if !app.is_plugin_added::<crate::messaging::ClientMessagingPlugin>() {
            app.add_plugins(crate::messaging::ClientMessagingPlugin);
        }
        app.init_resource::<ClientSession>()
            .init_resource::<SnapshotDownload>()
            .init_resource::<WorldUpdates>()
            .init_resource::<HeldWorldMessage>()
            .add_systems(
                Update,
                (
                    (watch_disconnect, receive_from_host)
                        .chain()
                        .in_set(RacksyncSystems::Receive),
                    send_hello.in_set(RacksyncSystems::Send),
                )
                    .run_if(resource_exists::<RenetClient>),
            );
    }
}
