//! `racksync scenario`: run a scripted load test and report.

use super::CliError;
use crate::scenario::{Progress, Runner, Scenario, TransportChoice, chart};
use clap::{Args, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `racksync scenario`.
#[derive(Args, Debug)]
pub struct ScenarioArgs {
    /// The scenario file (RON), e.g. scenarios/smoke.ron.
    pub file: PathBuf,
    /// Total bots, shared out over the groups in proportion (default: as in the file).
    #[arg(long)]
    pub clients: Option<u32>,
    /// Acting time in seconds; faults and joins are scaled with it (default: as in the file).
    #[arg(long)]
    pub duration: Option<f64>,
    /// Write the report as JSON here (and the chart next to it, as .svg).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Write the SVG chart of ACK latency and bandwidth here.
    #[arg(long)]
    pub chart: Option<PathBuf>,
    /// Host in this process over the in-memory transport, or over UDP loopback.
    #[arg(long, value_enum, default_value_t = Transport::Memory, conflicts_with = "connect")]
    pub transport: Transport,
    /// Run only the bots, against a host already running at ADDR (over UDP).
    #[arg(long)]
    pub connect: Option<SocketAddr>,
    /// No progress line.
    #[arg(long)]
    pub quiet: bool,
}

/// In-process transports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Transport {
    /// Simulated links with the scenario's latency, loss and so on; runs in simulated time.
    Memory,
    /// netcode over UDP loopback in real time (link conditions are loopback's own).
    Udp,
}

/// Exit code when an expectation failed.
const FAILED: u8 = 1;

/// Exit code when the scenario could not run at all (bad file, no world, no socket).
const UNUSABLE: u8 = 2;

/// Runs the scenario; exit code 0 only when every expectation held, 1 when one failed,
/// 2 when the scenario could not run.
pub fn run(args: ScenarioArgs) -> Result<ExitCode, CliError> {
    let loaded = Scenario::load(&args.file)
        .map_err(CliError::from)
        .and_then(|s| Ok(s.scaled(args.clients, args.duration)?));
    let scenario = match loaded {
        Ok(scenario) => scenario,
        Err(error) => {
            eprintln!("racksync: {error}");
            return Ok(ExitCode::from(UNUSABLE));
        }
    };
    let transport = match (args.connect, args.transport) {
        (Some(addr), _) => TransportChoice::Connect(addr),
        (None, Transport::Memory) => TransportChoice::Memory,
        (None, Transport::Udp) => TransportChoice::Udp,
    };
    let base_dir = args.file.parent().map(PathBuf::from).unwrap_or_default();
    let runner = match Runner::new(scenario, &base_dir, transport) {
        Ok(runner) => runner,
        Err(error) => {
            eprintln!("racksync: {error}");
            return Ok(ExitCode::from(UNUSABLE));
        }
    };
    let report = runner.run(&mut Progress::stderr(!args.quiet));
    print!("{report}");
    let chart_path = args
        .chart
        .or_else(|| args.report.as_ref().map(|path| path.with_extension("svg")));
    if let Some(path) = &args.report {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("report written to {}", path.display());
    }
    if let Some(path) = &chart_path {
        std::fs::write(path, chart::render(&report))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("chart written to {}", path.display());
    }
    if report.passed() {
        println!("all expectations held");
        return Ok(ExitCode::SUCCESS);
    }
    for verdict in report.expectations.iter().filter(|v| !v.held) {
        println!("expectation failed: {verdict}");
    }
    Ok(ExitCode::from(FAILED))
}
