//! End-to-end: a host App and client Apps exchanging renet messages over the memory
//! transport, on a manual clock.

mod common;

use std::time::Duration;

use bevy_renet::renet::{DisconnectReason, ServerEvent};
use common::Session;
use racksync_protocol::Channel;
use racksync_transport::{DuplexStats, LinkConditions};

const CLIENT: u64 = 42;

fn rough_link() -> LinkConditions {
    LinkConditions::lossy(Duration::from_millis(30), Duration::ZERO, 0.2)
}

/// Connects, sends "ping" client → host, echoes "pong" host → client. Returns the steps at
/// which the host got the ping and the client got the pong, and the link statistics.
fn ping_pong(seed: u64) -> (u32, u32, DuplexStats) {
    let mut session = Session::new(seed);
    session.add_client(CLIENT, rough_link(), rough_link());
    let mut ping_at = None;
    let mut pong_at = None;
    for _ in 0..400 {
        session.step();
        if session.step == 1 {
            assert!(
                session.client(0).is_connected(),
                "connected on the first step"
            );
            session
                .client(0)
                .send_message(Channel::World, b"ping".to_vec());
        }
        if let Some(message) = session.server().receive_message(CLIENT, Channel::World) {
            assert_eq!(&message[..], b"ping");
            assert!(ping_at.is_none(), "reliable delivers once");
            ping_at = Some(session.step);
            session
                .server()
                .send_message(CLIENT, Channel::World, b"pong".to_vec());
        }
        if let Some(message) = session.client(0).receive_message(Channel::World) {
            assert_eq!(&message[..], b"pong");
            pong_at = Some(session.step);
            break;
        }
    }
    let stats = session.network.stats(CLIENT).expect("link still open");
    (
        ping_at.expect("ping arrived"),
        pong_at.expect("pong arrived"),
        stats,
    )
}

#[test]
fn reliable_round_trip_over_lossy_link() {
    let mut dropped = 0;
    for seed in 0..8 {
        let (ping_at, pong_at, stats) = ping_pong(seed);
        // Sent after step 1, on the wire from step 2, and 30 ms (two frames) later due.
        assert!(ping_at >= 4, "latency respected, got step {ping_at}");
        assert!(pong_at > ping_at);
        // At 20 % loss a few 100 ms resends may be needed; 200 steps is 3.2 s.
        assert!(pong_at <= 200, "pong took {pong_at} steps");
        dropped += stats.to_host.dropped + stats.to_client.dropped;
    }
    assert!(dropped > 0, "the loss draw was exercised");
}

#[test]
fn sessions_replay_identically() {
    for seed in [1, 2, 3] {
        assert_eq!(ping_pong(seed), ping_pong(seed));
    }
}

#[test]
fn connect_event_is_emitted() {
    let mut session = Session::new(0);
    session.add_client(CLIENT, LinkConditions::perfect(), LinkConditions::perfect());
    session.step();
    assert_eq!(
        session.events(),
        &[ServerEvent::ClientConnected { client_id: CLIENT }]
    );
    assert_eq!(session.server().clients_id(), vec![CLIENT]);
}

#[test]
fn server_disconnect_reaches_client() {
    let mut session = Session::new(0);
    session.add_client(CLIENT, rough_link(), rough_link());
    for _ in 0..5 {
        session.step();
    }
    assert!(session.client(0).is_connected());
    session.server().disconnect(CLIENT);
    for _ in 0..3 {
        session.step();
    }
    assert!(session.client(0).is_disconnected());
    assert_eq!(
        session.client(0).disconnect_reason(),
        Some(DisconnectReason::Transport)
    );
    assert!(session.server().clients_id().is_empty());
    assert_eq!(
        session.events().last(),
        Some(&ServerEvent::ClientDisconnected {
            client_id: CLIENT,
            reason: DisconnectReason::DisconnectedByServer
        })
    );
    // Both ends let go, so the id is free again.
    assert!(session.network.client_ids().is_empty());
}

#[test]
fn client_disconnect_reaches_server() {
    let mut session = Session::new(0);
    session.add_client(CLIENT, rough_link(), rough_link());
    for _ in 0..5 {
        session.step();
    }
    session.client(0).disconnect();
    for _ in 0..3 {
        session.step();
    }
    assert!(session.server().clients_id().is_empty());
    assert_eq!(
        session.events().last(),
        Some(&ServerEvent::ClientDisconnected {
            client_id: CLIENT,
            reason: DisconnectReason::Transport
        })
    );
    assert!(session.network.client_ids().is_empty());
}

#[test]
fn dropping_the_client_app_disconnects_it() {
    let mut session = Session::new(0);
    session.add_client(CLIENT, LinkConditions::perfect(), LinkConditions::perfect());
    session.step();
    session.clients.clear();
    session.step();
    assert!(session.server().clients_id().is_empty());
    assert!(session.network.client_ids().is_empty());
}

#[test]
fn severed_link_disconnects_both_ends() {
    let mut session = Session::new(0);
    session.add_client(CLIENT, LinkConditions::perfect(), LinkConditions::perfect());
    session.step();
    session.network.sever(CLIENT).unwrap();
    session.step();
    assert!(session.server().clients_id().is_empty());
    assert!(session.client(0).is_disconnected());
}

#[test]
fn cut_link_holds_messages_until_restored() {
    let mut session = Session::new(0);
    session.add_client(CLIENT, LinkConditions::perfect(), LinkConditions::perfect());
    session.step();
    session.network.cut(CLIENT, true).unwrap();
    session
        .client(0)
        .send_message(Channel::World, b"later".to_vec());
    for _ in 0..20 {
        session.step();
        assert!(
            session
                .server()
                .receive_message(CLIENT, Channel::World)
                .is_none()
        );
    }
    let stats = session.network.stats(CLIENT).unwrap();
    assert!(stats.to_host.dropped > 0);
    assert_eq!(stats.to_host.datagrams_delivered, 0);
    // renet has no timeout of its own: the connection survives the cut.
    assert!(session.client(0).is_connected());
    session.network.cut(CLIENT, false).unwrap();
    let mut arrived = false;
    for _ in 0..20 {
        session.step();
        if let Some(message) = session.server().receive_message(CLIENT, Channel::World) {
            assert_eq!(&message[..], b"later");
            arrived = true;
            break;
        }
    }
    assert!(arrived, "the reliable message was resent after the cut");
}

#[test]
fn several_clients_share_the_network() {
    let mut session = Session::new(9);
    for client_id in [1, 2, 3] {
        session.add_client(client_id, rough_link(), rough_link());
    }
    session.step();
    let mut ids = session.server().clients_id();
    ids.sort_unstable();
    assert_eq!(ids, vec![1, 2, 3]);
    for index in 0..3 {
        session
            .client(index)
            .send_message(Channel::World, vec![index as u8]);
    }
    let mut received = Vec::new();
    for _ in 0..200 {
        session.step();
        for client_id in [1u64, 2, 3] {
            while let Some(message) = session.server().receive_message(client_id, Channel::World) {
                received.push((client_id, message.to_vec()));
            }
        }
        if received.len() == 3 {
            break;
        }
    }
    received.sort();
    assert_eq!(received, vec![(1, vec![0]), (2, vec![1]), (3, vec![2])]);
}
