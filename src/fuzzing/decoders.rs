//! The `decoders` fuzz body: every decoder the host and the client run on bytes from
//! the network, and the first thing each side does with what decodes.
//!
//! The first byte picks a [`Target`] (bits 0–6, modulo the number of targets) and, with
//! bit 7 set, turns the rest into an oversized message for that target's channel. The
//! remaining bytes are the message. Properties checked:
//!
//! - Nothing panics, whatever the bytes.
//! - A decoded message re-encodes (within the channel cap, never longer than its input,
//!   since postcard's canonical form is the shortest) to bytes that decode to an equal
//!   value, and re-encoding that gives the same bytes again.
//! - The codec is exact: one more byte after a whole message is `TrailingBytes(1)`; a
//!   `TrailingBytes(n)` error means a whole message followed by exactly `n` bytes; a
//!   `Malformed` error means no prefix of the bytes is a message.
//! - Decoding is bounded: input over the channel cap is refused as `TooLarge` with the
//!   right numbers, before any decoding.
//! - Sequenced framing follows its model exactly (newer delivered, stale and duplicate
//!   dropped, a junk payload never advances the receiver).
//! - Snapshots (compressed or not) that pass the client's consistency check load into a
//!   world whose every invariant holds.
//! - The host answers any decodable audit request without panicking, within its budget
//!   and in messages that fit the `world` channel; the client's next requests after any
//!   well-formed host answer are requests the host accepts; any decoded action is
//!   validated against a real world without panicking.
//! - Whatever event or raw message the host admits from a player, the copy it relays
//!   (sender filled in by the host) fits its channel: the host `panic!`s otherwise.
//! - Sequenced raw messages reach a client per sender in the order the model says.

use super::ByteReader;
use super::rules::{check_world, fresh_world};
use bevy_ecs::world::World;
use racksync_audit::ConfirmedView;
use racksync_audit::answer::{answer_nodes, answer_objects, validate_leaves, validate_nodes};
use racksync_audit::chunk::{chunk, encoded_len, list_budget};
use racksync_audit::descend::{compare_nodes, root_request};
use racksync_protocol::audit::TREE_DEPTH;
use racksync_protocol::codec::{decode_prefix, encode_unbounded};
use racksync_protocol::events::check_shape;
use racksync_protocol::presence::{
    ClientPresence, ClientState, SequencedError, decode_sequenced, encode_sequenced,
};
use racksync_protocol::raw::check_raw;
use racksync_protocol::{
    AckOutcome, Action, CableEnd, Channel, ClientAudit, ClientEvent, ClientRaw, ClientWorldMessage,
    CodecError, Digest64, EventError, EventParam, EventSender, EventTarget, F32, HostAudit,
    HostBulkMessage, HostEvent, HostRaw, HostTick, HostWorldMessage, LeafObjects, NodeDigests,
    NodeRef, ObjectFix, ObjectId, ObjectKind, ParamKind, PlayerId, PlayerState, PosMm, Posture,
    PresenceEntry, PresenceRelay, Property, QuantizedTransform, RackSlot, RawTarget, Refusal,
    Rejection, Revision, RosterUpdate, SendType, Seq16, SequencedDrop, SequencedReceiver,
    SequencedSender, SnapshotBody, StateEntry, StateRelay, Welcome, decode, encode,
};
use racksync_replication::EncodedSnapshot;
use racksync_replication::messaging::{EventDef, EventRegistry, RawSequences};
use racksync_replication::snapshot::decode_snapshot;
use racksync_world::rules;
use racksync_world::{
    ConfirmedOverlay, DigestTree, Holding, ReadObjects, WorldObjects, check_consistency,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fmt::Debug;

/// What the rest of the input is, by the first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Host reads a [`ClientWorldMessage`] on `world`, then handles audits and actions.
    HostWorld,
    /// Host reads a sequenced [`ClientPresence`] on `presence`.
    HostPresence,
    /// Host reads a sequenced [`ClientState`] on `state`.
    HostState,
    /// Client reads a [`HostWorldMessage`] on `world`, then handles audit answers.
    ClientWorld,
    /// Client reads a [`HostBulkMessage`] on `bulk`; a chunk is tried as a whole snapshot.
    ClientBulk,
    /// Client reads a [`PresenceRelay`] on `presence` (not sequenced: ticks order it).
    ClientPresence,
    /// Client reads a sequenced [`StateRelay`] on `state`.
    ClientState,
    /// Client inflates and decodes a snapshot body, then loads it.
    SnapshotCompressed,
    /// A snapshot body after inflation (postcard bytes): decoded, checked, loaded.
    SnapshotBody,
    /// Length-prefixed frames fed to one sequenced receiver, against a model.
    SequencedStream,
    /// Host reads a [`ClientRaw`] on `raw`, checks it, and relays it.
    HostRaw,
    /// Client reads a [`HostRaw`] on `raw` and filters it by sequence.
    ClientRaw,
}

impl Target {
    /// Every target, in selector order.
    pub const ALL: [Target; 12] = [
        Target::HostWorld,
        Target::HostPresence,
        Target::HostState,
        Target::ClientWorld,
        Target::ClientBulk,
        Target::ClientPresence,
        Target::ClientState,
        Target::SnapshotCompressed,
        Target::SnapshotBody,
        Target::SequencedStream,
        // New targets go last: selectors of existing corpus inputs keep their meaning.
        Target::HostRaw,
        Target::ClientRaw,
    ];

    /// The first input byte that selects this target (bit 7 clear).
    pub fn selector(self) -> u8 {
        Self::ALL
            .iter()
            .position(|t| *t == self)
            .expect("every target is listed") as u8
    }

    /// The target and the oversize flag a first byte selects.
    pub fn from_selector(byte: u8) -> (Target, bool) {
        (
            Self::ALL[usize::from(byte & 0x7f) % Self::ALL.len()],
            byte & 0x80 != 0,
        )
    }

    /// The channel whose cap bounds this target's messages, if one does.
    fn channel(self) -> Option<Channel> {
        match self {
            Target::HostWorld | Target::ClientWorld => Some(Channel::World),
            Target::HostPresence | Target::ClientPresence => Some(Channel::Presence),
            Target::HostState | Target::ClientState => Some(Channel::State),
            Target::ClientBulk => Some(Channel::Bulk),
            Target::HostRaw | Target::ClientRaw => Some(Channel::Raw),
            Target::SnapshotCompressed | Target::SnapshotBody | Target::SequencedStream => None,
        }
    }
}

/// Bytes of audit answers the host may still send a client in these runs: several
/// messages' worth, so that cutting an answer short is exercised as well as chunking.
const AUDIT_BUDGET: usize = 48 * 1024;

/// The fuzz body: decodes `data` as its first byte says and checks every property.
pub fn decoders(data: &[u8]) {
    let Some((&selector, payload)) = data.split_first() else {
        return;
    };
    let (target, oversize) = Target::from_selector(selector);
    if oversize && let Some(channel) = target.channel() {
        check_oversize(target, channel, payload);
        return;
    }
    match target {
        Target::HostWorld => {
            if let Some(message) = whole::<ClientWorldMessage>(Channel::World, payload) {
                host_handles(&message);
            }
        }
        Target::HostPresence => sequenced(
            Channel::Presence,
            payload,
            &ClientPresence(QuantizedTransform::default()),
        ),
        Target::HostState => sequenced(
            Channel::State,
            payload,
            &ClientState(PlayerState::default()),
        ),
        Target::ClientWorld => {
            if let Some(message) = whole::<HostWorldMessage>(Channel::World, payload) {
                client_handles(&message);
            }
        }
        Target::ClientBulk => {
            if let Some(HostBulkMessage::SnapshotChunk(data)) =
                whole::<HostBulkMessage>(Channel::Bulk, payload)
            {
                compressed_snapshot(&data);
            }
        }
        Target::ClientPresence => {
            let _ = whole::<PresenceRelay>(Channel::Presence, payload);
        }
        Target::ClientState => sequenced(Channel::State, payload, &empty_state_relay()),
        Target::SnapshotCompressed => compressed_snapshot(payload),
        Target::SnapshotBody => raw_snapshot(payload),
        Target::SequencedStream => stream(payload),
        Target::HostRaw => {
            if let Some(raw) = whole::<ClientRaw>(Channel::Raw, payload) {
                host_relays_unreliable_raw(raw);
            }
        }
        Target::ClientRaw => {
            if let Some(raw) = whole::<HostRaw>(Channel::Raw, payload) {
                RawSequences::default().admit(&raw);
            }
        }
    }
}

/// The smallest valid [`StateRelay`], the exemplar of the `state` stream to clients.
fn empty_state_relay() -> StateRelay {
    StateRelay {
        tick: HostTick(0),
        entries: Vec::new(),
    }
}

/// One whole message on `channel`: checks the codec's contract and returns the message
/// if it decodes.
fn whole<T>(channel: Channel, bytes: &[u8]) -> Option<T>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let cap = channel.spec().max_message_bytes;
    match decode::<T>(channel, bytes) {
        Ok(message) => {
            let encoded = encode(channel, &message)
                .expect("a decoded message re-encodes within its channel cap");
            assert!(
                encoded.len() <= bytes.len(),
                "re-encoding {message:?} grew from {} to {} bytes",
                bytes.len(),
                encoded.len()
            );
            let again: T = decode(channel, &encoded).expect("a re-encoded message decodes");
            assert_eq!(again, message, "round trip changed the message");
            assert_eq!(
                encode(channel, &again).expect("fits"),
                encoded,
                "encoding is not canonical"
            );
            if bytes.len() < cap {
                let mut longer = bytes.to_vec();
                longer.push(0);
                assert!(
                    matches!(
                        decode::<T>(channel, &longer),
                        Err(CodecError::TrailingBytes(1))
                    ),
                    "a trailing byte after {message:?} was not refused"
                );
            }
            Some(message)
        }
        Err(CodecError::TooLarge {
            channel: refused,
            len,
            cap: limit,
        }) => {
            assert_eq!((refused, len, limit), (channel, bytes.len(), cap));
            assert!(len > cap, "{len} bytes refused under the {cap}-byte cap");
            None
        }
        Err(CodecError::TrailingBytes(extra)) => {
            assert!(bytes.len() <= cap);
            assert!(
                extra >= 1 && extra < bytes.len(),
                "{extra} trailing of {} bytes",
                bytes.len()
            );
            let (prefix, rest) =
                decode_prefix::<T>(bytes).expect("trailing bytes follow a whole message");
            assert_eq!(rest.len(), extra);
            let alone = decode::<T>(channel, &bytes[..bytes.len() - extra])
                .expect("the message without its trailing bytes decodes");
            assert_eq!(alone, prefix);
            None
        }
        Err(CodecError::Malformed(_)) => {
            assert!(bytes.len() <= cap);
            assert!(
                decode_prefix::<T>(bytes).is_err(),
                "Malformed, but a prefix decodes"
            );
            None
        }
    }
}

/// One sequenced message on `channel` into a fresh receiver. `exemplar` is any valid
/// message, used to check that refused input did not move the receiver.
fn sequenced<T>(channel: Channel, bytes: &[u8], exemplar: &T)
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let cap = channel.spec().max_message_bytes;
    let mut receiver = SequencedReceiver::default();
    match decode_sequenced::<T>(channel, &mut receiver, bytes) {
        Ok((message, seq)) => {
            assert_eq!(seq.0, u16::from_le_bytes([bytes[0], bytes[1]]));
            // The payload behind the prefix is a whole message of its own.
            assert_eq!(whole::<T>(channel, &bytes[2..]).as_ref(), Some(&message));
            // Stamped by a fresh sender, it decodes to the same message at sequence 0.
            let framed = encode_sequenced(channel, &mut SequencedSender::default(), &message)
                .expect("a decoded message re-frames within its cap");
            assert!(framed.len() <= bytes.len());
            let mut fresh = SequencedReceiver::default();
            assert_eq!(
                decode_sequenced::<T>(channel, &mut fresh, &framed),
                Ok((message, Seq16(0)))
            );
            // The same bytes again are a duplicate.
            assert_eq!(
                decode_sequenced::<T>(channel, &mut receiver, bytes),
                Err(SequencedError::Dropped(SequencedDrop::Duplicate(seq.0)))
            );
        }
        Err(SequencedError::Codec(CodecError::TooLarge { len, .. })) => {
            assert!(len > cap && len == bytes.len());
        }
        Err(SequencedError::Dropped(SequencedDrop::Truncated)) => assert!(bytes.len() < 2),
        Err(SequencedError::Dropped(drop)) => {
            panic!("a fresh receiver dropped {drop:?}")
        }
        Err(SequencedError::Codec(error)) => {
            assert!(bytes.len() >= 2);
            assert!(
                whole::<T>(channel, &bytes[2..]).is_none(),
                "{error} for a valid payload"
            );
            // Had the junk's sequence number been taken, a message half the circle
            // away would now be stale.
            let seq = u16::from_le_bytes([bytes[0], bytes[1]]).wrapping_add(0x8000);
            let mut good = seq.to_le_bytes().to_vec();
            good.extend(encode(channel, exemplar).expect("exemplars fit"));
            assert!(
                decode_sequenced::<T>(channel, &mut receiver, &good).is_ok(),
                "junk moved the sequenced receiver"
            );
        }
    }
}

/// The oversized variant of a target: the payload repeated past the channel cap must be
/// refused as too large, before decoding; so must encoding such a message.
fn check_oversize(target: Target, channel: Channel, payload: &[u8]) {
    let cap = channel.spec().max_message_bytes;
    let len = cap + 1 + payload.len() % 251;
    let big: Vec<u8> = if payload.is_empty() {
        vec![0; len]
    } else {
        payload.iter().copied().cycle().take(len).collect()
    };
    let too_large = |result: Result<(), CodecError>| match result {
        Err(CodecError::TooLarge {
            channel: refused,
            len: got,
            cap: limit,
        }) => assert_eq!((refused, got, limit), (channel, big.len(), cap)),
        other => panic!("{} bytes on {channel:?}: {other:?}", big.len()),
    };
    let sequenced_too_large = |result: Result<(), SequencedError>| match result {
        Err(SequencedError::Codec(error)) => too_large(Err(error)),
        other => panic!("{} bytes on {channel:?}: {other:?}", big.len()),
    };
    let mut receiver = SequencedReceiver::default();
    match target {
        Target::HostWorld => too_large(decode::<ClientWorldMessage>(channel, &big).map(drop)),
        Target::ClientWorld => too_large(decode::<HostWorldMessage>(channel, &big).map(drop)),
        Target::ClientBulk => too_large(decode::<HostBulkMessage>(channel, &big).map(drop)),
        Target::ClientPresence => too_large(decode::<PresenceRelay>(channel, &big).map(drop)),
        Target::HostPresence => sequenced_too_large(
            decode_sequenced::<ClientPresence>(channel, &mut receiver, &big).map(drop),
        ),
        Target::HostState => sequenced_too_large(
            decode_sequenced::<ClientState>(channel, &mut receiver, &big).map(drop),
        ),
        Target::ClientState => sequenced_too_large(
            decode_sequenced::<StateRelay>(channel, &mut receiver, &big).map(drop),
        ),
        Target::HostRaw => too_large(decode::<ClientRaw>(channel, &big).map(drop)),
        Target::ClientRaw => too_large(decode::<HostRaw>(channel, &big).map(drop)),
        Target::SnapshotCompressed | Target::SnapshotBody | Target::SequencedStream => {}
    }
    // The sending side refuses what the receiving side would: a chunk this large (its
    // bytes plus the tag and length prefix) cannot be encoded for the channel.
    let chunk = HostBulkMessage::SnapshotChunk(big.clone());
    let encoded_len = encode_unbounded(&chunk).len();
    match encode(channel, &chunk) {
        Err(CodecError::TooLarge {
            len, cap: limit, ..
        }) => {
            assert_eq!((len, limit), (encoded_len, cap))
        }
        other => panic!("{encoded_len}-byte chunk encoded for {channel:?}: {other:?}"),
    }
}

thread_local! {
    /// The world the host answers audits from and validates actions against: built
    /// once per thread, never changed.
    static WORLD: World = fresh_world();
}

/// The host's handling of a decoded client message that does not need a connection.
fn host_handles(message: &ClientWorldMessage) {
    WORLD.with(|world| match message {
        ClientWorldMessage::Action { action, .. } => {
            // The host validates whatever a player sends against its world.
            let player = PlayerId(1);
            let verdict = rules::validate(world, player, action);
            if action.is_host_only() {
                assert_eq!(verdict, Err(Rejection::HostOnly));
            }
        }
        ClientWorldMessage::Audit(ClientAudit::Nodes { round, nodes }) => {
            let tree = world.resource::<DigestTree>();
            match answer_nodes(tree, *round, nodes, AUDIT_BUDGET) {
                Ok(answer) => {
                    for node in &answer.items {
                        assert!(node.node.is_valid() && node.node.level < TREE_DEPTH);
                    }
                    check_answer(&answer.items, answer.bytes, |nodes, more| {
                        HostAudit::Nodes {
                            round: *round,
                            revision: Revision(u64::MAX),
                            more,
                            nodes,
                        }
                    });
                }
                Err(violation) => assert_eq!(validate_nodes(nodes), Err(violation)),
            }
        }
        ClientWorldMessage::Audit(ClientAudit::Objects { round, leaves }) => {
            let tree = world.resource::<DigestTree>();
            match answer_objects(world, tree, *round, leaves, AUDIT_BUDGET) {
                Ok(answer) => {
                    for fix in &answer.items {
                        match fix {
                            ObjectFix::State(record) => {
                                assert_eq!(world.object(record.id).as_ref(), Some(record))
                            }
                            ObjectFix::Absent(id) => assert_eq!(world.object(*id), None),
                        }
                    }
                    check_answer(&answer.items, answer.bytes, |fixes, more| {
                        HostAudit::Objects {
                            round: *round,
                            revision: Revision(u64::MAX),
                            more,
                            fixes,
                        }
                    });
                }
                Err(violation) => assert_eq!(validate_leaves(leaves), Err(violation)),
            }
        }
        ClientWorldMessage::Event(event) => host_relays_event(world, event),
        // Reliable raw messages travel on `world` both ways.
        ClientWorldMessage::Raw(raw)
            if check_raw(SendType::Reliable, &raw.target, raw.bytes.len()).is_ok() =>
        {
            for sender in SENDERS {
                let relayed = HostWorldMessage::Raw(HostRaw {
                    sender,
                    sequence: raw.sequence,
                    bytes: raw.bytes.clone(),
                });
                encode(Channel::World, &relayed)
                    .expect("an admitted reliable raw message relays within world");
            }
        }
        // Hello needs a connection; the rest carries nothing the host acts on alone.
        _ => {}
    });
}

/// The senders a relayed copy can name, the widest one included (a 3-byte player id).
const SENDERS: [EventSender; 3] = [
    EventSender::Host,
    EventSender::Player(PlayerId(1)),
    EventSender::Player(PlayerId(u16::MAX)),
];

/// The host's relay of an event it admitted: every copy fits `world` (the host's
/// `send_world` panics otherwise). Checked for the shape every event must have, and
/// against a registry with a free-form and a typed event like a game registers.
fn host_relays_event(world: &World, event: &ClientEvent) {
    let mut registry = EventRegistry::default();
    registry.register("wave").register_with(
        "score",
        EventDef {
            params: Some(vec![ParamKind::Player, ParamKind::Int]),
            rate_per_s: 10,
        },
    );
    let registered = registry.check(&event.name, &event.target, &event.params);
    if check_shape(&event.name, &event.target, &event.params).is_err() {
        assert!(
            registered.is_err(),
            "the registry admitted a malformed event"
        );
        return;
    }
    if let EventTarget::Owner(Some(object)) = event.target {
        // The host looks the owner up in its world; any id must be harmless.
        let _ = world.object(object);
    }
    for sender in SENDERS {
        let relayed = HostWorldMessage::Event(HostEvent {
            sender,
            name: event.name.clone(),
            params: event.params.clone(),
        });
        encode(Channel::World, &relayed).expect("an admitted event relays within world");
    }
}

/// The host's relay of a raw message from the `raw` channel: admitted by `check_raw`
/// for its send type, every copy fits `raw` (the host's `deliver_raw` panics otherwise).
fn host_relays_unreliable_raw(raw: ClientRaw) {
    let send_type = if raw.sequence.is_some() {
        SendType::UnreliableSequenced
    } else {
        SendType::Unreliable
    };
    if check_raw(send_type, &raw.target, raw.bytes.len()).is_err() {
        return;
    }
    for sender in SENDERS {
        let relayed = HostRaw {
            sender,
            sequence: raw.sequence,
            bytes: raw.bytes.clone(),
        };
        encode(Channel::Raw, &relayed).expect("an admitted raw message relays within raw");
    }
}

/// An audit answer stays within its budget, counts its bytes right, and splits into
/// `world` messages that encode: the host `expect`s exactly that when it sends them.
fn check_answer<T: Serialize + Clone>(
    items: &[T],
    bytes: usize,
    wrap: impl Fn(Vec<T>, bool) -> HostAudit,
) {
    assert!(bytes <= AUDIT_BUDGET, "{bytes}-byte answer over the budget");
    assert_eq!(bytes, items.iter().map(encoded_len).sum::<usize>());
    for run in chunk(items.to_vec(), list_budget()) {
        let message = HostWorldMessage::Audit(wrap(run, true));
        encode(Channel::World, &message).expect("audit answers are chunked to fit world");
    }
}

/// The client's handling of a decoded host message that does not need a session.
fn client_handles(message: &HostWorldMessage) {
    WORLD.with(|world| match message {
        HostWorldMessage::Audit(HostAudit::Nodes { round, nodes, .. }) => {
            let overlay = ConfirmedOverlay::default();
            let view = ConfirmedView::new(world.resource::<DigestTree>(), &overlay);
            let well_formed = nodes.iter().all(|n| {
                n.node.is_valid()
                    && n.node.level < TREE_DEPTH
                    && n.children.len() == racksync_protocol::audit::TREE_FANOUT
            });
            match compare_nodes(&view, *round, nodes) {
                Ok(next) => {
                    assert!(well_formed, "compare_nodes took {nodes:?}");
                    // The host answers at levels 1 and 3; the client's next requests
                    // after such an answer must be ones the host accepts.
                    if nodes.iter().all(|n| n.node.level % 2 == 1) {
                        for run in chunk(next.nodes, list_budget()) {
                            if !run.is_empty() {
                                assert_eq!(validate_nodes(&run), Ok(()));
                            }
                        }
                        for run in chunk(next.leaves, list_budget()) {
                            if !run.is_empty() {
                                assert_eq!(validate_leaves(&run), Ok(()));
                            }
                        }
                    }
                }
                Err(_) => assert!(!well_formed, "compare_nodes refused {nodes:?}"),
            }
        }
        HostWorldMessage::Broadcast { actor, action, .. } => {
            let _ = rules::validate(world, *actor, action);
        }
        _ => {}
    });
}

/// The client's snapshot path from the compressed bytes of the `bulk` chunks.
fn compressed_snapshot(bytes: &[u8]) {
    if let Ok(body) = decode_snapshot(bytes) {
        load_body(body);
    }
}

/// The client's snapshot path after inflation, mirroring `decode_snapshot`.
fn raw_snapshot(bytes: &[u8]) {
    let Ok((body, rest)) = decode_prefix::<SnapshotBody>(bytes) else {
        return;
    };
    let encoded = encode_unbounded(&body);
    assert!(encoded.len() <= bytes.len() - rest.len());
    let (again, tail) = decode_prefix::<SnapshotBody>(&encoded).expect("a body re-decodes");
    assert!(tail.is_empty());
    assert_eq!(again, body);
    if rest.is_empty() {
        load_body(body);
    }
}

/// What the client does with a decoded snapshot body: refuse it if inconsistent,
/// otherwise load it. Whatever passes the check must load into a sound world.
fn load_body(body: SnapshotBody) {
    if check_consistency(
        &body.settings,
        body.objects.iter().cloned(),
        Holding::Allowed,
    )
    .is_err()
    {
        return;
    }
    let mut expected = body.clone();
    expected.objects.sort_unstable_by_key(|r| r.id);
    let mut world = World::new();
    world.init_world_resources();
    world
        .load_snapshot(body, Revision(0))
        .expect("a consistent snapshot loads");
    check_world(&world);
    assert_eq!(world.snapshot_body(), expected, "the loaded world differs");
}

/// Frames (`[len][len bytes]`) into one receiver of one stream type, each outcome
/// compared with a model of the sequenced delivery mode.
fn stream(payload: &[u8]) {
    let mut input = ByteReader::new(payload);
    let kind = input.u8() % 4;
    if kind == 3 {
        raw_stream(&mut input);
        return;
    }
    let mut receiver = SequencedReceiver::default();
    let mut latest: Option<u16> = None;
    while !input.is_empty() {
        let len = usize::from(input.u8());
        let frame = input.take(len);
        match kind {
            0 => frame_step::<ClientPresence>(Channel::Presence, &mut receiver, &mut latest, frame),
            1 => frame_step::<ClientState>(Channel::State, &mut receiver, &mut latest, frame),
            _ => frame_step::<StateRelay>(Channel::State, &mut receiver, &mut latest, frame),
        }
    }
}

/// Frames of [`HostRaw`] from several senders through the client's per-sender filter,
/// against a model: unsequenced ones always pass, sequenced ones only when newer than
/// everything delivered from the same sender.
fn raw_stream(input: &mut ByteReader<'_>) {
    let mut sequences = RawSequences::default();
    let mut latest: BTreeMap<EventSender, u16> = BTreeMap::new();
    while !input.is_empty() {
        let len = usize::from(input.u8());
        let Ok(raw) = decode::<HostRaw>(Channel::Raw, input.take(len)) else {
            continue;
        };
        let expected = match (raw.sequence, latest.get(&raw.sender)) {
            (None, _) => true,
            (Some(_), None) => true,
            (Some(seq), Some(&last)) => (1..0x8000).contains(&seq.wrapping_sub(last)),
        };
        assert_eq!(sequences.admit(&raw), expected, "{raw:?} after {latest:?}");
        if let (true, Some(seq)) = (expected, raw.sequence) {
            latest.insert(raw.sender, seq);
        }
    }
}

/// Feeds one frame to `receiver` and checks the outcome against the model, whose state
/// is `latest`, the newest sequence number delivered so far.
fn frame_step<T>(
    channel: Channel,
    receiver: &mut SequencedReceiver,
    latest: &mut Option<u16>,
    frame: &[u8],
) where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let got = decode_sequenced::<T>(channel, receiver, frame);
    if frame.len() < 2 {
        assert_eq!(got, Err(SequencedError::Dropped(SequencedDrop::Truncated)));
        return;
    }
    let seq = u16::from_le_bytes([frame[0], frame[1]]);
    let Ok(message) = decode::<T>(channel, &frame[2..]) else {
        assert!(
            matches!(got, Err(SequencedError::Codec(_))),
            "junk payload: {got:?}"
        );
        return;
    };
    // RFC 1982 on 16 bits: newer when up to half the circle ahead.
    let expected = match *latest {
        Some(last) if last == seq => Err(SequencedDrop::Duplicate(seq)),
        Some(last) if !(1..0x8000).contains(&seq.wrapping_sub(last)) => {
            Err(SequencedDrop::Stale(seq))
        }
        _ => Ok((message, Seq16(seq))),
    };
    assert_eq!(
        got,
        expected.map_err(SequencedError::Dropped),
        "frame {frame:?}"
    );
    if got.is_ok() {
        *latest = Some(seq);
    }
}

/// Seed inputs for the `decoders` corpus: real messages of every channel, direction and
/// variant, behind their selectors, plus snapshots, streams and oversized variants.
pub fn seed_inputs() -> Vec<(String, Vec<u8>)> {
    let world = fresh_world();
    let mut seeds = Vec::new();
    let mut add = |name: &str, target: Target, bytes: Vec<u8>| {
        let mut input = vec![target.selector()];
        input.extend(bytes);
        seeds.push((format!("seed-{name}"), input));
    };

    // Client → host, world.
    let id = ObjectId::new(0, 12);
    let pos = PosMm::new(-1_500, 0, 2_500);
    let actions = [
        Action::PickUp { object: id },
        Action::Drop {
            object: id,
            pos,
            yaw: 300,
        },
        Action::InstallInRack {
            object: id,
            slot: RackSlot {
                rack: ObjectId::new(0, 1),
                unit: 7,
            },
        },
        Action::RemoveFromRack { object: id },
        Action::SetPower {
            object: id,
            on: true,
        },
        Action::SetProperty {
            object: id,
            value: Property::Ip(Some(std::net::Ipv4Addr::new(10, 1, 2, 3))),
        },
        Action::SetProperty {
            object: id,
            value: Property::Label(Some("édge-01".into())),
        },
        Action::ConnectCable {
            cable: ObjectId::new(0, 4),
            ends: [
                CableEnd::Port {
                    device: ObjectId::new(0, 2),
                    port: 3,
                },
                CableEnd::Customer(9),
            ],
        },
        Action::DisconnectCable {
            cable: ObjectId::new(0, 4),
        },
        Action::Spawn {
            object: ObjectId::new(1, 1),
            kind: ObjectKind::Server3U,
            pos,
            yaw: 0,
        },
        Action::Destroy { object: id },
        Action::InsertSfp {
            module: id,
            switch: ObjectId::new(0, 2),
            port: 5,
        },
        Action::RemoveSfp { module: id },
        Action::Repair { object: id },
        Action::Break { object: id },
        Action::Wear { seconds: 3_600 },
        Action::Release {
            object: id,
            pos,
            yaw: 1,
        },
    ];
    for (n, action) in actions.iter().enumerate() {
        let message = ClientWorldMessage::Action {
            seq: 300 + n as u16,
            action: action.clone(),
        };
        add(
            &format!("host-action-{n:02}"),
            Target::HostWorld,
            world_bytes(&message),
        );
    }
    add(
        "host-hello",
        Target::HostWorld,
        world_bytes(&ClientWorldMessage::Hello(racksync_protocol::Hello {
            protocol_version: racksync_protocol::PROTOCOL_VERSION,
            protocol_hash: racksync_protocol::protocol_hash(),
            name: "alice".into(),
        })),
    );
    add(
        "host-goodbye",
        Target::HostWorld,
        world_bytes(&ClientWorldMessage::Goodbye),
    );
    // Messaging: a typed event, a free-form one with every parameter type, a reliable
    // raw message; then the raw channel both ways.
    let events = [
        ClientEvent {
            name: "score".into(),
            target: EventTarget::Players(vec![PlayerId(2), PlayerId(300)]),
            params: vec![EventParam::Player(PlayerId(2)), EventParam::Int(-5)],
        },
        ClientEvent {
            name: "wave".into(),
            target: EventTarget::Owner(Some(ObjectId::new(0, 23))),
            params: vec![
                EventParam::Bool(true),
                EventParam::Long(i64::MIN),
                EventParam::Float(F32::from(-0.5)),
                EventParam::Vec3([F32(u32::MAX); 3]),
                EventParam::Text("héllo".into()),
                EventParam::Bytes(vec![0, 255, 7]),
                EventParam::Object(ObjectId(u32::MAX)),
                EventParam::Player(PlayerId(u16::MAX)),
            ],
        },
    ];
    for (n, event) in events.iter().enumerate() {
        add(
            &format!("host-event-{n}"),
            Target::HostWorld,
            world_bytes(&ClientWorldMessage::Event(event.clone())),
        );
    }
    let raw = ClientRaw {
        target: RawTarget::Others,
        sequence: None,
        bytes: b"reliable".to_vec(),
    };
    add(
        "host-raw-reliable",
        Target::HostWorld,
        world_bytes(&ClientWorldMessage::Raw(raw)),
    );
    let sequenced_raw = ClientRaw {
        target: RawTarget::Players(vec![PlayerId(1), PlayerId(2)]),
        sequence: Some(65_535),
        bytes: vec![0xab; racksync_protocol::raw::MAX_RAW_UNRELIABLE_BYTES],
    };
    add(
        "host-raw-sequenced",
        Target::HostRaw,
        encode(Channel::Raw, &sequenced_raw).expect("fits"),
    );
    let delivered = HostRaw {
        sender: EventSender::Player(PlayerId(2)),
        sequence: Some(9),
        bytes: b"pos".to_vec(),
    };
    add(
        "client-raw",
        Target::ClientRaw,
        encode(Channel::Raw, &delivered).expect("fits"),
    );
    // Two senders' sequenced raw messages interleaved, with a stale and a duplicate.
    let mut raw_stream = vec![3u8];
    for (sender, seq) in [
        (1, 5u16),
        (2, 5),
        (1, 4),
        (1, 6),
        (2, 5),
        (1, 40_000),
        (2, 6),
    ] {
        let frame = encode(
            Channel::Raw,
            &HostRaw {
                sender: EventSender::Player(PlayerId(sender)),
                sequence: Some(seq),
                bytes: vec![seq as u8],
            },
        )
        .expect("fits");
        raw_stream.push(frame.len() as u8);
        raw_stream.extend(frame);
    }
    add("stream-raw", Target::SequencedStream, raw_stream);
    let overlay = ConfirmedOverlay::default();
    let tree = world.resource::<DigestTree>();
    let view = ConfirmedView::new(tree, &overlay);
    // A client whose world differs everywhere: a salted root request for another round.
    let root = root_request(&view, 7);
    add(
        "host-audit-nodes",
        Target::HostWorld,
        world_bytes(&ClientWorldMessage::Audit(ClientAudit::Nodes {
            round: 8,
            nodes: vec![root.clone()],
        })),
    );
    let mut leaves: Vec<LeafObjects> = world
        .objects_sorted()
        .iter()
        .take(6)
        .map(|r| racksync_protocol::audit::leaf_of(r.id))
        .map(|leaf| LeafObjects {
            leaf,
            objects: tree
                .leaf_objects(leaf)
                .map(|(id, hash)| (id, racksync_protocol::Digest32(hash as u32)))
                .collect(),
        })
        .collect();
    leaves.sort_unstable_by_key(|l| l.leaf);
    leaves.dedup_by_key(|l| l.leaf);
    add(
        "host-audit-objects",
        Target::HostWorld,
        world_bytes(&ClientWorldMessage::Audit(ClientAudit::Objects {
            round: 3,
            leaves,
        })),
    );

    // Client → host, presence and state (sequenced).
    let transform = QuantizedTransform::from_metres([12.3, 1.7, -8.2], 1.0, -0.2);
    let mut sender = SequencedSender::default();
    let presence =
        encode_sequenced(Channel::Presence, &mut sender, &ClientPresence(transform)).expect("fits");
    add("host-presence", Target::HostPresence, presence.clone());
    let state = ClientState(PlayerState {
        carrying: true,
        posture: Posture::Crouching,
    });
    let state_bytes = encode_sequenced(Channel::State, &mut sender, &state).expect("fits");
    add("host-state", Target::HostState, state_bytes.clone());

    // Host → client, world.
    let object = world.objects_sorted()[1].clone();
    let host_messages = [
        HostWorldMessage::Welcome(Welcome {
            player: PlayerId(3),
            revision: Revision(41),
            tick_hz: 30,
        }),
        HostWorldMessage::Refused(Refusal::VersionMismatch { host: 2, client: 1 }),
        HostWorldMessage::Refused(Refusal::HashMismatch { host: 1, client: 2 }),
        HostWorldMessage::Refused(Refusal::InvalidName),
        HostWorldMessage::Refused(Refusal::Full),
        HostWorldMessage::Refused(Refusal::ProtocolViolation("Hello twice".into())),
        HostWorldMessage::Refused(Refusal::Silent { seconds: 10 }),
        HostWorldMessage::Ack {
            seq: 65_535,
            outcome: AckOutcome::Accepted { revision_low: 200 },
        },
        HostWorldMessage::Ack {
            seq: 2,
            outcome: AckOutcome::Rejected(Rejection::SlotOccupied(ObjectId::new(0, 5))),
        },
        HostWorldMessage::Broadcast {
            revision: Revision(1 << 40),
            actor: PlayerId(2),
            action: actions[2].clone(),
        },
        HostWorldMessage::Roster(RosterUpdate::Joined {
            player: PlayerId(300),
            name: "bob".into(),
            since: HostTick(65_000),
        }),
        HostWorldMessage::Roster(RosterUpdate::Left {
            player: PlayerId(4),
        }),
        HostWorldMessage::Audit(HostAudit::Root {
            revision: Revision(77),
            digest: Digest64(world.digest().value()),
        }),
        HostWorldMessage::Audit(HostAudit::Objects {
            round: 5,
            revision: Revision(77),
            more: false,
            fixes: vec![
                ObjectFix::State(object),
                ObjectFix::Absent(ObjectId::new(3, 3)),
            ],
        }),
        HostWorldMessage::Event(HostEvent {
            sender: EventSender::Host,
            name: "score".into(),
            params: vec![EventParam::Player(PlayerId(2)), EventParam::Int(7)],
        }),
        HostWorldMessage::EventRefused {
            name: "wave".into(),
            reason: EventError::RateLimited("wave".into()),
        },
        HostWorldMessage::Raw(HostRaw {
            sender: EventSender::Player(PlayerId(4)),
            sequence: None,
            bytes: vec![1, 2, 3],
        }),
        HostWorldMessage::Owner(Some(PlayerId(3))),
        HostWorldMessage::Owner(None),
    ];
    for (n, message) in host_messages.iter().enumerate() {
        add(
            &format!("client-world-{n:02}"),
            Target::ClientWorld,
            world_bytes(message),
        );
    }
    // Host answers at levels 1 and 3, as in a real descent.
    for level in [1u8, 3] {
        let nodes: Vec<NodeDigests> = (0..3)
            .map(|i| {
                let node = NodeRef {
                    level,
                    index: i * 5,
                };
                NodeDigests {
                    node,
                    children: racksync_audit::answer::child_digests(|n| tree.node(n), node, 9),
                }
            })
            .collect();
        let message = HostWorldMessage::Audit(HostAudit::Nodes {
            round: 10,
            revision: Revision(3),
            more: true,
            nodes,
        });
        add(
            &format!("client-audit-level-{level}"),
            Target::ClientWorld,
            world_bytes(&message),
        );
    }

    // Host → client, bulk: a real snapshot of the default world.
    let snapshot = EncodedSnapshot::capture(&world);
    let begin = HostBulkMessage::SnapshotBegin {
        revision: snapshot.revision,
        objects: snapshot.objects,
        bytes: snapshot.compressed.len() as u32,
        digest: snapshot.digest,
    };
    add(
        "client-bulk-begin",
        Target::ClientBulk,
        encode(Channel::Bulk, &begin).expect("fits"),
    );
    let chunk_message = HostBulkMessage::SnapshotChunk(snapshot.compressed.to_vec());
    add(
        "client-bulk-chunk",
        Target::ClientBulk,
        encode(Channel::Bulk, &chunk_message).expect("fits"),
    );
    add(
        "snapshot-default",
        Target::SnapshotCompressed,
        snapshot.compressed.to_vec(),
    );
    add(
        "snapshot-body-default",
        Target::SnapshotBody,
        encode_unbounded(&world.snapshot_body()),
    );
    // A small consistent world: the first rack with what is installed in it.
    let rack = world.objects_sorted()[0].id;
    let small = SnapshotBody {
        settings: world.snapshot_body().settings,
        objects: world
            .objects_sorted()
            .into_iter()
            .filter(|r| {
                r.id == rack
                    || matches!(r.placement, racksync_protocol::Placement::InRack(s) if s.rack == rack)
                        && r.kind != ObjectKind::Switch
            })
            .collect(),
    };
    let mut small_world = World::new();
    small_world.init_world_resources();
    if small_world
        .load_snapshot(small.clone(), Revision(0))
        .is_ok()
    {
        let small_snapshot = EncodedSnapshot::capture(&small_world);
        add(
            "snapshot-small",
            Target::SnapshotCompressed,
            small_snapshot.compressed.to_vec(),
        );
    }
    add(
        "snapshot-body-small",
        Target::SnapshotBody,
        encode_unbounded(&small),
    );

    // Host → client, presence and state.
    let relay = PresenceRelay {
        tick: HostTick(40_000),
        entries: (1..=3)
            .map(|p| PresenceEntry {
                player: PlayerId(p * 100),
                transform,
            })
            .collect(),
    };
    add(
        "client-presence",
        Target::ClientPresence,
        encode(Channel::Presence, &relay).expect("fits"),
    );
    let state_relay = StateRelay {
        tick: HostTick(9),
        entries: vec![
            StateEntry {
                player: PlayerId(2),
                state: state.0,
            },
            StateEntry {
                player: PlayerId(20_000),
                state: PlayerState::default(),
            },
        ],
    };
    let state_relay_bytes =
        encode_sequenced(Channel::State, &mut sender, &state_relay).expect("fits");
    add(
        "client-state",
        Target::ClientState,
        state_relay_bytes.clone(),
    );

    // Streams: in order, a duplicate, a stale one, and across the wrap.
    for (kind, frame) in [(0u8, &presence), (1, &state_bytes), (2, &state_relay_bytes)] {
        let mut bytes = vec![kind];
        for seq in [65_534u16, 65_535, 65_535, 0, 65_533, 1, 40_000] {
            bytes.push(frame.len() as u8);
            bytes.extend(seq.to_le_bytes());
            bytes.extend(&frame[2..]);
        }
        add(&format!("stream-{kind}"), Target::SequencedStream, bytes);
    }

    // Oversized variants of a real message on each bounded target.
    for target in Target::ALL {
        if target.channel().is_some() {
            let mut input = vec![target.selector() | 0x80];
            input.extend(&presence);
            seeds.push((format!("seed-oversize-{}", target.selector()), input));
        }
    }
    seeds
}

/// A seed message encoded for the `world` channel.
fn world_bytes<T: Serialize>(message: &T) -> Vec<u8> {
    encode(Channel::World, message).expect("seed messages fit the world channel")
}
