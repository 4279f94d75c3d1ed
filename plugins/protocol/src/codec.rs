//! The wire codec: postcard behind one module, with a size cap per channel and no
//! tolerance for trailing bytes.

use crate::channel::Channel;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a message could not be encoded or decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    /// The message is larger than its channel allows.
    #[error("{len}-byte message exceeds the {cap}-byte cap of channel {channel:?}")]
    TooLarge {
        /// The channel.
        channel: Channel,
        /// Its length.
        len: usize,
        /// The channel's cap.
        cap: usize,
    },
    /// The bytes are not a valid message.
    #[error("malformed message: {0}")]
    Malformed(postcard::Error),
    /// A valid message followed by extra bytes.
    #[error("{0} trailing bytes after the message")]
    TrailingBytes(usize),
}

/// Encodes `message` for `channel`, refusing anything over the channel's cap.
///
/// An oversized outgoing message is a local bug or a caller that must chunk its data;
/// it is reported instead of silently dropped by renet.
pub fn encode<T: Serialize>(channel: Channel, message: &T) -> Result<Vec<u8>, CodecError> {
    let bytes = postcard::to_allocvec(message).map_err(CodecError::Malformed)?;
    check_size(channel, bytes.len())?;
    Ok(bytes)
}

/// Decodes one whole message received on `channel`.
pub fn decode<T: DeserializeOwned>(channel: Channel, bytes: &[u8]) -> Result<T, CodecError> {
    check_size(channel, bytes.len())?;
    let (message, rest) = postcard::take_from_bytes(bytes).map_err(CodecError::Malformed)?;
    if !rest.is_empty() {
        return Err(CodecError::TrailingBytes(rest.len()));
    }
    Ok(message)
}

/// Encodes a value with the wire codec but without a channel cap (snapshot bodies,
/// hashing input).
pub fn encode_unbounded<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).expect("postcard encoding into a Vec cannot fail")
}

/// Decodes one value from the front of `bytes`, returning the rest.
pub fn decode_prefix<T: DeserializeOwned>(bytes: &[u8]) -> Result<(T, &[u8]), CodecError> {
    postcard::take_from_bytes(bytes).map_err(CodecError::Malformed)
}

fn check_size(channel: Channel, len: usize) -> Result<(), CodecError> {
    let cap = channel.spec().max_message_bytes;
    if len > cap {
        return Err(CodecError::TooLarge { channel, len, cap });
    }
    Ok(())
}
