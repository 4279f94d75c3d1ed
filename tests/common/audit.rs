//! Audit flows several audit tests share.

use racksync::harness::Harness;
use std::time::Duration;

/// Audit interval the audit tests use: short, so a test covers many audits quickly.
pub const INTERVAL: Duration = Duration::from_millis(800);

/// Harness steps in one audit interval of the host's current settings.
pub fn interval_steps(harness: &Harness) -> usize {
    let interval = harness
        .host
        .world()
        .resource::<racksync::audit::AuditSettings>()
        .interval;
    (interval.as_micros() / harness.step.as_micros()) as usize + 1
}

/// Steps until the host sends its next round of roots; returns the steps taken.
pub fn run_to_next_audit(harness: &mut Harness) -> usize {
    let before = harness.host_audit_stats().audits;
    let limit = interval_steps(harness) + 2;
    let mut steps = 0;
    while harness.host_audit_stats().audits == before {
        assert!(steps <= limit, "no audit within one interval");
        harness.step();
        steps += 1;
    }
    steps
}

/// Runs from just before an audit until the step before the following one, and
/// asserts that every client has converged by then: a divergence that exists when
/// the audit starts is repaired within that one interval.
pub fn assert_repaired_within_one_interval(harness: &mut Harness) {
    run_to_next_audit(harness);
    let audits = harness.host_audit_stats().audits;
    let converged = harness.run_until(interval_steps(harness) - 4, |h| {
        h.converged() && h.host_audit_stats().audits == audits
    });
    assert!(
        converged && harness.host_audit_stats().audits == audits,
        "not repaired within one audit interval: host {} vs clients {:?}",
        harness.host_digest(),
        (0..harness.clients.len())
            .map(|i| (harness.client_digest(i), harness.client_audit_stats(i)))
            .collect::<Vec<_>>()
    );
}
