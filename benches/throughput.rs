//! Host throughput and ACK latency (SPEC P2, P3).
//!
//! P2: 16 clients over the in-memory transport each toggle the power of their own set of
//! devices, many actions per tick; every action is validated, applied, ACKed and
//! broadcast to the 15 others. The figure is accepted actions per second of host update
//! time (the host's `Update` alone, measured around `App::update`; deciding actions is an
//! exclusive system, so this is one core's work).
//!
//! P3: one action per client per tick over links with a fixed latency; the ACK latency in
//! host ticks minus the link's round trip in ticks is what the host adds.
//!
//! Run: `cargo bench --bench throughput` (add `-- --clients N --per-tick K`).

use core::time::Duration;
use racksync::authority::AuthorityStats;
use racksync::harness::Harness;
use racksync::simulation::SimulationSettings;
use racksync_protocol::{Action, ObjectId, Placement};
use racksync_rollback::ActionOutcome;
use racksync_transport::LinkConditions;
use racksync_world::{ReadObjects, generate_world};
use std::time::Instant;

fn arg(name: &str, default: usize) -> usize {
    std::env::args()
        .skip_while(|a| a != name)
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let clients = arg("--clients", 16);
    let per_tick = arg("--per-tick", 64);
    throughput(clients, per_tick);
    ack_latency(clients, Duration::ZERO);
    ack_latency(clients, Duration::from_millis(32));
}

/// A harness serving a 10k-object world with the simulation off (nothing but the
/// benchmark's actions changes the world) and no rate limits.
fn harness(clients: usize, link: LinkConditions) -> Harness {
    let mut harness = Harness::memory(generate_world(10_000, 1), 1);
    harness.host.insert_resource(SimulationSettings {
        enabled: false,
        ..SimulationSettings::default()
    });
    // Each bench client sends thousands of actions per second, far past a player's
    // budget: the benchmark measures the host's work, not its rate limits.
    harness
        .host
        .insert_resource(racksync_replication::BudgetSettings::unlimited());
    harness
        .host
        .insert_resource(racksync_transport::PacketGuard::new(
            racksync_transport::GuardLimits {
                bytes_per_s: u64::MAX / 4,
                burst_bytes: u64::MAX / 4,
                ..racksync_transport::GuardLimits::default()
            },
        ));
    for i in 0..clients {
        harness.add_client_with(&format!("bench{i}"), link.clone(), link.clone());
    }
    harness.join_all(2_000);
    harness
}

/// Installed servers and switches, dealt out to clients round-robin so that no two
/// clients ever touch the same device.
fn devices_per_client(harness: &Harness, clients: usize) -> Vec<Vec<(ObjectId, bool)>> {
    let mut dealt = vec![Vec::new(); clients];
    let installed = harness
        .host
        .world()
        .objects_sorted()
        .into_iter()
        .filter(|r| r.kind.is_powered_device() && matches!(r.placement, Placement::InRack(_)));
    for (i, record) in installed.enumerate() {
        dealt[i % clients].push((record.id, record.powered));
    }
    dealt
}

fn throughput(clients: usize, per_tick: usize) {
    let mut harness = harness(clients, LinkConditions::perfect());
    let mut devices = devices_per_client(&harness, clients);
    assert!(
        devices.iter().all(|d| d.len() >= per_tick),
        "not enough devices per client for {per_tick} actions per tick"
    );
    let mut cursor = 0;
    let mut tick = |harness: &mut Harness| -> Duration {
        for (client, owned) in devices.iter_mut().enumerate() {
            for k in 0..per_tick {
                let len = owned.len();
                let (object, powered) = &mut owned[(cursor + k) % len];
                *powered = !*powered;
                harness.perform(
                    client,
                    Action::SetPower {
                        object: *object,
                        on: *powered,
                    },
                );
            }
        }
        cursor += per_tick;
        // Same order as Harness::step, with the host timed on its own.
        harness.advance_clock();
        let started = Instant::now();
        harness.host.update();
        let host_time = started.elapsed();
        harness.update_clients();
        host_time
    };
    for _ in 0..30 {
        tick(&mut harness);
    }
    let before = *harness.host.world().resource::<AuthorityStats>();
    let ticks = 300;
    let mut host_time = Duration::ZERO;
    let mut slowest = Duration::ZERO;
    for _ in 0..ticks {
        let spent = tick(&mut harness);
        host_time += spent;
        slowest = slowest.max(spent);
    }
    let after = *harness.host.world().resource::<AuthorityStats>();
    let accepted = after.accepted - before.accepted;
    let rejected = after.rejected - before.rejected;
    assert_eq!(rejected, 0, "the benchmark's actions are all legal");
    assert!(harness.run_until(100, |h| h.converged()));
    println!(
        "throughput: {clients} clients x {per_tick} actions/tick, {accepted} accepted in {:.1} ms of host update time over {ticks} ticks",
        host_time.as_secs_f64() * 1e3
    );
    println!(
        "throughput: {:.0} validated actions/s with fan-out to {} others; host tick mean {:.2} ms, max {:.2} ms",
        accepted as f64 / host_time.as_secs_f64(),
        clients - 1,
        host_time.as_secs_f64() * 1e3 / ticks as f64,
        slowest.as_secs_f64() * 1e3
    );
}

fn ack_latency(clients: usize, one_way: Duration) {
    let link = LinkConditions {
        latency: one_way,
        ..LinkConditions::default()
    };
    let mut harness = harness(clients, link);
    let step = harness.step;
    let mut devices = devices_per_client(&harness, clients);
    let mut performed_at: Vec<Vec<usize>> = vec![Vec::new(); clients];
    let ticks = 200;
    let mut step_index = 0;
    let mut latencies = Vec::new();
    let mut seen = vec![0usize; clients];
    while step_index < ticks + 100 {
        if step_index < ticks {
            for (client, owned) in devices.iter_mut().enumerate() {
                let len = owned.len();
                let (object, powered) = &mut owned[step_index % len];
                *powered = !*powered;
                harness.perform(
                    client,
                    Action::SetPower {
                        object: *object,
                        on: *powered,
                    },
                );
                performed_at[client].push(step_index);
            }
        }
        harness.step();
        // A PerformAction written before step k is sent during step k.
        for (client, count) in seen.iter_mut().enumerate() {
            let outcomes = &harness.recorded(client).outcomes;
            // Outcomes arrive in order and all are accepted, so the i-th outcome
            // belongs to the i-th action.
            for (i, outcome) in outcomes.iter().enumerate().skip(*count) {
                assert!(
                    matches!(outcome, ActionOutcome::Accepted { .. }),
                    "{outcome:?}"
                );
                latencies.push(step_index - performed_at[client][i]);
            }
            *count = outcomes.len();
        }
        step_index += 1;
    }
    latencies.sort_unstable();
    let rtt_ticks = (2 * one_way.as_micros()).div_ceil(step.as_micros()) as usize;
    let p50 = latencies[latencies.len() / 2];
    let max = *latencies.last().expect("actions were ACKed");
    println!(
        "ack latency: one-way {} ms (round trip {rtt_ticks} ticks of {} ms): p50 {p50} ticks, max {max} ticks over {} actions; host adds {} tick(s)",
        one_way.as_millis(),
        step.as_millis(),
        latencies.len(),
        max.saturating_sub(rtt_ticks)
    );
}
