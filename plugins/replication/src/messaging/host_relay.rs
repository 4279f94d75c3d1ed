//! Host: delivering network events and raw messages from players (and from host-side
//! systems) to their targets, within each sender's limits.

use super::delivery::ReceivedEvent;
use super::owner::InstanceOwner;
use super::rate::RateLimiter;
use super::registry::EventRegistry;
use super::settings::MessagingSettings;
use crate::host::{Sessions, send_world};
use bevy_ecs::prelude::*;
use bevy_renet::RenetServer;
use bevy_time::{Real, Time};
use core::time::Duration;
use racksync_protocol::events::rate_units;
use racksync_protocol::raw::check_raw;
use racksync_protocol::{
    Channel, ClientEvent, ClientRaw, EventError, EventParam, EventSender, EventTarget, HostEvent,
    HostRaw, HostWorldMessage, ObjectId, Placement, PlayerId, RawTarget, SendType, encode,
};
use racksync_transport::TokenBucket;
use racksync_world::ReadObjects;
use renet::ClientId;
use std::collections::BTreeMap;

/// Events received from players this frame, for the relay.
#[derive(Resource, Debug, Default)]
pub struct EventInbox(pub Vec<(ClientId, PlayerId, ClientEvent)>);

/// Raw messages received from players this frame, for the relay.
#[derive(Resource, Debug, Default)]
pub struct RawInbox(pub Vec<(ClientId, PlayerId, SendType, ClientRaw)>);

/// What host-side systems send: events and raw messages from the host itself.
#[derive(Resource, Debug, Default)]
pub struct HostOutbox {
    events: Vec<(EventTarget, String, Vec<EventParam>)>,
    raw: Vec<(RawTarget, SendType, Vec<u8>)>,
}

impl HostOutbox {
    /// Sends an event from the host to `target` (`Local` and `All` also deliver it to
    /// the host's own [`ReceivedEvent`] readers). Checked against the registry; the host
    /// is not rate-limited.
    pub fn event(
        &mut self,
        registry: &EventRegistry,
        name: &str,
        target: EventTarget,
        params: Vec<EventParam>,
    ) -> Result<(), EventError> {
        registry.check(name, &target, &params)?;
        self.events.push((target, name.to_string(), params));
        Ok(())
    }

    /// Sends raw bytes from the host to `target`; refused when too large.
    pub fn raw(
        &mut self,
        target: RawTarget,
        send_type: SendType,
        bytes: Vec<u8>,
    ) -> Result<(), racksync_protocol::RawError> {
        check_raw(send_type, &target, bytes.len())?;
        self.raw.push((target, send_type, bytes));
        Ok(())
    }
}

/// Counters of the relay.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct MessagingStats {
    /// Event copies sent to players.
    pub events_delivered: u64,
    /// Events refused (unregistered, malformed, over the host's rate limit).
    pub events_refused: u64,
    /// Raw message copies sent to players.
    pub raw_delivered: u64,
    /// Raw messages dropped for the sender's byte budget.
    pub raw_over_budget: u64,
}

/// Each sender's limits as the host enforces them.
#[derive(Resource, Debug, Default)]
pub struct SenderLimits {
    events: BTreeMap<(ClientId, String), RateLimiter>,
    global: BTreeMap<ClientId, RateLimiter>,
    raw: BTreeMap<ClientId, TokenBucket>,
}

impl SenderLimits {
    /// Forgets a connection that is gone.
    pub fn forget(&mut self, client: ClientId) {
        self.events.retain(|(c, _), _| *c != client);
        self.global.remove(&client);
        self.raw.remove(&client);
    }

    fn admit_event(
        &mut self,
        settings: &MessagingSettings,
        client: ClientId,
        name: &str,
        rate: u8,
        units: u64,
        now: Duration,
    ) -> bool {
        let slack = settings.host_slack.max(1);
        let rate = u64::from(rate);
        let per_event = self
            .events
            .entry((client, name.to_string()))
            .or_insert_with(|| RateLimiter::new(rate, rate * slack));
        let global = self.global.entry(client).or_insert_with(|| {
            RateLimiter::new(
                settings.global_events_per_s,
                settings.global_events_per_s * slack,
            )
        });
        if !per_event.allows(now, units) || !global.allows(now, units) {
            return false;
        }
        per_event.try_take(now, units);
        global.try_take(now, units);
        true
    }

    fn admit_raw(
        &mut self,
        settings: &MessagingSettings,
        client: ClientId,
        bytes: usize,
        now: Duration,
    ) -> bool {
        let slack = settings.host_slack.max(1);
        self.raw
            .entry(client)
            .or_insert_with(|| {
                let mut bucket = TokenBucket::new(
                    settings.raw_bytes_per_s * slack,
                    settings.raw_spike_bytes * slack,
                );
                bucket.refill(now);
                bucket
            })
            .try_take_at(now, bytes as u64)
    }
}

/// The world and session facts target resolution needs.
struct Audience<'a> {
    sessions: &'a Sessions,
    owner: Option<PlayerId>,
}

impl Audience<'_> {
    /// Connections of players who receive broadcasts, but `except`.
    fn everyone_but(&self, except: Option<PlayerId>) -> Vec<ClientId> {
        self.sessions
            .iter()
            .filter(|(_, s)| s.subscribed() && s.player.is_some() && s.player != except)
            .map(|(c, _)| c)
            .collect()
    }

    /// The connection of a player who receives broadcasts.
    fn client_of(&self, player: PlayerId) -> Option<ClientId> {
        let client = self.sessions.client_of(player)?;
        self.sessions
            .get(client)
            .is_some_and(|s| s.subscribed())
            .then_some(client)
    }

    fn players(&self, players: &[PlayerId], except: Option<PlayerId>) -> Vec<ClientId> {
        let mut clients: Vec<ClientId> = players
            .iter()
            .filter(|p| Some(**p) != except)
            .filter_map(|p| self.client_of(*p))
            .collect();
        clients.sort_unstable();
        clients.dedup();
        clients
    }
}

/// Delivers this frame's events and raw messages. Runs in
/// [`crate::RacksyncSystems::Process`] on the host, after the instance owner is known.
pub fn relay_messages(world: &mut World) {
    let now = world.resource::<Time<Real>>().elapsed();
    let events = std::mem::take(&mut world.resource_mut::<EventInbox>().0);
    let raws = std::mem::take(&mut world.resource_mut::<RawInbox>().0);
    let outbox = std::mem::take(&mut *world.resource_mut::<HostOutbox>());
    if events.is_empty() && raws.is_empty() && outbox.events.is_empty() && outbox.raw.is_empty() {
        return;
    }
    // The host's own sequenced raw messages are numbered here, in send order.
    let host_raw: Vec<(SendType, ClientRaw)> = outbox
        .raw
        .into_iter()
        .map(|(target, send_type, bytes)| {
            let sequence = (send_type == SendType::UnreliableSequenced).then(|| {
                let mut next = world.resource_mut::<HostRawSequence>();
                next.0 = next.0.wrapping_add(1);
                next.0
            });
            let raw = ClientRaw {
                target,
                sequence,
                bytes,
            };
            (send_type, raw)
        })
        .collect();
    let settings = world.resource::<MessagingSettings>().clone();
    let registry = world.resource::<EventRegistry>().clone();
    let owner = world.resource::<InstanceOwner>().owner;
    let mut local = Vec::new();
    let mut stats = world.resource::<MessagingStats>().clone();
    world.resource_scope::<RenetServer, _>(|world, mut server| {
        world.resource_scope::<SenderLimits, _>(|world, mut limits| {
            let audience = Audience {
                sessions: world.resource::<Sessions>(),
                owner,
            };
            for (client, player, event) in events {
                let verdict = registry
                    .check(&event.name, &event.target, &event.params)
                    .map(|def| def.rate_per_s)
                    .and_then(|rate| {
                        let units = rate_units(&event.params);
                        if limits.admit_event(&settings, client, &event.name, rate, units, now) {
                            Ok(())
                        } else {
                            Err(EventError::RateLimited(event.name.clone()))
                        }
                    });
                if let Err(reason) = verdict {
                    stats.events_refused += 1;
                    let name = event.name;
                    send_world(
                        &mut server,
                        client,
                        &HostWorldMessage::EventRefused { name, reason },
                    );
                    continue;
                }
                let to = event_targets(world, &audience, &event.target, Some(player));
                local.push(ReceivedEvent {
                    sender: EventSender::Player(player),
                    name: event.name.clone(),
                    params: event.params.clone(),
                });
                stats.events_delivered += to.len() as u64;
                deliver_event(&mut server, &to, EventSender::Player(player), event);
            }
            for (target, name, params) in outbox.events {
                if matches!(target, EventTarget::All | EventTarget::Local) {
                    local.push(ReceivedEvent {
                        sender: EventSender::Host,
                        name: name.clone(),
                        params: params.clone(),
                    });
                }
                let to = event_targets(world, &audience, &target, None);
                stats.events_delivered += to.len() as u64;
                let event = ClientEvent {
                    name,
                    target,
                    params,
                };
                deliver_event(&mut server, &to, EventSender::Host, event);
            }
            for (client, player, send_type, raw) in raws {
                if !limits.admit_raw(&settings, client, raw.bytes.len(), now) {
                    stats.raw_over_budget += 1;
                    continue;
                }
                let to = raw_targets(&audience, &raw.target, Some(player));
                stats.raw_delivered += to.len() as u64;
                deliver_raw(
                    &mut server,
                    &to,
                    EventSender::Player(player),
                    send_type,
                    raw,
                );
            }
            for (send_type, raw) in host_raw {
                let to = raw_targets(&audience, &raw.target, None);
                stats.raw_delivered += to.len() as u64;
                deliver_raw(&mut server, &to, EventSender::Host, send_type, raw);
            }
        });
    });
    *world.resource_mut::<MessagingStats>() = stats;
    world.write_message_batch(local);
}

/// The host's own sequence of unreliable sequenced raw messages.
#[derive(Resource, Debug, Default)]
pub struct HostRawSequence(pub u16);

fn event_targets(
    world: &World,
    audience: &Audience<'_>,
    target: &EventTarget,
    sender: Option<PlayerId>,
) -> Vec<ClientId> {
    match target {
        EventTarget::All | EventTarget::Others => audience.everyone_but(sender),
        EventTarget::Local => Vec::new(),
        EventTarget::Players(players) => audience.players(players, sender),
        EventTarget::Owner(object) => owner_of(world, *object)
            .or(audience.owner)
            .and_then(|owner| audience.client_of(owner))
            .into_iter()
            .collect(),
    }
}

/// The player holding `object`, if any.
fn owner_of(world: &World, object: Option<ObjectId>) -> Option<PlayerId> {
    match world.object(object?)?.placement {
        Placement::Held(player) => Some(player),
        _ => None,
    }
}

fn raw_targets(
    audience: &Audience<'_>,
    target: &RawTarget,
    sender: Option<PlayerId>,
) -> Vec<ClientId> {
    match target {
        RawTarget::Others => audience.everyone_but(sender),
        RawTarget::Players(players) => audience.players(players, sender),
    }
}

fn deliver_event(
    server: &mut RenetServer,
    to: &[ClientId],
    sender: EventSender,
    event: ClientEvent,
) {
    let message = HostWorldMessage::Event(HostEvent {
        sender,
        name: event.name,
        params: event.params,
    });
    for client in to {
        send_world(server, *client, &message);
    }
}

fn deliver_raw(
    server: &mut RenetServer,
    to: &[ClientId],
    sender: EventSender,
    send_type: SendType,
    raw: ClientRaw,
) {
    let delivered = HostRaw {
        sender,
        sequence: raw.sequence,
        bytes: raw.bytes,
    };
    if send_type == SendType::Reliable {
        let message = HostWorldMessage::Raw(delivered);
        for client in to {
            send_world(server, *client, &message);
        }
        return;
    }
    let bytes = match encode(Channel::Raw, &delivered) {
        Ok(bytes) => bytes,
        // A player's payload fit the raw channel on the way in; the host's header is
        // no larger, so this only fails for a host-side send over the limit.
        Err(error) => panic!("a checked raw message does not fit the raw channel: {error}"),
    };
    for client in to {
        server.send_message(*client, Channel::Raw, bytes.clone());
    }
}
