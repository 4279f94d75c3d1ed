//! Running a scenario: a host (in this process, or remote) and its bots, tick by tick.
//!
//! Over the in-memory transport the run is simulated time on a manual clock: as fast as
//! the machine goes, and the same every time for a given seed (host tick times aside,
//! which are measured wall time). Over UDP, in process or against `--connect`, it runs in
//! real time.

use super::bot::{Bot, BotPhase};
use super::catalog::Catalog;
use super::format::{Fault, Scenario, WorldSource};
use super::metrics::Metrics;
use super::progress::Progress;
use super::report::{Convergence, Report, Totals};
use crate::app::{ClientOptions, HostOptions, client_app, host_app};
use crate::wiring::{Wiring, WiringError};
use bevy_app::App;
use bevy_ecs::prelude::*;
use bevy_renet::RenetClient;
use bevy_time::TimeUpdateStrategy;
use racksync_audit::{AuditSettings, AuditStats, Desync, Field};
use racksync_protocol::{DEFAULT_BYTES_PER_TICK, ObjectId};
use racksync_replication::HostSettings;
use racksync_rollback::RollbackStats;
use racksync_simulation::SimulationRng;
use racksync_transport::{LinkConditions, MAX_CLIENTS};
use racksync_world::{ReadObjects, SaveError, WorldRevision, WorldSave, generate_world};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

/// Where the host is and how bots reach it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportChoice {
    /// Host in this process, in-memory transport with the scenario's link conditions.
    Memory,
    /// Host in this process, netcode over UDP loopback.
    Udp,
    /// A host running elsewhere; this process runs only the bots.
    Connect(SocketAddr),
}

impl TransportChoice {
    /// Name used in the report.
    pub fn name(&self) -> String {
        match self {
            TransportChoice::Memory => "memory".into(),
            TransportChoice::Udp => "udp".into(),
            TransportChoice::Connect(addr) => format!("connect {addr}"),
        }
    }
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The world could not be loaded.
    #[error("cannot load the scenario's world: {0}")]
    World(#[from] SaveError),
    /// The network could not be set up.
    #[error(transparent)]
    Wiring(#[from] WiringError),
    /// The scenario asks for something this transport cannot do.
    #[error("{0}")]
    Unsupported(String),
}

/// How long the run may take to settle after the bots stop, at least.
const MIN_SETTLE: Duration = Duration::from_secs(10);

/// One bot's place in the run: its group, its live client (if any) and when the next
/// connection is due.
struct Slot {
    group: usize,
    bot: Option<Bot>,
    join_at: Option<Duration>,
    failed: Option<String>,
    /// Traffic counters of the current connection, as last read.
    seen_up: u64,
    seen_down: u64,
    /// Traffic totals over every connection of this slot.
    bytes_up: u64,
    bytes_down: u64,
}

/// Something scheduled.
#[derive(Clone, Debug)]
enum Event {
    Fault(Fault),
    Restore { slot: usize },
}

/// A run in progress.
pub struct Runner {
    scenario: Scenario,
    transport: TransportChoice,
    wiring: Wiring,
    host: Option<App>,
    catalog: Option<Catalog>,
    slots: Vec<Slot>,
    events: Vec<(Duration, Event)>,
    metrics: Metrics,
    retired: Totals,
    rng: StdRng,
    base: Instant,
    now: Duration,
    dt: Duration,
    next_client_id: u64,
    objects: usize,
    started: Instant,
}

impl Runner {
    /// Sets up the host (unless remote) and schedules every bot and fault.
    pub fn new(
        scenario: Scenario,
        base_dir: &Path,
        transport: TransportChoice,
    ) -> Result<Self, RunError> {
        let dt = Duration::from_secs_f64(1.0 / f64::from(scenario.tick_hz.get()));
        let (host, wiring, catalog, objects) = match transport {
            TransportChoice::Connect(addr) => (None, Wiring::Udp(addr), None, 0),
            TransportChoice::Memory | TransportChoice::Udp => {
                let world = load_world(&scenario.world, base_dir)?;
                // Room for every bot plus the ones still leaving when they rejoin.
                let max_players = (scenario.total_clients() as usize * 2 + 8).min(MAX_CLIENTS);
                let tick_hz = u16::try_from(scenario.tick_hz.get()).unwrap_or(u16::MAX);
                let mut host = host_app(&HostOptions {
                    world,
                    settings: HostSettings {
                        tick_hz,
                        max_players,
                        ..HostSettings::default()
                    },
                })?;
                if let Some(interval) = scenario.audit_interval_s {
                    host.world_mut().resource_mut::<AuditSettings>().interval =
                        Duration::from_secs_f64(interval.get());
                }
                host.insert_resource(SimulationRng::new(scenario.seed));
                let wiring = if transport == TransportChoice::Memory {
                    Wiring::memory_host(&mut host, scenario.seed, DEFAULT_BYTES_PER_TICK)?
                } else {
                    let bind = SocketAddr::from(([127, 0, 0, 1], 0));
                    Wiring::udp_host(&mut host, bind, max_players, DEFAULT_BYTES_PER_TICK)?
                };
                let catalog = Catalog::of(host.world());
                let objects = host.world().resource::<racksync_world::WorldIndex>().len();
                (Some(host), wiring, Some(catalog), objects)
            }
        };
        let mut slots = Vec::new();
        for (group_index, group) in scenario.groups.iter().enumerate() {
            for _ in 0..group.clients {
                slots.push(Slot {
                    group: group_index,
                    bot: None,
                    join_at: Some(Duration::from_secs_f64(group.join_at_s.get())),
                    failed: None,
                    seen_up: 0,
                    seen_down: 0,
                    bytes_up: 0,
                    bytes_down: 0,
                });
            }
        }
        let mut events: Vec<(Duration, Event)> = scenario
            .faults
            .iter()
            .map(|timed| {
                (
                    Duration::from_secs_f64(timed.at_s.get()),
                    Event::Fault(timed.fault.clone()),
                )
            })
            .collect();
        events.sort_by_key(|(at, _)| *at);
        let seed = scenario.seed;
        Ok(Self {
            scenario,
            transport,
            wiring,
            host,
            catalog,
            slots,
            events,
            metrics: Metrics::default(),
            retired: Totals::default(),
            rng: StdRng::seed_from_u64(seed ^ 0x5CE1_A210),
            base: Instant::now(),
            now: Duration::ZERO,
            dt,
            next_client_id: 1 + seed % 1_000_000 * 1000,
            objects,
            started: Instant::now(),
        })
    }

    /// Runs the acting phase, then lets the world settle, and reports.
    pub fn run(mut self, progress: &mut Progress) -> Report {
        let duration = Duration::from_secs_f64(self.scenario.duration_s.get());
        while self.now < duration {
            self.tick(true);
            progress.show(&self.snapshot("acting", duration));
        }
        let settle_limit = self.settle_limit();
        let settle_start = self.now;
        let audits_at_settle = self.client_audits();
        let converged = loop {
            if self.converged(&audits_at_settle) {
                break true;
            }
            if self.now - settle_start >= settle_limit {
                break false;
            }
            self.tick(false);
            progress.show(&self.snapshot("settling", duration));
        };
        progress.finish();
        let convergence = self.convergence(converged, self.now - settle_start);
        self.report(convergence)
    }

    fn settle_limit(&self) -> Duration {
        let audit = match (&self.host, self.scenario.audit_interval_s) {
            (Some(host), _) => host.world().resource::<AuditSettings>().interval,
            (None, Some(interval)) => Duration::from_secs_f64(interval.get()),
            (None, None) => AuditSettings::default().interval,
        };
        MIN_SETTLE.max(audit * 2 + Duration::from_secs(2))
    }

    /// One step of every app.
    fn tick(&mut self, acting: bool) {
        let now = self.now;
        self.start_due_joins(now);
        self.run_due_events(now);
        for slot in &mut self.slots {
            if let (Some(bot), Some(catalog)) = (&mut slot.bot, &self.catalog) {
                let tick = bot.act(now, self.dt, acting, catalog);
                self.metrics.add(now, tick);
            }
        }
        let instant = self.base + now;
        if let Some(host) = &mut self.host {
            host.insert_resource(TimeUpdateStrategy::ManualInstant(instant));
            let started = Instant::now();
            host.update();
            self.metrics.host_tick.record(started.elapsed());
        }
        for index in 0..self.slots.len() {
            self.update_slot(index, now, instant);
        }
        if self.catalog.is_none() {
            // Against a remote host, the first bot to load the world supplies the targets.
            self.catalog = self.slots.iter().find_map(|slot| {
                let bot = slot.bot.as_ref()?;
                (bot.phase == BotPhase::Playing).then(|| Catalog::of(bot.app.world()))
            });
            if let Some(catalog) = &self.catalog {
                self.objects = catalog.racks.len() + catalog.pickables.len();
            }
        }
        self.metrics.prune(now);
        self.now += self.dt;
        if self.transport != TransportChoice::Memory {
            // Real time: wait for the next tick's moment.
            let due = self.base + self.now;
            let wait = due.saturating_duration_since(Instant::now());
            std::thread::sleep(wait);
        }
    }

    fn update_slot(&mut self, index: usize, now: Duration, instant: Instant) {
        let slot = &mut self.slots[index];
        let Some(bot) = &mut slot.bot else {
            return;
        };
        if bot.frozen_until.is_some_and(|until| now < until) {
            return;
        }
        bot.frozen_until = None;
        bot.app
            .insert_resource(TimeUpdateStrategy::ManualInstant(instant));
        bot.app.update();
        let mut tick = Default::default();
        bot.collect(now, &mut tick);
        self.metrics.add(now, tick);
        match bot.join_state() {
            state if state.is_playing() && bot.phase == BotPhase::Joining => {
                bot.phase = BotPhase::Playing;
                self.metrics
                    .joins
                    .record(now.saturating_sub(bot.joining_since));
            }
            state if state.is_finished() && !state.is_playing() => {
                slot.failed = Some(format!("{state:?}"));
                bot.phase = BotPhase::Failed(format!("{state:?}"));
            }
            _ => {}
        }
        // Traffic since the last read.
        let (up, down) = match (&self.wiring, self.transport) {
            (Wiring::Memory(network), _) => network
                .stats(bot.client_id)
                .map(|s| (s.to_host.bytes_sent, s.to_client.bytes_sent))
                .unwrap_or((slot.seen_up, slot.seen_down)),
            _ => {
                // netcode keeps rates, not totals: integrate them over the tick.
                let info = bot.app.world().resource::<RenetClient>().network_info();
                let secs = self.dt.as_secs_f64();
                (
                    slot.seen_up + (info.bytes_sent_per_second * secs) as u64,
                    slot.seen_down + (info.bytes_received_per_second * secs) as u64,
                )
            }
        };
        let (d_up, d_down) = (
            up.saturating_sub(slot.seen_up),
            down.saturating_sub(slot.seen_down),
        );
        slot.seen_up = up;
        slot.seen_down = down;
        slot.bytes_up += d_up;
        slot.bytes_down += d_down;
        self.metrics.add_bytes(now, d_up, d_down);
    }

    fn start_due_joins(&mut self, now: Duration) {
        for index in 0..self.slots.len() {
            let due = self.slots[index].join_at.is_some_and(|at| at <= now);
            if due && self.slots[index].bot.is_none() {
                self.slots[index].join_at = None;
                self.connect(index, now);
            }
        }
    }

    fn connect(&mut self, index: usize, now: Duration) {
        let group = &self.scenario.groups[self.slots[index].group];
        let client_id = self.next_client_id;
        self.next_client_id += 1;
        let mut app = client_app(&ClientOptions {
            name: format!("{}-{index}", group.name),
        });
        let link = LinkConditions {
            latency: Duration::from_secs_f64(group.link.latency_ms.get() / 1000.0),
            jitter: Duration::from_secs_f64(group.link.jitter_ms.get() / 1000.0),
            loss: group.link.loss.get(),
            duplicate: group.link.duplicate.get(),
            reorder: group.link.reorder.get(),
        };
        app.insert_resource(TimeUpdateStrategy::ManualInstant(self.base + now));
        if let Err(error) = self.wiring.attach_client(
            &mut app,
            client_id,
            link.clone(),
            link,
            DEFAULT_BYTES_PER_TICK,
        ) {
            self.slots[index].failed = Some(error.to_string());
            return;
        }
        let seed = self.scenario.seed ^ client_id.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let empty = Catalog::default();
        let catalog = self.catalog.as_ref().unwrap_or(&empty);
        let bot = Bot::new(app, client_id, &group.behaviour, catalog, seed, now);
        let slot = &mut self.slots[index];
        slot.bot = Some(bot);
        slot.seen_up = 0;
        slot.seen_down = 0;
    }

    fn run_due_events(&mut self, now: Duration) {
        while self.events.first().is_some_and(|(at, _)| *at <= now) {
            let (_, event) = self.events.remove(0);
            match event {
                Event::Fault(fault) => self.apply_fault(now, fault),
                Event::Restore { slot } => {
                    if let (Some(network), Some(bot)) =
                        (self.wiring.network(), &self.slots[slot].bot)
                    {
                        let _ = network.cut(bot.client_id, false);
                    }
                }
            }
        }
    }

    fn schedule(&mut self, at: Duration, event: Event) {
        let position = self.events.partition_point(|(t, _)| *t <= at);
        self.events.insert(position, (at, event));
    }

    /// Bots of `group` that are playing, `count` of them picked at random.
    fn victims(&mut self, group: &str, count: u32) -> Vec<usize> {
        let Some(group) = self.scenario.groups.iter().position(|g| g.name == group) else {
            return Vec::new();
        };
        let mut playing: Vec<usize> = (0..self.slots.len())
            .filter(|i| self.slots[*i].group == group)
            .filter(|i| {
                self.slots[*i]
                    .bot
                    .as_ref()
                    .is_some_and(|b| b.phase == BotPhase::Playing)
            })
            .collect();
        let mut chosen = Vec::new();
        while chosen.len() < count as usize && !playing.is_empty() {
            let pick = self.rng.random_range(0..playing.len());
            chosen.push(playing.swap_remove(pick));
        }
        chosen
    }

    fn apply_fault(&mut self, now: Duration, fault: Fault) {
        match fault {
            Fault::Disconnect {
                group,
                clients,
                rejoin_after_s,
            } => {
                for index in self.victims(&group, clients.get()) {
                    self.retire(index);
                    self.slots[index].join_at =
                        rejoin_after_s.map(|after| now + Duration::from_secs_f64(after.get()));
                }
            }
            Fault::LinkCut {
                group,
                clients,
                for_s,
            } => {
                let until = now + Duration::from_secs_f64(for_s.get());
                for index in self.victims(&group, clients.get()) {
                    let Some(bot) = &mut self.slots[index].bot else {
                        continue;
                    };
                    match self.wiring.network() {
                        Some(network) => {
                            let _ = network.cut(bot.client_id, true);
                            self.schedule(until, Event::Restore { slot: index });
                        }
                        // Over UDP the runner cannot drop datagrams: the client stalls.
                        None => bot.frozen_until = Some(until),
                    }
                }
            }
            Fault::Desync {
                group,
                clients,
                objects,
            } => {
                for index in self.victims(&group, clients.get()) {
                    self.desync(index, objects.get());
                }
            }
        }
    }

    /// Corrupts `objects` objects of one bot's world.
    fn desync(&mut self, index: usize, objects: u32) {
        let Some(catalog) = &self.catalog else { return };
        let pool: Vec<ObjectId> = catalog
            .racks
            .iter()
            .chain(&catalog.pickables)
            .copied()
            .collect();
        let Some(bot) = &mut self.slots[index].bot else {
            return;
        };
        let mut injected = 0;
        for _ in 0..objects * 10 {
            if injected == objects || pool.is_empty() {
                break;
            }
            let object = pool[self.rng.random_range(0..pool.len())];
            let field = Field::ALL[self.rng.random_range(0..Field::ALL.len())];
            if racksync_audit::inject(bot.app.world_mut(), Desync::Corrupt { object, field })
                .is_ok()
            {
                injected += 1;
            }
        }
    }

    /// A bot quits: its counters are kept, its app is dropped.
    fn retire(&mut self, index: usize) {
        let Some(mut bot) = self.slots[index].bot.take() else {
            return;
        };
        bot.app
            .world_mut()
            .resource_mut::<RenetClient>()
            .disconnect();
        // One more update sends the disconnect to the host.
        bot.app.update();
        self.retired.add(
            &bot.stats(),
            &bot.app.world().resource::<AuditStats>().clone(),
        );
    }

    fn client_audits(&self) -> Vec<(u64, u64)> {
        self.slots
            .iter()
            .map(|slot| {
                slot.bot.as_ref().map_or((0, 0), |bot| {
                    let stats = bot.app.world().resource::<AuditStats>();
                    (stats.audits, stats.mismatches)
                })
            })
            .collect()
    }

    /// Every bot that should be in the world plays it, has nothing pending and holds the
    /// host's world. Against a remote host: every bot holds the same world and the host's
    /// audit has since confirmed each one.
    fn converged(&self, audits_at_settle: &[(u64, u64)]) -> bool {
        let live: Vec<&Bot> = self.slots.iter().filter_map(|s| s.bot.as_ref()).collect();
        if live
            .iter()
            .any(|b| b.phase != BotPhase::Playing || b.stats().pending > 0)
        {
            return false;
        }
        if self.slots.iter().any(|s| s.join_at.is_some()) {
            return false;
        }
        match &self.host {
            Some(host) => {
                let digest = host.world().digest();
                let revision = host.world().resource::<WorldRevision>().0;
                live.iter().all(|b| {
                    b.app.world().digest() == digest
                        && b.app.world().resource::<WorldRevision>().0 == revision
                })
            }
            None => {
                let Some(first) = live.first() else {
                    return true;
                };
                let view = |b: &Bot| {
                    (
                        b.app.world().digest(),
                        b.app.world().resource::<WorldRevision>().0,
                    )
                };
                let agreed = live.iter().all(|b| view(b) == view(first));
                let audited =
                    self.slots
                        .iter()
                        .zip(audits_at_settle)
                        .all(|(slot, (audits, mismatches))| {
                            slot.bot.as_ref().is_none_or(|bot| {
                                let stats = bot.app.world().resource::<AuditStats>();
                                stats.audits > *audits && stats.mismatches == *mismatches
                            })
                        });
                agreed && audited
            }
        }
    }

    fn convergence(&self, converged: bool, settle: Duration) -> Convergence {
        let host = self.host.as_ref().map(|host| {
            (
                format!("{:016x}", host.world().digest().value()),
                host.world().resource::<WorldRevision>().0.0,
            )
        });
        let mut diverged = Vec::new();
        for (index, slot) in self.slots.iter().enumerate() {
            if let Some(reason) = &slot.failed {
                diverged.push(format!("bot {index}: {reason}"));
                continue;
            }
            let Some(bot) = &slot.bot else { continue };
            let digest = format!("{:016x}", bot.app.world().digest().value());
            let revision = bot.app.world().resource::<WorldRevision>().0.0;
            let pending = bot.stats().pending;
            let matches = host
                .as_ref()
                .is_none_or(|(d, r)| *d == digest && *r == revision);
            if bot.phase != BotPhase::Playing || pending > 0 || !matches {
                diverged.push(format!(
                    "bot {index}: {:?} revision={revision} digest={digest} pending={pending}",
                    bot.phase
                ));
            }
        }
        Convergence {
            converged: converged && diverged.is_empty(),
            host_digest: host.as_ref().map(|(d, _)| d.clone()),
            host_revision: host.as_ref().map(|(_, r)| *r),
            clients_checked: self.slots.iter().filter(|s| s.bot.is_some()).count(),
            settle_s: settle.as_secs_f64(),
            diverged,
        }
    }

    fn live_totals(&self) -> Totals {
        let mut totals = self.retired.clone();
        for bot in self.slots.iter().filter_map(|s| s.bot.as_ref()) {
            totals.add(&bot.stats(), bot.app.world().resource::<AuditStats>());
        }
        totals
    }

    fn snapshot(&self, phase: &'static str, duration: Duration) -> super::progress::Snapshot {
        let totals = self.live_totals();
        super::progress::Snapshot {
            phase,
            now: self.now,
            duration,
            playing: self
                .slots
                .iter()
                .filter(|s| s.bot.as_ref().is_some_and(|b| b.phase == BotPhase::Playing))
                .count(),
            bots: self.slots.len(),
            sent: totals.rollback.sent,
            accepted: totals.rollback.accepted,
            rejected: totals.rollback.rejected,
            ack_p99_ms: self.metrics.ack.summary().p99,
            host_tick_p99_ms: self
                .host
                .as_ref()
                .map(|_| self.metrics.host_tick.summary().p99),
        }
    }

    fn report(self, convergence: Convergence) -> Report {
        let totals = self.live_totals();
        let host_audit = self
            .host
            .as_ref()
            .map(|h| *h.world().resource::<AuditStats>());
        let per_client: Vec<(u64, u64)> = self
            .slots
            .iter()
            .map(|s| (s.bytes_up, s.bytes_down))
            .collect();
        Report::build(super::report::Inputs {
            scenario: &self.scenario,
            transport: self.transport.name(),
            objects: self.objects,
            metrics: &self.metrics,
            totals: &totals,
            host_audit,
            per_client_bytes: &per_client,
            convergence,
            wall: self.started.elapsed(),
            host_measured: self.host.is_some(),
        })
    }
}

fn load_world(source: &WorldSource, base_dir: &Path) -> Result<WorldSave, SaveError> {
    match source {
        WorldSource::Default => crate::default_world::default_world(),
        WorldSource::Generated { objects, seed } => Ok(generate_world(*objects as usize, *seed)),
        WorldSource::File(path) => WorldSave::read(&base_dir.join(path)),
    }
}

/// Adds up rollback and audit counters.
impl Totals {
    fn add(&mut self, rollback: &RollbackStats, audit: &AuditStats) {
        let r = &mut self.rollback;
        r.sent += rollback.sent;
        r.accepted += rollback.accepted;
        r.rejected += rollback.rejected;
        r.rejected_locally += rollback.rejected_locally;
        r.rolled_back += rollback.rolled_back;
        r.timed_out += rollback.timed_out;
        r.dropped_on_replay += rollback.dropped_on_replay;
        r.divergences += rollback.divergences;
        let a = &mut self.client_audit;
        a.audits += audit.audits;
        a.mismatches += audit.mismatches;
        a.objects_resynced += audit.objects_resynced;
        a.audit_bytes += audit.audit_bytes;
        a.resync_bytes += audit.resync_bytes;
        a.round_trips += audit.round_trips;
    }
}
