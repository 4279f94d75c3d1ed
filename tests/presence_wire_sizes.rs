//! Wire sizes of presence (SPEC §9, P8 budget): a transform update is 13 bytes
//! client → host, a state update 3; a relay costs 3 bytes plus 12 per player on
//! `presence` and 6 plus 2 per player on `state` (player ids below 128).

use racksync_protocol::presence::{
    ClientPresence, ClientState, encode_sequenced, presence_relays, state_relays,
};
use racksync_protocol::sequence::SequencedSender;
use racksync_protocol::{
    Channel, HostTick, PlayerId, PlayerState, Posture, PresenceEntry, QuantizedTransform,
    StateEntry, encode,
};

fn transform(i: i32) -> QuantizedTransform {
    QuantizedTransform {
        x_cm: -8_000_000 + i,
        y_cm: 32_000,
        z_cm: 8_000_000 - i,
        yaw: 65_535,
        pitch: -128,
    }
}

#[test]
fn client_updates_are_13_and_3_bytes() {
    let mut sender = SequencedSender::default();
    for i in 0..3 {
        let bytes = encode_sequenced(
            Channel::Presence,
            &mut sender,
            &ClientPresence(transform(i)),
        )
        .unwrap();
        assert_eq!(bytes.len(), 13);
    }
    let state = ClientState(PlayerState {
        carrying: true,
        posture: Posture::Sitting,
    });
    assert_eq!(
        encode_sequenced(Channel::State, &mut sender, &state)
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn relays_cost_twelve_and_two_bytes_per_player() {
    for players in [1usize, 2, 10, 63] {
        let transforms: Vec<PresenceEntry> = (1..=players)
            .map(|i| PresenceEntry {
                player: PlayerId(i as u16),
                transform: transform(i as i32),
            })
            .collect();
        let relays = presence_relays(HostTick(54_321), &transforms);
        assert_eq!(relays.len(), 1, "{players} players fit one message");
        let bytes = encode(Channel::Presence, &relays[0]).unwrap();
        assert_eq!(bytes.len(), 3 + 12 * players);

        let states: Vec<StateEntry> = (1..=players)
            .map(|i| StateEntry {
                player: PlayerId(i as u16),
                state: PlayerState::default(),
            })
            .collect();
        let relays = state_relays(HostTick(7), &states);
        let bytes =
            encode_sequenced(Channel::State, &mut SequencedSender::default(), &relays[0]).unwrap();
        assert_eq!(bytes.len(), 2 + 3 + 2 * players);
    }
}

#[test]
fn a_full_presence_relay_holds_99_players() {
    let transforms: Vec<PresenceEntry> = (1..=200u16)
        .map(|i| PresenceEntry {
            player: PlayerId(i % 100 + 1),
            transform: transform(i32::from(i)),
        })
        .collect();
    let relays = presence_relays(HostTick(1), &transforms);
    assert_eq!(
        relays.iter().map(|r| r.entries.len()).collect::<Vec<_>>(),
        vec![99, 99, 2]
    );
    for relay in &relays {
        assert!(encode(Channel::Presence, relay).unwrap().len() <= 1200);
    }
}

#[test]
fn roster_messages_cost_six_bytes_plus_the_name_and_three() {
    use racksync_protocol::{HostWorldMessage, RosterUpdate};
    let joined = HostWorldMessage::Roster(RosterUpdate::Joined {
        player: PlayerId(5),
        name: "alice".into(),
        since: HostTick(60_000),
    });
    assert_eq!(encode(Channel::World, &joined).unwrap().len(), 6 + 5);
    let left = HostWorldMessage::Roster(RosterUpdate::Left {
        player: PlayerId(5),
    });
    assert_eq!(encode(Channel::World, &left).unwrap().len(), 3);
}
