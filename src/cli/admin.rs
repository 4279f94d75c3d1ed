//! The host admin console: commands typed on the host's stdin run as the host itself
//! (actor `host`). Actions go through [`HostActions`], so they are applied and broadcast
//! to every client directly, without an ACK, like any other host action.
//!
//! Each action is first checked against the world rules so that a refusal prints its
//! reason at once; the applied ones print `host revision=R: ACTION` when the authority
//! has applied them. At most one action is queued per frame, so a spawn's id and a
//! following `show` see the world as the previous action left it. End of input closes
//! the console only: a host started with `</dev/null` keeps serving.

use super::command::{Command, help_text};
use super::console::{Console, Typed, say};
use super::describe::ShowAction;
use super::inspect::{list_lines, say_show};
use bevy_ecs::prelude::*;
use racksync_authority::{ActionApplied, AuthorityStats, HostActions};
use racksync_protocol::{Action, PlayerId};
use racksync_replication::Sessions;
use racksync_world::rules;
use racksync_world::{ReadObjects, WorldIndex, WorldRevision};

/// State of the admin console.
#[derive(Resource, Debug)]
pub struct Admin {
    /// False once `quit` was typed or stdin ended.
    open: bool,
    /// Actions handed to [`HostActions`] this frame, awaiting the authority.
    awaiting: Vec<Action>,
}

impl Default for Admin {
    fn default() -> Self {
        Self {
            open: true,
            awaiting: Vec::new(),
        }
    }
}

/// Runs typed commands until one queues a host action. Runs before
/// `RacksyncSystems::Process`, where the authority applies host actions.
pub fn run_admin(world: &mut World) {
    if !world.resource::<Admin>().open {
        return;
    }
    loop {
        let command = match world.resource::<Console>().next_command() {
            Typed::Idle => return,
            Typed::Closed => {
                world.resource_mut::<Admin>().open = false;
                return;
            }
            Typed::Command(command) => command,
        };
        match command {
            Command::Help => say(help_text(true).trim_end()),
            Command::Quit => {
                say("console closed; the host keeps serving (Ctrl-C stops it)");
                world.resource_mut::<Admin>().open = false;
                return;
            }
            Command::Stats => say(stats_line(world)),
            Command::List(filter) => list_lines(world, filter, None).iter().for_each(say),
            Command::Show(id) => say_show(world, id),
            Command::Event { name, target, text } => {
                super::messaging::host_event(world, name, target, text)
            }
            Command::Raw {
                target,
                send_type,
                text,
            } => super::messaging::host_raw(world, target, send_type, text),
            Command::Owner => super::messaging::say_owner(world),
            Command::Connection => {
                for line in super::messaging::host_connection_lines(world) {
                    say(line);
                }
            }
            Command::Act(request) => {
                let action =
                    match request.into_action(world.resource::<WorldIndex>(), PlayerId::HOST) {
                        Ok(action) => action,
                        Err(error) => {
                            say(format!("error: {error}"));
                            continue;
                        }
                    };
                if let Err(reason) = rules::validate(world, PlayerId::HOST, &action) {
                    say(format!("host rejected {}: {reason}", ShowAction(&action)));
                    continue;
                }
                world.resource_mut::<HostActions>().0.push(action.clone());
                world.resource_mut::<Admin>().awaiting.push(action);
                return;
            }
        }
    }
}

fn stats_line(world: &World) -> String {
    let s = world.resource::<AuthorityStats>();
    format!(
        "stats revision={} {} players={} accepted={} rejected={} host_applied={} host_refused={}",
        world.resource::<WorldRevision>().0,
        world.digest(),
        world.resource::<Sessions>().players(),
        s.accepted,
        s.rejected,
        s.host_applied,
        s.host_refused,
    )
}

/// Prints what became of the console's actions. Runs after `RacksyncSystems::Process`:
/// the authority decides every queued host action in that one pass, so an action not
/// applied by then was refused (the authority logs why).
pub fn report_admin(mut applied: MessageReader<ActionApplied>, mut admin: ResMut<Admin>) {
    if admin.awaiting.is_empty() {
        // Keep the reader's cursor current so older messages are never matched later.
        applied.clear();
        return;
    }
    let mut awaiting = std::mem::take(&mut admin.awaiting);
    for message in applied.read() {
        if message.actor != PlayerId::HOST {
            continue;
        }
        if let Some(position) = awaiting.iter().position(|a| *a == message.action) {
            let action = awaiting.remove(position);
            say(format!(
                "host revision={}: {}",
                message.revision,
                ShowAction(&action)
            ));
        }
    }
    for action in awaiting {
        say(format!("host refused {}: see the log", ShowAction(&action)));
    }
}
