//! Messaging in the client prompt and the host console: sending events and raw
//! messages typed as commands, and printing what arrives.

use super::console::say;
use bevy_ecs::prelude::*;
use bevy_ecs::system::RunSystemOnce;
use racksync_protocol::{EventParam, EventSender, EventTarget, PlayerId, RawTarget, SendType};
use racksync_replication::messaging::{
    EventRefusedNotice, EventRegistry, HostOutbox, InstanceOwner, MessagingSettings, NetworkEvents,
    OwnerChanged, RawOutbox, ReceivedEvent, ReceivedRaw,
};

fn params(text: Option<String>) -> Vec<EventParam> {
    text.map(EventParam::Text).into_iter().collect()
}

/// Sends an event typed at the client prompt; prints a refusal.
pub fn client_event(world: &mut World, name: String, target: EventTarget, text: Option<String>) {
    let params = params(text);
    let sent = world
        .run_system_once(move |mut events: NetworkEvents| {
            events.send(&name, target.clone(), params.clone())
        })
        .expect("NetworkEvents exists on a client");
    if let Err(error) = sent {
        say(format!("error: {error}"));
    }
}

/// Sends an event typed at the host console.
pub fn host_event(world: &mut World, name: String, target: EventTarget, text: Option<String>) {
    let registry = world.resource::<EventRegistry>().clone();
    let sent = world
        .resource_mut::<HostOutbox>()
        .event(&registry, &name, target, params(text));
    if let Err(error) = sent {
        say(format!("error: {error}"));
    }
}

/// Queues a raw message typed at the client prompt; prints a refusal.
pub fn client_raw(world: &mut World, target: RawTarget, send_type: SendType, text: String) {
    let settings = world.resource::<MessagingSettings>().clone();
    let sent =
        world
            .resource_mut::<RawOutbox>()
            .send(&settings, target, send_type, text.into_bytes());
    if let Err(error) = sent {
        say(format!("error: {error}"));
    }
}

/// Queues a raw message typed at the host console.
pub fn host_raw(world: &mut World, target: RawTarget, send_type: SendType, text: String) {
    let sent = world
        .resource_mut::<HostOutbox>()
        .raw(target, send_type, text.into_bytes());
    if let Err(error) = sent {
        say(format!("error: {error}"));
    }
}

/// `owner p1` or `owner none`.
pub fn owner_line(owner: Option<PlayerId>) -> String {
    match owner {
        Some(player) => format!("owner {player}"),
        None => "owner none".to_string(),
    }
}

/// Prints the instance owner.
pub fn say_owner(world: &World) {
    say(owner_line(world.resource::<InstanceOwner>().owner));
}

fn sender_name(sender: EventSender) -> String {
    match sender {
        EventSender::Host => "host".to_string(),
        EventSender::Player(player) => player.to_string(),
    }
}

fn param_text(param: &EventParam) -> String {
    match param {
        EventParam::Text(text) => format!("{text:?}"),
        EventParam::Bytes(bytes) => format!("<{} bytes>", bytes.len()),
        other => format!("{other:?}"),
    }
}

/// One line per event run: `event from p2: chat "hello"`.
pub fn event_line(event: &ReceivedEvent) -> String {
    let mut line = format!("event from {}: {}", sender_name(event.sender), event.name);
    for param in &event.params {
        line.push(' ');
        line.push_str(&param_text(param));
    }
    line
}

/// One line per raw message: `raw from p2 reliable: hello`.
pub fn raw_line(raw: &ReceivedRaw) -> String {
    let kind = match raw.send_type {
        SendType::Reliable => "reliable",
        SendType::Unreliable => "unreliable",
        SendType::UnreliableSequenced => "sequenced",
    };
    format!(
        "raw from {} {kind}: {}",
        sender_name(raw.sender),
        String::from_utf8_lossy(&raw.bytes)
    )
}

/// Prints events, refusals, raw messages and owner changes as they arrive. Runs on
/// the client after `RacksyncSystems::Process`.
pub fn print_messaging(
    mut events: MessageReader<ReceivedEvent>,
    mut refused: MessageReader<EventRefusedNotice>,
    mut raw: MessageReader<ReceivedRaw>,
    mut owners: MessageReader<OwnerChanged>,
) {
    for event in events.read() {
        say(event_line(event));
    }
    for notice in refused.read() {
        say(format!("event refused: {}: {}", notice.name, notice.reason));
    }
    for message in raw.read() {
        say(raw_line(message));
    }
    for change in owners.read() {
        say(owner_line(change.owner));
    }
}

/// Prints the events players sent and owner changes, on the host console.
pub fn print_host_messaging(
    mut events: MessageReader<ReceivedEvent>,
    mut owners: MessageReader<OwnerChanged>,
) {
    for event in events.read() {
        say(event_line(event));
    }
    for change in owners.read() {
        say(owner_line(change.owner));
    }
}

/// The client's connection as one line (`conn`).
pub fn connection_line(world: &World) -> String {
    match world.get_resource::<racksync_transport::ClientConnection>() {
        Some(connection) => racksync_transport::describe_connection(&connection.0),
        None => "connection none".to_string(),
    }
}

/// One line per connected client (`conn` on the host console), each starting with
/// `client=ID`.
pub fn host_connection_lines(world: &World) -> Vec<String> {
    let mut lines: Vec<String> = world
        .get_resource::<racksync_transport::HostConnections>()
        .map(|connections| {
            connections
                .iter()
                .map(|(client, info)| {
                    format!(
                        "client={client} {}",
                        racksync_transport::describe_connection(info)
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if lines.is_empty() {
        lines.push("connection none".to_string());
    }
    lines
}
