//! `racksync host`: serve a world over netcode UDP.

use super::CliError;
use super::admin::{Admin, report_admin, run_admin};
use super::console::{Console, say};
use super::logging::log_plugin;
use crate::app::{HostOptions, host_app};
use crate::default_world::default_world;
use bevy_app::{AppExit, ScheduleRunnerPlugin, TerminalCtrlCHandlerPlugin, Update};
use bevy_ecs::prelude::*;
use bevy_log::{Level, info};
use clap::Args;
use racksync_audit::AuditSettings;
use racksync_replication::{HostSettings, RacksyncSystems};
use racksync_transport::{DEFAULT_PROTOCOL_ID, HostSecurity, new_server, udp_server};
use racksync_world::{ReadObjects, WorldSave};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Options of `racksync host`.
#[derive(Args, Debug)]
pub struct HostArgs {
    /// Address to listen on (UDP).
    #[arg(long, default_value = "127.0.0.1:5000")]
    pub bind: SocketAddr,
    /// World save to serve (RON); the embedded default world if absent.
    #[arg(long)]
    pub world: Option<PathBuf>,
    /// Simulation and network ticks per second.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub tick_hz: u16,
    /// Most players at once (at most 1024).
    #[arg(long, default_value_t = 64)]
    pub max_players: usize,
    /// Seconds between two audits of every client's world (default 20).
    #[arg(long, value_parser = parse_audit_interval)]
    pub audit_interval: Option<Duration>,
    /// Do not read admin commands from stdin (for a host run in the background of a
    /// terminal, where reading would stop it).
    #[arg(long)]
    pub no_console: bool,
}

/// Exit code Bevy's Ctrl-C handler reports; for the host it is a clean stop.
const CTRL_C_EXIT: u8 = 130;

/// Runs the host until Ctrl-C.
pub fn run(args: HostArgs) -> Result<ExitCode, CliError> {
    let world = match &args.world {
        Some(path) => WorldSave::read(path)?,
        None => default_world()?,
    };
    if !args.bind.ip().is_loopback() {
        return Err(format!(
            "refusing to bind {} without secure mode: unsecure netcode is for loopback only",
            args.bind
        )
        .into());
    }
    let settings = HostSettings {
        tick_hz: args.tick_hz,
        max_players: args.max_players,
        ..HostSettings::default()
    };
    let mut app = host_app(&HostOptions { world, settings })?;
    if let Some(interval) = args.audit_interval {
        app.world_mut().resource_mut::<AuditSettings>().interval = interval;
    }
    // The loaded world maintains its digest; no second pass over the save.
    let digest = app.world().digest();
    let tick = Duration::from_secs_f64(1.0 / f64::from(args.tick_hz));
    app.add_plugins((
        ScheduleRunnerPlugin::run_loop(tick),
        log_plugin(Level::INFO),
        TerminalCtrlCHandlerPlugin,
    ));
    let (transport, addr) = udp_server(
        args.bind,
        args.max_players,
        DEFAULT_PROTOCOL_ID,
        HostSecurity::Unsecure,
    )?;
    app.insert_resource(new_server());
    app.insert_resource(transport);
    if !args.no_console {
        app.insert_resource(Console::stdin())
            .init_resource::<Admin>()
            .add_systems(
                Update,
                (
                    run_admin.before(RacksyncSystems::Process),
                    report_admin.after(RacksyncSystems::Process),
                ),
            );
    }
    info!(%addr, tick_hz = args.tick_hz, %digest, "serving world");
    // On stdout, so a script that bound port 0 learns the port.
    say(format!("listening {addr}"));
    match app.run() {
        AppExit::Success => Ok(ExitCode::SUCCESS),
        AppExit::Error(code) if code.get() == CTRL_C_EXIT => {
            info!("stopped");
            Ok(ExitCode::SUCCESS)
        }
        AppExit::Error(code) => Ok(ExitCode::from(code.get())),
    }
}

/// An audit interval in seconds: positive, at most a day.
fn parse_audit_interval(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(0.05..=86_400.0).contains(&seconds) {
        return Err(format!("{seconds} s is outside 0.05 s ..= 1 day"));
    }
    Ok(Duration::from_secs_f64(seconds))
}
