//! Secure-mode hosts in the test harness: a host that admits only connect tokens signed
//! with its key, and clients that connect with a token.

use super::{Harness, Wiring, recording_client};
use bevy_time::TimeUpdateStrategy;
use racksync_transport::{
    DEFAULT_PROTOCOL_ID, HostSecurity, PrivateKey, new_client_with_budget, new_server_with_budget,
    udp_server, udp_token_client,
};
use racksync_world::WorldSave;
use renet_netcode::ConnectToken;
use std::net::SocketAddr;

impl Harness {
    /// A host serving `world` over netcode UDP in secure mode on an ephemeral loopback
    /// port: only clients with a token signed by `key` that names
    /// [`Harness::udp_addr`] get in.
    pub fn udp_secure(world: WorldSave, key: &PrivateKey) -> Self {
        let bind: SocketAddr = "127.0.0.1:0".parse().expect("valid address");
        let security = HostSecurity::Secure {
            private_key: *key.bytes(),
            public_addresses: Vec::new(),
        };
        let (transport, addr) =
            udp_server(bind, 64, DEFAULT_PROTOCOL_ID, security).expect("binding a loopback port");
        Self::new(world, move |host, bytes_per_tick| {
            host.insert_resource(new_server_with_budget(bytes_per_tick));
            host.insert_resource(transport);
            Wiring::Udp(addr)
        })
    }

    /// The host's UDP address (`None` in memory).
    pub fn udp_addr(&self) -> Option<SocketAddr> {
        match self.wiring {
            Wiring::Udp(addr) => Some(addr),
            Wiring::Memory(_) => None,
        }
    }

    /// Adds a client that connects over UDP with `token` (to the token's first host).
    pub fn add_token_client(&mut self, name: &str, token: ConnectToken) -> usize {
        let mut app = recording_client(name);
        app.insert_resource(new_client_with_budget(self.bytes_per_tick));
        let client_id = token.client_id;
        app.insert_resource(udp_token_client(token).expect("binding a loopback port"));
        app.insert_resource(TimeUpdateStrategy::ManualInstant(self.base + self.now));
        self.clients.push(app);
        self.client_ids.push(client_id);
        self.clients.len() - 1
    }
}
