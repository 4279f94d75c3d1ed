//! Wrap-aware 16-bit sequence numbers and the UnreliableSequenced delivery mode.
//!
//! renet only offers Unreliable, ReliableOrdered and ReliableUnordered. The `state`
//! channel needs "latest wins" delivery: messages may be lost, but a stale or duplicate
//! message must never be delivered after a newer one. [`SequencedSender`] prefixes each
//! payload with a 2-byte sequence number and [`SequencedReceiver`] drops anything that
//! is not strictly newer than what it already delivered, across the 65535 → 0 wrap.

/// A 16-bit sequence number compared with wrap-around (RFC 1982 serial arithmetic).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Seq16(pub u16);

impl Seq16 {
    /// True when `self` comes after `other`, treating the space as a circle: a value up
    /// to 32767 steps ahead is newer, anything further is older.
    pub fn is_newer_than(self, other: Seq16) -> bool {
        let diff = self.0.wrapping_sub(other.0);
        diff != 0 && diff < 0x8000
    }

    /// The next number, wrapping at 65535.
    pub fn next(self) -> Seq16 {
        Seq16(self.0.wrapping_add(1))
    }
}

/// Bytes of the sequence prefix on every sequenced message.
pub const SEQUENCE_PREFIX_BYTES: usize = 2;

/// Stamps outgoing payloads of one sequenced stream.
#[derive(Debug, Default)]
pub struct SequencedSender {
    next: Seq16,
}

impl SequencedSender {
    /// Takes the next sequence number (for messages that carry it in a field).
    pub fn next_seq(&mut self) -> Seq16 {
        let seq = self.next;
        self.next = seq.next();
        seq
    }

    /// Prefixes `payload` with the next sequence number.
    pub fn stamp(&mut self, payload: &[u8]) -> Vec<u8> {
        let seq = self.next;
        self.next = seq.next();
        let mut out = Vec::with_capacity(SEQUENCE_PREFIX_BYTES + payload.len());
        out.extend_from_slice(&seq.0.to_le_bytes());
        out.extend_from_slice(payload);
        out
    }
}

/// Why a sequenced message was not delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SequencedDrop {
    /// The message is shorter than the sequence prefix.
    #[error("sequenced message shorter than its 2-byte prefix")]
    Truncated,
    /// The message is older than one already delivered (arrived out of order).
    #[error("stale sequenced message {0}")]
    Stale(u16),
    /// The message repeats the newest delivered sequence number.
    #[error("duplicate sequenced message {0}")]
    Duplicate(u16),
}

/// Filters one incoming sequenced stream: delivers only strictly newer messages.
#[derive(Debug, Default)]
pub struct SequencedReceiver {
    latest: Option<Seq16>,
}

impl SequencedReceiver {
    /// Accepts `seq` if it is newer than everything delivered so far (for messages that
    /// carry their sequence number in a field rather than a prefix).
    pub fn accept_seq(&mut self, seq: Seq16) -> Result<(), SequencedDrop> {
        match self.latest {
            Some(latest) if seq == latest => Err(SequencedDrop::Duplicate(seq.0)),
            Some(latest) if !seq.is_newer_than(latest) => Err(SequencedDrop::Stale(seq.0)),
            _ => {
                self.latest = Some(seq);
                Ok(())
            }
        }
    }

    /// Returns the payload behind the prefix if it is newer than everything delivered so far.
    pub fn accept<'a>(&mut self, message: &'a [u8]) -> Result<&'a [u8], SequencedDrop> {
        let (prefix, payload) = message
            .split_first_chunk::<SEQUENCE_PREFIX_BYTES>()
            .ok_or(SequencedDrop::Truncated)?;
        self.accept_seq(Seq16(u16::from_le_bytes(*prefix)))?;
        Ok(payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_wraps_around() {
        assert!(Seq16(1).is_newer_than(Seq16(0)));
        assert!(Seq16(0).is_newer_than(Seq16(65535)));
        assert!(Seq16(5).is_newer_than(Seq16(65530)));
        assert!(!Seq16(65530).is_newer_than(Seq16(5)));
        assert!(!Seq16(3).is_newer_than(Seq16(3)));
    }
}
