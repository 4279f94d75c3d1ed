//! Messaging beside state sync (SPEC §10): registered network events, raw byte
//! messages with three send types, and the instance owner — for host-side systems and
//! for games embedding the client plugins.
//!
//! * Clients send events with the [`NetworkEvents`] system parameter and raw messages
//!   with the [`RawOutbox`] resource; they read [`ReceivedEvent`], [`ReceivedRaw`],
//!   [`EventRefusedNotice`] and [`OwnerChanged`] messages and the [`InstanceOwner`]
//!   resource.
//! * Host-side systems send with [`HostOutbox`], read every player's events as
//!   [`ReceivedEvent`] and the owner as [`InstanceOwner`] / [`OwnerChanged`].
//! * Both sides register the same events in the [`EventRegistry`].

mod client_events;
mod client_raw;
mod delivery;
mod host_receive;
mod host_relay;
mod owner;
mod rate;
mod registry;
mod settings;

pub use client_events::{EventOutbox, NetworkEvents, flush_events};
pub use client_raw::{RawOutbox, RawSequences, flush_raw, receive_raw};
pub use delivery::{EventRefusedNotice, OwnerChanged, ReceivedEvent, ReceivedRaw};
pub use host_receive::receive_raw_from_clients;
pub use host_relay::{
    EventInbox, HostOutbox, HostRawSequence, MessagingStats, RawInbox, SenderLimits, relay_messages,
};
pub use owner::{InstanceOwner, OwnerBook, track_owner};
pub use rate::RateLimiter;
pub use registry::{DEFAULT_EVENT_RATE, EventDef, EventRegistry, MAX_EVENT_RATE};
pub use settings::MessagingSettings;

use crate::sets::{RacksyncSystems, configure_sets};
use bevy_app::prelude::*;
use bevy_ecs::prelude::*;
use bevy_renet::{RenetClient, RenetServer};

/// Host messaging: owner tracking, event and raw relay. Added by
/// [`crate::HostReplicationPlugin`].
///
/// Systems (`Update`): [`receive_raw_from_clients`] in `Receive`; [`track_owner`] then
/// [`relay_messages`] in `Process`.
#[derive(Default)]
pub struct HostMessagingPlugin;

impl Plugin for HostMessagingPlugin {
    fn build(&self, app: &mut App) {
        configure_sets(app);
        app.init_resource::<EventRegistry>()
            .init_resource::<MessagingSettings>()
            .init_resource::<InstanceOwner>()
            .init_resource::<OwnerBook>()
            .init_resource::<EventInbox>()
            .init_resource::<RawInbox>()
            .init_resource::<HostOutbox>()
            .init_resource::<MessagingStats>()
            .init_resource::<SenderLimits>()
            .init_resource::<HostRawSequence>()
            .add_message::<ReceivedEvent>()
            .add_message::<OwnerChanged>()
            .add_systems(
                Update,
                (
                    receive_raw_from_clients.in_set(RacksyncSystems::Receive),
                    (track_owner, relay_messages)
                        .chain()
                        .in_set(RacksyncSystems::Process),
                )
                    .run_if(resource_exists::<RenetServer>),
            );
    }
}

/// Client messaging: event and raw queues, raw receive. Added by
/// [`crate::ClientReplicationPlugin`]; the `world` channel's events, refusals, reliable
/// raw messages and owner changes are handled by the client's world receive.
///
/// Systems (`Update`): [`receive_raw`] in `Receive`; [`flush_events`] and [`flush_raw`]
/// in `Send`.
#[derive(Default)]
pub struct ClientMessagingPlugin;

impl Plugin for ClientMessagingPlugin {
    fn build(&self, app: &mut App) {
        configure_sets(app);
        app.init_resource::<EventRegistry>()
            .init_resource::<MessagingSettings>()
            .init_resource::<InstanceOwner>()
            .init_resource::<EventOutbox>()
            .init_resource::<RawOutbox>()
            .init_resource::<RawSequences>()
            .add_message::<ReceivedEvent>()
            .add_message::<ReceivedRaw>()
            .add_message::<EventRefusedNotice>()
            .add_message::<OwnerChanged>()
            .add_systems(
                Update,
                (
                    receive_raw.in_set(RacksyncSystems::Receive),
                    (flush_events, flush_raw).in_set(RacksyncSystems::Send),
                )
                    .run_if(resource_exists::<RenetClient>),
            );
    }
}
