//! Network events (SPEC §10): named, registered events with up to eight typed
//! parameters, sent to a target set of players on the `world` channel.

use crate::ids::{ObjectId, PlayerId};
use serde::{Deserialize, Serialize};

/// Most parameters one event carries.
pub const MAX_EVENT_PARAMS: usize = 8;
/// Most parameter bytes one event carries (sizes as [`EventParam::size`] counts them).
pub const MAX_EVENT_PARAM_BYTES: usize = 16 * 1024;
/// Longest event name, in bytes.
pub const MAX_EVENT_NAME_BYTES: usize = 64;
/// Parameter bytes per rate-limit unit: an event of more bytes counts as several events
/// against its rate limits (an event of 2 KB spends two of its five per second).
pub const EVENT_PIECE_BYTES: usize = 1024;
/// Most players an event names as its target.
pub const MAX_EVENT_TARGET_PLAYERS: usize = 64;

/// A 32-bit float carried by its bit pattern, so events compare exactly (and `Eq`
/// holds) and a float crosses the wire unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct F32(pub u32);

impl F32 {
    /// The float.
    pub fn get(self) -> f32 {
        f32::from_bits(self.0)
    }
}

impl From<f32> for F32 {
    fn from(value: f32) -> Self {
        F32(value.to_bits())
    }
}

/// One typed event parameter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventParam {
    /// A boolean (1 byte).
    Bool(bool),
    /// A 32-bit integer (4 bytes).
    Int(i32),
    /// A 64-bit integer (8 bytes).
    Long(i64),
    /// A 32-bit float (4 bytes).
    Float(F32),
    /// Three 32-bit floats (12 bytes), e.g. a position.
    Vec3([F32; 3]),
    /// UTF-8 text (its length in bytes).
    Text(String),
    /// Raw bytes (their length).
    Bytes(Vec<u8>),
    /// A world object (4 bytes).
    Object(ObjectId),
    /// A player (2 bytes).
    Player(PlayerId),
}

impl EventParam {
    /// The parameter's size for the 16 KB limit: its data, without framing.
    pub fn size(&self) -> usize {
        match self {
            EventParam::Bool(_) => 1,
            EventParam::Int(_) | EventParam::Float(_) | EventParam::Object(_) => 4,
            EventParam::Long(_) => 8,
            EventParam::Vec3(_) => 12,
            EventParam::Text(text) => text.len(),
            EventParam::Bytes(bytes) => bytes.len(),
            EventParam::Player(_) => 2,
        }
    }

    /// The parameter's type, as event definitions name it.
    pub fn kind(&self) -> ParamKind {
        match self {
            EventParam::Bool(_) => ParamKind::Bool,
            EventParam::Int(_) => ParamKind::Int,
            EventParam::Long(_) => ParamKind::Long,
            EventParam::Float(_) => ParamKind::Float,
            EventParam::Vec3(_) => ParamKind::Vec3,
            EventParam::Text(_) => ParamKind::Text,
            EventParam::Bytes(_) => ParamKind::Bytes,
            EventParam::Object(_) => ParamKind::Object,
            EventParam::Player(_) => ParamKind::Player,
        }
    }
}

/// A parameter type, for event definitions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ParamKind {
    /// [`EventParam::Bool`].
    Bool,
    /// [`EventParam::Int`].
    Int,
    /// [`EventParam::Long`].
    Long,
    /// [`EventParam::Float`].
    Float,
    /// [`EventParam::Vec3`].
    Vec3,
    /// [`EventParam::Text`].
    Text,
    /// [`EventParam::Bytes`].
    Bytes,
    /// [`EventParam::Object`].
    Object,
    /// [`EventParam::Player`].
    Player,
}

/// Who receives an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventTarget {
    /// Every player; the sender runs its own copy at once.
    All,
    /// Every player but the sender.
    Others,
    /// The owner of an object — the player holding it — or, for `None` or an object
    /// nobody holds, the instance owner.
    Owner(Option<ObjectId>),
    /// Only the sender, at once; never sent (and never rate-limited).
    Local,
    /// These players (the sender's own copy, if listed, runs at once).
    Players(Vec<PlayerId>),
}

/// Who sent an event, as its receivers see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EventSender {
    /// The host itself (a host-side system).
    Host,
    /// A player.
    Player(PlayerId),
}

/// An event a client asks the host to deliver (client → host on `world`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientEvent {
    /// The registered event name.
    pub name: String,
    /// Who receives it.
    pub target: EventTarget,
    /// Its parameters.
    pub params: Vec<EventParam>,
}

/// An event delivered to a client (host → client on `world`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostEvent {
    /// Who sent it (never taken from the sender's payload).
    pub sender: EventSender,
    /// The registered event name.
    pub name: String,
    /// Its parameters.
    pub params: Vec<EventParam>,
}

/// Why an event was not sent or not delivered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum EventError {
    /// No event of this name is registered.
    #[error("event {0:?} is not registered")]
    Unregistered(String),
    /// More than [`MAX_EVENT_PARAMS`] parameters.
    #[error("{0} parameters (at most {MAX_EVENT_PARAMS})")]
    TooManyParams(usize),
    /// The parameters do not match the event's definition.
    #[error("parameters do not match the event's definition: expected {expected}, got {got}")]
    WrongParams {
        /// The defined parameter types.
        expected: String,
        /// The given ones.
        got: String,
    },
    /// Parameters over [`MAX_EVENT_PARAM_BYTES`].
    #[error("{0} bytes of parameters (at most {MAX_EVENT_PARAM_BYTES})")]
    TooLarge(usize),
    /// The name is empty or over [`MAX_EVENT_NAME_BYTES`].
    #[error("event names are 1..={MAX_EVENT_NAME_BYTES} bytes")]
    BadName,
    /// More than [`MAX_EVENT_TARGET_PLAYERS`] target players.
    #[error("{0} target players (at most {MAX_EVENT_TARGET_PLAYERS})")]
    TooManyTargets(usize),
    /// The sender exceeded the event's rate limit on the host (a client that queues as
    /// it should never sees this).
    #[error("event {0:?} sent faster than its rate limit")]
    RateLimited(String),
    /// The client is not playing yet.
    #[error("not connected to a host")]
    NotPlaying,
}

/// Total parameter bytes of an event.
pub fn params_size(params: &[EventParam]) -> usize {
    params.iter().map(EventParam::size).sum()
}

/// How many rate-limit units an event of these parameters spends (at least one).
pub fn rate_units(params: &[EventParam]) -> u64 {
    params_size(params).div_ceil(EVENT_PIECE_BYTES).max(1) as u64
}

/// Checks what every event must satisfy, whatever its definition.
pub fn check_shape(
    name: &str,
    target: &EventTarget,
    params: &[EventParam],
) -> Result<(), EventError> {
    if name.is_empty() || name.len() > MAX_EVENT_NAME_BYTES {
        return Err(EventError::BadName);
    }
    if params.len() > MAX_EVENT_PARAMS {
        return Err(EventError::TooManyParams(params.len()));
    }
    let size = params_size(params);
    if size > MAX_EVENT_PARAM_BYTES {
        return Err(EventError::TooLarge(size));
    }
    if let EventTarget::Players(players) = target
        && players.len() > MAX_EVENT_TARGET_PLAYERS
    {
        return Err(EventError::TooManyTargets(players.len()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_rate_units() {
        let params = vec![
            EventParam::Int(1),
            EventParam::Vec3([F32::from(0.0); 3]),
            EventParam::Text("héllo".into()),
        ];
        assert_eq!(params_size(&params), 4 + 12 + 6);
        assert_eq!(rate_units(&params), 1);
        assert_eq!(rate_units(&[]), 1);
        assert_eq!(rate_units(&[EventParam::Bytes(vec![0; 1025])]), 2);
        assert_eq!(rate_units(&[EventParam::Bytes(vec![0; 16 * 1024])]), 16);
    }

    #[test]
    fn shape_limits() {
        let ok = check_shape("ping", &EventTarget::All, &[EventParam::Bool(true)]);
        assert_eq!(ok, Ok(()));
        let nine = vec![EventParam::Bool(true); 9];
        assert_eq!(
            check_shape("ping", &EventTarget::All, &nine),
            Err(EventError::TooManyParams(9))
        );
        let big = vec![EventParam::Bytes(vec![0; 16 * 1024 + 1])];
        assert_eq!(
            check_shape("ping", &EventTarget::All, &big),
            Err(EventError::TooLarge(16 * 1024 + 1))
        );
        assert_eq!(
            check_shape("", &EventTarget::All, &[]),
            Err(EventError::BadName)
        );
    }
}
