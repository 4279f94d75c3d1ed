//! The `racksync host` binary with a durable save is killed with SIGKILL under load over
//! UDP loopback, three times over, and restarted on the same save each time. After every
//! restart a fresh client finds the effect of every action any client saw ACKed, in any
//! round; meanwhile a watcher reads the save directory every few milliseconds and finds
//! the save always whole (it always parses) and nothing but the save, its journal and
//! their temporary files there.

mod cli_process;
mod common;

use cli_process::Proc;
use common::load::{LabelLoad, assert_acked_effects};
use racksync::durability::journal::MAGIC;
use racksync::harness::Harness;
use racksync::rollback::ActionOutcome;
use racksync_world::{Holding, WorldSave};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// Kill-and-restart rounds.
const ROUNDS: usize = 3;
/// Load clients per round.
const LOADERS: usize = 3;
/// Harness steps (16 ms of wall clock each) of load before the kill, and after it.
const STEPS_BEFORE_KILL: usize = 90;
const STEPS_AFTER_KILL: usize = 15;

#[test]
fn acknowledged_actions_survive_kill_9_under_load() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("world.ron");
    let watcher = SaveWatcher::start(dir.path());
    let mut acked: Vec<ActionOutcome> = Vec::new();

    for round in 0..ROUNDS {
        let (mut host, addr, revision) = start_host(&save);
        if round == 0 {
            assert_eq!(revision, 0, "the first start creates the save");
        }
        let highest_acked = highest_revision(&acked);
        assert!(
            revision >= highest_acked,
            "round {round}: recovered revision {revision} is below the ACKed {highest_acked}"
        );
        let mut harness = Harness::remote(addr.parse().unwrap());
        verify_with_a_fresh_client(&mut harness, &acked, revision);

        let loaders: Vec<usize> = (0..LOADERS)
            .map(|i| harness.add_client(&format!("load{round}-{i}")))
            .collect();
        harness.join_all(600);
        let mut load = LabelLoad::default();
        for step in 0..STEPS_BEFORE_KILL + STEPS_AFTER_KILL {
            if step == STEPS_BEFORE_KILL {
                host.signal("KILL");
                assert!(!host.wait_exit().success(), "SIGKILL ends the host");
            }
            for &client in &loaders {
                load.act(&mut harness, client);
            }
            harness.step();
        }
        let before = acked.len();
        for &client in &loaders {
            acked.extend(harness.recorded(client).outcomes.iter().cloned());
        }
        let new_acks = acked[before..]
            .iter()
            .filter(|o| matches!(o, ActionOutcome::Accepted { .. }))
            .count();
        assert!(
            new_acks >= 100,
            "round {round}: only {new_acks} ACKs; that is no load"
        );
        eprintln!(
            "round {round}: started at revision {revision}, {new_acks} actions ACKed, then SIGKILL"
        );
    }

    // The last restart: everything ever ACKed is there, and a clean stop saves it all.
    let (mut host, addr, revision) = start_host(&save);
    assert!(revision >= highest_revision(&acked));
    let mut harness = Harness::remote(addr.parse().unwrap());
    verify_with_a_fresh_client(&mut harness, &acked, revision);
    host.signal("TERM");
    assert!(host.wait_exit().success(), "SIGTERM is a clean stop");
    let saved = WorldSave::read_with(&save, Holding::Allowed).unwrap();
    assert_eq!(
        saved.revision, revision,
        "the exit save holds the whole world"
    );
    let journal = racksync::durability::journal_path(&save);
    assert_eq!(
        std::fs::read(journal).unwrap(),
        MAGIC,
        "the exit save emptied the journal"
    );

    let report = watcher.stop();
    eprintln!(
        "final start at revision {revision}; the watcher parsed the save {} times at {} revisions",
        report.reads,
        report.revisions.len()
    );
    assert_eq!(report.failures, Vec::<String>::new());
    assert!(
        report.reads >= 50,
        "the watcher read the save only {} times",
        report.reads
    );
    // Every start saved at a new revision; periodic saves usually add more.
    assert!(
        report.revisions.len() > ROUNDS,
        "the watcher saw the save at revisions {:?} only",
        report.revisions
    );
}

/// Starts the host on `save`; returns it, its address and the revision it started at.
fn start_host(save: &Path) -> (Proc, String, u64) {
    let save = save.to_str().unwrap();
    let mut host = Proc::spawn(
        "host",
        &[
            "host",
            "--bind",
            "127.0.0.1:0",
            "--no-console",
            "--save",
            save,
            "--save-every",
            "1",
            "--durability",
            "strict",
        ],
    );
    let line = host.expect("the recovery line", |l| {
        l.starts_with("recovered save ") || l.starts_with("created save ")
    });
    let revision = line
        .rsplit("revision=")
        .next()
        .and_then(|r| r.parse().ok())
        .unwrap_or_else(|| panic!("no revision in {line:?}"));
    let listening = host.expect("the listening line", |l| l.starts_with("listening "));
    let addr = listening["listening ".len()..].to_string();
    (host, addr, revision)
}

/// A new client joins; its world (the host's) must hold every ACKed effect.
fn verify_with_a_fresh_client(harness: &mut Harness, acked: &[ActionOutcome], revision: u64) {
    let checker = harness.add_client("checker");
    harness.join_all(600);
    assert_eq!(harness.client_revision(checker).0, revision);
    let world = harness.clients[checker].world();
    let checked = assert_acked_effects(world, acked);
    assert_eq!(
        checked,
        acked
            .iter()
            .filter(|o| matches!(o, ActionOutcome::Accepted { .. }))
            .count()
    );
}

fn highest_revision(outcomes: &[ActionOutcome]) -> u64 {
    outcomes
        .iter()
        .filter_map(|o| match o {
            ActionOutcome::Accepted { revision, .. } => Some(revision.0),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

/// Reads the save directory in a loop on its own thread.
struct SaveWatcher {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<WatchReport>,
}

/// What the watcher saw.
#[derive(Debug, Default)]
struct WatchReport {
    /// Reads of the save, each of which parsed.
    reads: usize,
    /// Revisions the save was seen at.
    revisions: BTreeSet<u64>,
    /// What was wrong (a save that did not parse, a stray file).
    failures: Vec<String>,
}

impl SaveWatcher {
    fn start(dir: &Path) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let dir: PathBuf = dir.to_owned();
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let allowed = [
                "world.ron",
                "world.ron.tmp",
                "world.ron.journal",
                "world.ron.journal.tmp",
            ];
            let mut report = WatchReport::default();
            while !flag.load(Ordering::Relaxed) {
                for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if !allowed.contains(&name.as_str()) {
                        report.failures.push(format!("unexpected file {name}"));
                    }
                }
                // A missing save (before the first start) is fine; a partial one is not.
                if let Ok(text) = std::fs::read_to_string(dir.join("world.ron")) {
                    match WorldSave::from_ron_with(&text, Holding::Allowed) {
                        Ok(save) => {
                            report.reads += 1;
                            report.revisions.insert(save.revision);
                        }
                        Err(error) => report.failures.push(format!(
                            "the save did not parse ({} bytes): {error}",
                            text.len()
                        )),
                    }
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            report
        });
        Self { stop, thread }
    }

    fn stop(self) -> WatchReport {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("the watcher does not panic")
    }
}
