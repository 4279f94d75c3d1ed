//! What a peer's connection looks like right now (SPEC §10, "connection info"): its
//! state, ping, loss and quality, traffic per second both ways, and what is still
//! waiting to be sent or acknowledged.
//!
//! renet supplies the round-trip time, the packet loss and each channel's free send
//! memory; the transports supply packet and byte counts ([`crate::traffic`]). The
//! functions here combine them for one peer without an App ([`host_connection_info`],
//! [`client_connection_info`]); [`systems`] keeps the results in resources each frame
//! and [`describe`] prints one as a line of text.

pub mod describe;
pub mod systems;

use core::time::Duration;

use racksync_protocol::{CHANNELS, Delivery};
use renet::{ClientId, RenetClient, RenetServer};

use crate::traffic::{ClientTraffic, HostTraffic, PeerTraffic, TrafficRates};

pub use describe::describe_connection;
pub use systems::{
    ClientConnection, ClientConnectionInfoPlugin, ConnectionInfoSystems, HostConnectionInfoPlugin,
    HostConnections,
};

/// Where a connection is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ConnectionState {
    /// The transport is still setting the connection up (netcode's handshake, or a
    /// memory link the host has not accepted yet). Only clients see this.
    Connecting,
    /// Messages flow.
    Connected,
    /// The connection is over, or there is none. On the host a peer shows this only
    /// between renet marking it disconnected and the transport removing it, at the
    /// transport's next receive.
    #[default]
    Disconnected,
}

impl ConnectionState {
    /// The state as one lowercase word.
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionState::Connecting => "connecting",
            ConnectionState::Connected => "connected",
            ConnectionState::Disconnected => "disconnected",
        }
    }
}

/// One peer's connection, seen from this end.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ConnectionInfo {
    /// Connecting, connected or disconnected.
    pub state: ConnectionState,
    /// Round-trip time in milliseconds: renet's smoothed RTT (each new sample weighs
    /// 1/8), measured from a packet's send to its ACK, so it includes up to a frame of
    /// waiting at each end.
    pub ping_ms: f32,
    /// Fraction of sent packets (0..=1) not acknowledged, per renet, over its last 6 s
    /// minus the most recent 0.9 s (whose ACKs may still be on their way).
    pub packet_loss: f32,
    /// 0 (unusable) to 100 (perfect); see [`quality_score`]. 0 unless connected.
    pub quality: u8,
    /// Bytes received per second, as the transport counted them (see
    /// [`crate::traffic`]).
    pub bytes_in_per_s: f32,
    /// Bytes sent per second, as the transport counted them.
    pub bytes_out_per_s: f32,
    /// Datagrams received per second.
    pub packets_in_per_s: f32,
    /// Datagrams sent per second.
    pub packets_out_per_s: f32,
    /// Message bytes on reliable channels sent but not yet acknowledged, or not yet
    /// sent: what a stalled link piles up.
    pub pending_reliable_bytes: u64,
    /// Message bytes queued on unreliable channels and not yet sent. Each send takes
    /// the whole queue, so after one this is only non-zero while the transport sends
    /// nothing (still connecting).
    pub pending_unreliable_bytes: u64,
    /// Estimated time until the pending reliable bytes are through, in milliseconds:
    /// pending reliable bytes divided by the bytes sent per second. 0 when nothing is
    /// pending; infinite when bytes are pending but nothing was sent in the last second
    /// (still connecting, or stuck).
    pub queue_time_ms: f32,
}

/// The connection quality score, 0..=100: start from 100, take one point per 10 ms of
/// round trip and four points per percent of packet loss, and clamp. So 30 ms and no
/// loss score 97, 100 ms and 5 % loss 70, and a second of round trip or 25 % loss is
/// 0. Rounded to the nearest point.
pub fn quality_score(ping_ms: f32, packet_loss: f32) -> u8 {
    let ping_penalty = ping_ms.max(0.0) / 10.0;
    let loss_penalty = 4.0 * 100.0 * packet_loss.clamp(0.0, 1.0);
    // `as u8` saturates; a NaN input (renet never gives one) would score 0.
    (100.0 - ping_penalty - loss_penalty)
        .clamp(0.0, 100.0)
        .round() as u8
}

/// The host's view of `client`'s connection at `now` (the App clock's elapsed time,
/// the same clock the transports count [`HostTraffic`] with). A client the server
/// does not hold is disconnected, with no figures.
///
/// `server` must use racksync's channel table ([`crate::new_server`]): renet panics
/// when asked about a channel it was not configured with.
pub fn host_connection_info(
    server: &RenetServer,
    traffic: &HostTraffic,
    client: ClientId,
    now: Duration,
) -> ConnectionInfo {
    let state = if server.is_connected(client) {
        ConnectionState::Connected
    } else if server.disconnections_id_iter().any(|id| id == client) {
        ConnectionState::Disconnected
    } else {
        return ConnectionInfo::default();
    };
    let (reliable, unreliable) =
        pending_bytes(|channel| server.channel_available_memory(client, channel));
    combine(
        state,
        server.rtt(client),
        server.packet_loss(client),
        rates(traffic.peer(client), now),
        reliable,
        unreliable,
    )
}

/// A client's view of its connection to the host at `now` (the App clock's elapsed
/// time, the same clock the transports count [`ClientTraffic`] with).
///
/// `client` must use racksync's channel table ([`crate::new_client`]): renet panics
/// when asked about a channel it was not configured with.
pub fn client_connection_info(
    client: &RenetClient,
    traffic: &ClientTraffic,
    now: Duration,
) -> ConnectionInfo {
    let state = if client.is_connected() {
        ConnectionState::Connected
    } else if client.is_connecting() {
        ConnectionState::Connecting
    } else {
        ConnectionState::Disconnected
    };
    let (reliable, unreliable) = pending_bytes(|channel| client.channel_available_memory(channel));
    combine(
        state,
        client.rtt(),
        client.packet_loss(),
        rates(Some(traffic), now),
        reliable,
        unreliable,
    )
}

fn rates(traffic: Option<&PeerTraffic>, now: Duration) -> TrafficRates {
    traffic
        .map(|traffic| traffic.rates(now))
        .unwrap_or_default()
}

/// Pending bytes on reliable and on unreliable channels: each channel's memory budget
/// from the channel table minus what renet says is still free.
fn pending_bytes(available: impl Fn(u8) -> usize) -> (u64, u64) {
    let (mut reliable, mut unreliable) = (0, 0);
    for spec in &CHANNELS {
        let pending = spec
            .memory_bytes
            .saturating_sub(available(spec.channel.id())) as u64;
        match spec.delivery {
            Delivery::ReliableOrdered => reliable += pending,
            Delivery::Unreliable | Delivery::UnreliableSequenced => unreliable += pending,
        }
    }
    (reliable, unreliable)
}

fn combine(
    state: ConnectionState,
    rtt_s: f64,
    packet_loss: f64,
    rates: TrafficRates,
    pending_reliable_bytes: u64,
    pending_unreliable_bytes: u64,
) -> ConnectionInfo {
    let ping_ms = (rtt_s * 1000.0) as f32;
    let packet_loss = packet_loss.clamp(0.0, 1.0) as f32;
    let quality = match state {
        ConnectionState::Connected => quality_score(ping_ms, packet_loss),
        ConnectionState::Connecting | ConnectionState::Disconnected => 0,
    };
    ConnectionInfo {
        state,
        ping_ms,
        packet_loss,
        quality,
        bytes_in_per_s: rates.bytes_in_per_s,
        bytes_out_per_s: rates.bytes_out_per_s,
        packets_in_per_s: rates.packets_in_per_s,
        packets_out_per_s: rates.packets_out_per_s,
        pending_reliable_bytes,
        pending_unreliable_bytes,
        queue_time_ms: queue_time_ms(pending_reliable_bytes, rates.bytes_out_per_s),
    }
}

/// Pending reliable bytes over the recent send rate, in milliseconds (see
/// [`ConnectionInfo::queue_time_ms`]).
fn queue_time_ms(pending_reliable_bytes: u64, bytes_out_per_s: f32) -> f32 {
    if pending_reliable_bytes == 0 {
        0.0
    } else if bytes_out_per_s > 0.0 {
        pending_reliable_bytes as f32 / bytes_out_per_s * 1000.0
    } else {
        f32::INFINITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use racksync_protocol::{Channel, DEFAULT_BYTES_PER_TICK, connection_config};

    #[test]
    fn quality_follows_the_documented_formula() {
        assert_eq!(quality_score(0.0, 0.0), 100);
        assert_eq!(quality_score(30.0, 0.0), 97);
        assert_eq!(quality_score(32.0, 0.0), 97);
        assert_eq!(quality_score(100.0, 0.05), 70);
        assert_eq!(quality_score(1_000.0, 0.0), 0);
        assert_eq!(quality_score(0.0, 0.25), 0);
        assert_eq!(quality_score(5_000.0, 1.0), 0);
        assert_eq!(quality_score(-1.0, -0.5), 100);
    }

    #[test]
    fn queue_time_is_pending_over_rate() {
        assert_eq!(queue_time_ms(0, 0.0), 0.0);
        assert_eq!(queue_time_ms(0, 500.0), 0.0);
        assert_eq!(queue_time_ms(500, 1_000.0), 500.0);
        assert_eq!(queue_time_ms(1, 0.0), f32::INFINITY);
    }

    #[test]
    fn unknown_clients_are_disconnected_without_figures() {
        let server = RenetServer::new(connection_config(DEFAULT_BYTES_PER_TICK));
        let info = host_connection_info(&server, &HostTraffic::default(), 9, Duration::ZERO);
        assert_eq!(info, ConnectionInfo::default());
        assert_eq!(info.state, ConnectionState::Disconnected);
    }

    #[test]
    fn queued_messages_are_pending_by_delivery() {
        let mut server = RenetServer::new(connection_config(DEFAULT_BYTES_PER_TICK));
        server.add_connection(1);
        server.send_message(1, Channel::World, vec![0; 300]);
        server.send_message(1, Channel::Bulk, vec![0; 200]);
        server.send_message(1, Channel::Presence, vec![0; 50]);
        let info = host_connection_info(&server, &HostTraffic::default(), 1, Duration::ZERO);
        assert_eq!(info.state, ConnectionState::Connected);
        assert_eq!(info.pending_reliable_bytes, 500);
        assert_eq!(info.pending_unreliable_bytes, 50);
        // Nothing was sent yet, so nothing says how fast the queue drains.
        assert_eq!(info.queue_time_ms, f32::INFINITY);
        assert_eq!(info.quality, 100);

        server.disconnect(1);
        let info = host_connection_info(&server, &HostTraffic::default(), 1, Duration::ZERO);
        assert_eq!(info.state, ConnectionState::Disconnected);
        assert_eq!(info.quality, 0);
    }

    #[test]
    fn client_state_follows_renet() {
        let mut client = RenetClient::new(connection_config(DEFAULT_BYTES_PER_TICK));
        let traffic = ClientTraffic::default();
        let state =
            |client: &RenetClient| client_connection_info(client, &traffic, Duration::ZERO).state;
        assert_eq!(state(&client), ConnectionState::Connecting);
        client.set_connected();
        assert_eq!(state(&client), ConnectionState::Connected);
        client.disconnect();
        assert_eq!(state(&client), ConnectionState::Disconnected);
    }
}
