//! Host: streaming join snapshots on the `bulk` channel as fast as renet takes them.

use super::sessions::{SessionPhase, Sessions};
use bevy_ecs::prelude::*;
use bevy_log::debug;
use bevy_renet::RenetServer;
use racksync_protocol::{Channel, HostBulkMessage, encode};

/// Room for the message header around a chunk's bytes.
const CHUNK_OVERHEAD: usize = 16;

/// Hands each loading client as many snapshot chunks as its bulk channel has room for.
/// Runs in [`crate::RacksyncSystems::Replicate`] on the host.
pub fn stream_snapshots(mut server: ResMut<RenetServer>, mut sessions: ResMut<Sessions>) {
    for (client, session) in sessions.iter_mut() {
        let SessionPhase::Loading(stream) = &mut session.phase else {
            continue;
        };
        let snapshot = &stream.snapshot;
        let next = match stream.next_chunk {
            Some(next) => next,
            None => {
                let begin = HostBulkMessage::SnapshotBegin {
                    revision: snapshot.revision,
                    objects: snapshot.objects,
                    bytes: snapshot.compressed.len() as u32,
                    digest: snapshot.digest,
                };
                send_bulk(&mut server, client, &begin);
                0
            }
        };
        let mut next = next;
        while next < snapshot.chunk_count() {
            let chunk = snapshot.chunk(next);
            if !server.can_send_message(client, Channel::Bulk, chunk.len() + CHUNK_OVERHEAD) {
                break;
            }
            send_bulk(
                &mut server,
                client,
                &HostBulkMessage::SnapshotChunk(chunk.to_vec()),
            );
            next += 1;
        }
        stream.next_chunk = Some(next);
        if next >= snapshot.chunk_count() {
            debug!(
                client,
                objects = snapshot.objects,
                "snapshot handed to renet"
            );
            session.phase = SessionPhase::Playing;
        }
    }
}

fn send_bulk(server: &mut RenetServer, client: renet::ClientId, message: &HostBulkMessage) {
    let bytes = encode(Channel::Bulk, message).expect("snapshot chunks are sized to fit bulk");
    server.send_message(client, Channel::Bulk, bytes);
}
