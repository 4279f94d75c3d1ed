//! racksync auditing: periodic digest audits and hierarchical resync.
//!
//! Every object has a canonical hash and the world a digest tree (both maintained
//! incrementally by `racksync_world`'s store). Every [`AuditSettings::interval`] the
//! host sends each playing client its root digest, tagged with its revision, on the
//! ordered `world` channel. The client compares its *confirmed* world (predictions of
//! its pending actions taken out through the [`racksync_world::ConfirmedOverlay`]) at
//! exactly that revision. On a mismatch it descends the tree with the host, one level
//! per message, alternating who compares:
//!
//! ```text
//! host   Root{revision, digest}                      (12-20 bytes; nothing comes back if equal)
//! client Nodes{root's 16 children digests}           ┐ round trip 1
//! host   Nodes{children of each differing level-1}   ┘
//! client Nodes{children of each differing level-3}   ┐ round trip 2
//! host   Nodes{leaf digests of each differing level-3}┘
//! client Objects{(id, hash) of each differing leaf}  ┐ round trip 3
//! host   Objects{full state or Absent per object}    ┘
//! ```
//!
//! The host keeps no descent state (each request carries what it needs) and answers at
//! its current revision, which is where the client is when it reads the answer. The
//! audit never depends on the rollback plugin; rollback rebases its predictions when
//! the audit corrects a confirmed state.

pub mod answer;
pub mod chunk;
pub mod client;
pub mod confirmed;
pub mod descend;
pub mod host;
pub mod inject;
pub mod settings;
pub mod stats;
pub mod wire_digest;

pub use client::{ClientAuditState, client_audit};
pub use confirmed::ConfirmedView;
pub use host::{HostAuditState, answer_audit_requests, send_audit_roots};
pub use inject::{Desync, Field, InjectError, drop_next_broadcast, inject};
pub use settings::{AuditSettings, DEFAULT_AUDIT_INTERVAL};
pub use stats::AuditStats;

use bevy_app::prelude::*;
use bevy_ecs::prelude::*;
use bevy_renet::{RenetClient, RenetServer};
use racksync_replication::client::AuditInbox;
use racksync_replication::host::AuditRequests;
use racksync_replication::{ClientReplicationPlugin, HostReplicationPlugin, RacksyncSystems};

/// Host auditing: periodic roots and answers to descents. Adds
/// [`HostReplicationPlugin`] if it is missing.
#[derive(Clone, Debug, Default)]
pub struct HostAuditPlugin {
    /// Interval and answer budget (inserted as the [`AuditSettings`] resource, which
    /// may be replaced at run time).
    pub settings: AuditSettings,
}

impl Plugin for HostAuditPlugin {
    fn build(&self, app: &mut App) {
        if !app.is_plugin_added::<HostReplicationPlugin>() {
            app.add_plugins(HostReplicationPlugin);
        }
        app.insert_resource(self.settings.clone())
            .init_resource::<HostAuditState>()
            .init_resource::<AuditStats>()
            .init_resource::<AuditRequests>()
            .add_systems(
                Update,
                (answer_audit_requests, send_audit_roots)
                    .chain()
                    .in_set(RacksyncSystems::Audit)
                    .run_if(resource_exists::<RenetServer>),
            );
    }
}

/// Client auditing: compares roots with the confirmed world, descends, applies fixes.
/// Adds [`ClientReplicationPlugin`] if it is missing.
#[derive(Clone, Debug, Default)]
pub struct ClientAuditPlugin;

impl Plugin for ClientAuditPlugin {
    fn build(&self, app: &mut App) {
        if !app.is_plugin_added::<ClientReplicationPlugin>() {
            app.add_plugins(ClientReplicationPlugin);
        }
        app.init_resource::<ClientAuditState>()
            .init_resource::<AuditStats>()
            .init_resource::<AuditInbox>()
            .add_systems(
                Update,
                client_audit
                    .in_set(RacksyncSystems::Audit)
                    .run_if(resource_exists::<RenetClient>),
            );
    }
}
