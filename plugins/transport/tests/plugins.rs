//! The transport plugins coexist: whichever transport resource exists is the one that
//! runs, and Apps without any transport resource update without panicking.

use std::net::SocketAddr;

use bevy_app::{App, TaskPoolPlugin};
use bevy_time::TimePlugin;
use racksync_transport::{
    ClientTransportPlugin, DEFAULT_PROTOCOL_ID, HostSecurity, LinkConditions,
    MemoryClientTransportPlugin, MemoryNetwork, MemoryServerTransportPlugin, ServerTransportPlugin,
    new_client, new_server, udp_client, udp_server,
};

fn app() -> App {
    let mut app = App::new();
    app.add_plugins((TaskPoolPlugin::default(), TimePlugin));
    app
}

#[test]
fn plugins_idle_without_resources() {
    let mut host = app();
    host.add_plugins(ServerTransportPlugin);
    let mut client = app();
    client.add_plugins(ClientTransportPlugin);
    for _ in 0..3 {
        host.update();
        client.update();
    }
}

#[test]
fn plugins_idle_with_only_the_renet_endpoint() {
    let mut host = app();
    host.add_plugins(ServerTransportPlugin)
        .insert_resource(new_server());
    let mut client = app();
    client
        .add_plugins(ClientTransportPlugin)
        .insert_resource(new_client());
    for _ in 0..3 {
        host.update();
        client.update();
    }
}

#[test]
fn memory_plugins_alone_order_against_absent_renet_systems() {
    // Without bevy_renet's plugins the ordering constraints name systems that do not
    // exist; Bevy must accept that.
    let network = MemoryNetwork::new(0);
    let mut host = app();
    host.add_plugins(MemoryServerTransportPlugin)
        .insert_resource(new_server())
        .insert_resource(network.host().unwrap());
    let mut client = app();
    client
        .add_plugins(MemoryClientTransportPlugin)
        .insert_resource(new_client())
        .insert_resource(
            network
                .connect(1, LinkConditions::perfect(), LinkConditions::perfect())
                .unwrap(),
        );
    host.update();
    client.update();
    assert!(
        client
            .world()
            .resource::<bevy_renet::RenetClient>()
            .is_connected()
    );
}

#[test]
fn udp_resources_with_memory_plugins_present() {
    let bind: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let (transport, addr) =
        udp_server(bind, 4, DEFAULT_PROTOCOL_ID, HostSecurity::Unsecure).unwrap();
    let mut host = app();
    host.add_plugins(ServerTransportPlugin)
        .insert_resource(new_server())
        .insert_resource(transport);
    let mut client = app();
    client
        .add_plugins(ClientTransportPlugin)
        .insert_resource(new_client())
        .insert_resource(udp_client(addr, 1, DEFAULT_PROTOCOL_ID).unwrap());
    for _ in 0..3 {
        host.update();
        client.update();
    }
}
