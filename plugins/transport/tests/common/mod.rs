//! Shared setup for the transport integration tests: a host App and client Apps on one
//! memory network, stepped together on a manual clock, and what their transports see.

#![allow(dead_code, reason = "each test crate uses a different part")]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bevy_app::{App, TaskPoolPlugin};
use bevy_ecs::prelude::*;
use bevy_renet::renet::ServerEvent;
use bevy_renet::{RenetClient, RenetServer, RenetServerEvent};
use bevy_time::{TimePlugin, TimeUpdateStrategy};
use racksync_transport::{
    ClientConnection, ClientTraffic, ClientTransportPlugin, ConnectionInfo, DEFAULT_PROTOCOL_ID,
    HostConnections, HostSecurity, HostTraffic, LinkConditions, MemoryNetwork, PeerTraffic,
    ServerTransportPlugin, UdpClientTransport, new_client, new_server, udp_server,
};

/// A host App serving renet over racksync's UDP transport on an ephemeral loopback
/// port, on the real clock, and the address it is bound to.
pub fn udp_host(security: HostSecurity) -> (App, SocketAddr) {
    let bind: SocketAddr = "127.0.0.1:0".parse().expect("valid address");
    let (transport, addr) =
        udp_server(bind, 8, DEFAULT_PROTOCOL_ID, security).expect("binding a loopback port");
    let mut host = App::new();
    host.add_plugins((TaskPoolPlugin::default(), TimePlugin, ServerTransportPlugin))
        .insert_resource(new_server())
        .insert_resource(transport);
    (host, addr)
}

/// A client App on the real clock with its renet client and `transport`.
pub fn udp_client_app(transport: UdpClientTransport) -> App {
    let mut client = App::new();
    client
        .add_plugins((TaskPoolPlugin::default(), TimePlugin, ClientTransportPlugin))
        .insert_resource(new_client())
        .insert_resource(transport);
    client
}

/// One frame of every App, unless the session says otherwise ([`Session::with_frame`]).
pub const FRAME: Duration = Duration::from_millis(16);

/// Server events seen by the host, in order.
#[derive(Resource, Default, Debug)]
pub struct SeenEvents(pub Vec<ServerEvent>);

/// A host and its clients on one memory network, all on one manual clock.
pub struct Session {
    pub base: Instant,
    pub frame: Duration,
    pub step: u32,
    pub network: MemoryNetwork,
    pub host: App,
    pub clients: Vec<App>,
}

impl Session {
    pub fn new(seed: u64) -> Self {
        Self::with_frame(seed, FRAME)
    }

    /// A session whose frames last `frame` (e.g. 20 ms, five to a traffic bucket).
    pub fn with_frame(seed: u64, frame: Duration) -> Self {
        let network = MemoryNetwork::new(seed);
        let mut host = App::new();
        host.add_plugins((TaskPoolPlugin::default(), TimePlugin, ServerTransportPlugin))
            .insert_resource(new_server())
            .insert_resource(network.host().expect("first host"))
            .init_resource::<SeenEvents>()
            .add_observer(
                |event: On<RenetServerEvent>, mut seen: ResMut<SeenEvents>| {
                    let copy = match &event.0 {
                        ServerEvent::ClientConnected { client_id } => {
                            ServerEvent::ClientConnected {
                                client_id: *client_id,
                            }
                        }
                        ServerEvent::ClientDisconnected { client_id, reason } => {
                            ServerEvent::ClientDisconnected {
                                client_id: *client_id,
                                reason: *reason,
                            }
                        }
                    };
                    seen.0.push(copy);
                },
            );
        Self {
            base: Instant::now(),
            frame,
            step: 0,
            network,
            host,
            clients: Vec::new(),
        }
    }

    pub fn add_client(
        &mut self,
        client_id: u64,
        to_host: LinkConditions,
        to_client: LinkConditions,
    ) {
        let transport = self
            .network
            .connect(client_id, to_host, to_client)
            .expect("free client id");
        let mut client = App::new();
        client
            .add_plugins((TaskPoolPlugin::default(), TimePlugin, ClientTransportPlugin))
            .insert_resource(new_client())
            .insert_resource(transport);
        self.clients.push(client);
    }

    /// Advances the shared clock by one frame and updates the host, then every client.
    pub fn step(&mut self) {
        let now = self.base + self.frame * self.step;
        self.step += 1;
        self.host
            .insert_resource(TimeUpdateStrategy::ManualInstant(now));
        self.host.update();
        for client in &mut self.clients {
            client.insert_resource(TimeUpdateStrategy::ManualInstant(now));
            client.update();
        }
    }

    pub fn server(&mut self) -> Mut<'_, RenetServer> {
        self.host.world_mut().resource_mut::<RenetServer>()
    }

    pub fn client(&mut self, index: usize) -> Mut<'_, RenetClient> {
        self.clients[index]
            .world_mut()
            .resource_mut::<RenetClient>()
    }

    pub fn events(&self) -> &[ServerEvent] {
        &self.host.world().resource::<SeenEvents>().0
    }

    /// Updates one client alone at the last step's instant, as if the host were late.
    pub fn update_client_only(&mut self, index: usize) {
        let now = self.base + self.frame * self.step.saturating_sub(1);
        let client = &mut self.clients[index];
        client.insert_resource(TimeUpdateStrategy::ManualInstant(now));
        client.update();
    }

    /// The host's view of `client_id`'s connection, while the host holds it.
    pub fn host_connection(&self, client_id: u64) -> Option<ConnectionInfo> {
        let connections = self.host.world().resource::<HostConnections>();
        connections.get(client_id).copied()
    }

    /// A client's view of its connection.
    pub fn client_connection(&self, index: usize) -> ConnectionInfo {
        self.clients[index].world().resource::<ClientConnection>().0
    }

    /// What the host transport counted for `client_id`, while it holds the connection.
    pub fn host_traffic(&self, client_id: u64) -> Option<PeerTraffic> {
        let traffic = self.host.world().resource::<HostTraffic>();
        traffic.peer(client_id).cloned()
    }

    /// What a client's transport counted.
    pub fn client_traffic(&self, index: usize) -> PeerTraffic {
        self.clients[index]
            .world()
            .resource::<ClientTraffic>()
            .0
            .clone()
    }
}
