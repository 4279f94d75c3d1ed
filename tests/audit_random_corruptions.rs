//! 1,000 random corruptions across 4 clients (250 distinct objects each, random
//! fields) are all repaired by one audit, within one interval, with exactly the
//! corrupted objects resynced.

mod common;

use common::audit::{INTERVAL, assert_repaired_within_one_interval, run_to_next_audit};
use racksync::audit::{Desync, Field, InjectError};
use racksync::harness::Harness;
use racksync_protocol::ObjectId;
use racksync_world::{ReadObjects, generate_world};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::BTreeSet;

const CLIENTS: usize = 4;
const PER_CLIENT: usize = 250;

#[test]
fn a_thousand_random_corruptions_are_repaired_in_one_audit() {
    let mut harness = Harness::memory(generate_world(6_000, 21), 21);
    harness.set_audit_interval(INTERVAL);
    for n in 0..CLIENTS {
        harness.add_client(&format!("bot{n}"));
    }
    harness.join_all(500);
    run_to_next_audit(&mut harness);
    harness.run(3);

    let ids: Vec<ObjectId> = harness
        .host
        .world()
        .objects_sorted()
        .iter()
        .map(|r| r.id)
        .collect();
    let mut rng = StdRng::seed_from_u64(1_000);
    let mut injected = 0;
    for client in 0..CLIENTS {
        let mut chosen = BTreeSet::new();
        while chosen.len() < PER_CLIENT {
            chosen.insert(ids[rng.random_range(0..ids.len())]);
        }
        for object in chosen {
            // A random field; a position only applies to objects on the floor.
            let mut field = Field::ALL[rng.random_range(0..Field::ALL.len())];
            loop {
                match harness.inject(client, Desync::Corrupt { object, field }) {
                    Ok(()) => break,
                    Err(InjectError::NotApplicable { .. }) => field = Field::Power,
                    Err(other) => panic!("{other}"),
                }
            }
            injected += 1;
        }
    }
    assert_eq!(injected, 1_000);
    assert!((0..CLIENTS).all(|c| harness.client_digest(c) != harness.host_digest()));

    assert_repaired_within_one_interval(&mut harness);
    let mut host_bytes = 0;
    for client in 0..CLIENTS {
        let stats = harness.client_audit_stats(client);
        assert_eq!(stats.mismatches, 1, "client {client}: {stats:?}");
        assert_eq!(
            stats.objects_resynced, PER_CLIENT as u64,
            "client {client}: {stats:?}"
        );
        // Root → level 1 → level 3 → objects: three exchanges however many objects differ.
        assert_eq!(stats.round_trips, 3, "client {client}: {stats:?}");
        host_bytes += stats.resync_bytes;
    }
    let host = harness.host_audit_stats();
    assert_eq!(host.objects_resynced, 1_000, "{host:?}");
    assert_eq!(
        host.resync_bytes, host_bytes,
        "both sides count the same bytes"
    );
    assert_eq!(host.refused, 0);
}
