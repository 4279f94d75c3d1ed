//! Host: reading `presence` and `state` from every connection, and dropping players
//! that went silent.

use super::book::PresenceBook;
use crate::host::{Admission, SessionPhase, Sessions, charge, close};
use crate::presence::settings::PresenceSettings;
use crate::presence::stats::HostPresenceStats;
use bevy_ecs::prelude::*;
use bevy_log::{debug, info};
use bevy_renet::RenetServer;
use bevy_time::{Real, Time};
use core::time::Duration;
use racksync_protocol::presence::{ClientPresence, ClientState, SequencedError, decode_sequenced};
use racksync_protocol::sequence::SequencedDrop;
use racksync_protocol::{Channel, Refusal};
use renet::{Bytes, ClientId};

/// Drains every connection's `presence` and `state` channels within the client's
/// budgets. A player's latest transform and state replace the previous ones; stale,
/// duplicate and malformed messages are counted and dropped (never a panic, never a
/// disconnect: these channels are unreliable and junk on them costs the sender only its
/// own updates); traffic over budget is refused, and persistently over it kicked.
/// Connections without a roster entry (not yet welcomed, or closing) are drained and
/// ignored.
///
/// Runs in [`crate::RacksyncSystems::Receive`] on the host, after the `world` channel.
pub fn receive_presence(world: &mut World) {
    let now = world.resource::<Time<Real>>().elapsed();
    let clients: Vec<ClientId> = world
        .resource::<Sessions>()
        .iter()
        .map(|(id, _)| id)
        .collect();
    // Charged message by message, applied together: the book is scoped out of the world
    // once per frame, not once per message.
    let mut admitted: Vec<(ClientId, Channel, Bytes)> = Vec::new();
    world.resource_scope::<RenetServer, _>(|world, mut server| {
        for client in clients {
            for channel in [Channel::Presence, Channel::State] {
                while let Some(bytes) = server.receive_message(client, channel) {
                    match charge(world, client, channel, bytes.len()) {
                        Admission::Admit => admitted.push((client, channel, bytes)),
                        Admission::Refuse => {
                            world.resource_mut::<HostPresenceStats>().over_budget += 1;
                        }
                        Admission::Kick(over) => {
                            let reason = Refusal::Kicked(over.to_string());
                            close(world, &mut server, client, reason);
                        }
                    }
                }
            }
        }
    });
    if admitted.is_empty() {
        return;
    }
    world.resource_scope::<PresenceBook, _>(|world, mut book| {
        let mut stats = world.resource_mut::<HostPresenceStats>();
        for (client, channel, bytes) in admitted {
            accept(&mut book, &mut stats, client, channel, &bytes, now);
        }
    });
}

/// Applies one presence or state message within budget.
fn accept(
    book: &mut PresenceBook,
    stats: &mut HostPresenceStats,
    client: ClientId,
    channel: Channel,
    bytes: &[u8],
    now: Duration,
) {
    let Some(entry) = book.by_client.get_mut(&client) else {
        stats.junk_dropped += 1;
        return;
    };
    if channel == Channel::Presence {
        match decode_sequenced::<ClientPresence>(channel, &mut entry.presence_in, bytes) {
            Ok((ClientPresence(transform), seq)) => {
                entry.transform = Some(transform);
                entry.transform_seq = Some(seq);
                entry.transform_dirty = true;
                entry.last_heard = now;
                stats.transforms_received += 1;
            }
            Err(error) => count_drop(stats, &mut entry.last_heard, now, client, error),
        }
    } else {
        match decode_sequenced::<ClientState>(channel, &mut entry.state_in, bytes) {
            Ok((ClientState(state), seq)) => {
                entry.state = state;
                entry.state_seq = Some(seq);
                entry.state_dirty = true;
                entry.last_heard = now;
                stats.states_received += 1;
            }
            Err(error) => count_drop(stats, &mut entry.last_heard, now, client, error),
        }
    }
}

/// A stale or duplicate message is still a sign of life; junk is not.
fn count_drop(
    stats: &mut HostPresenceStats,
    last_heard: &mut Duration,
    now: Duration,
    client: ClientId,
    error: SequencedError,
) {
    match error {
        SequencedError::Dropped(SequencedDrop::Stale(_)) => {
            stats.stale_dropped += 1;
            *last_heard = now;
        }
        SequencedError::Dropped(SequencedDrop::Duplicate(_)) => {
            stats.duplicates_dropped += 1;
            *last_heard = now;
        }
        SequencedError::Dropped(SequencedDrop::Truncated) | SequencedError::Codec(_) => {
            // debug, not warn: a hostile peer must not be able to flood the log.
            debug!(client, %error, "dropping malformed presence message");
            stats.junk_dropped += 1;
        }
    }
}

/// Drops players that sent no presence or state for
/// [`PresenceSettings::silence_timeout`]: they get `Refused(Silent)` and the connection
/// closes after the usual linger; the roster then reports them gone and the authority
/// releases what they held. While a player's snapshot is still streaming its clock is
/// held, because a loading client sends nothing.
///
/// Runs in [`crate::RacksyncSystems::Receive`] on the host, after [`receive_presence`].
pub fn drop_silent(world: &mut World) {
    let now = world.resource::<Time<Real>>().elapsed();
    let timeout = world.resource::<PresenceSettings>().silence_timeout;
    let mut silent = Vec::new();
    world.resource_scope::<PresenceBook, _>(|world, mut book| {
        let sessions = world.resource::<Sessions>();
        for (client, entry) in book.by_client.iter_mut() {
            match sessions.get(*client).map(|s| &s.phase) {
                Some(SessionPhase::Loading(_)) => entry.last_heard = now,
                Some(SessionPhase::Playing)
                    if now.saturating_sub(entry.last_heard) >= timeout && !entry.silenced =>
                {
                    entry.silenced = true;
                    silent.push((*client, entry.player));
                }
                _ => {}
            }
        }
    });
    if silent.is_empty() {
        return;
    }
    let seconds = u16::try_from(timeout.as_secs()).unwrap_or(u16::MAX);
    world.resource_scope::<RenetServer, _>(|world, mut server| {
        for (client, player) in silent {
            info!(client, %player, seconds, "dropping silent player");
            world.resource_mut::<HostPresenceStats>().silent_dropped += 1;
            close(world, &mut server, client, Refusal::Silent { seconds });
        }
    });
}
