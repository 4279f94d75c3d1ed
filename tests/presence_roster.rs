//! Players see each other come and go: a newcomer learns everyone already present (names
//! on the reliable `world` channel, transforms and states in its first relay, without
//! waiting for anyone to move), joins and leaves reach everyone, and a reused player id
//! starts clean.

use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::{PlayerState, Posture, QuantizedTransform};

#[test]
fn a_newcomer_learns_who_is_there_and_where() {
    let mut harness = Harness::memory(default_world().unwrap(), 61);
    let alice = harness.add_client("alice");
    let bob = harness.add_client("bob");
    harness.join_all(200);
    let (alice_id, bob_id) = (
        harness.player_id(alice).unwrap(),
        harness.player_id(bob).unwrap(),
    );
    harness.set_presence(alice, [2.0, 0.0, 3.0], 1.0);
    harness.set_presence(bob, [-4.0, 0.0, 5.0], 2.0);
    let sitting = PlayerState {
        carrying: false,
        posture: Posture::Sitting,
    };
    harness.set_player_state(bob, sitting);
    assert!(harness.run_until(20, |h| {
        h.presence_book()
            .player(alice_id)
            .is_some_and(|p| p.transform.is_some())
            && h.presence_book()
                .player(bob_id)
                .is_some_and(|p| p.state == sitting)
    }));

    // Alice and Bob now stand still: only the 1 s keepalive would repeat their updates.
    let carol = harness.add_client("carol");
    assert!(harness.run_until(200, |h| h.join_state(carol).is_playing()));
    // Well under the keepalive: what Carol knows came from the host's catch-up relay.
    assert!(harness.run_until(3, |h| {
        let remote = h.remote_players(carol);
        remote.get(alice_id).and_then(|p| p.transform)
            == Some(QuantizedTransform::from_metres([2.0, 0.0, 3.0], 1.0, 0.0))
            && remote.get(bob_id).and_then(|p| p.transform)
                == Some(QuantizedTransform::from_metres([-4.0, 0.0, 5.0], 2.0, 0.0))
            && remote.get(bob_id).map(|p| p.state) == Some(sitting)
    }));
    let names: Vec<String> = harness
        .remote_players(carol)
        .iter()
        .map(|(_, p)| p.name.clone())
        .collect();
    assert_eq!(names, ["alice", "bob"]);
    let carol_id = harness.player_id(carol).unwrap();
    for c in [alice, bob] {
        assert_eq!(
            harness.remote_players(c).get(carol_id).unwrap().name,
            "carol"
        );
    }

    // Bob leaves; everyone sees it. Dave gets Bob's id back and starts without Bob's
    // transform or state.
    harness.disconnect_client(bob);
    assert!(harness.run_until(20, |h| {
        h.remote_players(alice).get(bob_id).is_none()
            && h.remote_players(carol).get(bob_id).is_none()
    }));
    let dave = harness.add_client("dave");
    assert!(harness.run_until(200, |h| h.join_state(dave).is_playing()));
    assert_eq!(harness.player_id(dave), Some(bob_id));
    harness.run(3);
    let reborn = harness.remote_players(alice).get(bob_id).unwrap();
    assert_eq!(reborn.name, "dave");
    assert_eq!(reborn.transform, None);
    assert_eq!(reborn.state, PlayerState::default());
    assert_eq!(harness.remote_players(dave).len(), 2);
}
