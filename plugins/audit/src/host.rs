//! Host systems: periodic root digests and answers to descent requests.

use crate::answer::{Violation, answer_nodes, answer_objects};
use crate::chunk::{chunk, list_budget};
use crate::settings::AuditSettings;
use crate::stats::AuditStats;
use crate::wire_digest::root_digest;
use bevy_ecs::prelude::*;
use bevy_log::{debug, warn};
use bevy_renet::RenetServer;
use bevy_time::{Real, Time};
use core::time::Duration;
use racksync_protocol::{Channel, ClientAudit, HostAudit, HostWorldMessage, Refusal, encode};
use racksync_replication::host::{AuditRequests, InboundAudit, SessionPhase, Sessions, close};
use racksync_world::{DigestTree, WorldRevision};
use renet::{Bytes, ClientId};
use std::collections::BTreeMap;

/// What the host remembers about auditing each client: only what bounds the work a
/// client can ask for, never the state of a descent.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ClientAuditBudget {
    /// Answer bytes still allowed until the next root.
    pub remaining: usize,
    /// A request arrived since the last root (counts one mismatch).
    pub descending: bool,
}

/// Host audit state.
#[derive(Resource, Debug, Default)]
pub struct HostAuditState {
    /// When the next audit is due (`Time<Real>` elapsed); `None` until the first frame.
    pub next_at: Option<Duration>,
    /// Clients audited at least once, with their answer budget.
    pub clients: BTreeMap<ClientId, ClientAuditBudget>,
}

/// Sends every playing client the root digest when an interval is over. Runs in
/// [`racksync_replication::RacksyncSystems::Audit`] on the host, after
/// [`answer_audit_requests`]: both run after `Process`, so the root describes the
/// revision every broadcast sent this frame has reached.
pub fn send_audit_roots(
    time: Res<Time<Real>>,
    settings: Res<AuditSettings>,
    (tree, revision): (Res<DigestTree>, Res<WorldRevision>),
    sessions: Res<Sessions>,
    mut state: ResMut<HostAuditState>,
    mut server: ResMut<RenetServer>,
    mut stats: ResMut<AuditStats>,
) {
    let now = time.elapsed();
    let due = *state.next_at.get_or_insert(now + settings.interval);
    if now < due {
        return;
    }
    state.next_at = Some(now + settings.interval);
    let root = HostWorldMessage::Audit(HostAudit::Root {
        revision: revision.0,
        digest: root_digest(tree.root()),
    });
    // One encoding shared by every client: the per-client cost is a send.
    let bytes = Bytes::from(encode(Channel::World, &root).expect("a root is 20 bytes at most"));
    let playing: Vec<ClientId> = sessions
        .iter()
        .filter(|(_, s)| matches!(s.phase, SessionPhase::Playing))
        .map(|(client, _)| client)
        .collect();
    state
        .clients
        .retain(|client, _| sessions.get(*client).is_some());
    for client in playing {
        server.send_message(client, Channel::World, bytes.clone());
        state.clients.insert(
            client,
            ClientAuditBudget {
                remaining: settings.answer_budget,
                descending: false,
            },
        );
        stats.audits += 1;
        stats.audit_bytes += bytes.len() as u64;
    }
}

/// Answers every descent request received this frame, in arrival order. Runs in
/// [`racksync_replication::RacksyncSystems::Audit`] on the host.
pub fn answer_audit_requests(world: &mut World) {
    let requests = std::mem::take(&mut world.resource_mut::<AuditRequests>().0);
    if requests.is_empty() {
        return;
    }
    world.resource_scope::<RenetServer, _>(|world, mut server| {
        for request in requests {
            answer_one(world, &mut server, request);
        }
    });
}

fn answer_one(world: &mut World, server: &mut RenetServer, inbound: InboundAudit) {
    let client = inbound.client;
    let closing = world
        .resource::<Sessions>()
        .get(client)
        .is_none_or(|s| matches!(s.phase, SessionPhase::Closing { .. }));
    if closing {
        return;
    }
    world.resource_mut::<AuditStats>().resync_bytes += inbound.bytes as u64;
    let Some(budget) = world
        .resource::<HostAuditState>()
        .clients
        .get(&client)
        .copied()
    else {
        refuse(world, server, client, Violation::Unsolicited);
        return;
    };
    if !budget.descending {
        world.resource_mut::<AuditStats>().mismatches += 1;
    }
    let revision = world.resource::<WorldRevision>().0;
    let remaining = budget.remaining;
    let (messages, spent, fixes, truncated) = match &inbound.request {
        ClientAudit::Nodes { round, nodes } => {
            match answer_nodes(world.resource::<DigestTree>(), *round, nodes, remaining) {
                Ok(answer) => (
                    answer_messages(answer.items, |nodes, more| HostAudit::Nodes {
                        round: *round,
                        revision,
                        more,
                        nodes,
                    }),
                    answer.bytes,
                    0,
                    answer.truncated,
                ),
                Err(violation) => return refuse(world, server, client, violation),
            }
        }
        ClientAudit::Objects { round, leaves } => {
            let tree = world.resource::<DigestTree>();
            match answer_objects(world, tree, *round, leaves, remaining) {
                Ok(answer) => {
                    let fixes = answer.items.len() as u64;
                    (
                        answer_messages(answer.items, |fixes, more| HostAudit::Objects {
                            round: *round,
                            revision,
                            more,
                            fixes,
                        }),
                        answer.bytes,
                        fixes,
                        answer.truncated,
                    )
                }
                Err(violation) => return refuse(world, server, client, violation),
            }
        }
    };
    if let Some(budget) = world
        .resource_mut::<HostAuditState>()
        .clients
        .get_mut(&client)
    {
        budget.remaining = budget.remaining.saturating_sub(spent);
        budget.descending = true;
    }
    let mut sent = 0;
    for message in &messages {
        let bytes = encode(Channel::World, message).expect("answers are chunked to fit world");
        sent += bytes.len() as u64;
        server.send_message(client, Channel::World, bytes);
    }
    let mut stats = world.resource_mut::<AuditStats>();
    stats.resync_bytes += sent;
    stats.round_trips += 1;
    stats.objects_resynced += fixes;
    if truncated {
        stats.refused += 1;
        debug!(client, "audit answer cut to the client's budget");
    }
}

fn refuse(world: &mut World, server: &mut RenetServer, client: ClientId, violation: Violation) {
    warn!(client, %violation, "closing client for a bad audit request");
    world.resource_mut::<AuditStats>().refused += 1;
    close(
        world,
        server,
        client,
        Refusal::ProtocolViolation(violation.to_string()),
    );
}

/// An answer list split into world-channel messages; `wrap` builds one message from a
/// run and whether more runs follow (true on all but the last).
fn answer_messages<T: serde::Serialize>(
    items: Vec<T>,
    wrap: impl Fn(Vec<T>, bool) -> HostAudit,
) -> Vec<HostWorldMessage> {
    let chunks = chunk(items, list_budget());
    let last = chunks.len() - 1;
    chunks
        .into_iter()
        .enumerate()
        .map(|(n, run)| HostWorldMessage::Audit(wrap(run, n != last)))
        .collect()
}
