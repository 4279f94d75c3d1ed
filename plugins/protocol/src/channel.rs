//! The one channel table: renet's `ConnectionConfig` and every channel id derive from it.

use core::time::Duration;
use renet::{ChannelConfig, ConnectionConfig, SendType};

/// A racksync channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    /// Reliable and ordered: handshake, actions, ACKs, broadcasts, audits, events.
    World,
    /// Unreliable: player transforms (latest matters).
    Presence,
    /// Unreliable sequenced: player carry/crouch/sit state and telemetry.
    State,
    /// Unreliable: raw byte messages between players (unreliable and unreliable
    /// sequenced send types).
    Raw,
    /// Reliable and ordered, lowest priority: snapshots and resync payloads.
    Bulk,
}

/// How a channel delivers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// May be lost, duplicated or reordered.
    Unreliable,
    /// May be lost, but never delivered stale or twice (see [`crate::sequence`]).
    UnreliableSequenced,
    /// Every message arrives once, in order.
    ReliableOrdered,
}

/// One row of the channel table.
#[derive(Clone, Copy, Debug)]
pub struct ChannelSpec {
    /// The channel.
    pub channel: Channel,
    /// How it delivers.
    pub delivery: Delivery,
    /// Largest message accepted on it; larger input is refused before decoding.
    pub max_message_bytes: usize,
    /// renet memory budget for queued messages on this channel, per connection and direction.
    pub memory_bytes: usize,
    /// Whether clients send on this channel. The host's packet guard refuses client
    /// traffic on a channel where they never do.
    pub client_sends: bool,
}

/// The channel table, in priority order: renet gives each tick's byte budget to the
/// first channel first, so `world` is never starved by `bulk`.
pub const CHANNELS: [ChannelSpec; 5] = [
    ChannelSpec {
        channel: Channel::World,
        delivery: Delivery::ReliableOrdered,
        // A full network event: 16 KB of parameters plus name, target list and framing.
        max_message_bytes: 17 * 1024,
        memory_bytes: 4 * 1024 * 1024,
        client_sends: true,
    },
    ChannelSpec {
        channel: Channel::Presence,
        delivery: Delivery::Unreliable,
        max_message_bytes: 1200,
        memory_bytes: 256 * 1024,
        client_sends: true,
    },
    ChannelSpec {
        channel: Channel::State,
        delivery: Delivery::UnreliableSequenced,
        max_message_bytes: 1200,
        memory_bytes: 256 * 1024,
        client_sends: true,
    },
    ChannelSpec {
        channel: Channel::Raw,
        delivery: Delivery::Unreliable,
        max_message_bytes: 1200,
        memory_bytes: 256 * 1024,
        client_sends: true,
    },
    ChannelSpec {
        channel: Channel::Bulk,
        delivery: Delivery::ReliableOrdered,
        max_message_bytes: 64 * 1024 + 64,
        memory_bytes: 8 * 1024 * 1024,
        client_sends: false,
    },
];

/// How long a reliable message waits for its ACK before it is sent again.
pub const RELIABLE_RESEND: Duration = Duration::from_millis(100);

/// Default byte budget per connection per host tick.
pub const DEFAULT_BYTES_PER_TICK: u64 = 256 * 1024;

impl Channel {
    /// The renet channel id: the channel's index in [`CHANNELS`].
    pub const fn id(self) -> u8 {
        self as u8
    }

    /// The channel's row in the table.
    pub const fn spec(self) -> &'static ChannelSpec {
        &CHANNELS[self as usize]
    }
}

impl From<Channel> for u8 {
    fn from(channel: Channel) -> u8 {
        channel.id()
    }
}

impl Delivery {
    /// The renet send type that carries this delivery mode.
    pub fn send_type(self) -> SendType {
        match self {
            Delivery::Unreliable | Delivery::UnreliableSequenced => SendType::Unreliable,
            Delivery::ReliableOrdered => SendType::ReliableOrdered {
                resend_time: RELIABLE_RESEND,
            },
        }
    }
}

/// renet's configuration for both directions, derived from [`CHANNELS`].
pub fn connection_config(available_bytes_per_tick: u64) -> ConnectionConfig {
    let channels: Vec<ChannelConfig> = CHANNELS
        .iter()
        .map(|spec| ChannelConfig {
            channel_id: spec.channel.id(),
            max_memory_usage_bytes: spec.memory_bytes,
            send_type: spec.delivery.send_type(),
        })
        .collect();
    ConnectionConfig {
        available_bytes_per_tick,
        server_channels_config: channels.clone(),
        client_channels_config: channels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_table_positions() {
        for (index, spec) in CHANNELS.iter().enumerate() {
            assert_eq!(spec.channel.id() as usize, index);
            assert_eq!(spec.channel.spec().channel, spec.channel);
        }
    }

    #[test]
    fn renet_config_has_one_channel_per_row() {
        let config = connection_config(DEFAULT_BYTES_PER_TICK);
        assert_eq!(config.server_channels_config.len(), CHANNELS.len());
        assert_eq!(config.client_channels_config.len(), CHANNELS.len());
    }
}
