//! The host's netcode-over-UDP transport, with the [`PacketGuard`] between netcode's
//! decryption and renet.
//!
//! bevy_renet's `NetcodeServerPlugin` hands every decrypted payload straight to
//! `RenetServer::process_packet_from`, with no hook in between, so a packet that makes
//! renet panic takes the host down. This transport drives renetcode's `NetcodeServer`
//! itself, the same way (receive, update clients, close disconnections, send), and asks
//! the guard about every payload first. It also counts every datagram to and from a
//! connected client in [`HostTraffic`].

use std::collections::HashMap;
use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use bevy_app::{App, Last, Plugin, PostUpdate, PreUpdate};
use bevy_ecs::prelude::*;
use bevy_log::error;
use bevy_renet::{RenetReceive, RenetSend, RenetServer, RenetServerPlugin};
use bevy_time::{Real, Time};
use renet::ClientId;
use renetcode::{NETCODE_MAX_PACKET_BYTES, NetcodeServer, ServerConfig, ServerResult};

use crate::guard::{PacketGuard, Verdict};
use crate::kick::report_kicks;
use crate::traffic::HostTraffic;

/// A netcode host on a UDP socket, as a resource next to a [`RenetServer`]. Built by
/// [`crate::udp_server`]; driven by [`UdpServerTransportPlugin`].
#[derive(Resource)]
pub struct UdpServerTransport {
    socket: UdpSocket,
    netcode: NetcodeServer,
    buffer: Box<[u8; NETCODE_MAX_PACKET_BYTES]>,
    /// Connected clients by address, to count their datagrams: netcode knows the
    /// mapping but does not expose it.
    peers: HashMap<SocketAddr, ClientId>,
}

impl UdpServerTransport {
    /// A transport for `config` on `socket` (made non-blocking here).
    pub fn new(config: ServerConfig, socket: UdpSocket) -> io::Result<Self> {
        socket.set_nonblocking(true)?;
        Ok(Self {
            socket,
            netcode: NetcodeServer::new(config),
            buffer: Box::new([0; NETCODE_MAX_PACKET_BYTES]),
            peers: HashMap::new(),
        })
    }

    /// The address the socket is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    /// The client's address, while it is connected.
    pub fn client_addr(&self, client: ClientId) -> Option<SocketAddr> {
        self.netcode.client_addr(client)
    }

    /// Connected clients.
    pub fn connected_clients(&self) -> usize {
        self.netcode.connected_clients()
    }

    /// Advances netcode by `dt`, reads every waiting datagram, and hands the payloads
    /// the guard passes to `server`. `now` is the guard's clock, and `traffic`'s.
    pub fn update(
        &mut self,
        dt: Duration,
        now: Duration,
        server: &mut RenetServer,
        guard: &mut PacketGuard,
        traffic: &mut HostTraffic,
    ) -> io::Result<()> {
        self.netcode.update(dt);
        let mut count = Counting {
            peers: &mut self.peers,
            traffic,
            now,
        };
        loop {
            match self.socket.recv_from(&mut self.buffer[..]) {
                Ok((len, addr)) => {
                    count.received(addr, len);
                    let result = self.netcode.process_packet(addr, &mut self.buffer[..len]);
                    handle(result, &self.socket, server, guard, &mut count);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => break,
                // An ICMP "port unreachable" from a client that went away.
                Err(e) if e.kind() == io::ErrorKind::ConnectionReset => continue,
                Err(e) => return Err(e),
            }
        }
        for client in self.netcode.clients_id() {
            let result = self.netcode.update_client(client);
            handle(result, &self.socket, server, guard, &mut count);
        }
        for client in server.disconnections_id() {
            let result = self.netcode.disconnect(client);
            handle(result, &self.socket, server, guard, &mut count);
        }
        Ok(())
    }

    /// Encrypts and sends everything renet has queued for every client. `now` is
    /// `traffic`'s clock.
    pub fn send_packets(
        &mut self,
        server: &mut RenetServer,
        traffic: &mut HostTraffic,
        now: Duration,
    ) {
        for client in server.clients_id() {
            let Ok(packets) = server.get_packets_to_send(client) else {
                continue;
            };
            for packet in packets {
                match self.netcode.generate_payload_packet(client, &packet) {
                    Ok((addr, payload)) => {
                        if let Err(e) = self.socket.send_to(payload, addr) {
                            error!(client, %addr, "sending to client failed: {e}");
                            break;
                        }
                        traffic.record_out(client, now, payload.len());
                    }
                    Err(e) => {
                        error!(client, "encrypting a packet for client failed: {e}");
                        break;
                    }
                }
            }
        }
    }

    /// Sends netcode's disconnect packets to every client at once (on exit).
    pub fn disconnect_all(
        &mut self,
        server: &mut RenetServer,
        guard: &mut PacketGuard,
        traffic: &mut HostTraffic,
    ) {
        let mut count = Counting {
            peers: &mut self.peers,
            traffic,
            // Every client is forgotten here, so the clock does not matter.
            now: Duration::ZERO,
        };
        for client in self.netcode.clients_id() {
            let result = self.netcode.disconnect(client);
            handle(result, &self.socket, server, guard, &mut count);
        }
    }
}

/// Where [`handle`] counts datagrams: which address is which client, the counters,
/// and the clock.
struct Counting<'a> {
    peers: &'a mut HashMap<SocketAddr, ClientId>,
    traffic: &'a mut HostTraffic,
    now: Duration,
}

impl Counting<'_> {
    /// A datagram from `addr`: counted if a connected client sent it. Handshake
    /// packets of clients still connecting belong to no connection yet.
    fn received(&mut self, addr: SocketAddr, len: usize) {
        if let Some(&client) = self.peers.get(&addr) {
            self.traffic.record_in(client, self.now, len);
        }
    }

    fn sent(&mut self, addr: SocketAddr, len: usize) {
        if let Some(&client) = self.peers.get(&addr) {
            self.traffic.record_out(client, self.now, len);
        }
    }

    fn connected(&mut self, client: ClientId, addr: SocketAddr) {
        self.peers.insert(addr, client);
        self.traffic.forget(client);
    }

    fn disconnected(&mut self, client: ClientId, addr: SocketAddr) {
        self.peers.remove(&addr);
        self.traffic.forget(client);
    }
}

fn handle(
    result: ServerResult<'_, '_>,
    socket: &UdpSocket,
    server: &mut RenetServer,
    guard: &mut PacketGuard,
    count: &mut Counting<'_>,
) {
    let send = |packet: &[u8], addr: SocketAddr, count: &mut Counting<'_>| {
        // A lost control packet is like a lost datagram: netcode resends or times out.
        if socket.send_to(packet, addr).is_ok() {
            count.sent(addr, packet.len());
        }
    };
    match result {
        ServerResult::None => {}
        ServerResult::PacketToSend { payload, addr } => send(payload, addr, count),
        ServerResult::Payload { client_id, payload } => {
            if guard.inspect(client_id, payload, count.now) == Verdict::Pass {
                // The only error is an unknown client, which netcode just vouched for.
                let _ = server.process_packet_from(payload, client_id);
            }
        }
        ServerResult::ClientConnected {
            client_id,
            addr,
            payload,
            ..
        } => {
            guard.forget(client_id);
            server.add_connection(client_id);
            count.connected(client_id, addr);
            send(payload, addr, count);
        }
        ServerResult::ClientDisconnected {
            client_id,
            addr,
            payload,
        } => {
            guard.forget(client_id);
            server.remove_connection(client_id);
            count.disconnected(client_id, addr);
            if let Some(payload) = payload {
                send(payload, addr, count);
            }
        }
    }
}

/// Runs a [`RenetServer`] over the [`UdpServerTransport`] resource.
///
/// * `PreUpdate`, in [`RenetReceive`] after `RenetServerPlugin::update_system` and before
///   its event emitter: receive, guard, close connections whose kick lingered, report
///   new kicks as [`crate::PeerKicked`].
/// * `PostUpdate`, in [`RenetSend`]: send.
/// * `Last`, on `AppExit`: tell every client the host is gone.
///
/// Receive and send count each client's datagrams in [`HostTraffic`] (initialised
/// here).
pub struct UdpServerTransportPlugin;

impl Plugin for UdpServerTransportPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<PacketGuard>();
        app.init_resource::<HostTraffic>();
        app.add_systems(
            PreUpdate,
            receive
                .in_set(RenetReceive)
                .after(RenetServerPlugin::update_system)
                .before(RenetServerPlugin::emit_server_events_system)
                .run_if(resource_exists::<RenetServer>)
                .run_if(resource_exists::<UdpServerTransport>),
        );
        app.add_systems(
            PostUpdate,
            send.in_set(RenetSend)
                .run_if(resource_exists::<RenetServer>)
                .run_if(resource_exists::<UdpServerTransport>),
        );
        app.add_systems(
            Last,
            disconnect_on_exit
                .run_if(resource_exists::<RenetServer>)
                .run_if(resource_exists::<UdpServerTransport>),
        );
    }
}

fn receive(
    mut transport: ResMut<UdpServerTransport>,
    mut server: ResMut<RenetServer>,
    mut guard: ResMut<PacketGuard>,
    mut traffic: ResMut<HostTraffic>,
    time: Res<Time<Real>>,
    mut commands: Commands,
) {
    let now = time.elapsed();
    for client in guard.due_closes(now) {
        server.disconnect(client);
    }
    if let Err(e) = transport.update(time.delta(), now, &mut server, &mut guard, &mut traffic) {
        error!("UDP receive failed: {e}");
    }
    report_kicks(&mut guard, &mut commands);
}

fn send(
    mut transport: ResMut<UdpServerTransport>,
    mut server: ResMut<RenetServer>,
    mut traffic: ResMut<HostTraffic>,
    time: Res<Time<Real>>,
) {
    transport.send_packets(&mut server, &mut traffic, time.elapsed());
}

fn disconnect_on_exit(
    exit: MessageReader<bevy_app::AppExit>,
    mut transport: ResMut<UdpServerTransport>,
    mut server: ResMut<RenetServer>,
    mut guard: ResMut<PacketGuard>,
    mut traffic: ResMut<HostTraffic>,
) {
    if !exit.is_empty() {
        transport.disconnect_all(&mut server, &mut guard, &mut traffic);
    }
}
