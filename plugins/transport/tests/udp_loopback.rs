//! A host App and a client App over real UDP on the loopback interface, the client on
//! racksync's own netcode transport: connecting, messages both ways, datagram counts,
//! and the three ways a connection ends (the game leaves, the App exits, the host never
//! answers).

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bevy_app::{App, AppExit};
use bevy_ecs::prelude::*;
use bevy_renet::netcode::{NetcodeDisconnectReason, NetcodeErrorEvent, NetcodeTransportError};
use bevy_renet::{RenetClient, RenetServer};
use bevy_time::TimeUpdateStrategy;
use common::{udp_client_app, udp_host};
use racksync_protocol::Channel;
use racksync_transport::{
    ClientConnection, ClientTraffic, ConnectionState, DEFAULT_PROTOCOL_ID, HostConnections,
    HostSecurity, HostTraffic, PrivateKey, TokenGrant, UdpClientTransport, issue_token, udp_client,
    udp_token_client,
};

const CLIENT: u64 = 7;

/// The errors the client transport reported, as text.
#[derive(Resource, Default)]
struct Reported(Vec<String>);

/// Records every [`NetcodeErrorEvent`], so tests see what the transport reported.
fn record_errors(client: &mut App) {
    client.init_resource::<Reported>().add_observer(
        |event: On<NetcodeErrorEvent>, mut seen: ResMut<Reported>| {
            let kind = match &event.0 {
                NetcodeTransportError::Netcode(_) => "netcode",
                NetcodeTransportError::Renet(_) => "renet",
                NetcodeTransportError::IO(_) => "io",
            };
            seen.0.push(format!("{kind}: {}", event.0));
        },
    );
}

fn reported(client: &App) -> &[String] {
    &client.world().resource::<Reported>().0
}

/// Updates host and client, 1 ms apart, until `done` or `max` rounds; true if done.
fn pump(
    host: &mut App,
    client: &mut App,
    max: u32,
    mut done: impl FnMut(&mut App, &mut App) -> bool,
) -> bool {
    for _ in 0..max {
        host.update();
        client.update();
        if done(host, client) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    false
}

/// A host and a client connected over unsecure UDP.
fn connected_pair() -> (App, App, SocketAddr) {
    let (mut host, addr) = udp_host(HostSecurity::Unsecure);
    let mut client = udp_client_app(udp_client(addr, CLIENT, DEFAULT_PROTOCOL_ID).unwrap());
    record_errors(&mut client);
    let connected = pump(&mut host, &mut client, 1000, |_, client| {
        client.world().resource::<RenetClient>().is_connected()
    });
    assert!(connected, "the netcode handshake completes on loopback");
    (host, client, addr)
}

fn client_transport(client: &App) -> &UdpClientTransport {
    client.world().resource::<UdpClientTransport>()
}

#[test]
fn one_message_each_way_over_udp() {
    let (mut host, mut client, _) = connected_pair();
    client
        .world_mut()
        .resource_mut::<RenetClient>()
        .send_message(Channel::World, b"hello host".to_vec());
    let mut host_got = false;
    let exchanged = pump(&mut host, &mut client, 1000, |host, client| {
        let mut server = host.world_mut().resource_mut::<RenetServer>();
        if let Some(message) = server.receive_message(CLIENT, Channel::World) {
            assert_eq!(&message[..], b"hello host");
            host_got = true;
            server.send_message(CLIENT, Channel::World, b"hello client".to_vec());
        }
        let mut renet_client = client.world_mut().resource_mut::<RenetClient>();
        host_got && renet_client.receive_message(Channel::World).is_some()
    });
    assert!(host_got, "host received the client's message");
    assert!(exchanged, "client received the host's message");
}

#[test]
fn own_client_transport_counts_datagrams_and_disconnects_cleanly() {
    let (mut host, addr) = udp_host(HostSecurity::Unsecure);
    let mut client = udp_client_app(udp_client(addr, CLIENT, DEFAULT_PROTOCOL_ID).unwrap());
    record_errors(&mut client);
    client.update();
    let first = client.world().resource::<ClientConnection>().0;
    assert_eq!(first.state, ConnectionState::Connecting);
    assert!(client_transport(&client).is_connecting());
    assert_eq!(
        client
            .world()
            .resource::<ClientTraffic>()
            .totals()
            .packets_out,
        1,
        "the connection request"
    );

    // Messages both ways every frame for 400 ms, so every rate has complete buckets.
    let started = Instant::now();
    let (mut host_got, mut client_got) = (0, 0);
    pump(&mut host, &mut client, 5000, |host, client| {
        let mut renet_client = client.world_mut().resource_mut::<RenetClient>();
        if renet_client.is_connected() {
            renet_client.send_message(Channel::Presence, vec![1; 100]);
        }
        while renet_client.receive_message(Channel::Presence).is_some() {
            client_got += 1;
        }
        let mut server = host.world_mut().resource_mut::<RenetServer>();
        while server.receive_message(CLIENT, Channel::Presence).is_some() {
            host_got += 1;
        }
        if server.is_connected(CLIENT) {
            server.send_message(CLIENT, Channel::Presence, vec![2; 100]);
        }
        started.elapsed() > Duration::from_millis(400)
    });
    assert!(host_got > 0 && client_got > 0, "{host_got} / {client_got}");

    let client_info = client.world().resource::<ClientConnection>().0;
    let host_info = *host
        .world()
        .resource::<HostConnections>()
        .get(CLIENT)
        .expect("the host holds the client");
    for (end, info) in [("client", client_info), ("host", host_info)] {
        assert_eq!(info.state, ConnectionState::Connected, "{end}");
        assert!(
            info.packets_in_per_s > 0.0 && info.packets_out_per_s > 0.0,
            "{end} {info:?}"
        );
        assert!(
            info.bytes_in_per_s > 0.0 && info.bytes_out_per_s > 0.0,
            "{end} {info:?}"
        );
        assert!(info.quality > 0, "{end} {info:?}");
    }
    let client_totals = client.world().resource::<ClientTraffic>().totals();
    let host_totals = host
        .world()
        .resource::<HostTraffic>()
        .peer(CLIENT)
        .expect("counted")
        .totals();
    // The host counts only once netcode tied the address to a client; the client also
    // counts its handshake. Loopback loses nothing, but some datagrams are in flight.
    assert!(
        (1..=client_totals.packets_out).contains(&host_totals.packets_in),
        "{client_totals:?} {host_totals:?}"
    );
    assert!(
        (1..=client_totals.packets_in).contains(&host_totals.packets_out),
        "{client_totals:?} {host_totals:?}"
    );
    // Each datagram carries at least netcode's header and MAC around the payload.
    assert!(client_totals.bytes_out >= 18 * client_totals.packets_out);

    // The game leaves: the transport tells the host, which lets go at once.
    client
        .world_mut()
        .resource_mut::<RenetClient>()
        .disconnect();
    let gone = pump(&mut host, &mut client, 1000, |host, _| {
        host.world()
            .resource::<RenetServer>()
            .clients_id()
            .is_empty()
    });
    assert!(gone, "the host saw the disconnect packet");
    assert_eq!(
        client_transport(&client).disconnect_reason(),
        Some(NetcodeDisconnectReason::DisconnectedByClient)
    );
    assert_eq!(
        client.world().resource::<ClientConnection>().0.state,
        ConnectionState::Disconnected
    );
    assert_eq!(host.world().resource::<HostConnections>().get(CLIENT), None);
    assert_eq!(host.world().resource::<HostTraffic>().peer(CLIENT), None);
    for _ in 0..5 {
        client.update();
    }
    assert_eq!(
        reported(&client),
        ["renet: connection terminated by the client"],
        "the end is reported once"
    );
}

#[test]
fn app_exit_tells_the_host_at_once() {
    let (mut host, mut client, _) = connected_pair();
    client.world_mut().write_message(AppExit::Success);
    client.update();
    assert_eq!(
        client_transport(&client).disconnect_reason(),
        Some(NetcodeDisconnectReason::DisconnectedByClient)
    );
    // Far sooner than netcode's 15 s timeout.
    let gone = pump(&mut host, &mut client, 1000, |host, _| {
        host.world()
            .resource::<RenetServer>()
            .clients_id()
            .is_empty()
    });
    assert!(gone, "the host saw the disconnect packet");
}

#[test]
fn a_token_the_host_ignores_ends_with_netcodes_reason() {
    let host_key = PrivateKey::generate();
    let (mut host, addr) = udp_host(HostSecurity::Secure {
        private_key: *host_key.bytes(),
        public_addresses: Vec::new(),
    });
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let grant = TokenGrant {
        client_id: 8,
        hosts: vec![addr],
        valid_for: Duration::from_secs(60),
        timeout: Duration::from_secs(1),
    };
    let forged = issue_token(&PrivateKey::generate(), DEFAULT_PROTOCOL_ID, &grant, now).unwrap();
    let mut client = udp_client_app(udp_token_client(forged).unwrap());
    record_errors(&mut client);
    // netcode follows the App clock: 100 ms a frame runs out the 1 s timeout quickly.
    client.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(
        100,
    )));
    let ended = pump(&mut host, &mut client, 40, |_, client| {
        client.world().resource::<RenetClient>().is_disconnected()
    });
    assert!(ended, "the client gave up");
    let reason = client_transport(&client).disconnect_reason();
    assert_eq!(
        reason,
        Some(NetcodeDisconnectReason::ConnectionRequestTimedOut)
    );
    assert_eq!(
        reason.unwrap().to_string(),
        "connection timed out during request step"
    );
    assert_eq!(
        client.world().resource::<ClientConnection>().0.state,
        ConnectionState::Disconnected
    );
    for _ in 0..5 {
        client.update();
    }
    assert_eq!(
        reported(&client),
        ["netcode: disconnected: connection timed out during request step"]
    );
    assert!(
        host.world()
            .resource::<RenetServer>()
            .clients_id()
            .is_empty()
    );
}
