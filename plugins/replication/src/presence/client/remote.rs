//! Client: the other players — the roster from `world`, their transforms and states
//! from the host's relays.

use crate::client::{ClientSession, JoinState};
use crate::presence::stats::ClientPresenceStats;
use bevy_ecs::prelude::*;
use bevy_log::debug;
use bevy_renet::RenetClient;
use racksync_protocol::presence::{SequencedError, decode_sequenced};
use racksync_protocol::sequence::SequencedReceiver;
use racksync_protocol::{
    Channel, HostTick, PlayerId, PlayerState, PresenceRelay, QuantizedTransform, RosterUpdate,
    StateRelay, decode,
};
use std::collections::BTreeMap;

/// Another player as this client last heard of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemotePlayer {
    /// Display name.
    pub name: String,
    /// Latest transform, once one arrived.
    pub transform: Option<QuantizedTransform>,
    /// Latest state.
    pub state: PlayerState,
    /// Host tick of the applied transform.
    pub transform_tick: Option<HostTick>,
    /// Host tick of the applied state.
    pub state_tick: Option<HostTick>,
    /// Relays from before this tick belong to an earlier holder of the id.
    pub since: HostTick,
}

/// Every other player in the world, by id. Joins and leaves arrive reliably on `world`;
/// transforms and states on the unreliable relays, newest per player wins.
#[derive(Resource, Debug, Default)]
pub struct RemotePlayers {
    by_id: BTreeMap<PlayerId, RemotePlayer>,
}

impl RemotePlayers {
    /// A player.
    pub fn get(&self, player: PlayerId) -> Option<&RemotePlayer> {
        self.by_id.get(&player)
    }

    /// Every player in id order.
    pub fn iter(&self) -> impl Iterator<Item = (PlayerId, &RemotePlayer)> {
        self.by_id.iter().map(|(id, p)| (*id, p))
    }

    /// Number of other players.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// True when this client is alone.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Applies a roster change from the host.
    pub fn apply_roster(&mut self, update: RosterUpdate) {
        match update {
            RosterUpdate::Joined {
                player,
                name,
                since,
            } => {
                self.by_id.insert(
                    player,
                    RemotePlayer {
                        name,
                        transform: None,
                        state: PlayerState::default(),
                        transform_tick: None,
                        state_tick: None,
                        since,
                    },
                );
            }
            RosterUpdate::Left { player } => {
                self.by_id.remove(&player);
            }
        }
    }
}

/// The client's incoming sequenced `state` stream.
#[derive(Resource, Debug, Default)]
pub struct PresenceDownlink {
    state_in: SequencedReceiver,
}

/// Applies the host's presence and state relays to [`RemotePlayers`]. Per player, an
/// entry applies only if its host tick is newer than the one applied before and not
/// older than the player's join (so reordered or duplicated datagrams never move a
/// player backwards, and relays meant for a previous holder of a reused id are ignored).
/// Relays are accepted from Welcome on (while loading too: they do not touch the world);
/// once the connection is over the other players are forgotten.
///
/// Runs in [`crate::RacksyncSystems::Receive`] on the client, after the `world` channel
/// so that a roster change in the same packet is known.
pub fn receive_relays(
    mut client: ResMut<RenetClient>,
    session: Res<ClientSession>,
    mut players: ResMut<RemotePlayers>,
    mut downlink: ResMut<PresenceDownlink>,
    mut stats: ResMut<ClientPresenceStats>,
) {
    let welcomed = matches!(session.state, JoinState::Loading(_) | JoinState::Playing);
    if session.state.is_finished() && !players.is_empty() {
        // Disconnected: nobody is "there" any more.
        players.by_id.clear();
    }
    while let Some(bytes) = client.receive_message(Channel::Presence) {
        if !welcomed {
            continue;
        }
        let relay = match decode::<PresenceRelay>(Channel::Presence, &bytes) {
            Ok(relay) => relay,
            Err(error) => {
                debug!(%error, "dropping malformed presence relay");
                stats.junk_dropped += 1;
                continue;
            }
        };
        stats.presence_relays_received += 1;
        for entry in relay.entries {
            let Some(remote) = players.by_id.get_mut(&entry.player) else {
                stats.unknown_player_entries += 1;
                continue;
            };
            if fresh(relay.tick, remote.since, remote.transform_tick) {
                remote.transform = Some(entry.transform);
                remote.transform_tick = Some(relay.tick);
                stats.entries_applied += 1;
            } else {
                stats.stale_entries += 1;
            }
        }
    }
    while let Some(bytes) = client.receive_message(Channel::State) {
        if !welcomed {
            continue;
        }
        let relay =
            match decode_sequenced::<StateRelay>(Channel::State, &mut downlink.state_in, &bytes) {
                Ok((relay, _)) => relay,
                Err(SequencedError::Dropped(drop)) => {
                    debug!(%drop, "state relay out of sequence");
                    stats.sequenced_dropped += 1;
                    continue;
                }
                Err(SequencedError::Codec(error)) => {
                    debug!(%error, "dropping malformed state relay");
                    stats.junk_dropped += 1;
                    continue;
                }
            };
        stats.state_relays_received += 1;
        for entry in relay.entries {
            let Some(remote) = players.by_id.get_mut(&entry.player) else {
                stats.unknown_player_entries += 1;
                continue;
            };
            if fresh(relay.tick, remote.since, remote.state_tick) {
                remote.state = entry.state;
                remote.state_tick = Some(relay.tick);
                stats.entries_applied += 1;
            } else {
                stats.stale_entries += 1;
            }
        }
    }
}

/// An entry at `tick` applies if the player had joined by then and nothing newer applied.
fn fresh(tick: HostTick, since: HostTick, applied: Option<HostTick>) -> bool {
    tick.is_at_or_after(since) && applied.is_none_or(|last| tick.is_newer_than(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_is_per_player_and_respects_the_join_tick() {
        assert!(fresh(HostTick(10), HostTick(10), None));
        assert!(!fresh(HostTick(9), HostTick(10), None), "before the join");
        assert!(
            !fresh(HostTick(12), HostTick(10), Some(HostTick(12))),
            "duplicate"
        );
        assert!(
            !fresh(HostTick(11), HostTick(10), Some(HostTick(12))),
            "reordered"
        );
        assert!(
            fresh(HostTick(1), HostTick(65530), Some(HostTick(65535))),
            "wrap"
        );
    }
}
