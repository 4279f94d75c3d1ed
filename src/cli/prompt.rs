//! The interactive client: commands typed on stdin become actions of the local player,
//! and their outcomes and other players' changes print as they arrive.
//!
//! Commands wait until the client plays (lines typed earlier stay queued). At most one
//! action is issued per frame, so a `show` after an action shows its optimistic effect
//! and two spawns never allocate the same id. End of input quits like `quit`: once every
//! pending action is answered or timed out (bounded by the ACK timeout), the client
//! exits.

use super::command::{Command, help_text};
use super::console::{Console, Typed, say};
use super::describe::{outcome_line, remote_line};
use super::inspect::{list_lines, say_show};
use bevy_app::AppExit;
use bevy_ecs::prelude::*;
use bevy_renet::RenetClient;
use bevy_time::{Real, Time};
use core::time::Duration;
use racksync_protocol::{Channel, ClientWorldMessage, PlayerId, encode};
use racksync_replication::ClientSession;
use racksync_rollback::{
    ActionOutcome, PendingActions, PerformAction, RemoteChange, RollbackStats,
};
use racksync_world::{ReadObjects, WorldIndex, WorldRevision};

/// State of the prompt.
#[derive(Resource, Debug)]
pub struct Prompt {
    /// Longest wait for pending actions when quitting.
    pub grace: Duration,
    /// `Time<Real>` elapsed when quitting began.
    quitting_since: Option<Duration>,
}

impl Prompt {
    /// A prompt that waits at most `grace` for pending actions when quitting.
    pub fn new(grace: Duration) -> Self {
        Self {
            grace,
            quitting_since: None,
        }
    }
}

/// Runs typed commands until one issues an action. Runs before
/// `RacksyncSystems::Process`, so the action is applied and sent in the same frame.
pub fn run_prompt(world: &mut World) {
    let session = world.resource::<ClientSession>();
    if !session.state.is_playing() || world.resource::<Prompt>().quitting_since.is_some() {
        return;
    }
    let me = session.player.unwrap_or(PlayerId::HOST);
    loop {
        let command = match world.resource::<Console>().next_command() {
            Typed::Idle => return,
            Typed::Closed => return begin_quit(world),
            Typed::Command(command) => command,
        };
        match command {
            Command::Help => say(help_text(false).trim_end()),
            Command::Quit => return begin_quit(world),
            Command::Stats => say(stats_line(world, me)),
            Command::List(filter) => list_lines(world, filter, Some(me)).iter().for_each(say),
            Command::Show(id) => say_show(world, id),
            Command::Event { name, target, text } => {
                super::messaging::client_event(world, name, target, text)
            }
            Command::Raw {
                target,
                send_type,
                text,
            } => super::messaging::client_raw(world, target, send_type, text),
            Command::Owner => super::messaging::say_owner(world),
            Command::Connection => say(super::messaging::connection_line(world)),
            Command::Act(request) => {
                match request.into_action(world.resource::<WorldIndex>(), me) {
                    Ok(action) => {
                        world.write_message(PerformAction(action));
                        return;
                    }
                    Err(error) => say(format!("error: {error}")),
                }
            }
        }
    }
}

fn begin_quit(world: &mut World) {
    let now = world.resource::<Time<Real>>().elapsed();
    world.resource_mut::<Prompt>().quitting_since = Some(now);
}

fn stats_line(world: &World, me: PlayerId) -> String {
    let s = world.resource::<RollbackStats>();
    format!(
        "stats player={me} revision={} {} pending={} sent={} accepted={} rejected={} \
         rejected_locally={} rolled_back={} timed_out={} dropped_on_replay={} divergences={}",
        world.resource::<WorldRevision>().0,
        world.digest(),
        s.pending,
        s.sent,
        s.accepted,
        s.rejected,
        s.rejected_locally,
        s.rolled_back,
        s.timed_out,
        s.dropped_on_replay,
        s.divergences,
    )
}

/// Prints outcomes of our actions and remote changes, in revision order where they have
/// one. Runs after `RacksyncSystems::Process`.
pub fn print_arrivals(
    mut outcomes: MessageReader<ActionOutcome>,
    mut changes: MessageReader<RemoteChange>,
) {
    let mut lines: Vec<(u64, String)> = changes
        .read()
        .map(|change| (change.revision.0, remote_line(change)))
        .collect();
    lines.extend(outcomes.read().map(|outcome| {
        let order = match outcome {
            ActionOutcome::Accepted { revision, .. } => revision.0,
            // Outcomes without a revision follow the frame's revisions.
            _ => u64::MAX,
        };
        (order, outcome_line(outcome))
    }));
    // Stable: outcomes without a revision keep the order they happened in.
    lines.sort_by_key(|(order, _)| *order);
    for (_, line) in lines {
        say(line);
    }
}

/// Once quitting: waits until no action awaits its ACK (timed-out ones were already
/// rolled back and reported) or the grace period ends, then exits.
pub fn quit_when_settled(world: &mut World) {
    let Some(since) = world.resource::<Prompt>().quitting_since else {
        return;
    };
    let now = world.resource::<Time<Real>>().elapsed();
    let settled = world
        .resource::<PendingActions>()
        .queue()
        .all(|pending| pending.timed_out);
    let grace = world.resource::<Prompt>().grace;
    if !settled && now.saturating_sub(since) < grace {
        return;
    }
    if !settled {
        say("quitting with actions still unanswered");
    }
    // Say goodbye on the ordered world channel (it leaves with this frame's packets),
    // and bevy_renet's netcode plugin sends netcode's disconnect packets on AppExit, so
    // the host frees our player at once rather than after a timeout.
    if let Some(mut client) = world.get_resource_mut::<RenetClient>()
        && client.is_connected()
    {
        let goodbye = encode(Channel::World, &ClientWorldMessage::Goodbye)
            .expect("Goodbye fits the world channel");
        client.send_message(Channel::World, goodbye);
    }
    world.write_message(AppExit::Success);
}
