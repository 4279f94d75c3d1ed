//! Replays the fuzz corpora as ordinary tests, on stable and in CI: every file under
//! `fuzz/corpus/<target>/` and, when it exists, `fuzz/regressions/<target>/` goes through
//! the same body the cargo-fuzz target runs (`racksync::fuzzing`). A corpus directory
//! that is missing or empty fails the test, so it can never pass by replaying nothing.
//!
//! `cargo test -p racksync --test fuzz_corpora -- --ignored write_seed_corpora` writes
//! the generated seed inputs into the corpus directories (after a change of the wire
//! format, say); the fuzzer's own finds are added with `cargo +nightly fuzz cmin`.

use racksync::fuzzing;
use racksync::protocol::Action;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of one directory, sorted so failures name the same file every run.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// Every input of `target`: the corpus (required, non-empty) and the regressions.
fn inputs(target: &str) -> Vec<PathBuf> {
    let corpus = fuzz_dir().join("corpus").join(target);
    assert!(
        corpus.is_dir(),
        "corpus directory {} is missing",
        corpus.display()
    );
    let mut files = files_in(&corpus);
    assert!(!files.is_empty(), "corpus {} is empty", corpus.display());
    let regressions = fuzz_dir().join("regressions").join(target);
    if regressions.is_dir() {
        files.extend(files_in(&regressions));
    }
    files
}

/// Runs `body` on every input of `target`; reports every input that panicked.
fn replay(target: &str, mut body: impl FnMut(&[u8])) {
    let files = inputs(target);
    let mut failed = Vec::new();
    for path in &files {
        let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if catch_unwind(AssertUnwindSafe(|| body(&data))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    println!("{target}: replayed {} inputs", files.len());
    assert!(
        failed.is_empty(),
        "{} of {} {target} inputs failed (the panic of each is printed above):\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

#[test]
fn decoders_corpus_replays_clean() {
    replay("decoders", fuzzing::decoders);
}

#[test]
fn world_rules_corpus_replays_clean() {
    // The same body as `fuzzing::world_rules`, counting what the corpus reaches.
    let mut accepted = [0usize; Action::NAMES.len()];
    let mut rejected = [0usize; Action::NAMES.len()];
    replay("world_rules", |data| {
        let summary = fuzzing::rules::run(data);
        for (total, count) in accepted.iter_mut().zip(summary.accepted) {
            *total += count;
        }
        for (total, count) in rejected.iter_mut().zip(summary.rejected) {
            *total += count;
        }
    });
    for (kind, name) in Action::NAMES.iter().enumerate() {
        println!(
            "  {name:>16}: {:>6} accepted {:>6} refused",
            accepted[kind], rejected[kind]
        );
    }
}

/// The generated seeds also run straight from the generators, so a change that breaks
/// them fails here even before the corpus files are rewritten.
#[test]
fn renet_guard_corpus_replays_clean() {
    replay("renet_guard", fuzzing::renet_guard);
}

#[test]
fn generated_seeds_replay_clean() {
    for (_, input) in fuzzing::guard::seed_inputs() {
        fuzzing::renet_guard(&input);
    }
    let decoders = fuzzing::decoders::seed_inputs();
    for (_, input) in &decoders {
        fuzzing::decoders(input);
    }
    let rules = fuzzing::rules::seed_inputs();
    let mut accepted = [0usize; Action::NAMES.len()];
    for (_, input) in &rules {
        let summary = fuzzing::rules::run(input);
        for (total, count) in accepted.iter_mut().zip(summary.accepted) {
            *total += count;
        }
    }
    println!(
        "seeds: {} decoders, {} world_rules; accepted by kind {accepted:?}",
        decoders.len(),
        rules.len()
    );
    // The rule seeds are meant to carry the fuzzer deep: each kind of action must be
    // accepted at least once somewhere in them.
    for (kind, name) in Action::NAMES.iter().enumerate() {
        assert!(accepted[kind] > 0, "no seed gets a {name} accepted");
    }
}

/// Writes the generated seeds into `fuzz/corpus/<target>/` (run by hand, see above).
#[test]
#[ignore = "writes files; run by hand to refresh the seed inputs"]
fn write_seed_corpora() {
    for (target, seeds) in [
        ("decoders", fuzzing::decoders::seed_inputs()),
        ("world_rules", fuzzing::rules::seed_inputs()),
        ("renet_guard", fuzzing::guard::seed_inputs()),
    ] {
        let dir = fuzz_dir().join("corpus").join(target);
        std::fs::create_dir_all(&dir).expect("create the corpus directory");
        for (name, bytes) in &seeds {
            std::fs::write(dir.join(name), bytes).expect("write a seed");
        }
        println!("{target}: wrote {} seeds to {}", seeds.len(), dir.display());
    }
}
