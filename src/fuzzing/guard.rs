//! Raw payloads from several connections through the host's packet guard into a
//! `RenetServer`, the way both host transports feed renet.
//!
//! Properties: nothing panics (renet 2.0.1 does on some inputs: the guard must never
//! pass one), and renet never disconnects a connection for a *malformed* packet the
//! guard passed (the guard is at least as strict as renet's own checks).

use super::ByteReader;
use core::time::Duration;
use racksync_protocol::{CHANNELS, DEFAULT_BYTES_PER_TICK, connection_config};
use racksync_transport::guard::craft::{messages_packet, slice_packet};
use racksync_transport::{PacketGuard, Verdict};
use renet::{DisconnectReason, RenetServer};

/// Connections the input speaks for.
const CONNECTIONS: u64 = 3;

/// Feeds the packets `data` describes to a guarded renet server.
///
/// `data` is a list of records, each starting with a tag byte whose low two bits pick
/// the connection (1..=3). Tag bit 7 set: a slice built from fields (reliable bit,
/// channel, message id, slice index, slice count, length), so the fuzzer reaches
/// well-formed but inconsistent slices at once. Tag bit 6 set: small messages built
/// from fields. Otherwise: a raw packet of the next `u16` bytes.
pub fn renet_guard(data: &[u8]) {
    let mut server = RenetServer::new(connection_config(DEFAULT_BYTES_PER_TICK));
    let mut guard = PacketGuard::default();
    for client in 1..=CONNECTIONS {
        server.add_connection(client);
    }
    let mut reader = ByteReader::new(data);
    let mut now = Duration::ZERO;
    while !reader.is_empty() {
        let tag = reader.u8();
        let client = u64::from(tag & 0b11) % CONNECTIONS + 1;
        let packet = if tag & 0x80 != 0 {
            structured_slice(&mut reader)
        } else if tag & 0x40 != 0 {
            structured_messages(&mut reader)
        } else {
            let len = usize::from(reader.u16() % 1500);
            reader.take(len).to_vec()
        };
        now += Duration::from_millis(u64::from(tag >> 2 & 0x0f));
        if guard.inspect(client, &packet, now) != Verdict::Pass {
            continue;
        }
        let _ = server.process_packet_from(&packet, client);
        if let Some(reason) = server.disconnect_reason(client) {
            assert!(
                !malformed(reason),
                "the guard passed a packet renet finds malformed ({reason}): {packet:02x?}"
            );
        }
        // Let renet turn over: reassembled messages leave, acks and resends are built.
        server.update(Duration::from_millis(5));
        for spec in &CHANNELS {
            while server.receive_message(client, spec.channel).is_some() {}
        }
        let _ = server.get_packets_to_send(client);
    }
}

/// Disconnect reasons that mean renet judged the packet itself invalid.
fn malformed(reason: DisconnectReason) -> bool {
    use renet::ChannelError;
    match reason {
        DisconnectReason::PacketDeserialization(_)
        | DisconnectReason::ReceivedInvalidChannelId(_) => true,
        DisconnectReason::ReceiveChannelError { error, .. } => {
            matches!(error, ChannelError::InvalidSliceMessage)
        }
        _ => false,
    }
}

fn structured_slice(reader: &mut ByteReader<'_>) -> Vec<u8> {
    let flags = reader.u8();
    let channel = reader.u8() % 5;
    let message_id = u64::from(reader.u8());
    let index = u64::from(reader.u8() % 32);
    let count = u64::from(reader.u8() % 32);
    let len = usize::from(reader.u16() % 1300);
    slice_packet(
        flags & 1 == 1,
        channel,
        message_id,
        index,
        count,
        &vec![0xa5; len],
    )
}

fn structured_messages(reader: &mut ByteReader<'_>) -> Vec<u8> {
    let flags = reader.u8();
    let channel = reader.u8() % 5;
    let count = usize::from(reader.u8() % 8);
    let messages: Vec<Vec<u8>> = (0..count)
        .map(|_| {
            let len = usize::from(reader.u16() % 1300);
            reader.take(len).to_vec()
        })
        .collect();
    let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    messages_packet(flags & 1 == 1, channel, &refs)
}

/// Meaningful starting inputs: an honest sliced message, the two inputs that panic
/// renet, garbage, and small messages on every channel.
pub fn seed_inputs() -> Vec<(String, Vec<u8>)> {
    let slice = |client: u8, reliable: u8, channel: u8, id: u8, index: u8, count: u8, len: u16| {
        let mut record = vec![0x80 | client, reliable, channel, id, index, count];
        record.extend_from_slice(&len.to_le_bytes());
        record
    };
    let honest: Vec<u8> = [
        slice(1, 1, 0, 4, 0, 3, 1200),
        slice(1, 1, 0, 4, 1, 3, 1200),
        slice(1, 1, 0, 4, 2, 3, 17),
    ]
    .concat();
    let index_past_count = slice(1, 1, 0, 0, 5, 3, 1200);
    let count_changes = [slice(2, 1, 0, 7, 0, 2, 1200), slice(2, 1, 0, 7, 3, 4, 1200)].concat();
    let mut small = vec![0x41, 1, 0, 2, 3, 0, b'a', b'b', b'c', 1, 0, b'z'];
    small.extend_from_slice(&[0x42, 0, 1, 1, 12, 0]);
    small.extend_from_slice(&[7; 12]);
    let mut raw = vec![0x03, 6, 0];
    raw.extend_from_slice(&[4, 1, 10, 3, 0, 0]);
    [
        ("seed-honest-sliced", honest),
        ("seed-index-past-count", index_past_count),
        ("seed-count-changes", count_changes),
        ("seed-small-messages", small),
        ("seed-raw-ack", raw),
    ]
    .into_iter()
    .map(|(name, bytes)| (name.to_string(), bytes))
    .collect()
}
