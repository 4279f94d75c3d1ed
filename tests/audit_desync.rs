//! Each kind of injected desync — a corrupted field, an object deleted locally, an
//! object added locally, a broadcast withheld from one client — is found by the next
//! audit and repaired within one audit interval, touching only the diverged client.

mod common;

use common::audit::{INTERVAL, assert_repaired_within_one_interval, run_to_next_audit};
use racksync::audit::{Desync, Field};
use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::{Action, ObjectId, ObjectKind, Placement, PosMm, RACK_UNITS};
use racksync_world::ReadObjects;
use racksync_world::queries::{loose_objects, occupant};

fn three_clients() -> Harness {
    let mut harness = Harness::memory(default_world().unwrap(), 11);
    harness.set_audit_interval(INTERVAL);
    for name in ["alice", "bob", "carol"] {
        harness.add_client(name);
    }
    harness.join_all(200);
    // One clean audit first: nothing differs, nobody descends.
    run_to_next_audit(&mut harness);
    harness.run(5);
    for client in 0..3 {
        let stats = harness.client_audit_stats(client);
        assert_eq!(
            (stats.audits, stats.mismatches, stats.resync_bytes),
            (1, 0, 0)
        );
    }
    harness
}

/// Asserts that only `victim` saw a mismatch, and that it repaired `objects` objects.
fn assert_only_victim_repaired(harness: &Harness, victim: usize, objects: u64) {
    for client in 0..harness.clients.len() {
        let stats = harness.client_audit_stats(client);
        if client == victim {
            assert_eq!(stats.mismatches, 1, "{stats:?}");
            assert_eq!(stats.objects_resynced, objects, "{stats:?}");
        } else {
            assert_eq!(stats.mismatches, 0, "client {client}: {stats:?}");
            assert_eq!(stats.resync_bytes, 0, "client {client}: {stats:?}");
        }
    }
    let host = harness.host_audit_stats();
    assert_eq!(host.mismatches, 1, "{host:?}");
    assert_eq!(host.objects_resynced, objects, "{host:?}");
}

fn a_rack(harness: &Harness) -> ObjectId {
    harness
        .host
        .world()
        .objects_sorted()
        .into_iter()
        .find(|r| {
            r.kind == ObjectKind::Rack
                && (1..=RACK_UNITS).any(|u| occupant(harness.host.world(), r.id, u).is_some())
        })
        .expect("the default world has a loaded rack")
        .id
}

#[test]
fn a_corrupted_field_is_repaired() {
    let mut harness = three_clients();
    let rack = a_rack(&harness);
    let device = occupant(harness.host.world(), rack, 1)
        .or_else(|| (1..=RACK_UNITS).find_map(|u| occupant(harness.host.world(), rack, u)))
        .unwrap();
    let field = Field::TimeToBreak;
    harness
        .inject(
            1,
            Desync::Corrupt {
                object: device,
                field,
            },
        )
        .unwrap();
    assert_ne!(harness.client_digest(1), harness.host_digest());
    assert_repaired_within_one_interval(&mut harness);
    assert_eq!(
        harness.clients[1].world().object(device),
        harness.host.world().object(device)
    );
    assert_only_victim_repaired(&harness, 1, 1);
}

#[test]
fn an_object_deleted_locally_is_restored() {
    // A loaded rack: its devices still point at it, and the restored rack must know them.
    let mut harness = three_clients();
    let rack = a_rack(&harness);
    harness.inject(2, Desync::Delete(rack)).unwrap();
    assert!(harness.clients[2].world().object(rack).is_none());
    assert_repaired_within_one_interval(&mut harness);
    assert_eq!(
        harness.clients[2].world().object(rack),
        harness.host.world().object(rack)
    );
    for unit in 1..=RACK_UNITS {
        assert_eq!(
            occupant(harness.clients[2].world(), rack, unit),
            occupant(harness.host.world(), rack, unit),
            "unit {unit}"
        );
    }
    assert_only_victim_repaired(&harness, 2, 1);
}

#[test]
fn an_object_added_locally_is_removed() {
    let mut harness = three_clients();
    let template = harness.host.world().objects_sorted()[0].clone();
    let extra = racksync_protocol::ObjectRecord {
        id: ObjectId::new(0, 777_777),
        kind: ObjectKind::SfpBox,
        placement: Placement::Floor {
            pos: PosMm::new(500, 0, 500),
            yaw: 0,
        },
        cable: None,
        ..template
    };
    harness.inject(0, Desync::Add(extra.clone())).unwrap();
    assert_repaired_within_one_interval(&mut harness);
    assert!(harness.clients[0].world().object(extra.id).is_none());
    assert_only_victim_repaired(&harness, 0, 1);
}

#[test]
fn a_withheld_broadcast_is_repaired_and_the_revision_corrected() {
    let mut harness = three_clients();
    let servers = loose_objects(harness.host.world(), ObjectKind::Server1U);
    // Bob misses Alice's pick-up, then gets an ACK for his own: his counted revision is
    // one behind and his world lacks the pick-up.
    harness.drop_next_broadcast(1);
    harness.perform(0, Action::PickUp { object: servers[0] });
    harness.run(5);
    harness.perform(1, Action::PickUp { object: servers[1] });
    harness.run(5);
    assert_ne!(harness.client_revision(1), harness.host_revision());
    assert_eq!(harness.client_revision(2), harness.host_revision());
    assert_repaired_within_one_interval(&mut harness);
    let bob = harness.client_audit_stats(1);
    assert_eq!(bob.revision_corrections, 1, "{bob:?}");
    assert_eq!(
        harness.clients[1].world().object(servers[0]),
        harness.host.world().object(servers[0])
    );
    assert_only_victim_repaired(&harness, 1, 1);
}

#[test]
fn every_kind_at_once_on_different_clients() {
    let mut harness = three_clients();
    let objects = harness.host.world().objects_sorted();
    let loose = loose_objects(harness.host.world(), ObjectKind::Server1U);
    harness
        .inject(
            0,
            Desync::Corrupt {
                object: loose[0],
                field: Field::Position,
            },
        )
        .unwrap();
    harness.inject(0, Desync::Delete(objects[5].id)).unwrap();
    let mut extra = objects[0].clone();
    extra.id = ObjectId::new(3, 5);
    extra.kind = ObjectKind::SfpModule;
    extra.placement = Placement::Floor {
        pos: PosMm::new(0, 0, 0),
        yaw: 1,
    };
    extra.cable = None;
    harness.inject(1, Desync::Add(extra)).unwrap();
    harness.drop_next_broadcast(2);
    harness.perform(0, Action::PickUp { object: loose[1] });
    harness.run(5);
    assert_repaired_within_one_interval(&mut harness);
    assert_eq!(harness.client_audit_stats(0).objects_resynced, 2);
    assert_eq!(harness.client_audit_stats(1).objects_resynced, 1);
    assert_eq!(harness.client_audit_stats(2).objects_resynced, 1);
    assert_eq!(harness.host_audit_stats().mismatches, 3);
}
