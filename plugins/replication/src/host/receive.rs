//! Host: reading the `world` channel of every client — handshakes, actions, goodbyes.

use super::audit_requests::{AuditRequests, InboundAudit};
use super::budgets::{Admission, BudgetSettings, ClientBudgets};
use super::sessions::{ActionInbox, InboundAction, SessionPhase, Sessions, SnapshotStream};
use super::settings::HostSettings;
use crate::snapshot::EncodedSnapshot;
use bevy_ecs::prelude::*;
use bevy_log::{info, warn};
use bevy_renet::RenetServer;
use bevy_renet::RenetServerEvent;
use bevy_time::{Real, Time};
use racksync_protocol::{
    AckOutcome, Channel, ClientWorldMessage, Hello, HostWorldMessage, MAX_PLAYER_NAME_BYTES,
    PROTOCOL_VERSION, Refusal, Rejection, SendType, Welcome, decode, encode, protocol_hash,
};
use racksync_transport::{LogLimiter, PeerKicked};
use racksync_world::{Player, WorldIndex, WorldRevision};
use renet::{ClientId, ServerEvent};

/// The latest encoded snapshot, reused by every client that joins at its revision.
#[derive(Resource, Debug, Default)]
pub struct SnapshotCache(pub Option<EncodedSnapshot>);

/// Rate limit for the host's warnings about refused clients: a hostile peer can cause
/// them at will.
#[derive(Resource, Debug, Default)]
pub struct RefusalLog(pub LogLimiter);

/// Starts and ends sessions as renet reports connections.
pub fn track_connections(
    event: On<RenetServerEvent>,
    mut sessions: ResMut<Sessions>,
    mut budgets: ResMut<ClientBudgets>,
    limits: Option<ResMut<crate::messaging::SenderLimits>>,
    mut commands: Commands,
) {
    match **event {
        ServerEvent::ClientConnected { client_id } => {
            info!(client = client_id, "client connected");
            sessions.connect(client_id);
        }
        ServerEvent::ClientDisconnected { client_id, reason } => {
            budgets.forget(client_id);
            if let Some(mut limits) = limits {
                limits.forget(client_id);
            }
            if let Some(session) = sessions.disconnect(client_id) {
                info!(client = client_id, player = ?session.player, %reason, "client disconnected");
                if let Some(entity) = session.entity {
                    commands.entity(entity).despawn();
                }
            }
        }
    }
}

/// Tells a client the transport's packet guard kicked why; the transport closes the
/// connection after its linger.
pub fn refuse_kicked(event: On<PeerKicked>, mut commands: Commands) {
    let client = event.client;
    let reason = Refusal::Kicked(event.reason.to_string());
    commands.queue(move |world: &mut World| {
        if world.resource::<Sessions>().get(client).is_none() {
            return;
        }
        world.resource_scope::<RenetServer, _>(|world, mut server| {
            close(world, &mut server, client, reason);
        });
    });
}

/// Drains every client's `world` channel and handles what arrived, within the
/// client's budgets. Runs in [`crate::RacksyncSystems::Receive`] on the host.
pub fn receive_from_clients(world: &mut World) {
    world.resource_scope::<RenetServer, _>(|world, mut server| {
        let clients: Vec<ClientId> = world
            .resource::<Sessions>()
            .iter()
            .map(|(id, _)| id)
            .collect();
        for client in clients {
            while let Some(bytes) = server.receive_message(client, Channel::World) {
                let admission = charge(world, client, Channel::World, bytes.len());
                let message = decode::<ClientWorldMessage>(Channel::World, &bytes);
                match (admission, message) {
                    (Admission::Kick(over), _) => {
                        close(
                            world,
                            &mut server,
                            client,
                            Refusal::Kicked(over.to_string()),
                        );
                    }
                    (Admission::Refuse, Ok(ClientWorldMessage::Action { seq, .. })) => {
                        refuse_action(&mut server, client, seq);
                    }
                    (Admission::Refuse, _) => {}
                    (Admission::Admit, Ok(message)) => {
                        handle_message(world, &mut server, client, message, bytes.len())
                    }
                    (Admission::Admit, Err(error)) => {
                        let reason = Refusal::ProtocolViolation(error.to_string());
                        close(world, &mut server, client, reason);
                    }
                }
                let closing = matches!(
                    world.resource::<Sessions>().get(client).map(|s| &s.phase),
                    Some(SessionPhase::Closing { .. }) | None
                );
                if closing {
                    break;
                }
            }
            // Nothing flows client → host on bulk; drain it so a peer cannot pile up memory.
            while server.receive_message(client, Channel::Bulk).is_some() {}
        }
    });
}

fn handle_message(
    world: &mut World,
    server: &mut RenetServer,
    client: ClientId,
    message: ClientWorldMessage,
    bytes: usize,
) {
    let Some(session) = world.resource::<Sessions>().get(client) else {
        return;
    };
    let awaiting_hello = matches!(session.phase, SessionPhase::AwaitingHello);
    let player = session.player;
    match (message, awaiting_hello, player) {
        (ClientWorldMessage::Hello(hello), true, _) => handle_hello(world, server, client, hello),
        (ClientWorldMessage::Action { seq, action }, false, Some(player)) => {
            let now = world.resource::<Time<Real>>().elapsed();
            let settings = *world.resource::<BudgetSettings>();
            let admission = world
                .resource_mut::<ClientBudgets>()
                .admit_action(&settings, client, now);
            match admission {
                Admission::Admit => {}
                Admission::Refuse => return refuse_action(server, client, seq),
                Admission::Kick(over) => {
                    return close(world, server, client, Refusal::Kicked(over.to_string()));
                }
            }
            world.resource_mut::<ActionInbox>().0.push(InboundAction {
                client,
                player,
                seq,
                action,
            });
        }
        (ClientWorldMessage::Audit(request), false, Some(player))
            if world.contains_resource::<AuditRequests>() =>
        {
            world.resource_mut::<AuditRequests>().0.push(InboundAudit {
                client,
                player,
                request,
                bytes,
            });
        }
        (ClientWorldMessage::Event(event), false, Some(player)) => {
            world
                .resource_mut::<crate::messaging::EventInbox>()
                .0
                .push((client, player, event));
        }
        (ClientWorldMessage::Raw(raw), false, Some(player)) => {
            let size = raw.bytes.len();
            match racksync_protocol::raw::check_raw(SendType::Reliable, &raw.target, size) {
                Ok(()) => world.resource_mut::<crate::messaging::RawInbox>().0.push((
                    client,
                    player,
                    SendType::Reliable,
                    raw,
                )),
                Err(error) => {
                    let reason = Refusal::ProtocolViolation(format!("raw message: {error}"));
                    close(world, server, client, reason);
                }
            }
        }
        (ClientWorldMessage::Goodbye, _, _) => {
            info!(client, "client said goodbye");
            server.disconnect(client);
        }
        (message, _, _) => {
            let reason = format!(
                "unexpected {} before or after handshake",
                message_name(&message)
            );
            close(world, server, client, Refusal::ProtocolViolation(reason));
        }
    }
}

/// Charges one message to the client's budget for `channel`.
pub fn charge(world: &mut World, client: ClientId, channel: Channel, bytes: usize) -> Admission {
    let now = world.resource::<Time<Real>>().elapsed();
    // Without the replication plugin's budgets (a presence-only host), nothing is charged.
    // The settings are copied, not scoped: a resource scope moves the resource out of
    // its entity and back, which is too dear per message.
    let Some(settings) = world.get_resource::<BudgetSettings>().copied() else {
        return Admission::Admit;
    };
    match world.get_resource_mut::<ClientBudgets>() {
        Some(mut budgets) => budgets.admit_message(&settings, client, channel, bytes, now),
        None => Admission::Admit,
    }
}

/// Answers an action the budget refused, so its sender rolls it back at once.
fn refuse_action(server: &mut RenetServer, client: ClientId, seq: u16) {
    let outcome = AckOutcome::Rejected(Rejection::RateLimited);
    send_world(server, client, &HostWorldMessage::Ack { seq, outcome });
}

fn message_name(message: &ClientWorldMessage) -> &'static str {
    match message {
        ClientWorldMessage::Hello(_) => "Hello",
        ClientWorldMessage::Action { .. } => "Action",
        ClientWorldMessage::Goodbye => "Goodbye",
        ClientWorldMessage::Audit(_) => "Audit",
        ClientWorldMessage::Event(_) => "Event",
        ClientWorldMessage::Raw(_) => "Raw",
    }
}

fn handle_hello(world: &mut World, server: &mut RenetServer, client: ClientId, hello: Hello) {
    if let Some(reason) = refusal_for(world, &hello) {
        close(world, server, client, reason);
        return;
    }
    let index = world.resource::<WorldIndex>();
    let free = world
        .resource::<Sessions>()
        .free_player_id(|id| index.held_by(id).is_empty());
    let Some(player) = free else {
        close(world, server, client, Refusal::Full);
        return;
    };
    let revision = world.resource::<WorldRevision>().0;
    let snapshot = cached_snapshot(world);
    let entity = world
        .spawn(Player {
            id: player,
            name: hello.name.clone(),
        })
        .id();
    let tick_hz = world.resource::<HostSettings>().tick_hz;
    let welcome = HostWorldMessage::Welcome(Welcome {
        player,
        revision,
        tick_hz,
    });
    send_world(server, client, &welcome);
    if let Some(session) = world.resource_mut::<Sessions>().get_mut(client) {
        session.player = Some(player);
        session.entity = Some(entity);
        session.phase = SessionPhase::Loading(SnapshotStream {
            snapshot,
            next_chunk: None,
        });
    }
    info!(client, %player, name = %hello.name, %revision, "player joined");
}

fn refusal_for(world: &World, hello: &Hello) -> Option<Refusal> {
    if hello.protocol_version != PROTOCOL_VERSION {
        return Some(Refusal::VersionMismatch {
            host: PROTOCOL_VERSION,
            client: hello.protocol_version,
        });
    }
    if hello.protocol_hash != protocol_hash() {
        return Some(Refusal::HashMismatch {
            host: protocol_hash(),
            client: hello.protocol_hash,
        });
    }
    if !valid_name(&hello.name) {
        return Some(Refusal::InvalidName);
    }
    let settings = world.resource::<HostSettings>();
    if world.resource::<Sessions>().players() >= settings.max_players {
        return Some(Refusal::Full);
    }
    None
}

/// A name is 1..=32 bytes of printable, non-control characters.
pub fn valid_name(name: &str) -> bool {
    !name.trim().is_empty()
        && name.len() <= MAX_PLAYER_NAME_BYTES
        && !name.chars().any(char::is_control)
}

fn cached_snapshot(world: &mut World) -> EncodedSnapshot {
    let revision = world.resource::<WorldRevision>().0;
    if let Some(snapshot) = &world.resource::<SnapshotCache>().0
        && snapshot.revision == revision
    {
        return snapshot.clone();
    }
    let snapshot = EncodedSnapshot::capture(world);
    world.resource_mut::<SnapshotCache>().0 = Some(snapshot.clone());
    snapshot
}

/// Sends `reason` to the client and closes the connection after the linger time.
pub fn close(world: &mut World, server: &mut RenetServer, client: ClientId, reason: Refusal) {
    let now = world.resource::<Time<Real>>().elapsed();
    if let Some(suppressed) = world.resource_mut::<RefusalLog>().0.allow(now) {
        warn!(client, %reason, suppressed, "refusing client");
    }
    send_world(server, client, &HostWorldMessage::Refused(reason));
    let at =
        world.resource::<Time<Real>>().elapsed() + world.resource::<HostSettings>().refuse_linger;
    if let Some(session) = world.resource_mut::<Sessions>().get_mut(client) {
        session.phase = SessionPhase::Closing { at };
    }
}

/// Encodes and sends one host message on `world`.
pub fn send_world(server: &mut RenetServer, client: ClientId, message: &HostWorldMessage) {
    match encode(Channel::World, message) {
        Ok(bytes) => server.send_message(client, Channel::World, bytes),
        Err(error) => panic!("host world message does not fit its channel: {error}"),
    }
}

/// Disconnects refused clients whose linger time is over. Runs in
/// [`crate::RacksyncSystems::Send`] on the host.
pub fn close_lingering(
    mut server: ResMut<RenetServer>,
    sessions: Res<Sessions>,
    time: Res<Time<Real>>,
) {
    for (client, session) in sessions.iter() {
        if let SessionPhase::Closing { at } = session.phase
            && time.elapsed() >= at
            && server.is_connected(client)
        {
            server.disconnect(client);
        }
    }
}
