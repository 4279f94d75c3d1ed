//! The durability plugin: journal each tick's accepted actions before their ACKs leave,
//! save periodically and on exit.

use super::background::{finish_save, start_save};
use super::durable::{DurabilityStats, DurableWorld, checkpoint};
use super::journal::frame_parts;
use super::settings::Durability;
use bevy_app::{AppExit, Last, Plugin, Update};
use bevy_ecs::prelude::*;
use bevy_log::{error, info};
use bevy_renet::RenetServer;
use bevy_time::{Real, Time};
use racksync_authority::ActionApplied;
use racksync_replication::RacksyncSystems;

/// Durable worlds for the host (part of [`crate::HostPlugins`]). Inert until
/// [`super::attach`] inserts a [`DurableWorld`].
pub struct DurabilityPlugin;

/// The durability systems.
///
/// `Journal` and `Save` run in `Update`, in that order, after
/// [`RacksyncSystems::Process`] (where the authority decides and queues ACKs) and before
/// [`RacksyncSystems::Replicate`]; packets leave later, in `PostUpdate`. `ExitSave` runs
/// in `Last` in a frame that requested [`AppExit`].
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DurabilitySystems {
    /// Append this tick's accepted actions to the journal and fsync as configured.
    Journal,
    /// Save the world when the save interval has passed.
    Save,
    /// Save the world when the host stops (Ctrl-C, SIGTERM, any `AppExit`).
    ExitSave,
}

impl Plugin for DurabilityPlugin {
    fn build(&self, app: &mut bevy_app::App) {
        app.init_resource::<DurabilityStats>()
            .configure_sets(
                Update,
                (DurabilitySystems::Journal, DurabilitySystems::Save)
                    .chain()
                    .after(RacksyncSystems::Process)
                    .before(RacksyncSystems::Replicate),
            )
            .configure_sets(Last, DurabilitySystems::ExitSave)
            .add_systems(
                Update,
                (
                    journal_accepted.in_set(DurabilitySystems::Journal),
                    save_when_due.in_set(DurabilitySystems::Save),
                )
                    .run_if(resource_exists::<DurableWorld>),
            )
            .add_systems(
                Last,
                save_on_exit
                    .in_set(DurabilitySystems::ExitSave)
                    .run_if(resource_exists::<DurableWorld>)
                    .run_if(on_message::<AppExit>),
            );
    }
}

/// Group commit: every action accepted this tick goes to the journal in one write, and
/// (strict) one fsync, before `PostUpdate` sends the tick's ACKs. If the journal cannot
/// be written, nothing more may be acknowledged: every client is disconnected (renet
/// sends nothing to a disconnected connection, so the queued ACKs never leave) and the
/// host exits with an error.
fn journal_accepted(
    mut applied: MessageReader<ActionApplied>,
    mut durable: ResMut<DurableWorld>,
    mut stats: ResMut<DurabilityStats>,
    time: Res<Time<Real>>,
    server: Option<ResMut<RenetServer>>,
    mut exit: MessageWriter<AppExit>,
) {
    if durable.failed.is_some() {
        applied.clear();
        stop_acknowledging(server, &mut exit);
        return;
    }
    let now = time.elapsed();
    let result = (|| {
        let mut framed = Vec::new();
        let mut records = 0;
        for action in applied.read() {
            framed.extend(frame_parts(action.revision, action.actor, &action.changes)?);
            records += 1;
        }
        if records > 0 {
            durable.journal.append(&framed)?;
            // A background save captured before these: they must outlive its journal reset.
            if let Some(pending) = durable.pending.as_mut() {
                pending.tail.extend_from_slice(&framed);
            }
            durable.unsynced = true;
            stats.records += records;
            stats.bytes += framed.len() as u64;
        }
        let due = match durable.settings.durability {
            Durability::Strict => true,
            Durability::Interval { fsync_every } => {
                now.saturating_sub(durable.last_sync) >= fsync_every
            }
        };
        if durable.unsynced && due {
            durable.journal.sync()?;
            durable.unsynced = false;
            durable.last_sync = now;
            stats.syncs += 1;
        }
        Ok::<(), super::JournalError>(())
    })();
    if let Err(failure) = result {
        error!(%failure, "cannot journal accepted actions: disconnecting every client and stopping, so no unjournaled action is acknowledged");
        durable.failed = Some(failure.to_string());
        stop_acknowledging(server, &mut exit);
    }
}

fn stop_acknowledging(server: Option<ResMut<RenetServer>>, exit: &mut MessageWriter<AppExit>) {
    if let Some(mut server) = server {
        server.disconnect_all();
    }
    exit.write(AppExit::error());
}

/// Saves the world every `save_every` of real time, in the background: starts a save
/// when one is due and none is running, and finishes one (journal replaced) once its
/// thread is done.
fn save_when_due(world: &mut World) {
    match finish_save(world) {
        Ok(Some((revision, took))) => {
            let path = world
                .resource::<DurableWorld>()
                .settings
                .save
                .display()
                .to_string();
            info!(%revision, path, took_ms = took.as_millis() as u64, "saved the world (periodic)");
        }
        Ok(None) => {}
        Err(failure) => {
            // The journal still holds everything since the last good save.
            error!(%failure, "saving the world failed (periodic); the journal keeps every action");
            world.resource_mut::<DurabilityStats>().save_failures += 1;
        }
    }
    let now = world.resource::<Time<Real>>().elapsed();
    let durable = world.resource::<DurableWorld>();
    if durable.pending.is_some()
        || now.saturating_sub(durable.last_save) < durable.settings.save_every
    {
        return;
    }
    start_save(world);
}

/// The exit save runs on this thread: the process ends right after it.
fn save_on_exit(world: &mut World) {
    // Should the save fail, what interval mode has not fsynced yet is still made durable.
    let mut durable = world.resource_mut::<DurableWorld>();
    if durable.unsynced && durable.journal.sync().is_ok() {
        durable.unsynced = false;
    }
    let started = std::time::Instant::now();
    match checkpoint(world) {
        Ok(revision) => {
            let path = world
                .resource::<DurableWorld>()
                .settings
                .save
                .display()
                .to_string();
            info!(%revision, path, took_ms = started.elapsed().as_millis() as u64, "saved the world (on exit)");
        }
        Err(failure) => {
            error!(%failure, "saving the world failed (on exit); the journal keeps every action");
            world.resource_mut::<DurabilityStats>().save_failures += 1;
        }
    }
}
