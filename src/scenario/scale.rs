//! `--clients N` and `--duration S`: the same scenario, bigger or smaller.

use super::format::{Fault, Scenario};
use super::values::{AtLeastOne, NonNegative};

impl Scenario {
    /// The scenario with `clients` bots in all (shared out over the groups in proportion,
    /// at least one each) and lasting `duration_s` (every fault, join and pause in it
    /// stretched or shrunk by the same factor).
    pub fn scaled(
        &self,
        clients: Option<u32>,
        duration_s: Option<f64>,
    ) -> Result<Scenario, String> {
        let mut scaled = self.clone();
        if let Some(total) = clients {
            let groups = u32::try_from(self.groups.len()).unwrap_or(u32::MAX);
            if total < groups {
                return Err(format!(
                    "--clients {total} is fewer than the scenario's {groups} groups"
                ));
            }
            let before = f64::from(self.total_clients());
            for group in &mut scaled.groups {
                let share = f64::from(group.clients) * f64::from(total) / before;
                group.clients = (share.round() as u32).max(1);
            }
            for timed in &mut scaled.faults {
                let size = scaled
                    .groups
                    .iter()
                    .find(|g| g.name == timed.fault.group())
                    .map_or(1, |g| g.clients);
                let clients = match &mut timed.fault {
                    Fault::Disconnect { clients, .. }
                    | Fault::LinkCut { clients, .. }
                    | Fault::Desync { clients, .. } => clients,
                };
                *clients = at_least_one(clients.get().min(size));
            }
        }
        if let Some(duration) = duration_s {
            if !(duration.is_finite() && duration > 0.0) {
                return Err(format!(
                    "--duration must be a positive number of seconds, not {duration}"
                ));
            }
            let factor = duration / self.duration_s.get().max(f64::MIN_POSITIVE);
            let stretch = |value: NonNegative| non_negative(value.get() * factor);
            scaled.duration_s = non_negative(duration);
            for group in &mut scaled.groups {
                group.join_at_s = stretch(group.join_at_s);
            }
            for timed in &mut scaled.faults {
                timed.at_s = stretch(timed.at_s);
                match &mut timed.fault {
                    Fault::Disconnect { rejoin_after_s, .. } => {
                        *rejoin_after_s = rejoin_after_s.map(stretch);
                    }
                    Fault::LinkCut { for_s, .. } => *for_s = stretch(*for_s),
                    Fault::Desync { .. } => {}
                }
            }
            if let Some(audit) = scaled.audit_interval_s {
                scaled.audit_interval_s = Some(stretch(audit));
            }
        }
        Ok(scaled)
    }
}

fn at_least_one(value: u32) -> AtLeastOne {
    AtLeastOne::try_from(value.max(1)).expect("at least one by construction")
}

fn non_negative(value: f64) -> NonNegative {
    NonNegative::try_from(value.max(0.0)).expect("non-negative by construction")
}

#[cfg(test)]
mod tests {
    use crate::scenario::Scenario;
    use std::path::Path;

    fn churn() -> Scenario {
        Scenario::load(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/churn.ron"
        )))
        .expect("churn parses")
    }

    #[test]
    fn clients_are_shared_out_and_faults_fit_their_groups() {
        let scaled = churn().scaled(Some(3), None).unwrap();
        assert_eq!(scaled.total_clients(), 3);
        assert!(scaled.faults.iter().all(|f| match &f.fault {
            crate::scenario::Fault::Disconnect { clients, .. }
            | crate::scenario::Fault::LinkCut { clients, .. }
            | crate::scenario::Fault::Desync { clients, .. } => clients.get() <= 3,
        }));
        assert!(churn().scaled(Some(0), None).is_err());
    }

    #[test]
    fn durations_stretch_every_time_in_the_file() {
        let original = churn();
        let scaled = original.scaled(None, Some(4.0)).unwrap();
        assert_eq!(scaled.duration_s.get(), 4.0);
        let factor = 4.0 / original.duration_s.get();
        for (a, b) in original.faults.iter().zip(&scaled.faults) {
            assert!((b.at_s.get() - a.at_s.get() * factor).abs() < 1e-9);
        }
        assert!(original.scaled(None, Some(-1.0)).is_err());
    }
}
