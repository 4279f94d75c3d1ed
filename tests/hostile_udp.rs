//! A malicious client over real UDP loopback: a netcode client of its own (renetcode,
//! unsecure mode) that completes the handshake and then sends, inside valid netcode
//! payload packets, the renet slice that panics renet 2.0.1. The host's UDP transport
//! guards it: the host stays up, kicks the sender, and its honest player converges.

use std::net::UdpSocket;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::{Action, Channel, ObjectKind, Property};
use racksync_transport::guard::craft::slice_packet;
use racksync_transport::guard::renet_wire::SLICE_SIZE;
use racksync_transport::{DEFAULT_PROTOCOL_ID, PacketGuard};
use racksync_world::queries::loose_objects;
use renetcode::{ClientAuthentication, NETCODE_MAX_PACKET_BYTES, NetcodeClient};

/// A hand-driven netcode client on its own loopback socket.
struct Mallory {
    socket: UdpSocket,
    netcode: NetcodeClient,
    buffer: Vec<u8>,
}

impl Mallory {
    fn connect(server_addr: std::net::SocketAddr) -> Self {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.set_nonblocking(true).unwrap();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let netcode = NetcodeClient::new(
            now,
            ClientAuthentication::Unsecure {
                protocol_id: DEFAULT_PROTOCOL_ID,
                client_id: 666,
                server_addr,
                user_data: None,
            },
        )
        .unwrap();
        Self {
            socket,
            netcode,
            buffer: vec![0; NETCODE_MAX_PACKET_BYTES],
        }
    }

    /// netcode's own traffic: handshake packets and keep-alives, and what the host sent.
    fn pump(&mut self, dt: Duration) {
        while let Ok((len, _)) = self.socket.recv_from(&mut self.buffer) {
            self.netcode.process_packet(&mut self.buffer[..len]);
        }
        if let Some((packet, addr)) = self.netcode.update(dt) {
            let _ = self.socket.send_to(packet, addr);
        }
    }

    fn send_payload(&mut self, payload: &[u8]) {
        let (addr, packet) = self.netcode.generate_payload_packet(payload).unwrap();
        self.socket.send_to(packet, addr).unwrap();
    }
}

#[test]
fn a_crafted_slice_over_udp_is_kicked_and_the_host_serves_on() {
    let mut harness = Harness::udp(default_world().unwrap());
    let alice = harness.add_client("alice");
    harness.join_all(500);
    let mut mallory = Mallory::connect(harness.host_addr().unwrap());
    let mut steps = 0;
    while !mallory.netcode.is_connected() {
        assert!(steps < 500, "the netcode handshake completes on loopback");
        mallory.pump(harness.step);
        harness.step();
        steps += 1;
    }

    // The slice renet indexes past its buffer, in a valid, encrypted payload packet.
    let crafted = slice_packet(true, Channel::World.id(), 0, 5, 3, &[0; SLICE_SIZE]);
    mallory.send_payload(&crafted);
    let kicked = harness.run_until(200, |h| {
        h.host.world().resource::<PacketGuard>().stats().kicked == 1
    });
    assert!(kicked, "the guard kicked the sender");

    // The host disconnects it after the linger; netcode tells the client.
    let mut steps = 0;
    while !mallory.netcode.is_disconnected() {
        assert!(steps < 500, "the kicked client is disconnected");
        mallory.pump(harness.step);
        harness.step();
        steps += 1;
    }

    // The host still serves its honest player.
    let server = loose_objects(harness.host.world(), ObjectKind::Server1U)[0];
    harness.perform(
        alice,
        Action::SetProperty {
            object: server,
            value: Property::Label(Some("still here".into())),
        },
    );
    assert!(harness.run_until(500, |h| h.converged()
        && !h.recorded(alice).outcomes.is_empty()));
}
