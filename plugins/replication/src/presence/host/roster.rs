//! Host: keeping the roster in step with the sessions — announcing joins and leaves on
//! `world`, and reporting every leave as a [`PlayerLeft`] message for the authority.

use super::book::{PlayerPresence, PresenceBook, RelayClock};
use crate::host::{Sessions, send_world};
use bevy_ecs::prelude::*;
use bevy_log::info;
use bevy_renet::RenetServer;
use bevy_time::{Real, Time};
use racksync_protocol::{HostWorldMessage, PlayerId, QuantizedTransform, RosterUpdate};
use racksync_world::Player;
use renet::ClientId;

/// Why a player left the roster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeaveCause {
    /// The connection ended or was closed (Goodbye, transport timeout, kick).
    Disconnected,
    /// Dropped after the silence timeout.
    Silent,
}

/// A player left the world. Written by the host's roster system in
/// [`crate::RacksyncSystems::Receive`]; the authority releases what the player held at
/// `last_transform` in the same frame's `Process`.
#[derive(Message, Clone, Debug, PartialEq, Eq)]
pub struct PlayerLeft {
    /// The player.
    pub player: PlayerId,
    /// Its connection.
    pub client: ClientId,
    /// The last transform the host accepted from it, if any.
    pub last_transform: Option<QuantizedTransform>,
    /// Why it left.
    pub cause: LeaveCause,
}

/// Compares the roster with the sessions. A player whose session ended or is closing
/// leaves: every remaining player gets `Roster(Left)` and a [`PlayerLeft`] message is
/// written. A newly welcomed player joins: it gets one `Roster(Joined)` per player
/// already present (right behind its Welcome on the ordered `world` channel) and every
/// other player gets its `Joined`; its first relay then carries everyone's transform and
/// state.
///
/// Runs in [`crate::RacksyncSystems::Receive`] on the host, after
/// [`super::receive::drop_silent`].
pub fn sync_roster(
    mut server: ResMut<RenetServer>,
    sessions: Res<Sessions>,
    mut book: ResMut<PresenceBook>,
    clock: Res<RelayClock>,
    players: Query<&Player>,
    time: Res<Time<Real>>,
    mut left: MessageWriter<PlayerLeft>,
) {
    let departed: Vec<ClientId> = book
        .by_client
        .keys()
        .copied()
        .filter(|client| !sessions.get(*client).is_some_and(|s| s.subscribed()))
        .collect();
    for client in departed {
        let Some(entry) = book.by_client.remove(&client) else {
            continue;
        };
        info!(client, player = %entry.player, "player left the roster");
        let message = HostWorldMessage::Roster(RosterUpdate::Left {
            player: entry.player,
        });
        for other in book.by_client.keys() {
            send_world(&mut server, *other, &message);
        }
        left.write(PlayerLeft {
            player: entry.player,
            client,
            last_transform: entry.transform,
            cause: if entry.silenced {
                LeaveCause::Silent
            } else {
                LeaveCause::Disconnected
            },
        });
    }

    let now = time.elapsed();
    for (client, session) in sessions.iter() {
        let Some(player) = session.player else {
            continue;
        };
        if !session.subscribed() || book.by_client.contains_key(&client) {
            continue;
        }
        let name = session
            .entity
            .and_then(|entity| players.get(entity).ok())
            .map(|p| p.name.clone())
            .unwrap_or_default();
        for entry in book.by_client.values() {
            let existing = HostWorldMessage::Roster(RosterUpdate::Joined {
                player: entry.player,
                name: entry.name.clone(),
                since: entry.since,
            });
            send_world(&mut server, client, &existing);
        }
        let joined = HostWorldMessage::Roster(RosterUpdate::Joined {
            player,
            name: name.clone(),
            since: clock.0,
        });
        for other in book.by_client.keys() {
            send_world(&mut server, *other, &joined);
        }
        book.by_client
            .insert(client, PlayerPresence::new(player, name, now, clock.0));
    }
}
