//! Client: the local player's presence, set by the game and sent at 20 Hz once playing.

use crate::client::ClientSession;
use crate::presence::settings::ClientPresenceSettings;
use crate::presence::stats::ClientPresenceStats;
use bevy_ecs::prelude::*;
use bevy_log::error;
use bevy_renet::RenetClient;
use bevy_time::{Real, Time};
use core::time::Duration;
use racksync_protocol::presence::{ClientPresence, ClientState, encode_sequenced};
use racksync_protocol::sequence::SequencedSender;
use racksync_protocol::{Channel, PlayerState, QuantizedTransform};

/// The local player's transform and state. The game writes it whenever it likes; the
/// presence system samples it at the send rate.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LocalPresence {
    /// The transform, once the game has placed the player.
    pub transform: Option<QuantizedTransform>,
    /// Carry pose and posture.
    pub state: PlayerState,
}

impl LocalPresence {
    /// Sets the transform from a position in metres and a heading in radians (pitch 0).
    pub fn set_transform(&mut self, position_metres: [f32; 3], yaw_radians: f32) {
        self.set_transform_with_pitch(position_metres, yaw_radians, 0.0);
    }

    /// Sets the transform from a position in metres and heading and pitch in radians.
    pub fn set_transform_with_pitch(
        &mut self,
        position_metres: [f32; 3],
        yaw_radians: f32,
        pitch_radians: f32,
    ) {
        self.transform = Some(QuantizedTransform::from_metres(
            position_metres,
            yaw_radians,
            pitch_radians,
        ));
    }
}

/// The client's outgoing presence streams and what was last sent on them.
#[derive(Resource, Debug, Default)]
pub struct PresenceUplink {
    presence_out: SequencedSender,
    state_out: SequencedSender,
    next_due: Option<Duration>,
    last_transform: Option<(QuantizedTransform, Duration)>,
    last_state: Option<(PlayerState, Duration)>,
}

/// At most once per [`ClientPresenceSettings::send_interval`], sends the local
/// transform on `presence` and the state on `state` when they changed since the last
/// send or the keepalive ran out. Only while [`crate::JoinState::Playing`]: before that
/// the host has no roster entry for us and would drop them, and a game has nothing
/// meaningful to report while the world loads.
///
/// Runs in [`crate::RacksyncSystems::Send`] on the client.
pub fn send_local_presence(
    mut client: ResMut<RenetClient>,
    session: Res<ClientSession>,
    local: Res<LocalPresence>,
    settings: Res<ClientPresenceSettings>,
    mut uplink: ResMut<PresenceUplink>,
    mut stats: ResMut<ClientPresenceStats>,
    time: Res<Time<Real>>,
) {
    if !session.state.is_playing() || !client.is_connected() {
        return;
    }
    let now = time.elapsed();
    let due = uplink.next_due.unwrap_or(now);
    if now < due {
        return;
    }
    // Keep the 20 Hz cadence on average, but never build a backlog after a long frame.
    let mut next = due + settings.send_interval;
    if next <= now {
        next = now + settings.send_interval;
    }
    uplink.next_due = Some(next);
    let stale = |sent_at: Duration| now.saturating_sub(sent_at) >= settings.keepalive;

    if let Some(transform) = local.transform
        && uplink
            .last_transform
            .is_none_or(|(sent, at)| sent != transform || stale(at))
    {
        let uplink = &mut *uplink;
        match encode_sequenced(
            Channel::Presence,
            &mut uplink.presence_out,
            &ClientPresence(transform),
        ) {
            Ok(bytes) => {
                stats.transforms_sent += 1;
                stats.bytes_sent += bytes.len() as u64;
                client.send_message(Channel::Presence, bytes);
                uplink.last_transform = Some((transform, now));
            }
            Err(error) => error!(%error, "presence does not fit its channel"),
        }
    }
    let state = local.state;
    if uplink
        .last_state
        .is_none_or(|(sent, at)| sent != state || stale(at))
    {
        let uplink = &mut *uplink;
        match encode_sequenced(Channel::State, &mut uplink.state_out, &ClientState(state)) {
            Ok(bytes) => {
                stats.states_sent += 1;
                stats.bytes_sent += bytes.len() as u64;
                client.send_message(Channel::State, bytes);
                uplink.last_state = Some((state, now));
            }
            Err(error) => error!(%error, "state does not fit its channel"),
        }
    }
}
