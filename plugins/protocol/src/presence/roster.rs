//! Who is in the world: joins and leaves of players, on the reliable `world` channel.
//!
//! Names only travel here, once per join, so the 20 Hz relays carry nothing but ids.
//! A newcomer receives one `Joined` per player already present right after its
//! Welcome (the channel is ordered), then every later join and leave.

use crate::ids::PlayerId;
use crate::presence::relay::HostTick;
use serde::{Deserialize, Serialize};

/// A change of the set of players, host → client as `HostWorldMessage::Roster`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RosterUpdate {
    /// A player is present.
    Joined {
        /// The player.
        player: PlayerId,
        /// Display name (validated by the host at Hello, at most 32 bytes).
        name: String,
        /// Relays for this player from ticks before `since` belong to an earlier holder
        /// of the same id and are ignored (they may still be in flight on unreliable
        /// channels when the id is reused).
        since: HostTick,
    },
    /// A player left (quit, lost connection, dropped for silence or kicked). Objects it
    /// held are released by the host as ordinary broadcast actions.
    Left {
        /// The player.
        player: PlayerId,
    },
}
