//! The state of a durable host: its open journal, its save timers and counters, and the
//! checkpoint that writes the world and empties the journal.

use super::DurabilityError;
use super::background::PendingSave;
use super::journal::JournalWriter;
use super::settings::DurabilitySettings;
use crate::atomic_file::{Access, write_atomic};
use bevy_ecs::prelude::*;
use bevy_time::{Real, Time};
use racksync_protocol::Revision;
use racksync_world::WorldSave;
use std::time::Duration;

/// Present on a host whose world is durable; [`super::attach`] inserts it. The
/// durability systems do nothing without it.
#[derive(Resource, Debug)]
pub struct DurableWorld {
    /// Where and how often.
    pub settings: DurabilitySettings,
    pub(super) journal: JournalWriter,
    /// `Time<Real>` elapsed at the last successful save.
    pub(super) last_save: Duration,
    /// `Time<Real>` elapsed at the last journal fsync.
    pub(super) last_sync: Duration,
    /// Records were appended since the last fsync.
    pub(super) unsynced: bool,
    /// Set when a journal write or fsync failed: from then on nothing is acknowledged.
    pub(super) failed: Option<String>,
    /// A periodic save being written in the background.
    pub(super) pending: Option<PendingSave>,
}

impl Drop for DurableWorld {
    /// An app torn down mid-save waits for the save thread, so it never races a later
    /// writer of the same files (a killed process has no thread left to race).
    fn drop(&mut self) {
        if let Some(pending) = self.pending.take() {
            let _ = pending.wait();
        }
    }
}

impl DurableWorld {
    /// Why journaling stopped, if it did (the host then disconnects everyone and exits).
    pub fn failure(&self) -> Option<&str> {
        self.failed.as_deref()
    }

    /// Sends further journal writes to `file` (the test harness points it at a device
    /// that fails every write).
    pub(crate) fn redirect_journal(&mut self, file: std::fs::File) {
        self.journal.redirect(file);
    }
}

/// What a durable host wrote.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DurabilityStats {
    /// Records appended to the journal.
    pub records: u64,
    /// Journal bytes appended.
    pub bytes: u64,
    /// Journal fsyncs.
    pub syncs: u64,
    /// Saves written (start-up, periodic and on exit).
    pub saves: u64,
    /// Saves that failed (the journal kept everything; the next interval retries).
    pub save_failures: u64,
    /// Revision of the last save written.
    pub last_save_revision: Revision,
}

/// Writes the world to its save atomically on this thread, then empties the journal:
/// every record in it is at or below the save's revision. A crash between the two steps
/// leaves records the save already covers, which recovery skips by revision. Waits for
/// a background save first (see [`super::background`]); this one supersedes it.
pub fn checkpoint(world: &mut World) -> Result<Revision, DurabilityError> {
    if let Some(pending) = world.resource_mut::<DurableWorld>().pending.take() {
        // Its outcome does not matter: the save below covers everything it had.
        let _ = pending.wait();
    }
    let save = WorldSave::capture(world);
    let revision = Revision(save.revision);
    let text = save.to_ron();
    let now = world
        .get_resource::<Time<Real>>()
        .map_or(Duration::ZERO, Time::elapsed);
    let mut durable = world.resource_mut::<DurableWorld>();
    write_atomic(&durable.settings.save, text.as_bytes(), Access::Default).map_err(|source| {
        DurabilityError::Save {
            path: durable.settings.save.clone(),
            source,
        }
    })?;
    durable.journal.reset()?;
    durable.last_save = now;
    durable.last_sync = now;
    durable.unsynced = false;
    let mut stats = world.resource_mut::<DurabilityStats>();
    stats.saves += 1;
    stats.last_save_revision = revision;
    Ok(revision)
}
