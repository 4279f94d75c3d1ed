//! The presence and state messages of both directions, and the host's per-tick batching.
//!
//! Client → host, one player's own stream, framed with the 2-byte sequence prefix of
//! [`crate::sequence`] so the host keeps only the newest:
//! * `presence`: [`ClientPresence`], 2 + 11 = 13 bytes.
//! * `state`: [`ClientState`], 2 + 1 = 3 bytes.
//!
//! Host → client, once per host tick and receiver, every other player that changed:
//! * `presence`: [`PresenceRelay`], 2 (tick) + 1 (count) + per player 1–3 (id) + 11.
//! * `state`: [`StateRelay`] behind the sequence prefix, 2 + 2 + 1 + per player 1–3 + 1.
//!
//! A relay carries the host tick rather than a per-receiver sequence number because a
//! tick's batch can be split over several unreliable messages: the receiver compares
//! ticks per player, so losing or reordering one part never discards the other parts.

use crate::channel::Channel;
use crate::ids::PlayerId;
use crate::presence::pose::PlayerState;
use crate::presence::transform::{QuantizedTransform, TRANSFORM_WIRE_BYTES};
use crate::sequence::{SEQUENCE_PREFIX_BYTES, Seq16};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The host's relay clock: counts host ticks, wrapping at 65535 (compared wrap-aware).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct HostTick(pub u16);

impl HostTick {
    /// The next tick.
    pub fn next(self) -> HostTick {
        HostTick(self.0.wrapping_add(1))
    }

    /// True when `self` is strictly later than `other` (within half the 16-bit circle).
    pub fn is_newer_than(self, other: HostTick) -> bool {
        Seq16(self.0).is_newer_than(Seq16(other.0))
    }

    /// True when `self` is `since` or later.
    pub fn is_at_or_after(self, since: HostTick) -> bool {
        self == since || self.is_newer_than(since)
    }
}

// Fixed two bytes: a running counter is above 16383 most of the time, where a varint
// would take three.
impl Serialize for HostTick {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.to_le_bytes().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for HostTick {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <[u8; 2]>::deserialize(deserializer).map(|b| HostTick(u16::from_le_bytes(b)))
    }
}

/// Client → host on `presence` (behind the sequence prefix): the player's transform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientPresence(pub QuantizedTransform);

/// Client → host on `state` (behind the sequence prefix): the player's pose state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientState(pub PlayerState);

/// One player's transform inside a [`PresenceRelay`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceEntry {
    /// Whose transform (the host fills this from the sender's connection).
    pub player: PlayerId,
    /// The transform.
    pub transform: QuantizedTransform,
}

/// Host → client on `presence`: transforms of other players at one host tick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceRelay {
    /// The host tick the batch was sent at.
    pub tick: HostTick,
    /// One entry per player, each player at most once.
    pub entries: Vec<PresenceEntry>,
}

/// One player's state inside a [`StateRelay`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateEntry {
    /// Whose state.
    pub player: PlayerId,
    /// The state.
    pub state: PlayerState,
}

/// Host → client on `state` (behind the sequence prefix): states of other players at one
/// host tick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateRelay {
    /// The host tick the batch was sent at.
    pub tick: HostTick,
    /// One entry per player, each player at most once.
    pub entries: Vec<StateEntry>,
}

/// Bytes of a relay's header at most: the 2-byte tick and a varint entry count below 2^14.
const RELAY_HEADER_BYTES: usize = 2 + 2;

/// Bytes postcard spends on a player id (a `u16` varint).
pub fn player_id_bytes(player: PlayerId) -> usize {
    match player.0 {
        0..=0x7f => 1,
        0x80..=0x3fff => 2,
        _ => 3,
    }
}

/// Splits one tick's transforms into as few [`PresenceRelay`]s as the `presence` cap
/// allows (one, unless more than ~85 players moved). Empty input gives no message.
pub fn presence_relays(tick: HostTick, entries: &[PresenceEntry]) -> Vec<PresenceRelay> {
    let budget = Channel::Presence.spec().max_message_bytes - RELAY_HEADER_BYTES;
    split(entries, budget, |e| {
        player_id_bytes(e.player) + TRANSFORM_WIRE_BYTES
    })
    .into_iter()
    .map(|entries| PresenceRelay { tick, entries })
    .collect()
}

/// Splits one tick's states into as few [`StateRelay`]s as the `state` cap allows,
/// leaving room for the sequence prefix. Empty input gives no message.
pub fn state_relays(tick: HostTick, entries: &[StateEntry]) -> Vec<StateRelay> {
    let budget =
        Channel::State.spec().max_message_bytes - SEQUENCE_PREFIX_BYTES - RELAY_HEADER_BYTES;
    split(entries, budget, |e| player_id_bytes(e.player) + 1)
        .into_iter()
        .map(|entries| StateRelay { tick, entries })
        .collect()
}

/// Greedy in-order split: each part's summed entry size stays within `budget`.
fn split<E: Copy>(entries: &[E], budget: usize, size: impl Fn(&E) -> usize) -> Vec<Vec<E>> {
    let mut parts: Vec<Vec<E>> = Vec::new();
    let mut used = budget; // forces a new part for the first entry
    for entry in entries {
        let bytes = size(entry);
        if used + bytes > budget {
            parts.push(Vec::new());
            used = 0;
        }
        used += bytes;
        parts
            .last_mut()
            .expect("a part was just pushed")
            .push(*entry);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{decode, encode, encode_unbounded};
    use crate::presence::pose::Posture;

    fn transform(i: u16) -> QuantizedTransform {
        QuantizedTransform {
            x_cm: -i32::from(i) * 1000,
            y_cm: 170,
            z_cm: i32::from(i) * 77,
            yaw: i.wrapping_mul(911),
            pitch: -3,
        }
    }

    #[test]
    fn player_id_size_matches_postcard() {
        for id in [0, 1, 127, 128, 200, 16383, 16384, 4095, u16::MAX] {
            let player = PlayerId(id);
            assert_eq!(
                player_id_bytes(player),
                encode_unbounded(&player).len(),
                "{id}"
            );
        }
    }

    #[test]
    fn one_relay_per_tick_until_the_cap_then_every_part_fits() {
        let entries: Vec<PresenceEntry> = (1..=300)
            .map(|i| PresenceEntry {
                player: PlayerId(i * 13),
                transform: transform(i),
            })
            .collect();
        assert_eq!(presence_relays(HostTick(5), &entries[..60]).len(), 1);
        let relays = presence_relays(HostTick(u16::MAX), &entries);
        assert!(relays.len() >= 4, "{} parts", relays.len());
        let mut seen = Vec::new();
        for relay in &relays {
            let bytes = encode(Channel::Presence, relay).expect("every part fits the cap");
            assert!(bytes.len() <= Channel::Presence.spec().max_message_bytes);
            let back: PresenceRelay = decode(Channel::Presence, &bytes).unwrap();
            assert_eq!(&back, relay);
            seen.extend(back.entries);
        }
        assert_eq!(seen, entries, "every entry once, in order");
        assert!(presence_relays(HostTick(1), &[]).is_empty());
    }

    #[test]
    fn state_parts_leave_room_for_the_sequence_prefix() {
        let entries: Vec<StateEntry> = (0..2000)
            .map(|i| StateEntry {
                player: PlayerId(16384 + i),
                state: PlayerState {
                    carrying: i % 2 == 0,
                    posture: Posture::Sitting,
                },
            })
            .collect();
        let relays = state_relays(HostTick(9), &entries);
        assert!(relays.len() > 1);
        for relay in &relays {
            let bytes = encode(Channel::State, relay).unwrap();
            assert!(bytes.len() + SEQUENCE_PREFIX_BYTES <= Channel::State.spec().max_message_bytes);
        }
        assert_eq!(relays.iter().map(|r| r.entries.len()).sum::<usize>(), 2000);
    }

    #[test]
    fn relay_size_is_exact() {
        let relay = PresenceRelay {
            tick: HostTick(40_000),
            entries: vec![PresenceEntry {
                player: PlayerId(3),
                transform: transform(7),
            }],
        };
        assert_eq!(
            encode_unbounded(&relay).len(),
            2 + 1 + 1 + TRANSFORM_WIRE_BYTES
        );
    }

    #[test]
    fn ticks_compare_across_the_wrap() {
        assert!(HostTick(0).is_newer_than(HostTick(u16::MAX)));
        assert!(HostTick(3).is_at_or_after(HostTick(3)));
        assert!(!HostTick(2).is_at_or_after(HostTick(3)));
        assert_eq!(HostTick(u16::MAX).next(), HostTick(0));
    }
}
