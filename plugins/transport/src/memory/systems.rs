//! The system sets of the memory transport.

use bevy_ecs::schedule::SystemSet;

/// Where the memory transport's systems run, on the host and on clients alike.
///
/// * [`MemoryTransportSystems::Receive`] runs in `PreUpdate`, inside
///   [`bevy_renet::RenetReceive`], after the renet update system
///   (`RenetServerPlugin::update_system` / `RenetClientPlugin::update_system`) and, on the
///   host, before `RenetServerPlugin::emit_server_events_system`, so connection events
///   of this frame are emitted this frame.
/// * [`MemoryTransportSystems::Send`] runs in `PostUpdate`, inside [`bevy_renet::RenetSend`].
#[derive(SystemSet, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MemoryTransportSystems {
    /// Accept or drop connections and hand arrived datagrams to renet.
    Receive,
    /// Take renet's outgoing packets and put them on the links.
    Send,
}
