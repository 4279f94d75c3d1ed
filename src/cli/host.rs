//! `racksync host`: serve a world over netcode UDP.

use super::CliError;
use super::admin::{Admin, report_admin, run_admin};
use super::console::{Console, say};
use super::host_args::HostArgs;
use super::key::read_key_file;
use super::logging::log_plugin;
use crate::app::{HostOptions, host_app};
use crate::config::{Admission, HostConfig, HostPlan};
use crate::default_world::default_world;
use crate::durability::{Base, Recovery, attach, open_base};
use bevy_app::{App, AppExit, ScheduleRunnerPlugin, TerminalCtrlCHandlerPlugin, Update};
use bevy_ecs::prelude::*;
use bevy_log::{Level, info, warn};
use racksync_replication::{HostSettings, RacksyncSystems};
use racksync_transport::{DEFAULT_PROTOCOL_ID, HostSecurity, new_server, udp_server};
use racksync_world::{ReadObjects, WorldSave};
use std::process::ExitCode;
use std::time::Duration;

/// Exit code Bevy's Ctrl-C handling reports (also on SIGTERM and SIGHUP here); for the
/// host it is a clean stop.
const CTRL_C_EXIT: u8 = 130;

/// Runs the host until Ctrl-C or SIGTERM.
pub fn run(args: HostArgs) -> Result<ExitCode, CliError> {
    let file = match &args.config {
        Some(path) => HostConfig::load(path)?,
        None => HostConfig::default(),
    };
    let plan = file.overlay(args.to_config()).resolve()?;
    // Read before anything is bound, so a bad key fails fast.
    let security = match &plan.admission {
        Admission::Unsecure { .. } => HostSecurity::Unsecure,
        Admission::Secure {
            key_file,
            public_addresses,
        } => HostSecurity::Secure {
            private_key: *read_key_file(key_file)?.bytes(),
            public_addresses: public_addresses.clone(),
        },
    };
    let initial = || match &plan.world {
        Some(path) => WorldSave::read(path),
        None => default_world(),
    };
    let (world, base_existed) = match &plan.durability {
        Some(settings) => {
            let Base { save, existed } = open_base(settings, initial)?;
            (save, Some(existed))
        }
        None => (initial()?, None),
    };
    let settings = HostSettings {
        tick_hz: plan.tick_hz,
        max_players: plan.max_players,
        ..HostSettings::default()
    };
    let mut app = host_app(&HostOptions { world, settings })?;
    app.world_mut()
        .resource_mut::<racksync_audit::AuditSettings>()
        .interval = plan.audit_interval;
    apply_messaging(&mut app, &plan);
    let tick = Duration::from_secs_f64(1.0 / f64::from(plan.tick_hz));
    app.add_plugins((
        ScheduleRunnerPlugin::run_loop(tick),
        log_plugin(Level::INFO),
    ));
    stop_on_signals(&mut app)?;
    if let (Some(settings), Some(existed)) = (&plan.durability, base_existed) {
        if existed && plan.world.is_some() {
            warn!(save = %settings.save.display(), "the save exists: --world is ignored");
        }
        let recovery = attach(app.world_mut(), settings, existed)?;
        report_recovery(&recovery, &plan);
    }
    let (transport, addr) = udp_server(plan.bind, plan.max_players, DEFAULT_PROTOCOL_ID, security)?;
    match &plan.admission {
        Admission::Unsecure { public: true } => warn!(
            %addr,
            "unsecure mode on a non-loopback address (--insecure-public): anyone who reaches it can join"
        ),
        Admission::Unsecure { public: false } => {}
        Admission::Secure { .. } => info!(%addr, "secure mode: only valid connect tokens get in"),
    }
    app.insert_resource(new_server());
    app.insert_resource(transport);
    if plan.console {
        add_console(&mut app);
    }
    // The loaded world maintains its digest; no second pass over the save.
    let digest = app.world().digest();
    info!(%addr, tick_hz = plan.tick_hz, %digest, "serving world");
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

/// Ctrl-C, SIGTERM and SIGHUP stop the host at the end of the frame, with its exit save;
/// a second signal exits at once. `set_handler` replaces a disposition a shell may have
/// set to "ignore" (background jobs of a script): a host that ignored SIGTERM would be
/// killed later without its exit save.
fn stop_on_signals(app: &mut App) -> Result<(), CliError> {
    ctrlc::set_handler(TerminalCtrlCHandlerPlugin::gracefully_exit)
        .map_err(|error| format!("cannot install the stop signal handler: {error}"))?;
    app.add_systems(Update, TerminalCtrlCHandlerPlugin::exit_on_flag);
    Ok(())
}

/// The plan's events, instance owner and action budget.
fn apply_messaging(app: &mut App, plan: &HostPlan) {
    let world = app.world_mut();
    let mut registry = world.resource_mut::<racksync_replication::EventRegistry>();
    for event in &plan.events {
        registry.register_with(
            &event.name,
            racksync_replication::messaging::EventDef {
                params: event.params.clone(),
                rate_per_s: event
                    .rate_per_s
                    .unwrap_or(racksync_replication::messaging::DEFAULT_EVENT_RATE),
            },
        );
    }
    world
        .resource_mut::<racksync_replication::MessagingSettings>()
        .preferred_owner = plan.owner.clone();
    if let Some(rate) = plan.actions_per_s {
        let mut budgets = world.resource_mut::<racksync_replication::BudgetSettings>();
        budgets.actions_per_s = rate;
        budgets.actions_burst = rate.saturating_mul(5);
    }
}

/// Admin commands from stdin (see [`super::admin`]).
fn add_console(app: &mut App) {
    app.insert_resource(Console::stdin())
        .init_resource::<Admin>()
        .add_systems(
            Update,
            (
                run_admin.before(RacksyncSystems::Process),
                report_admin.after(RacksyncSystems::Process),
                super::messaging::print_host_messaging.after(RacksyncSystems::Process),
            ),
        );
}

/// Prints what start-up recovered (stdout, for scripts and tests) and logs the details.
fn report_recovery(recovery: &Recovery, plan: &HostPlan) {
    let save = plan
        .durability
        .as_ref()
        .map(|settings| settings.save.display().to_string())
        .unwrap_or_default();
    if recovery.save_existed {
        say(format!(
            "recovered save revision={}, replayed {} actions, now revision={}",
            recovery.save_revision, recovery.replayed, recovery.revision
        ));
    } else {
        say(format!(
            "created save {save} at revision={}",
            recovery.revision
        ));
    }
    info!(
        save,
        save_revision = %recovery.save_revision,
        replayed = recovery.replayed,
        skipped = recovery.skipped,
        torn_bytes = recovery.torn_bytes,
        released = recovery.released,
        revision = %recovery.revision,
        "durable world ready"
    );
}
