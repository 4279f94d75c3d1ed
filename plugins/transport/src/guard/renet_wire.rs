//! A reader of renet 2's packet format, for inspection only.
//!
//! renet keeps its packet type private, so the guard reads the same bytes itself: a
//! type byte, then QUIC-style varints, big-endian `u16` counts and length-prefixed
//! payloads (renet's `packet.rs`, written with the `octets` crate). The reader never
//! allocates and never reads past the slice; every malformed packet is an error.

use core::fmt;

/// renet's fixed slice size: messages larger than this are cut into slices of exactly
/// this many bytes (the last may be shorter).
pub const SLICE_SIZE: usize = 1200;

/// Most ack ranges renet ever writes in one packet (it keeps at most 64 pending).
pub const MAX_ACK_RANGES: u64 = 64;

/// What a renet packet carries, as far as the guard needs to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PacketView {
    /// Whole messages of one channel; `reliable` tells the packet type.
    Messages {
        /// True for renet's `SmallReliable`, false for `SmallUnreliable`.
        reliable: bool,
        /// The channel id.
        channel: u8,
        /// Number of messages.
        count: usize,
        /// Size of the largest message.
        largest: usize,
        /// Sum of the message sizes.
        bytes: usize,
    },
    /// One slice of a large message.
    Slice {
        /// True for renet's `ReliableSlice`, false for `UnreliableSlice`.
        reliable: bool,
        /// The channel id.
        channel: u8,
        /// The sender's id for the sliced message.
        message_id: u64,
        /// Which slice this is.
        slice_index: u64,
        /// How many slices the message claims to have.
        num_slices: u64,
        /// Bytes in this slice.
        len: usize,
    },
    /// Acknowledgements; carries no messages.
    Ack,
}

/// Why a packet could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireError {
    /// The packet ended in the middle of a field.
    Truncated,
    /// The first byte names no renet packet type.
    UnknownType(u8),
    /// An ack range is inverted or runs below zero.
    InvalidAckRange,
    /// More ack ranges than renet ever sends.
    TooManyAckRanges(u64),
    /// Bytes were left after the packet.
    TrailingBytes(usize),
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::Truncated => write!(f, "truncated packet"),
            WireError::UnknownType(kind) => write!(f, "unknown packet type {kind}"),
            WireError::InvalidAckRange => write!(f, "invalid ack range"),
            WireError::TooManyAckRanges(n) => {
                write!(f, "{n} ack ranges (at most {MAX_ACK_RANGES})")
            }
            WireError::TrailingBytes(n) => write!(f, "{n} trailing bytes"),
        }
    }
}

/// Reads one renet packet. The whole slice must be the packet: trailing bytes are an
/// error (renet itself would ignore them).
pub fn read_packet(bytes: &[u8]) -> Result<PacketView, WireError> {
    let mut reader = Reader { bytes, at: 0 };
    let view = match reader.u8()? {
        kind @ (0 | 1) => {
            let reliable = kind == 0;
            let _sequence = reader.varint()?;
            let channel = reader.u8()?;
            let count = usize::from(reader.u16()?);
            let (mut largest, mut total) = (0, 0);
            for _ in 0..count {
                if reliable {
                    let _message_id = reader.varint()?;
                }
                let len = reader.length_prefixed()?;
                largest = largest.max(len);
                total += len;
            }
            PacketView::Messages {
                reliable,
                channel,
                count,
                largest,
                bytes: total,
            }
        }
        kind @ (2 | 3) => {
            let _sequence = reader.varint()?;
            let channel = reader.u8()?;
            let message_id = reader.varint()?;
            let slice_index = reader.varint()?;
            let num_slices = reader.varint()?;
            let len = reader.length_prefixed()?;
            PacketView::Slice {
                reliable: kind == 2,
                channel,
                message_id,
                slice_index,
                num_slices,
                len,
            }
        }
        4 => {
            let _sequence = reader.varint()?;
            read_ack_ranges(&mut reader)?;
            PacketView::Ack
        }
        other => return Err(WireError::UnknownType(other)),
    };
    match bytes.len() - reader.at {
        0 => Ok(view),
        rest => Err(WireError::TrailingBytes(rest)),
    }
}

/// Checks the ranges the way renet decodes them (end, size, then gap/size pairs going
/// down), so nothing renet would compute from them can underflow.
fn read_ack_ranges(reader: &mut Reader<'_>) -> Result<(), WireError> {
    let end = reader.varint()?;
    let size = reader.varint()?;
    let remaining = reader.varint()?;
    if remaining >= MAX_ACK_RANGES {
        return Err(WireError::TooManyAckRanges(remaining + 1));
    }
    let mut start = end.checked_sub(size).ok_or(WireError::InvalidAckRange)?;
    for _ in 0..remaining {
        let gap = reader.varint()?;
        let range_end = start
            .checked_sub(gap)
            .and_then(|v| v.checked_sub(2))
            .ok_or(WireError::InvalidAckRange)?;
        let range_size = reader.varint()?;
        start = range_end
            .checked_sub(range_size)
            .ok_or(WireError::InvalidAckRange)?;
    }
    Ok(())
}

/// A cursor over a packet.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], WireError> {
        let end = self.at.checked_add(n).ok_or(WireError::Truncated)?;
        let taken = self.bytes.get(self.at..end).ok_or(WireError::Truncated)?;
        self.at = end;
        Ok(taken)
    }

    fn u8(&mut self) -> Result<u8, WireError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, WireError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    /// A QUIC variable-length integer: the top two bits of the first byte give its
    /// length (1, 2, 4 or 8 bytes), the rest is the big-endian value.
    fn varint(&mut self) -> Result<u64, WireError> {
        let first = *self.bytes.get(self.at).ok_or(WireError::Truncated)?;
        let len = 1usize << (first >> 6);
        let raw = self.take(len)?;
        let mut value = u64::from(raw[0] & 0x3f);
        for byte in &raw[1..] {
            value = (value << 8) | u64::from(*byte);
        }
        Ok(value)
    }

    /// A varint length and that many bytes; returns the length.
    fn length_prefixed(&mut self) -> Result<usize, WireError> {
        let len = usize::try_from(self.varint()?).map_err(|_| WireError::Truncated)?;
        self.take(len)?;
        Ok(len)
    }
}

#[cfg(test)]
mod tests {
    use super::super::craft::{messages_packet, slice_packet, varint};
    use super::*;

    #[test]
    fn varints_of_every_length_round_trip() {
        for value in [
            0,
            63,
            64,
            16_383,
            16_384,
            (1 << 30) - 1,
            1 << 30,
            (1 << 62) - 1,
        ] {
            let mut bytes = Vec::new();
            varint(&mut bytes, value);
            let mut reader = Reader {
                bytes: &bytes,
                at: 0,
            };
            assert_eq!(reader.varint(), Ok(value));
            assert_eq!(reader.at, bytes.len());
        }
    }

    #[test]
    fn reads_messages_and_slices() {
        let packet = messages_packet(true, 0, &[b"abc", b"defgh"]);
        assert_eq!(
            read_packet(&packet),
            Ok(PacketView::Messages {
                reliable: true,
                channel: 0,
                count: 2,
                largest: 5,
                bytes: 8,
            })
        );
        let packet = slice_packet(false, 1, 9, 2, 3, &[1; 10]);
        assert_eq!(
            read_packet(&packet),
            Ok(PacketView::Slice {
                reliable: false,
                channel: 1,
                message_id: 9,
                slice_index: 2,
                num_slices: 3,
                len: 10,
            })
        );
    }

    #[test]
    fn truncation_trailing_bytes_and_unknown_types_are_errors() {
        let packet = messages_packet(false, 2, &[b"hello"]);
        for cut in 0..packet.len() {
            assert!(read_packet(&packet[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = packet.clone();
        longer.push(0);
        assert_eq!(read_packet(&longer), Err(WireError::TrailingBytes(1)));
        assert_eq!(read_packet(&[9]), Err(WireError::UnknownType(9)));
    }

    #[test]
    fn ack_ranges_are_checked() {
        let mut ack = vec![4];
        varint(&mut ack, 1);
        varint(&mut ack, 10); // end
        varint(&mut ack, 3); // size
        varint(&mut ack, 1); // one more range
        varint(&mut ack, 2); // gap
        varint(&mut ack, 1); // size
        assert_eq!(read_packet(&ack), Ok(PacketView::Ack));

        let mut inverted = vec![4];
        varint(&mut inverted, 1);
        varint(&mut inverted, 3);
        varint(&mut inverted, 5);
        varint(&mut inverted, 0);
        assert_eq!(read_packet(&inverted), Err(WireError::InvalidAckRange));

        let mut many = vec![4];
        varint(&mut many, 1);
        varint(&mut many, 1000);
        varint(&mut many, 1);
        varint(&mut many, 5000);
        assert_eq!(read_packet(&many), Err(WireError::TooManyAckRanges(5001)));
    }
}
