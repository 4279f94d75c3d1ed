//! Wire sizes of the hottest messages (SPEC P1), for worst-case field values of a
//! world of up to 2^20 objects.

use racksync_protocol::ids::MAX_OBJECT_SERIAL;
use racksync_protocol::{
    AckOutcome, Action, Channel, ClientWorldMessage, HostWorldMessage, ObjectId, RACK_UNITS,
    RackSlot, encode,
};

#[test]
fn install_in_rack_action_is_at_most_12_bytes() {
    let message = ClientWorldMessage::Action {
        seq: u16::MAX,
        action: Action::InstallInRack {
            object: ObjectId::new(0, MAX_OBJECT_SERIAL),
            slot: RackSlot {
                rack: ObjectId::new(0, MAX_OBJECT_SERIAL - 1),
                unit: RACK_UNITS,
            },
        },
    };
    let bytes = encode(Channel::World, &message).unwrap();
    assert!(bytes.len() <= 12, "{} bytes", bytes.len());
    assert_eq!(bytes.len(), 12);
}

#[test]
fn accepted_ack_is_at_most_6_bytes() {
    let message = HostWorldMessage::Ack {
        seq: u16::MAX,
        outcome: AckOutcome::Accepted {
            revision_low: u8::MAX,
        },
    };
    let bytes = encode(Channel::World, &message).unwrap();
    assert_eq!(bytes.len(), 6);
}
