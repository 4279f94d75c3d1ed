//! Presence (SPEC §9): where the other players are and how they stand.
//!
//! * A client samples [`LocalPresence`] at 20 Hz once it plays and sends its quantized
//!   transform on `presence` and its carry/crouch/sit state on `state` — when they
//!   changed, and at least every second as a keepalive.
//! * The host keeps the newest of each per player ([`PresenceBook`]), identity taken
//!   from the connection, and relays what changed to every other player once per host
//!   tick, batched into one message per channel and receiver.
//! * The roster (names, joins, leaves) travels reliably on `world`; a newcomer learns
//!   everyone present right after its Welcome and gets their transforms and states in its
//!   first relay ([`RemotePlayers`] on the client).
//! * A playing player silent for 10 s is dropped. Every leave — Goodbye, transport
//!   timeout, silence, kick — becomes a [`PlayerLeft`] message; the authority releases
//!   what the player held at its last transform.
//!
//! Schedules (all in `Update`, gated on the renet endpoint existing):
//!
//! | side | set | systems, in order |
//! |---|---|---|
//! | host | `Receive` (after the `world` channel) | [`receive_presence`] → [`drop_silent`] → [`sync_roster`] |
//! | host | `Replicate` | [`relay_presence`] |
//! | client | `Receive` (after the `world` channel) | [`receive_relays`] |
//! | client | `Send` | [`send_local_presence`] |

pub mod client;
pub mod host;
pub mod settings;
pub mod stats;

pub use client::local::{LocalPresence, PresenceUplink, send_local_presence};
pub use client::remote::{PresenceDownlink, RemotePlayer, RemotePlayers, receive_relays};
pub use host::book::{PlayerPresence, PresenceBook, RelayClock};
pub use host::receive::{drop_silent, receive_presence};
pub use host::relay::relay_presence;
pub use host::roster::{LeaveCause, PlayerLeft, sync_roster};
pub use settings::{ClientPresenceSettings, PresenceSettings};
pub use stats::{ClientPresenceStats, HostPresenceStats};

use crate::client::receive_from_host;
use crate::host::receive_from_clients;
use crate::sets::{RacksyncSystems, configure_sets};
use bevy_app::prelude::*;
use bevy_ecs::prelude::*;
use bevy_renet::{RenetClient, RenetServer};

/// Host presence. Added by [`crate::HostReplicationPlugin`].
#[derive(Default)]
pub struct HostPresencePlugin;

impl Plugin for HostPresencePlugin {
    fn build(&self, app: &mut App) {
        configure_sets(app);
        app.init_resource::<PresenceSettings>()
            .init_resource::<PresenceBook>()
            .init_resource::<RelayClock>()
            .init_resource::<HostPresenceStats>()
            .add_message::<PlayerLeft>()
            .add_systems(
                Update,
                (
                    (receive_presence, drop_silent, sync_roster)
                        .chain()
                        .after(receive_from_clients)
                        .in_set(RacksyncSystems::Receive),
                    relay_presence.in_set(RacksyncSystems::Replicate),
                )
                    .run_if(resource_exists::<RenetServer>),
            );
    }
}

/// Client presence. Added by [`crate::ClientReplicationPlugin`].
#[derive(Default)]
pub struct ClientPresencePlugin;

impl Plugin for ClientPresencePlugin {
    fn build(&self, app: &mut App) {
        configure_sets(app);
        app.init_resource::<LocalPresence>()
            .init_resource::<ClientPresenceSettings>()
            .init_resource::<PresenceUplink>()
            .init_resource::<PresenceDownlink>()
            .init_resource::<RemotePlayers>()
            .init_resource::<ClientPresenceStats>()
            .add_systems(
                Update,
                (
                    receive_relays
                        .after(receive_from_host)
                        .in_set(RacksyncSystems::Receive),
                    send_local_presence.in_set(RacksyncSystems::Send),
                )
                    .run_if(resource_exists::<RenetClient>),
            );
    }
}
