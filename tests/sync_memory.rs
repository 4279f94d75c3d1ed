//! (a) One host and three clients in memory: A installs a server, B and C see it, and
//! all four worlds end identical.

use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::{Action, ObjectKind, Placement};
use racksync_rollback::ActionOutcome;
use racksync_world::ReadObjects;
use racksync_world::queries::{free_slot, loose_objects};

#[test]
fn install_reaches_every_client_and_digests_match() {
    let mut harness = Harness::memory(default_world().unwrap(), 1);
    let alice = harness.add_client("alice");
    let bob = harness.add_client("bob");
    let carol = harness.add_client("carol");
    harness.join_all(200);
    assert!(harness.converged());

    let world = harness.host.world();
    let server = loose_objects(world, ObjectKind::Server1U)[0];
    let slot = free_slot(world, 1).expect("the default world has a free unit");

    harness.perform(alice, Action::PickUp { object: server });
    harness.step();
    harness.perform(
        alice,
        Action::InstallInRack {
            object: server,
            slot,
        },
    );
    // The actor sees its own action at once, before any ACK.
    harness.step();
    let local = harness.clients[alice].world().object(server).unwrap();
    assert_eq!(local.placement, Placement::InRack(slot));

    assert!(
        harness.run_until(200, |h| h.converged()),
        "clients did not converge"
    );
    let host_record = harness.host.world().object(server).unwrap();
    assert_eq!(host_record.placement, Placement::InRack(slot));
    for client in [alice, bob, carol] {
        assert_eq!(harness.client_digest(client), harness.host_digest());
        assert_eq!(
            harness.clients[client].world().object(server),
            Some(host_record.clone())
        );
    }
    assert_eq!(harness.host_revision().0, 2);
    let accepted = harness
        .recorded(alice)
        .outcomes
        .iter()
        .filter(|o| matches!(o, ActionOutcome::Accepted { .. }))
        .count();
    assert_eq!(accepted, 2);
    for observer in [bob, carol] {
        let changes = &harness.recorded(observer).changes;
        assert_eq!(changes.len(), 2);
        assert_eq!(
            changes[1].action,
            Action::InstallInRack {
                object: server,
                slot
            }
        );
    }
    assert!(
        harness.recorded(alice).changes.is_empty(),
        "the actor gets an ACK, not a broadcast"
    );
}
