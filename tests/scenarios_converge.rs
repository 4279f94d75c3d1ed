//! Every shipped scenario, scaled down to a few bots and seconds, runs over the in-memory
//! transport and ends with every bot holding the host's world.

use racksync::scenario::{Progress, Report, Runner, Scenario, TransportChoice, WorldSource};
use std::path::{Path, PathBuf};

/// Most bots and seconds a CI run of one scenario gets.
const CI_CLIENTS: u32 = 6;
const CI_SECONDS: f64 = 8.0;
/// Largest world a CI run generates (the soak's 100k objects take too long in debug).
const CI_OBJECTS: u32 = 10_000;

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn scaled_down(name: &str) -> Scenario {
    let path = scenarios_dir().join(format!("{name}.ron"));
    let scenario = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let clients = scenario.total_clients().min(CI_CLIENTS);
    let seconds = scenario.duration_s.get().min(CI_SECONDS);
    let mut scenario = scenario
        .scaled(Some(clients), Some(seconds))
        .expect("CI sizes are valid");
    if let WorldSource::Generated { objects, .. } = &mut scenario.world {
        *objects = (*objects).min(CI_OBJECTS);
    }
    scenario
}

fn run(scenario: Scenario) -> Report {
    Runner::new(scenario, &scenarios_dir(), TransportChoice::Memory)
        .expect("the scenario's world loads")
        .run(&mut Progress::stderr(false))
}

fn assert_converges(name: &str) {
    let report = run(scaled_down(name));
    assert!(
        report.convergence.converged,
        "{name} did not converge:\n{report}"
    );
    assert!(
        report.actions.accepted > 0,
        "{name} accepted nothing:\n{report}"
    );
    assert!(
        report.join_ms.count >= 1,
        "{name}: nobody joined:\n{report}"
    );
}

#[test]
fn smoke_converges() {
    assert_converges("smoke");
}

#[test]
fn rack_rush_converges() {
    assert_converges("rack-rush");
}

#[test]
fn lossy_link_converges() {
    assert_converges("lossy-link");
}

#[test]
fn late_join_converges() {
    assert_converges("late-join");
}

#[test]
fn churn_converges_through_disconnects_cuts_and_desyncs() {
    let report = run(scaled_down("churn"));
    assert!(
        report.convergence.converged,
        "churn did not converge:\n{report}"
    );
    // Every slot joined once, and the disconnected ones joined again.
    assert!(
        report.join_ms.count > u64::from(report.clients),
        "no rejoin:\n{report}"
    );
    // The injected desyncs were found and repaired by the audit.
    assert!(
        report.audits.mismatches > 0,
        "no desync detected:\n{report}"
    );
    assert!(
        report.audits.objects_resynced > 0,
        "nothing resynced:\n{report}"
    );
}

#[test]
fn soak_converges() {
    assert_converges("soak");
}

#[test]
fn p8_converges() {
    assert_converges("p8");
}

/// Every file in `scenarios/` has a test above: a new scenario cannot ship untested.
#[test]
fn every_shipped_scenario_is_tested() {
    let mut shipped: Vec<String> = std::fs::read_dir(scenarios_dir())
        .expect("scenarios/ exists")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            Some(name.strip_suffix(".ron")?.to_string())
        })
        .collect();
    shipped.sort();
    let tested = [
        "churn",
        "late-join",
        "lossy-link",
        "p8",
        "rack-rush",
        "smoke",
        "soak",
    ];
    assert_eq!(shipped, tested);
}

#[test]
fn memory_runs_replay_identically() {
    let first = run(scaled_down("smoke"));
    let second = run(scaled_down("smoke"));
    assert_eq!(
        first.convergence.host_digest,
        second.convergence.host_digest
    );
    assert_eq!(first.actions.sent, second.actions.sent);
    assert_eq!(first.actions.accepted, second.actions.accepted);
    assert_eq!(first.ack_latency_ms, second.ack_latency_ms);
}

#[test]
fn the_report_serializes_and_charts() {
    let report = run(scaled_down("smoke"));
    let json = serde_json::to_value(&report).expect("the report is JSON");
    assert_eq!(json["scenario"], "smoke");
    assert!(json["ack_latency_ms"]["p99"].as_f64().is_some());
    let svg = racksync::scenario::chart::render(&report);
    assert!(svg.starts_with("<svg") && svg.contains("polyline"));
}
