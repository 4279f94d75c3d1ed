//! How a Bevy game embeds racksync's client side.
//!
//! Start a host, then the example (it exits by itself within 20 seconds):
//!
//! ```sh
//! cargo run --release -- host
//! cargo run --example embed_client              # or: -- HOST_ADDR [NAME]
//! ```
//!
//! The example joins, picks up a loose server, installs it in the first free rack unit,
//! takes it out again and puts it back where it was. On the way it tries two actions
//! the world rules refuse, to show how rejections arrive. Three systems show what a game
//! reacts to: the outcome of its own actions, changes made by other players or the
//! host, and objects whose placement changed (where a game would move their meshes).

use bevy_app::{App, AppExit, ScheduleRunnerPlugin, Update};
use bevy_ecs::prelude::*;
use bevy_log::{Level, LogPlugin};
use bevy_time::{Real, Time};
use racksync::protocol::{Action, ObjectId, ObjectKind, Placement, RackSlot};
use racksync::replication::{ClientSession, ClientSettings, RacksyncSystems};
use racksync::rollback::{ActionOutcome, PerformAction, RemoteChange};
use racksync::transport::{DEFAULT_PROTOCOL_ID, new_client, udp_client};
use racksync::world::{NetObject, Placed, WorldIndex};
use racksync::{ClientPlugins, HeadlessPlugins};
use std::net::SocketAddr;
use std::time::Duration;

/// The example gives up after this long, whatever happened.
const RUN_AT_MOST: Duration = Duration::from_secs(20);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let host: SocketAddr = args.next().as_deref().unwrap_or("127.0.0.1:5000").parse()?;
    let name = args.next().unwrap_or_else(|| "embedded".into());

    let mut app = App::new();
    app.add_plugins((
        // A game has its own DefaultPlugins here; a headless app needs only these.
        HeadlessPlugins,
        // Transport, join, optimistic actions and rollback.
        ClientPlugins,
        ScheduleRunnerPlugin::run_loop(Duration::from_millis(16)),
        LogPlugin {
            level: Level::WARN,
            ..Default::default()
        },
    ))
    // Who we are, and how we reach the host: a renet client plus a netcode UDP transport.
    .insert_resource(ClientSettings { name })
    .insert_resource(new_client())
    .insert_resource(udp_client(host, rand::random(), DEFAULT_PROTOCOL_ID)?)
    .init_resource::<Script>()
    .add_systems(
        Update,
        (
            // Actions written before Process are applied locally and sent this frame;
            // outcomes and remote changes are readable after it.
            play_script.before(RacksyncSystems::Process),
            (on_outcome, on_remote_change, on_placement_changed).after(RacksyncSystems::Process),
            stop,
        ),
    );
    match app.run() {
        AppExit::Success => Ok(()),
        AppExit::Error(code) => Err(format!("ended with code {code}").into()),
    }
}

/// Where the example's little story is.
#[derive(Resource, Default)]
enum Script {
    /// Waiting for the world.
    #[default]
    Joining,
    /// Picked up and installed `server`; waiting for the host to accept the install.
    Installing { server: ObjectId, home: Placement },
    /// Took it out and put it back; waiting for the drop to be accepted.
    Returning { server: ObjectId },
    /// Done, or nothing to do.
    Finished,
}

/// Issues the next actions as earlier ones are accepted.
fn play_script(
    mut script: ResMut<Script>,
    session: Res<ClientSession>,
    objects: Query<(&NetObject, &Placed)>,
    index: Res<WorldIndex>,
    mut outcomes: MessageReader<ActionOutcome>,
    mut perform: MessageWriter<PerformAction>,
) {
    let accepted: Vec<Action> = outcomes
        .read()
        .filter_map(|outcome| match outcome {
            ActionOutcome::Accepted { action, .. } => Some(action.clone()),
            _ => None,
        })
        .collect();
    match *script {
        Script::Joining if session.state.is_playing() => {
            let Some((server, home, slot)) = pick_server_and_slot(&objects, &index) else {
                println!("no loose server or no free rack unit; nothing to do");
                *script = Script::Finished;
                return;
            };
            // Refused by the local rules at once (RejectedLocally), never sent: power
            // is only for installed devices, and only held devices can be installed.
            perform.write(PerformAction(Action::SetPower {
                object: server,
                on: true,
            }));
            perform.write(PerformAction(Action::InstallInRack {
                object: server,
                slot,
            }));
            // Applied locally at once, then confirmed (or rolled back) by the host.
            perform.write(PerformAction(Action::PickUp { object: server }));
            perform.write(PerformAction(Action::InstallInRack {
                object: server,
                slot,
            }));
            *script = Script::Installing { server, home };
        }
        Script::Installing { server, home } => {
            let installed = accepted
                .iter()
                .any(|a| matches!(a, Action::InstallInRack { object, .. } if *object == server));
            if let (true, Placement::Floor { pos, yaw }) = (installed, home) {
                perform.write(PerformAction(Action::RemoveFromRack { object: server }));
                perform.write(PerformAction(Action::Drop {
                    object: server,
                    pos,
                    yaw,
                }));
                *script = Script::Returning { server };
            }
        }
        Script::Returning { server } => {
            if accepted
                .iter()
                .any(|a| matches!(a, Action::Drop { object, .. } if *object == server))
            {
                println!("done: {server} is back where it was");
                *script = Script::Finished;
            }
        }
        Script::Joining | Script::Finished => {}
    }
}

/// The lowest-id loose 1U server with its floor placement, and the lowest free unit of
/// the lowest-id standing rack that has one.
fn pick_server_and_slot(
    objects: &Query<(&NetObject, &Placed)>,
    index: &WorldIndex,
) -> Option<(ObjectId, Placement, RackSlot)> {
    let (server, home) = objects
        .iter()
        .filter(|(o, p)| o.kind == ObjectKind::Server1U && matches!(p.0, Placement::Floor { .. }))
        .map(|(o, p)| (o.id, p.0))
        .min_by_key(|(id, _)| *id)?;
    let mut racks: Vec<ObjectId> = objects
        .iter()
        .filter(|(o, p)| o.kind == ObjectKind::Rack && matches!(p.0, Placement::Floor { .. }))
        .map(|(o, _)| o.id)
        .collect();
    racks.sort_unstable();
    let slot = racks.into_iter().find_map(|rack| {
        let units = index.rack_units(rack)?;
        let free = units.iter().position(Option::is_none)?;
        Some(RackSlot {
            rack,
            unit: u8::try_from(free + 1).ok()?,
        })
    })?;
    Some((server, home, slot))
}

/// What became of our own actions: a game would confirm, or undo its UI on rejection.
fn on_outcome(mut outcomes: MessageReader<ActionOutcome>) {
    for outcome in outcomes.read() {
        match outcome {
            ActionOutcome::Accepted {
                action, revision, ..
            } => println!("accepted {} at revision {revision}", action.name()),
            ActionOutcome::Rejected { action, reason, .. } => {
                println!("host rejected {}: {reason}; rolled back", action.name())
            }
            ActionOutcome::RejectedLocally { action, reason } => {
                println!("refused before sending {}: {reason}", action.name())
            }
            ActionOutcome::TimedOut { action, .. } => {
                println!("no answer for {}; rolled back", action.name())
            }
            ActionOutcome::DroppedOnReplay { action, reason, .. } => {
                println!("{} undone by a host update: {reason}", action.name())
            }
            ActionOutcome::NotPlaying { action } => {
                println!("not in the world yet; {} not sent", action.name())
            }
        }
    }
}

/// Changes other players and the host made, already applied to our world.
fn on_remote_change(mut changes: MessageReader<RemoteChange>) {
    for change in changes.read() {
        println!(
            "revision {}: {} did {:?}",
            change.revision, change.actor, change.action
        );
    }
}

/// Objects that moved this frame: where a game would update transforms. The snapshot
/// that arrives on joining places every object at once, so big batches are summarised.
/// Reconciling an ACK rewinds and replays pending actions, so `Changed<Placed>` can also
/// fire for an object whose placement ends the frame as it was: compare if that matters.
fn on_placement_changed(moved: Query<(&NetObject, &Placed), Changed<Placed>>) {
    let count = moved.iter().count();
    if count > 5 {
        println!("{count} objects placed");
        return;
    }
    for (object, placed) in &moved {
        println!("{} {} is now {:?}", object.id, object.kind.name(), placed.0);
    }
}

/// Ends the app when the story is over, joining failed, or time is up.
fn stop(
    script: Res<Script>,
    session: Res<ClientSession>,
    time: Res<Time<Real>>,
    mut exit: MessageWriter<AppExit>,
) {
    if matches!(*script, Script::Finished) {
        exit.write(AppExit::Success);
    } else if session.state.is_finished() {
        println!("could not stay in the world: {:?}", session.state);
        exit.write(AppExit::error());
    } else if time.elapsed() > RUN_AT_MOST {
        println!("gave up after {RUN_AT_MOST:?} ({:?})", session.state);
        exit.write(AppExit::error());
    }
}
