//! `racksync scenario` as a process: the exit code follows the expectations, a broken
//! file is a different failure, and `--connect` drives bots against a separate host.

mod cli_process;

use cli_process::Proc;
use std::path::{Path, PathBuf};

fn smoke() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/smoke.ron")
        .display()
        .to_string()
}

/// A scenario file in a fresh temporary directory.
fn scenario_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("racksync-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("creating a temporary directory");
    let path = dir.join(format!("{name}.ron"));
    std::fs::write(&path, text).expect("writing the scenario");
    path
}

#[test]
fn a_violated_expectation_exits_non_zero_and_is_named() {
    let path = scenario_file(
        "impossible",
        r#"Scenario(
            name: "impossible",
            world: Default,
            duration_s: 2,
            groups: [ClientGroup(name: "a", clients: 2,
                behaviour: Behaviour(actions_per_s: { SetPower: 2.0 }))],
            expect: Expectations(min_accepted: 1000000, ack_p99_ms: 10000),
        )"#,
    );
    let mut run = Proc::spawn("scenario", &["scenario", path.to_str().unwrap(), "--quiet"]);
    run.expect("the failed expectation", |l| {
        l.starts_with("expectation failed: min_accepted: wanted >= 1000000")
    });
    let status = run.wait_exit();
    assert_eq!(status.code(), Some(1), "a failed expectation exits 1");
}

#[test]
fn a_passing_scenario_exits_zero_and_writes_its_report_and_chart() {
    let dir = std::env::temp_dir().join(format!("racksync-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let report = dir.join("smoke.json");
    let mut run = Proc::spawn(
        "scenario",
        &[
            "scenario",
            &smoke(),
            "--duration",
            "3",
            "--quiet",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    run.expect_line("all expectations held");
    assert_eq!(run.wait_exit().code(), Some(0));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["convergence"]["converged"], true);
    let svg = std::fs::read_to_string(report.with_extension("svg")).unwrap();
    assert!(svg.contains("ACK latency"));
}

#[test]
fn a_broken_file_exits_two_naming_the_line() {
    let path = scenario_file(
        "broken",
        "Scenario(\n  name: \"broken\",\n  world: Default,\n  duration_s: -3,\n  groups: [],\n)",
    );
    let mut run = Proc::spawn("scenario", &["scenario", path.to_str().unwrap()]);
    assert_eq!(run.wait_exit().code(), Some(2));
    let stderr = run.stderr_text();
    assert!(stderr.contains(":4:"), "the error names line 4: {stderr}");
}

#[test]
fn bots_drive_a_host_running_in_another_process() {
    // A short audit interval, so the bots' final state is confirmed by the host's audit.
    let (mut host, addr) = Proc::host(&["--no-console", "--audit-interval-ms", "500"]);
    let mut run = Proc::spawn(
        "scenario",
        &[
            "scenario",
            &smoke(),
            "--connect",
            &addr,
            "--duration",
            "3",
            "--clients",
            "3",
            "--quiet",
        ],
    );
    let converged = run.expect("the convergence line", |l| {
        l.trim_start().starts_with("convergence")
    });
    assert!(converged.contains("CONVERGED"), "{converged}");
    run.expect_line("all expectations held");
    assert_eq!(run.wait_exit().code(), Some(0));
    assert!(host.running(), "the host outlives its bots");
}
