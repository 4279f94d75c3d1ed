//! A broadcast that places an object the local player holds somewhere else takes it out
//! of the player's hand, even while the player has pending actions on it.

mod common;

use core::time::Duration;
use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::{Action, Placement, PlayerId, PosMm, Rejection};
use racksync_replication::HostActions;
use racksync_rollback::ActionOutcome;
use racksync_transport::LinkConditions;
use racksync_world::{ReadObjects, WorldIndex};

#[test]
fn a_host_release_empties_the_hand_and_drops_pending_actions_on_it() {
    let mut harness = Harness::memory(default_world().unwrap(), 31);
    let slow = LinkConditions {
        latency: Duration::from_millis(60),
        ..LinkConditions::default()
    };
    let alice = harness.add_client_with("alice", slow.clone(), slow);
    harness.join_all(300);
    let (server, slot) = common::loose_server_and_slot(&harness);
    harness.perform(alice, Action::PickUp { object: server });
    harness.step();
    assert!(harness.run_until(200, |h| h.converged()));
    assert_eq!(
        harness.clients[alice]
            .world()
            .resource::<WorldIndex>()
            .held_by(PlayerId(1)),
        &[server]
    );

    // Alice starts installing while the operator releases the server onto the floor.
    harness.perform(
        alice,
        Action::InstallInRack {
            object: server,
            slot,
        },
    );
    let spot = PosMm::new(2_000, 0, 2_000);
    harness
        .host
        .world_mut()
        .resource_mut::<HostActions>()
        .0
        .push(Action::Release {
            object: server,
            pos: spot,
            yaw: 0,
        });
    harness.step();
    assert!(harness.run_until(300, |h| h.converged()));

    let floor = Placement::Floor { pos: spot, yaw: 0 };
    assert_eq!(
        harness.host.world().object(server).unwrap().placement,
        floor
    );
    let client = harness.clients[alice].world();
    assert_eq!(client.object(server).unwrap().placement, floor);
    assert!(
        client
            .resource::<WorldIndex>()
            .held_by(PlayerId(1))
            .is_empty()
    );
    let outcomes = &harness.recorded(alice).outcomes;
    assert!(
        outcomes.iter().any(|o| matches!(
            o,
            ActionOutcome::Rejected {
                reason: Rejection::NotHeld,
                ..
            }
        )),
        "{outcomes:?}"
    );
}
