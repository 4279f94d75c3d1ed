//! From optional settings to what the host will do: defaults filled in and the rules
//! that keep a host from being open by accident.

use super::ConfigError;
use super::file::{DurabilityMode, HostConfig};
use crate::durability::{DEFAULT_FSYNC_EVERY, DEFAULT_SAVE_EVERY, Durability, DurabilitySettings};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Default listening address: loopback, where unsecure mode is safe.
pub const DEFAULT_BIND: &str = "127.0.0.1:5000";

/// Who may connect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admission {
    /// netcode's unsecure mode: anyone who can reach the address.
    Unsecure {
        /// The address is not loopback and `insecure_public` allowed it: warn.
        public: bool,
    },
    /// Only holders of a connect token signed with the key in `key_file`.
    Secure {
        /// The private key file.
        key_file: PathBuf,
        /// Addresses tokens must name (empty: the bound address).
        public_addresses: Vec<SocketAddr>,
    },
}

/// A complete, checked host configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPlan {
    /// UDP address to listen on.
    pub bind: SocketAddr,
    /// World file for a host without a save (the embedded world when `None`).
    pub world: Option<PathBuf>,
    /// Ticks per second.
    pub tick_hz: u16,
    /// Most players at once.
    pub max_players: usize,
    /// Read admin commands from stdin.
    pub console: bool,
    /// Who may connect.
    pub admission: Admission,
    /// Durable world settings (`None`: the world lives in memory only).
    pub durability: Option<DurabilitySettings>,
    /// Time between two audits of every client's world.
    pub audit_interval: Duration,
    /// Network events registered besides the defaults.
    pub events: Vec<super::EventConfig>,
    /// The player who owns the instance whenever present.
    pub owner: Option<String>,
    /// Actions per second a player may send (`None`: the default budget).
    pub actions_per_s: Option<u64>,
}

impl HostConfig {
    /// Fills in defaults and checks how the settings fit together.
    pub fn resolve(self) -> Result<HostPlan, ConfigError> {
        let invalid = |message: String| Err(ConfigError::Conflict(message));
        if let Err((field, message)) = self.check() {
            return invalid(format!("{field}: {message}"));
        }
        let bind = self
            .bind
            .unwrap_or_else(|| DEFAULT_BIND.parse().expect("a valid default address"));
        let secure = self.secure.unwrap_or(false);
        let admission = if secure {
            let Some(key_file) = self.key_file else {
                return invalid(
                    "secure mode needs a key file (--key-file, or key_file in the configuration)"
                        .into(),
                );
            };
            let public_addresses = self.public_addr.unwrap_or_default();
            if bind.ip().is_unspecified() && public_addresses.is_empty() {
                return invalid(format!(
                    "{bind} is a wildcard address, which tokens cannot name: give the address \
                     clients reach with --public-addr"
                ));
            }
            Admission::Secure {
                key_file,
                public_addresses,
            }
        } else {
            // A key without secure mode would look protected and be open.
            if self.key_file.is_some() || self.public_addr.is_some() {
                return invalid(
                    "a key file or public address is set but secure mode is off: add --secure, \
                     or remove them"
                        .into(),
                );
            }
            let public = !bind.ip().is_loopback();
            if public && !self.insecure_public.unwrap_or(false) {
                return invalid(format!(
                    "refusing to bind {bind} without secure mode: anyone could join. Use \
                     --secure --key-file FILE, or --insecure-public to accept that"
                ));
            }
            Admission::Unsecure { public }
        };
        let durability = match self.save {
            Some(save) => Some(DurabilitySettings {
                save,
                save_every: self
                    .save_every
                    .map_or(DEFAULT_SAVE_EVERY, Duration::from_secs),
                durability: match self.durability.unwrap_or(DurabilityMode::Strict) {
                    DurabilityMode::Strict => Durability::Strict,
                    DurabilityMode::Interval => Durability::Interval {
                        fsync_every: self
                            .fsync_every_ms
                            .map_or(DEFAULT_FSYNC_EVERY, Duration::from_millis),
                    },
                },
            }),
            None if self.save_every.is_some() || self.durability.is_some() => {
                return invalid("save_every and durability need a save file (--save)".into());
            }
            None => None,
        };
        Ok(HostPlan {
            bind,
            world: self.world,
            tick_hz: self.tick_hz.unwrap_or(30),
            max_players: self.max_players.unwrap_or(64),
            console: self.console.unwrap_or(true),
            admission,
            durability,
            audit_interval: self.audit_interval_ms.map_or_else(
                || racksync_audit::AuditSettings::default().interval,
                Duration::from_millis,
            ),
            events: self.events.unwrap_or_default(),
            owner: self.owner,
            actions_per_s: self.actions_per_s,
        })
    }
}
