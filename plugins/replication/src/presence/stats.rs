//! Presence counters, for reports, scenarios and tests.

use bevy_ecs::prelude::*;

/// What the host's presence systems did since start.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HostPresenceStats {
    /// Transforms accepted from players.
    pub transforms_received: u64,
    /// States accepted from players.
    pub states_received: u64,
    /// Valid messages dropped because a newer one from the same player had arrived.
    pub stale_dropped: u64,
    /// Messages repeating the newest sequence number of their stream.
    pub duplicates_dropped: u64,
    /// Messages that did not decode (or came from a connection without a player).
    pub junk_dropped: u64,
    /// `PresenceRelay` messages sent.
    pub presence_relays_sent: u64,
    /// Bytes of those messages.
    pub presence_relay_bytes: u64,
    /// Player transforms inside those messages.
    pub presence_entries_sent: u64,
    /// `StateRelay` messages sent.
    pub state_relays_sent: u64,
    /// Bytes of those messages, sequence prefix included.
    pub state_relay_bytes: u64,
    /// Players dropped for silence.
    pub silent_dropped: u64,
    /// Messages refused for the sender's presence or state budget.
    pub over_budget: u64,
}

/// What a client's presence systems did since start.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientPresenceStats {
    /// Transforms sent.
    pub transforms_sent: u64,
    /// States sent.
    pub states_sent: u64,
    /// Bytes sent on `presence` and `state`.
    pub bytes_sent: u64,
    /// `PresenceRelay` messages received and decoded.
    pub presence_relays_received: u64,
    /// `StateRelay` messages received, decoded and in sequence.
    pub state_relays_received: u64,
    /// Entries (one player each) applied from relays.
    pub entries_applied: u64,
    /// Entries ignored: older than what was applied, or from before the player joined.
    pub stale_entries: u64,
    /// Entries for a player not in the roster.
    pub unknown_player_entries: u64,
    /// State relays dropped by the sequenced stream (stale or duplicate).
    pub sequenced_dropped: u64,
    /// Messages that did not decode.
    pub junk_dropped: u64,
}
