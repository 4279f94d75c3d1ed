//! Join benchmark (SPEC P6): snapshot bytes per object and join time for a generated
//! 100k-object world, over the in-memory transport and over UDP loopback.
//!
//! Run: `cargo bench --bench join` (add `-- --objects N` for another size).

use racksync::harness::Harness;
use racksync::replication::EncodedSnapshot;
use racksync_protocol::codec::encode_unbounded;
use racksync_world::{ReadObjects, WorldObjects, WorldSave, generate_world};
use std::time::Instant;

fn main() {
    let objects = std::env::args()
        .skip_while(|a| a != "--objects")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000usize);
    let save = generate_world(objects, 1);
    println!("join benchmark: generated world of {objects} objects");

    let mut world = bevy_ecs::world::World::new();
    world.init_world_resources();
    save.load_into(&mut world)
        .expect("generated worlds are valid");
    let raw = encode_unbounded(&world.snapshot_body()).len();
    let started = Instant::now();
    let snapshot = EncodedSnapshot::capture(&world);
    let capture = started.elapsed();
    let compressed = snapshot.compressed.len();
    println!(
        "snapshot: {raw} bytes raw ({:.1} B/object), {compressed} bytes compressed ({:.1} B/object), capture+compress {:.1} ms",
        raw as f64 / objects as f64,
        compressed as f64 / objects as f64,
        capture.as_secs_f64() * 1e3
    );
    drop(world);

    for transport in ["memory", "udp"] {
        let (time, steps) = join_once(transport, &save);
        println!(
            "join over {transport}: {:.0} ms wall time, {steps} host ticks",
            time.as_secs_f64() * 1e3
        );
    }
}

fn join_once(transport: &str, save: &WorldSave) -> (std::time::Duration, usize) {
    let mut harness = match transport {
        "memory" => Harness::memory(save.clone(), 1),
        _ => Harness::udp(save.clone()),
    };
    harness.run(2);
    let started = Instant::now();
    let client = harness.add_client("bench");
    let mut steps = 0;
    while !harness.join_state(client).is_playing() {
        assert!(
            steps < 100_000,
            "join did not finish: {:?}",
            harness.join_state(client)
        );
        harness.step();
        steps += 1;
    }
    let elapsed = started.elapsed();
    assert_eq!(harness.client_digest(client), harness.host_digest());
    (elapsed, steps)
}
