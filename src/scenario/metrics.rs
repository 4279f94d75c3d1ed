//! What a run measures while it runs: latency histograms, counters and a per-second
//! timeline for the chart.

use super::bot::BotTick;
use hdrhistogram::Histogram;
use racksync_protocol::PlayerId;
use serde::Serialize;
use std::collections::HashMap;
use std::time::Duration;

/// Longest latency the histograms hold (longer values are clamped): 10 minutes.
const MAX_MICROS: u64 = 600_000_000;

/// How long an accepted action's send time is kept for observers that have not yet
/// applied it, and how long an early observation waits for its ACK.
const OBSERVER_WINDOW: Duration = Duration::from_secs(60);

/// A latency histogram in microseconds.
#[derive(Clone, Debug)]
pub struct Latencies(Histogram<u64>);

impl Default for Latencies {
    fn default() -> Self {
        Self(Histogram::new_with_bounds(1, MAX_MICROS, 3).expect("valid histogram bounds"))
    }
}

impl Latencies {
    /// Records one latency.
    pub fn record(&mut self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(MAX_MICROS);
        self.0.saturating_record(micros.clamp(1, MAX_MICROS));
    }

    /// How many were recorded.
    pub fn count(&self) -> u64 {
        self.0.len()
    }

    /// p50/p95/p99/max in milliseconds.
    pub fn summary(&self) -> Percentiles {
        let ms = |micros: u64| micros as f64 / 1000.0;
        if self.0.is_empty() {
            return Percentiles::default();
        }
        Percentiles {
            count: self.0.len(),
            p50: ms(self.0.value_at_quantile(0.50)),
            p95: ms(self.0.value_at_quantile(0.95)),
            p99: ms(self.0.value_at_quantile(0.99)),
            max: ms(self.0.max()),
        }
    }
}

/// Percentiles of a latency distribution, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Percentiles {
    /// Samples.
    pub count: u64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest.
    pub max: f64,
}

/// One second of the run, for the chart.
#[derive(Clone, Debug, Default)]
pub struct Second {
    /// ACK latencies of actions answered in this second.
    pub ack: Latencies,
    /// Bytes the bots sent to the host.
    pub bytes_up: u64,
    /// Bytes the host sent to the bots.
    pub bytes_down: u64,
}

/// Network events and raw messages over the run (SPEC §10).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct MessagingCounts {
    /// Events the bots sent.
    pub events_sent: u64,
    /// Event copies the bots received.
    pub events_received: u64,
    /// Raw messages the bots queued.
    pub raw_sent: u64,
    /// Raw messages the bots received.
    pub raw_received: u64,
    /// Events or raw messages refused (by the sender's limits or the host).
    pub refused: u64,
}

/// Everything measured so far.
#[derive(Debug, Default)]
pub struct Metrics {
    /// ACK latency: action sent → its ACK or rejection applied.
    pub ack: Latencies,
    /// Observer latency: action sent by one bot → applied by another.
    pub observer: Latencies,
    /// Host update time, in-process hosts only.
    pub host_tick: Latencies,
    /// Time from connecting to playing, one per join.
    pub joins: Latencies,
    /// Actions handed to the clients.
    pub performed: u64,
    /// Actions wanted but without a legal target.
    pub skipped: u64,
    /// Network events and raw messages sent and received, and refusals.
    pub messaging: MessagingCounts,
    /// One entry per second of the run.
    pub timeline: Vec<Second>,
    /// Send time of each accepted revision, for observers.
    sent_at_revision: HashMap<u64, Duration>,
    /// Observations that arrived before the actor's ACK: revision → when observed.
    early: HashMap<u64, Vec<Duration>>,
}

impl Metrics {
    /// Folds one bot tick in, observed at `now`.
    pub fn add(&mut self, now: Duration, tick: BotTick) {
        self.performed += tick.performed;
        self.skipped += tick.skipped;
        self.messaging.events_sent += tick.events_sent;
        self.messaging.events_received += tick.events_received;
        self.messaging.raw_sent += tick.raw_sent;
        self.messaging.raw_received += tick.raw_received;
        self.messaging.refused += tick.messaging_refused;
        for latency in tick.ack_latencies {
            self.ack.record(latency);
            self.second(now).ack.record(latency);
        }
        for (revision, sent) in tick.accepted {
            if let Some(observed) = self.early.remove(&revision) {
                for at in observed {
                    self.observer.record(at.saturating_sub(sent));
                }
            }
            self.sent_at_revision.insert(revision, sent);
        }
        for (revision, actor) in tick.observed {
            if actor == PlayerId::HOST {
                continue;
            }
            match self.sent_at_revision.get(&revision) {
                Some(sent) => self.observer.record(now.saturating_sub(*sent)),
                None => self.early.entry(revision).or_default().push(now),
            }
        }
    }

    /// Adds traffic of this tick to the timeline.
    pub fn add_bytes(&mut self, now: Duration, up: u64, down: u64) {
        let second = self.second(now);
        second.bytes_up += up;
        second.bytes_down += down;
    }

    /// Forgets send times and early observations older than the observer window, so
    /// memory stays flat over long runs.
    pub fn prune(&mut self, now: Duration) {
        let horizon = now.saturating_sub(OBSERVER_WINDOW);
        self.sent_at_revision.retain(|_, sent| *sent >= horizon);
        self.early
            .retain(|_, seen| seen.iter().any(|at| *at >= horizon));
    }

    fn second(&mut self, now: Duration) -> &mut Second {
        let index = now.as_secs() as usize;
        if self.timeline.len() <= index {
            self.timeline.resize_with(index + 1, Second::default);
        }
        &mut self.timeline[index]
    }
}
