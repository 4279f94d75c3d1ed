//! `racksync client`: join a host over netcode UDP as a headless client.

use super::CliError;
use super::logging::log_plugin;
use crate::app::{ClientOptions, client_app};
use bevy_app::{AppExit, ScheduleRunnerPlugin, TerminalCtrlCHandlerPlugin, Update};
use bevy_ecs::prelude::*;
use bevy_log::{Level, info, warn};
use bevy_time::{Real, Time};
use clap::Args;
use racksync_replication::{ClientSession, JoinState};
use racksync_rollback::{ActionOutcome, RemoteChange};
use racksync_transport::{DEFAULT_PROTOCOL_ID, new_client, udp_client};
use racksync_world::{ReadObjects, WorldRevision};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Options of `racksync client`.
#[derive(Args, Debug)]
pub struct ClientArgs {
    /// Host address (UDP).
    #[arg(long, default_value = "127.0.0.1:5000")]
    pub connect: SocketAddr,
    /// Player name (1..=32 bytes).
    #[arg(long)]
    pub name: String,
    /// Join, print `joined objects=N revision=R digest=D`, and exit.
    #[arg(long)]
    pub once: bool,
    /// Give up joining after this many seconds.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
}

/// What the `--once` watcher decided.
#[derive(Resource, Debug)]
struct JoinWatch {
    once: bool,
    deadline: Duration,
    /// Shared with `run`, because `App::run` consumes the app's world.
    failure: Arc<Mutex<Option<String>>>,
}

/// Runs the client until it is done (with `--once`) or Ctrl-C.
pub fn run(args: ClientArgs) -> Result<ExitCode, CliError> {
    if !racksync_replication::host::valid_name(&args.name) {
        return Err("--name must be 1..=32 bytes without control characters".into());
    }
    let mut app = client_app(&ClientOptions {
        name: args.name.clone(),
    });
    let level = if args.once { Level::WARN } else { Level::INFO };
    app.add_plugins((
        ScheduleRunnerPlugin::run_loop(Duration::from_millis(10)),
        log_plugin(level),
        TerminalCtrlCHandlerPlugin,
    ));
    let client_id = rand::random::<u64>();
    app.insert_resource(new_client());
    app.insert_resource(udp_client(args.connect, client_id, DEFAULT_PROTOCOL_ID)?);
    let failure = Arc::new(Mutex::new(None));
    app.insert_resource(JoinWatch {
        once: args.once,
        deadline: Duration::from_secs(args.timeout),
        failure: failure.clone(),
    });
    app.add_systems(Update, (watch_join, log_arrivals));
    let exit = app.run();
    let failure = failure.lock().map_or(None, |f| f.clone());
    match (exit, failure) {
        (_, Some(reason)) => Err(format!("could not join {}: {reason}", args.connect).into()),
        (AppExit::Success, None) => Ok(ExitCode::SUCCESS),
        (AppExit::Error(code), None) if code.get() == 130 => Ok(ExitCode::SUCCESS),
        (AppExit::Error(code), None) => Ok(ExitCode::from(code.get())),
    }
}

/// Ends the app when joining failed, timed out, or (with `--once`) succeeded.
fn watch_join(world: &mut World) {
    let state = world.resource::<ClientSession>().state.clone();
    let elapsed = world.resource::<Time<Real>>().elapsed();
    let mut watch = world.resource_mut::<JoinWatch>();
    let failure = match &state {
        JoinState::Refused(reason) => Some(format!("refused: {reason}")),
        JoinState::Failed(reason) => Some(reason.clone()),
        JoinState::Disconnected(reason) => Some(format!("disconnected ({reason})")),
        JoinState::Playing => None,
        _ if elapsed > watch.deadline => Some(format!("no world after {:?}", watch.deadline)),
        _ => return,
    };
    if let Some(reason) = failure {
        if let Ok(mut slot) = watch.failure.lock() {
            *slot = Some(reason);
        }
        world.write_message(AppExit::error());
        return;
    }
    if watch.once {
        watch.once = false;
        let digest = world.digest();
        let revision = world.resource::<WorldRevision>().0;
        println!(
            "joined objects={} revision={} digest={:016x}",
            digest.objects(),
            revision,
            digest.value()
        );
        world.write_message(AppExit::Success);
    }
}

/// Logs remote changes and the fate of our own actions.
fn log_arrivals(
    mut changes: MessageReader<RemoteChange>,
    mut outcomes: MessageReader<ActionOutcome>,
) {
    for change in changes.read() {
        info!(revision = %change.revision, actor = %change.actor, action = ?change.action, "remote change");
    }
    for outcome in outcomes.read() {
        match outcome {
            ActionOutcome::Accepted { .. } => info!(?outcome, "action accepted"),
            _ => warn!(?outcome, "action not accepted"),
        }
    }
}
