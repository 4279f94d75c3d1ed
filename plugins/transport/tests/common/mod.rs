//! Shared setup for the transport integration tests: a host App and client Apps on one
//! memory network, stepped together on a manual clock.

#![allow(dead_code, reason = "each test crate uses a different part")]

use std::time::{Duration, Instant};

use bevy_app::{App, TaskPoolPlugin};
use bevy_ecs::prelude::*;
use bevy_renet::renet::ServerEvent;
use bevy_renet::{RenetClient, RenetServer, RenetServerEvent};
use bevy_time::{TimePlugin, TimeUpdateStrategy};
use racksync_transport::{
    ClientTransportPlugin, LinkConditions, MemoryNetwork, ServerTransportPlugin, new_client,
    new_server,
};

/// One frame of every App.
pub const FRAME: Duration = Duration::from_millis(16);

/// Server events seen by the host, in order.
#[derive(Resource, Default, Debug)]
pub struct SeenEvents(pub Vec<ServerEvent>);

/// A host and its clients on one memory network, all on one manual clock.
pub struct Session {
    pub base: Instant,
    pub step: u32,
    pub network: MemoryNetwork,
    pub host: App,
    pub clients: Vec<App>,
}

impl Session {
    pub fn new(seed: u64) -> Self {
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
        let now = self.base + FRAME * self.step;
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
}
