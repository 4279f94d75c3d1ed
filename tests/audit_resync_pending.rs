//! A resync that reaches an object while the player's own action on it is pending
//! corrects its *confirmed* state and keeps the prediction: the player still sees the
//! object in hand, and once the ACK arrives the confirmed world equals the host's with
//! no second repair needed.

mod common;

use common::audit::{interval_steps, run_to_next_audit};
use racksync::audit::{Desync, Field};
use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::{Action, ObjectKind, Placement};
use racksync_rollback::ActionOutcome;
use racksync_transport::LinkConditions;
use racksync_world::queries::loose_objects;
use racksync_world::{ConfirmedOverlay, ReadObjects};
use std::time::Duration;

#[test]
fn a_fix_under_a_pending_prediction_updates_the_confirmed_state() {
    let mut harness = Harness::memory(default_world().unwrap(), 17);
    // Long enough for the whole descent (three round trips of 400 ms) to fit in one.
    harness.set_audit_interval(Duration::from_secs(3));
    let slow = LinkConditions::lossy(Duration::from_millis(200), Duration::ZERO, 0.0);
    let player = harness.add_client_with("player", slow.clone(), slow);
    harness.join_all(300);
    let server = loose_objects(harness.host.world(), ObjectKind::Server1U)[0];
    let me = harness.clients[player]
        .world()
        .resource::<racksync_replication::ClientSession>()
        .player
        .unwrap();

    harness
        .inject(
            player,
            Desync::Corrupt {
                object: server,
                field: Field::Label,
            },
        )
        .unwrap();
    run_to_next_audit(&mut harness);
    // Wait until the client asks for the objects of the differing leaf (its third
    // request), then pick the server up: the fix arrives while the pick-up is pending.
    assert!(harness.run_until(interval_steps(&harness), |h| {
        h.client_audit_stats(player).round_trips == 3
    }));
    // A few frames later, so that the ACK arrives some frames after the fix.
    harness.run(4);
    let host_before = harness.host.world().object(server);
    harness.perform(player, Action::PickUp { object: server });
    harness.step();
    let overlay = harness.clients[player]
        .world()
        .resource::<ConfirmedOverlay>();
    assert!(
        overlay.contains(server),
        "the pick-up is a pending prediction"
    );

    assert!(harness.run_until(100, |h| h.client_audit_stats(player).objects_resynced == 1));
    assert_eq!(harness.rollback_stats(player).pending, 1, "still pending");
    let world = harness.clients[player].world();
    assert_eq!(
        world.object(server).unwrap().placement,
        Placement::Held(me),
        "the prediction survives the fix"
    );
    let confirmed = world
        .resource::<ConfirmedOverlay>()
        .get(server)
        .cloned()
        .flatten()
        .unwrap();
    // The fix describes the host before it applied the pick-up (that ACK is still on
    // its way): the uncorrupted server on the floor.
    assert_eq!(Some(confirmed.clone()), host_before);
    // Rollback rebased the prediction on the fixed confirmed state (next frame): the
    // server is in hand, without the corrupted label.
    harness.step();
    let predicted = harness.clients[player].world().object(server).unwrap();
    assert_eq!(predicted.placement, Placement::Held(me));
    assert_eq!(predicted.properties, confirmed.properties);

    assert!(harness.run_until(200, |h| h.converged()));
    assert!(
        harness
            .recorded(player)
            .outcomes
            .iter()
            .any(|o| matches!(o, ActionOutcome::Accepted { .. }))
    );
    // Later audits find nothing: the corruption did not survive into the confirmed world.
    for _ in 0..2 {
        run_to_next_audit(&mut harness);
    }
    harness.run(60);
    let stats = harness.client_audit_stats(player);
    assert_eq!(
        (stats.mismatches, stats.objects_resynced),
        (1, 1),
        "{stats:?}"
    );
    assert!(harness.converged());
}
