//! What messaging hands to game systems, as Bevy messages (read them with
//! `MessageReader`).

use bevy_ecs::prelude::*;
use racksync_protocol::{EventError, EventParam, EventSender, PlayerId, SendType};

/// A network event to run: delivered by the host, or the sender's own copy.
#[derive(Message, Clone, Debug, PartialEq, Eq)]
pub struct ReceivedEvent {
    /// Who sent it (the host's word for players; `Player(me)` for a local copy).
    pub sender: EventSender,
    /// The event's name.
    pub name: String,
    /// Its parameters.
    pub params: Vec<EventParam>,
}

/// The host refused to deliver one of this client's events.
#[derive(Message, Clone, Debug, PartialEq, Eq)]
pub struct EventRefusedNotice {
    /// The event's name.
    pub name: String,
    /// Why.
    pub reason: EventError,
}

/// A raw message from another player (or the host).
#[derive(Message, Clone, Debug, PartialEq, Eq)]
pub struct ReceivedRaw {
    /// Who sent it.
    pub sender: EventSender,
    /// How it travelled.
    pub send_type: SendType,
    /// The payload.
    pub bytes: Vec<u8>,
}

/// The instance owner changed (on the host and on every client).
#[derive(Message, Clone, Copy, Debug, PartialEq, Eq)]
pub struct OwnerChanged {
    /// The new owner; `None` when no player is left.
    pub owner: Option<PlayerId>,
}
