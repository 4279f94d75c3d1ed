//! Client: audit messages handed from the `world` channel to the audit plugin, at the
//! exact revision they describe.
//!
//! Audit messages describe the host's world at one revision. The `world` channel is
//! ordered, so when one is read every earlier update has been read too; the receive
//! system stops reading after a run of audit messages (holding back the next world
//! message for the following frame) so that, by the time the audit systems run, the
//! rollback plugin has applied exactly the updates up to that revision and nothing more.

use bevy_ecs::prelude::*;
use racksync_protocol::{HostAudit, HostWorldMessage};

/// One audit message from the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedAudit {
    /// The message.
    pub message: HostAudit,
    /// Its payload size on the wire, for the audit's byte counters.
    pub bytes: usize,
}

/// Audit messages received this frame, in arrival order, all at the same revision.
///
/// The audit plugin inserts this resource; without it audit messages are dropped (a
/// client without auditing simply never answers).
#[derive(Resource, Debug, Default)]
pub struct AuditInbox(pub Vec<ReceivedAudit>);

/// A `world` message read after this frame's audit messages; handled first next frame.
#[derive(Resource, Debug, Default)]
pub struct HeldWorldMessage(pub(crate) Option<(HostWorldMessage, usize)>);
