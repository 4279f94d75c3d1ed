//! Raw byte messages between players (SPEC §10): bytes to a list of players or to
//! everyone else, with one of three send types.
//!
//! Reliable ones travel on `world` (ordered, never lost); unreliable and unreliable
//! sequenced ones on the `raw` channel, the sequenced ones stamped with the sender's
//! sequence number so receivers drop stale and duplicate ones, never reorder.

use crate::events::EventSender;
use crate::ids::PlayerId;
use serde::{Deserialize, Serialize};

/// Largest reliable raw payload.
pub const MAX_RAW_RELIABLE_BYTES: usize = 16 * 1024 - 384;
/// Largest unreliable (or unreliable sequenced) raw payload: what fits one unsliced
/// message on the `raw` channel with a full target list.
pub const MAX_RAW_UNRELIABLE_BYTES: usize = 960;
/// Most players a raw message names as its target.
pub const MAX_RAW_TARGET_PLAYERS: usize = 64;

/// How a raw message is delivered (the seed platforms' three modes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SendType {
    /// May be lost, duplicated or reordered.
    Unreliable,
    /// May be lost; never delivered stale or twice.
    UnreliableSequenced,
    /// Always delivered, once, in order (with the sender's other reliable traffic).
    Reliable,
}

impl SendType {
    /// Largest payload of this send type.
    pub const fn max_bytes(self) -> usize {
        match self {
            SendType::Reliable => MAX_RAW_RELIABLE_BYTES,
            SendType::Unreliable | SendType::UnreliableSequenced => MAX_RAW_UNRELIABLE_BYTES,
        }
    }
}

/// Who receives a raw message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RawTarget {
    /// Every player but the sender.
    Others,
    /// These players (the sender, if listed, is skipped: raw messages have no loopback).
    Players(Vec<PlayerId>),
}

/// A raw message from a client (on `raw`, or inside a `world` message when reliable).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRaw {
    /// Who receives it.
    pub target: RawTarget,
    /// The sender's sequence number, for unreliable sequenced messages only.
    pub sequence: Option<u16>,
    /// The payload.
    pub bytes: Vec<u8>,
}

/// A raw message delivered to a client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostRaw {
    /// Who sent it.
    pub sender: EventSender,
    /// The sender's sequence number, for unreliable sequenced messages only.
    pub sequence: Option<u16>,
    /// The payload.
    pub bytes: Vec<u8>,
}

/// Why a raw message was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum RawError {
    /// The payload is larger than its send type allows.
    #[error("{size}-byte raw message exceeds the {max}-byte limit of its send type")]
    TooLarge {
        /// The payload's size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// More than [`MAX_RAW_TARGET_PLAYERS`] target players.
    #[error("{0} target players (at most {MAX_RAW_TARGET_PLAYERS})")]
    TooManyTargets(usize),
    /// The sender's queue is full: the message would be dropped.
    #[error("{size}-byte raw message does not fit the send queue ({queued} of {max} bytes queued)")]
    QueueFull {
        /// The payload's size.
        size: usize,
        /// Bytes already queued.
        queued: usize,
        /// The queue's capacity.
        max: usize,
    },
    /// The client is not playing yet.
    #[error("not connected to a host")]
    NotPlaying,
}

/// Checks a raw message's size and target list for its send type.
pub fn check_raw(send_type: SendType, target: &RawTarget, size: usize) -> Result<(), RawError> {
    let max = send_type.max_bytes();
    if size > max {
        return Err(RawError::TooLarge { size, max });
    }
    if let RawTarget::Players(players) = target
        && players.len() > MAX_RAW_TARGET_PLAYERS
    {
        return Err(RawError::TooManyTargets(players.len()));
    }
    Ok(())
}
