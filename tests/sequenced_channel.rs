//! (f) UnreliableSequenced delivery drops stale and duplicate messages, across the
//! 16-bit sequence wrap, both on its own and over a duplicating, reordering link.

use racksync_protocol::{SequencedDrop, SequencedReceiver, SequencedSender};
use racksync_transport::{LinkConditioner, LinkConditions};
use std::time::{Duration, Instant};

#[test]
fn stale_and_duplicate_are_dropped_across_wrap() {
    let mut sender = SequencedSender::default();
    let stamped: Vec<Vec<u8>> = (0..70_000u32)
        .map(|i| sender.stamp(&i.to_le_bytes()))
        .collect();
    let mut receiver = SequencedReceiver::default();
    let payload = |m: &Vec<u8>| u32::from_le_bytes(m[2..6].try_into().unwrap());

    // 65_534, 65_535, then 0 (= message 65_536) after the wrap are all newer.
    for index in [65_534usize, 65_535, 65_536] {
        assert_eq!(payload(&stamped[index]), index as u32);
        assert!(receiver.accept(&stamped[index]).is_ok(), "message {index}");
    }
    assert_eq!(
        receiver.accept(&stamped[65_536]),
        Err(SequencedDrop::Duplicate(0))
    );
    assert_eq!(
        receiver.accept(&stamped[65_535]),
        Err(SequencedDrop::Stale(65_535))
    );
    assert_eq!(
        receiver.accept(&stamped[65_000]),
        Err(SequencedDrop::Stale(65_000))
    );
    assert!(receiver.accept(&stamped[65_540]).is_ok());
    assert_eq!(
        receiver.accept(&stamped[65_537]),
        Err(SequencedDrop::Stale(1))
    );
    assert_eq!(receiver.accept(&[7]), Err(SequencedDrop::Truncated));
}

#[test]
fn delivery_over_a_bad_link_is_strictly_increasing_across_wrap() {
    let conditions = LinkConditions {
        latency: Duration::from_millis(20),
        jitter: Duration::from_millis(30),
        loss: 0.1,
        duplicate: 0.2,
        reorder: 0.2,
    };
    let mut link = LinkConditioner::new(conditions, 42).unwrap();
    let mut sender = SequencedSender::default();
    let mut receiver = SequencedReceiver::default();
    let start = Instant::now();
    let mut delivered: Vec<u32> = Vec::new();
    let (mut stale, mut duplicate) = (0, 0);
    for step in 0..70_000u32 {
        let now = start + Duration::from_millis(u64::from(step));
        link.send(now, sender.stamp(&step.to_le_bytes()));
        for datagram in link.deliver_due(now) {
            match receiver.accept(&datagram) {
                Ok(payload) => delivered.push(u32::from_le_bytes(payload.try_into().unwrap())),
                Err(SequencedDrop::Stale(_)) => stale += 1,
                Err(SequencedDrop::Duplicate(_)) => duplicate += 1,
                Err(SequencedDrop::Truncated) => unreachable!("the link never truncates"),
            }
        }
    }
    assert!(
        delivered.windows(2).all(|w| w[0] < w[1]),
        "never stale, never twice"
    );
    assert!(
        delivered.iter().any(|&i| i > 65_536),
        "the run crossed the wrap"
    );
    assert!(
        stale > 0 && duplicate > 0,
        "the link did reorder ({stale}) and duplicate ({duplicate})"
    );
}
