//! Durable worlds (SPEC §11): no acknowledged action is lost, even to `kill -9`.
//!
//! - [`journal`]: every tick, the changes of the actions the authority accepted are
//!   appended to a checksummed journal and (in [`Durability::Strict`] mode) fsynced
//!   before `PostUpdate` sends that tick's ACKs and broadcasts — one fsync per tick
//!   however many actions it accepted (group commit).
//! - Saves: the world is written to its save atomically (temporary file, fsync, rename,
//!   fsync of the directory) every `save_every` on a background thread (see
//!   `background`), and with [`checkpoint`] on this thread at start-up and when the host
//!   stops; then the journal is emptied of what the save covers.
//! - [`open_base`] + [`attach`]: start-up loads the save, replays the journal records
//!   newer than it (skipping older ones, stopping at a torn tail), checks the world,
//!   saves, and releases whatever players were holding.

mod background;
mod durable;
pub mod journal;
mod recover;
mod settings;
mod systems;

pub use durable::{DurabilityStats, DurableWorld, checkpoint};
pub use journal::{JournalError, JournalRecord};
pub use recover::{Base, Recovery, attach, open_base};
pub use settings::{
    DEFAULT_FSYNC_EVERY, DEFAULT_SAVE_EVERY, Durability, DurabilitySettings, journal_path,
};
pub use systems::{DurabilityPlugin, DurabilitySystems};

use racksync_protocol::Revision;
use racksync_world::{ConsistencyError, SaveError};
use std::path::PathBuf;

/// Why a durable world could not be opened, recovered or saved.
#[derive(Debug, thiserror::Error)]
pub enum DurabilityError {
    /// The save exists but cannot be used.
    #[error("world save {path}: {source}")]
    BadSave {
        /// The save.
        path: PathBuf,
        /// Why.
        source: SaveError,
    },
    /// The initial world (when there is no save yet) cannot be used.
    #[error(transparent)]
    Initial(#[from] SaveError),
    /// A journal exists but its save does not.
    #[error(
        "journal {journal} exists but its save {save} does not; restore the save or move the journal away"
    )]
    JournalWithoutSave {
        /// The journal.
        journal: PathBuf,
        /// The missing save.
        save: PathBuf,
    },
    /// The journal file cannot be read or written.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The journal skips revisions: it does not continue the save.
    #[error("the journal does not continue the save: expected revision {expected}, found {found}")]
    Gap {
        /// The revision that should come next.
        expected: Revision,
        /// The revision found.
        found: Revision,
    },
    /// A journal record does not fit the world it is replayed on.
    #[error("journal record for revision {revision} does not fit the save: {reason}")]
    Replay {
        /// The record's revision.
        revision: Revision,
        /// What does not fit.
        reason: String,
    },
    /// The replayed world breaks a world invariant.
    #[error("the recovered world at revision {revision} is inconsistent: {source}")]
    Inconsistent {
        /// Revision after replay.
        revision: Revision,
        /// The broken invariant.
        source: ConsistencyError,
    },
    /// The save could not be written.
    #[error("writing world save {path}: {source}")]
    Save {
        /// The save.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}
