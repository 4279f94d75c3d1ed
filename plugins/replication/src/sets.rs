//! The frame's system sets.

use bevy_ecs::prelude::*;

/// racksync's per-frame phases. Runs in `Update`, in variant order, between renet's
/// packet receive (`RenetReceive`, PreUpdate) and packet send (`RenetSend`, PostUpdate).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RacksyncSystems {
    /// Decode messages from renet: handshakes, actions, ACKs, broadcasts, snapshot chunks.
    Receive,
    /// Decide: the host validates, ACKs, applies and broadcasts actions; a client
    /// reconciles its pending actions with ACKs and broadcasts.
    Process,
    /// Move state: join snapshots, presence relay.
    Replicate,
    /// Compare digests and repair divergence.
    Audit,
    /// Flush what the frame produced to renet (packets leave in `RenetSend`).
    Send,
}

/// Configures [`RacksyncSystems`] as a chain in `Update`. Idempotent.
pub fn configure_sets(app: &mut bevy_app::App) {
    app.configure_sets(
        bevy_app::Update,
        (
            RacksyncSystems::Receive,
            RacksyncSystems::Process,
            RacksyncSystems::Replicate,
            RacksyncSystems::Audit,
            RacksyncSystems::Send,
        )
            .chain(),
    );
}
