//! A token bucket: the one rate limiter behind every budget (SPEC §10, §11).
//!
//! It never reads the wall clock. Callers pass the current time (usually
//! `Time::elapsed()`), so budgets replay identically under a manual clock.

use std::time::Duration;

/// Fixed-point scale of the stored level: one token is this many units, so refills of a
/// fraction of a token are kept, not rounded away, at any tick rate.
const UNITS_PER_TOKEN: u128 = 1_000_000_000;

/// A bucket that fills at `rate` tokens per second up to `burst` tokens.
///
/// Tokens are whatever the caller counts: bytes, messages, actions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenBucket {
    rate_per_s: u64,
    burst: u64,
    /// Level in units of `1 / UNITS_PER_TOKEN` tokens.
    level: u128,
    refilled_at: Duration,
}

impl TokenBucket {
    /// A full bucket refilling at `rate_per_s` tokens per second, holding at most `burst`.
    pub fn new(rate_per_s: u64, burst: u64) -> Self {
        Self {
            rate_per_s,
            burst,
            level: u128::from(burst) * UNITS_PER_TOKEN,
            refilled_at: Duration::ZERO,
        }
    }

    /// Tokens added per second.
    pub fn rate_per_s(&self) -> u64 {
        self.rate_per_s
    }

    /// The most tokens the bucket holds.
    pub fn burst(&self) -> u64 {
        self.burst
    }

    /// Adds the tokens earned since the last refill. Time going backwards adds nothing.
    pub fn refill(&mut self, now: Duration) {
        if now <= self.refilled_at {
            return;
        }
        let elapsed_ns = (now - self.refilled_at).as_nanos();
        self.refilled_at = now;
        let earned = elapsed_ns.saturating_mul(u128::from(self.rate_per_s));
        let cap = u128::from(self.burst) * UNITS_PER_TOKEN;
        self.level = self.level.saturating_add(earned).min(cap);
    }

    /// Whole tokens available now (after the last refill).
    pub fn available(&self) -> u64 {
        u64::try_from(self.level / UNITS_PER_TOKEN).unwrap_or(u64::MAX)
    }

    /// Takes `tokens` if that many are available; otherwise takes nothing.
    pub fn try_take(&mut self, tokens: u64) -> bool {
        let wanted = u128::from(tokens) * UNITS_PER_TOKEN;
        if wanted > self.level {
            return false;
        }
        self.level -= wanted;
        true
    }

    /// Refills to `now`, then takes `tokens` if available.
    pub fn try_take_at(&mut self, now: Duration, tokens: u64) -> bool {
        self.refill(now);
        self.try_take(tokens)
    }

    /// Whether `tokens` could ever be taken: more than the burst never can.
    pub fn fits(&self, tokens: u64) -> bool {
        tokens <= self.burst
    }

    /// How long until `tokens` are available, or `None` when they never will be
    /// (more than the burst, or a zero rate with too few tokens).
    pub fn wait_for(&self, tokens: u64) -> Option<Duration> {
        if !self.fits(tokens) {
            return None;
        }
        let wanted = u128::from(tokens) * UNITS_PER_TOKEN;
        let missing = wanted.saturating_sub(self.level);
        if missing == 0 {
            return Some(Duration::ZERO);
        }
        if self.rate_per_s == 0 {
            return None;
        }
        let rate = u128::from(self.rate_per_s);
        let ns = missing.div_ceil(rate);
        Some(Duration::from_nanos(u64::try_from(ns).unwrap_or(u64::MAX)))
    }

    /// How empty the bucket is, from 0 (full) to 100 (empty): the "clogged" percentage.
    pub fn clogged_percent(&self) -> f32 {
        if self.burst == 0 {
            return 100.0;
        }
        let cap = u128::from(self.burst) * UNITS_PER_TOKEN;
        let empty_share = (cap - self.level.min(cap)) as f64 / cap as f64;
        (empty_share * 100.0) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    #[test]
    fn starts_full_and_refuses_past_the_burst() {
        let mut bucket = TokenBucket::new(10, 5);
        assert_eq!(bucket.available(), 5);
        assert!(bucket.try_take(5));
        assert!(!bucket.try_take(1));
        assert_eq!(bucket.available(), 0);
    }

    #[test]
    fn refills_fractions_without_losing_them() {
        let mut bucket = TokenBucket::new(10, 5);
        assert!(bucket.try_take(5));
        // 10 tokens/s over ten 10 ms steps is exactly one token.
        for step in 1..=10 {
            bucket.refill(ms(10 * step));
        }
        assert_eq!(bucket.available(), 1);
        bucket.refill(ms(10_000));
        assert_eq!(bucket.available(), 5, "never above the burst");
    }

    #[test]
    fn time_going_backwards_adds_nothing() {
        let mut bucket = TokenBucket::new(1000, 10);
        assert!(bucket.try_take_at(ms(500), 10));
        bucket.refill(ms(100));
        assert_eq!(bucket.available(), 0);
    }

    #[test]
    fn waits_and_clogging_follow_the_level() {
        let mut bucket = TokenBucket::new(4, 8);
        assert_eq!(bucket.clogged_percent(), 0.0);
        assert!(bucket.try_take(6));
        assert_eq!(bucket.clogged_percent(), 75.0);
        assert_eq!(bucket.wait_for(4), Some(ms(500)));
        assert_eq!(bucket.wait_for(9), None, "more than the burst never fits");
        assert_eq!(TokenBucket::new(0, 1).wait_for(1), Some(Duration::ZERO));
        let mut stuck = TokenBucket::new(0, 1);
        assert!(stuck.try_take(1));
        assert_eq!(stuck.wait_for(1), None, "a zero rate never refills");
    }
}
