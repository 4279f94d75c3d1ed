//! The queue of actions the host itself performs.

use bevy_ecs::prelude::*;
use racksync_protocol::Action;

/// Actions the host itself performs (admin commands, scripted systems, the simulation).
/// The authority applies them as [`racksync_protocol::PlayerId::HOST`] and broadcasts
/// them to every client without an ACK, in the order they were queued.
///
/// It lives in replication so that every host-side plugin can queue actions without
/// depending on the authority.
#[derive(Resource, Debug, Default)]
pub struct HostActions(pub Vec<Action>);
