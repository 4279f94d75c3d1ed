//! Audit settings.

use bevy_ecs::prelude::*;
use core::time::Duration;

/// Default time between two audits.
pub const DEFAULT_AUDIT_INTERVAL: Duration = Duration::from_secs(20);

/// Default cap on resync answer bytes per client per audit round.
pub const DEFAULT_ANSWER_BUDGET: usize = 1024 * 1024;

/// How the host audits its clients.
#[derive(Resource, Clone, Debug, PartialEq, Eq)]
pub struct AuditSettings {
    /// Time between two audits (default 20 s). The host sends every playing client its
    /// root digest once per interval.
    pub interval: Duration,
    /// Most resync answer bytes the host sends one client between two audits (default
    /// 1 MiB). It bounds what a broken or hostile client can make the host send; what is
    /// left unrepaired shows up again at the next audit.
    pub answer_budget: usize,
}

impl Default for AuditSettings {
    fn default() -> Self {
        Self {
            interval: DEFAULT_AUDIT_INTERVAL,
            answer_budget: DEFAULT_ANSWER_BUDGET,
        }
    }
}
