//! racksync replication: the join handshake and snapshot on both sides, the frame's
//! system sets, and the plumbing that hands live updates to authority and rollback.

pub mod client;
pub mod host;
pub mod messaging;
pub mod presence;
pub mod sets;
pub mod snapshot;

pub use client::{
    ClientReplicationPlugin, ClientSession, ClientSettings, JoinState, WorldUpdate, WorldUpdates,
};
pub use host::{
    ActionInbox, BudgetSettings, ClientBudgets, HostActions, HostReplicationPlugin, HostSettings,
    InboundAction, Sessions,
};
pub use messaging::{
    ClientMessagingPlugin, EventRegistry, HostMessagingPlugin, HostOutbox, InstanceOwner,
    MessagingSettings, NetworkEvents, OwnerChanged, RawOutbox, ReceivedEvent, ReceivedRaw,
};
pub use presence::{
    ClientPresencePlugin, HostPresencePlugin, LocalPresence, PlayerLeft, RemotePlayers,
};
pub use sets::RacksyncSystems;
pub use snapshot::EncodedSnapshot;
