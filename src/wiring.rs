//! Putting apps on a network: the in-memory transport or netcode over UDP.
//!
//! Shared by the test harness and the scenario runner, so both wire hosts and clients
//! the same way.

use bevy_app::App;
use racksync_transport::{
    DEFAULT_PROTOCOL_ID, HostSecurity, LinkConditions, MemoryError, MemoryNetwork, TransportError,
    new_client_with_budget, new_server_with_budget, udp_client, udp_server,
};
use std::net::SocketAddr;

/// The network a set of apps shares.
#[derive(Clone, Debug)]
pub enum Wiring {
    /// The in-process network with seeded link conditions.
    Memory(MemoryNetwork),
    /// netcode over UDP, to a host at this address.
    Udp(SocketAddr),
}

/// Why an app could not be put on the network.
#[derive(Debug, thiserror::Error)]
pub enum WiringError {
    /// The memory network refused.
    #[error(transparent)]
    Memory(#[from] MemoryError),
    /// A socket could not be opened.
    #[error(transparent)]
    Transport(#[from] TransportError),
}

impl Wiring {
    /// Inserts into `host` its renet server and the host end of an in-memory network
    /// seeded with `seed`, and returns that wiring.
    pub fn memory_host(
        host: &mut App,
        seed: u64,
        bytes_per_tick: u64,
    ) -> Result<Self, WiringError> {
        let network = MemoryNetwork::new(seed);
        host.insert_resource(new_server_with_budget(bytes_per_tick));
        host.insert_resource(network.host()?);
        Ok(Wiring::Memory(network))
    }

    /// Inserts into `host` its renet server and an unsecure netcode transport bound on
    /// `bind` for up to `max_clients`, and returns the wiring to the address bound.
    pub fn udp_host(
        host: &mut App,
        bind: SocketAddr,
        max_clients: usize,
        bytes_per_tick: u64,
    ) -> Result<Self, WiringError> {
        let (transport, addr) = udp_server(
            bind,
            max_clients,
            DEFAULT_PROTOCOL_ID,
            HostSecurity::Unsecure,
        )?;
        host.insert_resource(new_server_with_budget(bytes_per_tick));
        host.insert_resource(transport);
        Ok(Wiring::Udp(addr))
    }

    /// Inserts into a client app its renet client and transport, connecting as
    /// `client_id`. Link conditions apply in memory only (UDP has the real network's).
    pub fn attach_client(
        &self,
        app: &mut App,
        client_id: u64,
        to_host: LinkConditions,
        to_client: LinkConditions,
        bytes_per_tick: u64,
    ) -> Result<(), WiringError> {
        app.insert_resource(new_client_with_budget(bytes_per_tick));
        match self {
            Wiring::Memory(network) => {
                app.insert_resource(network.connect(client_id, to_host, to_client)?);
            }
            Wiring::Udp(addr) => {
                app.insert_resource(udp_client(*addr, client_id, DEFAULT_PROTOCOL_ID)?);
            }
        }
        Ok(())
    }

    /// The memory network, when wired in memory.
    pub fn network(&self) -> Option<&MemoryNetwork> {
        match self {
            Wiring::Memory(network) => Some(network),
            Wiring::Udp(_) => None,
        }
    }
}
