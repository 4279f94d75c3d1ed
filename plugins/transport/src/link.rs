//! What a simulated link does to the datagrams that cross it, in one direction.

use core::time::Duration;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Impairments applied to every datagram crossing a simulated link in one direction.
///
/// Per datagram: with probability `loss` it is dropped. Otherwise it is delivered at
/// `send time + latency + uniform(0..=jitter)`; with probability `duplicate` a second
/// copy is scheduled with its own jitter draw; with probability `reorder` the datagram
/// (every copy of it) is held back by a further `latency + jitter` (at least 1 ms), so
/// datagrams sent after it overtake it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LinkConditions {
    /// Fixed one-way delay.
    pub latency: Duration,
    /// Upper bound of the uniformly drawn extra delay added to `latency`.
    pub jitter: Duration,
    /// Probability in `0..=1` that a datagram is dropped.
    pub loss: f64,
    /// Probability in `0..=1` that a delivered datagram arrives twice.
    pub duplicate: f64,
    /// Probability in `0..=1` that a delivered datagram is held back behind later ones.
    pub reorder: f64,
}

/// A [`LinkConditions`] value that cannot be simulated.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum LinkConditionsError {
    /// A probability is NaN or outside `0..=1`.
    #[error("link condition `{field}` must be a probability in 0..=1, got {value}")]
    ProbabilityOutOfRange {
        /// Name of the offending field.
        field: &'static str,
        /// The value it had.
        value: f64,
    },
}

impl LinkConditions {
    /// The smallest hold-back given to a reordered datagram, so that reordering still
    /// happens on a link without latency or jitter.
    pub const MIN_REORDER_DELAY: Duration = Duration::from_millis(1);

    /// A link that delivers everything at once, exactly once, in order.
    pub fn perfect() -> Self {
        Self::default()
    }

    /// A link with delay, jitter and loss but no duplication or reordering.
    pub fn lossy(latency: Duration, jitter: Duration, loss: f64) -> Self {
        Self {
            latency,
            jitter,
            loss,
            ..Self::default()
        }
    }

    /// Checks that every probability is in `0..=1`; the random draws would panic otherwise.
    pub fn validate(&self) -> Result<(), LinkConditionsError> {
        for (field, value) in [
            ("loss", self.loss),
            ("duplicate", self.duplicate),
            ("reorder", self.reorder),
        ] {
            // `contains` is false for NaN, which must be refused as well.
            if !(0.0..=1.0).contains(&value) {
                return Err(LinkConditionsError::ProbabilityOutOfRange { field, value });
            }
        }
        Ok(())
    }

    /// The extra delay given to a reordered datagram.
    pub fn reorder_delay(&self) -> Duration {
        self.latency
            .saturating_add(self.jitter)
            .max(Self::MIN_REORDER_DELAY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_perfect() {
        assert_eq!(LinkConditions::default(), LinkConditions::perfect());
        assert!(LinkConditions::perfect().validate().is_ok());
    }

    #[test]
    fn validate_rejects_bad_probabilities() {
        let mut conditions = LinkConditions::lossy(Duration::ZERO, Duration::ZERO, 1.5);
        assert!(matches!(
            conditions.validate(),
            Err(LinkConditionsError::ProbabilityOutOfRange { field: "loss", .. })
        ));
        conditions.loss = 1.0;
        conditions.duplicate = -0.1;
        assert!(conditions.validate().is_err());
        conditions.duplicate = 0.0;
        conditions.reorder = f64::NAN;
        assert!(conditions.validate().is_err());
        conditions.reorder = 0.0;
        assert!(conditions.validate().is_ok());
    }

    #[test]
    fn reorder_delay_has_a_floor() {
        assert_eq!(
            LinkConditions::perfect().reorder_delay(),
            LinkConditions::MIN_REORDER_DELAY
        );
        let conditions =
            LinkConditions::lossy(Duration::from_millis(30), Duration::from_millis(5), 0.0);
        assert_eq!(conditions.reorder_delay(), Duration::from_millis(35));
    }
}
