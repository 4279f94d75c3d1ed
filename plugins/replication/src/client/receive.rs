//! Client: the handshake, the snapshot download, and routing live updates.

use super::audit_inbox::{AuditInbox, HeldWorldMessage, ReceivedAudit};
use super::session::{
    ClientSession, ClientSettings, JoinState, LoadProgress, WorldUpdate, WorldUpdates,
};
use crate::snapshot::{SnapshotError, decode_snapshot};
use bevy_ecs::prelude::*;
use bevy_log::{error, info, warn};
use bevy_renet::RenetClient;
use racksync_protocol::{
    Channel, ClientWorldMessage, Hello, HostBulkMessage, HostWorldMessage, PROTOCOL_VERSION,
    Revision, decode, encode, protocol_hash,
};
use racksync_world::consistency::Holding;
use racksync_world::{ReadObjects, WorldObjects, check_consistency};

/// Download state kept beside [`JoinState::Loading`].
#[derive(Resource, Debug, Default)]
pub struct SnapshotDownload {
    announced: Option<Announced>,
    received: Vec<u8>,
    buffered: Vec<WorldUpdate>,
}

#[derive(Debug, Clone, Copy)]
struct Announced {
    revision: Revision,
    bytes: u32,
    digest: u64,
}

/// Sends Hello once the transport is connected. Runs in
/// [`crate::RacksyncSystems::Send`] on the client.
pub fn send_hello(
    mut client: ResMut<RenetClient>,
    mut session: ResMut<ClientSession>,
    settings: Res<ClientSettings>,
) {
    if session.state != JoinState::Connecting || !client.is_connected() {
        return;
    }
    let hello = ClientWorldMessage::Hello(Hello {
        protocol_version: PROTOCOL_VERSION,
        protocol_hash: protocol_hash(),
        name: settings.name.clone(),
    });
    let bytes = encode(Channel::World, &hello).expect("Hello with a 32-byte name fits world");
    client.send_message(Channel::World, bytes);
    session.state = JoinState::Handshaking;
}

/// Notices the end of the connection. Runs in [`crate::RacksyncSystems::Receive`].
pub fn watch_disconnect(client: Res<RenetClient>, mut session: ResMut<ClientSession>) {
    if client.is_disconnected() && !session.state.is_finished() {
        let reason = client
            .disconnect_reason()
            .map_or_else(|| "unknown".to_string(), |r| r.to_string());
        info!(%reason, "disconnected from host");
        session.state = JoinState::Disconnected(reason);
    }
}

/// Reads `world` and `bulk` from the host. Runs in [`crate::RacksyncSystems::Receive`].
pub fn receive_from_host(world: &mut World) {
    world.resource_scope::<RenetClient, _>(|world, mut client| {
        let mut audit_read = false;
        loop {
            let held = world.resource_mut::<HeldWorldMessage>().0.take();
            let (message, len) = match held {
                Some(held) => held,
                None => {
                    let Some(bytes) = client.receive_message(Channel::World) else {
                        break;
                    };
                    match decode::<HostWorldMessage>(Channel::World, &bytes) {
                        Ok(message) => (message, bytes.len()),
                        Err(error) => {
                            fail(world, &mut client, format!("bad world message: {error}"));
                            return;
                        }
                    }
                }
            };
            // See `audit_inbox`: after audit messages, later updates wait a frame so the
            // audit sees the world at exactly the revision its messages describe.
            let is_audit = matches!(message, HostWorldMessage::Audit(_));
            if audit_read && !is_audit {
                world.resource_mut::<HeldWorldMessage>().0 = Some((message, len));
                break;
            }
            audit_read |= is_audit && takes_audits(world);
            handle_world(world, &mut client, message, len);
            if world.resource::<ClientSession>().state.is_finished() {
                return;
            }
        }
        // `bulk` and `world` are independent channels, so the snapshot may overtake its
        // Welcome; it waits in renet until the Welcome has put us in Loading.
        while matches!(
            world.resource::<ClientSession>().state,
            JoinState::Loading(_)
        ) && let Some(bytes) = client.receive_message(Channel::Bulk)
        {
            match decode::<HostBulkMessage>(Channel::Bulk, &bytes) {
                Ok(message) => {
                    if let Err(error) = handle_bulk(world, message) {
                        fail(world, &mut client, error.to_string());
                    }
                }
                Err(error) => fail(world, &mut client, format!("bad bulk message: {error}")),
            }
            if world.resource::<ClientSession>().state.is_finished() {
                return;
            }
        }
    });
}

fn fail(world: &mut World, client: &mut RenetClient, reason: String) {
    error!(%reason, "leaving the host");
    world.resource_mut::<ClientSession>().state = JoinState::Failed(reason);
    client.disconnect();
}

/// True when audit messages go to the audit plugin now: it is installed and the world
/// is loaded (an audit of a world still loading means nothing; the snapshot is checked
/// against its own digest).
fn takes_audits(world: &World) -> bool {
    world.contains_resource::<AuditInbox>() && world.resource::<ClientSession>().state.is_playing()
}

fn handle_world(
    world: &mut World,
    client: &mut RenetClient,
    message: HostWorldMessage,
    len: usize,
) {
    let state = world.resource::<ClientSession>().state.clone();
    let update = match message {
        HostWorldMessage::Audit(message) => {
            if takes_audits(world) {
                world.resource_mut::<AuditInbox>().0.push(ReceivedAudit {
                    message,
                    bytes: len,
                });
            }
            return;
        }
        HostWorldMessage::Welcome(welcome) if state == JoinState::Handshaking => {
            info!(player = %welcome.player, revision = %welcome.revision, "welcomed");
            let mut session = world.resource_mut::<ClientSession>();
            session.player = Some(welcome.player);
            session.tick_hz = welcome.tick_hz;
            session.state = JoinState::Loading(LoadProgress {
                revision: welcome.revision,
                ..LoadProgress::default()
            });
            *world.resource_mut::<SnapshotDownload>() = SnapshotDownload::default();
            return;
        }
        HostWorldMessage::Refused(reason) => {
            warn!(%reason, "host refused us");
            world.resource_mut::<ClientSession>().state = JoinState::Refused(reason);
            client.disconnect();
            return;
        }
        HostWorldMessage::Ack { seq, outcome } => WorldUpdate::Ack { seq, outcome },
        HostWorldMessage::Broadcast {
            revision,
            actor,
            action,
        } => WorldUpdate::Broadcast {
            revision,
            actor,
            action,
        },
        HostWorldMessage::Welcome(_) => {
            fail(world, client, "unexpected Welcome".into());
            return;
        }
        // Messaging does not touch the world either: delivered at once.
        HostWorldMessage::Event(event) => {
            world.write_message(crate::messaging::ReceivedEvent {
                sender: event.sender,
                name: event.name,
                params: event.params,
            });
            return;
        }
        HostWorldMessage::EventRefused { name, reason } => {
            warn!(%name, %reason, "host refused our event");
            world.write_message(crate::messaging::EventRefusedNotice { name, reason });
            return;
        }
        HostWorldMessage::Raw(raw) => {
            world.write_message(crate::messaging::ReceivedRaw {
                sender: raw.sender,
                send_type: racksync_protocol::SendType::Reliable,
                bytes: raw.bytes,
            });
            return;
        }
        HostWorldMessage::Owner(owner) => {
            world
                .resource_mut::<crate::messaging::InstanceOwner>()
                .owner = owner;
            world.write_message(crate::messaging::OwnerChanged { owner });
            return;
        }
        // The roster does not touch the world, so it applies at once, loading or not.
        HostWorldMessage::Roster(update) => {
            world
                .resource_mut::<crate::presence::RemotePlayers>()
                .apply_roster(update);
            return;
        }
    };
    match state {
        JoinState::Loading(_) => world
            .resource_mut::<SnapshotDownload>()
            .buffered
            .push(update),
        JoinState::Playing => world.resource_mut::<WorldUpdates>().0.push_back(update),
        _ => fail(world, client, "world update before Welcome".into()),
    }
}

fn handle_bulk(world: &mut World, message: HostBulkMessage) -> Result<(), SnapshotError> {
    let JoinState::Loading(progress) = world.resource::<ClientSession>().state.clone() else {
        return Err(SnapshotError::Unexpected);
    };
    match message {
        HostBulkMessage::SnapshotBegin {
            revision,
            objects,
            bytes,
            digest,
        } => {
            if revision != progress.revision {
                return Err(SnapshotError::Decode(format!(
                    "snapshot revision {revision} does not match Welcome revision {}",
                    progress.revision
                )));
            }
            info!(objects, bytes, "snapshot starting");
            let mut download = world.resource_mut::<SnapshotDownload>();
            download.announced = Some(Announced {
                revision,
                bytes,
                digest,
            });
            download.received = Vec::with_capacity(bytes.min(64 * 1024 * 1024) as usize);
        }
        HostBulkMessage::SnapshotChunk(data) => {
            let mut download = world.resource_mut::<SnapshotDownload>();
            let announced = download.announced.ok_or(SnapshotError::Unexpected)?;
            if download.received.len() + data.len() > announced.bytes as usize {
                return Err(SnapshotError::Overrun(announced.bytes));
            }
            download.received.extend_from_slice(&data);
            let received = download.received.len() as u32;
            if let JoinState::Loading(progress) = &mut world.resource_mut::<ClientSession>().state {
                progress.total_bytes = announced.bytes;
                progress.received_bytes = received;
            }
        }
    }
    let download = world.resource::<SnapshotDownload>();
    match download.announced {
        Some(announced) if download.received.len() == announced.bytes as usize => {
            finish_load(world, announced)
        }
        _ => Ok(()),
    }
}

fn finish_load(world: &mut World, announced: Announced) -> Result<(), SnapshotError> {
    let download = std::mem::take(&mut *world.resource_mut::<SnapshotDownload>());
    let body = decode_snapshot(&download.received)?;
    check_consistency(
        &body.settings,
        body.objects.iter().cloned(),
        Holding::Allowed,
    )
    .map_err(|e| SnapshotError::Inconsistent(e.to_string()))?;
    world
        .load_snapshot(body, announced.revision)
        .map_err(|e| SnapshotError::Inconsistent(e.to_string()))?;
    let loaded = world.digest().value();
    if loaded != announced.digest {
        return Err(SnapshotError::DigestMismatch {
            announced: announced.digest,
            loaded,
        });
    }
    info!(revision = %announced.revision, buffered = download.buffered.len(), "world loaded");
    world
        .resource_mut::<WorldUpdates>()
        .0
        .extend(download.buffered);
    world.resource_mut::<ClientSession>().state = JoinState::Playing;
    Ok(())
}
