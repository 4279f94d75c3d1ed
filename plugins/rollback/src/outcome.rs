//! What the game sends in and gets back.

use bevy_ecs::prelude::*;
use racksync_protocol::{Action, PlayerId, Rejection, Revision};

/// Write this message to perform an action as the local player.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct PerformAction(pub Action);

/// What became of one of the local player's actions.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub enum ActionOutcome {
    /// The host accepted it at `revision`.
    Accepted {
        /// Sequence number.
        seq: u16,
        /// The action.
        action: Action,
        /// The revision it produced.
        revision: Revision,
    },
    /// The host rejected it; its local effect was rolled back.
    Rejected {
        /// Sequence number.
        seq: u16,
        /// The action.
        action: Action,
        /// Why.
        reason: Rejection,
    },
    /// The local rules refused it, so it was never sent.
    RejectedLocally {
        /// The action.
        action: Action,
        /// Why.
        reason: Rejection,
    },
    /// The client is not playing yet (or any more); nothing was sent.
    NotPlaying {
        /// The action.
        action: Action,
    },
    /// No ACK within the timeout; its local effect was rolled back. A late ACK is still
    /// honoured.
    TimedOut {
        /// Sequence number.
        seq: u16,
        /// The action.
        action: Action,
    },
    /// A host decision made it invalid while it was pending; its local effect is gone.
    DroppedOnReplay {
        /// Sequence number.
        seq: u16,
        /// The action.
        action: Action,
        /// Why it no longer validates.
        reason: Rejection,
    },
}

/// A change another player or the host made, as applied to the local world.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct RemoteChange {
    /// The revision it produced.
    pub revision: Revision,
    /// Who did it.
    pub actor: PlayerId,
    /// What they did.
    pub action: Action,
}

/// Counters a game or a load test can read.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RollbackStats {
    /// Actions awaiting their ACK now.
    pub pending: usize,
    /// Actions sent.
    pub sent: u64,
    /// Actions the host accepted.
    pub accepted: u64,
    /// Actions the host rejected.
    pub rejected: u64,
    /// Actions the local rules refused before sending.
    pub rejected_locally: u64,
    /// Local effects undone (rejections and timeouts of locally applied actions).
    pub rolled_back: u64,
    /// Actions that timed out.
    pub timed_out: u64,
    /// Pending actions dropped because they no longer validated on replay.
    pub dropped_on_replay: u64,
    /// Host updates that did not apply to the confirmed world (a divergence for the audit).
    pub divergences: u64,
}
