//! The resources that hold every peer's [`ConnectionInfo`], refreshed each frame.

use std::collections::BTreeMap;

use bevy_app::{App, Plugin, PostUpdate};
use bevy_ecs::prelude::*;
use bevy_renet::{RenetClient, RenetSend, RenetServer};
use bevy_time::{Real, Time};
use renet::ClientId;

use super::{ConnectionInfo, client_connection_info, host_connection_info};
use crate::traffic::{ClientTraffic, HostTraffic};

/// Where connection info is refreshed: in `PostUpdate`, after [`RenetSend`], so the
/// figures include this frame's packets and the pending bytes are what the send left
/// behind. Systems that read [`HostConnections`] or [`ClientConnection`] in `Update`
/// see the previous frame's figures; order after this set to see this frame's.
#[derive(SystemSet, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConnectionInfoSystems;

/// The host's view of every client connection its [`RenetServer`] holds, by client
/// id; empty without a server. Refreshed in [`ConnectionInfoSystems`].
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct HostConnections(pub BTreeMap<ClientId, ConnectionInfo>);

impl HostConnections {
    /// `client`'s connection, while the server holds it.
    pub fn get(&self, client: ClientId) -> Option<&ConnectionInfo> {
        self.0.get(&client)
    }

    /// Every connection, in client id order.
    pub fn iter(&self) -> impl Iterator<Item = (ClientId, &ConnectionInfo)> {
        self.0.iter().map(|(&client, info)| (client, info))
    }
}

/// A client's view of its connection to the host; disconnected without a
/// [`RenetClient`]. Refreshed in [`ConnectionInfoSystems`].
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct ClientConnection(pub ConnectionInfo);

/// Keeps [`HostConnections`] up to date (with [`HostTraffic`], which the host
/// transports fill). Added by [`crate::ServerTransportPlugin`].
pub struct HostConnectionInfoPlugin;

impl Plugin for HostConnectionInfoPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<HostTraffic>()
            .init_resource::<HostConnections>()
            .configure_sets(PostUpdate, ConnectionInfoSystems.after(RenetSend))
            .add_systems(
                PostUpdate,
                refresh_host_connections.in_set(ConnectionInfoSystems),
            );
    }
}

/// Keeps [`ClientConnection`] up to date (with [`ClientTraffic`], which the client
/// transports fill). Added by [`crate::ClientTransportPlugin`].
pub struct ClientConnectionInfoPlugin;

impl Plugin for ClientConnectionInfoPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<ClientTraffic>()
            .init_resource::<ClientConnection>()
            .configure_sets(PostUpdate, ConnectionInfoSystems.after(RenetSend))
            .add_systems(
                PostUpdate,
                refresh_client_connection.in_set(ConnectionInfoSystems),
            );
    }
}

fn refresh_host_connections(
    server: Option<Res<RenetServer>>,
    traffic: Res<HostTraffic>,
    time: Res<Time<Real>>,
    mut connections: ResMut<HostConnections>,
) {
    connections.0.clear();
    let Some(server) = server else {
        return;
    };
    let now = time.elapsed();
    for client in server
        .clients_id_iter()
        .chain(server.disconnections_id_iter())
    {
        let info = host_connection_info(&server, &traffic, client, now);
        connections.0.insert(client, info);
    }
}

fn refresh_client_connection(
    client: Option<Res<RenetClient>>,
    traffic: Res<ClientTraffic>,
    time: Res<Time<Real>>,
    mut connection: ResMut<ClientConnection>,
) {
    connection.0 = match client {
        Some(client) => client_connection_info(&client, &traffic, time.elapsed()),
        None => ConnectionInfo::default(),
    };
}
