//! One direction of a simulated link: applies [`LinkConditions`] and holds datagrams in flight.

use std::collections::BTreeMap;
use std::time::Instant;

use core::time::Duration;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::link::{LinkConditions, LinkConditionsError};
use crate::stats::LinkStats;

/// A seeded, clock-free datagram delay line for one link direction.
///
/// It never reads the wall clock: every call takes `now` from the caller, so the same
/// seed, conditions, datagrams and instants always give the same deliveries.
#[derive(Debug)]
pub struct LinkConditioner {
    conditions: LinkConditions,
    rng: StdRng,
    /// Keyed by (due time, send order) so iteration is exactly the delivery order.
    in_flight: BTreeMap<(Instant, u64), Vec<u8>>,
    next_order: u64,
    stats: LinkStats,
}

impl LinkConditioner {
    /// A conditioner whose random draws come from `StdRng::seed_from_u64(seed)`.
    pub fn new(conditions: LinkConditions, seed: u64) -> Result<Self, LinkConditionsError> {
        conditions.validate()?;
        Ok(Self {
            conditions,
            rng: StdRng::seed_from_u64(seed),
            in_flight: BTreeMap::new(),
            next_order: 0,
            stats: LinkStats::default(),
        })
    }

    /// The conditions applied to datagrams sent from now on.
    pub fn conditions(&self) -> &LinkConditions {
        &self.conditions
    }

    /// Replaces the conditions; datagrams already in flight keep their due times, and the
    /// random stream continues rather than restarting.
    pub fn set_conditions(
        &mut self,
        conditions: LinkConditions,
    ) -> Result<(), LinkConditionsError> {
        conditions.validate()?;
        self.conditions = conditions;
        Ok(())
    }

    /// Sends one datagram at `now` through the conditions.
    pub fn send(&mut self, now: Instant, datagram: Vec<u8>) {
        self.count_sent(&datagram);
        // The draws happen in a fixed order whatever the outcome, so one datagram's
        // fate never shifts the random stream seen by the next in a data-dependent way.
        let lost = self.rng.random_bool(self.conditions.loss);
        let first_jitter = self.draw_jitter();
        let duplicated = self.rng.random_bool(self.conditions.duplicate);
        let second_jitter = self.draw_jitter();
        let reordered = self.rng.random_bool(self.conditions.reorder);
        if lost {
            self.stats.dropped += 1;
            return;
        }
        let hold_back = if reordered {
            self.stats.reordered += 1;
            self.conditions.reorder_delay()
        } else {
            Duration::ZERO
        };
        let base = self.conditions.latency.saturating_add(hold_back);
        if duplicated {
            self.stats.duplicated += 1;
            self.schedule(now, base.saturating_add(second_jitter), datagram.clone());
        }
        self.schedule(now, base.saturating_add(first_jitter), datagram);
    }

    /// Counts a datagram that was sent while the link was cut: sent, then dropped.
    pub fn discard(&mut self, datagram: &[u8]) {
        self.count_sent(datagram);
        self.stats.dropped += 1;
    }

    /// Drops every datagram still in flight, counting each as dropped.
    pub fn discard_in_flight(&mut self) {
        self.stats.dropped += self.in_flight.len() as u64;
        self.in_flight.clear();
    }

    /// Removes and returns the datagrams due at or before `now`, ordered by due time
    /// and then by send order.
    pub fn deliver_due(&mut self, now: Instant) -> Vec<Vec<u8>> {
        let mut due = Vec::new();
        while let Some(entry) = self.in_flight.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let datagram = entry.remove();
            self.stats.datagrams_delivered += 1;
            self.stats.bytes_delivered += datagram.len() as u64;
            due.push(datagram);
        }
        due
    }

    /// How many datagram copies are waiting to be delivered.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// When the next datagram becomes due, if any is in flight.
    pub fn next_due(&self) -> Option<Instant> {
        self.in_flight.keys().next().map(|(due, _)| *due)
    }

    /// The counters of this direction.
    pub fn stats(&self) -> LinkStats {
        self.stats
    }

    fn count_sent(&mut self, datagram: &[u8]) {
        self.stats.datagrams_sent += 1;
        self.stats.bytes_sent += datagram.len() as u64;
    }

    fn draw_jitter(&mut self) -> Duration {
        let max_nanos = u64::try_from(self.conditions.jitter.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(self.rng.random_range(0..=max_nanos))
    }

    fn schedule(&mut self, now: Instant, delay: Duration, datagram: Vec<u8>) {
        // A delay too large for the platform's clock can never come due: treat it as lost
        // instead of panicking on the overflow.
        let Some(due) = now.checked_add(delay) else {
            self.stats.dropped += 1;
            return;
        };
        self.in_flight.insert((due, self.next_order), datagram);
        self.next_order += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    /// Sends `count` numbered datagrams, one per millisecond, then drains everything
    /// one millisecond at a time, recording (arrival ms, datagram number).
    fn run(conditions: &LinkConditions, seed: u64, count: u32) -> (Vec<(u32, u32)>, LinkStats) {
        let base = Instant::now();
        let mut link = LinkConditioner::new(conditions.clone(), seed).unwrap();
        let mut arrivals = Vec::new();
        for step in 0..count + 2000 {
            let now = base + MS * step;
            if step < count {
                link.send(now, step.to_le_bytes().to_vec());
            }
            for datagram in link.deliver_due(now) {
                let number = u32::from_le_bytes(datagram.try_into().unwrap());
                arrivals.push((step, number));
            }
        }
        assert_eq!(link.in_flight(), 0);
        (arrivals, link.stats())
    }

    fn rough() -> LinkConditions {
        LinkConditions {
            latency: 20 * MS,
            jitter: 15 * MS,
            loss: 0.2,
            duplicate: 0.1,
            reorder: 0.1,
        }
    }

    #[test]
    fn same_seed_same_deliveries() {
        assert_eq!(run(&rough(), 7, 500), run(&rough(), 7, 500));
    }

    #[test]
    fn different_seed_different_deliveries() {
        assert_ne!(run(&rough(), 7, 500).0, run(&rough(), 8, 500).0);
    }

    #[test]
    fn perfect_link_delivers_everything_once_in_order() {
        let (arrivals, stats) = run(&LinkConditions::perfect(), 1, 100);
        let expected: Vec<(u32, u32)> = (0..100).map(|n| (n, n)).collect();
        assert_eq!(arrivals, expected);
        assert_eq!(stats.datagrams_sent, 100);
        assert_eq!(stats.datagrams_delivered, 100);
        assert_eq!(stats.bytes_sent, 400);
        assert_eq!(stats.bytes_delivered, 400);
        assert_eq!(stats.dropped + stats.duplicated + stats.reordered, 0);
    }

    #[test]
    fn full_loss_drops_everything() {
        let conditions = LinkConditions::lossy(Duration::ZERO, Duration::ZERO, 1.0);
        let (arrivals, stats) = run(&conditions, 3, 200);
        assert!(arrivals.is_empty());
        assert_eq!(stats.dropped, 200);
        assert_eq!(stats.datagrams_delivered, 0);
    }

    #[test]
    fn full_duplication_doubles() {
        let conditions = LinkConditions {
            duplicate: 1.0,
            ..LinkConditions::perfect()
        };
        let (arrivals, stats) = run(&conditions, 3, 50);
        assert_eq!(arrivals.len(), 100);
        assert_eq!(stats.duplicated, 50);
        for n in 0..50 {
            assert_eq!(arrivals.iter().filter(|(_, m)| *m == n).count(), 2);
        }
    }

    #[test]
    fn reorder_lets_later_datagrams_overtake() {
        let base = Instant::now();
        let conditions = LinkConditions {
            reorder: 0.5,
            ..LinkConditions::perfect()
        };
        let mut link = LinkConditioner::new(conditions, 11).unwrap();
        for n in 0u32..64 {
            link.send(base, n.to_le_bytes().to_vec());
        }
        let mut order: Vec<u32> = link
            .deliver_due(base + 10 * MS)
            .into_iter()
            .map(|d| u32::from_le_bytes(d.try_into().unwrap()))
            .collect();
        assert_eq!(order.len(), 64);
        assert!(link.stats().reordered > 0);
        assert!(order.windows(2).any(|pair| pair[0] > pair[1]));
        order.sort_unstable();
        assert_eq!(order, (0..64).collect::<Vec<_>>());
    }

    #[test]
    fn latency_holds_datagrams_until_due() {
        let base = Instant::now();
        let conditions = LinkConditions::lossy(30 * MS, Duration::ZERO, 0.0);
        let mut link = LinkConditioner::new(conditions, 0).unwrap();
        link.send(base, vec![1]);
        assert!(link.deliver_due(base).is_empty());
        assert!(link.deliver_due(base + 29 * MS).is_empty());
        assert_eq!(link.next_due(), Some(base + 30 * MS));
        assert_eq!(link.deliver_due(base + 30 * MS), vec![vec![1]]);
    }

    #[test]
    fn jitter_stays_within_bounds() {
        let conditions = LinkConditions::lossy(10 * MS, 5 * MS, 0.0);
        let (arrivals, _) = run(&conditions, 5, 300);
        assert_eq!(arrivals.len(), 300);
        for (arrived, sent) in arrivals {
            let delay = arrived - sent;
            assert!((10..=15).contains(&delay), "delay {delay} ms");
        }
    }

    #[test]
    fn huge_latency_is_a_loss_not_a_panic() {
        let conditions = LinkConditions::lossy(Duration::MAX, Duration::MAX, 0.0);
        let mut link = LinkConditioner::new(conditions, 0).unwrap();
        link.send(Instant::now(), vec![1]);
        assert_eq!(link.stats().dropped, 1);
        assert_eq!(link.in_flight(), 0);
    }

    #[test]
    fn invalid_conditions_are_refused() {
        let bad = LinkConditions::lossy(Duration::ZERO, Duration::ZERO, 2.0);
        assert!(LinkConditioner::new(bad.clone(), 0).is_err());
        let mut link = LinkConditioner::new(LinkConditions::perfect(), 0).unwrap();
        assert!(link.set_conditions(bad).is_err());
        assert_eq!(link.conditions(), &LinkConditions::perfect());
    }
}
