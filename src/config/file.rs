//! The host's settings as a RON file and as flags: every field optional, so a file and
//! the command line can each say only what they change.

use super::ConfigError;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// When journaled actions are fsynced (see [`crate::durability::Durability`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum DurabilityMode {
    /// fsync every tick with accepted actions, before its ACKs leave.
    Strict,
    /// fsync at most every `fsync_every_ms`.
    Interval,
}

/// Every setting of `racksync host`. In a file, an absent field keeps its default; on
/// the command line, a flag replaces the file's value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostConfig {
    /// UDP address to listen on (default `127.0.0.1:5000`).
    #[serde(default)]
    pub bind: Option<SocketAddr>,
    /// World served when there is no save yet (default: the embedded world).
    #[serde(default)]
    pub world: Option<PathBuf>,
    /// Simulation and network ticks per second, 1..=1000 (default 30).
    #[serde(default)]
    pub tick_hz: Option<u16>,
    /// Most players at once, 1..=1024 (default 64).
    #[serde(default)]
    pub max_players: Option<usize>,
    /// Read admin commands from stdin (default true).
    #[serde(default)]
    pub console: Option<bool>,
    /// Admit only clients with a connect token signed by `key_file` (default false).
    #[serde(default)]
    pub secure: Option<bool>,
    /// The private key file of secure mode.
    #[serde(default)]
    pub key_file: Option<PathBuf>,
    /// Addresses clients reach the host at, which tokens name (secure mode; default:
    /// the bound address).
    #[serde(default)]
    pub public_addr: Option<Vec<SocketAddr>>,
    /// Allow an unsecure host on a non-loopback address (default false).
    #[serde(default)]
    pub insecure_public: Option<bool>,
    /// The durable world save; the journal sits beside it (default: no durability).
    #[serde(default)]
    pub save: Option<PathBuf>,
    /// Seconds between periodic saves, at least 1 (default 60).
    #[serde(default)]
    pub save_every: Option<u64>,
    /// When the journal is fsynced (default strict).
    #[serde(default)]
    pub durability: Option<DurabilityMode>,
    /// Milliseconds between fsyncs in interval mode, at least 1 (default 200).
    #[serde(default)]
    pub fsync_every_ms: Option<u64>,
    /// Milliseconds between two audits of every client's world, at least 50 (default
    /// 20000).
    #[serde(default)]
    pub audit_interval_ms: Option<u64>,
    /// Network events players may send, besides the defaults (`chat`, `wave`, `ping`).
    #[serde(default)]
    pub events: Option<Vec<EventConfig>>,
    /// Name of the player who owns the instance whenever present (default: the first
    /// player to join).
    #[serde(default)]
    pub owner: Option<String>,
    /// Actions per second a player may send, at least 1 (bursts of five seconds' worth;
    /// default 50).
    #[serde(default)]
    pub actions_per_s: Option<u64>,
}

/// One registered network event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventConfig {
    /// Its name, 1..=64 bytes.
    pub name: String,
    /// Events per second a player may send, 1..=100 (default 5).
    #[serde(default)]
    pub rate_per_s: Option<u8>,
    /// Its parameter types in order (default: any, up to eight).
    #[serde(default)]
    pub params: Option<Vec<racksync_protocol::ParamKind>>,
}

impl EventConfig {
    /// `NAME` or `NAME:RATE`, as `--event` takes it.
    pub fn from_flag(text: &str) -> Result<Self, String> {
        let (name, rate) = match text.split_once(':') {
            Some((name, rate)) => {
                let rate = rate
                    .parse::<u8>()
                    .map_err(|_| format!("{rate:?} is not an events-per-second rate"))?;
                (name, Some(rate))
            }
            None => (text, None),
        };
        Ok(Self {
            name: name.to_string(),
            rate_per_s: rate,
            params: None,
        })
    }
}

impl HostConfig {
    /// Reads a configuration file. Relative paths in it are relative to its directory.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses configuration text; `path` names it in errors and anchors relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        // Optional fields are written plainly (`tick_hz: 60`), not as `Some(60)`.
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let mut config: HostConfig =
            options
                .from_str(text)
                .map_err(|source| ConfigError::Syntax {
                    path: path.to_owned(),
                    source,
                })?;
        config
            .check()
            .map_err(|(field, message)| ConfigError::Invalid {
                path: path.to_owned(),
                line: line_of_field(text, field),
                message: format!("{field}: {message}"),
            })?;
        let base = path.parent().unwrap_or(Path::new(""));
        for file in [&mut config.world, &mut config.key_file, &mut config.save]
            .into_iter()
            .flatten()
        {
            *file = base.join(&*file);
        }
        Ok(config)
    }

    /// This configuration with every field `over` sets replaced (flags over a file).
    pub fn overlay(self, over: HostConfig) -> HostConfig {
        HostConfig {
            bind: over.bind.or(self.bind),
            world: over.world.or(self.world),
            tick_hz: over.tick_hz.or(self.tick_hz),
            max_players: over.max_players.or(self.max_players),
            console: over.console.or(self.console),
            secure: over.secure.or(self.secure),
            key_file: over.key_file.or(self.key_file),
            public_addr: over.public_addr.or(self.public_addr),
            insecure_public: over.insecure_public.or(self.insecure_public),
            save: over.save.or(self.save),
            save_every: over.save_every.or(self.save_every),
            durability: over.durability.or(self.durability),
            fsync_every_ms: over.fsync_every_ms.or(self.fsync_every_ms),
            audit_interval_ms: over.audit_interval_ms.or(self.audit_interval_ms),
            events: over.events.or(self.events),
            owner: over.owner.or(self.owner),
            actions_per_s: over.actions_per_s.or(self.actions_per_s),
        }
    }

    /// Range checks of single fields; an error names the field.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if let Some(hz) = self.tick_hz
            && !(1..=1000).contains(&hz)
        {
            return Err(("tick_hz", format!("{hz} is not in 1..=1000")));
        }
        let max = racksync_transport::MAX_CLIENTS;
        if let Some(players) = self.max_players
            && !(1..=max).contains(&players)
        {
            return Err(("max_players", format!("{players} is not in 1..={max}")));
        }
        if self.save_every == Some(0) {
            return Err(("save_every", "must be at least 1 second".into()));
        }
        if self.audit_interval_ms.is_some_and(|ms| ms < 50) {
            return Err((
                "audit_interval_ms",
                "must be at least 50 milliseconds".into(),
            ));
        }
        if self.fsync_every_ms == Some(0) {
            return Err(("fsync_every_ms", "must be at least 1 millisecond".into()));
        }
        for event in self.events.iter().flatten() {
            if event.name.is_empty() || event.name.len() > 64 {
                return Err((
                    "events",
                    format!("{:?}: names are 1..=64 bytes", event.name),
                ));
            }
            if let Some(rate) = event.rate_per_s
                && !(1..=100).contains(&rate)
            {
                return Err((
                    "events",
                    format!("{}: rate_per_s {rate} is not in 1..=100", event.name),
                ));
            }
            if event.params.as_ref().is_some_and(|p| p.len() > 8) {
                return Err(("events", format!("{}: at most 8 parameters", event.name)));
            }
        }
        if self.actions_per_s == Some(0) {
            return Err(("actions_per_s", "must be at least 1".into()));
        }
        if let Some(addresses) = &self.public_addr
            && !(1..=32).contains(&addresses.len())
        {
            return Err(("public_addr", "netcode takes 1 to 32 addresses".into()));
        }
        Ok(())
    }
}

/// 1-based line where `field` is set (`field:` at the start of a line), or 1.
fn line_of_field(text: &str, field: &str) -> usize {
    text.lines()
        .position(|line| {
            line.trim_start()
                .strip_prefix(field)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(1, |index| index + 1)
}
