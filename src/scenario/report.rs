//! The report of a run: a table people read and JSON machines read.

use super::expect::{Verdict, check};
use super::format::Scenario;
use super::metrics::{MessagingCounts, Metrics, Percentiles};
use racksync_audit::AuditStats;
use racksync_rollback::RollbackStats;
use serde::Serialize;
use std::fmt;
use std::time::Duration;

/// Counters summed over every bot connection of a run.
#[derive(Clone, Debug, Default)]
pub struct Totals {
    /// Action counters.
    pub rollback: RollbackStats,
    /// Client-side audit counters.
    pub client_audit: AuditStats,
}

/// Whether the bots ended with the host's world.
#[derive(Clone, Debug, Serialize)]
pub struct Convergence {
    /// Every bot's digest equals the host's, nothing pending.
    pub converged: bool,
    /// The host's digest (in-process hosts).
    pub host_digest: Option<String>,
    /// The host's revision (in-process hosts).
    pub host_revision: Option<u64>,
    /// Bots compared.
    pub clients_checked: usize,
    /// Seconds the run took to settle after the bots stopped.
    pub settle_s: f64,
    /// The bots that did not match, and why.
    pub diverged: Vec<String>,
}

/// Actions over the run.
#[derive(Clone, Debug, Serialize)]
pub struct ActionCounts {
    /// Handed by bots to their clients.
    pub performed: u64,
    /// Sent to the host.
    pub sent: u64,
    /// Accepted by the host.
    pub accepted: u64,
    /// Rejected by the host.
    pub rejected: u64,
    /// Refused by the client's own rules before sending (state changed under the bot).
    pub rejected_locally: u64,
    /// Local predictions undone.
    pub rolled_back: u64,
    /// No ACK in time.
    pub timed_out: u64,
    /// Wanted but no legal target found.
    pub skipped: u64,
    /// Accepted per second of acting time.
    pub accepted_per_s: f64,
    /// Rejected / sent.
    pub reject_ratio: f64,
}

/// Traffic per bot, bytes per second over the run.
#[derive(Clone, Debug, Serialize)]
pub struct Bandwidth {
    /// Mean bot → host.
    pub up_mean: f64,
    /// Mean host → bot.
    pub down_mean: f64,
    /// Busiest bot, host → bot.
    pub down_max: f64,
    /// Where the figures come from.
    pub source: &'static str,
}

/// Audit totals.
#[derive(Clone, Debug, Serialize)]
pub struct Audits {
    /// Roots compared by bots.
    pub audits: u64,
    /// Roots that did not match.
    pub mismatches: u64,
    /// Objects repaired on bots.
    pub objects_resynced: u64,
    /// Descent and resync payload bytes (bots' count, both directions).
    pub resync_bytes: u64,
    /// Root payload bytes received by bots.
    pub audit_bytes: u64,
}

/// One second of the timeline.
#[derive(Clone, Debug, Serialize)]
pub struct TimelinePoint {
    /// Second since the start.
    pub t: u64,
    /// ACKs in this second.
    pub acks: u64,
    /// Median ACK latency, ms.
    pub ack_p50_ms: f64,
    /// 99th percentile ACK latency, ms.
    pub ack_p99_ms: f64,
    /// All bots → host, bytes/s.
    pub up_bps: u64,
    /// Host → all bots, bytes/s.
    pub down_bps: u64,
}

/// Everything a run found.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Scenario name.
    pub scenario: String,
    /// memory, udp or connect ADDR.
    pub transport: String,
    /// Bots (slots; rejoins reuse them).
    pub clients: u32,
    /// Acting time, seconds.
    pub duration_s: f64,
    /// Tick rate.
    pub tick_hz: u32,
    /// Seed.
    pub seed: u64,
    /// Objects in the world at the start.
    pub objects: usize,
    /// Action counters.
    pub actions: ActionCounts,
    /// Network events and raw messages.
    pub messaging: MessagingCounts,
    /// Action sent → its ACK or rejection applied.
    pub ack_latency_ms: Percentiles,
    /// Action sent by one bot → applied by another.
    pub observer_latency_ms: Percentiles,
    /// Traffic per bot.
    pub bandwidth: Bandwidth,
    /// Host update time (in-process hosts only).
    pub host_tick_ms: Option<Percentiles>,
    /// Audits seen by bots.
    pub audits: Audits,
    /// Host-side audit counters (in-process hosts only): roots sent, descents, fixes.
    pub host_audits: Option<HostAudits>,
    /// Connect → playing.
    pub join_ms: Percentiles,
    /// The final comparison.
    pub convergence: Convergence,
    /// Every expectation of the scenario, checked.
    pub expectations: Vec<Verdict>,
    /// Per-second ACK latency and traffic.
    pub timeline: Vec<TimelinePoint>,
    /// How long the run took on the wall clock, seconds.
    pub wall_s: f64,
}

/// The host's audit counters.
#[derive(Clone, Debug, Serialize)]
pub struct HostAudits {
    /// Roots sent.
    pub audits: u64,
    /// Descents asked for.
    pub mismatches: u64,
    /// Object fixes sent.
    pub objects_resynced: u64,
    /// Descent answers' payload bytes.
    pub resync_bytes: u64,
}

/// What [`Report::build`] reads.
pub struct Inputs<'a> {
    /// The scenario as run (after scaling).
    pub scenario: &'a Scenario,
    /// Transport name.
    pub transport: String,
    /// Objects at the start.
    pub objects: usize,
    /// Measurements.
    pub metrics: &'a Metrics,
    /// Counters.
    pub totals: &'a Totals,
    /// Host audit counters, in process.
    pub host_audit: Option<AuditStats>,
    /// Bytes up and down of each bot slot.
    pub per_client_bytes: &'a [(u64, u64)],
    /// The final comparison.
    pub convergence: Convergence,
    /// Wall time of the run.
    pub wall: Duration,
    /// Whether the host ran in this process (host tick measured).
    pub host_measured: bool,
}

impl Report {
    /// Assembles the report and checks the expectations.
    pub fn build(inputs: Inputs<'_>) -> Report {
        let scenario = inputs.scenario;
        let rollback = &inputs.totals.rollback;
        let duration = scenario.duration_s.get().max(f64::MIN_POSITIVE);
        let clients = inputs.per_client_bytes.len().max(1) as f64;
        let sum = |pick: fn(&(u64, u64)) -> u64| {
            inputs.per_client_bytes.iter().map(pick).sum::<u64>() as f64
        };
        let run_s = (inputs.metrics.timeline.len() as f64).max(1.0);
        let bandwidth = Bandwidth {
            up_mean: sum(|b| b.0) / clients / run_s,
            down_mean: sum(|b| b.1) / clients / run_s,
            down_max: inputs
                .per_client_bytes
                .iter()
                .map(|b| b.1)
                .max()
                .unwrap_or(0) as f64
                / run_s,
            source: if inputs.transport == "memory" {
                "datagram payload bytes counted by the in-memory link"
            } else {
                "renet's measured rates, integrated per tick"
            },
        };
        let audit = &inputs.totals.client_audit;
        let mut report = Report {
            scenario: scenario.name.clone(),
            transport: inputs.transport,
            clients: scenario.total_clients(),
            duration_s: scenario.duration_s.get(),
            tick_hz: scenario.tick_hz.get(),
            seed: scenario.seed,
            objects: inputs.objects,
            actions: ActionCounts {
                performed: inputs.metrics.performed,
                sent: rollback.sent,
                accepted: rollback.accepted,
                rejected: rollback.rejected,
                rejected_locally: rollback.rejected_locally,
                rolled_back: rollback.rolled_back,
                timed_out: rollback.timed_out,
                skipped: inputs.metrics.skipped,
                accepted_per_s: rollback.accepted as f64 / duration,
                reject_ratio: if rollback.sent == 0 {
                    0.0
                } else {
                    rollback.rejected as f64 / rollback.sent as f64
                },
            },
            messaging: inputs.metrics.messaging,
            ack_latency_ms: inputs.metrics.ack.summary(),
            observer_latency_ms: inputs.metrics.observer.summary(),
            bandwidth,
            host_tick_ms: inputs
                .host_measured
                .then(|| inputs.metrics.host_tick.summary()),
            audits: Audits {
                audits: audit.audits,
                mismatches: audit.mismatches,
                objects_resynced: audit.objects_resynced,
                resync_bytes: audit.resync_bytes,
                audit_bytes: audit.audit_bytes,
            },
            host_audits: inputs.host_audit.map(|host| HostAudits {
                audits: host.audits,
                mismatches: host.mismatches,
                objects_resynced: host.objects_resynced,
                resync_bytes: host.resync_bytes,
            }),
            join_ms: inputs.metrics.joins.summary(),
            convergence: inputs.convergence,
            expectations: Vec::new(),
            timeline: inputs
                .metrics
                .timeline
                .iter()
                .enumerate()
                .map(|(t, second)| {
                    let ack = second.ack.summary();
                    TimelinePoint {
                        t: t as u64,
                        acks: ack.count,
                        ack_p50_ms: ack.p50,
                        ack_p99_ms: ack.p99,
                        up_bps: second.bytes_up,
                        down_bps: second.bytes_down,
                    }
                })
                .collect(),
            wall_s: inputs.wall.as_secs_f64(),
        };
        report.expectations = check(&scenario.expect, &report);
        report
    }

    /// True when every expectation held.
    pub fn passed(&self) -> bool {
        self.expectations.iter().all(|v| v.held)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = &self.actions;
        writeln!(
            f,
            "scenario {} · {} · {} bots · {} s at {} Hz · seed {} · {} objects · {:.1} s wall",
            self.scenario,
            self.transport,
            self.clients,
            self.duration_s,
            self.tick_hz,
            self.seed,
            self.objects,
            self.wall_s
        )?;
        writeln!(f)?;
        row(
            f,
            "actions sent",
            &format!(
                "{} ({} performed, {} without a legal target)",
                a.sent, a.performed, a.skipped
            ),
        )?;
        row(
            f,
            "accepted",
            &format!("{} ({:.1}/s)", a.accepted, a.accepted_per_s),
        )?;
        let m = &self.messaging;
        if m.events_sent + m.raw_sent + m.refused > 0 {
            row(
                f,
                "events / raw messages",
                &format!(
                    "{} sent, {} received / {} sent, {} received; {} refused",
                    m.events_sent, m.events_received, m.raw_sent, m.raw_received, m.refused
                ),
            )?;
        }
        row(
            f,
            "rejected",
            &format!(
                "{} ({:.1}% of sent; {} refused locally)",
                a.rejected,
                a.reject_ratio * 100.0,
                a.rejected_locally
            ),
        )?;
        row(
            f,
            "rolled back",
            &format!("{} ({} timed out)", a.rolled_back, a.timed_out),
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "  {:<22} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "latency (ms)", "p50", "p95", "p99", "max", "samples"
        )?;
        latency(f, "ACK", &self.ack_latency_ms)?;
        latency(f, "observer", &self.observer_latency_ms)?;
        latency(f, "join", &self.join_ms)?;
        match &self.host_tick_ms {
            Some(tick) => latency(f, "host tick", tick)?,
            None => writeln!(f, "  {:<22} not measured (remote host)", "host tick")?,
        }
        writeln!(f)?;
        let b = &self.bandwidth;
        row(
            f,
            "bytes/s per bot",
            &format!(
                "up {:.0} · down {:.0} (busiest bot {:.0})",
                b.up_mean, b.down_mean, b.down_max
            ),
        )?;
        let au = &self.audits;
        row(
            f,
            "audits (bots)",
            &format!(
                "{} roots, {} mismatches, {} objects resynced, {} B resync",
                au.audits, au.mismatches, au.objects_resynced, au.resync_bytes
            ),
        )?;
        let c = &self.convergence;
        row(
            f,
            "convergence",
            &format!(
                "{} · {} bots checked · settled in {:.1} s{}",
                if c.converged { "CONVERGED" } else { "DIVERGED" },
                c.clients_checked,
                c.settle_s,
                c.host_digest
                    .as_ref()
                    .map(|d| format!(
                        " · host digest {d} at revision {}",
                        c.host_revision.unwrap_or(0)
                    ))
                    .unwrap_or_default()
            ),
        )?;
        for line in c.diverged.iter().take(10) {
            writeln!(f, "    {line}")?;
        }
        writeln!(f)?;
        for verdict in &self.expectations {
            writeln!(
                f,
                "  {} {}",
                if verdict.held { "PASS" } else { "FAIL" },
                verdict
            )?;
        }
        if self.expectations.is_empty() {
            writeln!(f, "  (no expectations)")?;
        }
        Ok(())
    }
}

fn row(f: &mut fmt::Formatter<'_>, name: &str, value: &str) -> fmt::Result {
    writeln!(f, "  {name:<22} {value}")
}

fn latency(f: &mut fmt::Formatter<'_>, name: &str, p: &Percentiles) -> fmt::Result {
    writeln!(
        f,
        "  {name:<22} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9}",
        p.p50, p.p95, p.p99, p.max, p.count
    )
}
