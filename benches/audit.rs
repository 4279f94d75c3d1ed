//! Audit benchmark (SPEC P4, P5): digest maintenance cost per object change, and host
//! CPU per audit at 100k objects and 64 clients — the happy path (one root to each
//! client) and a repair (every client with one diverged object descending the tree).
//!
//! Run: `cargo bench --bench audit` (add `-- --objects N` or `-- --clients N`).

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::Schedule;
use core::time::Duration;
use racksync::audit::answer::{answer_nodes, answer_objects};
use racksync::audit::descend::{apply_fixes, compare_nodes, root_request};
use racksync::audit::{
    AuditSettings, AuditStats, ConfirmedView, Desync, Field, HostAuditState, inject,
    send_audit_roots,
};
use racksync::replication::host::{SessionPhase, Sessions};
use racksync_protocol::codec::encode_unbounded;
use racksync_protocol::{NodeDigests, ObjectRecord, PlayerId};
use racksync_world::{
    ConfirmedOverlay, DigestTree, ReadObjects, WorldObjects, WorldRevision, generate_world,
    object_hash,
};
use std::hint::black_box;
use std::time::Instant;

fn arg(name: &str, default: usize) -> usize {
    std::env::args()
        .skip_while(|a| a != name)
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn loaded_world(objects: usize) -> World {
    let mut world = World::new();
    world.init_world_resources();
    generate_world(objects, 1)
        .load_into(&mut world)
        .expect("generated worlds are valid");
    world
}

fn main() {
    let objects = arg("--objects", 100_000);
    let clients = arg("--clients", 64);
    println!("audit benchmark: {objects} objects, {clients} clients");
    let mut world = loaded_world(objects);
    let records = world.objects_sorted();

    digest_maintenance(&mut world, &records);
    happy_path(&mut world, clients);
    repair(&world, &records, clients);
}

/// Cost of keeping the digest tree current, per changed object.
fn digest_maintenance(world: &mut World, records: &[ObjectRecord]) {
    let changes = 1_000_000;
    let hashes: Vec<u64> = (0..changes as u64)
        .map(|n| n.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .collect();
    let mut tree = world.resource::<DigestTree>().clone();
    let started = Instant::now();
    for (n, hash) in hashes.iter().enumerate() {
        tree.replace(records[n % records.len()].id, *hash);
    }
    let tree_ns = started.elapsed().as_nanos() as f64 / changes as f64;
    black_box(tree.root());

    let started = Instant::now();
    for n in 0..changes {
        black_box(object_hash(&records[n % records.len()]));
    }
    let hash_ns = started.elapsed().as_nanos() as f64 / changes as f64;

    // The whole store write (components, indexes, digest, tree): the first pass flips
    // every object's power, the second flips it back, so every write is a change.
    let writes = 2 * records.len();
    let started = Instant::now();
    for n in 0..writes {
        let mut record = records[n % records.len()].clone();
        if (n / records.len()).is_multiple_of(2) {
            record.powered = !record.powered;
        }
        world.write_object(record);
    }
    let write_ns = started.elapsed().as_nanos() as f64 / writes as f64;
    println!(
        "digest maintenance per change: {tree_ns:.0} ns tree update (+ {hash_ns:.0} ns canonical object hash); whole write_object {write_ns:.0} ns"
    );
}

/// Host CPU for one audit tick: one root to every client.
fn happy_path(world: &mut World, clients: usize) {
    let mut server = racksync_transport::new_server();
    let mut sessions = Sessions::default();
    for client in 1..=clients as u64 {
        server.add_connection(client);
        sessions.connect(client);
        let session = sessions.get_mut(client).expect("just connected");
        session.phase = SessionPhase::Playing;
        session.player = Some(PlayerId(client as u16));
    }
    world.insert_resource(server);
    world.insert_resource(sessions);
    world.insert_resource(AuditSettings::default());
    world.insert_resource(HostAuditState::default());
    world.insert_resource(AuditStats::default());
    world.insert_resource(bevy_time::Time::<bevy_time::Real>::default());
    let mut schedule = Schedule::default();
    schedule.add_systems(send_audit_roots);
    let audits = 2_000;
    let mut elapsed = Duration::ZERO;
    for _ in 0..=audits {
        // Due now: every run is an audit tick.
        world.resource_mut::<HostAuditState>().next_at = Some(Duration::ZERO);
        let started = Instant::now();
        schedule.run(world);
        elapsed += started.elapsed();
        // Keep renet's reliable buffers from filling (no client ever acknowledges).
        let mut server = world.resource_mut::<bevy_renet::RenetServer>();
        for client in 1..=clients as u64 {
            server.remove_connection(client);
            server.add_connection(client);
        }
    }
    let stats = *world.resource::<AuditStats>();
    let per_client = stats.audit_bytes as f64 / stats.audits as f64;
    println!(
        "host CPU per audit (happy path, {clients} clients): {:.1} µs; {per_client:.0} bytes per client per audit",
        elapsed.as_secs_f64() * 1e6 / (audits + 1) as f64
    );
}

/// Host CPU to answer every client's descent when each has one diverged object.
fn repair(host: &World, records: &[ObjectRecord], clients: usize) {
    let tree = host.resource::<DigestTree>();
    let mut client = World::new();
    client.init_world_resources();
    client
        .load_snapshot(host.snapshot_body(), host.resource::<WorldRevision>().0)
        .expect("the host's world loads");
    let victim = records[records.len() / 2].id;
    inject(
        &mut client,
        Desync::Corrupt {
            object: victim,
            field: Field::TimeToBreak,
        },
    )
    .expect("the object exists");

    let round = 1;
    let mut host_time = Duration::ZERO;
    let mut bytes = 0;
    let mut steps = 0;
    let first = {
        let view = ConfirmedView::new(
            client.resource::<DigestTree>(),
            client.resource::<ConfirmedOverlay>(),
        );
        root_request(&view, round)
    };
    let mut nodes: Vec<NodeDigests> = vec![first];
    let mut fixes = Vec::new();
    while !nodes.is_empty() {
        steps += 1;
        bytes += encode_unbounded(&nodes).len();
        let started = Instant::now();
        let answer = answer_nodes(tree, round, &nodes, usize::MAX).expect("valid request");
        host_time += started.elapsed();
        bytes += answer.bytes;
        let view = ConfirmedView::new(
            client.resource::<DigestTree>(),
            client.resource::<ConfirmedOverlay>(),
        );
        let next = compare_nodes(&view, round, &answer.items).expect("valid answer");
        nodes = next.nodes;
        if !next.leaves.is_empty() {
            steps += 1;
            bytes += encode_unbounded(&next.leaves).len();
            let started = Instant::now();
            let answer =
                answer_objects(host, tree, round, &next.leaves, usize::MAX).expect("valid request");
            host_time += started.elapsed();
            bytes += answer.bytes;
            fixes = answer.items;
        }
    }
    let repaired = apply_fixes(&mut client, fixes);
    assert_eq!(repaired, 1);
    assert_eq!(client.digest(), host.digest());
    println!(
        "host CPU per audit (one diverged object on each of {clients} clients): {:.1} µs ({:.1} µs per client, {steps} round trips, ~{bytes} list bytes per client)",
        host_time.as_secs_f64() * 1e6 * clients as f64,
        host_time.as_secs_f64() * 1e6
    );
}
