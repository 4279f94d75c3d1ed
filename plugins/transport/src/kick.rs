//! How the transport tells the rest of the host that its guard kicked a connection.

use bevy_ecs::prelude::*;
use renet::ClientId;

use crate::guard::{GuardViolation, PacketGuard};

/// The packet guard kicked `client`: its packets are dropped from now on and the
/// transport closes the connection after the guard's linger. Observers (the host's
/// replication) tell the client why in the meantime.
#[derive(Event, Clone, Debug, PartialEq, Eq)]
pub struct PeerKicked {
    /// The connection.
    pub client: ClientId,
    /// Why it was kicked.
    pub reason: GuardViolation,
}

/// Triggers [`PeerKicked`] for every kick the guard made since the last call.
pub fn report_kicks(guard: &mut PacketGuard, commands: &mut Commands) {
    for kick in guard.take_kicks() {
        commands.trigger(PeerKicked {
            client: kick.client,
            reason: kick.reason,
        });
    }
}
