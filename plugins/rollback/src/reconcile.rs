//! Optimistic apply, and reconciliation with what the host decided.

use crate::RollbackSettings;
use crate::outcome::{ActionOutcome, PerformAction, RemoteChange, RollbackStats};
use crate::pending::{Pending, PendingActions};
use bevy_ecs::prelude::*;
use bevy_log::warn;
use bevy_renet::RenetClient;
use bevy_time::{Real, Time};
use racksync_protocol::{
    AckOutcome, Action, Channel, ClientWorldMessage, PlayerId, Revision, encode,
};
use racksync_replication::{ClientSession, WorldUpdate, WorldUpdates};
use racksync_world::rules;
use racksync_world::{ConfirmedOverlay, ReadObjects, WorldObjects, WorldRevision};

/// Actions the game asked for, oldest first, waiting for [`reconcile`].
#[derive(Resource, Debug, Default)]
pub struct Requests(pub Vec<Action>);

/// Moves [`PerformAction`] messages into [`Requests`]. Runs in
/// [`racksync_replication::RacksyncSystems::Process`] on the client, before [`reconcile`].
pub fn collect_requests(mut reader: MessageReader<PerformAction>, mut requests: ResMut<Requests>) {
    requests
        .0
        .extend(reader.read().map(|request| request.0.clone()));
}

/// Applies host updates, times out stale pending actions, then performs new requests.
/// Runs in [`racksync_replication::RacksyncSystems::Process`] on the client.
pub fn reconcile(world: &mut World) {
    let session = world.resource::<ClientSession>();
    let playing = session.state.is_playing();
    let me = session.player.unwrap_or(PlayerId::HOST);
    // An audit resync changed the confirmed world under our predictions: rebase them.
    if world.resource_mut::<ConfirmedOverlay>().take_rebase() {
        rewind(world);
        replay(world, me);
    }
    let updates = std::mem::take(&mut world.resource_mut::<WorldUpdates>().0);
    for update in updates {
        match update {
            WorldUpdate::Ack { seq, outcome } => on_ack(world, me, seq, outcome),
            WorldUpdate::Broadcast {
                revision,
                actor,
                action,
            } => on_broadcast(world, me, revision, actor, action),
        }
    }
    expire(world, me);
    let requests = std::mem::take(&mut world.resource_mut::<Requests>().0);
    for action in requests {
        if playing {
            perform(world, me, action);
        } else {
            world.write_message(ActionOutcome::NotPlaying { action });
        }
    }
    let pending = world.resource::<PendingActions>().len();
    world.resource_mut::<RollbackStats>().pending = pending;
}

/// Applies the action locally at once, records it as pending, and sends it.
fn perform(world: &mut World, me: PlayerId, action: Action) {
    let changes = match rules::plan(world, me, &action) {
        Ok(changes) => changes,
        Err(reason) => {
            world.resource_mut::<RollbackStats>().rejected_locally += 1;
            world.write_message(ActionOutcome::RejectedLocally { action, reason });
            return;
        }
    };
    write_tracked(world, changes);
    let now = world.resource::<Time<Real>>().elapsed();
    let mut pending = world.resource_mut::<PendingActions>();
    let seq = pending.next_seq;
    pending.next_seq = seq.wrapping_add(1);
    pending.queue.push_back(Pending {
        seq,
        action: action.clone(),
        sent_at: now,
        applied: true,
        timed_out: false,
    });
    let message = ClientWorldMessage::Action { seq, action };
    let bytes = encode(Channel::World, &message).expect("actions fit the world channel");
    world
        .resource_mut::<RenetClient>()
        .send_message(Channel::World, bytes);
    world.resource_mut::<RollbackStats>().sent += 1;
}

/// Writes changed objects, first remembering the confirmed state of any object no
/// pending action had touched yet.
fn write_tracked(world: &mut World, changes: rules::Plan) {
    for change in changes {
        let before = world.object(change.id());
        world
            .resource_mut::<ConfirmedOverlay>()
            .remember(change.id(), before);
        rules::write_change(world, change);
    }
}

/// Puts every object a pending action changed back to its confirmed state.
fn rewind(world: &mut World) {
    let confirmed = world.resource_mut::<ConfirmedOverlay>().take();
    for (id, state) in confirmed {
        match state {
            Some(record) => world.write_object(record),
            None => {
                world.despawn_object(id);
            }
        }
    }
}

/// Re-applies pending actions that are still live, in order, dropping those that no
/// longer validate.
fn replay(world: &mut World, me: PlayerId) {
    let queue: Vec<Pending> = world
        .resource::<PendingActions>()
        .queue
        .iter()
        .cloned()
        .collect();
    for entry in queue {
        if !entry.applied {
            continue;
        }
        match rules::plan(world, me, &entry.action) {
            Ok(changes) => write_tracked(world, changes),
            Err(reason) => {
                set_applied(world, entry.seq, false);
                world.resource_mut::<RollbackStats>().dropped_on_replay += 1;
                world.write_message(ActionOutcome::DroppedOnReplay {
                    seq: entry.seq,
                    action: entry.action,
                    reason,
                });
            }
        }
    }
}

fn set_applied(world: &mut World, seq: u16, applied: bool) {
    if let Some(entry) = world
        .resource_mut::<PendingActions>()
        .queue
        .iter_mut()
        .find(|p| p.seq == seq)
    {
        entry.applied = applied;
    }
}

/// Applies a host-decided action to the confirmed world: rewind, apply, replay.
fn apply_confirmed(world: &mut World, actor: PlayerId, action: &Action, me: PlayerId) -> bool {
    let has_local_effects = !world.resource::<ConfirmedOverlay>().is_empty();
    if has_local_effects {
        rewind(world);
    }
    let applied = match rules::apply(world, actor, action) {
        Ok(_) => true,
        Err(reason) => {
            warn!(%actor, action = action.name(), %reason, "host update does not apply to the confirmed world");
            world.resource_mut::<RollbackStats>().divergences += 1;
            false
        }
    };
    if has_local_effects {
        replay(world, me);
    }
    applied
}

fn advance_revision(world: &mut World) -> Revision {
    let mut revision = world.resource_mut::<WorldRevision>();
    revision.0 = revision.0.next();
    revision.0
}

fn on_ack(world: &mut World, me: PlayerId, seq: u16, outcome: AckOutcome) {
    let position = world
        .resource::<PendingActions>()
        .queue
        .iter()
        .position(|p| p.seq == seq);
    let Some(position) = position else {
        warn!(seq, "ACK for an action that is not pending");
        world.resource_mut::<RollbackStats>().divergences += 1;
        return;
    };
    let entry = world
        .resource_mut::<PendingActions>()
        .queue
        .remove(position)
        .expect("position was just found");
    match outcome {
        AckOutcome::Accepted { revision_low } => {
            let revision = advance_revision(world);
            if revision.0 as u8 != revision_low {
                warn!(%revision, revision_low, "ACK revision does not match the counted revision");
                world.resource_mut::<RollbackStats>().divergences += 1;
            }
            // Removed from the queue first, so the replay inside does not apply it twice.
            apply_confirmed(world, me, &entry.action, me);
            world.resource_mut::<RollbackStats>().accepted += 1;
            world.write_message(ActionOutcome::Accepted {
                seq,
                action: entry.action,
                revision,
            });
        }
        AckOutcome::Rejected(reason) => {
            let mut stats = world.resource_mut::<RollbackStats>();
            stats.rejected += 1;
            if entry.applied {
                stats.rolled_back += 1;
                rewind(world);
                replay(world, me);
            }
            world.write_message(ActionOutcome::Rejected {
                seq,
                action: entry.action,
                reason,
            });
        }
    }
}

fn on_broadcast(
    world: &mut World,
    me: PlayerId,
    revision: Revision,
    actor: PlayerId,
    action: Action,
) {
    let expected = advance_revision(world);
    if revision != expected {
        warn!(%revision, %expected, "broadcast revision out of sequence");
        world.resource_mut::<RollbackStats>().divergences += 1;
        world.resource_mut::<WorldRevision>().0 = revision;
    }
    apply_confirmed(world, actor, &action, me);
    world.write_message(RemoteChange {
        revision,
        actor,
        action,
    });
}

/// Rolls back locally applied actions whose ACK is overdue.
fn expire(world: &mut World, me: PlayerId) {
    let now = world.resource::<Time<Real>>().elapsed();
    let timeout = world.resource::<RollbackSettings>().ack_timeout;
    let overdue: Vec<Pending> = world
        .resource::<PendingActions>()
        .queue
        .iter()
        .filter(|p| !p.timed_out && now.saturating_sub(p.sent_at) >= timeout)
        .cloned()
        .collect();
    if overdue.is_empty() {
        return;
    }
    let mut rolled_back = 0;
    for entry in &overdue {
        if let Some(p) = world
            .resource_mut::<PendingActions>()
            .queue
            .iter_mut()
            .find(|p| p.seq == entry.seq)
        {
            p.timed_out = true;
            if p.applied {
                p.applied = false;
                rolled_back += 1;
            }
        }
    }
    rewind(world);
    replay(world, me);
    let mut stats = world.resource_mut::<RollbackStats>();
    stats.timed_out += overdue.len() as u64;
    stats.rolled_back += rolled_back;
    for entry in overdue {
        world.write_message(ActionOutcome::TimedOut {
            seq: entry.seq,
            action: entry.action,
        });
    }
}
