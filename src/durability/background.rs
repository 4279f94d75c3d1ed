//! Periodic saves off the tick: the world is captured on the main thread (about 10 ms
//! at 100k objects), then encoded and written atomically on a thread of its own (the
//! other ~90% of the time), while the host keeps journaling.
//!
//! The journal cannot simply be emptied when such a save completes: records written
//! since the capture are newer than the save. So they are also kept in memory (the
//! *tail*), and the completed save is followed by replacing the journal atomically with
//! one holding only the tail. At every instant the save on disk plus the journal on disk
//! hold every journaled action: before the journal is replaced it holds everything since
//! the previous save, and recovery skips what the new save already covers.

use super::DurabilityError;
use super::durable::{DurabilityStats, DurableWorld};
use crate::atomic_file::{Access, write_atomic};
use bevy_ecs::prelude::*;
use bevy_time::{Real, Time};
use racksync_protocol::Revision;
use racksync_world::WorldSave;
use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A save being written by a background thread.
#[derive(Debug)]
pub(super) struct PendingSave {
    revision: Revision,
    started: Instant,
    thread: JoinHandle<std::io::Result<()>>,
    /// Framed journal records appended since the capture.
    pub(super) tail: Vec<u8>,
}

impl PendingSave {
    /// Waits for the thread (used before anything else writes the save).
    pub(super) fn wait(self) -> std::io::Result<()> {
        self.thread
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the save thread panicked")))
    }
}

/// Captures the world and starts writing it on a background thread.
pub(super) fn start_save(world: &mut World) {
    let started = Instant::now();
    let save = WorldSave::capture(world);
    let revision = Revision(save.revision);
    let now = world.resource::<Time<Real>>().elapsed();
    let mut durable = world.resource_mut::<DurableWorld>();
    let path: PathBuf = durable.settings.save.clone();
    let thread = std::thread::Builder::new()
        .name("racksync-save".into())
        .spawn(move || write_atomic(&path, save.to_ron().as_bytes(), Access::Default));
    match thread {
        Ok(thread) => {
            durable.pending = Some(PendingSave {
                revision,
                started,
                thread,
                tail: Vec::new(),
            });
        }
        Err(error) => {
            bevy_log::error!(%error, "cannot start the save thread; retrying at the next interval")
        }
    }
    durable.last_save = now;
    bevy_log::debug!(%revision, capture_ms = started.elapsed().as_millis() as u64, "save started");
}

/// If the background save is done, replaces the journal with the records newer than it
/// and returns its revision; `Ok(None)` while it is still running (or none is).
pub(super) fn finish_save(
    world: &mut World,
) -> Result<Option<(Revision, Duration)>, DurabilityError> {
    let mut durable = world.resource_mut::<DurableWorld>();
    if !durable
        .pending
        .as_ref()
        .is_some_and(|pending| pending.thread.is_finished())
    {
        return Ok(None);
    }
    let PendingSave {
        revision,
        started,
        thread,
        tail,
    } = durable.pending.take().expect("checked above");
    let written = thread
        .join()
        .unwrap_or_else(|_| Err(std::io::Error::other("the save thread panicked")));
    let save = durable.settings.save.clone();
    written.map_err(|source| DurabilityError::Save { path: save, source })?;
    durable.journal.replace(&tail)?;
    durable.unsynced = false;
    let mut stats = world.resource_mut::<DurabilityStats>();
    stats.saves += 1;
    stats.last_save_revision = revision;
    Ok(Some((revision, started.elapsed())))
}
