//! netcode over real UDP sockets, unsecure (loopback, tests) or secure (connect tokens).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bevy_renet::netcode::{ClientAuthentication, ServerAuthentication, ServerConfig};
use renet::ClientId;

use crate::error::TransportError;
use crate::udp_client_transport::UdpClientTransport;
use crate::udp_host::UdpServerTransport;

/// The netcode protocol id racksync uses unless told otherwise: the bytes of
/// `"racksync"` read as a little-endian integer. Hosts and clients with different ids
/// ignore each other.
pub const DEFAULT_PROTOCOL_ID: u64 = u64::from_le_bytes(*b"racksync");

/// The most clients one netcode server can hold; netcode panics above it, so
/// [`udp_server`] refuses larger values.
pub const MAX_CLIENTS: usize = 1024;

/// How a UDP host admits clients.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum HostSecurity {
    /// netcode's unsecure mode: any client id, no encryption. For loopback and tests.
    #[default]
    Unsecure,
    /// Only clients holding a connect token signed with this private key get in.
    Secure {
        /// The 32-byte key shared with whoever issues connect tokens.
        private_key: [u8; 32],
        /// The addresses clients reach the host at, one of which every token must name
        /// (behind NAT or on a wildcard bind they differ from the bound address).
        /// Empty: the bound address.
        public_addresses: Vec<SocketAddr>,
    },
}

/// Binds a UDP socket on `bind` and builds a netcode host for up to `max_clients`
/// clients, admitting them as `security` says. Returns the transport and the address
/// actually bound, which tells the port chosen when `bind` had port 0.
pub fn udp_server(
    bind: SocketAddr,
    max_clients: usize,
    protocol_id: u64,
    security: HostSecurity,
) -> Result<(UdpServerTransport, SocketAddr), TransportError> {
    if !(1..=MAX_CLIENTS).contains(&max_clients) {
        return Err(TransportError::MaxClientsOutOfRange {
            requested: max_clients,
            max: MAX_CLIENTS,
        });
    }
    let socket =
        UdpSocket::bind(bind).map_err(|source| TransportError::Bind { addr: bind, source })?;
    let local = socket.local_addr()?;
    let config = ServerConfig {
        current_time: unix_time()?,
        max_clients,
        protocol_id,
        // Unsecure mode skips netcode's host-list check, so the bound address (even a
        // wildcard one) is only informative there. Secure tokens must name one of these.
        public_addresses: match &security {
            HostSecurity::Secure {
                public_addresses, ..
            } if !public_addresses.is_empty() => public_addresses.clone(),
            _ => vec![local],
        },
        authentication: match security {
            HostSecurity::Unsecure => ServerAuthentication::Unsecure,
            HostSecurity::Secure { private_key, .. } => {
                ServerAuthentication::Secure { private_key }
            }
        },
    };
    let transport = UdpServerTransport::new(config, socket)?;
    Ok((transport, local))
}

/// Binds an ephemeral UDP port of the server's address family and builds an unsecure
/// netcode client that connects to `server` as `client_id`.
pub fn udp_client(
    server: SocketAddr,
    client_id: ClientId,
    protocol_id: u64,
) -> Result<UdpClientTransport, TransportError> {
    let bind = client_bind_addr(server);
    let socket =
        UdpSocket::bind(bind).map_err(|source| TransportError::Bind { addr: bind, source })?;
    let authentication = ClientAuthentication::Unsecure {
        protocol_id,
        client_id,
        server_addr: server,
        user_data: None,
    };
    Ok(UdpClientTransport::new(
        unix_time()?,
        authentication,
        socket,
    )?)
}

/// Loopback servers get a loopback client socket, so tests never listen on every
/// interface; other servers get the wildcard address of their family.
pub(crate) fn client_bind_addr(server: SocketAddr) -> SocketAddr {
    let ip = match server.ip() {
        IpAddr::V4(ip) if ip.is_loopback() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(ip) if ip.is_loopback() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    };
    SocketAddr::new(ip, 0)
}

/// netcode compares token timestamps in UNIX seconds, so it needs wall-clock time.
pub(crate) fn unix_time() -> Result<Duration, TransportError> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| TransportError::ClockBeforeEpoch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_binds_same_family() {
        let v4: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert_eq!(client_bind_addr(v4), "127.0.0.1:0".parse().unwrap());
        let v4_remote: SocketAddr = "10.1.2.3:5000".parse().unwrap();
        assert_eq!(client_bind_addr(v4_remote), "0.0.0.0:0".parse().unwrap());
        let v6: SocketAddr = "[::1]:5000".parse().unwrap();
        assert_eq!(client_bind_addr(v6), "[::1]:0".parse().unwrap());
        let v6_remote: SocketAddr = "[2001:db8::1]:5000".parse().unwrap();
        assert_eq!(client_bind_addr(v6_remote), "[::]:0".parse().unwrap());
    }

    #[test]
    fn max_clients_is_bounded() {
        let bind: SocketAddr = "127.0.0.1:0".parse().unwrap();
        for requested in [0, MAX_CLIENTS + 1] {
            assert!(matches!(
                udp_server(bind, requested, DEFAULT_PROTOCOL_ID, HostSecurity::Unsecure),
                Err(TransportError::MaxClientsOutOfRange { .. })
            ));
        }
        let (_, local) = udp_server(
            bind,
            MAX_CLIENTS,
            DEFAULT_PROTOCOL_ID,
            HostSecurity::Unsecure,
        )
        .unwrap();
        assert_ne!(local.port(), 0);
    }
}
