//! racksync's wire protocol: ids, world-object state, actions, the messages of each
//! channel, the one channel table, the postcard codec and the protocol hash.
//!
//! This is the only crate that defines wire types. It has no Bevy dependency, so a
//! tool that only needs to speak the protocol can use it alone.

pub mod action;
pub mod audit;
pub mod channel;
pub mod codec;
pub mod events;
pub mod ids;
pub mod kind;
pub mod message;
pub mod placement;
pub mod presence;
pub mod raw;
pub mod record;
pub mod sequence;
pub mod snapshot;
pub mod version;

pub use action::{Action, Property, Rejection};
pub use audit::{
    ClientAudit, Digest32, Digest64, HostAudit, LeafObjects, NodeDigests, NodeRef, ObjectFix,
};
pub use channel::{
    CHANNELS, Channel, ChannelSpec, DEFAULT_BYTES_PER_TICK, Delivery, connection_config,
};
pub use codec::{CodecError, decode, encode};
pub use events::{
    ClientEvent, EventError, EventParam, EventSender, EventTarget, F32, HostEvent, ParamKind,
};
pub use ids::{MAX_NAMESPACE, ObjectId, PlayerId, Revision};
pub use kind::{ObjectKind, RACK_UNITS};
pub use message::{
    AckOutcome, ClientWorldMessage, Hello, HostBulkMessage, HostWorldMessage,
    MAX_PLAYER_NAME_BYTES, Refusal, Welcome,
};
pub use placement::{Placement, PosMm, RackSlot};
pub use presence::{
    HostTick, PlayerState, Posture, PresenceEntry, PresenceRelay, QuantizedTransform, RosterUpdate,
    StateEntry, StateRelay,
};
pub use raw::{ClientRaw, HostRaw, RawError, RawTarget, SendType};
pub use record::{CableEnd, Health, MAX_LABEL_BYTES, ObjectRecord, Properties};
pub use sequence::{Seq16, SequencedDrop, SequencedReceiver, SequencedSender};
pub use snapshot::{SnapshotBody, WorldBounds, WorldSettings};
pub use version::{PROTOCOL_VERSION, protocol_hash};
