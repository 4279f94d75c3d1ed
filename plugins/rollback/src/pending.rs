//! The queue of actions sent and not yet ACKed, and the confirmed states behind them.

use bevy_ecs::prelude::*;
use core::time::Duration;
use racksync_protocol::Action;
use std::collections::VecDeque;

/// One action awaiting its ACK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Sequence number sent with it.
    pub seq: u16,
    /// The action.
    pub action: Action,
    /// `Time<Real>` elapsed when it was sent.
    pub sent_at: Duration,
    /// Whether its effect is part of the local world right now.
    pub applied: bool,
    /// Whether it already timed out (it stays queued so a late ACK is honoured).
    pub timed_out: bool,
}

/// Pending actions. The confirmed state of the objects they touched lives in
/// [`racksync_world::ConfirmedOverlay`], where the audit can see it too.
#[derive(Resource, Debug, Default)]
pub struct PendingActions {
    pub(crate) next_seq: u16,
    pub(crate) queue: VecDeque<Pending>,
}

impl PendingActions {
    /// Actions awaiting their ACK, oldest first.
    pub fn queue(&self) -> impl Iterator<Item = &Pending> {
        self.queue.iter()
    }

    /// Number of actions awaiting their ACK.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// True when nothing awaits an ACK.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }
}
