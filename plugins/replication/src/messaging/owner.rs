//! The instance owner (SPEC §10): the first player, or a configured one, owns the
//! instance; when the owner leaves, the player present longest takes over, and every
//! player hears of each change.

use super::delivery::OwnerChanged;
use super::settings::MessagingSettings;
use crate::host::{Sessions, send_world};
use bevy_ecs::prelude::*;
use bevy_log::info;
use bevy_renet::RenetServer;
use racksync_protocol::{HostWorldMessage, PlayerId};
use racksync_world::Player;
use renet::ClientId;
use std::collections::{BTreeMap, BTreeSet};

/// Who owns the instance, on the host and (as last told) on every client.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InstanceOwner {
    /// The owner; `None` while no player is present.
    pub owner: Option<PlayerId>,
}

/// The host's bookkeeping behind [`InstanceOwner`].
#[derive(Resource, Debug, Default)]
pub struct OwnerBook {
    /// When each present player was first seen, as a running count (lower: earlier).
    arrival: BTreeMap<PlayerId, u64>,
    next_arrival: u64,
    /// Connections told the current owner.
    informed: BTreeSet<ClientId>,
}

/// Picks the owner and tells the players. Runs in [`crate::RacksyncSystems::Process`]
/// on the host.
pub fn track_owner(
    sessions: Res<Sessions>,
    players: Query<&Player>,
    settings: Res<MessagingSettings>,
    mut owner: ResMut<InstanceOwner>,
    mut book: ResMut<OwnerBook>,
    mut server: ResMut<RenetServer>,
    mut changed: MessageWriter<OwnerChanged>,
) {
    let present: Vec<(ClientId, PlayerId)> = sessions
        .iter()
        .filter(|(_, s)| s.subscribed())
        .filter_map(|(client, s)| s.player.map(|p| (client, p)))
        .collect();
    let book = &mut *book;
    book.arrival
        .retain(|p, _| present.iter().any(|(_, q)| q == p));
    for (_, player) in &present {
        if !book.arrival.contains_key(player) {
            book.arrival.insert(*player, book.next_arrival);
            book.next_arrival += 1;
        }
    }
    let preferred = settings.preferred_owner.as_deref().and_then(|name| {
        players
            .iter()
            .find(|p| p.name == name && book.arrival.contains_key(&p.id))
            .map(|p| p.id)
    });
    let wanted = preferred
        .or(owner.owner.filter(|o| book.arrival.contains_key(o)))
        .or_else(|| {
            book.arrival
                .iter()
                .min_by_key(|(_, arrival)| **arrival)
                .map(|(p, _)| *p)
        });
    if wanted != owner.owner {
        info!(from = ?owner.owner, to = ?wanted, "instance owner changed");
        owner.owner = wanted;
        changed.write(OwnerChanged { owner: wanted });
        book.informed.clear();
    }
    book.informed
        .retain(|c| present.iter().any(|(d, _)| d == c));
    for (client, _) in &present {
        if book.informed.insert(*client) {
            send_world(&mut server, *client, &HostWorldMessage::Owner(owner.owner));
        }
    }
}
