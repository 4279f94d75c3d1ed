//! Host configuration (SPEC §11): a RON file (`racksync host --config FILE`, example in
//! `assets/config/host.ron`) whose every field a command-line flag overrides.
//!
//! Unknown fields and out-of-range values are errors that name the file and line;
//! settings that contradict each other (secure mode without a key, an unsecure host on a
//! public address) are refused with what to do instead.

mod file;
mod plan;

pub use file::{DurabilityMode, EventConfig, HostConfig};
pub use plan::{Admission, DEFAULT_BIND, HostPlan};

use std::path::PathBuf;

/// Why a host configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The RON is malformed, has an unknown field or a value of the wrong type.
    #[error("{path}:{source}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// What and where (line:column).
        source: ron::error::SpannedError,
    },
    /// A value is out of range.
    #[error("{path}:{line}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Line of the field (1-based).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The settings, file and flags together, do not fit.
    #[error("{0}")]
    Conflict(String),
}
