//! racksync's transports: how renet packets move between the host and its clients.
//!
//! Two transports drive the same `bevy_renet` endpoints ([`bevy_renet::RenetServer`]
//! on the host, [`bevy_renet::RenetClient`] on clients):
//!
//! * **UDP** ([`udp_server`], [`udp_client`]): netcode over real sockets, in netcode's
//!   unsecure mode (loopback) or its secure mode, where only clients holding a connect
//!   token signed with the host's key get in ([`secure`]). Both ends drive renetcode
//!   with racksync's own transports: the host's ([`UdpServerTransport`]) so that every
//!   payload passes the [`PacketGuard`] before renet sees it, the client's
//!   ([`UdpClientTransport`]) so that its datagrams can be counted.
//! * **Memory** ([`MemoryNetwork`]): an in-process datagram network for tests and
//!   simulations, where one host App and any number of client Apps in the same process
//!   exchange datagrams through seeded [`LinkConditions`] (latency, jitter, loss,
//!   duplication, reordering). It never reads the wall clock, so Apps stepped with a
//!   shared manual clock replay identically.
//!
//! Both host transports check every client payload with the [`PacketGuard`] (the
//! `PacketGuard` resource; see [`guard`]) and report the connections it kicks as
//! [`PeerKicked`] events.
//!
//! Every transport counts the datagrams it moves per peer ([`traffic`]), and each
//! frame the host's [`HostConnections`] and a client's [`ClientConnection`] show every
//! connection's state, ping, loss, quality, rates and pending bytes
//! ([`connection_info`]; one line of text from [`describe_connection`]).
//!
//! Add [`ServerTransportPlugin`] to the host App and [`ClientTransportPlugin`] to client
//! Apps, insert the renet endpoint ([`new_server`] / [`new_client`]) and the resource of
//! the chosen transport; the other transport's systems stay idle.

pub mod bucket;
pub mod conditioner;
pub mod connection_info;
pub mod error;
pub mod guard;
pub mod kick;
pub mod link;
pub mod log_limit;
pub mod memory;
pub mod plugin;
pub mod secure;
pub mod stats;
pub mod traffic;
pub mod udp;
pub mod udp_client_transport;
pub mod udp_host;

pub use bucket::TokenBucket;
pub use conditioner::LinkConditioner;
pub use connection_info::{
    ClientConnection, ClientConnectionInfoPlugin, ConnectionInfo, ConnectionInfoSystems,
    ConnectionState, HostConnectionInfoPlugin, HostConnections, client_connection_info,
    describe_connection, host_connection_info, quality_score,
};
pub use error::TransportError;
pub use guard::{GuardLimits, GuardStats, GuardViolation, PacketGuard, Verdict};
pub use kick::PeerKicked;
pub use link::{LinkConditions, LinkConditionsError};
pub use log_limit::LogLimiter;
pub use memory::{
    MemoryClientTransport, MemoryClientTransportPlugin, MemoryError, MemoryNetwork,
    MemoryServerTransport, MemoryServerTransportPlugin, MemoryTransportSystems,
};
pub use plugin::{
    ClientTransportPlugin, ServerTransportPlugin, new_client, new_client_with_budget, new_server,
    new_server_with_budget,
};
pub use secure::{
    KeyError, PrivateKey, TokenError, TokenGrant, issue_token, token_from_text, token_to_text,
    udp_token_client,
};
pub use stats::{DuplexStats, LinkStats};
pub use traffic::{ClientTraffic, HostTraffic, PeerTraffic, TrafficCounts, TrafficRates};
pub use udp::{DEFAULT_PROTOCOL_ID, HostSecurity, MAX_CLIENTS, udp_client, udp_server};
pub use udp_client_transport::{UdpClientTransport, UdpClientTransportPlugin};
pub use udp_host::{UdpServerTransport, UdpServerTransportPlugin};
