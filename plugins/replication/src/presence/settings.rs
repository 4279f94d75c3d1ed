//! Presence rates and timeouts, host and client.

use bevy_ecs::prelude::*;
use core::time::Duration;

/// Host presence settings.
#[derive(Resource, Clone, Debug)]
pub struct PresenceSettings {
    /// A playing player from whom no presence or state message arrived for this long is
    /// dropped (SPEC §9: 10 s). The clock is held while the player's snapshot streams,
    /// because a loading client sends nothing.
    pub silence_timeout: Duration,
}

impl Default for PresenceSettings {
    fn default() -> Self {
        Self {
            silence_timeout: Duration::from_secs(10),
        }
    }
}

/// Client presence settings.
#[derive(Resource, Clone, Debug)]
pub struct ClientPresenceSettings {
    /// Time between two sends of the local transform and state: 50 ms = 20 Hz.
    pub send_interval: Duration,
    /// An unchanged transform or state is sent again after this long, so that a lost
    /// last update is repaired and the host hears the player while it stands still.
    /// Must stay well below the host's silence timeout.
    pub keepalive: Duration,
}

impl Default for ClientPresenceSettings {
    fn default() -> Self {
        Self {
            send_interval: Duration::from_millis(50),
            keepalive: Duration::from_secs(1),
        }
    }
}
