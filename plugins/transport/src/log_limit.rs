//! Rate limits for log lines that remote input causes (SPEC §11).
//!
//! A hostile peer must not be able to fill the operator's disk or drown the useful
//! lines by sending garbage, so every warning a peer can trigger goes through a
//! [`LogLimiter`]: a few lines per second pass, the rest are counted, and the next line
//! that passes says how many were suppressed.

use core::time::Duration;

use crate::bucket::TokenBucket;

/// Lines per second a limiter lets through by default.
pub const DEFAULT_LINES_PER_S: u64 = 5;
/// Lines a limiter lets through at once by default.
pub const DEFAULT_LINE_BURST: u64 = 20;

/// Decides which log lines of one kind are written.
#[derive(Clone, Debug)]
pub struct LogLimiter {
    bucket: TokenBucket,
    suppressed: u64,
    suppressed_total: u64,
}

impl Default for LogLimiter {
    fn default() -> Self {
        Self::new(DEFAULT_LINES_PER_S, DEFAULT_LINE_BURST)
    }
}

impl LogLimiter {
    /// A limiter passing `lines_per_s` lines per second, `burst` at once.
    pub fn new(lines_per_s: u64, burst: u64) -> Self {
        Self {
            bucket: TokenBucket::new(lines_per_s, burst),
            suppressed: 0,
            suppressed_total: 0,
        }
    }

    /// Whether a line may be written at `now`. `Some(n)`: write it, and mention the `n`
    /// lines suppressed since the last one written; `None`: skip it (it is counted).
    pub fn allow(&mut self, now: Duration) -> Option<u64> {
        if self.bucket.try_take_at(now, 1) {
            Some(core::mem::take(&mut self.suppressed))
        } else {
            self.suppressed += 1;
            self.suppressed_total += 1;
            None
        }
    }

    /// Lines suppressed since the limiter was made.
    pub fn suppressed_total(&self) -> u64 {
        self.suppressed_total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_a_burst_then_counts_what_it_suppressed() {
        let mut limiter = LogLimiter::new(1, 3);
        let now = Duration::from_secs(1);
        assert_eq!(limiter.allow(now), Some(0));
        assert_eq!(limiter.allow(now), Some(0));
        assert_eq!(limiter.allow(now), Some(0));
        assert_eq!(limiter.allow(now), None);
        assert_eq!(limiter.allow(now), None);
        assert_eq!(limiter.allow(now + Duration::from_secs(1)), Some(2));
        assert_eq!(limiter.suppressed_total(), 2);
    }
}
