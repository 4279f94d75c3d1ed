//! The host simulates: powered devices wear out and break at the same revision on every
//! client, a Repair brings them back, and the simulation is deterministic per seed.

mod common;

use core::time::Duration;
use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::{Action, ObjectId, Placement, Revision};
use racksync_simulation::{SimulationSettings, SimulationStats};
use racksync_world::{ReadObjects, WorldDigest, WorldSave};

/// Wear steps of one (manual) second, each worth ten device seconds.
fn fast_wear(seed: u64, failure_ppm: u32) -> SimulationSettings {
    SimulationSettings {
        enabled: true,
        wear_every: Duration::from_secs(1),
        time_scale: 10,
        failure_ppm,
        seed,
    }
}

/// The default world with one powered, installed server set to break after
/// `time_to_break` device seconds.
fn world_with_fragile_server(time_to_break: u32) -> (WorldSave, ObjectId) {
    let mut save = default_world().unwrap();
    let fragile = save
        .objects
        .iter_mut()
        .find(|o| o.powered && matches!(o.placement, Placement::InRack(_)))
        .expect("the default world has a running device");
    fragile.health.time_to_break = time_to_break;
    fragile.health.eol_time = 1_000_000;
    let id = fragile.id;
    (save, id)
}

fn is_broken(app: &bevy_app::App, id: ObjectId) -> bool {
    app.world().object(id).is_some_and(|r| r.health.broken)
}

#[test]
fn a_worn_device_breaks_at_the_same_revision_everywhere_and_repair_restores_it() {
    let (save, fragile) = world_with_fragile_server(45);
    let mut harness = Harness::memory(save, 11);
    harness.host.insert_resource(fast_wear(0, 0));
    let alice = harness.add_client("alice");
    harness.add_client("bob");
    harness.join_all(300);
    assert!(!is_broken(&harness.host, fragile));

    // Only wear steps change the world, one per second, so the revision at which each
    // app first shows the device broken is the revision of the breaking step.
    let mut broke_at: Vec<Option<Revision>> = vec![None; 3];
    for _ in 0..800 {
        harness.step();
        for (slot, app) in std::iter::once(&harness.host)
            .chain(harness.clients.iter())
            .enumerate()
        {
            if broke_at[slot].is_none() && is_broken(app, fragile) {
                broke_at[slot] = Some(app.world().resource::<racksync_world::WorldRevision>().0);
            }
        }
        if broke_at.iter().all(Option::is_some) {
            break;
        }
    }
    let host_revision = broke_at[0].expect("the device broke on the host");
    assert_eq!(broke_at, vec![Some(host_revision); 3]);
    // 45 device seconds at 10 per step: broken by the fifth wear step.
    assert!(
        harness
            .host
            .world()
            .resource::<SimulationStats>()
            .wear_steps
            >= 5
    );
    assert!(harness.run_until(100, |h| h.converged()));

    harness.perform(alice, Action::Repair { object: fragile });
    harness.step();
    assert!(harness.run_until(200, |h| h.converged()));
    assert!(!is_broken(&harness.host, fragile));
    let health = harness.host.world().object(fragile).unwrap().health;
    assert!(health.time_to_break > 0 && health.warning_cleared);
    for client in &harness.clients {
        assert!(!is_broken(client, fragile));
    }
}

/// Runs a world under heavy random failures for `steps` and returns the host digest and
/// the simulation counters.
fn simulate(seed: u64, steps: usize) -> (WorldDigest, SimulationStats) {
    let mut harness = Harness::memory(default_world().unwrap(), 3);
    harness.host.insert_resource(fast_wear(seed, 400_000));
    harness.add_client("alice");
    harness.join_all(300);
    harness.run(steps);
    assert!(harness.run_until(200, |h| h.converged()));
    (
        harness.host_digest(),
        *harness.host.world().resource::<SimulationStats>(),
    )
}

#[test]
fn the_same_seed_and_tick_count_give_the_same_world() {
    let (first, stats) = simulate(42, 1_000);
    assert!(stats.wear_steps >= 15, "{stats:?}");
    assert!(stats.random_failures > 0, "{stats:?}");
    let (second, again) = simulate(42, 1_000);
    assert_eq!(first, second);
    assert_eq!(stats, again);
    let (other, _) = simulate(43, 1_000);
    assert_ne!(first, other, "a different seed breaks different devices");
}

#[test]
fn players_cannot_perform_host_only_actions() {
    let (save, fragile) = world_with_fragile_server(1_000);
    let mut harness = Harness::memory(save, 5);
    harness.host.insert_resource(SimulationSettings {
        enabled: false,
        ..SimulationSettings::default()
    });
    let alice = harness.add_client("alice");
    harness.join_all(300);
    harness.perform(alice, Action::Break { object: fragile });
    harness.perform(alice, Action::Wear { seconds: 5 });
    harness.run(20);
    let outcomes = &harness.recorded(alice).outcomes;
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    for outcome in outcomes {
        assert!(
            matches!(
                outcome,
                racksync_rollback::ActionOutcome::RejectedLocally {
                    reason: racksync_protocol::Rejection::HostOnly,
                    ..
                }
            ),
            "{outcome:?}"
        );
    }
    assert!(!is_broken(&harness.host, fragile));
}
