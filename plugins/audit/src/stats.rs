//! Audit counters, on the host and on each client.

use bevy_ecs::prelude::*;

/// What the audit did. The host and every client keep one; each field says what it
/// counts on either side. Byte counts are message payload bytes (what the codec
/// produces), so they are deterministic and independent of renet's packet framing.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct AuditStats {
    /// Host: root digests sent (one per client per interval). Client: roots compared.
    pub audits: u64,
    /// Host: audits after which the client asked to descend. Client: roots that did not
    /// match the confirmed world.
    pub mismatches: u64,
    /// Host: object fixes sent. Client: objects whose confirmed state a fix changed
    /// (changed, missing or extra).
    pub objects_resynced: u64,
    /// Payload bytes of root messages (host: sent; client: received).
    pub audit_bytes: u64,
    /// Payload bytes of descent requests and answers (host and client: both directions).
    pub resync_bytes: u64,
    /// Host: requests answered. Client: descent steps (one request/answer exchange
    /// with the host per tree level it had to go down), summed over every round.
    pub round_trips: u64,
    /// Host: requests refused or answers cut short by the answer budget. Client:
    /// answers ignored because they belonged to an abandoned round or another revision.
    pub refused: u64,
    /// Client: roots compared while predictions of the local player were pending.
    pub audits_with_predictions: u64,
    /// Client: roots whose revision differed from the locally counted one (it is
    /// adopted: the ordered channel guarantees it is right).
    pub revision_corrections: u64,
}
