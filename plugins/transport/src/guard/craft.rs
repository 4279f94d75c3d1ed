//! Builders of renet packets, byte for byte: for tests, fuzzing and simulated hostile
//! clients that must say exactly what an attacker would.

/// Appends `value` as a QUIC varint, the way renet writes it (smallest encoding).
pub fn varint(out: &mut Vec<u8>, value: u64) {
    if value < 1 << 6 {
        out.push(value as u8);
    } else if value < 1 << 14 {
        out.extend_from_slice(&((value as u16) | 0x4000).to_be_bytes());
    } else if value < 1 << 30 {
        out.extend_from_slice(&((value as u32) | 0x8000_0000).to_be_bytes());
    } else {
        out.extend_from_slice(&(value | 0xc000_0000_0000_0000).to_be_bytes());
    }
}

/// A renet slice packet (`ReliableSlice` or `UnreliableSlice`) with sequence 7.
pub fn slice_packet(
    reliable: bool,
    channel: u8,
    message_id: u64,
    slice_index: u64,
    num_slices: u64,
    payload: &[u8],
) -> Vec<u8> {
    let mut out = vec![if reliable { 2 } else { 3 }];
    varint(&mut out, 7);
    out.push(channel);
    varint(&mut out, message_id);
    varint(&mut out, slice_index);
    varint(&mut out, num_slices);
    varint(&mut out, payload.len() as u64);
    out.extend_from_slice(payload);
    out
}

/// A renet packet of small messages (`SmallReliable`, numbered from 0, or
/// `SmallUnreliable`) with sequence 3.
pub fn messages_packet(reliable: bool, channel: u8, messages: &[&[u8]]) -> Vec<u8> {
    let mut out = vec![if reliable { 0 } else { 1 }];
    varint(&mut out, 3);
    out.push(channel);
    out.extend_from_slice(&(messages.len() as u16).to_be_bytes());
    for (id, message) in messages.iter().enumerate() {
        if reliable {
            varint(&mut out, id as u64);
        }
        varint(&mut out, message.len() as u64);
        out.extend_from_slice(message);
    }
    out
}
