//! The host end of the memory transport.

use bevy_app::{App, Plugin, PostUpdate, PreUpdate};
use bevy_ecs::prelude::*;
use bevy_renet::{RenetReceive, RenetSend, RenetServer, RenetServerPlugin};
use bevy_time::{Real, Time};

use super::{MemoryNetwork, MemoryTransportSystems, endpoint_now};
use crate::guard::{PacketGuard, Verdict};
use crate::kick::report_kicks;
use crate::traffic::HostTraffic;

/// The host's attachment to a [`MemoryNetwork`], as a resource next to a
/// [`RenetServer`]. Created by [`MemoryNetwork::host`]; dropping it (removing the
/// resource or dropping the App) closes every link the host accepted.
#[derive(Resource, Debug)]
pub struct MemoryServerTransport {
    network: MemoryNetwork,
    pub(super) token: u64,
}

impl MemoryServerTransport {
    pub(super) fn new(network: MemoryNetwork, token: u64) -> Self {
        Self { network, token }
    }

    /// The network this host is attached to.
    pub fn network(&self) -> &MemoryNetwork {
        &self.network
    }
}

impl Drop for MemoryServerTransport {
    fn drop(&mut self) {
        self.network.host_detach(self.token);
    }
}

/// Runs a [`RenetServer`] over the [`MemoryServerTransport`] resource.
///
/// Adds two systems, each gated on both resources existing:
/// * `PreUpdate`, [`MemoryTransportSystems::Receive`] (inside [`RenetReceive`], after
///   `RenetServerPlugin::update_system`, before
///   `RenetServerPlugin::emit_server_events_system`): accepts new links, removes
///   connections whose client closed, feeds arrived datagrams that the [`PacketGuard`]
///   passes, reports its kicks as [`crate::PeerKicked`], and closes the links of
///   clients the server disconnected.
/// * `PostUpdate`, [`MemoryTransportSystems::Send`] (inside [`RenetSend`]): puts the
///   server's outgoing packets on the links.
///
/// Both count the datagrams of each client in [`HostTraffic`] (initialised here).
///
/// It does not add [`RenetServerPlugin`]; [`crate::ServerTransportPlugin`] adds both.
pub struct MemoryServerTransportPlugin;

impl Plugin for MemoryServerTransportPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<PacketGuard>();
        app.init_resource::<HostTraffic>();
        app.configure_sets(
            PreUpdate,
            MemoryTransportSystems::Receive.in_set(RenetReceive),
        );
        app.configure_sets(PostUpdate, MemoryTransportSystems::Send.in_set(RenetSend));
        app.add_systems(
            PreUpdate,
            receive
                .in_set(MemoryTransportSystems::Receive)
                .after(RenetServerPlugin::update_system)
                .before(RenetServerPlugin::emit_server_events_system)
                .run_if(resource_exists::<RenetServer>)
                .run_if(resource_exists::<MemoryServerTransport>),
        );
        app.add_systems(
            PostUpdate,
            send.in_set(MemoryTransportSystems::Send)
                .run_if(resource_exists::<RenetServer>)
                .run_if(resource_exists::<MemoryServerTransport>),
        );
    }
}

fn receive(
    mut server: ResMut<RenetServer>,
    transport: Res<MemoryServerTransport>,
    mut guard: ResMut<PacketGuard>,
    mut traffic: ResMut<HostTraffic>,
    time: Res<Time<Real>>,
    mut commands: Commands,
) {
    let now = endpoint_now(&time);
    // The guard counts time as a duration since startup, like every budget.
    let guard_now = time.elapsed();
    for client_id in guard.due_closes(guard_now) {
        server.disconnect(client_id);
    }
    let poll = transport.network.host_poll(transport.token, now);
    for client_id in poll.accepted {
        guard.forget(client_id);
        traffic.forget(client_id);
        server.add_connection(client_id);
    }
    for client_id in poll.closed {
        guard.forget(client_id);
        traffic.forget(client_id);
        server.remove_connection(client_id);
    }
    for (client_id, datagram) in poll.datagrams {
        // Counted before the guard: it arrived, whatever the guard makes of it.
        traffic.record_in(client_id, guard_now, datagram.len());
        if guard.inspect(client_id, &datagram, guard_now) != Verdict::Pass {
            continue;
        }
        // The only error is an unknown client: a datagram that was in flight when the
        // server dropped the connection. A real socket would discard it too.
        let _ = server.process_packet_from(&datagram, client_id);
    }
    report_kicks(&mut guard, &mut commands);
    // Checked after the datagrams so a connection renet just dropped for a bad packet
    // is torn down, and its event emitted, in this same frame.
    for client_id in server.disconnections_id() {
        transport.network.host_close(transport.token, client_id);
        guard.forget(client_id);
        traffic.forget(client_id);
        server.remove_connection(client_id);
    }
}

fn send(
    mut server: ResMut<RenetServer>,
    transport: Res<MemoryServerTransport>,
    mut traffic: ResMut<HostTraffic>,
    time: Res<Time<Real>>,
) {
    let now = endpoint_now(&time);
    for client_id in server.clients_id() {
        // `clients_id` only lists known clients, so the lookup cannot fail here.
        let Ok(packets) = server.get_packets_to_send(client_id) else {
            continue;
        };
        for packet in packets {
            traffic.record_out(client_id, time.elapsed(), packet.len());
            transport
                .network
                .host_send(transport.token, client_id, now, packet);
        }
    }
}
