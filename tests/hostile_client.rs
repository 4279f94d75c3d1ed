//! Malicious clients against a host with honest players (SPEC §11): crafted renet
//! packets that panic renet 2.0.1, garbage datagrams, oversized messages, action
//! floods and datagram floods. Each time the host stays up, the offender is told why
//! and disconnected, and the honest players keep getting prompt ACKs and converge.

use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::{
    AckOutcome, Action, Channel, ClientWorldMessage, Hello, HostWorldMessage, ObjectId, ObjectKind,
    PROTOCOL_VERSION, Property, Refusal, Rejection, protocol_hash,
};
use racksync_replication::ClientBudgets;
use racksync_transport::PacketGuard;
use racksync_transport::guard::craft::{messages_packet, slice_packet};
use racksync_transport::guard::renet_wire::SLICE_SIZE;
use racksync_world::queries::loose_objects;

/// Most steps (16 ms each) an honest action may wait for its outcome while the host is
/// under attack: the link is perfect, so an ACK normally takes one or two.
const ACK_BOUND_STEPS: usize = 6;

/// A host with two honest players, and a raw connection for the attacker.
struct Arena {
    harness: Harness,
    honest: [usize; 2],
    attacker: usize,
    /// Loose servers the honest players relabel.
    targets: [ObjectId; 2],
    labels: u32,
    /// Every `world` message the attacker received (drained while waiting for its kick).
    attacker_inbox: Vec<HostWorldMessage>,
}

impl Arena {
    fn new(seed: u64) -> Self {
        let mut harness = Harness::memory(default_world().unwrap(), seed);
        let honest = [harness.add_client("alice"), harness.add_client("bob")];
        let attacker = harness.add_raw_client();
        harness.join_all(200);
        assert!(harness.run_until(50, |h| h.raw_connected(attacker)));
        let loose = loose_objects(harness.host.world(), ObjectKind::Server1U);
        Self {
            harness,
            honest,
            attacker,
            targets: [loose[0], loose[1]],
            labels: 0,
            attacker_inbox: Vec::new(),
        }
    }

    /// The attacker says Hello, so that its world messages reach the authority.
    fn attacker_joins(&mut self) {
        let hello = ClientWorldMessage::Hello(Hello {
            protocol_version: PROTOCOL_VERSION,
            protocol_hash: protocol_hash(),
            name: "mallory".into(),
        });
        self.harness.raw_send(self.attacker, &hello);
        let attacker = self.attacker;
        let mut welcomed = false;
        self.harness.run_until(50, |_| false);
        for message in self.harness.raw_receive(attacker) {
            welcomed |= matches!(message, HostWorldMessage::Welcome(_));
        }
        assert!(welcomed, "the attacker is welcomed like anyone");
    }

    /// Each honest player relabels its server, and the outcome arrives within the bound.
    /// `attack` runs before every step in between.
    fn honest_round(&mut self, attack: &mut impl FnMut(&mut Harness, usize)) {
        for (player, target) in self.honest.into_iter().zip(self.targets) {
            self.labels += 1;
            let before = self.harness.recorded(player).outcomes.len();
            self.harness.perform(
                player,
                Action::SetProperty {
                    object: target,
                    value: Property::Label(Some(format!("rack label {}", self.labels))),
                },
            );
            let mut steps = 0;
            while self.harness.recorded(player).outcomes.len() == before {
                assert!(
                    steps < ACK_BOUND_STEPS,
                    "an honest action waited more than {ACK_BOUND_STEPS} steps"
                );
                attack(&mut self.harness, self.attacker);
                self.harness.step();
                steps += 1;
            }
        }
    }

    /// Runs honest rounds under `attack` until the attacker was told it is kicked and
    /// was disconnected; returns the reason it was given.
    fn until_kicked(&mut self, mut attack: impl FnMut(&mut Harness, usize)) -> String {
        let mut reason = None;
        for _ in 0..100 {
            self.honest_round(&mut attack);
            for message in self.harness.raw_receive(self.attacker) {
                if let HostWorldMessage::Refused(Refusal::Kicked(why)) = &message {
                    reason = Some(why.clone());
                }
                self.attacker_inbox.push(message);
            }
            if reason.is_some() && !self.harness.raw_connected(self.attacker) {
                break;
            }
        }
        let reason = reason.expect("the attacker was told it is kicked");
        assert!(
            !self.harness.raw_connected(self.attacker),
            "the kicked attacker was disconnected"
        );
        reason
    }

    /// The honest players keep playing after the attack and converge with the host.
    fn honest_players_converge(&mut self) {
        let mut idle = |_: &mut Harness, _: usize| {};
        for _ in 0..3 {
            self.honest_round(&mut idle);
        }
        assert!(
            self.harness.run_until(200, |h| h.converged()),
            "honest players converge"
        );
        let answered = self.harness.recorded(self.honest[0]).outcomes.len();
        assert!(answered >= 3, "the honest players kept acting");
    }

    fn guard(&self) -> &PacketGuard {
        self.harness.host.world().resource::<PacketGuard>()
    }
}

#[test]
fn a_slice_past_its_slice_count_is_kicked_not_a_crash() {
    let mut arena = Arena::new(1);
    let reason = arena.until_kicked(|h, attacker| {
        h.raw_send_datagram(
            attacker,
            slice_packet(true, Channel::World.id(), 0, 5, 3, &[0; SLICE_SIZE]),
        );
    });
    assert_eq!(reason, "slice 5 of a 3-slice message");
    assert_eq!(arena.guard().stats().kicked, 1);
    arena.honest_players_converge();
}

#[test]
fn a_slice_count_changing_mid_message_is_kicked() {
    let mut arena = Arena::new(2);
    let mut sent = 0;
    let reason = arena.until_kicked(|h, attacker| {
        let (index, count) = if sent == 0 { (0, 2) } else { (3, 4) };
        sent += 1;
        h.raw_send_datagram(
            attacker,
            slice_packet(
                true,
                Channel::World.id(),
                40,
                index,
                count,
                &[0; SLICE_SIZE],
            ),
        );
    });
    assert_eq!(reason, "message 40 claimed 2 slices, then 4");
    arena.honest_players_converge();
}

#[test]
fn garbage_datagrams_are_kicked() {
    let mut arena = Arena::new(3);
    let mut state = 0x9e37_79b9_u32;
    let reason = arena.until_kicked(|h, attacker| {
        let garbage: Vec<u8> = (0..64)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        h.raw_send_datagram(attacker, garbage);
    });
    assert!(!reason.is_empty());
    assert_eq!(
        arena.guard().stats().kicked,
        1,
        "kicked by the packet guard: {reason}"
    );
    arena.honest_players_converge();
}

#[test]
fn traffic_on_a_host_only_channel_is_kicked() {
    let mut arena = Arena::new(4);
    let reason = arena.until_kicked(|h, attacker| {
        h.raw_send_datagram(
            attacker,
            messages_packet(true, Channel::Bulk.id(), &[b"hi"]),
        );
    });
    assert_eq!(reason, "clients do not send on channel 4");
    arena.honest_players_converge();
}

#[test]
fn a_message_larger_than_its_channel_is_kicked_at_the_packet_guard() {
    let mut arena = Arena::new(5);
    let mut sent = false;
    let reason = arena.until_kicked(|h, attacker| {
        if !std::mem::replace(&mut sent, true) {
            // renet slices it into 17 slices; the world channel holds at most 15.
            h.raw_send_bytes(attacker, Channel::World, vec![0; 20_000]);
        }
    });
    assert_eq!(
        reason,
        "message of 20400 bytes on channel 0 (at most 17408)"
    );
    arena.honest_players_converge();
}

#[test]
fn a_message_over_the_codec_cap_is_a_protocol_violation() {
    let mut arena = Arena::new(6);
    // Within the guard's slice count (14 slices) but over the world codec cap.
    let cap = Channel::World.spec().max_message_bytes;
    arena
        .harness
        .raw_send_bytes(arena.attacker, Channel::World, vec![0; cap + 100]);
    let attacker = arena.attacker;
    let mut refusal = None;
    // Drained every step: a disconnected renet client hands out nothing.
    for _ in 0..100 {
        arena.harness.step();
        for message in arena.harness.raw_receive(attacker) {
            if let HostWorldMessage::Refused(reason) = message {
                refusal = Some(reason);
            }
        }
    }
    assert!(
        refusal
            == Some(Refusal::ProtocolViolation(format!(
                "{}-byte message exceeds the {cap}-byte cap of channel World",
                cap + 100
            ))),
        "{refusal:?}"
    );
    assert!(!arena.harness.raw_connected(attacker));
    arena.honest_players_converge();
}

#[test]
fn an_action_flood_is_rate_limited_then_kicked() {
    let mut arena = Arena::new(7);
    arena.attacker_joins();
    let target = arena.targets[0];
    let mut seq = 0u16;
    let reason = arena.until_kicked(|h, attacker| {
        for _ in 0..40 {
            seq = seq.wrapping_add(1);
            let action = ClientWorldMessage::Action {
                seq,
                action: Action::PickUp { object: target },
            };
            h.raw_send(attacker, &action);
        }
    });
    let rate_limited = arena
        .attacker_inbox
        .iter()
        .filter(|m| {
            matches!(
                m,
                HostWorldMessage::Ack {
                    outcome: AckOutcome::Rejected(Rejection::RateLimited),
                    ..
                }
            )
        })
        .count();
    assert_eq!(reason, "persistently over its action budget");
    assert!(
        rate_limited >= 50,
        "refused actions were answered: {rate_limited}"
    );
    let budgets = arena.harness.host.world().resource::<ClientBudgets>();
    assert!(budgets.stats().actions_refused > 100);
    assert_eq!(budgets.stats().kicked, 1);
    arena.honest_players_converge();
}

#[test]
fn a_datagram_flood_is_dropped_then_kicked() {
    let mut arena = Arena::new(8);
    let reason = arena.until_kicked(|h, attacker| {
        // 120 KB per 16 ms step: about 7.5 MB/s of well-formed presence packets.
        for _ in 0..100 {
            h.raw_send_datagram(
                attacker,
                messages_packet(false, Channel::Presence.id(), &[&[0; 1190]]),
            );
        }
    });
    assert_eq!(reason, "flooding (more than 524288 bytes/s)");
    assert!(arena.guard().stats().dropped > 400);
    arena.honest_players_converge();
}
