//! Host: deliberate faults for tests and scenarios.

use bevy_ecs::prelude::*;
use renet::ClientId;
use std::collections::BTreeSet;

/// Broadcasts to withhold, to inject a desync: the next broadcast meant for each listed
/// client is not sent to it (everyone else still gets it).
#[derive(Resource, Debug, Default, Clone, PartialEq, Eq)]
pub struct BroadcastFaults {
    drop_next: BTreeSet<ClientId>,
}

impl BroadcastFaults {
    /// Withholds the next broadcast meant for `client`.
    pub fn drop_next(&mut self, client: ClientId) {
        self.drop_next.insert(client);
    }

    /// True (once) when the broadcast about to go to `client` must be withheld.
    pub fn take(&mut self, client: ClientId) -> bool {
        self.drop_next.remove(&client)
    }

    /// True when no fault is armed.
    pub fn is_empty(&self) -> bool {
        self.drop_next.is_empty()
    }
}
