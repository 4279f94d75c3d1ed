//! Client: sending network events — the local copy at once, the network copy queued
//! behind its rate limits.

use super::delivery::ReceivedEvent;
use super::rate::RateLimiter;
use super::registry::EventRegistry;
use super::settings::MessagingSettings;
use crate::client::{ClientSession, JoinState};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use bevy_renet::RenetClient;
use bevy_time::{Real, Time};
use core::time::Duration;
use racksync_protocol::events::rate_units;
use racksync_protocol::{
    Channel, ClientEvent, ClientWorldMessage, EventError, EventParam, EventSender, EventTarget,
    encode,
};
use std::collections::{BTreeMap, VecDeque};

/// One event waiting for its rate limits.
#[derive(Debug)]
struct Queued {
    /// Position in the order the game sent events.
    order: u64,
    units: u64,
    event: ClientEvent,
}

/// One event name's queue and limiter.
#[derive(Debug)]
struct EventQueue {
    limiter: RateLimiter,
    pending: VecDeque<Queued>,
}

/// Events this client sent that have not left yet, as a client resource.
#[derive(Resource, Debug, Default)]
pub struct EventOutbox {
    queues: BTreeMap<String, EventQueue>,
    global: Option<RateLimiter>,
    next_order: u64,
    sent: u64,
}

impl EventOutbox {
    /// Queues an event for the network (after the registry accepted it).
    fn enqueue(&mut self, rate_per_s: u8, event: ClientEvent) {
        let order = self.next_order;
        self.next_order += 1;
        let units = rate_units(&event.params);
        let rate = u64::from(rate_per_s);
        self.queues
            .entry(event.name.clone())
            .or_insert_with(|| EventQueue {
                limiter: RateLimiter::new(rate, rate),
                pending: VecDeque::new(),
            })
            .pending
            .push_back(Queued {
                order,
                units,
                event,
            });
    }

    /// Events of `name` waiting for their rate limit.
    pub fn queued(&self, name: &str) -> usize {
        self.queues.get(name).map_or(0, |q| q.pending.len())
    }

    /// Events of every name waiting.
    pub fn queued_total(&self) -> usize {
        self.queues.values().map(|q| q.pending.len()).sum()
    }

    /// Events sent to the host so far.
    pub fn sent(&self) -> u64 {
        self.sent
    }

    /// Takes the events that may leave at `now`, in the order they were sent, except
    /// that an event held by its own rate limit lets later events of other names pass.
    /// The global limit holds everything behind it.
    pub fn release(&mut self, settings: &MessagingSettings, now: Duration) -> Vec<ClientEvent> {
        let global = self.global.get_or_insert_with(|| {
            RateLimiter::new(settings.global_events_per_s, settings.global_events_per_s)
        });
        let mut released = Vec::new();
        let mut blocked: Vec<String> = Vec::new();
        loop {
            let next = self
                .queues
                .iter()
                .filter(|(name, _)| !blocked.contains(name))
                .filter_map(|(name, q)| q.pending.front().map(|head| (head.order, name.clone())))
                .min();
            let Some((_, name)) = next else { break };
            let queue = self.queues.get_mut(&name).expect("found above");
            let units = queue.pending.front().expect("found above").units;
            if !global.allows(now, units) {
                break;
            }
            if !queue.limiter.try_take(now, units) {
                // Only this name waits; later events of other names may pass it.
                blocked.push(name);
                continue;
            }
            global.try_take(now, units);
            let queued = queue.pending.pop_front().expect("found above");
            released.push(queued.event);
        }
        self.sent += released.len() as u64;
        released
    }
}

/// The game's handle for sending network events (a system parameter).
#[derive(SystemParam)]
pub struct NetworkEvents<'w> {
    registry: Res<'w, EventRegistry>,
    outbox: ResMut<'w, EventOutbox>,
    session: Res<'w, ClientSession>,
    local: MessageWriter<'w, ReceivedEvent>,
}

impl NetworkEvents<'_> {
    /// Sends event `name` with `params` to `target`. The sender's own copy (targets
    /// `All`, `Local`, or a list naming this player) is delivered at once as a
    /// [`ReceivedEvent`] with no rate limit; the copy for others is queued behind the
    /// event's rate limit and the global one. Refused with the reason when the event is
    /// not registered, its parameters do not match or exceed the limits, or the client
    /// is not playing.
    pub fn send(
        &mut self,
        name: &str,
        target: EventTarget,
        params: Vec<EventParam>,
    ) -> Result<(), EventError> {
        let rate = self.registry.check(name, &target, &params)?.rate_per_s;
        let me = match (self.session.player, &self.session.state) {
            (Some(me), JoinState::Loading(_) | JoinState::Playing) => me,
            _ => return Err(EventError::NotPlaying),
        };
        let (local, remote) = match &target {
            EventTarget::All => (true, true),
            EventTarget::Local => (true, false),
            EventTarget::Others | EventTarget::Owner(_) => (false, true),
            EventTarget::Players(players) => {
                (players.contains(&me), players.iter().any(|p| *p != me))
            }
        };
        if local {
            self.local.write(ReceivedEvent {
                sender: EventSender::Player(me),
                name: name.to_string(),
                params: params.clone(),
            });
        }
        if remote {
            self.outbox.enqueue(
                rate,
                ClientEvent {
                    name: name.to_string(),
                    target,
                    params,
                },
            );
        }
        Ok(())
    }

    /// Events of `name` waiting for their rate limit.
    pub fn queued(&self, name: &str) -> usize {
        self.outbox.queued(name)
    }

    /// Events of every name waiting.
    pub fn queued_total(&self) -> usize {
        self.outbox.queued_total()
    }
}

/// Sends the events whose rate limits allow it. Runs in
/// [`crate::RacksyncSystems::Send`] on clients.
pub fn flush_events(
    mut outbox: ResMut<EventOutbox>,
    settings: Res<MessagingSettings>,
    mut client: ResMut<RenetClient>,
    time: Res<Time<Real>>,
) {
    if !client.is_connected() || outbox.queued_total() == 0 {
        return;
    }
    for event in outbox.release(&settings, time.elapsed()) {
        let message = ClientWorldMessage::Event(event);
        match encode(Channel::World, &message) {
            Ok(bytes) => client.send_message(Channel::World, bytes),
            Err(error) => panic!("a checked event does not fit the world channel: {error}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str) -> ClientEvent {
        ClientEvent {
            name: name.into(),
            target: EventTarget::Others,
            params: Vec::new(),
        }
    }

    fn names(events: &[ClientEvent]) -> Vec<&str> {
        events.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn a_rate_limited_event_lets_another_pass() {
        // VRChat's example: A limited to 3/s; A1..A4 then B1 arrive A1 A2 A3 B1, A4 later.
        let settings = MessagingSettings::default();
        let mut outbox = EventOutbox::default();
        for _ in 0..4 {
            outbox.enqueue(3, event("a"));
        }
        outbox.enqueue(5, event("b"));
        let first = outbox.release(&settings, Duration::ZERO);
        assert_eq!(names(&first), ["a", "a", "a", "b"]);
        assert_eq!(outbox.queued("a"), 1);
        assert!(
            outbox
                .release(&settings, Duration::from_millis(300))
                .is_empty()
        );
        assert_eq!(
            names(&outbox.release(&settings, Duration::from_millis(334))),
            ["a"]
        );
        assert_eq!(outbox.queued_total(), 0);
    }

    #[test]
    fn the_global_limit_holds_everything_in_order() {
        let settings = MessagingSettings {
            global_events_per_s: 2,
            ..MessagingSettings::default()
        };
        let mut outbox = EventOutbox::default();
        for name in ["a", "b", "c"] {
            outbox.enqueue(100, event(name));
        }
        assert_eq!(
            names(&outbox.release(&settings, Duration::ZERO)),
            ["a", "b"]
        );
        assert_eq!(
            names(&outbox.release(&settings, Duration::from_millis(500))),
            ["c"]
        );
    }
}
