//! The messages of each channel, by direction.
//!
//! Each channel carries one message type per direction, so a decoder never has to guess
//! what it is looking at and each channel can have its own size cap.

use crate::action::{Action, Rejection};
use crate::audit::{ClientAudit, HostAudit};
use crate::events::{ClientEvent, EventError, HostEvent};
use crate::ids::{PlayerId, Revision};
use crate::presence::RosterUpdate;
use crate::raw::{ClientRaw, HostRaw};
use serde::{Deserialize, Serialize};

/// Longest player name accepted, in bytes.
pub const MAX_PLAYER_NAME_BYTES: usize = 32;

/// Client → host on the `world` channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientWorldMessage {
    /// First message of a connection.
    Hello(Hello),
    /// A world action the player wants to perform.
    Action {
        /// The client's wrapping sequence number, echoed in the ACK.
        seq: u16,
        /// What to do.
        action: Action,
    },
    /// The player leaves.
    Goodbye,
    /// Audit descent: the client's digests or objects where it differs from the host.
    Audit(ClientAudit),
    /// A network event for the host to deliver.
    Event(ClientEvent),
    /// A reliable raw message for the host to deliver.
    Raw(ClientRaw),
}

/// The client's introduction: who it is and which protocol it speaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// [`crate::PROTOCOL_VERSION`] of the client build.
    pub protocol_version: u16,
    /// [`crate::protocol_hash`] of the client build.
    pub protocol_hash: u64,
    /// Display name, 1..=32 bytes.
    pub name: String,
}

/// Host → client on the `world` channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HostWorldMessage {
    /// The host accepted the Hello; a snapshot at `revision` follows on `bulk`.
    Welcome(Welcome),
    /// The host refuses the connection; it closes shortly after.
    Refused(Refusal),
    /// The outcome of one of this client's actions.
    Ack {
        /// The sequence number of the action.
        seq: u16,
        /// Accepted or rejected.
        outcome: AckOutcome,
    },
    /// An action another player or the host performed.
    Broadcast {
        /// The revision this action produced.
        revision: Revision,
        /// Who performed it.
        actor: PlayerId,
        /// The action.
        action: Action,
    },
    /// A player joined or left (presence, SPEC §9).
    Roster(RosterUpdate),
    /// Audit root or resync answer (see [`crate::audit`]).
    Audit(HostAudit),
    /// A network event for this client.
    Event(HostEvent),
    /// The host refused to deliver one of this client's events.
    EventRefused {
        /// The event's name.
        name: String,
        /// Why.
        reason: EventError,
    },
    /// A reliable raw message for this client.
    Raw(HostRaw),
    /// The instance owner changed (also sent to every player right after Welcome).
    Owner(Option<PlayerId>),
}

/// What a joining client learns from the host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Welcome {
    /// The client's player id (also its object namespace).
    pub player: PlayerId,
    /// Revision of the snapshot that follows.
    pub revision: Revision,
    /// The host's simulation rate.
    pub tick_hz: u16,
}

/// Why a host refused a client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Refusal {
    /// Client and host speak different protocol versions.
    #[error("protocol version mismatch: host speaks {host}, client speaks {client}")]
    VersionMismatch {
        /// The host's version.
        host: u16,
        /// The client's version.
        client: u16,
    },
    /// Same version number, different message definitions (different builds).
    #[error(
        "protocol hash mismatch: host {host:016x}, client {client:016x} (rebuild both from the same source)"
    )]
    HashMismatch {
        /// The host's hash.
        host: u64,
        /// The client's hash.
        client: u64,
    },
    /// The name is empty, too long or not printable.
    #[error("invalid player name")]
    InvalidName,
    /// The host has no free player slot.
    #[error("host is full")]
    Full,
    /// The connection sent something other than Hello first, or Hello twice.
    #[error("protocol violation: {0}")]
    ProtocolViolation(String),
    /// No presence or state update arrived for `seconds`; the player was dropped.
    #[error("silent for {seconds} s")]
    Silent {
        /// The host's silence timeout.
        seconds: u16,
    },
    /// The connection abused the host (malformed packets, floods, traffic persistently
    /// over its budget) and was closed.
    #[error("kicked: {0}")]
    Kicked(String),
}

/// Outcome of an action, as told to its actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AckOutcome {
    /// The action took effect. The `world` channel is ordered and every revision reaches
    /// a client exactly once (as its own ACK or as a broadcast), so the client derives
    /// the full revision by counting; the low byte is sent as a consistency check.
    Accepted {
        /// Low 8 bits of the revision the action produced.
        revision_low: u8,
    },
    /// The action was refused and had no effect.
    Rejected(Rejection),
}

/// Host → client on the `bulk` channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HostBulkMessage {
    /// A world snapshot starts.
    SnapshotBegin {
        /// Revision the snapshot captures.
        revision: Revision,
        /// Number of objects in it.
        objects: u32,
        /// Total encoded bytes across all chunks.
        bytes: u32,
        /// World digest the loaded snapshot must reproduce.
        digest: u64,
    },
    /// The next piece of the snapshot body.
    SnapshotChunk(Vec<u8>),
}
