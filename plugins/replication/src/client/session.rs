//! Client-side join state: Connecting → Handshaking → Loading → Playing.

use bevy_ecs::prelude::*;
use racksync_protocol::{AckOutcome, Action, PlayerId, Refusal, Revision};
use std::collections::VecDeque;

/// Who the client says it is.
#[derive(Resource, Clone, Debug)]
pub struct ClientSettings {
    /// Display name sent in Hello.
    pub name: String,
}

/// Where the client is in joining the host's world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinState {
    /// The transport is connecting.
    Connecting,
    /// Hello sent; waiting for Welcome.
    Handshaking,
    /// Welcome received; the snapshot is arriving.
    Loading(LoadProgress),
    /// The world is loaded and live.
    Playing,
    /// The host refused the client.
    Refused(Refusal),
    /// The host sent something the client cannot use; the connection was closed.
    Failed(String),
    /// The connection ended.
    Disconnected(String),
}

impl JoinState {
    /// True once the client has the world and applies live updates.
    pub fn is_playing(&self) -> bool {
        matches!(self, JoinState::Playing)
    }

    /// True when the client will not join any more.
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            JoinState::Refused(_) | JoinState::Failed(_) | JoinState::Disconnected(_)
        )
    }
}

/// Snapshot download progress.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoadProgress {
    /// Revision of the snapshot.
    pub revision: Revision,
    /// Compressed bytes announced (0 until SnapshotBegin).
    pub total_bytes: u32,
    /// Compressed bytes received.
    pub received_bytes: u32,
}

/// The client's connection to the host.
#[derive(Resource, Debug, Clone)]
pub struct ClientSession {
    /// Join state.
    pub state: JoinState,
    /// This client's player id once welcomed.
    pub player: Option<PlayerId>,
    /// The host's tick rate once welcomed.
    pub tick_hz: u16,
}

impl Default for ClientSession {
    fn default() -> Self {
        Self {
            state: JoinState::Connecting,
            player: None,
            tick_hz: 0,
        }
    }
}

/// A message from the host that changes the confirmed world, in arrival order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorldUpdate {
    /// The outcome of one of our actions.
    Ack {
        /// Our sequence number.
        seq: u16,
        /// Accepted or rejected.
        outcome: AckOutcome,
    },
    /// Someone else's accepted action.
    Broadcast {
        /// The revision it produced.
        revision: Revision,
        /// Who did it.
        actor: PlayerId,
        /// What they did.
        action: Action,
    },
}

/// Updates received and not yet reconciled, oldest first. Filled by replication once the
/// client plays; drained by the rollback plugin.
#[derive(Resource, Debug, Default)]
pub struct WorldUpdates(pub VecDeque<WorldUpdate>);
