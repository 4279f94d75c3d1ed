//! Protocol version and protocol hash, compared at Hello.
//!
//! The version is bumped by hand on deliberate wire changes. The hash catches the rest:
//! it covers the channel table and the encoding of one exemplar of every message
//! variant, so two builds whose message definitions differ refuse each other with a
//! clear reason instead of misreading each other's bytes.

use crate::action::{Action, Property, Rejection};
use crate::audit::{
    ClientAudit, Digest32, Digest64, HostAudit, LeafObjects, NodeDigests, NodeRef, ObjectFix,
    TREE_DEPTH, TREE_FANOUT_BITS, leaf_of,
};
use crate::channel::CHANNELS;
use crate::codec::encode_unbounded;
use crate::events::{
    ClientEvent, EventError, EventParam, EventSender, EventTarget, F32, HostEvent,
};
use crate::ids::{ObjectId, PlayerId, Revision};
use crate::kind::ObjectKind;
use crate::message::{
    AckOutcome, ClientWorldMessage, Hello, HostBulkMessage, HostWorldMessage, Refusal, Welcome,
};
use crate::placement::{Placement, PosMm, RackSlot};
use crate::raw::{ClientRaw, HostRaw, RawTarget, SendType};
use crate::record::{CableEnd, Health, ObjectRecord, Properties};
use std::sync::OnceLock;
use xxhash_rust::xxh3::Xxh3;

/// The wire protocol version.
pub const PROTOCOL_VERSION: u16 = 3;

/// Hash of the protocol definitions of this build.
pub fn protocol_hash() -> u64 {
    static HASH: OnceLock<u64> = OnceLock::new();
    *HASH.get_or_init(compute_protocol_hash)
}

fn compute_protocol_hash() -> u64 {
    let mut hasher = Xxh3::new();
    hasher.update(&PROTOCOL_VERSION.to_le_bytes());
    for spec in &CHANNELS {
        hasher.update(&[
            spec.channel.id(),
            spec.delivery as u8,
            spec.client_sends as u8,
        ]);
        hasher.update(&(spec.max_message_bytes as u64).to_le_bytes());
    }
    // The digest tree's shape and leaf function are part of the audit contract.
    hasher.update(&[TREE_FANOUT_BITS as u8, TREE_DEPTH]);
    hasher.update(&leaf_of(ObjectId(0xdead_beef)).to_le_bytes());
    for exemplar in exemplar_encodings() {
        hasher.update(&(exemplar.len() as u64).to_le_bytes());
        hasher.update(&exemplar);
    }
    hasher.digest()
}

/// One action of every kind. The count is checked against [`Action::NAMES`] in the
/// tests, so a new action kind cannot be forgotten here.
fn exemplar_actions() -> Vec<Action> {
    let id = ObjectId::new(1, 2);
    let slot = RackSlot { rack: id, unit: 3 };
    let pos = PosMm::new(1, 2, 3);
    let ends = [
        CableEnd::Port {
            device: id,
            port: 1,
        },
        CableEnd::Customer(2),
    ];
    vec![
        Action::PickUp { object: id },
        Action::Drop {
            object: id,
            pos,
            yaw: 4,
        },
        Action::InstallInRack { object: id, slot },
        Action::RemoveFromRack { object: id },
        Action::SetPower {
            object: id,
            on: true,
        },
        Action::SetProperty {
            object: id,
            value: Property::Label(Some("x".into())),
        },
        Action::ConnectCable { cable: id, ends },
        Action::DisconnectCable { cable: id },
        Action::Spawn {
            object: id,
            kind: ObjectKind::SfpBox,
            pos,
            yaw: 5,
        },
        Action::Destroy { object: id },
        Action::InsertSfp {
            module: id,
            switch: id,
            port: 6,
        },
        Action::RemoveSfp { module: id },
        Action::Repair { object: id },
        Action::Break { object: id },
        Action::Wear { seconds: 7 },
        Action::Release {
            object: id,
            pos,
            yaw: 8,
        },
    ]
}

/// One rejection of every kind, plus every property key.
fn exemplar_rejections() -> Vec<Rejection> {
    let id = ObjectId::new(1, 2);
    vec![
        Rejection::UnknownObject(id),
        Rejection::WrongKind(ObjectKind::Rack),
        Rejection::HeldByOther(PlayerId(1)),
        Rejection::NotHeld,
        Rejection::HandFull,
        Rejection::NotOnFloor,
        Rejection::NotARack(id),
        Rejection::RackNotStanding,
        Rejection::RackNotEmpty(id),
        Rejection::OutsideRack {
            first: 1,
            height: 2,
        },
        Rejection::SlotOccupied(id),
        Rejection::NotInRack,
        Rejection::CablesAttached(id),
        Rejection::ModulesInserted(id),
        Rejection::OutOfBounds,
        Rejection::HostOnly,
        Rejection::NoChange,
        Rejection::DeviceBroken,
        Rejection::NothingToRepair,
        Rejection::EndOfLife,
        Rejection::InvalidIp,
        Rejection::DuplicateIp(id),
        Rejection::InvalidLabel,
        Rejection::UnknownCustomer(3),
        Rejection::CableConnected,
        Rejection::CableNotConnected,
        Rejection::SameEndpoints,
        Rejection::NoSuchPort {
            device: id,
            port: 4,
        },
        Rejection::PortTaken(id),
        Rejection::NoModule {
            switch: id,
            port: 5,
        },
        Rejection::NotInstalled(id),
        Rejection::NotASwitch(id),
        Rejection::NotInPort,
        Rejection::WrongNamespace,
        Rejection::IdTaken(id),
        Rejection::RateLimited,
    ]
}

/// One parameter of every type.
fn exemplar_params(id: ObjectId) -> Vec<EventParam> {
    vec![
        EventParam::Bool(true),
        EventParam::Int(-1),
        EventParam::Long(2),
        EventParam::Float(F32::from(0.5)),
        EventParam::Vec3([F32::from(1.0); 3]),
        EventParam::Text("t".into()),
        EventParam::Bytes(vec![3]),
        EventParam::Object(id),
        EventParam::Player(PlayerId(4)),
    ]
}

/// One encoding per message variant.
fn exemplar_encodings() -> Vec<Vec<u8>> {
    let id = ObjectId::new(1, 2);
    let slot = RackSlot { rack: id, unit: 3 };
    let actions = exemplar_actions();
    let mut out = Vec::new();
    for action in &actions {
        out.push(encode_unbounded(action));
    }
    for rejection in &exemplar_rejections() {
        out.push(encode_unbounded(rejection));
    }
    for kind in ObjectKind::ALL {
        out.push(encode_unbounded(&kind));
    }
    let record = ObjectRecord {
        id,
        kind: ObjectKind::Switch,
        placement: Placement::InRack(slot),
        powered: true,
        health: Health {
            broken: true,
            time_to_break: 5,
            eol_time: 6,
            warning_cleared: true,
        },
        properties: Properties {
            ip: Some([10, 0, 0, 1].into()),
            customer: Some(7),
            label: Some("x".into()),
            app: Some(8),
        },
        cable: Some([
            CableEnd::Port {
                device: id,
                port: 1,
            },
            CableEnd::Customer(2),
        ]),
    };
    out.push(encode_unbounded(&record));
    for property in [
        Property::Ip(Some([10, 0, 0, 2].into())),
        Property::Customer(Some(1)),
        Property::Label(None),
        Property::App(Some(2)),
    ] {
        out.push(encode_unbounded(&property));
    }
    out.extend(audit_exemplars(id, &record));
    for placement in [
        Placement::Held(PlayerId(1)),
        Placement::InPort {
            switch: id,
            port: 1,
        },
        Placement::Floor {
            pos: PosMm::new(1, 2, 3),
            yaw: 9,
        },
    ] {
        out.push(encode_unbounded(&placement));
    }
    let client = [
        ClientWorldMessage::Hello(Hello {
            protocol_version: 1,
            protocol_hash: 2,
            name: "n".into(),
        }),
        ClientWorldMessage::Action {
            seq: 1,
            action: actions[0].clone(),
        },
        ClientWorldMessage::Goodbye,
        ClientWorldMessage::Audit(ClientAudit::Nodes {
            round: 1,
            nodes: Vec::new(),
        }),
        ClientWorldMessage::Event(ClientEvent {
            name: "e".into(),
            target: EventTarget::Players(vec![PlayerId(1)]),
            params: exemplar_params(id),
        }),
        ClientWorldMessage::Raw(ClientRaw {
            target: RawTarget::Others,
            sequence: Some(1),
            bytes: vec![1],
        }),
    ];
    for target in [
        EventTarget::All,
        EventTarget::Others,
        EventTarget::Owner(Some(id)),
        EventTarget::Local,
    ] {
        out.push(encode_unbounded(&target));
    }
    out.push(encode_unbounded(&RawTarget::Players(vec![PlayerId(1)])));
    for send_type in [
        SendType::Unreliable,
        SendType::UnreliableSequenced,
        SendType::Reliable,
    ] {
        out.push(encode_unbounded(&send_type));
    }
    for message in &client {
        out.push(encode_unbounded(message));
    }
    let host = [
        HostWorldMessage::Welcome(Welcome {
            player: PlayerId(1),
            revision: Revision(2),
            tick_hz: 3,
        }),
        HostWorldMessage::Refused(Refusal::Full),
        HostWorldMessage::Event(HostEvent {
            sender: EventSender::Player(PlayerId(1)),
            name: "e".into(),
            params: Vec::new(),
        }),
        HostWorldMessage::EventRefused {
            name: "e".into(),
            reason: EventError::RateLimited("e".into()),
        },
        HostWorldMessage::Raw(HostRaw {
            sender: EventSender::Host,
            sequence: None,
            bytes: vec![2],
        }),
        HostWorldMessage::Owner(Some(PlayerId(1))),
        HostWorldMessage::Ack {
            seq: 1,
            outcome: AckOutcome::Accepted { revision_low: 2 },
        },
        HostWorldMessage::Ack {
            seq: 1,
            outcome: AckOutcome::Rejected(Rejection::NotHeld),
        },
        HostWorldMessage::Broadcast {
            revision: Revision(1),
            actor: PlayerId(2),
            action: actions[0].clone(),
        },
        HostWorldMessage::Audit(HostAudit::Root {
            revision: Revision(1),
            digest: Digest64(2),
        }),
    ];
    for message in &host {
        out.push(encode_unbounded(message));
    }
    for refusal in [
        Refusal::VersionMismatch { host: 1, client: 2 },
        Refusal::HashMismatch { host: 1, client: 2 },
        Refusal::InvalidName,
        Refusal::Full,
        Refusal::ProtocolViolation("x".into()),
        Refusal::Silent { seconds: 1 },
        Refusal::Kicked("x".into()),
    ] {
        out.push(encode_unbounded(&refusal));
    }
    for bulk in [
        HostBulkMessage::SnapshotBegin {
            revision: Revision(1),
            objects: 2,
            bytes: 3,
            digest: 4,
        },
        HostBulkMessage::SnapshotChunk(vec![1, 2]),
    ] {
        out.push(encode_unbounded(&bulk));
    }
    out.extend(crate::presence::exemplar_encodings());
    out
}

/// One encoding per audit message variant (exhaustive matches, as above).
fn audit_exemplars(id: ObjectId, record: &ObjectRecord) -> Vec<Vec<u8>> {
    let nodes = vec![NodeDigests {
        node: NodeRef { level: 1, index: 2 },
        children: vec![Digest32(3), Digest32(4)],
    }];
    let host = [
        HostAudit::Root {
            revision: Revision(1),
            digest: Digest64(2),
        },
        HostAudit::Nodes {
            round: 1,
            revision: Revision(2),
            more: true,
            nodes: nodes.clone(),
        },
        HostAudit::Objects {
            round: 1,
            revision: Revision(2),
            more: false,
            fixes: vec![ObjectFix::State(record.clone()), ObjectFix::Absent(id)],
        },
    ];
    let client = [
        ClientAudit::Nodes { round: 1, nodes },
        ClientAudit::Objects {
            round: 1,
            leaves: vec![LeafObjects {
                leaf: 5,
                objects: vec![(id, Digest32(6))],
            }],
        },
    ];
    let mut out = Vec::new();
    for message in &host {
        match message {
            HostAudit::Root { .. } | HostAudit::Nodes { .. } | HostAudit::Objects { .. } => {
                out.push(encode_unbounded(message))
            }
        }
    }
    for message in &client {
        match message {
            ClientAudit::Nodes { .. } | ClientAudit::Objects { .. } => {
                out.push(encode_unbounded(message))
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_root_is_at_most_24_bytes() {
        // SPEC P1, for the largest revision a u64 can hold.
        let root = HostWorldMessage::Audit(HostAudit::Root {
            revision: Revision(u64::MAX),
            digest: Digest64(u64::MAX),
        });
        let bytes = crate::encode(crate::Channel::World, &root).unwrap();
        assert_eq!(bytes.len(), 20);
    }

    #[test]
    fn hash_is_stable_within_a_build() {
        assert_eq!(protocol_hash(), compute_protocol_hash());
        assert_ne!(protocol_hash(), 0);
    }

    #[test]
    fn exemplars_cover_every_action_kind() {
        let actions = exemplar_actions();
        assert_eq!(actions.len(), Action::NAMES.len());
        for (index, action) in actions.iter().enumerate() {
            assert_eq!(action.kind_index(), index, "{action:?}");
        }
    }
}
