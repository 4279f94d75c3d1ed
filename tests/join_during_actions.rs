//! (c) A client that joins while actions stream in converges with the host: broadcasts
//! after the snapshot's revision are buffered during the transfer and applied after it.

mod common;

use racksync::harness::Harness;
use racksync_protocol::{Action, ObjectKind, PosMm};
use racksync_replication::JoinState;
use racksync_transport::LinkConditions;
use racksync_world::generate_world;
use racksync_world::queries::loose_objects;
use std::time::Duration;

#[test]
fn late_joiner_converges_while_actions_stream() {
    let mut harness = Harness::memory(generate_world(20_000, 5), 9);
    let worker = harness.add_client("worker");
    harness.join_all(500);
    let servers = loose_objects(harness.host.world(), ObjectKind::Server1U);
    assert!(servers.len() >= 4);

    // A slow, lossy link so the snapshot takes many steps to arrive.
    let slow = LinkConditions::lossy(Duration::from_millis(80), Duration::from_millis(20), 0.1);
    let late = harness.add_client_with("late", slow.clone(), slow);
    let mut loading_steps = 0;
    let mut round = 0;
    while !harness.join_state(late).is_playing() {
        assert!(
            round < 2_000,
            "late client never joined: {:?}",
            harness.join_state(late)
        );
        if matches!(harness.join_state(late), JoinState::Loading(_)) {
            loading_steps += 1;
        }
        let server = servers[round % servers.len()];
        let action = if round % 2 == 0 {
            Action::PickUp { object: server }
        } else {
            Action::Drop {
                object: servers[(round - 1) % servers.len()],
                pos: PosMm::new(1_000 * (round % 7) as i32, 0, 2_000),
                yaw: round as u16,
            }
        };
        harness.perform(worker, action);
        harness.step();
        round += 1;
    }
    assert!(loading_steps > 1, "the transfer should span several steps");
    assert!(
        harness.host_revision().0 > 0,
        "actions were accepted during the join"
    );
    assert!(
        harness.run_until(2_000, |h| h.converged()),
        "late joiner did not converge"
    );
    common::install_and_converge(&mut harness, late, 2_000);
}
