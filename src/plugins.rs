//! Plugin groups for the host, the client and headless apps.

use crate::durability::DurabilityPlugin;
use bevy_app::{PluginGroup, PluginGroupBuilder, TaskPoolPlugin};
use racksync_audit::{ClientAuditPlugin, HostAuditPlugin};
use racksync_authority::AuthorityPlugin;
use racksync_rollback::RollbackPlugin;
use racksync_simulation::SimulationPlugin;
use racksync_transport::{ClientTransportPlugin, ServerTransportPlugin};

/// Everything a dedicated host runs: renet with both transports (whichever transport
/// resource is inserted is used), host replication, authority, simulation, auditing and
/// durability (inert until [`crate::durability::attach`] makes the world durable). Change the
/// audit interval with `.set(HostAuditPlugin { settings })` or by replacing the
/// `AuditSettings` resource.
pub struct HostPlugins;

impl PluginGroup for HostPlugins {
    fn build(self) -> PluginGroupBuilder {
        PluginGroupBuilder::start::<Self>()
            .add(ServerTransportPlugin)
            .add(AuthorityPlugin)
            .add(SimulationPlugin)
            .add(HostAuditPlugin::default())
            .add(DurabilityPlugin)
    }
}

/// What a game client embeds: renet with both transports, client replication,
/// rollback and auditing. Change the ACK timeout with `.set(RollbackPlugin { ack_timeout })`.
pub struct ClientPlugins;

impl PluginGroup for ClientPlugins {
    fn build(self) -> PluginGroupBuilder {
        PluginGroupBuilder::start::<Self>()
            .add(ClientTransportPlugin)
            .add(RollbackPlugin::default())
            .add(ClientAuditPlugin)
    }
}

/// The Bevy plugins a headless app needs: task pools and time. (Bevy's `MinimalPlugins`
/// lives in the umbrella crate racksync does not use.)
pub struct HeadlessPlugins;

impl PluginGroup for HeadlessPlugins {
    fn build(self) -> PluginGroupBuilder {
        PluginGroupBuilder::start::<Self>()
            .add(TaskPoolPlugin::default())
            .add(bevy_time::TimePlugin)
    }
}
