//! Messaging helpers of the test harness: register events everywhere, send events and
//! raw messages from a client or the host, read what each side received.

use super::Harness;
use bevy_ecs::system::RunSystemOnce;
use racksync_protocol::{
    EventError, EventParam, EventTarget, PlayerId, RawError, RawTarget, SendType,
};
use racksync_replication::messaging::{
    EventDef, EventOutbox, EventRegistry, HostOutbox, InstanceOwner, MessagingSettings,
    MessagingStats, NetworkEvents, RawOutbox,
};

impl Harness {
    /// Registers an event on the host and on every client, present and future.
    pub fn register_event(&mut self, name: &str, def: EventDef) {
        self.events.register_with(name, def);
        for app in std::iter::once(&mut self.host).chain(self.clients.iter_mut()) {
            app.insert_resource(self.events.clone());
        }
    }

    /// Registers an event on one client only (to play a client whose registry differs
    /// from the host's).
    pub fn register_event_on_client(&mut self, client: usize, name: &str) {
        self.clients[client]
            .world_mut()
            .resource_mut::<EventRegistry>()
            .register(name);
    }

    /// Sends an event from a client, as a game system would.
    pub fn send_event(
        &mut self,
        client: usize,
        name: &str,
        target: EventTarget,
        params: Vec<EventParam>,
    ) -> Result<(), EventError> {
        let name = name.to_string();
        self.clients[client]
            .world_mut()
            .run_system_once(move |mut events: NetworkEvents| {
                events.send(&name, target.clone(), params.clone())
            })
            .expect("NetworkEvents is available on clients")
    }

    /// Sends an event from the host.
    pub fn host_send_event(
        &mut self,
        name: &str,
        target: EventTarget,
        params: Vec<EventParam>,
    ) -> Result<(), EventError> {
        let registry = self.host.world().resource::<EventRegistry>().clone();
        self.host
            .world_mut()
            .resource_mut::<HostOutbox>()
            .event(&registry, name, target, params)
    }

    /// Queues a raw message from a client.
    pub fn send_raw(
        &mut self,
        client: usize,
        target: RawTarget,
        send_type: SendType,
        bytes: Vec<u8>,
    ) -> Result<(), RawError> {
        let world = self.clients[client].world_mut();
        let settings = world.resource::<MessagingSettings>().clone();
        world
            .resource_mut::<RawOutbox>()
            .send(&settings, target, send_type, bytes)
    }

    /// A client's raw queue.
    pub fn raw_outbox(&self, client: usize) -> &RawOutbox {
        self.clients[client].world().resource::<RawOutbox>()
    }

    /// A client's event queue.
    pub fn event_outbox(&self, client: usize) -> &EventOutbox {
        self.clients[client].world().resource::<EventOutbox>()
    }

    /// The instance owner as a client last heard it.
    pub fn client_owner(&self, client: usize) -> Option<PlayerId> {
        self.clients[client]
            .world()
            .resource::<InstanceOwner>()
            .owner
    }

    /// The instance owner on the host.
    pub fn host_owner(&self) -> Option<PlayerId> {
        self.host.world().resource::<InstanceOwner>().owner
    }

    /// The host's messaging counters.
    pub fn messaging_stats(&self) -> MessagingStats {
        self.host.world().resource::<MessagingStats>().clone()
    }
}
