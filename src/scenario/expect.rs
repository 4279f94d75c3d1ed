//! Checking a run against the scenario's expectations.

use super::format::Expectations;
use super::report::Report;
use serde::Serialize;
use std::fmt;

/// One expectation, checked.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// The field name in the scenario file (`ack_p99_ms`, …).
    pub name: &'static str,
    /// What the file asks, as written.
    pub bound: String,
    /// What the run measured.
    pub measured: String,
    /// Whether it held.
    pub held: bool,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: wanted {}, measured {}",
            self.name, self.bound, self.measured
        )
    }
}

/// Every expectation the scenario sets, checked against the report.
pub fn check(expect: &Expectations, report: &Report) -> Vec<Verdict> {
    let mut verdicts = Vec::new();
    let mut at_most =
        |name: &'static str, bound: Option<f64>, measured: Option<f64>, unit: &str| {
            let Some(bound) = bound else { return };
            verdicts.push(match measured {
                Some(value) => Verdict {
                    name,
                    bound: format!("<= {bound}{unit}"),
                    measured: format!("{value:.2}{unit}"),
                    held: value <= bound,
                },
                // A bound nobody could measure is not a pass.
                None => Verdict {
                    name,
                    bound: format!("<= {bound}{unit}"),
                    measured: "not measurable here".into(),
                    held: false,
                },
            });
        };
    let samples = |count: u64, value: f64| (count > 0).then_some(value);
    at_most(
        "max_reject_ratio",
        expect.max_reject_ratio.map(|p| p.get()),
        Some(report.actions.reject_ratio),
        "",
    );
    at_most(
        "ack_p99_ms",
        expect.ack_p99_ms.map(|v| v.get()),
        samples(report.ack_latency_ms.count, report.ack_latency_ms.p99),
        " ms",
    );
    at_most(
        "observer_p99_ms",
        expect.observer_p99_ms.map(|v| v.get()),
        samples(
            report.observer_latency_ms.count,
            report.observer_latency_ms.p99,
        ),
        " ms",
    );
    at_most(
        "max_join_ms",
        expect.max_join_ms.map(|v| v.get()),
        samples(report.join_ms.count, report.join_ms.max),
        " ms",
    );
    at_most(
        "host_tick_p99_ms",
        expect.host_tick_p99_ms.map(|v| v.get()),
        report.host_tick_ms.map(|t| t.p99),
        " ms",
    );
    if let Some(min) = expect.min_accepted {
        verdicts.push(Verdict {
            name: "min_accepted",
            bound: format!(">= {min}"),
            measured: report.actions.accepted.to_string(),
            held: report.actions.accepted >= min,
        });
    }
    if expect.converged {
        let c = &report.convergence;
        verdicts.push(Verdict {
            name: "converged",
            bound: "every bot holds the host's world".into(),
            measured: if c.converged {
                format!("{} bots converged", c.clients_checked)
            } else {
                format!("{} bots diverged", c.diverged.len().max(1))
            },
            held: c.converged,
        });
    }
    verdicts
}
