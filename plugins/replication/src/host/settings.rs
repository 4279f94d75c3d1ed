//! Host settings the replication plugin reads.

use bevy_ecs::prelude::*;
use core::time::Duration;

/// How the host treats connections.
#[derive(Resource, Clone, Debug)]
pub struct HostSettings {
    /// Simulation rate announced in Welcome.
    pub tick_hz: u16,
    /// Most players at once.
    pub max_players: usize,
    /// How long a refused connection stays open so its reason can reach the client.
    pub refuse_linger: Duration,
}

impl Default for HostSettings {
    fn default() -> Self {
        Self {
            tick_hz: 30,
            max_players: 64,
            refuse_linger: Duration::from_millis(500),
        }
    }
}
