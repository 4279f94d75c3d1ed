//! The client end of the memory transport.

use bevy_app::{App, Plugin, PostUpdate, PreUpdate};
use bevy_ecs::prelude::*;
use bevy_renet::{RenetClient, RenetClientPlugin, RenetReceive, RenetSend};
use bevy_time::{Real, Time};
use renet::ClientId;

use super::{MemoryNetwork, MemoryTransportSystems, endpoint_now};
use crate::traffic::ClientTraffic;

/// A client's link on a [`MemoryNetwork`], as a resource next to a [`RenetClient`].
/// Created by [`MemoryNetwork::connect`]; the client stays connecting until a host
/// accepts the link. Dropping it closes the link, so the host sees the client leave.
#[derive(Resource, Debug)]
pub struct MemoryClientTransport {
    network: MemoryNetwork,
    pub(super) client_id: ClientId,
    pub(super) token: u64,
}

impl MemoryClientTransport {
    pub(super) fn new(network: MemoryNetwork, client_id: ClientId, token: u64) -> Self {
        Self {
            network,
            client_id,
            token,
        }
    }

    /// The renet client id the host knows this client by.
    pub fn client_id(&self) -> ClientId {
        self.client_id
    }

    /// The network this client is connected to.
    pub fn network(&self) -> &MemoryNetwork {
        &self.network
    }

    /// Puts `datagram` on the link to the host at `now`, as if this client's renet had
    /// sent it: for tests that play a hostile client sending crafted packets.
    pub fn send_raw(&self, now: std::time::Instant, datagram: Vec<u8>) {
        self.network
            .client_send(self.client_id, self.token, now, datagram);
    }
}

impl Drop for MemoryClientTransport {
    fn drop(&mut self) {
        // The token makes this a no-op if the id already belongs to a newer link.
        self.network.client_close(self.client_id, self.token);
    }
}

/// Runs a [`RenetClient`] over the [`MemoryClientTransport`] resource.
///
/// Adds two systems, each gated on both resources existing:
/// * `PreUpdate`, [`MemoryTransportSystems::Receive`] (inside [`RenetReceive`], after
///   `RenetClientPlugin::update_system`): marks the client connected once the host
///   accepted the link, feeds arrived datagrams, and disconnects the client if the
///   host closed the link.
/// * `PostUpdate`, [`MemoryTransportSystems::Send`] (inside [`RenetSend`]): closes the
///   link once the client is disconnected, otherwise puts its outgoing packets on it.
///
/// Both count the datagrams in [`ClientTraffic`] (initialised here).
///
/// It does not add [`RenetClientPlugin`]; [`crate::ClientTransportPlugin`] adds both.
pub struct MemoryClientTransportPlugin;

impl Plugin for MemoryClientTransportPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<ClientTraffic>();
        app.configure_sets(
            PreUpdate,
            MemoryTransportSystems::Receive.in_set(RenetReceive),
        );
        app.configure_sets(PostUpdate, MemoryTransportSystems::Send.in_set(RenetSend));
        app.add_systems(
            PreUpdate,
            receive
                .in_set(MemoryTransportSystems::Receive)
                .after(RenetClientPlugin::update_system)
                .run_if(resource_exists::<RenetClient>)
                .run_if(resource_exists::<MemoryClientTransport>),
        );
        app.add_systems(
            PostUpdate,
            send.in_set(MemoryTransportSystems::Send)
                .run_if(resource_exists::<RenetClient>)
                .run_if(resource_exists::<MemoryClientTransport>),
        );
    }
}

fn receive(
    mut client: ResMut<RenetClient>,
    transport: Res<MemoryClientTransport>,
    mut traffic: ResMut<ClientTraffic>,
    time: Res<Time<Real>>,
) {
    let now = endpoint_now(&time);
    let poll = transport
        .network
        .client_poll(transport.client_id, transport.token, now);
    if poll.closed {
        client.disconnect_due_to_transport();
        return;
    }
    if poll.connected && client.is_connecting() {
        client.set_connected();
    }
    for datagram in poll.datagrams {
        traffic.record_in(time.elapsed(), datagram.len());
        client.process_packet(&datagram);
    }
}

fn send(
    mut client: ResMut<RenetClient>,
    transport: Res<MemoryClientTransport>,
    mut traffic: ResMut<ClientTraffic>,
    time: Res<Time<Real>>,
) {
    if client.is_disconnected() {
        transport
            .network
            .client_close(transport.client_id, transport.token);
        return;
    }
    // Like netcode, nothing is sent before the host accepted the link; renet keeps
    // reliable messages queued until then.
    if !client.is_connected() {
        return;
    }
    let now = endpoint_now(&time);
    for packet in client.get_packets_to_send() {
        traffic.record_out(time.elapsed(), packet.len());
        transport
            .network
            .client_send(transport.client_id, transport.token, now, packet);
    }
}
