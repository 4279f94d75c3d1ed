//! The plugins the rest of racksync adds, and the renet endpoints they drive.

use bevy_app::{App, Plugin};
use bevy_renet::{RenetClient, RenetClientPlugin, RenetServer, RenetServerPlugin};
use racksync_protocol::{DEFAULT_BYTES_PER_TICK, connection_config};

use crate::connection_info::{ClientConnectionInfoPlugin, HostConnectionInfoPlugin};
use crate::memory::{MemoryClientTransportPlugin, MemoryServerTransportPlugin};
use crate::udp_client_transport::UdpClientTransportPlugin;
use crate::udp_host::UdpServerTransportPlugin;

/// Everything a host App needs to run a [`RenetServer`] over either transport:
/// bevy_renet's [`RenetServerPlugin`], racksync's guarded [`UdpServerTransportPlugin`],
/// and [`MemoryServerTransportPlugin`], with the shared [`crate::PacketGuard`], and
/// [`HostConnectionInfoPlugin`] for every client's [`crate::ConnectionInfo`].
///
/// Every system is gated on its resources, so the transport that runs is the one whose
/// resource was inserted: [`crate::UdpServerTransport`] (see [`crate::udp_server`]) or
/// [`crate::MemoryServerTransport`]. Needs `Time<Real>`, i.e. `bevy_time::TimePlugin`.
pub struct ServerTransportPlugin;

impl Plugin for ServerTransportPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins((
            RenetServerPlugin,
            UdpServerTransportPlugin,
            MemoryServerTransportPlugin,
            HostConnectionInfoPlugin,
        ));
    }
}

/// Everything a client App needs to run a [`RenetClient`] over either transport:
/// bevy_renet's [`RenetClientPlugin`], racksync's [`UdpClientTransportPlugin`] (in
/// place of bevy_renet's `NetcodeClientPlugin`, so that datagrams are counted) and
/// [`MemoryClientTransportPlugin`], and [`ClientConnectionInfoPlugin`] for the
/// client's [`crate::ConnectionInfo`].
///
/// The transport that runs is the one whose resource was inserted:
/// [`crate::UdpClientTransport`] (see [`crate::udp_client`]) or
/// [`crate::MemoryClientTransport`]. Needs `Time<Real>`, i.e. `bevy_time::TimePlugin`.
pub struct ClientTransportPlugin;

impl Plugin for ClientTransportPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins((
            RenetClientPlugin,
            UdpClientTransportPlugin,
            MemoryClientTransportPlugin,
            ClientConnectionInfoPlugin,
        ));
    }
}

/// A [`RenetServer`] with racksync's channel table and the default byte budget.
pub fn new_server() -> RenetServer {
    new_server_with_budget(DEFAULT_BYTES_PER_TICK)
}

/// A [`RenetServer`] with racksync's channel table and `bytes_per_tick` per connection.
pub fn new_server_with_budget(bytes_per_tick: u64) -> RenetServer {
    RenetServer::new(connection_config(bytes_per_tick))
}

/// A [`RenetClient`] with racksync's channel table and the default byte budget.
pub fn new_client() -> RenetClient {
    new_client_with_budget(DEFAULT_BYTES_PER_TICK)
}

/// A [`RenetClient`] with racksync's channel table and `bytes_per_tick`.
pub fn new_client_with_budget(bytes_per_tick: u64) -> RenetClient {
    RenetClient::new(connection_config(bytes_per_tick))
}
