//! Raw byte messages (SPEC §10): each send type's guarantees over a lossy, reordering,
//! duplicating link; targets; the sender's byte budget with its probes; oversized and
//! overflowing messages refused with an error, never silently.

use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::raw::{MAX_RAW_RELIABLE_BYTES, MAX_RAW_UNRELIABLE_BYTES};
use racksync_protocol::{EventSender, RawError, RawTarget, SendType};
use racksync_replication::messaging::MessagingSettings;
use racksync_transport::LinkConditions;
use std::time::Duration;

const ALICE: usize = 0;
const BOB: usize = 1;
const CAROL: usize = 2;

/// Alice and bob on perfect links, carol on a bad one (both directions).
fn players(carol_link: LinkConditions) -> Harness {
    let mut h = Harness::memory(default_world().unwrap(), 21);
    h.add_client("alice");
    h.add_client("bob");
    h.add_client_with("carol", carol_link.clone(), carol_link);
    h.join_all(2_000);
    h
}

fn bad_link() -> LinkConditions {
    LinkConditions {
        latency: Duration::from_millis(40),
        jitter: Duration::from_millis(30),
        loss: 0.2,
        duplicate: 0.1,
        reorder: 0.2,
    }
}

/// Numbered payloads, so receivers can tell order, loss and duplicates.
fn numbered(n: u32, len: usize) -> Vec<u8> {
    let mut bytes = n.to_le_bytes().to_vec();
    bytes.resize(len, (n % 251) as u8);
    bytes
}

fn numbers_from(h: &Harness, client: usize, send_type: SendType) -> Vec<u32> {
    h.recorded(client)
        .raw
        .iter()
        .filter(|r| r.send_type == send_type)
        .map(|r| {
            let n = u32::from_le_bytes(r.bytes[..4].try_into().unwrap());
            assert_eq!(r.bytes, numbered(n, r.bytes.len()), "payload intact");
            n
        })
        .collect()
}

/// Sends `count` numbered messages of one type from alice to carol, a few per step.
fn stream(h: &mut Harness, send_type: SendType, count: u32) {
    let carol = h.player(CAROL).unwrap();
    for n in 0..count {
        h.send_raw(
            ALICE,
            RawTarget::Players(vec![carol]),
            send_type,
            numbered(n, 40),
        )
        .unwrap();
        if n % 4 == 3 {
            h.step();
        }
    }
    h.run(400);
}

#[test]
fn reliable_raw_messages_all_arrive_once_in_order_over_a_bad_link() {
    let mut h = players(bad_link());
    stream(&mut h, SendType::Reliable, 200);
    assert_eq!(
        numbers_from(&h, CAROL, SendType::Reliable),
        (0..200).collect::<Vec<u32>>()
    );
}

#[test]
fn unreliable_sequenced_raw_messages_are_never_stale_or_repeated() {
    let mut h = players(bad_link());
    stream(&mut h, SendType::UnreliableSequenced, 400);
    let got = numbers_from(&h, CAROL, SendType::UnreliableSequenced);
    assert!(
        got.windows(2).all(|w| w[0] < w[1]),
        "strictly increasing: {got:?}"
    );
    assert!(got.len() > 100, "most arrive: {}", got.len());
    assert!(
        got.len() < 400,
        "the link lost or dropped some (stale ones)"
    );
}

#[test]
fn unreliable_raw_messages_may_be_lost_or_reordered_but_arrive_intact() {
    let mut h = players(bad_link());
    stream(&mut h, SendType::Unreliable, 400);
    let got = numbers_from(&h, CAROL, SendType::Unreliable);
    assert!(got.len() > 100, "most arrive: {}", got.len());
    assert!(got.iter().all(|n| *n < 400));
    let in_order = got.windows(2).all(|w| w[0] < w[1]);
    assert!(
        !in_order,
        "this link reorders or duplicates unreliable messages"
    );
}

#[test]
fn raw_messages_reach_only_their_targets_and_carry_their_sender() {
    let mut h = players(LinkConditions::default());
    let alice = h.player(ALICE).unwrap();
    let bob = h.player(BOB).unwrap();
    h.send_raw(
        ALICE,
        RawTarget::Players(vec![bob]),
        SendType::Reliable,
        b"to bob".to_vec(),
    )
    .unwrap();
    h.send_raw(
        ALICE,
        RawTarget::Others,
        SendType::Unreliable,
        b"to all".to_vec(),
    )
    .unwrap();
    h.send_raw(
        ALICE,
        RawTarget::Players(vec![alice]),
        SendType::Reliable,
        b"me".to_vec(),
    )
    .unwrap();
    h.run(10);
    let bytes =
        |c: usize| -> Vec<Vec<u8>> { h.recorded(c).raw.iter().map(|r| r.bytes.clone()).collect() };
    assert_eq!(bytes(BOB), [b"to bob".to_vec(), b"to all".to_vec()]);
    assert_eq!(bytes(CAROL), [b"to all".to_vec()]);
    assert!(bytes(ALICE).is_empty(), "no loopback for raw messages");
    assert!(
        h.recorded(BOB)
            .raw
            .iter()
            .all(|r| r.sender == EventSender::Player(alice))
    );
}

#[test]
fn the_byte_budget_queues_past_the_spike_and_the_probes_say_so() {
    let mut h = players(LinkConditions::default());
    let settings = MessagingSettings::default();
    assert_eq!(h.raw_outbox(ALICE).clogged_percent(&settings), 0.0);
    // 40 KB at once: the 16 KB spike leaves at once, the rest drains at 4 KB/s.
    for n in 0..40 {
        h.send_raw(
            ALICE,
            RawTarget::Others,
            SendType::Reliable,
            numbered(n, 1000),
        )
        .unwrap();
    }
    assert!(
        !h.raw_outbox(ALICE)
            .will_message_be_dropped(&settings, 16_000)
    );
    assert!(
        h.raw_outbox(ALICE)
            .will_message_be_dropped(&settings, 16 * 1024 + 1)
    );
    h.step();
    let clogged = h.raw_outbox(ALICE).clogged_percent(&settings);
    assert!(
        clogged > 100.0,
        "spike spent and a backlog queued: {clogged}"
    );
    assert_eq!(h.raw_outbox(ALICE).sent, 16);
    h.run(10);
    assert_eq!(numbers_from(&h, BOB, SendType::Reliable).len(), 16);
    // About 4 messages of 1000 bytes per second follow.
    h.run(63); // ~1 s
    let after_a_second = numbers_from(&h, BOB, SendType::Reliable).len();
    assert!((19..=22).contains(&after_a_second), "{after_a_second}");
    // Everything arrives eventually, in order.
    h.run(400);
    assert_eq!(
        numbers_from(&h, BOB, SendType::Reliable),
        (0..40).collect::<Vec<u32>>()
    );
    // Once the spike budget has refilled (4 s at 4 KB/s), the probe reads 0 again.
    h.run(260);
    assert_eq!(h.raw_outbox(ALICE).clogged_percent(&settings), 0.0);
}

#[test]
fn a_full_queue_and_oversized_messages_are_refused_with_an_error() {
    let mut h = players(LinkConditions::default());
    let settings = MessagingSettings::default();
    let error = h
        .send_raw(
            ALICE,
            RawTarget::Others,
            SendType::Unreliable,
            vec![0; MAX_RAW_UNRELIABLE_BYTES + 1],
        )
        .unwrap_err();
    assert_eq!(
        error,
        RawError::TooLarge {
            size: MAX_RAW_UNRELIABLE_BYTES + 1,
            max: MAX_RAW_UNRELIABLE_BYTES
        }
    );
    assert_eq!(
        error.to_string(),
        "961-byte raw message exceeds the 960-byte limit of its send type"
    );
    assert!(matches!(
        h.send_raw(
            ALICE,
            RawTarget::Others,
            SendType::Reliable,
            vec![0; MAX_RAW_RELIABLE_BYTES + 1]
        ),
        Err(RawError::TooLarge { .. })
    ));
    // 64 KB of queue: four messages of 16000 bytes fit, the fifth does not.
    for _ in 0..4 {
        h.send_raw(
            ALICE,
            RawTarget::Others,
            SendType::Reliable,
            vec![1; 16_000],
        )
        .unwrap();
    }
    assert!(
        h.raw_outbox(ALICE)
            .will_message_be_dropped(&settings, 16_000)
    );
    let error = h
        .send_raw(
            ALICE,
            RawTarget::Others,
            SendType::Reliable,
            vec![1; 16_000],
        )
        .unwrap_err();
    assert_eq!(
        error,
        RawError::QueueFull {
            size: 16_000,
            queued: 64_000,
            max: 65_536
        }
    );
    assert_eq!(
        h.raw_outbox(ALICE).queued_bytes(),
        64_000,
        "nothing dropped silently"
    );
}
