//! The flags of `racksync host`. Each one overrides the same-named field of the
//! configuration file (`--tick-hz` ↔ `tick_hz`); defaults apply only where neither says
//! anything (see [`crate::config`]).

use crate::config::{DurabilityMode, EventConfig, HostConfig};
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Options of `racksync host`.
#[derive(Args, Debug, Default)]
pub struct HostArgs {
    /// RON configuration file (example: assets/config/host.ron); flags override it.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Address to listen on (UDP) [default: 127.0.0.1:5000].
    #[arg(long)]
    pub bind: Option<SocketAddr>,
    /// World to serve (RON) when there is no save yet [default: the embedded world].
    #[arg(long)]
    pub world: Option<PathBuf>,
    /// Simulation and network ticks per second, 1..=1000 [default: 30].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub tick_hz: Option<u16>,
    /// Most players at once, 1..=1024 [default: 64].
    #[arg(long)]
    pub max_players: Option<usize>,
    /// Read admin commands from stdin (`--console=false` to turn a file's `true` off)
    /// [default: true].
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub console: Option<bool>,
    /// Do not read admin commands from stdin (for a host run in the background of a
    /// terminal, where reading would stop it). Same as `--console=false`.
    #[arg(long, conflicts_with = "console")]
    pub no_console: bool,
    /// Secure mode: admit only clients with a connect token signed by --key-file.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub secure: Option<bool>,
    /// Private key file of secure mode (see `racksync key generate`).
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// Address clients reach the host at, which tokens must name (secure mode; repeat
    /// for several) [default: the bound address].
    #[arg(long)]
    pub public_addr: Vec<SocketAddr>,
    /// Allow unsecure mode on a non-loopback address (anyone who reaches it can join;
    /// logged as a warning).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub insecure_public: Option<bool>,
    /// Durable world save: loaded (with its journal replayed) if it exists, created from
    /// --world otherwise; saved periodically and on Ctrl-C/SIGTERM.
    #[arg(long)]
    pub save: Option<PathBuf>,
    /// Seconds between periodic saves [default: 60].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub save_every: Option<u64>,
    /// strict: fsync the journal before each tick's ACKs leave; interval: fsync every
    /// --fsync-every-ms [default: strict].
    #[arg(long, value_enum)]
    pub durability: Option<DurabilityMode>,
    /// Milliseconds between journal fsyncs with --durability interval [default: 200].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub fsync_every_ms: Option<u64>,
    /// Milliseconds between two audits of every client's world, at least 50
    /// [default: 20000].
    #[arg(long, value_parser = clap::value_parser!(u64).range(50..))]
    pub audit_interval_ms: Option<u64>,
    /// A network event players may send, as NAME or NAME:RATE (events per second,
    /// 1..=100; default 5), with any parameters; repeat for several. Replaces the file's
    /// `events` (chat, wave and ping are always registered).
    #[arg(long = "event", value_parser = EventConfig::from_flag)]
    pub events: Vec<EventConfig>,
    /// Name of the player who owns the instance whenever present [default: the first
    /// player to join].
    #[arg(long)]
    pub owner: Option<String>,
    /// Actions per second a player may send, bursts of five seconds' worth
    /// [default: 50].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub actions_per_s: Option<u64>,
}

impl HostArgs {
    /// The settings the flags give, to lay over the configuration file.
    pub fn to_config(&self) -> HostConfig {
        HostConfig {
            bind: self.bind,
            world: self.world.clone(),
            tick_hz: self.tick_hz,
            max_players: self.max_players,
            console: if self.no_console {
                Some(false)
            } else {
                self.console
            },
            secure: self.secure,
            key_file: self.key_file.clone(),
            public_addr: (!self.public_addr.is_empty()).then(|| self.public_addr.clone()),
            insecure_public: self.insecure_public,
            save: self.save.clone(),
            save_every: self.save_every,
            durability: self.durability,
            fsync_every_ms: self.fsync_every_ms,
            audit_interval_ms: self.audit_interval_ms,
            events: (!self.events.is_empty()).then(|| self.events.clone()),
            owner: self.owner.clone(),
            actions_per_s: self.actions_per_s,
        }
    }
}
