//! One host and N clients in one process, stepped in lockstep on a manual clock.
//!
//! Shared by every integration test and benchmark. Over the in-memory transport the run
//! is fully deterministic for a given seed; over UDP loopback it uses real sockets with
//! the same stepping.

use crate::app::{ClientOptions, HostOptions, client_app, host_app};
use crate::plugins::HeadlessPlugins;
use crate::wiring::Wiring;
use bevy_app::{App, Update};
use bevy_ecs::prelude::*;
use bevy_renet::RenetClient;
use bevy_time::TimeUpdateStrategy;
use racksync_audit::{AuditSettings, AuditStats, ConfirmedView, Desync, InjectError};
use racksync_protocol::{
    Action, Channel, ClientWorldMessage, HostWorldMessage, ObjectId, PlayerId, Revision, decode,
    encode,
};
use racksync_replication::messaging::{
    EventRefusedNotice, EventRegistry, OwnerChanged, ReceivedEvent, ReceivedRaw,
};
use racksync_replication::{ClientSession, HostSettings, JoinState, RacksyncSystems};
use racksync_rollback::{ActionOutcome, PerformAction, RemoteChange, RollbackStats};
use racksync_transport::{
    ClientTransportPlugin, LinkConditions, MemoryClientTransport, MemoryNetwork,
};
use racksync_world::{ReadObjects, WorldDigest, WorldIndex, WorldRevision, WorldSave};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

mod durable;
mod messaging;
mod presence;
mod remote;
mod secure;

/// Everything a client app reported, for assertions.
#[derive(Resource, Debug, Default)]
pub struct Recorded {
    /// Outcomes of this client's actions, in order.
    pub outcomes: Vec<ActionOutcome>,
    /// Remote changes applied, in order.
    pub changes: Vec<RemoteChange>,
    /// Network events run (delivered or local copies), in order.
    pub events: Vec<ReceivedEvent>,
    /// The host's refusals of this client's events.
    pub refused_events: Vec<EventRefusedNotice>,
    /// Raw messages received, in order.
    pub raw: Vec<ReceivedRaw>,
    /// Instance owner changes heard, in order.
    pub owner_changes: Vec<OwnerChanged>,
}

/// The messages a recording client keeps.
#[derive(bevy_ecs::system::SystemParam)]
struct Heard<'w, 's> {
    outcomes: MessageReader<'w, 's, ActionOutcome>,
    changes: MessageReader<'w, 's, RemoteChange>,
    events: MessageReader<'w, 's, ReceivedEvent>,
    refused: MessageReader<'w, 's, EventRefusedNotice>,
    raw: MessageReader<'w, 's, ReceivedRaw>,
    owners: MessageReader<'w, 's, OwnerChanged>,
}

fn record(mut heard: Heard, mut recorded: ResMut<Recorded>) {
    recorded.outcomes.extend(heard.outcomes.read().cloned());
    recorded.changes.extend(heard.changes.read().cloned());
    recorded.events.extend(heard.events.read().cloned());
    recorded
        .refused_events
        .extend(heard.refused.read().cloned());
    recorded.raw.extend(heard.raw.read().cloned());
    recorded.owner_changes.extend(heard.owners.read().cloned());
}

/// Every network event the host saw, for assertions.
#[derive(Resource, Debug, Default)]
pub struct HostHeard {
    /// Events from players and the host's own local ones, in order.
    pub events: Vec<ReceivedEvent>,
    /// Instance owner changes, in order.
    pub owner_changes: Vec<OwnerChanged>,
}

fn record_host(
    mut events: MessageReader<ReceivedEvent>,
    mut owners: MessageReader<OwnerChanged>,
    mut heard: ResMut<HostHeard>,
) {
    heard.events.extend(events.read().cloned());
    heard.owner_changes.extend(owners.read().cloned());
}

/// A client app that records its outcomes and remote changes in [`Recorded`].
fn recording_client(name: &str) -> App {
    let mut app = client_app(&ClientOptions {
        name: name.to_string(),
    });
    app.init_resource::<Recorded>();
    app.add_systems(Update, record.after(RacksyncSystems::Process));
    app
}

/// A host and its clients on one manual clock.
pub struct Harness {
    /// The host app.
    pub host: App,
    /// Client apps, in the order they were added.
    pub clients: Vec<App>,
    /// Bare renet clients without racksync's client plugins, for protocol-level tests.
    pub raw_clients: Vec<App>,
    wiring: Wiring,
    base: Instant,
    now: Duration,
    /// Clock advance per [`Harness::step`].
    pub step: Duration,
    next_client_id: u64,
    bytes_per_tick: u64,
    /// renet client id of each entry of `clients`.
    client_ids: Vec<u64>,
    /// The host runs in another process on the wall clock: never step ahead of it.
    wall_clock: bool,
    /// Events registered with [`Harness::register_event`], given to every new client.
    events: EventRegistry,
}

impl Harness {
    /// A host serving `world` over the in-memory transport with link randomness from `seed`.
    pub fn memory(world: WorldSave, seed: u64) -> Self {
        Self::new(world, |host, bytes_per_tick| {
            Wiring::memory_host(host, seed, bytes_per_tick).expect("a fresh network has no host")
        })
    }

    /// A host serving `world` over netcode UDP on an ephemeral loopback port.
    pub fn udp(world: WorldSave) -> Self {
        let bind: SocketAddr = "127.0.0.1:0".parse().expect("valid address");
        Self::new(world, |host, bytes_per_tick| {
            Wiring::udp_host(host, bind, 64, bytes_per_tick).expect("binding a loopback port")
        })
    }

    fn new(world: WorldSave, wire_host: impl FnOnce(&mut App, u64) -> Wiring) -> Self {
        let bytes_per_tick = racksync_protocol::DEFAULT_BYTES_PER_TICK;
        let options = HostOptions {
            world,
            settings: HostSettings::default(),
        };
        let mut host = host_app(&options).expect("harness worlds are valid");
        let wiring = wire_host(&mut host, bytes_per_tick);
        let mut harness = Self {
            host,
            clients: Vec::new(),
            raw_clients: Vec::new(),
            wiring,
            base: Instant::now(),
            now: Duration::ZERO,
            step: Duration::from_millis(16),
            next_client_id: 1,
            bytes_per_tick,
            client_ids: Vec::new(),
            wall_clock: false,
            events: crate::default_events::default_events(),
        };
        harness
            .host
            .init_resource::<HostHeard>()
            .add_systems(Update, record_host.after(RacksyncSystems::Process));
        harness.set_clock_of_host();
        harness
    }

    fn set_clock_of_host(&mut self) {
        let instant = self.base + self.now;
        self.host
            .insert_resource(TimeUpdateStrategy::ManualInstant(instant));
    }

    /// Adds a client with a perfect link.
    pub fn add_client(&mut self, name: &str) -> usize {
        self.add_client_with(name, LinkConditions::default(), LinkConditions::default())
    }

    /// Adds a client whose link has the given conditions (ignored over UDP).
    pub fn add_client_with(
        &mut self,
        name: &str,
        to_host: LinkConditions,
        to_client: LinkConditions,
    ) -> usize {
        let mut app = recording_client(name);
        app.insert_resource(self.events.clone());
        let client_id = self.wire(&mut app, to_host, to_client);
        self.clients.push(app);
        self.client_ids.push(client_id);
        self.clients.len() - 1
    }

    /// Adds a bare renet client (transport only, no racksync client plugins) that a test
    /// drives message by message with [`Harness::raw_send`] and [`Harness::raw_receive`].
    pub fn add_raw_client(&mut self) -> usize {
        let mut app = App::new();
        app.add_plugins((HeadlessPlugins, ClientTransportPlugin));
        self.wire(
            &mut app,
            LinkConditions::default(),
            LinkConditions::default(),
        );
        self.raw_clients.push(app);
        self.raw_clients.len() - 1
    }

    /// Sends one message from a raw client on `world`.
    pub fn raw_send(&mut self, raw: usize, message: &ClientWorldMessage) {
        let bytes = encode(Channel::World, message).expect("test messages fit");
        self.raw_send_bytes(raw, Channel::World, bytes);
    }

    /// Sends arbitrary bytes from a raw client on a channel.
    pub fn raw_send_bytes(&mut self, raw: usize, channel: Channel, bytes: Vec<u8>) {
        self.raw_clients[raw]
            .world_mut()
            .resource_mut::<RenetClient>()
            .send_message(channel, bytes);
    }

    /// Puts one datagram (a renet packet, crafted or garbage) on a raw client's
    /// in-memory link to the host, beneath its renet client.
    pub fn raw_send_datagram(&mut self, raw: usize, datagram: Vec<u8>) {
        let now = self.base + self.now;
        self.raw_clients[raw]
            .world()
            .get_resource::<MemoryClientTransport>()
            .expect("raw datagrams need the in-memory transport")
            .send_raw(now, datagram);
    }

    /// Every `world` message a raw client received since the last call, except roster
    /// updates (presence: who joined and left) and instance owner news, which would
    /// interleave with the handshake and ACKs protocol tests look at.
    pub fn raw_receive(&mut self, raw: usize) -> Vec<HostWorldMessage> {
        let mut client = self.raw_clients[raw]
            .world_mut()
            .resource_mut::<RenetClient>();
        let mut messages = Vec::new();
        while let Some(bytes) = client.receive_message(Channel::World) {
            let message = decode(Channel::World, &bytes).expect("the host sends valid messages");
            if !matches!(
                message,
                HostWorldMessage::Roster(_) | HostWorldMessage::Owner(_)
            ) {
                messages.push(message);
            }
        }
        // Snapshots are not needed by raw clients; drain them so renet's memory stays bounded.
        while client.receive_message(Channel::Bulk).is_some() {}
        // Likewise presence relays.
        while client.receive_message(Channel::Presence).is_some() {}
        while client.receive_message(Channel::State).is_some() {}
        messages
    }

    /// True while a raw client's connection is up.
    pub fn raw_connected(&self, raw: usize) -> bool {
        self.raw_clients[raw]
            .world()
            .resource::<RenetClient>()
            .is_connected()
    }

    /// Cuts (`true`) or restores (`false`) a client's in-memory link.
    pub fn cut_link(&mut self, client: usize, cut: bool) {
        self.network()
            .expect("links can only be cut in memory")
            .cut(self.client_ids[client], cut)
            .expect("the client's link exists");
    }

    fn wire(&mut self, app: &mut App, to_host: LinkConditions, to_client: LinkConditions) -> u64 {
        let client_id = self.next_client_id;
        self.next_client_id += 1;
        self.wiring
            .attach_client(app, client_id, to_host, to_client, self.bytes_per_tick)
            .expect("harness client ids are unique and loopback ports bind");
        app.insert_resource(TimeUpdateStrategy::ManualInstant(self.base + self.now));
        client_id
    }

    /// The host's UDP address, when wired over UDP.
    pub fn host_addr(&self) -> Option<SocketAddr> {
        match self.wiring {
            Wiring::Udp(addr) => Some(addr),
            Wiring::Memory(_) => None,
        }
    }

    /// The memory network, when wired in memory.
    pub fn network(&self) -> Option<&MemoryNetwork> {
        self.wiring.network()
    }

    /// Advances the clock by one step and updates the host, then every client.
    pub fn step(&mut self) {
        self.advance_clock();
        self.host.update();
        self.update_clients();
    }

    /// Moves every app's manual clock one step forward without updating any app (for
    /// benchmarks that time the host's update on its own; follow with `host.update()`
    /// and [`Harness::update_clients`]).
    pub fn advance_clock(&mut self) {
        self.now += self.step;
        let instant = self.base + self.now;
        if self.wall_clock {
            // The remote host lives on the wall clock; never run ahead of it.
            std::thread::sleep(instant.saturating_duration_since(Instant::now()));
        }
        for app in std::iter::once(&mut self.host)
            .chain(self.clients.iter_mut())
            .chain(self.raw_clients.iter_mut())
        {
            app.insert_resource(TimeUpdateStrategy::ManualInstant(instant));
        }
    }

    /// Updates every client once, in order (the second half of [`Harness::step`]).
    pub fn update_clients(&mut self) {
        for client in self.clients.iter_mut().chain(self.raw_clients.iter_mut()) {
            client.update();
        }
        if matches!(self.wiring, Wiring::Udp(_)) {
            // Give the kernel a moment to move loopback datagrams.
            std::thread::sleep(Duration::from_micros(300));
        }
    }

    /// Steps until `done` holds or `max_steps` ran; returns whether it held.
    pub fn run_until(&mut self, max_steps: usize, mut done: impl FnMut(&Harness) -> bool) -> bool {
        for _ in 0..max_steps {
            if done(self) {
                return true;
            }
            self.step();
        }
        done(self)
    }

    /// Steps `n` times.
    pub fn run(&mut self, n: usize) {
        for _ in 0..n {
            self.step();
        }
    }

    /// Steps until every client plays; panics with each client's state otherwise.
    pub fn join_all(&mut self, max_steps: usize) {
        let joined = self.run_until(max_steps, |h| {
            (0..h.clients.len()).all(|i| h.join_state(i).is_playing())
        });
        assert!(
            joined,
            "clients did not join within {max_steps} steps: {:?}",
            (0..self.clients.len())
                .map(|i| self.join_state(i))
                .collect::<Vec<_>>()
        );
    }

    /// A client's player id, once welcomed.
    pub fn player(&self, client: usize) -> Option<PlayerId> {
        self.clients[client]
            .world()
            .resource::<ClientSession>()
            .player
    }

    /// The id a welcomed client's next spawn would take: the next unused serial of its
    /// own namespace, as its local world sees it.
    pub fn next_spawn_id(&self, client: usize) -> ObjectId {
        let namespace = self
            .player(client)
            .expect("only welcomed clients spawn")
            .namespace();
        let serial = self.clients[client]
            .world()
            .resource::<WorldIndex>()
            .next_serial(namespace);
        ObjectId::new(namespace, serial)
    }

    /// A client's join state.
    pub fn join_state(&self, client: usize) -> JoinState {
        self.clients[client]
            .world()
            .resource::<ClientSession>()
            .state
            .clone()
    }

    /// Asks a client to perform an action (applied on its next step).
    pub fn perform(&mut self, client: usize, action: Action) {
        self.clients[client]
            .world_mut()
            .write_message(PerformAction(action));
    }

    /// The host's world digest.
    pub fn host_digest(&self) -> WorldDigest {
        self.host.world().digest()
    }

    /// The host's revision.
    pub fn host_revision(&self) -> Revision {
        self.host.world().resource::<WorldRevision>().0
    }

    /// A client's world digest (its local view, pending actions included).
    pub fn client_digest(&self, client: usize) -> WorldDigest {
        self.clients[client].world().digest()
    }

    /// A client's revision.
    pub fn client_revision(&self, client: usize) -> Revision {
        self.clients[client].world().resource::<WorldRevision>().0
    }

    /// What a client recorded.
    pub fn recorded(&self, client: usize) -> &Recorded {
        self.clients[client].world().resource::<Recorded>()
    }

    /// A client's rollback counters.
    pub fn rollback_stats(&self, client: usize) -> RollbackStats {
        *self.clients[client].world().resource::<RollbackStats>()
    }

    /// True when every client is at the host's revision with the host's digest and has
    /// nothing pending.
    pub fn converged(&self) -> bool {
        let digest = self.host_digest();
        let revision = self.host_revision();
        (0..self.clients.len()).all(|i| {
            self.client_digest(i) == digest
                && self.client_revision(i) == revision
                && self.rollback_stats(i).pending == 0
        })
    }

    /// Disconnects a client's renet endpoint (as if the player quit).
    pub fn disconnect_client(&mut self, client: usize) {
        self.clients[client]
            .world_mut()
            .resource_mut::<RenetClient>()
            .disconnect();
    }

    /// The renet client id of a client (as the host's sessions know it).
    pub fn client_id(&self, client: usize) -> u64 {
        self.client_ids[client]
    }

    /// Sets the host's audit interval (takes effect from the next audit on).
    pub fn set_audit_interval(&mut self, interval: Duration) {
        self.host
            .world_mut()
            .resource_mut::<AuditSettings>()
            .interval = interval;
    }

    /// The host's audit counters.
    pub fn host_audit_stats(&self) -> AuditStats {
        *self.host.world().resource::<AuditStats>()
    }

    /// A client's audit counters.
    pub fn client_audit_stats(&self, client: usize) -> AuditStats {
        *self.clients[client].world().resource::<AuditStats>()
    }

    /// A client's *confirmed* world digest: its local world with the predictions of its
    /// pending actions taken out (what the audit compares).
    pub fn client_confirmed_digest(&self, client: usize) -> WorldDigest {
        let world = self.clients[client].world();
        ConfirmedView::new(
            world.resource::<racksync_world::DigestTree>(),
            world.resource::<racksync_world::ConfirmedOverlay>(),
        )
        .node(racksync_protocol::NodeRef::ROOT)
        .world_digest()
    }

    /// Injects a divergence into one client's world.
    pub fn inject(&mut self, client: usize, desync: Desync) -> Result<(), InjectError> {
        racksync_audit::inject(self.clients[client].world_mut(), desync)
    }

    /// Makes the host withhold the next broadcast meant for one client.
    pub fn drop_next_broadcast(&mut self, client: usize) {
        let id = self.client_ids[client];
        racksync_audit::drop_next_broadcast(self.host.world_mut(), id);
    }
}
