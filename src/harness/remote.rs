//! Clients of a host in another process (the `racksync host` binary), for tests that
//! kill and restart the host.

use super::{Harness, Wiring};
use crate::plugins::HeadlessPlugins;
use bevy_app::App;
use racksync_world::WorldSave;
use std::net::SocketAddr;

impl Harness {
    /// Clients only, joining the host at `addr` over UDP. That host runs on the wall
    /// clock, so each [`Harness::step`] first waits until real time catches up with the
    /// harness clock. The `host` app is an idle placeholder: the `host_*` accessors and
    /// [`Harness::converged`] describe nothing here; compare through the clients.
    pub fn remote(addr: SocketAddr) -> Self {
        let empty = WorldSave::capture(&bevy_ecs::world::World::new());
        let mut harness = Self::new(empty, |_, _| Wiring::Udp(addr));
        harness.wall_clock = true;
        harness.host = App::new();
        harness.host.add_plugins(HeadlessPlugins);
        harness.set_clock_of_host();
        harness
    }
}
