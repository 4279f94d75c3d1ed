//! Checked value types of the scenario format. Each rejects a bad value while the RON is
//! being read, so the error carries the line and column of the offending value.

use serde::{Deserialize, Serialize};

/// A probability in `0..=1`.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Probability(f64);

impl Probability {
    /// The probability as a number in `0..=1`.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Probability {
    type Error = String;
    fn try_from(value: f64) -> Result<Self, String> {
        if (0.0..=1.0).contains(&value) {
            Ok(Self(value))
        } else {
            Err(format!("{value} is not a probability in 0..=1"))
        }
    }
}

impl From<Probability> for f64 {
    fn from(value: Probability) -> f64 {
        value.0
    }
}

/// A non-negative, finite rate or amount.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct NonNegative(f64);

impl NonNegative {
    /// The value.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for NonNegative {
    type Error = String;
    fn try_from(value: f64) -> Result<Self, String> {
        if value.is_finite() && value >= 0.0 {
            Ok(Self(value))
        } else {
            Err(format!("{value} must be a finite number >= 0"))
        }
    }
}

impl From<NonNegative> for f64 {
    fn from(value: NonNegative) -> f64 {
        value.0
    }
}

/// A count of at least one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct AtLeastOne(u32);

impl AtLeastOne {
    /// The count.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for AtLeastOne {
    type Error = String;
    fn try_from(value: u32) -> Result<Self, String> {
        if value >= 1 {
            Ok(Self(value))
        } else {
            Err("must be at least 1".to_string())
        }
    }
}

impl From<AtLeastOne> for u32 {
    fn from(value: AtLeastOne) -> u32 {
        value.0
    }
}
