//! A client sends no presence or state before it plays: while it connects, handshakes
//! and loads its snapshot it stays silent on `presence` and `state` (the host has no
//! roster entry for it yet), and it starts right after the world is loaded.

use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_transport::LinkConditions;
use std::time::Duration;

#[test]
fn nothing_is_sent_until_the_world_is_loaded() {
    let mut harness = Harness::memory(default_world().unwrap(), 71);
    let slow = LinkConditions::lossy(Duration::from_millis(80), Duration::from_millis(20), 0.0);
    let alice = harness.add_client_with("alice", slow.clone(), slow);
    // The game placed the player before the connection was even up.
    harness.set_presence(alice, [1.0, 0.0, 1.0], 0.0);
    let mut waiting_steps = 0;
    while !harness.join_state(alice).is_playing() {
        assert!(
            waiting_steps < 300,
            "alice did not join: {:?}",
            harness.join_state(alice)
        );
        let stats = harness.client_presence_stats(alice);
        assert_eq!(
            (stats.transforms_sent, stats.states_sent),
            (0, 0),
            "sent in {:?}",
            harness.join_state(alice)
        );
        assert_eq!(harness.host_presence_stats().transforms_received, 0);
        harness.step();
        waiting_steps += 1;
    }
    assert!(
        waiting_steps > 10,
        "the join took long enough to be meaningful"
    );
    // The first send happens in the frame the world finished loading.
    let stats = harness.client_presence_stats(alice);
    assert_eq!((stats.transforms_sent, stats.states_sent), (1, 1));
    assert!(harness.run_until(20, |h| h.host_presence_stats().transforms_received == 1));
    assert_eq!(harness.host_presence_stats().junk_dropped, 0);
}
