//! A durable host over the in-memory transport: acknowledged actions survive a crash
//! (the host app dropped mid-run, as `kill -9` would), saves empty the journal, a
//! journal record a save already covers is skipped, a torn tail is ignored, corruption
//! is refused, held objects are released on recovery, one fsync covers a tick, and a
//! host that cannot journal acknowledges nothing.

mod common;

use common::load::{LabelLoad, assert_acked_effects};
use racksync::default_world::default_world;
use racksync::durability::journal::MAGIC;
use racksync::durability::{
    Durability, DurabilityError, DurabilitySettings, JournalError, checkpoint,
};
use racksync::harness::Harness;
use racksync::rollback::ActionOutcome;
use racksync_protocol::{Action, ObjectKind, Placement, Revision};
use racksync_world::ReadObjects;
use racksync_world::queries::loose_objects;
use std::path::Path;
use std::time::Duration;

const SEED: u64 = 11;

fn settings(dir: &Path) -> DurabilitySettings {
    DurabilitySettings {
        save: dir.join("world.ron"),
        // Long, so a test saves only when it says so.
        save_every: Duration::from_secs(3600),
        durability: Durability::Strict,
    }
}

fn start(settings: &DurabilitySettings) -> (Harness, racksync::durability::Recovery) {
    Harness::durable_memory(settings, default_world().expect("default world"), SEED)
        .expect("the durable host starts")
}

/// Two clients join and run the label load for `steps` steps, then settle.
fn run_load(harness: &mut Harness, steps: usize) {
    for name in ["alice", "bob"] {
        harness.add_client(name);
    }
    harness.join_all(200);
    let mut load = LabelLoad::default();
    for _ in 0..steps {
        for client in 0..harness.clients.len() {
            load.act(harness, client);
        }
        harness.step();
    }
    assert!(harness.run_until(200, |h| h.converged()), "no convergence");
}

/// Steps until `saves` saves (the start-up one included) have completed. Periodic saves
/// are written by a thread on the wall clock, so this waits up to 10 s of real time.
fn wait_for_saves(harness: &mut Harness, saves: u64) -> racksync::durability::DurabilityStats {
    for _ in 0..1_000 {
        if harness.durability_stats().saves >= saves {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    let stats = harness.durability_stats();
    assert!(
        stats.saves >= saves,
        "only {} saves completed: {stats:?}",
        stats.saves
    );
    stats
}

/// Every client has an outcome for each action it performed.
fn answered(harness: &Harness) -> bool {
    (0..harness.clients.len()).all(|client| !harness.recorded(client).outcomes.is_empty())
}

fn outcomes(harness: &Harness) -> Vec<ActionOutcome> {
    (0..harness.clients.len())
        .flat_map(|client| harness.recorded(client).outcomes.clone())
        .collect()
}

#[test]
fn acknowledged_actions_survive_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(dir.path());
    let (mut harness, recovery) = start(&settings);
    assert!(!recovery.save_existed);
    assert_eq!((recovery.replayed, recovery.revision), (0, Revision(0)));
    assert!(settings.save.exists(), "the initial world is saved at once");

    run_load(&mut harness, 60);
    let acked = outcomes(&harness);
    let (revision, digest) = (harness.host_revision(), harness.host_digest());
    assert_eq!(harness.durability_stats().records, revision.0);
    drop(harness); // the crash: no exit save

    let (recovered, recovery) = start(&settings);
    assert!(recovery.save_existed);
    assert_eq!(recovery.save_revision, Revision(0));
    assert_eq!(recovery.replayed, revision.0);
    assert_eq!(recovery.revision, revision);
    assert_eq!(recovered.host_digest(), digest);
    let checked = assert_acked_effects(recovered.host.world(), &acked);
    assert_eq!(
        checked as u64, revision.0,
        "every action of the load was ACKed"
    );
}

#[test]
fn periodic_saves_empty_the_journal_and_recovery_continues_from_them() {
    let dir = tempfile::tempdir().unwrap();
    let settings = DurabilitySettings {
        save_every: Duration::from_millis(500),
        ..settings(dir.path())
    };
    let (mut harness, _) = start(&settings);
    run_load(&mut harness, 100);
    // 100+ steps of 16 ms: periodic saves were due three times.
    let stats = wait_for_saves(&mut harness, 3);
    assert!(stats.last_save_revision > Revision(0));
    let (revision, digest) = (harness.host_revision(), harness.host_digest());
    drop(harness); // waits for a save still being written, as a finished write would

    let saved =
        racksync_world::WorldSave::read_with(&settings.save, racksync_world::Holding::Allowed)
            .unwrap();
    assert!(saved.revision >= stats.last_save_revision.0);
    let (recovered, recovery) = start(&settings);
    assert_eq!(recovery.save_revision.0, saved.revision);
    assert_eq!(recovery.replayed, revision.0 - saved.revision);
    assert_eq!(recovered.host_digest(), digest);
}

#[test]
fn actions_journaled_while_a_background_save_runs_survive_it() {
    let dir = tempfile::tempdir().unwrap();
    let settings = DurabilitySettings {
        save_every: Duration::from_millis(100),
        ..settings(dir.path())
    };
    // Big enough that a save takes a while, so actions land while it is written.
    let world = racksync_world::generate_world(5_000, 3);
    let (mut harness, _) = Harness::durable_memory(&settings, world, SEED).unwrap();
    run_load(&mut harness, 120);
    wait_for_saves(&mut harness, 2);
    let (revision, digest) = (harness.host_revision(), harness.host_digest());
    drop(harness);

    let (recovered, recovery) =
        Harness::durable_memory(&settings, racksync_world::generate_world(1, 1), SEED).unwrap();
    assert_eq!(recovery.revision, revision);
    assert_eq!(recovered.host_digest(), digest);
}

#[test]
fn journal_records_a_save_already_covers_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(dir.path());
    let (mut harness, _) = start(&settings);
    run_load(&mut harness, 20);
    let journal = std::fs::read(settings.journal_path()).unwrap();
    // A crash between the save's rename and the journal reset leaves both.
    checkpoint(harness.host.world_mut()).unwrap();
    std::fs::write(settings.journal_path(), &journal).unwrap();
    let (revision, digest) = (harness.host_revision(), harness.host_digest());
    drop(harness);

    let (recovered, recovery) = start(&settings);
    assert_eq!(recovery.save_revision, revision);
    assert_eq!((recovery.replayed, recovery.skipped), (0, revision.0));
    assert_eq!(recovered.host_digest(), digest);
}

#[test]
fn a_torn_tail_is_ignored_and_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(dir.path());
    let (mut harness, _) = start(&settings);
    run_load(&mut harness, 10);
    let revision = harness.host_revision();
    drop(harness);

    // An append cut short by the crash: the last record loses its last bytes.
    let path = settings.journal_path();
    let full = std::fs::read(&path).unwrap();
    std::fs::write(&path, &full[..full.len() - 3]).unwrap();
    let (recovered, recovery) = start(&settings);
    assert_eq!(recovery.replayed, revision.0 - 1);
    assert_eq!(recovery.revision, Revision(revision.0 - 1));
    assert!(recovery.torn_bytes > 0);
    // Start-up saved the recovered world and emptied the journal, tail included.
    assert_eq!(std::fs::read(&path).unwrap(), MAGIC);
    drop(recovered);

    // Zeros where an append's data never landed are a torn tail too.
    let mut zeros = MAGIC.to_vec();
    zeros.extend([0u8; 4096]);
    std::fs::write(&path, &zeros).unwrap();
    let (_, recovery) = start(&settings);
    assert_eq!((recovery.replayed, recovery.torn_bytes), (0, 4096));
}

#[test]
fn a_corrupt_record_before_valid_ones_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(dir.path());
    let (mut harness, _) = start(&settings);
    run_load(&mut harness, 10);
    drop(harness);

    let path = settings.journal_path();
    let mut bytes = std::fs::read(&path).unwrap();
    // A flipped bit in the first record's payload (after the magic and its frame).
    bytes[MAGIC.len() + 12 + 1] ^= 0x10;
    std::fs::write(&path, &bytes).unwrap();
    let error = Harness::durable_memory(&settings, default_world().unwrap(), SEED)
        .err()
        .expect("corruption is refused");
    assert!(
        matches!(
            error,
            DurabilityError::Journal(JournalError::Corrupt { offset: 8, .. })
        ),
        "{error}"
    );
}

#[test]
fn a_journal_without_its_save_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(dir.path());
    let (mut harness, _) = start(&settings);
    run_load(&mut harness, 5);
    drop(harness);
    std::fs::remove_file(&settings.save).unwrap();
    let error = Harness::durable_memory(&settings, default_world().unwrap(), SEED)
        .err()
        .expect("refused");
    assert!(
        matches!(error, DurabilityError::JournalWithoutSave { .. }),
        "{error}"
    );
}

#[test]
fn objects_held_at_the_crash_are_released_on_recovery() {
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(dir.path());
    let (mut harness, _) = start(&settings);
    harness.add_client("alice");
    harness.join_all(200);
    let server = loose_objects(harness.host.world(), ObjectKind::Server1U)[0];
    harness.perform(0, Action::PickUp { object: server });
    assert!(harness.run_until(50, |h| answered(h) && h.converged()));
    let held = harness.host.world().object(server).unwrap().placement;
    assert!(matches!(held, Placement::Held(_)));
    let revision = harness.host_revision();
    drop(harness);

    let (mut recovered, recovery) = start(&settings);
    assert_eq!((recovery.revision, recovery.released), (revision, 1));
    recovered.step();
    assert!(matches!(
        recovered.host.world().object(server).unwrap().placement,
        Placement::Floor { .. }
    ));
    assert_eq!(recovered.host_revision(), Revision(revision.0 + 1));
    // The release was journaled like any host action.
    assert_eq!(recovered.durability_stats().records, 1);
}

#[test]
fn one_fsync_covers_every_action_of_a_tick() {
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(dir.path());
    let (mut harness, _) = start(&settings);
    for name in ["a", "b", "c"] {
        harness.add_client(name);
    }
    harness.join_all(200);
    let before = harness.durability_stats();
    let servers = loose_objects(harness.host.world(), ObjectKind::Server1U);
    for (client, &object) in servers.iter().take(3).enumerate() {
        harness.perform(client, Action::PickUp { object });
    }
    assert!(harness.run_until(50, |h| answered(h) && h.converged()));
    let after = harness.durability_stats();
    assert_eq!(after.records - before.records, 3);
    assert_eq!(
        after.syncs - before.syncs,
        1,
        "group commit: one fsync per tick"
    );
}

#[test]
fn interval_mode_fsyncs_at_most_once_per_interval() {
    let dir = tempfile::tempdir().unwrap();
    let settings = DurabilitySettings {
        durability: Durability::Interval {
            fsync_every: Duration::from_secs(1),
        },
        ..settings(dir.path())
    };
    let (mut harness, _) = start(&settings);
    harness.add_client("alice");
    harness.join_all(200);
    let before = harness.durability_stats();
    let mut load = LabelLoad::default();
    for _ in 0..10 {
        load.act(&mut harness, 0);
        harness.step();
    }
    harness.run(3);
    let written = harness.durability_stats();
    assert_eq!(written.records - before.records, 10);
    // Joining took well under a second of manual time, so no fsync was due yet.
    let steps_to_interval =
        (Duration::from_secs(1).as_millis() / harness.step.as_millis()) as usize;
    harness.run(steps_to_interval);
    let synced = harness.durability_stats();
    assert_eq!(
        synced.syncs - written.syncs,
        1,
        "the interval's fsync came without new actions"
    );
    assert_eq!(written.syncs, before.syncs);
}

#[cfg(target_os = "linux")]
#[test]
fn a_host_that_cannot_journal_acknowledges_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(dir.path());
    let (mut harness, _) = start(&settings);
    harness.add_client("alice");
    harness.join_all(200);
    harness.fill_journal_disk();
    let server = loose_objects(harness.host.world(), ObjectKind::Server1U)[0];
    harness.perform(0, Action::PickUp { object: server });
    harness.run(40);
    assert!(harness.journal_failure().is_some());
    assert!(
        harness
            .recorded(0)
            .outcomes
            .iter()
            .all(|o| !matches!(o, ActionOutcome::Accepted { .. })),
        "an unjournaled action was acknowledged: {:?}",
        harness.recorded(0).outcomes
    );
    assert!(
        !harness.join_state(0).is_playing(),
        "the client was disconnected"
    );
    assert!(harness.host.should_exit().is_some_and(|e| e.is_error()));
}
