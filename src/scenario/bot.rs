//! One bot: a full client app (the same plugins a game embeds) with a seeded brain that
//! performs actions at the scenario's rates and walks about at the presence rate.

use super::catalog::Catalog;
use super::choose::Choice;
use super::format::{Behaviour, BotAction};
use bevy_app::App;
use bevy_ecs::prelude::*;
use bevy_ecs::system::RunSystemOnce;
use racksync_protocol::{
    Action, EventParam, EventTarget, ObjectId, PlayerId, PosMm, RawTarget, SendType,
};
use racksync_replication::messaging::{
    EventRefusedNotice, MessagingSettings, NetworkEvents, OwnerChanged, RawOutbox, ReceivedEvent,
    ReceivedRaw,
};
use racksync_replication::presence::ClientPresenceSettings;
use racksync_replication::{ClientSession, JoinState, LocalPresence};
use racksync_rollback::{ActionOutcome, PerformAction, RemoteChange, RollbackStats};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::HashMap;
use std::time::Duration;

/// How many recently dropped objects a bot remembers as pick-up targets.
const DROPPED_MEMORY: usize = 32;

/// Where a bot is in its life.
#[derive(Clone, Debug, PartialEq)]
pub enum BotPhase {
    /// Connecting and loading the world.
    Joining,
    /// In the world.
    Playing,
    /// Its join failed or its connection was lost; the reason.
    Failed(String),
}

/// What one tick of a bot produced, for the metrics.
#[derive(Debug, Default)]
pub struct BotTick {
    /// ACK (or rejection) latencies of this bot's actions.
    pub ack_latencies: Vec<Duration>,
    /// Accepted actions: the revision each produced and when it was sent.
    pub accepted: Vec<(u64, Duration)>,
    /// Remote changes applied: the revision and the actor.
    pub observed: Vec<(u64, PlayerId)>,
    /// Actions the bot wanted but found no legal target for.
    pub skipped: u64,
    /// Actions handed to the client.
    pub performed: u64,
    /// Network events sent (queued for the host).
    pub events_sent: u64,
    /// Network events received from other bots.
    pub events_received: u64,
    /// Raw messages queued.
    pub raw_sent: u64,
    /// Raw messages received from other bots.
    pub raw_received: u64,
    /// Events or raw messages the client refused to send, or the host refused.
    pub messaging_refused: u64,
}

/// A bot client.
pub struct Bot {
    /// The client app.
    pub app: App,
    /// The renet client id of the current connection.
    pub client_id: u64,
    /// Where it is in its life.
    pub phase: BotPhase,
    /// When the current connection started.
    pub joining_since: Duration,
    /// Link frozen (not updated) until then; over UDP a link cut freezes the client.
    pub frozen_until: Option<Duration>,
    rng: StdRng,
    rates: Vec<(BotAction, f64)>,
    next_at: Vec<Duration>,
    focus: Vec<ObjectId>,
    movement_hz: f64,
    heading: f64,
    centre: PosMm,
    spawned: Vec<ObjectId>,
    /// Objects seen put on the floor lately, newest last (at most [`DROPPED_MEMORY`]).
    dropped: Vec<ObjectId>,
    /// Send time of each in-flight action by sequence number.
    sent_at: HashMap<u16, Duration>,
    /// Sequence number the next sent action gets (the client counts from 0).
    next_seq: u16,
    /// Events and raw messages per second, and when each is next due.
    event_rate: f64,
    next_event_at: Duration,
    raw_rate: f64,
    next_raw_at: Duration,
    raw_bytes: usize,
    /// Messages sent so far (numbers the events, picks the raw send type).
    messages_sent: u64,
}

impl Bot {
    /// A bot around a client app that is already wired to the host.
    pub fn new(
        app: App,
        client_id: u64,
        behaviour: &Behaviour,
        catalog: &Catalog,
        seed: u64,
        now: Duration,
    ) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let focus = match behaviour.shared_racks {
            // Everyone in the group works the same few racks: contention.
            Some(shared) => catalog
                .racks
                .iter()
                .take(shared.get() as usize)
                .copied()
                .collect(),
            // Everyone has two racks of their own, as far as chance allows.
            None if catalog.racks.is_empty() => Vec::new(),
            None => (0..2)
                .map(|_| catalog.racks[rng.random_range(0..catalog.racks.len())])
                .collect(),
        };
        let rates: Vec<(BotAction, f64)> = behaviour
            .actions_per_s
            .iter()
            .map(|(kind, rate)| (*kind, rate.get()))
            .filter(|(_, rate)| *rate > 0.0)
            .collect();
        let next_at = rates
            .iter()
            .map(|(_, rate)| now + exponential(&mut rng, *rate))
            .collect();
        let centre = PosMm::new(
            rng.random_range(-20_000..20_000),
            0,
            rng.random_range(-20_000..20_000),
        );
        let movement_hz = behaviour.movement_hz.get();
        let event_rate = behaviour.events_per_s.get();
        let raw_rate = behaviour.raw_per_s.get();
        // A zero rate is never due (and draws nothing, so other bots' seeds are as before).
        let mut first_at = |rate: f64| match rate > 0.0 {
            true => now + exponential(&mut rng, rate),
            false => Duration::MAX,
        };
        let next_event_at = first_at(event_rate);
        let next_raw_at = first_at(raw_rate);
        let mut bot = Self {
            app,
            client_id,
            phase: BotPhase::Joining,
            joining_since: now,
            frozen_until: None,
            rng,
            rates,
            next_at,
            focus,
            movement_hz,
            heading: 0.0,
            centre,
            spawned: Vec::new(),
            dropped: Vec::new(),
            sent_at: HashMap::new(),
            next_seq: 0,
            event_rate,
            next_event_at,
            raw_rate,
            next_raw_at,
            raw_bytes: usize::from(behaviour.raw_bytes),
            messages_sent: 0,
        };
        if movement_hz > 0.0 {
            bot.app.insert_resource(ClientPresenceSettings {
                send_interval: Duration::from_secs_f64(1.0 / movement_hz),
                ..ClientPresenceSettings::default()
            });
        }
        bot
    }

    /// The player id, once welcomed.
    pub fn player(&self) -> Option<PlayerId> {
        self.app.world().resource::<ClientSession>().player
    }

    /// The client's join state.
    pub fn join_state(&self) -> JoinState {
        self.app.world().resource::<ClientSession>().state.clone()
    }

    /// The client's rollback counters.
    pub fn stats(&self) -> RollbackStats {
        *self.app.world().resource::<RollbackStats>()
    }

    /// Decides what to do before this tick's update: moves, and performs the actions
    /// whose time has come (when `acting`).
    pub fn act(&mut self, now: Duration, dt: Duration, acting: bool, catalog: &Catalog) -> BotTick {
        let mut tick = BotTick::default();
        if self.phase != BotPhase::Playing {
            return tick;
        }
        self.walk(dt);
        let Some(me) = self.player() else {
            return tick;
        };
        let mut due = Vec::new();
        for (slot, (kind, rate)) in self.rates.iter().enumerate() {
            while self.next_at[slot] <= now {
                self.next_at[slot] += exponential(&mut self.rng, *rate);
                if acting {
                    due.push(*kind);
                }
            }
        }
        // Spawned objects that no longer exist are forgotten.
        let index = self.app.world().resource::<racksync_world::WorldIndex>();
        self.spawned.retain(|id| index.entity(*id).is_some());
        // One action of a kind per tick at most, so a spawn's id is fresh (the client
        // applies what we write on its next update).
        due.dedup();
        let mut actions = Vec::new();
        for kind in due {
            let choice = Choice {
                world: self.app.world(),
                me,
                catalog,
                focus: &self.focus,
                position: self.position(),
                spawned: &self.spawned,
                dropped: &self.dropped,
            };
            match choice.pick(kind, &mut self.rng) {
                Some(action) => actions.push(action),
                None => tick.skipped += 1,
            }
            if kind == BotAction::Spawn {
                break;
            }
        }
        if acting {
            self.send_messages(now, &mut tick);
        }
        for action in actions {
            match action {
                Action::Spawn { object, .. } => self.spawned.push(object),
                Action::Drop { object, .. } => self.saw_dropped(object),
                _ => {}
            }
            self.app.world_mut().write_message(PerformAction(action));
            tick.performed += 1;
        }
        tick
    }

    /// Reads what the client did during this tick's update.
    pub fn collect(&mut self, now: Duration, tick: &mut BotTick) {
        // Actions the client sent this update got the next sequence numbers.
        let sent = self.stats().sent;
        let world = self.app.world_mut();
        let previously = u64::from(self.next_seq);
        let newly = sent.wrapping_sub(previously) & 0xFFFF;
        for _ in 0..newly {
            self.sent_at.insert(self.next_seq, now);
            self.next_seq = self.next_seq.wrapping_add(1);
        }
        let outcomes: Vec<ActionOutcome> = world
            .resource_mut::<Messages<ActionOutcome>>()
            .drain()
            .collect();
        for outcome in outcomes {
            match outcome {
                ActionOutcome::Accepted { seq, revision, .. } => {
                    if let Some(at) = self.sent_at.remove(&seq) {
                        tick.ack_latencies.push(now - at);
                        tick.accepted.push((revision.0, at));
                    }
                }
                ActionOutcome::Rejected { seq, .. } => {
                    if let Some(at) = self.sent_at.remove(&seq) {
                        tick.ack_latencies.push(now - at);
                    }
                }
                // A timed-out action's late ACK is still honoured, so its send time
                // stays until then (or until its number comes round again).
                ActionOutcome::TimedOut { .. }
                | ActionOutcome::DroppedOnReplay { .. }
                | ActionOutcome::RejectedLocally { .. }
                | ActionOutcome::NotPlaying { .. } => {}
            }
        }
        let changes: Vec<RemoteChange> = world
            .resource_mut::<Messages<RemoteChange>>()
            .drain()
            .collect();
        for change in changes {
            if let Action::Drop { object, .. } | Action::Release { object, .. } = change.action {
                self.saw_dropped(object);
            }
            tick.observed.push((change.revision.0, change.actor));
        }
        let world = self.app.world_mut();
        tick.events_received += world
            .resource_mut::<Messages<ReceivedEvent>>()
            .drain()
            .count() as u64;
        tick.raw_received += world
            .resource_mut::<Messages<ReceivedRaw>>()
            .drain()
            .count() as u64;
        tick.messaging_refused += world
            .resource_mut::<Messages<EventRefusedNotice>>()
            .drain()
            .count() as u64;
        world
            .resource_mut::<Messages<OwnerChanged>>()
            .drain()
            .for_each(drop);
    }

    /// Sends the events and raw messages whose time has come.
    fn send_messages(&mut self, now: Duration, tick: &mut BotTick) {
        while self.event_rate > 0.0 && self.next_event_at <= now {
            self.next_event_at += exponential(&mut self.rng, self.event_rate);
            let n = self.messages_sent as i32;
            self.messages_sent += 1;
            let sent = self
                .app
                .world_mut()
                .run_system_once(move |mut events: NetworkEvents| {
                    events.send("ping", EventTarget::Others, vec![EventParam::Int(n)])
                })
                .expect("bots are clients");
            match sent {
                Ok(()) => tick.events_sent += 1,
                Err(_) => tick.messaging_refused += 1,
            }
        }
        while self.raw_rate > 0.0 && self.next_raw_at <= now {
            self.next_raw_at += exponential(&mut self.rng, self.raw_rate);
            let send_type = match self.messages_sent % 3 {
                0 => SendType::Reliable,
                1 => SendType::Unreliable,
                _ => SendType::UnreliableSequenced,
            };
            self.messages_sent += 1;
            let world = self.app.world_mut();
            let settings = world.resource::<MessagingSettings>().clone();
            let bytes = vec![self.messages_sent as u8; self.raw_bytes];
            match world.resource_mut::<RawOutbox>().send(
                &settings,
                RawTarget::Others,
                send_type,
                bytes,
            ) {
                Ok(()) => tick.raw_sent += 1,
                Err(_) => tick.messaging_refused += 1,
            }
        }
    }

    fn saw_dropped(&mut self, object: ObjectId) {
        if self.dropped.len() == DROPPED_MEMORY {
            self.dropped.remove(0);
        }
        self.dropped.push(object);
    }

    fn walk(&mut self, dt: Duration) {
        if self.movement_hz > 0.0 {
            // A slow circle of 3 m around the bot's spot: 0.2 rad/s.
            self.heading = (self.heading + 0.2 * dt.as_secs_f64()) % std::f64::consts::TAU;
        }
        let position = self.position();
        let metres = [position.x as f32 / 1000.0, 0.0, position.z as f32 / 1000.0];
        self.app
            .world_mut()
            .resource_mut::<LocalPresence>()
            .set_transform(metres, self.heading as f32);
    }

    fn position(&self) -> PosMm {
        let (sin, cos) = self.heading.sin_cos();
        PosMm::new(
            self.centre.x + (3000.0 * cos) as i32,
            0,
            self.centre.z + (3000.0 * sin) as i32,
        )
    }
}

/// A Poisson process's wait until the next event at `rate` per second.
fn exponential(rng: &mut StdRng, rate: f64) -> Duration {
    let uniform: f64 = rng.random_range(f64::MIN_POSITIVE..1.0);
    Duration::from_secs_f64(-uniform.ln() / rate)
}
