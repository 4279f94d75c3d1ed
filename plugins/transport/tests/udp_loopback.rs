//! Smoke test: a host App and a client App over real UDP on the loopback interface.

use std::net::SocketAddr;
use std::time::Duration;

use bevy_app::{App, TaskPoolPlugin};
use bevy_renet::{RenetClient, RenetServer};
use bevy_time::TimePlugin;
use racksync_protocol::Channel;
use racksync_transport::{
    ClientTransportPlugin, DEFAULT_PROTOCOL_ID, HostSecurity, ServerTransportPlugin, new_client,
    new_server, udp_client, udp_server,
};

#[test]
fn one_message_each_way_over_udp() {
    let bind: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let (server_transport, addr) =
        udp_server(bind, 8, DEFAULT_PROTOCOL_ID, HostSecurity::Unsecure).unwrap();
    let mut host = App::new();
    host.add_plugins((TaskPoolPlugin::default(), TimePlugin, ServerTransportPlugin))
        .insert_resource(new_server())
        .insert_resource(server_transport);

    let client_id = 7;
    let client_transport = udp_client(addr, client_id, DEFAULT_PROTOCOL_ID).unwrap();
    let mut client = App::new();
    client
        .add_plugins((TaskPoolPlugin::default(), TimePlugin, ClientTransportPlugin))
        .insert_resource(new_client())
        .insert_resource(client_transport);

    let mut sent = false;
    let mut host_got = false;
    let mut client_got = false;
    for _ in 0..1000 {
        host.update();
        client.update();
        let mut renet_client = client.world_mut().resource_mut::<RenetClient>();
        if renet_client.is_connected() && !sent {
            renet_client.send_message(Channel::World, b"hello host".to_vec());
            sent = true;
        }
        if renet_client.receive_message(Channel::World).is_some() {
            client_got = true;
        }
        let mut server = host.world_mut().resource_mut::<RenetServer>();
        if let Some(message) = server.receive_message(client_id, Channel::World) {
            assert_eq!(&message[..], b"hello host");
            host_got = true;
            server.send_message(client_id, Channel::World, b"hello client".to_vec());
        }
        if host_got && client_got {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(host_got, "host received the client's message");
    assert!(client_got, "client received the host's message");
}
