//! Presence (SPEC §9): player transforms on `presence`, carry/crouch/sit state on
//! `state`, the host's batched relays, and the roster of players on `world`.

pub mod framing;
pub mod pose;
pub mod relay;
pub mod roster;
pub mod transform;

pub use framing::{SequencedError, decode_sequenced, encode_sequenced};
pub use pose::{PlayerState, Posture};
pub use relay::{
    ClientPresence, ClientState, HostTick, PresenceEntry, PresenceRelay, StateEntry, StateRelay,
    presence_relays, state_relays,
};
pub use roster::RosterUpdate;
pub use transform::{QuantizedTransform, TRANSFORM_WIRE_BYTES};

use crate::codec::encode_unbounded;
use crate::ids::PlayerId;
use crate::message::{HostWorldMessage, Refusal};

/// One encoding of every presence wire type and variant, for the protocol hash.
pub(crate) fn exemplar_encodings() -> Vec<Vec<u8>> {
    let transform = QuantizedTransform {
        x_cm: -1,
        y_cm: 2,
        z_cm: 3,
        yaw: 4,
        pitch: -5,
    };
    let state = PlayerState {
        carrying: true,
        posture: Posture::Sitting,
    };
    let tick = HostTick(6);
    let player = PlayerId(7);
    vec![
        encode_unbounded(&ClientPresence(transform)),
        encode_unbounded(&ClientState(state)),
        encode_unbounded(&PresenceRelay {
            tick,
            entries: vec![PresenceEntry { player, transform }],
        }),
        encode_unbounded(&StateRelay {
            tick,
            entries: vec![StateEntry { player, state }],
        }),
        encode_unbounded(&HostWorldMessage::Roster(RosterUpdate::Joined {
            player,
            name: "n".into(),
            since: tick,
        })),
        encode_unbounded(&HostWorldMessage::Roster(RosterUpdate::Left { player })),
        encode_unbounded(&Refusal::Silent { seconds: 10 }),
    ]
}
