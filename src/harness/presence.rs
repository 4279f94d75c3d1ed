//! Presence helpers of the test harness: set a client's transform and state, read what
//! other clients and the host know.

use super::Harness;
use racksync_protocol::{PlayerId, PlayerState};
use racksync_replication::ClientSession;
use racksync_replication::presence::{
    ClientPresenceStats, HostPresenceStats, LocalPresence, PresenceBook, RemotePlayers,
};

impl Harness {
    /// Sets a client's local transform (metres, radians); it goes out with the next send.
    pub fn set_presence(&mut self, client: usize, position_metres: [f32; 3], yaw_radians: f32) {
        self.clients[client]
            .world_mut()
            .resource_mut::<LocalPresence>()
            .set_transform(position_metres, yaw_radians);
    }

    /// Sets a client's carry/crouch/sit state.
    pub fn set_player_state(&mut self, client: usize, state: PlayerState) {
        self.clients[client]
            .world_mut()
            .resource_mut::<LocalPresence>()
            .state = state;
    }

    /// The other players as a client sees them.
    pub fn remote_players(&self, client: usize) -> &RemotePlayers {
        self.clients[client].world().resource::<RemotePlayers>()
    }

    /// A client's player id, once welcomed.
    pub fn player_id(&self, client: usize) -> Option<PlayerId> {
        self.clients[client]
            .world()
            .resource::<ClientSession>()
            .player
    }

    /// A client's presence counters.
    pub fn client_presence_stats(&self, client: usize) -> ClientPresenceStats {
        *self.clients[client]
            .world()
            .resource::<ClientPresenceStats>()
    }

    /// The host's presence counters.
    pub fn host_presence_stats(&self) -> HostPresenceStats {
        *self.host.world().resource::<HostPresenceStats>()
    }

    /// The host's roster with every player's latest transform and state.
    pub fn presence_book(&self) -> &PresenceBook {
        self.host.world().resource::<PresenceBook>()
    }
}
