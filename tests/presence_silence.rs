//! Players with no presence or state update for 10 s are dropped (SPEC §9): the host
//! tells them why (`Refused(Silent)`), everyone else sees them leave, and what they held
//! is released where they stood. A player who merely stands still is never dropped,
//! because its client keeps sending a keepalive.

mod common;

use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::{
    Action, ClientWorldMessage, Hello, HostWorldMessage, PROTOCOL_VERSION, Placement, PosMm,
    Refusal, protocol_hash,
};
use racksync_world::ReadObjects;
use std::time::Duration;

#[test]
fn a_connection_that_never_reports_presence_is_dropped_after_ten_seconds() {
    let mut harness = Harness::memory(default_world().unwrap(), 41);
    harness.step = Duration::from_millis(100);
    let bob = harness.add_client("bob");
    harness.join_all(100);
    let mute = harness.add_raw_client();
    harness.step();
    harness.raw_send(
        mute,
        &ClientWorldMessage::Hello(Hello {
            protocol_version: PROTOCOL_VERSION,
            protocol_hash: protocol_hash(),
            name: "mute".into(),
        }),
    );
    let mut welcomed_at = None;
    let mut refused = None;
    for step in 0..150 {
        harness.step();
        for message in harness.raw_receive(mute) {
            match message {
                HostWorldMessage::Welcome(_) => welcomed_at = Some(step),
                HostWorldMessage::Refused(reason) => refused = Some((step, reason)),
                _ => {}
            }
        }
        if refused.is_some() {
            break;
        }
        if welcomed_at.is_some() && step < 80 {
            assert_eq!(
                harness.remote_players(bob).len(),
                1,
                "bob sees the mute player"
            );
        }
    }
    let welcomed_at = welcomed_at.expect("the mute client was welcomed");
    let (refused_at, reason) = refused.expect("the mute client was dropped");
    assert_eq!(reason, Refusal::Silent { seconds: 10 });
    let silent_steps = refused_at - welcomed_at;
    assert!(
        (100..=102).contains(&silent_steps),
        "dropped after {silent_steps} steps of 100 ms"
    );
    assert!(
        harness.run_until(10, |h| !h.raw_connected(mute)),
        "connection closed"
    );
    assert!(
        harness.remote_players(bob).is_empty(),
        "bob saw the mute player leave"
    );
    assert_eq!(harness.host_presence_stats().silent_dropped, 1);

    // Bob stood still and silent in the game for the whole time and is still here.
    harness.run(200);
    assert!(harness.join_state(bob).is_playing());
    assert_eq!(harness.presence_book().len(), 1);
}

#[test]
fn a_player_whose_link_goes_dead_is_dropped_and_its_hand_released() {
    let mut harness = Harness::memory(default_world().unwrap(), 42);
    harness.step = Duration::from_millis(100);
    let alice = harness.add_client("alice");
    let bob = harness.add_client("bob");
    harness.join_all(100);
    let alice_id = harness.player_id(alice).unwrap();
    let (server, _) = common::loose_server_and_slot(&harness);
    harness.perform(alice, Action::PickUp { object: server });
    harness.set_presence(alice, [-12.5, 1.7, 30.25], std::f32::consts::PI);
    assert!(harness.run_until(20, |h| {
        h.presence_book()
            .player(alice_id)
            .is_some_and(|p| p.transform.is_some())
            && h.host.world().object(server).unwrap().placement == Placement::Held(alice_id)
    }));

    let alice_link = 1; // the harness numbers connections from 1 in the order they were added
    harness.network().unwrap().cut(alice_link, true).unwrap();
    harness.run(95);
    assert!(
        harness.remote_players(bob).get(alice_id).is_some(),
        "not dropped before 10 s"
    );
    assert!(harness.run_until(10, |h| h.remote_players(bob).get(alice_id).is_none()));
    assert!(harness.run_until(20, |h| {
        h.client_digest(bob) == h.host_digest() && h.client_revision(bob) == h.host_revision()
    }));
    let placement = harness.host.world().object(server).unwrap().placement;
    assert_eq!(
        placement,
        Placement::Floor {
            pos: PosMm::new(-12_500, 0, 30_250),
            yaw: 32_768
        }
    );
    assert_eq!(
        harness.clients[bob]
            .world()
            .object(server)
            .unwrap()
            .placement,
        placement
    );
}
