//! The host's netcode-over-UDP transport, with the [`PacketGuard`] between netcode's
//! decryption and renet.
//!
//! bevy_renet's `NetcodeServerPlugin` hands every decrypted payload straight to
//! `RenetServer::process_packet_from`, with no hook in between, so a packet that makes
//! renet panic takes the host down. This transport drives renetcode's `NetcodeServer`
//! itself, the same way (receive, update clients, close disconnections, send), and asks
//! the guard about every payload first.

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

/// A netcode host on a UDP socket, as a resource next to a [`RenetServer`]. Built by
/// [`crate::udp_server`]; driven by [`UdpServerTransportPlugin`].
#[derive(Resource)]
pub struct UdpServerTransport {
    socket: UdpSocket,
    netcode: NetcodeServer,
    buffer: Box<[u8; NETCODE_MAX_PACKET_BYTES]>,
}

impl UdpServerTransport {
    /// A transport for `config` on `socket` (made non-blocking here).
    pub fn new(config: ServerConfig, socket: UdpSocket) -> io::Result<Self> {
        socket.set_nonblocking(true)?;
        Ok(Self {
            socket,
            netcode: NetcodeServer::new(config),
            buffer: Box::new([0; NETCODE_MAX_PACKET_BYTES]),
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
    /// the guard passes to `server`. `now` is the guard's clock.
    pub fn update(
        &mut self,
        dt: Duration,
        now: Duration,
        server: &mut RenetServer,
        guard: &mut PacketGuard,
    ) -> io::Result<()> {
        self.netcode.update(dt);
        loop {
            match self.socket.recv_from(&mut self.buffer[..]) {
                Ok((len, addr)) => {
                    let result = self.netcode.process_packet(addr, &mut self.buffer[..len]);
                    handle(result, &self.socket, server, guard, now);
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
            handle(result, &self.socket, server, guard, now);
        }
        for client in server.disconnections_id() {
            let result = self.netcode.disconnect(client);
            handle(result, &self.socket, server, guard, now);
        }
        Ok(())
    }

    /// Encrypts and sends everything renet has queued for every client.
    pub fn send_packets(&mut self, server: &mut RenetServer) {
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
    pub fn disconnect_all(&mut self, server: &mut RenetServer, guard: &mut PacketGuard) {
        for client in self.netcode.clients_id() {
            let result = self.netcode.disconnect(client);
            handle(result, &self.socket, server, guard, Duration::ZERO);
        }
    }
}

fn handle(
    result: ServerResult<'_, '_>,
    socket: &UdpSocket,
    server: &mut RenetServer,
    guard: &mut PacketGuard,
    now: Duration,
) {
    let send = |packet: &[u8], addr: SocketAddr| {
        // A lost control packet is like a lost datagram: netcode resends or times out.
        let _ = socket.send_to(packet, addr);
    };
    match result {
        ServerResult::None => {}
        ServerResult::PacketToSend { payload, addr } => send(payload, addr),
        ServerResult::Payload { client_id, payload } => {
            if guard.inspect(client_id, payload, now) == Verdict::Pass {
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
            send(payload, addr);
        }
        ServerResult::ClientDisconnected {
            client_id,
            addr,
            payload,
        } => {
            guard.forget(client_id);
            server.remove_connection(client_id);
            if let Some(payload) = payload {
                send(payload, addr);
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
pub struct UdpServerTransportPlugin;

impl Plugin for UdpServerTransportPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<PacketGuard>();
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
    time: Res<Time<Real>>,
    mut commands: Commands,
) {
    let now = time.elapsed();
    for client in guard.due_closes(now) {
        server.disconnect(client);
    }
    if let Err(e) = transport.update(time.delta(), now, &mut server, &mut guard) {
        error!("UDP receive failed: {e}");
    }
    report_kicks(&mut guard, &mut commands);
}

fn send(mut transport: ResMut<UdpServerTransport>, mut server: ResMut<RenetServer>) {
    transport.send_packets(&mut server);
}

fn disconnect_on_exit(
    exit: MessageReader<bevy_app::AppExit>,
    mut transport: ResMut<UdpServerTransport>,
    mut server: ResMut<RenetServer>,
    mut guard: ResMut<PacketGuard>,
) {
    if !exit.is_empty() {
        transport.disconnect_all(&mut server, &mut guard);
    }
}
