//! (g) Garbage, truncated, oversized and trailing-byte messages return typed errors and
//! never panic, on every channel and message type.

use proptest::prelude::*;
use racksync_protocol::{
    Action, Channel, ClientWorldMessage, CodecError, HostBulkMessage, HostWorldMessage, ObjectId,
    RackSlot, decode, encode,
};

fn decode_all(bytes: &[u8]) {
    let _ = decode::<ClientWorldMessage>(Channel::World, bytes);
    let _ = decode::<HostWorldMessage>(Channel::World, bytes);
    let _ = decode::<HostBulkMessage>(Channel::Bulk, bytes);
    let _ = racksync::replication::snapshot::decode_snapshot(bytes);
}

fn sample_messages() -> Vec<Vec<u8>> {
    let install = ClientWorldMessage::Action {
        seq: 300,
        action: Action::InstallInRack {
            object: ObjectId::new(0, 70_000),
            slot: RackSlot {
                rack: ObjectId::new(0, 12),
                unit: 7,
            },
        },
    };
    let hello = ClientWorldMessage::Hello(racksync_protocol::Hello {
        protocol_version: 1,
        protocol_hash: 0xdead_beef,
        name: "alice".into(),
    });
    vec![
        encode(Channel::World, &install).unwrap(),
        encode(Channel::World, &hello).unwrap(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2_048)) {
        decode_all(&bytes);
    }

    #[test]
    fn truncated_messages_are_errors(cut in 0usize..64, which in 0usize..2) {
        let message = &sample_messages()[which];
        let cut = cut % message.len();
        let result = decode::<ClientWorldMessage>(Channel::World, &message[..cut]);
        prop_assert!(matches!(result, Err(CodecError::Malformed(_))), "{result:?}");
    }

    #[test]
    fn trailing_bytes_are_errors(extra in proptest::collection::vec(any::<u8>(), 1..32), which in 0usize..2) {
        let mut message = sample_messages()[which].clone();
        message.extend_from_slice(&extra);
        let result = decode::<ClientWorldMessage>(Channel::World, &message);
        prop_assert_eq!(result, Err(CodecError::TrailingBytes(extra.len())));
    }
}

#[test]
fn oversized_messages_are_refused_before_decoding() {
    let cap = Channel::World.spec().max_message_bytes;
    let bytes = vec![0u8; cap + 1];
    assert_eq!(
        decode::<ClientWorldMessage>(Channel::World, &bytes),
        Err(CodecError::TooLarge {
            channel: Channel::World,
            len: cap + 1,
            cap
        })
    );
    let huge_name = ClientWorldMessage::Hello(racksync_protocol::Hello {
        protocol_version: 1,
        protocol_hash: 1,
        name: "x".repeat(cap),
    });
    assert!(matches!(
        encode(Channel::World, &huge_name),
        Err(CodecError::TooLarge { .. })
    ));
}

#[test]
fn huge_length_prefixes_do_not_allocate() {
    // Hello with a name claiming 2^40 bytes.
    let mut bytes = vec![0u8, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20];
    bytes.extend_from_slice(b"abc");
    assert!(matches!(
        decode::<ClientWorldMessage>(Channel::World, &bytes),
        Err(CodecError::Malformed(_))
    ));
}
