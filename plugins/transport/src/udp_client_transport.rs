//! The client's netcode-over-UDP transport.
//!
//! bevy_renet's `NetcodeClientTransport` hides its socket, so nothing outside it can
//! count the datagrams a client sends and receives. This transport drives renetcode's
//! `NetcodeClient` on a non-blocking socket itself, the way renet_netcode's client
//! does (receive, advance netcode, send), and counts every datagram in the
//! [`ClientTraffic`] resource. It also notices a lost connection in the frame it
//! happens instead of one frame later, and sends nothing while netcode is still
//! connecting, so renet keeps the messages queued meanwhile instead of losing
//! unreliable ones.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use bevy_app::{App, AppExit, Last, OnAppExitSystems, Plugin, PostUpdate, PreUpdate};
use bevy_ecs::prelude::*;
use bevy_log::error;
use bevy_renet::netcode::NetcodeErrorEvent;
use bevy_renet::{RenetClient, RenetClientPlugin, RenetReceive, RenetSend};
use bevy_time::{Real, Time};
use renet::ClientId;
use renet_netcode::{NetcodeDisconnectReason, NetcodeTransportError};
use renetcode::{ClientAuthentication, NETCODE_MAX_PACKET_BYTES, NetcodeClient, NetcodeError};

use crate::traffic::{ClientTraffic, PeerTraffic};

/// A netcode client on a UDP socket, as a resource next to a [`RenetClient`]. Built by
/// [`crate::udp_client`] or [`crate::udp_token_client`]; driven by
/// [`UdpClientTransportPlugin`].
#[derive(Resource)]
pub struct UdpClientTransport {
    socket: UdpSocket,
    netcode: NetcodeClient,
    buffer: Box<[u8; NETCODE_MAX_PACKET_BYTES]>,
    /// The end of the connection was reported once; later frames stay quiet.
    end_reported: bool,
}

impl UdpClientTransport {
    /// A client connecting as `authentication` says, on `socket` (made non-blocking
    /// here). `current_time` is UNIX time: netcode checks token expiry against it.
    pub fn new(
        current_time: Duration,
        authentication: ClientAuthentication,
        socket: UdpSocket,
    ) -> Result<Self, NetcodeError> {
        socket.set_nonblocking(true)?;
        Ok(Self {
            socket,
            netcode: NetcodeClient::new(current_time, authentication)?,
            buffer: Box::new([0; NETCODE_MAX_PACKET_BYTES]),
            end_reported: false,
        })
    }

    /// The address the socket is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    /// The host address netcode is connected, or connecting, to.
    pub fn server_addr(&self) -> SocketAddr {
        self.netcode.server_addr()
    }

    /// The client id the host knows this client by.
    pub fn client_id(&self) -> ClientId {
        self.netcode.client_id()
    }

    /// netcode is still shaking hands with the host.
    pub fn is_connecting(&self) -> bool {
        self.netcode.is_connecting()
    }

    /// netcode completed the handshake and the connection is up.
    pub fn is_connected(&self) -> bool {
        self.netcode.is_connected()
    }

    /// The connection is over (see [`Self::disconnect_reason`]).
    pub fn is_disconnected(&self) -> bool {
        self.netcode.is_disconnected()
    }

    /// Time since the last packet from the host, on netcode's clock.
    pub fn time_since_last_received_packet(&self) -> Duration {
        self.netcode.time_since_last_received_packet()
    }

    /// netcode's reason the connection ended, once it has: more telling than renet's
    /// "transport" (a secure host that ignored the token shows as "connection timed
    /// out during request step").
    pub fn disconnect_reason(&self) -> Option<NetcodeDisconnectReason> {
        self.netcode.disconnect_reason()
    }

    /// Ends the connection now, telling the host with netcode's disconnect packet (on
    /// exit; otherwise disconnect the [`RenetClient`], and the next update does this).
    pub fn disconnect(&mut self, traffic: &mut PeerTraffic, now: Duration) {
        if self.netcode.is_disconnected() {
            return;
        }
        match self.netcode.disconnect() {
            Ok((addr, packet)) => send(&self.socket, traffic, now, packet, addr),
            Err(e) => error!("encoding netcode's disconnect packet failed: {e}"),
        }
    }

    /// Advances netcode by `dt`, reads every waiting datagram from the host into
    /// `client`, and sends netcode's own packets (handshake, keep-alive). Keeps
    /// `client`'s state in step with netcode's. `now` is the App clock, for `traffic`.
    ///
    /// Reports the end of the connection once, as an error: netcode's reason if netcode
    /// ended it, renet's if `client` was disconnected (then the host is told).
    pub fn update(
        &mut self,
        dt: Duration,
        now: Duration,
        client: &mut RenetClient,
        traffic: &mut PeerTraffic,
    ) -> Result<(), NetcodeTransportError> {
        if let Some(reason) = client.disconnect_reason()
            && !self.netcode.is_disconnected()
        {
            // The game (or renet, on a protocol error) ended the connection.
            self.disconnect(traffic, now);
            return self.report_end(NetcodeTransportError::Renet(reason));
        }
        if !self.netcode.is_disconnected() {
            self.receive(client, traffic, now)?;
            if let Some((packet, addr)) = self.netcode.update(dt) {
                send(&self.socket, traffic, now, packet, addr);
            }
        }
        match self.netcode.disconnect_reason() {
            Some(reason) => {
                client.disconnect_due_to_transport();
                self.report_end(NetcodeError::Disconnected(reason).into())
            }
            None if self.netcode.is_connected() => {
                client.set_connected();
                Ok(())
            }
            None => {
                client.set_connecting();
                Ok(())
            }
        }
    }

    /// Encrypts and sends everything `client` has queued, once netcode is connected.
    /// `now` is the App clock, for `traffic`.
    pub fn send_packets(
        &mut self,
        now: Duration,
        client: &mut RenetClient,
        traffic: &mut PeerTraffic,
    ) -> Result<(), NetcodeTransportError> {
        // Before the handshake netcode refuses payloads; renet keeps its messages
        // queued until then. After the end, `update` reports it.
        if !self.netcode.is_connected() {
            return Ok(());
        }
        for packet in client.get_packets_to_send() {
            let (addr, datagram) = self.netcode.generate_payload_packet(&packet)?;
            let len = datagram.len();
            self.socket.send_to(datagram, addr)?;
            traffic.record_out(now, len);
        }
        Ok(())
    }

    fn receive(
        &mut self,
        client: &mut RenetClient,
        traffic: &mut PeerTraffic,
        now: Duration,
    ) -> Result<(), NetcodeTransportError> {
        loop {
            let (len, addr) = match self.socket.recv_from(&mut self.buffer[..]) {
                Ok(received) => received,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(()),
                // An ICMP "port unreachable" for an earlier datagram: the host is not
                // (yet) there. netcode's timeouts decide when to give up.
                Err(e) if e.kind() == io::ErrorKind::ConnectionReset => continue,
                Err(e) => return Err(e.into()),
            };
            // Anyone can send to this port; only the host's datagrams count.
            if addr != self.netcode.server_addr() {
                continue;
            }
            traffic.record_in(now, len);
            if let Some(payload) = self.netcode.process_packet(&mut self.buffer[..len]) {
                client.process_packet(payload);
            }
        }
    }

    fn report_end(&mut self, error: NetcodeTransportError) -> Result<(), NetcodeTransportError> {
        if std::mem::replace(&mut self.end_reported, true) {
            Ok(())
        } else {
            Err(error)
        }
    }
}

/// Sends one of netcode's own packets. A lost one is like a lost datagram: netcode
/// sends another or times out.
fn send(
    socket: &UdpSocket,
    traffic: &mut PeerTraffic,
    now: Duration,
    packet: &[u8],
    addr: SocketAddr,
) {
    if socket.send_to(packet, addr).is_ok() {
        traffic.record_out(now, packet.len());
    }
}

/// Runs a [`RenetClient`] over the [`UdpClientTransport`] resource, counting its
/// datagrams in [`ClientTraffic`] (initialised here).
///
/// * `PreUpdate`, in [`RenetReceive`] after `RenetClientPlugin::update_system`:
///   receive, advance netcode, follow its state.
/// * `PostUpdate`, in [`RenetSend`]: send.
/// * `Last`, in [`OnAppExitSystems`], on `AppExit`: send netcode's disconnect packet,
///   so the host lets go at once instead of after its timeout.
///
/// Errors, including the end of the connection (once), are triggered as bevy_renet's
/// [`NetcodeErrorEvent`], as its `NetcodeClientPlugin` does. It does not add
/// [`RenetClientPlugin`]; [`crate::ClientTransportPlugin`] adds both.
pub struct UdpClientTransportPlugin;

impl Plugin for UdpClientTransportPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<ClientTraffic>();
        app.add_systems(
            PreUpdate,
            receive
                .in_set(RenetReceive)
                .after(RenetClientPlugin::update_system)
                .run_if(resource_exists::<RenetClient>)
                .run_if(resource_exists::<UdpClientTransport>),
        );
        app.add_systems(
            PostUpdate,
            send_packets
                .in_set(RenetSend)
                .run_if(resource_exists::<RenetClient>)
                .run_if(resource_exists::<UdpClientTransport>),
        );
        app.add_systems(
            Last,
            disconnect_on_exit
                .in_set(OnAppExitSystems)
                .run_if(|exit: Res<Messages<AppExit>>| !exit.is_empty())
                .run_if(resource_exists::<UdpClientTransport>),
        );
    }
}

fn receive(
    mut transport: ResMut<UdpClientTransport>,
    mut client: ResMut<RenetClient>,
    mut traffic: ResMut<ClientTraffic>,
    time: Res<Time<Real>>,
    mut commands: Commands,
) {
    if let Err(e) = transport.update(time.delta(), time.elapsed(), &mut client, &mut traffic) {
        commands.trigger(NetcodeErrorEvent(e));
    }
}

fn send_packets(
    mut transport: ResMut<UdpClientTransport>,
    mut client: ResMut<RenetClient>,
    mut traffic: ResMut<ClientTraffic>,
    time: Res<Time<Real>>,
    mut commands: Commands,
) {
    if let Err(e) = transport.send_packets(time.elapsed(), &mut client, &mut traffic) {
        commands.trigger(NetcodeErrorEvent(e));
    }
}

fn disconnect_on_exit(
    mut transport: ResMut<UdpClientTransport>,
    mut traffic: ResMut<ClientTraffic>,
    time: Res<Time<Real>>,
) {
    transport.disconnect(&mut traffic, time.elapsed());
}
