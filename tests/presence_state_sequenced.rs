//! Carry/crouch/sit state travels on the UnreliableSequenced `state` channel: over links
//! that reorder and duplicate datagrams both ways, the host and the other players drop
//! stale and duplicate updates, never apply an older one after a newer one, and end on
//! the player's final state.

use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::sequence::Seq16;
use racksync_protocol::{HostTick, PlayerState, Posture};
use racksync_replication::presence::ClientPresenceSettings;
use racksync_transport::LinkConditions;
use std::time::Duration;

fn bad_link() -> LinkConditions {
    LinkConditions {
        latency: Duration::from_millis(20),
        jitter: Duration::from_millis(40),
        loss: 0.0,
        duplicate: 0.3,
        reorder: 0.3,
    }
}

/// The six states, cycled through in order.
fn state(i: usize) -> PlayerState {
    PlayerState {
        carrying: i % 2 == 1,
        posture: [Posture::Standing, Posture::Crouching, Posture::Sitting][(i / 2) % 3],
    }
}

#[test]
fn stale_and_duplicate_states_are_dropped_never_applied() {
    let mut harness = Harness::memory(default_world().unwrap(), 31);
    let alice = harness.add_client_with("alice", bad_link(), LinkConditions::default());
    let bob = harness.add_client_with("bob", LinkConditions::default(), bad_link());
    // Alice sends a new state every frame, so many are in flight at once.
    harness.clients[alice].insert_resource(ClientPresenceSettings {
        send_interval: harness.step,
        keepalive: Duration::from_secs(1),
    });
    harness.join_all(300);
    let alice_id = harness.player_id(alice).unwrap();

    let mut host_seqs: Vec<Seq16> = Vec::new();
    let mut bob_ticks: Vec<HostTick> = Vec::new();
    for i in 0..400 {
        harness.set_player_state(alice, state(i));
        harness.step();
        if let Some(seq) = harness
            .presence_book()
            .player(alice_id)
            .and_then(|p| p.state_seq)
            && host_seqs.last() != Some(&seq)
        {
            host_seqs.push(seq);
        }
        if let Some(tick) = harness
            .remote_players(bob)
            .get(alice_id)
            .and_then(|p| p.state_tick)
            && bob_ticks.last() != Some(&tick)
        {
            bob_ticks.push(tick);
        }
    }
    let last = state(399);
    assert!(harness.run_until(100, |h| {
        h.presence_book().player(alice_id).map(|p| p.state) == Some(last)
            && h.remote_players(bob).get(alice_id).map(|p| p.state) == Some(last)
    }));

    assert!(
        host_seqs.windows(2).all(|w| w[1].is_newer_than(w[0])),
        "the host applied an older state after a newer one: {host_seqs:?}"
    );
    assert!(
        bob_ticks.windows(2).all(|w| w[1].is_newer_than(w[0])),
        "bob applied an older state after a newer one"
    );
    assert!(host_seqs.len() > 100 && bob_ticks.len() > 100);

    let host = harness.host_presence_stats();
    let bob_stats = harness.client_presence_stats(bob);
    assert!(host.stale_dropped > 0, "the link reordered: {host:?}");
    assert!(host.duplicates_dropped > 0, "the link duplicated: {host:?}");
    assert!(
        bob_stats.sequenced_dropped > 0,
        "bob's link reordered and duplicated"
    );
    assert_eq!(host.junk_dropped, 0);
    assert_eq!(bob_stats.junk_dropped, 0);
}
