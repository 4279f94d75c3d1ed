//! Host: audit requests handed from the `world` channel to the audit plugin.

use bevy_ecs::prelude::*;
use racksync_protocol::{ClientAudit, PlayerId};
use renet::ClientId;

/// One audit request from a welcomed client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundAudit {
    /// The connection it came from.
    pub client: ClientId,
    /// The player behind that connection.
    pub player: PlayerId,
    /// The request.
    pub request: ClientAudit,
    /// Its payload size on the wire, for the audit's byte counters.
    pub bytes: usize,
}

/// Audit requests received this frame, in arrival order.
///
/// The audit plugin inserts this resource; without it an audit request is a protocol
/// violation, since nothing would ever answer it.
#[derive(Resource, Debug, Default)]
pub struct AuditRequests(pub Vec<InboundAudit>);
