//! The codec of an UnreliableSequenced stream: the channel codec plus the 2-byte
//! sequence prefix of [`crate::sequence`].
//!
//! Decoding checks the payload *before* the sequence number is accepted: otherwise a
//! junk message carrying a far-ahead sequence number would make the receiver drop every
//! genuine message after it as stale.

use crate::channel::Channel;
use crate::codec::{CodecError, decode, encode};
use crate::sequence::{
    SEQUENCE_PREFIX_BYTES, Seq16, SequencedDrop, SequencedReceiver, SequencedSender,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a sequenced message was not delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SequencedError {
    /// The bytes are not a valid message for the channel.
    #[error(transparent)]
    Codec(#[from] CodecError),
    /// Valid, but stale, duplicate or shorter than the prefix.
    #[error(transparent)]
    Dropped(#[from] SequencedDrop),
}

/// Encodes `message` and stamps it with the stream's next sequence number. The whole
/// message, prefix included, must fit the channel's cap; the sequence only advances
/// when it does.
pub fn encode_sequenced<T: Serialize>(
    channel: Channel,
    sender: &mut SequencedSender,
    message: &T,
) -> Result<Vec<u8>, CodecError> {
    let payload = encode(channel, message)?;
    let cap = channel.spec().max_message_bytes;
    let len = payload.len() + SEQUENCE_PREFIX_BYTES;
    if len > cap {
        return Err(CodecError::TooLarge { channel, len, cap });
    }
    Ok(sender.stamp(&payload))
}

/// Decodes one sequenced message and returns it with its sequence number if it is newer
/// than everything `receiver` delivered before.
pub fn decode_sequenced<T: DeserializeOwned>(
    channel: Channel,
    receiver: &mut SequencedReceiver,
    bytes: &[u8],
) -> Result<(T, Seq16), SequencedError> {
    let cap = channel.spec().max_message_bytes;
    if bytes.len() > cap {
        return Err(CodecError::TooLarge {
            channel,
            len: bytes.len(),
            cap,
        }
        .into());
    }
    let Some((prefix, payload)) = bytes.split_first_chunk::<SEQUENCE_PREFIX_BYTES>() else {
        return Err(SequencedDrop::Truncated.into());
    };
    let message = decode::<T>(channel, payload)?;
    receiver.accept(bytes)?;
    Ok((message, Seq16(u16::from_le_bytes(*prefix))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presence::pose::{PlayerState, Posture};
    use crate::presence::relay::ClientState;

    #[test]
    fn junk_with_a_far_sequence_does_not_poison_the_stream() {
        let mut sender = SequencedSender::default();
        let mut receiver = SequencedReceiver::default();
        let state = ClientState(PlayerState {
            carrying: true,
            posture: Posture::Crouching,
        });
        let first = encode_sequenced(Channel::State, &mut sender, &state).unwrap();
        assert_eq!(first.len(), 3);
        let (got, seq) =
            decode_sequenced::<ClientState>(Channel::State, &mut receiver, &first).unwrap();
        assert_eq!((got, seq), (state, Seq16(0)));
        // Sequence 0x4000 ahead, invalid state byte.
        let junk = [0x00, 0x40, 0xff];
        assert!(matches!(
            decode_sequenced::<ClientState>(Channel::State, &mut receiver, &junk),
            Err(SequencedError::Codec(_))
        ));
        let second = encode_sequenced(Channel::State, &mut sender, &state).unwrap();
        assert!(decode_sequenced::<ClientState>(Channel::State, &mut receiver, &second).is_ok());
        assert_eq!(
            decode_sequenced::<ClientState>(Channel::State, &mut receiver, &second),
            Err(SequencedError::Dropped(SequencedDrop::Duplicate(1)))
        );
        let mut trailing = second.clone();
        trailing.push(0);
        assert!(matches!(
            decode_sequenced::<ClientState>(Channel::State, &mut receiver, &trailing),
            Err(SequencedError::Codec(CodecError::TrailingBytes(1)))
        ));
        assert_eq!(
            decode_sequenced::<ClientState>(Channel::State, &mut receiver, &[1]),
            Err(SequencedError::Dropped(SequencedDrop::Truncated))
        );
        let huge = vec![0u8; 5000];
        assert!(matches!(
            decode_sequenced::<ClientState>(Channel::State, &mut receiver, &huge),
            Err(SequencedError::Codec(CodecError::TooLarge { .. }))
        ));
    }
}
