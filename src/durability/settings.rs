//! Where and how often a durable host writes its world.

use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// When journaled actions reach the disk, relative to their ACKs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Durability {
    /// Every tick's accepted actions are written and fsynced before any of that tick's
    /// ACKs or broadcasts leave (one fsync per tick with actions: group commit). An
    /// acknowledged action survives `kill -9` and power loss.
    Strict,
    /// Every tick's actions are written before its ACKs leave, but fsynced at most every
    /// `fsync_every`. An acknowledged action survives `kill -9` of the host (the kernel
    /// holds it); a power loss or kernel crash can lose up to `fsync_every` of them.
    Interval {
        /// Longest time between fsyncs while actions arrive.
        fsync_every: Duration,
    },
}

/// A durable host's configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurabilitySettings {
    /// The world save. The journal and temporary file sit beside it
    /// ([`DurabilitySettings::journal_path`], [`crate::atomic_file::temp_path`]).
    pub save: PathBuf,
    /// How often the world is saved (which also empties the journal).
    pub save_every: Duration,
    /// When journal writes are fsynced.
    pub durability: Durability,
}

/// Default interval between periodic saves.
pub const DEFAULT_SAVE_EVERY: Duration = Duration::from_secs(60);

/// Default fsync interval in [`Durability::Interval`] mode.
pub const DEFAULT_FSYNC_EVERY: Duration = Duration::from_millis(200);

impl DurabilitySettings {
    /// Strict durability with the default save interval.
    pub fn strict(save: impl Into<PathBuf>) -> Self {
        Self {
            save: save.into(),
            save_every: DEFAULT_SAVE_EVERY,
            durability: Durability::Strict,
        }
    }

    /// The journal file: the save's name with `.journal` appended.
    pub fn journal_path(&self) -> PathBuf {
        journal_path(&self.save)
    }
}

/// The journal that belongs to the save at `save`.
pub fn journal_path(save: &Path) -> PathBuf {
    let mut name: OsString = save.file_name().map(OsString::from).unwrap_or_default();
    name.push(".journal");
    save.with_file_name(name)
}
