//! Errors setting up a transport.

use std::io;
use std::net::SocketAddr;

use renet_netcode::NetcodeError;
use thiserror::Error;

/// Why a transport could not be created.
#[derive(Debug, Error)]
pub enum TransportError {
    /// The UDP socket could not be bound.
    #[error("cannot bind UDP socket on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's reason.
        source: io::Error,
    },
    /// Any other socket or netcode I/O failure.
    #[error("transport I/O error: {0}")]
    Io(#[from] io::Error),
    /// netcode allows 1 to [`crate::udp::MAX_CLIENTS`] clients per server.
    #[error("a UDP host takes 1..={max} clients, {requested} were asked for")]
    MaxClientsOutOfRange {
        /// The number asked for.
        requested: usize,
        /// netcode's upper bound.
        max: usize,
    },
    /// The system clock reads earlier than 1970; netcode timestamps need UNIX time.
    #[error("the system clock is before the UNIX epoch")]
    ClockBeforeEpoch,
    /// netcode refused the client setup.
    #[error("netcode error: {0}")]
    Netcode(#[from] NetcodeError),
}
