//! `racksync client`: join a host over netcode UDP as a headless client, then either
//! exit (`--once`) or run the interactive prompt (see [`super::prompt`]).

use super::CliError;
use super::console::{Console, say};
use super::logging::log_plugin;
use super::messaging::print_messaging;
use super::prompt::{Prompt, print_arrivals, quit_when_settled, run_prompt};
use super::token::read_token_file;
use crate::app::{ClientOptions, client_app};
use bevy_app::{AppExit, ScheduleRunnerPlugin, TerminalCtrlCHandlerPlugin, Update};
use bevy_ecs::prelude::*;
use bevy_log::Level;
use bevy_time::{Real, Time};
use clap::Args;
use racksync_replication::{ClientSession, JoinState, RacksyncSystems};
use racksync_rollback::{DEFAULT_ACK_TIMEOUT, RollbackSettings};
use racksync_transport::{
    DEFAULT_PROTOCOL_ID, UdpClientTransport, new_client, udp_client, udp_token_client,
};
use racksync_world::{ReadObjects, WorldRevision};
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Options of `racksync client`.
#[derive(Args, Debug)]
pub struct ClientArgs {
    /// Host address (UDP), for an unsecure host.
    #[arg(long, default_value = "127.0.0.1:5000", conflicts_with = "token")]
    pub connect: SocketAddr,
    /// Connect token file for a secure host (see `racksync token`); the token names the
    /// host to connect to.
    #[arg(long)]
    pub token: Option<PathBuf>,
    /// Player name (1..=32 bytes).
    #[arg(long)]
    pub name: String,
    /// Join, print `joined objects=N revision=R digest=D`, and exit.
    #[arg(long)]
    pub once: bool,
    /// Give up joining after this many seconds.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    /// Seconds an action waits for its ACK before it is rolled back.
    #[arg(long, default_value_t = DEFAULT_ACK_TIMEOUT.as_secs_f64(), value_parser = parse_seconds)]
    pub ack_timeout: f64,
    /// A network event this client may send, as NAME or NAME:RATE, with any parameters;
    /// repeat for several (chat, wave and ping are always registered). The host must
    /// register it too.
    #[arg(long = "event", value_parser = crate::config::EventConfig::from_flag)]
    pub events: Vec<crate::config::EventConfig>,
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && (0.01..=3600.0).contains(&seconds) => Ok(seconds),
        _ => Err("expected seconds between 0.01 and 3600".into()),
    }
}

/// Watches the join: reports it, and ends the app when it fails or is lost.
#[derive(Resource, Debug)]
struct JoinWatch {
    host: SocketAddr,
    once: bool,
    joined: bool,
    deadline: Duration,
    /// Shared with `run`, because `App::run` consumes the app's world.
    failure: Arc<Mutex<Option<String>>>,
}

/// Runs the client until it is done (`--once`, `quit`, end of input) or Ctrl-C.
pub fn run(args: ClientArgs) -> Result<ExitCode, CliError> {
    if !racksync_replication::host::valid_name(&args.name) {
        return Err("--name must be 1..=32 bytes without control characters".into());
    }
    let mut app = client_app(&ClientOptions {
        name: args.name.clone(),
    });
    for event in &args.events {
        if !(1..=racksync_replication::messaging::MAX_EVENT_RATE)
            .contains(&event.rate_per_s.unwrap_or(1))
            || event.name.is_empty()
            || event.name.len() > 64
        {
            return Err(format!(
                "--event {}: a name of 1..=64 bytes and a rate of 1..=100",
                event.name
            )
            .into());
        }
        app.world_mut()
            .resource_mut::<racksync_replication::EventRegistry>()
            .register_with(
                &event.name,
                racksync_replication::messaging::EventDef {
                    params: None,
                    rate_per_s: event
                        .rate_per_s
                        .unwrap_or(racksync_replication::messaging::DEFAULT_EVENT_RATE),
                },
            );
    }
    // stdout carries the joined line and the prompt's output; logs (stderr) stay quiet
    // unless RUST_LOG asks for more.
    app.add_plugins((
        ScheduleRunnerPlugin::run_loop(Duration::from_millis(10)),
        log_plugin(Level::WARN),
        TerminalCtrlCHandlerPlugin,
    ));
    let ack_timeout = Duration::from_secs_f64(args.ack_timeout);
    app.insert_resource(RollbackSettings { ack_timeout });
    app.insert_resource(new_client());
    let host = match &args.token {
        Some(path) => {
            let token = read_token_file(path)?;
            let host = token.server_addresses[0].expect("token files name a host");
            app.insert_resource(udp_token_client(token)?);
            host
        }
        None => {
            let client_id = rand::random::<u64>();
            app.insert_resource(udp_client(args.connect, client_id, DEFAULT_PROTOCOL_ID)?);
            args.connect
        }
    };
    let failure = Arc::new(Mutex::new(None));
    app.insert_resource(JoinWatch {
        host,
        once: args.once,
        joined: false,
        deadline: Duration::from_secs(args.timeout),
        failure: failure.clone(),
    });
    app.add_systems(Update, watch_join.after(RacksyncSystems::Receive));
    if !args.once {
        // Half a second on top of the ACK timeout, so that timed-out actions are
        // reported before the client leaves.
        app.insert_resource(Prompt::new(ack_timeout + Duration::from_millis(500)));
        app.insert_resource(Console::stdin());
        app.add_systems(
            Update,
            (
                run_prompt
                    .after(watch_join)
                    .before(RacksyncSystems::Process),
                (print_arrivals, print_messaging, quit_when_settled)
                    .chain()
                    .after(RacksyncSystems::Process),
            ),
        );
    }
    let exit = app.run();
    let failure = failure.lock().map_or(None, |f| f.clone());
    match (exit, failure) {
        (_, Some(reason)) => Err(reason.into()),
        (AppExit::Success, None) => Ok(ExitCode::SUCCESS),
        (AppExit::Error(code), None) if code.get() == 130 => Ok(ExitCode::SUCCESS),
        (AppExit::Error(code), None) => Ok(ExitCode::from(code.get())),
    }
}

/// Prints the joined line once playing; ends the app when joining failed or timed out,
/// when the connection is lost, or (with `--once`) right after joining.
fn watch_join(world: &mut World) {
    let state = world.resource::<ClientSession>().state.clone();
    let player = world.resource::<ClientSession>().player;
    let elapsed = world.resource::<Time<Real>>().elapsed();
    let netcode = netcode_reason(world);
    let mut watch = world.resource_mut::<JoinWatch>();
    let host = watch.host;
    let failure = match &state {
        JoinState::Refused(reason) => Some(format!("could not join {host}: refused: {reason}")),
        JoinState::Failed(reason) if watch.joined => {
            Some(format!("connection to {host} failed: {reason}"))
        }
        JoinState::Failed(reason) => Some(format!("could not join {host}: {reason}")),
        JoinState::Disconnected(reason) if watch.joined => {
            Some(format!("connection to {host} lost: {reason}"))
        }
        JoinState::Disconnected(reason) => Some(format!(
            "could not join {host}: disconnected ({})",
            netcode.unwrap_or_else(|| reason.clone())
        )),
        JoinState::Playing => None,
        _ if elapsed > watch.deadline => Some(format!(
            "could not join {host}: no world after {:?}",
            watch.deadline
        )),
        _ => return,
    };
    if let Some(reason) = failure {
        if let Ok(mut slot) = watch.failure.lock() {
            *slot = Some(reason);
        }
        world.write_message(AppExit::error());
        return;
    }
    if watch.joined {
        return;
    }
    watch.joined = true;
    let once = watch.once;
    let digest = world.digest();
    let revision = world.resource::<WorldRevision>().0;
    say(format!(
        "joined objects={} revision={revision} digest={:016x}",
        digest.objects(),
        digest.value()
    ));
    if once {
        world.write_message(AppExit::Success);
    } else if let Some(player) = player
        && std::io::stdin().is_terminal()
    {
        eprintln!("playing as {player}; type help for commands");
    }
}

/// netcode's own reason for a failed connection ("connection request timed out" when a
/// secure host ignored the token), which says more than renet's "transport".
fn netcode_reason(world: &World) -> Option<String> {
    let reason = world
        .get_resource::<UdpClientTransport>()?
        .disconnect_reason()?;
    Some(reason.to_string())
}
