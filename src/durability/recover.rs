//! Start-up of a durable host: load the save (or create it), replay the journal, check
//! the result, write a fresh save, and release what players held when the host died.

use super::DurabilityError;
use super::durable::{DurabilityStats, DurableWorld, checkpoint};
use super::journal::{JournalWriter, MAGIC, read_journal};
use super::settings::DurabilitySettings;
use bevy_ecs::prelude::*;
use bevy_time::{Real, Time};
use racksync_authority::release_spot;
use racksync_protocol::{Action, Placement, Revision};
use racksync_replication::HostActions;
use racksync_world::rules::{Change, write_change};
use racksync_world::{
    Holding, ReadObjects, SaveError, Settings, WorldRevision, WorldSave, check_consistency,
};
use std::time::Duration;

/// The world a durable host starts from, before its journal is replayed.
#[derive(Clone, Debug)]
pub struct Base {
    /// The save's content (or the initial world when there was no save).
    pub save: WorldSave,
    /// False when the save did not exist and `save` is the initial world.
    pub existed: bool,
}

/// Reads the save at `settings.save` (objects may be held: players were connected when
/// it was written), or takes `initial()` when there is none. A journal without its save
/// is refused: replaying it onto another world would be wrong.
pub fn open_base(
    settings: &DurabilitySettings,
    initial: impl FnOnce() -> Result<WorldSave, SaveError>,
) -> Result<Base, DurabilityError> {
    if settings.save.exists() {
        let save = WorldSave::read_with(&settings.save, Holding::Allowed).map_err(|source| {
            DurabilityError::BadSave {
                path: settings.save.clone(),
                source,
            }
        })?;
        return Ok(Base {
            save,
            existed: true,
        });
    }
    let journal = settings.journal_path();
    let journal_len = std::fs::metadata(&journal).map_or(0, |m| m.len());
    if journal_len > MAGIC.len() as u64 {
        return Err(DurabilityError::JournalWithoutSave {
            journal,
            save: settings.save.clone(),
        });
    }
    Ok(Base {
        save: initial()?,
        existed: false,
    })
}

/// What start-up recovered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recovery {
    /// The save existed (false: it was created from the initial world).
    pub save_existed: bool,
    /// The save's revision.
    pub save_revision: Revision,
    /// Journal records replayed on top of it.
    pub replayed: u64,
    /// Journal records skipped because the save already covered them (a crash between
    /// a save and the journal reset).
    pub skipped: u64,
    /// Bytes of a torn journal tail that were ignored (an append cut short by a crash;
    /// it was never fsynced, so never acknowledged).
    pub torn_bytes: u64,
    /// The revision after replay.
    pub revision: Revision,
    /// Objects found in players' hands, queued to be released on the first tick.
    pub released: usize,
}

/// Makes the host world in `world` (already loaded from [`Base::save`]) durable: replays
/// the journal, checks the world's consistency, writes a fresh save and empties the
/// journal, queues a host `Release` of every held object (their players are gone), and
/// inserts the [`DurableWorld`] that the [`super::DurabilityPlugin`] systems run on.
pub fn attach(
    world: &mut World,
    settings: &DurabilitySettings,
    save_existed: bool,
) -> Result<Recovery, DurabilityError> {
    let save_revision = world.resource::<WorldRevision>().0;
    let journal_path = settings.journal_path();
    let contents = read_journal(&journal_path)?;
    let mut recovery = Recovery {
        save_existed,
        save_revision,
        replayed: 0,
        skipped: 0,
        torn_bytes: contents.torn_bytes,
        revision: save_revision,
        released: 0,
    };
    for record in contents.records {
        if record.revision <= recovery.revision {
            recovery.skipped += 1;
            continue;
        }
        let expected = recovery.revision.next();
        if record.revision != expected {
            return Err(DurabilityError::Gap {
                expected,
                found: record.revision,
            });
        }
        for change in record.changes {
            if let Change::Remove(id) = change
                && world.object(id).is_none()
            {
                return Err(DurabilityError::Replay {
                    revision: record.revision,
                    reason: format!("it removes {id}, which does not exist"),
                });
            }
            write_change(world, change);
        }
        world.resource_mut::<WorldRevision>().0 = record.revision;
        recovery.revision = record.revision;
        recovery.replayed += 1;
    }
    let world_settings = world.resource::<Settings>().0.clone();
    check_consistency(
        &world_settings,
        world.objects_sorted().into_iter(),
        Holding::Allowed,
    )
    .map_err(|source| DurabilityError::Inconsistent {
        revision: recovery.revision,
        source,
    })?;
    let now = world
        .get_resource::<Time<Real>>()
        .map_or(Duration::ZERO, Time::elapsed);
    world.init_resource::<DurabilityStats>();
    world.insert_resource(DurableWorld {
        settings: settings.clone(),
        journal: JournalWriter::open(&journal_path)?,
        last_save: now,
        last_sync: now,
        unsynced: false,
        failed: None,
        pending: None,
    });
    checkpoint(world)?;
    recovery.released = release_held(world);
    Ok(recovery)
}

/// Queues a host `Release` of every object in a player's hand, at the world origin on
/// the floor: after a restart no player is connected and no transform is known.
fn release_held(world: &mut World) -> usize {
    let bounds = world.resource::<Settings>().0.bounds;
    let (pos, yaw) = release_spot(None, &bounds);
    let held: Vec<Action> = world
        .objects_sorted()
        .into_iter()
        .filter(|record| matches!(record.placement, Placement::Held(_)))
        .map(|record| Action::Release {
            object: record.id,
            pos,
            yaw,
        })
        .collect();
    let count = held.len();
    world.resource_mut::<HostActions>().0.extend(held);
    count
}
