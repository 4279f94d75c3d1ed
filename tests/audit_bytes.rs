//! Audit byte counts at 100k objects, asserted exactly (payload bytes are
//! deterministic): the happy path costs one root per client per audit (SPEC P4:
//! ≤ 32 bytes), and one diverged object among 100k is repaired with ≤ 4 KB in total and
//! ≤ 4 round trips (SPEC P5) — whether it changed, is missing or is extra.

mod common;

use common::audit::{INTERVAL, assert_repaired_within_one_interval, run_to_next_audit};
use racksync::audit::{AuditStats, Desync, Field};
use racksync::harness::Harness;
use racksync_protocol::{ObjectId, ObjectKind, Placement, PosMm};
use racksync_world::{ReadObjects, generate_world};

/// A root at a revision below 128: two enum tags, a one-byte varint, eight digest bytes.
const ROOT_BYTES: u64 = 11;

fn delta(after: AuditStats, before: AuditStats) -> AuditStats {
    AuditStats {
        audits: after.audits - before.audits,
        mismatches: after.mismatches - before.mismatches,
        objects_resynced: after.objects_resynced - before.objects_resynced,
        audit_bytes: after.audit_bytes - before.audit_bytes,
        resync_bytes: after.resync_bytes - before.resync_bytes,
        round_trips: after.round_trips - before.round_trips,
        refused: after.refused - before.refused,
        audits_with_predictions: after.audits_with_predictions - before.audits_with_predictions,
        revision_corrections: after.revision_corrections - before.revision_corrections,
    }
}

/// Injects `desync`, lets one audit repair it, and returns what the repair cost on the
/// client.
fn repair(harness: &mut Harness, desync: Desync) -> AuditStats {
    let before = harness.client_audit_stats(0);
    harness.inject(0, desync).unwrap();
    assert_ne!(harness.client_digest(0), harness.host_digest());
    assert_repaired_within_one_interval(harness);
    delta(harness.client_audit_stats(0), before)
}

#[test]
fn audit_costs_at_100k_objects() {
    let mut harness = Harness::memory(generate_world(100_000, 1), 1);
    harness.set_audit_interval(INTERVAL);
    harness.add_client("a");
    harness.add_client("b");
    harness.join_all(2_000);

    // Happy path: three audits, one root per client each, nothing comes back.
    for _ in 0..3 {
        run_to_next_audit(&mut harness);
    }
    harness.run(10);
    let host = harness.host_audit_stats();
    assert_eq!(host.audits, 6);
    assert_eq!(host.audit_bytes, 6 * ROOT_BYTES);
    assert!(host.audit_bytes / host.audits <= 32, "SPEC P4");
    assert_eq!(host.resync_bytes, 0);
    for client in 0..2 {
        let stats = harness.client_audit_stats(client);
        assert_eq!(stats.audits, 3);
        assert_eq!(stats.audit_bytes, 3 * ROOT_BYTES);
        assert_eq!((stats.mismatches, stats.resync_bytes), (0, 0));
    }

    // One diverged object among 100k, of each kind.
    let records = harness.host.world().objects_sorted();
    let changed = repair(
        &mut harness,
        Desync::Corrupt {
            object: records[50_000].id,
            field: Field::Power,
        },
    );
    let missing = repair(&mut harness, Desync::Delete(records[77_777].id));
    let mut extra = records[1].clone();
    extra.id = ObjectId::new(0, 999_999);
    extra.kind = ObjectKind::SfpModule;
    extra.placement = Placement::Floor {
        pos: PosMm::new(10, 0, 10),
        yaw: 0,
    };
    extra.cable = None;
    let extra = repair(&mut harness, Desync::Add(extra));

    for (name, cost) in [("changed", changed), ("missing", missing), ("extra", extra)] {
        assert_eq!(cost.mismatches, 1, "{name}");
        assert_eq!(cost.objects_resynced, 1, "{name}");
        assert!(cost.round_trips <= 4, "{name}: SPEC P5");
        assert!(
            cost.audit_bytes + cost.resync_bytes <= 4 * 1024,
            "{name}: SPEC P5"
        );
    }
    // Exact payload bytes of each repair, both directions, root excluded: four 16-digest
    // node lists (~70 bytes each), the leaf's (id, hash) list and the fix.
    assert_eq!((changed.round_trips, changed.resync_bytes), (3, 337));
    assert_eq!((missing.round_trips, missing.resync_bytes), (3, 339));
    assert_eq!((extra.round_trips, extra.resync_bytes), (3, 321));
    let host = harness.host_audit_stats();
    assert_eq!(
        host.resync_bytes,
        337 + 339 + 321,
        "the host counts the same bytes"
    );
    assert_eq!(host.objects_resynced, 3);
    // The other client never noticed anything.
    assert_eq!(harness.client_audit_stats(1).mismatches, 0);
}
