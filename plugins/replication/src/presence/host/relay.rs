//! Host: relaying what changed this tick to every other player, batched.

use super::book::{PresenceBook, RelayClock};
use crate::presence::stats::HostPresenceStats;
use bevy_ecs::prelude::*;
use bevy_log::error;
use bevy_renet::RenetServer;
use racksync_protocol::presence::{encode_sequenced, presence_relays, state_relays};
use racksync_protocol::{Channel, PresenceEntry, StateEntry, encode};
use renet::{Bytes, ClientId};

/// Sends every player, once per host tick, the transforms and states of the *other*
/// players that arrived since the last tick (everything, for a player that just joined):
/// one `PresenceRelay` on `presence` and one `StateRelay` on `state`, each split only if
/// it would exceed its channel's cap. Nothing is sent to a player when nothing changed.
/// Then the relay clock advances.
///
/// Runs in [`crate::RacksyncSystems::Replicate`] on the host.
pub fn relay_presence(
    mut server: ResMut<RenetServer>,
    mut book: ResMut<PresenceBook>,
    mut clock: ResMut<RelayClock>,
    mut stats: ResMut<HostPresenceStats>,
) {
    let tick = clock.0;
    clock.0 = tick.next();
    if book.by_client.is_empty() {
        return;
    }
    // (sender, entry, changed this tick), in client order.
    let transforms: Vec<(ClientId, PresenceEntry, bool)> = book
        .by_client
        .iter()
        .filter_map(|(client, p)| {
            p.transform.map(|transform| {
                let entry = PresenceEntry {
                    player: p.player,
                    transform,
                };
                (*client, entry, p.transform_dirty)
            })
        })
        .collect();
    let states: Vec<(ClientId, StateEntry, bool)> = book
        .by_client
        .iter()
        .map(|(client, p)| {
            let entry = StateEntry {
                player: p.player,
                state: p.state,
            };
            (*client, entry, p.state_dirty)
        })
        .collect();

    for (receiver, presence) in book.by_client.iter_mut() {
        let wanted =
            |sender: &ClientId, dirty: &bool| *sender != *receiver && (*dirty || presence.catch_up);
        let outgoing: Vec<PresenceEntry> = transforms
            .iter()
            .filter(|(sender, _, dirty)| wanted(sender, dirty))
            .map(|(_, entry, _)| *entry)
            .collect();
        for relay in presence_relays(tick, &outgoing) {
            match encode(Channel::Presence, &relay) {
                Ok(bytes) => {
                    stats.presence_relays_sent += 1;
                    stats.presence_entries_sent += relay.entries.len() as u64;
                    stats.presence_relay_bytes += bytes.len() as u64;
                    server.send_message(*receiver, Channel::Presence, Bytes::from(bytes));
                }
                // presence_relays sizes every part to the cap; reaching this is a bug in it.
                Err(error) => error!(%error, "presence relay over its cap"),
            }
        }
        let outgoing: Vec<StateEntry> = states
            .iter()
            .filter(|(sender, _, dirty)| wanted(sender, dirty))
            .map(|(_, entry, _)| *entry)
            .collect();
        for relay in state_relays(tick, &outgoing) {
            match encode_sequenced(Channel::State, &mut presence.state_out, &relay) {
                Ok(bytes) => {
                    stats.state_relays_sent += 1;
                    stats.state_relay_bytes += bytes.len() as u64;
                    server.send_message(*receiver, Channel::State, Bytes::from(bytes));
                }
                Err(error) => error!(%error, "state relay over its cap"),
            }
        }
        presence.catch_up = false;
    }
    for presence in book.by_client.values_mut() {
        presence.transform_dirty = false;
        presence.state_dirty = false;
    }
}
