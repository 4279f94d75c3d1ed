//! Client system: comparing roots, descending where the confirmed world differs, and
//! applying the host's fixes.

use crate::chunk::{chunk, list_budget};
use crate::confirmed::ConfirmedView;
use crate::descend::{NextRequests, apply_fixes, compare_nodes, root_request};
use crate::stats::AuditStats;
use crate::wire_digest::root_digest;
use bevy_ecs::prelude::*;
use bevy_log::{debug, info, warn};
use bevy_renet::RenetClient;
use racksync_protocol::{
    Channel, ClientAudit, ClientWorldMessage, Digest64, HostAudit, Revision, encode,
};
use racksync_replication::client::{AuditInbox, ReceivedAudit};
use racksync_world::{ConfirmedOverlay, DigestTree, WorldRevision};
use std::collections::VecDeque;

/// Roots that may pass while a descent is still in flight before it is abandoned (its
/// answers were lost with a reconnect, or the host refused to answer).
const ROOTS_BEFORE_ABANDON: u32 = 2;

/// A descent in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    /// Round id, also the digest salt.
    pub id: u32,
    /// Step (tree exchange number, from 1) of every request awaiting its last answer
    /// message, oldest first. The `world` channel is ordered and the host answers in
    /// order, so the oldest entry is the one the next answer belongs to.
    pub outstanding: VecDeque<u8>,
    /// Deepest step reached.
    pub steps: u8,
    /// Roots that arrived during this round.
    pub roots_seen: u32,
}

/// Client audit state.
#[derive(Resource, Debug, Default)]
pub struct ClientAuditState {
    /// Id of the next round.
    pub next_round: u32,
    /// The descent in progress, if any.
    pub round: Option<Round>,
}

/// Handles this frame's audit messages. Runs in
/// [`racksync_replication::RacksyncSystems::Audit`] on the client, after `Process`:
/// replication hands over audit messages only together with the updates before them
/// (see `racksync_replication::client::AuditInbox`), so the world is exactly at the
/// revision they describe.
pub fn client_audit(world: &mut World) {
    let inbox = std::mem::take(&mut world.resource_mut::<AuditInbox>().0);
    if inbox.is_empty() {
        return;
    }
    world.resource_scope::<RenetClient, _>(|world, mut client| {
        for ReceivedAudit { message, bytes } in inbox {
            match message {
                HostAudit::Root { revision, digest } => {
                    on_root(world, &mut client, revision, digest, bytes)
                }
                HostAudit::Nodes {
                    round,
                    revision,
                    more,
                    nodes,
                } => {
                    world.resource_mut::<AuditStats>().resync_bytes += bytes as u64;
                    let Some(step) = answer_step(world, round, revision, more) else {
                        continue;
                    };
                    let next = {
                        let view = ConfirmedView::new(
                            world.resource::<DigestTree>(),
                            world.resource::<ConfirmedOverlay>(),
                        );
                        compare_nodes(&view, round, &nodes)
                    };
                    match next {
                        Ok(next) => send_requests(world, &mut client, round, step + 1, next),
                        Err(error) => warn!(%error, "ignoring a bad audit answer"),
                    }
                    finish_if_done(world);
                }
                HostAudit::Objects {
                    round,
                    revision,
                    more,
                    fixes,
                } => {
                    world.resource_mut::<AuditStats>().resync_bytes += bytes as u64;
                    if answer_step(world, round, revision, more).is_none() {
                        continue;
                    }
                    let changed = apply_fixes(world, fixes);
                    world.resource_mut::<AuditStats>().objects_resynced += changed;
                    finish_if_done(world);
                }
            }
        }
    });
}

fn on_root(
    world: &mut World,
    client: &mut RenetClient,
    revision: Revision,
    digest: Digest64,
    bytes: usize,
) {
    let local_revision = world.resource::<WorldRevision>().0;
    let predicting = !world.resource::<ConfirmedOverlay>().is_empty();
    {
        let mut stats = world.resource_mut::<AuditStats>();
        stats.audits += 1;
        stats.audit_bytes += bytes as u64;
        stats.audits_with_predictions += u64::from(predicting);
    }
    if local_revision != revision {
        // Every update up to `revision` has been applied (ordered channel), so the
        // host's number is the right one; a withheld broadcast followed by our own ACK
        // leaves the counted one behind.
        warn!(%local_revision, %revision, "adopting the audited revision");
        world.resource_mut::<WorldRevision>().0 = revision;
        world.resource_mut::<AuditStats>().revision_corrections += 1;
    }
    let (ours, first) = {
        let view = ConfirmedView::new(
            world.resource::<DigestTree>(),
            world.resource::<ConfirmedOverlay>(),
        );
        let round = world.resource::<ClientAuditState>().next_round;
        (
            root_digest(view.node(racksync_protocol::NodeRef::ROOT)),
            root_request(&view, round),
        )
    };
    if ours == digest {
        return;
    }
    info!(%revision, "audit mismatch: descending");
    world.resource_mut::<AuditStats>().mismatches += 1;
    let mut state = world.resource_mut::<ClientAuditState>();
    if let Some(round) = &mut state.round {
        round.roots_seen += 1;
        if round.roots_seen < ROOTS_BEFORE_ABANDON {
            // The descent in flight will repair what this root reports.
            return;
        }
        warn!(round = round.id, "abandoning an unfinished audit round");
    }
    let id = state.next_round;
    state.next_round = id.wrapping_add(1);
    state.round = Some(Round {
        id,
        outstanding: VecDeque::new(),
        steps: 0,
        roots_seen: 0,
    });
    let next = NextRequests {
        nodes: vec![first],
        leaves: Vec::new(),
    };
    send_requests(world, client, id, 1, next);
}

/// Checks that an answer belongs to the round in flight and the current revision, and
/// pops its request when it is the last message; returns the step it answers.
fn answer_step(world: &mut World, round: u32, revision: Revision, more: bool) -> Option<u8> {
    let current = world.resource::<WorldRevision>().0;
    let mut state = world.resource_mut::<ClientAuditState>();
    let Some(active) = state.round.as_mut().filter(|r| r.id == round) else {
        debug!(round, "answer for an abandoned audit round");
        world.resource_mut::<AuditStats>().refused += 1;
        return None;
    };
    let step = *active.outstanding.front()?;
    if !more {
        active.outstanding.pop_front();
    }
    if revision != current {
        // Cannot happen on an ordered channel unless the revision count drifted; the
        // next root corrects the count and audits again.
        warn!(%revision, %current, "audit answer for another revision");
        world.resource_mut::<AuditStats>().refused += 1;
        return None;
    }
    Some(step)
}

fn finish_if_done(world: &mut World) {
    let mut state = world.resource_mut::<ClientAuditState>();
    if state
        .round
        .as_ref()
        .is_some_and(|r| r.outstanding.is_empty())
    {
        state.round = None;
    }
}

/// Sends the next requests of a round at `step`, chunked to fit `world`.
fn send_requests(
    world: &mut World,
    client: &mut RenetClient,
    round: u32,
    step: u8,
    next: NextRequests,
) {
    if next.is_empty() {
        return;
    }
    let mut messages = Vec::new();
    if !next.nodes.is_empty() {
        for nodes in chunk(next.nodes, list_budget()) {
            messages.push(ClientAudit::Nodes { round, nodes });
        }
    }
    if !next.leaves.is_empty() {
        for leaves in chunk(next.leaves, list_budget()) {
            messages.push(ClientAudit::Objects { round, leaves });
        }
    }
    let mut sent = 0;
    for message in messages {
        let bytes = match encode(Channel::World, &ClientWorldMessage::Audit(message)) {
            Ok(bytes) => bytes,
            Err(error) => {
                // Only a single leaf with tens of thousands of objects could do this; the
                // round is abandoned at a later root instead.
                warn!(%error, "audit request does not fit the world channel");
                continue;
            }
        };
        sent += bytes.len() as u64;
        client.send_message(Channel::World, bytes);
        if let Some(active) = world.resource_mut::<ClientAuditState>().round.as_mut() {
            active.outstanding.push_back(step);
        }
    }
    let new_step = {
        let mut state = world.resource_mut::<ClientAuditState>();
        match state.round.as_mut() {
            Some(active) if step > active.steps => {
                active.steps = step;
                true
            }
            _ => false,
        }
    };
    let mut stats = world.resource_mut::<AuditStats>();
    stats.resync_bytes += sent;
    stats.round_trips += u64::from(new_step);
}
