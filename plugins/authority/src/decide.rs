//! validate → ACK → apply → broadcast.

use bevy_ecs::prelude::*;
use bevy_log::debug;
use bevy_renet::RenetServer;
use racksync_protocol::{
    AckOutcome, Action, Channel, HostWorldMessage, PlayerId, Revision, encode,
};
use racksync_replication::host::BroadcastFaults;
use racksync_replication::host::send_world;
use racksync_replication::{ActionInbox, HostActions, Sessions};
use racksync_world::WorldRevision;
use racksync_world::rules;
use racksync_world::rules::Plan;
use renet::{Bytes, ClientId};

/// Counts of what the authority decided.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct AuthorityStats {
    /// Player actions accepted.
    pub accepted: u64,
    /// Player actions rejected.
    pub rejected: u64,
    /// Host actions applied.
    pub host_applied: u64,
    /// Host actions the rules refused (a host-side logic error, logged).
    pub host_refused: u64,
}

/// Written for every action that changed the world, in revision order, in the same
/// frame as its ACK and broadcasts are queued (they leave in `PostUpdate`).
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct ActionApplied {
    /// The revision it produced.
    pub revision: Revision,
    /// Who performed it.
    pub actor: PlayerId,
    /// What was done.
    pub action: Action,
    /// What it changed, in order (what the host's journal replays).
    pub changes: Plan,
}

/// Decides every queued action in order. Runs in [`racksync_replication::RacksyncSystems::Process`]
/// on the host.
pub fn decide_actions(world: &mut World) {
    let inbox = std::mem::take(&mut world.resource_mut::<ActionInbox>().0);
    let host_actions = std::mem::take(&mut world.resource_mut::<HostActions>().0);
    if inbox.is_empty() && host_actions.is_empty() {
        return;
    }
    world.resource_scope::<RenetServer, _>(|world, mut server| {
        for action in host_actions {
            match rules::apply(world, PlayerId::HOST, &action) {
                Ok(changes) => {
                    let revision = advance_revision(world, PlayerId::HOST, &action, changes);
                    broadcast(world, &mut server, None, revision, PlayerId::HOST, &action);
                    world.resource_mut::<AuthorityStats>().host_applied += 1;
                }
                Err(rejection) => {
                    bevy_log::warn!(action = action.name(), %rejection, "host action refused by the rules");
                    world.resource_mut::<AuthorityStats>().host_refused += 1;
                }
            }
        }
        for inbound in inbox {
            let subscribed = world
                .resource::<Sessions>()
                .get(inbound.client)
                .is_some_and(|s| s.subscribed());
            if !subscribed {
                continue;
            }
            match rules::apply(world, inbound.player, &inbound.action) {
                Ok(changes) => {
                    let revision =
                        advance_revision(world, inbound.player, &inbound.action, changes);
                    let ack = HostWorldMessage::Ack {
                        seq: inbound.seq,
                        outcome: AckOutcome::Accepted {
                            revision_low: revision.0 as u8,
                        },
                    };
                    send_world(&mut server, inbound.client, &ack);
                    broadcast(
                        world,
                        &mut server,
                        Some(inbound.client),
                        revision,
                        inbound.player,
                        &inbound.action,
                    );
                    world.resource_mut::<AuthorityStats>().accepted += 1;
                }
                Err(rejection) => {
                    debug!(player = %inbound.player, action = inbound.action.name(), %rejection, "rejected");
                    let ack = HostWorldMessage::Ack {
                        seq: inbound.seq,
                        outcome: AckOutcome::Rejected(rejection),
                    };
                    send_world(&mut server, inbound.client, &ack);
                    world.resource_mut::<AuthorityStats>().rejected += 1;
                }
            }
        }
    });
}

fn advance_revision(
    world: &mut World,
    actor: PlayerId,
    action: &Action,
    changes: Plan,
) -> Revision {
    let mut current = world.resource_mut::<WorldRevision>();
    current.0 = current.0.next();
    let revision = current.0;
    world.write_message(ActionApplied {
        revision,
        actor,
        action: action.clone(),
        changes,
    });
    revision
}

/// Sends one encoded broadcast to every subscribed client but `except`, minus any
/// withheld by an injected [`BroadcastFaults`] fault.
fn broadcast(
    world: &mut World,
    server: &mut RenetServer,
    except: Option<ClientId>,
    revision: Revision,
    actor: PlayerId,
    action: &Action,
) {
    let message = HostWorldMessage::Broadcast {
        revision,
        actor,
        action: action.clone(),
    };
    let bytes =
        Bytes::from(encode(Channel::World, &message).expect("actions fit the world channel"));
    // Checked once per broadcast so the hot path stays allocation-free when no fault is armed.
    let armed = world
        .get_resource::<BroadcastFaults>()
        .is_some_and(|faults| !faults.is_empty());
    let withheld: Vec<ClientId> = if armed {
        let subscribers: Vec<ClientId> = world.resource::<Sessions>().subscribers().collect();
        let mut faults = world.resource_mut::<BroadcastFaults>();
        subscribers
            .into_iter()
            .filter(|client| Some(*client) != except && faults.take(*client))
            .collect()
    } else {
        Vec::new()
    };
    for client in &withheld {
        bevy_log::warn!(client, %revision, "injected fault: broadcast withheld");
    }
    for client in world.resource::<Sessions>().subscribers() {
        if Some(client) != except && !withheld.contains(&client) {
            server.send_message(client, Channel::World, bytes.clone());
        }
    }
}
