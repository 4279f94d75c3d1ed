//! Connection info over the memory transport, on a manual clock: what the host and the
//! client report about their connection matches the link they were given.

mod common;

use std::time::Duration;

use bevy_renet::RenetServer;
use common::{FRAME, Session};
use racksync_protocol::Channel;
use racksync_transport::{
    ConnectionInfo, ConnectionState, HostTraffic, LinkConditions, PeerTraffic, TrafficCounts,
    host_connection_info, quality_score,
};

const CLIENT: u64 = 42;

fn delayed(latency_ms: u64) -> LinkConditions {
    LinkConditions::lossy(Duration::from_millis(latency_ms), Duration::ZERO, 0.0)
}

/// Both ends send a small unreliable message every frame, so renet keeps measuring.
fn chatter(session: &mut Session, steps: u32) {
    for _ in 0..steps {
        session
            .client(0)
            .send_message(Channel::Presence, vec![1; 16]);
        session
            .server()
            .send_message(CLIENT, Channel::Presence, vec![2; 16]);
        session.step();
        // Drain, so nothing piles up in renet's receive queues.
        while session
            .client(0)
            .receive_message(Channel::Presence)
            .is_some()
        {}
        while session
            .server()
            .receive_message(CLIENT, Channel::Presence)
            .is_some()
        {}
    }
}

/// The host's and the client's view after `steps` frames of chatter over `link` (both
/// directions) with `seed`.
fn chatter_over(seed: u64, link: LinkConditions, steps: u32) -> (ConnectionInfo, ConnectionInfo) {
    let mut session = Session::new(seed);
    session.add_client(CLIENT, link.clone(), link);
    chatter(&mut session, steps);
    (
        session
            .host_connection(CLIENT)
            .expect("host holds the client"),
        session.client_connection(0),
    )
}

#[test]
fn states_go_from_connecting_to_connected_to_disconnected() {
    let mut session = Session::new(0);
    session.add_client(CLIENT, LinkConditions::perfect(), LinkConditions::perfect());
    // A message queued while connecting waits in renet, unsent.
    session
        .client(0)
        .send_message(Channel::Presence, vec![0; 40]);
    session.update_client_only(0);
    let connecting = session.client_connection(0);
    assert_eq!(connecting.state, ConnectionState::Connecting);
    assert_eq!(connecting.quality, 0);
    assert_eq!(connecting.pending_unreliable_bytes, 40);
    assert_eq!(connecting.pending_reliable_bytes, 0);
    assert_eq!(connecting.queue_time_ms, 0.0);
    assert_eq!(session.host_connection(CLIENT), None, "not accepted yet");

    session.step();
    let host = session.host_connection(CLIENT).expect("accepted");
    let client = session.client_connection(0);
    assert_eq!(host.state, ConnectionState::Connected);
    assert_eq!(client.state, ConnectionState::Connected);
    assert_eq!(client.quality, 100, "no round trip measured yet, no loss");
    assert_eq!(client.pending_unreliable_bytes, 0, "sent once connected");

    // renet marks the connection, and the transport removes it on its next update.
    session.server().disconnect(CLIENT);
    let marked = {
        let world = session.host.world();
        host_connection_info(
            world.resource::<RenetServer>(),
            world.resource::<HostTraffic>(),
            CLIENT,
            FRAME,
        )
    };
    assert_eq!(marked.state, ConnectionState::Disconnected);
    assert_eq!(marked.quality, 0);

    session.step();
    assert_eq!(session.host_connection(CLIENT), None, "removed");
    assert_eq!(
        session.host_traffic(CLIENT),
        None,
        "counters dropped with it"
    );
    let client = session.client_connection(0);
    assert_eq!(client.state, ConnectionState::Disconnected);
    assert_eq!(client.quality, 0);
}

#[test]
fn ping_is_the_configured_round_trip() {
    // 30 ms each way; with 16 ms frames a datagram is picked up 32 ms after it left.
    let (host, client) = chatter_over(1, delayed(30), 125);
    let slack = (2 * FRAME).as_secs_f32() * 1000.0;
    for (end, info) in [("host", host), ("client", client)] {
        assert!(
            (60.0..=60.0 + slack).contains(&info.ping_ms),
            "{end} ping {} ms",
            info.ping_ms
        );
        assert_eq!(info.packet_loss, 0.0, "{end}");
        assert_eq!(info.quality, quality_score(info.ping_ms, 0.0), "{end}");
        assert!(info.quality >= 90, "{end} quality {}", info.quality);
    }

    // Without latency, the round trip is the frame the answer waits for.
    let (host, client) = chatter_over(1, LinkConditions::perfect(), 125);
    for info in [host, client] {
        assert!(
            info.ping_ms <= FRAME.as_secs_f32() * 1000.0 + 0.5,
            "{info:?}"
        );
    }
}

#[test]
fn loss_shows_on_a_lossy_link_only() {
    let lossy = LinkConditions::lossy(Duration::from_millis(10), Duration::ZERO, 0.2);
    // 4 s: renet's loss window leaves out the last 0.9 s.
    let (host, client) = chatter_over(7, lossy.clone(), 250);
    for (end, info) in [("host", host), ("client", client)] {
        assert!(
            (0.05..=0.4).contains(&info.packet_loss),
            "{end} loss {}",
            info.packet_loss
        );
        assert!(info.quality < 90, "{end} quality {}", info.quality);
        assert_eq!(info.state, ConnectionState::Connected);
    }
    // Seeded link, manual clock: the same run gives the same figures.
    assert_eq!(chatter_over(7, lossy, 250), (host, client));

    let (host, client) = chatter_over(7, delayed(10), 250);
    assert_eq!(host.packet_loss, 0.0);
    assert_eq!(client.packet_loss, 0.0);
}

/// Frames of 20 ms (five to a traffic bucket); the client sends `per_frame` 1000-byte
/// unreliable messages each frame, which renet cannot pack two to a packet.
fn steady_upload(per_frame: usize) -> (Session, ConnectionInfo, ConnectionInfo) {
    let mut session = Session::with_frame(3, Duration::from_millis(20));
    session.add_client(CLIENT, LinkConditions::perfect(), LinkConditions::perfect());
    for _ in 0..150 {
        for _ in 0..per_frame {
            session.client(0).send_message(Channel::Raw, vec![7; 1000]);
        }
        session.step();
        while session
            .server()
            .receive_message(CLIENT, Channel::Raw)
            .is_some()
        {}
    }
    let host = session.host_connection(CLIENT).expect("connected");
    let client = session.client_connection(0);
    (session, host, client)
}

#[test]
fn packet_and_byte_rates_match_what_was_sent() {
    let (session, host, client) = steady_upload(2);
    // Per 20 ms frame the client sends its 2 messages and one ACK packet, the host one
    // ACK packet: 50 frames a second.
    assert_eq!(client.packets_out_per_s, 150.0);
    assert_eq!(host.packets_in_per_s, 150.0);
    assert_eq!(host.packets_out_per_s, 50.0);
    assert_eq!(client.packets_in_per_s, 50.0);
    assert!(client.bytes_out_per_s > 2.0 * 1000.0 * 50.0, "{client:?}");
    // On a perfect link what leaves one end arrives at the other, one frame later.
    let close = |a: f32, b: f32| (a - b).abs() <= 0.01 * a.max(b);
    assert!(close(client.bytes_out_per_s, host.bytes_in_per_s));
    assert!(close(host.bytes_out_per_s, client.bytes_in_per_s));

    // The totals are the link's own statistics.
    let link = session.network.stats(CLIENT).unwrap();
    let counts = |traffic: PeerTraffic| traffic.totals();
    assert_eq!(
        counts(session.host_traffic(CLIENT).unwrap()),
        TrafficCounts {
            packets_in: link.to_host.datagrams_delivered,
            bytes_in: link.to_host.bytes_delivered,
            packets_out: link.to_client.datagrams_sent,
            bytes_out: link.to_client.bytes_sent,
        }
    );
    assert_eq!(
        counts(session.client_traffic(0)),
        TrafficCounts {
            packets_in: link.to_client.datagrams_delivered,
            bytes_in: link.to_client.bytes_delivered,
            packets_out: link.to_host.datagrams_sent,
            bytes_out: link.to_host.bytes_sent,
        }
    );

    // One more message per frame is 50 more packets a second, both ways of counting.
    let (_, host, client) = steady_upload(3);
    assert_eq!(client.packets_out_per_s, 200.0);
    assert_eq!(host.packets_in_per_s, 200.0);

    // And the counts do not depend on the run.
    let again = steady_upload(3);
    assert_eq!((again.1, again.2), (host, client));
}

#[test]
fn a_cut_link_piles_up_reliable_bytes_until_restored() {
    let mut session = Session::new(5);
    session.add_client(CLIENT, LinkConditions::perfect(), LinkConditions::perfect());
    chatter(&mut session, 20);
    let host = session.host_connection(CLIENT).unwrap();
    assert_eq!(host.pending_reliable_bytes, 0);
    assert_eq!(host.queue_time_ms, 0.0);

    session.network.cut(CLIENT, true).unwrap();
    session
        .server()
        .send_message(CLIENT, Channel::World, vec![3; 500]);
    session.client(0).send_message(Channel::World, vec![4; 300]);
    chatter(&mut session, 15);
    let host = session.host_connection(CLIENT).unwrap();
    let client = session.client_connection(0);
    assert_eq!(host.pending_reliable_bytes, 500, "no ACK comes back");
    assert_eq!(client.pending_reliable_bytes, 300);
    for info in [host, client] {
        // renet still resends and ACKs into the cut, so the queue drains at that rate.
        assert!(info.bytes_out_per_s > 0.0, "{info:?}");
        assert!(
            info.queue_time_ms > 0.0 && info.queue_time_ms.is_finite(),
            "{info:?}"
        );
        assert_eq!(info.pending_unreliable_bytes, 0, "sent (into the cut)");
    }

    session.network.cut(CLIENT, false).unwrap();
    let mut host_got = false;
    let mut client_got = false;
    for _ in 0..30 {
        session.step();
        host_got |= session
            .server()
            .receive_message(CLIENT, Channel::World)
            .is_some();
        client_got |= session.client(0).receive_message(Channel::World).is_some();
        let host = session.host_connection(CLIENT).unwrap();
        let client = session.client_connection(0);
        if host.pending_reliable_bytes == 0 && client.pending_reliable_bytes == 0 {
            assert_eq!(host.queue_time_ms, 0.0);
            assert_eq!(client.queue_time_ms, 0.0);
            break;
        }
    }
    assert!(
        host_got && client_got,
        "the messages went through after all"
    );
    assert_eq!(
        session
            .host_connection(CLIENT)
            .unwrap()
            .pending_reliable_bytes,
        0
    );
    assert_eq!(session.client_connection(0).pending_reliable_bytes, 0);
}
