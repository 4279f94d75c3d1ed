//! Hostile input on `presence` and `state` never panics the host or a client, is counted
//! and dropped without disconnecting anyone, and cannot poison a stream: genuine updates
//! after junk still apply. A client cannot speak for another player: its updates carry
//! no player id, the host takes it from the connection.

use proptest::prelude::*;
use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::presence::{
    ClientPresence, ClientState, decode_sequenced, encode_sequenced,
};
use racksync_protocol::sequence::{SequencedReceiver, SequencedSender};
use racksync_protocol::{
    Channel, ClientWorldMessage, Hello, PROTOCOL_VERSION, PresenceRelay, QuantizedTransform,
    protocol_hash,
};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn arbitrary_bytes_never_panic_any_presence_decoder(bytes in proptest::collection::vec(any::<u8>(), 0..1400)) {
        let mut receiver = SequencedReceiver::default();
        let _ = decode_sequenced::<ClientPresence>(Channel::Presence, &mut receiver, &bytes);
        let _ = decode_sequenced::<ClientState>(Channel::State, &mut receiver, &bytes);
        let _ = decode_sequenced::<racksync_protocol::StateRelay>(Channel::State, &mut receiver, &bytes);
        let _ = racksync_protocol::decode::<PresenceRelay>(Channel::Presence, &bytes);
    }
}

#[test]
fn junk_is_dropped_and_the_stream_survives() {
    let mut harness = Harness::memory(default_world().unwrap(), 81);
    let bob = harness.add_client("bob");
    harness.join_all(200);
    let raw = harness.add_raw_client();
    harness.step();
    harness.raw_send(
        raw,
        &ClientWorldMessage::Hello(Hello {
            protocol_version: PROTOCOL_VERSION,
            protocol_hash: protocol_hash(),
            name: "mallory".into(),
        }),
    );
    harness.run(5);
    harness.raw_receive(raw);
    let junk: Vec<(Channel, Vec<u8>)> = vec![
        (Channel::Presence, vec![]),
        (Channel::Presence, vec![0xff]),
        // A far-ahead sequence number in front of a too-short transform.
        (Channel::Presence, vec![0x00, 0x70, 1, 2, 3]),
        // A valid transform followed by a trailing byte.
        (
            Channel::Presence,
            [vec![0x00, 0x70], vec![0; 11], vec![9]].concat(),
        ),
        // (A message over the slice size would be sliced by renet; no honest client
        // slices on `presence`, so the packet guard kicks that sender:
        // transport's guard tests and tests/hostile_client.rs.)
        (Channel::Presence, vec![0; 1200]),
        (Channel::State, vec![0x00, 0x70, 0xff]),
        (Channel::State, vec![0x00, 0x70, 0x03]),
        (Channel::State, vec![0x00]),
    ];
    let count = junk.len() as u64;
    for (channel, bytes) in junk {
        harness.raw_send_bytes(raw, channel, bytes);
    }
    harness.run(3);
    assert!(
        harness.raw_connected(raw),
        "junk on unreliable channels is not a kick"
    );
    assert_eq!(harness.host_presence_stats().junk_dropped, count);

    // Sequence 0 is 0x7000 behind the junk's numbers: had junk advanced the stream, these
    // would be dropped as stale.
    let transform = QuantizedTransform::from_metres([5.0, 0.0, 5.0], 0.0, 0.0);
    let mut sender = SequencedSender::default();
    let bytes =
        encode_sequenced(Channel::Presence, &mut sender, &ClientPresence(transform)).unwrap();
    harness.raw_send_bytes(raw, Channel::Presence, bytes);
    harness.run(3);
    let mallory = harness
        .remote_players(bob)
        .iter()
        .find(|(_, p)| p.name == "mallory")
        .map(|(id, p)| (id, p.transform));
    let (mallory_id, seen) = mallory.expect("bob knows mallory");
    assert_eq!(seen, Some(transform));
    assert_eq!(
        harness
            .presence_book()
            .player(mallory_id)
            .unwrap()
            .transform,
        Some(transform)
    );
    assert_eq!(
        harness.host_presence_stats().transforms_received,
        1,
        "bob never moved"
    );
}
