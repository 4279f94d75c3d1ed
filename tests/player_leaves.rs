//! A player who leaves holding something does not hand it to the next player: the host
//! releases it to the floor (SPEC §8), and the newcomer's hand is empty whichever id it
//! gets. (Where the object lands: `presence_release_on_leave.rs`.)

mod common;

use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::{Action, Placement, PlayerId};
use racksync_world::{ReadObjects, WorldIndex};

#[test]
fn newcomer_does_not_inherit_a_departed_players_hand() {
    let mut harness = Harness::memory(default_world().unwrap(), 8);
    let alice = harness.add_client("alice");
    harness.join_all(200);
    let (server, _) = common::loose_server_and_slot(&harness);
    harness.perform(alice, Action::PickUp { object: server });
    harness.step();
    assert!(harness.run_until(100, |h| h.converged()));
    let held = harness.host.world().object(server).unwrap().placement;
    assert_eq!(held, Placement::Held(PlayerId(1)));

    harness.disconnect_client(alice);
    harness.run(10);
    let bob = harness.add_client("bob");
    assert!(harness.run_until(200, |h| h.join_state(bob).is_playing()));
    let bob_id = harness.player(bob).expect("bob was welcomed");
    let placement = harness.host.world().object(server).unwrap().placement;
    assert!(
        matches!(placement, Placement::Floor { .. }),
        "released: {placement:?}"
    );
    assert!(
        harness
            .host
            .world()
            .resource::<WorldIndex>()
            .held_by(bob_id)
            .is_empty()
    );
    assert_eq!(harness.client_digest(bob), harness.host_digest());
}
