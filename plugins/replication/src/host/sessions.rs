//! Host-side connection sessions: one per renet client, from connect to disconnect.

use crate::snapshot::EncodedSnapshot;
use bevy_ecs::prelude::*;
use core::time::Duration;
use racksync_protocol::{Action, MAX_NAMESPACE, PlayerId};
use renet::ClientId;
use std::collections::{BTreeMap, BTreeSet};

/// Where a connection is in its life on the host.
#[derive(Debug)]
pub enum SessionPhase {
    /// Connected; the first message must be Hello.
    AwaitingHello,
    /// Welcomed; the snapshot is streaming on `bulk`. Broadcasts already flow on `world`.
    Loading(SnapshotStream),
    /// Snapshot fully handed to renet; the client plays.
    Playing,
    /// Refused or kicked; the connection closes at the given time (after the reason had
    /// a chance to leave).
    Closing {
        /// `Time<Real>` elapsed time at which to disconnect.
        at: Duration,
    },
}

/// Progress of a snapshot transfer to one client.
#[derive(Debug)]
pub struct SnapshotStream {
    /// The snapshot being sent.
    pub snapshot: EncodedSnapshot,
    /// Index of the next chunk to send; `None` until SnapshotBegin went out.
    pub next_chunk: Option<usize>,
}

/// One connected client.
#[derive(Debug)]
pub struct Session {
    /// Player id once welcomed.
    pub player: Option<PlayerId>,
    /// The player's entity once welcomed.
    pub entity: Option<Entity>,
    /// Lifecycle phase.
    pub phase: SessionPhase,
}

impl Session {
    /// True when the client receives broadcasts (welcomed and not closing).
    pub fn subscribed(&self) -> bool {
        matches!(self.phase, SessionPhase::Loading(_) | SessionPhase::Playing)
    }
}

/// Every connected client, by renet client id. A `BTreeMap` so that iteration (and so
/// the order messages are sent in) is deterministic.
#[derive(Resource, Debug, Default)]
pub struct Sessions {
    by_client: BTreeMap<ClientId, Session>,
}

impl Sessions {
    /// Starts a session for a newly connected client.
    pub fn connect(&mut self, client: ClientId) {
        self.by_client.insert(
            client,
            Session {
                player: None,
                entity: None,
                phase: SessionPhase::AwaitingHello,
            },
        );
    }

    /// Ends a session.
    pub fn disconnect(&mut self, client: ClientId) -> Option<Session> {
        self.by_client.remove(&client)
    }

    /// A session.
    pub fn get(&self, client: ClientId) -> Option<&Session> {
        self.by_client.get(&client)
    }

    /// A session, mutably.
    pub fn get_mut(&mut self, client: ClientId) -> Option<&mut Session> {
        self.by_client.get_mut(&client)
    }

    /// Every session in client-id order.
    pub fn iter(&self) -> impl Iterator<Item = (ClientId, &Session)> {
        self.by_client.iter().map(|(id, s)| (*id, s))
    }

    /// Every session in client-id order, mutably.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (ClientId, &mut Session)> {
        self.by_client.iter_mut().map(|(id, s)| (*id, s))
    }

    /// Clients that receive broadcasts, in client-id order.
    pub fn subscribers(&self) -> impl Iterator<Item = ClientId> + '_ {
        self.iter()
            .filter(|(_, s)| s.subscribed())
            .map(|(id, _)| id)
    }

    /// Number of welcomed players.
    pub fn players(&self) -> usize {
        self.by_client
            .values()
            .filter(|s| s.player.is_some())
            .count()
    }

    /// The lowest player id no session uses and `reusable` allows, if any is left.
    ///
    /// `reusable` lets the caller skip ids that still own something in the world (objects
    /// a departed player held), so a newcomer never inherits them.
    pub fn free_player_id(&self, reusable: impl Fn(PlayerId) -> bool) -> Option<PlayerId> {
        let used: BTreeSet<u16> = self
            .by_client
            .values()
            .filter_map(|s| s.player)
            .map(|p| p.0)
            .collect();
        (1..=MAX_NAMESPACE)
            .map(PlayerId)
            .find(|id| !used.contains(&id.0) && reusable(*id))
    }

    /// The session of a player.
    pub fn client_of(&self, player: PlayerId) -> Option<ClientId> {
        self.iter()
            .find(|(_, s)| s.player == Some(player))
            .map(|(id, _)| id)
    }
}

/// An action a client asked for, waiting for the authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundAction {
    /// The connection it came from.
    pub client: ClientId,
    /// The player behind that connection (never taken from the payload).
    pub player: PlayerId,
    /// The client's sequence number, echoed in the ACK.
    pub seq: u16,
    /// What the player asked for.
    pub action: Action,
}

/// Actions received this frame, in arrival order, for the authority to decide.
#[derive(Resource, Debug, Default)]
pub struct ActionInbox(pub Vec<InboundAction>);
