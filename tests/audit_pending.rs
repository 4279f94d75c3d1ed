//! No false mismatch while actions are in flight: two players keep acting on the same
//! objects over slow links (so predictions are pending at most audits, and some
//! actions are rejected and rolled back), a third watches, and no audit ever reports a
//! mismatch — the client compares its confirmed world, not its predictions.

mod common;

use common::audit::{INTERVAL, interval_steps};
use racksync::harness::Harness;
use racksync_protocol::{Action, ObjectKind, Placement, PosMm};
use racksync_transport::LinkConditions;
use racksync_world::queries::loose_objects;
use racksync_world::{ReadObjects, generate_world};
use std::time::Duration;

#[test]
fn audits_during_pending_actions_never_mismatch() {
    let mut harness = Harness::memory(generate_world(2_000, 8), 8);
    harness.set_audit_interval(INTERVAL);
    let slow = LinkConditions::lossy(Duration::from_millis(120), Duration::from_millis(30), 0.0);
    let actors = [
        harness.add_client_with("alice", slow.clone(), slow.clone()),
        harness.add_client_with("bob", slow.clone(), slow),
    ];
    let watcher = harness.add_client("watcher");
    harness.join_all(500);
    let servers: Vec<_> = loose_objects(harness.host.world(), ObjectKind::Server1U)
        .into_iter()
        .take(3)
        .collect();
    assert_eq!(servers.len(), 3);

    let steps = interval_steps(&harness) * 8;
    for step in 0..steps {
        for (n, &actor) in actors.iter().enumerate() {
            if (step + n * 3) % 6 != 0 {
                continue;
            }
            // Both players go for the same few servers: pick up what is on the floor,
            // drop what they hold. Conflicts are rejected and rolled back.
            let me = harness.clients[actor]
                .world()
                .resource::<racksync_replication::ClientSession>()
                .player
                .unwrap();
            let world = harness.clients[actor].world();
            let held = servers
                .iter()
                .find(|s| world.object(**s).unwrap().placement == Placement::Held(me));
            let action = match held {
                Some(&object) => Action::Drop {
                    object,
                    pos: PosMm::new(1_000 + (step % 50) as i32 * 10, 0, 3_000),
                    yaw: step as u16,
                },
                None => Action::PickUp {
                    object: servers[(step / 6 + n) % servers.len()],
                },
            };
            harness.perform(actor, action);
        }
        harness.step();
    }
    assert!(
        harness.run_until(400, |h| h.converged()),
        "clients did not converge"
    );

    let host = harness.host_audit_stats();
    assert!(host.audits >= 3 * 7, "{host:?}");
    assert_eq!(host.mismatches, 0, "{host:?}");
    let mut compared_with_predictions = 0;
    for client in [actors[0], actors[1], watcher] {
        let stats = harness.client_audit_stats(client);
        assert!(stats.audits >= 7, "{stats:?}");
        assert_eq!(stats.mismatches, 0, "client {client}: {stats:?}");
        assert_eq!(stats.resync_bytes, 0, "client {client}: {stats:?}");
        compared_with_predictions += stats.audits_with_predictions;
    }
    // The test only means something if audits did meet pending predictions, and if
    // the players really fought over the servers.
    assert!(
        compared_with_predictions >= 4,
        "{compared_with_predictions}"
    );
    let rollback = harness.rollback_stats(actors[0]);
    let rollback_b = harness.rollback_stats(actors[1]);
    assert!(rollback.accepted > 10 && rollback_b.accepted > 10);
    assert!(
        rollback.rejected + rollback_b.rejected > 0,
        "{rollback:?} {rollback_b:?}"
    );
}
