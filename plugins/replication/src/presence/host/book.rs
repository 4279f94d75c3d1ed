//! The host's record of every present player: latest transform and state, when it was
//! last heard, and the per-connection sequenced streams.

use bevy_ecs::prelude::*;
use core::time::Duration;
use racksync_protocol::sequence::{Seq16, SequencedReceiver, SequencedSender};
use racksync_protocol::{HostTick, PlayerId, PlayerState, QuantizedTransform};
use renet::ClientId;
use std::collections::BTreeMap;

/// The host's relay clock: advanced once per host tick by the relay system.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RelayClock(pub HostTick);

/// One present player, keyed in [`PresenceBook`] by its connection.
#[derive(Debug)]
pub struct PlayerPresence {
    /// The player (from the connection's session, never from a payload).
    pub player: PlayerId,
    /// Display name, as announced in the roster.
    pub name: String,
    /// Latest transform, once one arrived.
    pub transform: Option<QuantizedTransform>,
    /// Latest state (standing, not carrying until told otherwise).
    pub state: PlayerState,
    /// Sequence number of the latest accepted transform.
    pub transform_seq: Option<Seq16>,
    /// Sequence number of the latest accepted state.
    pub state_seq: Option<Seq16>,
    /// `Time<Real>` elapsed time at which the player was last heard (or its snapshot was
    /// still streaming).
    pub last_heard: Duration,
    /// Relay tick at which the player joined the roster.
    pub since: HostTick,
    pub(crate) presence_in: SequencedReceiver,
    pub(crate) state_in: SequencedReceiver,
    /// The host → this client stream of state relays.
    pub(crate) state_out: SequencedSender,
    pub(crate) transform_dirty: bool,
    pub(crate) state_dirty: bool,
    /// The next relay to this client carries every player, not only those that changed.
    pub(crate) catch_up: bool,
    /// Dropped for silence (the leave is reported with that cause).
    pub(crate) silenced: bool,
}

impl PlayerPresence {
    /// A player that just joined the roster.
    pub(crate) fn new(player: PlayerId, name: String, now: Duration, since: HostTick) -> Self {
        Self {
            player,
            name,
            transform: None,
            state: PlayerState::default(),
            transform_seq: None,
            state_seq: None,
            last_heard: now,
            since,
            presence_in: SequencedReceiver::default(),
            state_in: SequencedReceiver::default(),
            state_out: SequencedSender::default(),
            transform_dirty: false,
            state_dirty: false,
            catch_up: true,
            silenced: false,
        }
    }
}

/// Every player in the roster, by renet client id. A `BTreeMap` so relays and roster
/// messages go out in a deterministic order.
#[derive(Resource, Debug, Default)]
pub struct PresenceBook {
    pub(crate) by_client: BTreeMap<ClientId, PlayerPresence>,
}

impl PresenceBook {
    /// The entry of a connection.
    pub fn get(&self, client: ClientId) -> Option<&PlayerPresence> {
        self.by_client.get(&client)
    }

    /// The entry of a player.
    pub fn player(&self, player: PlayerId) -> Option<&PlayerPresence> {
        self.by_client.values().find(|p| p.player == player)
    }

    /// Every entry in client-id order.
    pub fn iter(&self) -> impl Iterator<Item = (ClientId, &PlayerPresence)> {
        self.by_client.iter().map(|(id, p)| (*id, p))
    }

    /// Number of players in the roster.
    pub fn len(&self) -> usize {
        self.by_client.len()
    }

    /// True when nobody is present.
    pub fn is_empty(&self) -> bool {
        self.by_client.is_empty()
    }
}
