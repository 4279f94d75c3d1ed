//! Limits of network events and raw messages, shared by host and clients.

use bevy_ecs::prelude::*;

/// Messaging limits, as a resource on the host and on clients.
#[derive(Resource, Clone, Debug, PartialEq, Eq)]
pub struct MessagingSettings {
    /// Events per second one player sends in total, whatever their names (VRChat's
    /// global limit): events past it queue.
    pub global_events_per_s: u64,
    /// Raw bytes per second one player sends, sustained.
    pub raw_bytes_per_s: u64,
    /// Raw bytes one player sends at once (the spike budget).
    pub raw_spike_bytes: u64,
    /// Raw bytes a client queues before refusing more.
    pub raw_queue_bytes: usize,
    /// The host lets senders exceed the rates above by this factor before refusing,
    /// because arrival jitter bunches what the sender spaced out.
    pub host_slack: u64,
    /// The player to own the instance when present (by name); otherwise the first
    /// player to join owns it.
    pub preferred_owner: Option<String>,
}

impl Default for MessagingSettings {
    fn default() -> Self {
        Self {
            global_events_per_s: 100,
            raw_bytes_per_s: 4096,
            raw_spike_bytes: 16 * 1024,
            raw_queue_bytes: 64 * 1024,
            host_slack: 2,
            preferred_owner: None,
        }
    }
}
