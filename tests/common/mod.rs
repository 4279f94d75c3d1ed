//! Flows several integration tests share, on top of `racksync::harness`.
// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

pub mod audit;
pub mod load;

use racksync::harness::Harness;
use racksync_protocol::{Action, ObjectId, ObjectKind, Placement, RackSlot};
use racksync_world::ReadObjects;
use racksync_world::queries::{free_slot, loose_objects};

/// A loose 1U server and a free 1-unit slot of the host's world.
pub fn loose_server_and_slot(harness: &Harness) -> (ObjectId, RackSlot) {
    let world = harness.host.world();
    let server = loose_objects(world, ObjectKind::Server1U)[0];
    let slot = free_slot(world, 1).expect("the world has a free unit");
    (server, slot)
}

/// Client `actor` picks a loose server up and installs it; every client must converge
/// with the host and see the server in its slot. Returns the server and slot.
pub fn install_and_converge(
    harness: &mut Harness,
    actor: usize,
    max_steps: usize,
) -> (ObjectId, RackSlot) {
    let (server, slot) = loose_server_and_slot(harness);
    harness.perform(actor, Action::PickUp { object: server });
    harness.step();
    harness.perform(
        actor,
        Action::InstallInRack {
            object: server,
            slot,
        },
    );
    assert!(
        harness.run_until(max_steps, |h| h.converged()),
        "clients did not converge"
    );
    let host_record = harness.host.world().object(server).expect("server exists");
    assert_eq!(host_record.placement, Placement::InRack(slot));
    for client in 0..harness.clients.len() {
        assert_eq!(harness.client_digest(client), harness.host_digest());
        assert_eq!(
            harness.clients[client].world().object(server),
            Some(host_record.clone())
        );
    }
    (server, slot)
}
