//! A rate limiter for events that may be larger than their burst.
//!
//! A token bucket cannot pass an event that costs more tokens than it holds, yet a
//! 16 KB event costs 16 units of a 5-per-second limit. This limiter (the generic cell
//! rate algorithm) lets such an event pass when the limiter is idle and then holds the
//! next ones back until the rate is paid for, so the long-run rate is kept either way.

use core::time::Duration;

/// Passes `rate` units per second with bursts of up to `burst` units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimiter {
    /// Time one unit takes at the rate.
    emission: Duration,
    /// How far ahead of now the schedule may run.
    tolerance: Duration,
    /// When the schedule of everything passed so far ends.
    busy_until: Duration,
}

impl RateLimiter {
    /// A limiter of `rate` units per second (at least 1), `burst` units at once (at
    /// least 1).
    pub fn new(rate: u64, burst: u64) -> Self {
        let emission = Duration::from_nanos(1_000_000_000 / rate.max(1));
        Self {
            emission,
            tolerance: emission * u32::try_from(burst.max(1)).unwrap_or(u32::MAX),
            busy_until: Duration::ZERO,
        }
    }

    /// Whether `units` may pass at `now`.
    pub fn allows(&self, now: Duration, units: u64) -> bool {
        let start = self.busy_until.max(now);
        let end = start + self.emission * u32::try_from(units).unwrap_or(u32::MAX);
        self.busy_until <= now || end - now <= self.tolerance
    }

    /// Passes `units` at `now` if allowed; returns whether it did.
    pub fn try_take(&mut self, now: Duration, units: u64) -> bool {
        if !self.allows(now, units) {
            return false;
        }
        let start = self.busy_until.max(now);
        self.busy_until = start + self.emission * u32::try_from(units).unwrap_or(u32::MAX);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    #[test]
    fn five_per_second_passes_five_then_one_every_200_ms() {
        let mut limiter = RateLimiter::new(5, 5);
        for _ in 0..5 {
            assert!(limiter.try_take(ms(0), 1));
        }
        assert!(!limiter.try_take(ms(0), 1));
        assert!(!limiter.try_take(ms(199), 1));
        assert!(limiter.try_take(ms(200), 1));
        assert!(!limiter.try_take(ms(200), 1));
    }

    #[test]
    fn an_event_larger_than_the_burst_passes_when_idle_and_is_paid_for() {
        let mut limiter = RateLimiter::new(5, 5);
        assert!(limiter.try_take(ms(0), 16), "16 units at once when idle");
        // 3.2 s of schedule; the next unit fits once only 1 s of it is left.
        assert!(!limiter.try_take(ms(2_000), 1));
        assert!(limiter.try_take(ms(2_400), 1));
    }
}
