//! The scenario file format (RON, in `scenarios/`), SPEC §12.
//!
//! Unknown fields are refused and every value is checked while reading, so a mistake is
//! reported with its line and column. Cross-references (a fault naming a group) are
//! checked after reading and reported with the line of the reference.

use super::values::{AtLeastOne, NonNegative, Probability};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One scripted load test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name, used in the report.
    pub name: String,
    /// What the scenario shows.
    #[serde(default)]
    pub description: String,
    /// The world the host serves.
    pub world: WorldSource,
    /// Host and bot tick rate.
    #[serde(default = "default_tick_hz")]
    pub tick_hz: AtLeastOne,
    /// How long the bots act, in seconds (then the run settles and is checked).
    pub duration_s: NonNegative,
    /// Seed of every random choice: bots, links, simulation.
    #[serde(default)]
    pub seed: u64,
    /// Audit interval in seconds (the host's default when absent).
    #[serde(default)]
    pub audit_interval_s: Option<NonNegative>,
    /// Groups of bot clients.
    pub groups: Vec<ClientGroup>,
    /// Things that go wrong at given times.
    #[serde(default)]
    pub faults: Vec<TimedFault>,
    /// What must hold for the run to pass.
    #[serde(default)]
    pub expect: Expectations,
}

fn default_tick_hz() -> AtLeastOne {
    AtLeastOne::try_from(30).expect("30 is at least one")
}

/// Where the world comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WorldSource {
    /// The embedded default world.
    Default,
    /// A generated world.
    Generated {
        /// Number of objects.
        objects: u32,
        /// Generator seed.
        seed: u64,
    },
    /// A world save, relative to the scenario file.
    File(PathBuf),
}

/// Bots that share link conditions and behaviour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientGroup {
    /// Group name, referenced by faults.
    pub name: String,
    /// Number of bots.
    pub clients: u32,
    /// Seconds after the start at which the group joins (late joiners).
    #[serde(default)]
    pub join_at_s: NonNegative,
    /// Link conditions, both directions.
    #[serde(default)]
    pub link: Link,
    /// What the bots do.
    #[serde(default)]
    pub behaviour: Behaviour,
}

/// Link impairments of one direction, in scenario units.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// One-way latency, milliseconds.
    #[serde(default)]
    pub latency_ms: NonNegative,
    /// Extra uniform jitter, milliseconds.
    #[serde(default)]
    pub jitter_ms: NonNegative,
    /// Datagram loss.
    #[serde(default)]
    pub loss: Probability,
    /// Datagram duplication.
    #[serde(default)]
    pub duplicate: Probability,
    /// Datagram reordering.
    #[serde(default)]
    pub reorder: Probability,
}

/// The kinds of action a bot performs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum BotAction {
    /// Pick a loose object up.
    PickUp,
    /// Put a held object down.
    Drop,
    /// Install a held device in a free slot of a shared rack.
    Install,
    /// Take a device out of a shared rack.
    Remove,
    /// Switch an installed device.
    SetPower,
    /// Set a label or an address.
    SetProperty,
    /// Plug a held cable in.
    ConnectCable,
    /// Unplug a cable.
    DisconnectCable,
    /// Create an object.
    Spawn,
    /// Remove an object.
    Destroy,
    /// Insert a held SFP module.
    InsertSfp,
    /// Take an SFP module out.
    RemoveSfp,
    /// Repair a broken device.
    Repair,
}

/// What the bots of a group do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Behaviour {
    /// Actions per second per bot, by kind.
    #[serde(default)]
    pub actions_per_s: BTreeMap<BotAction, NonNegative>,
    /// Presence updates per second (SPEC §9: 20).
    #[serde(default = "default_movement_hz")]
    pub movement_hz: NonNegative,
    /// How many racks the bots work on; a small number makes them contend.
    #[serde(default)]
    pub shared_racks: Option<AtLeastOne>,
    /// Network events per second per bot (`ping` to the others, SPEC §10).
    #[serde(default)]
    pub events_per_s: NonNegative,
    /// Raw messages per second per bot, to the others, cycling through the three send
    /// types.
    #[serde(default)]
    pub raw_per_s: NonNegative,
    /// Payload bytes of each raw message (at most 960, the unreliable limit).
    #[serde(default = "default_raw_bytes")]
    pub raw_bytes: u16,
}

fn default_raw_bytes() -> u16 {
    64
}

fn default_movement_hz() -> NonNegative {
    NonNegative::try_from(20.0).expect("20 is non-negative")
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            actions_per_s: BTreeMap::new(),
            movement_hz: default_movement_hz(),
            shared_racks: None,
            events_per_s: NonNegative::default(),
            raw_per_s: NonNegative::default(),
            raw_bytes: default_raw_bytes(),
        }
    }
}

impl Behaviour {
    /// Total actions per second per bot.
    pub fn total_actions_per_s(&self) -> f64 {
        self.actions_per_s.values().map(|rate| rate.get()).sum()
    }
}

/// A fault at a time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimedFault {
    /// Seconds after the start.
    pub at_s: NonNegative,
    /// What happens.
    pub fault: Fault,
}

/// Something that goes wrong.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Fault {
    /// Bots quit; with `rejoin_after_s` they come back as new players.
    Disconnect {
        /// The group.
        group: String,
        /// How many of its bots.
        clients: AtLeastOne,
        /// Seconds until they rejoin.
        #[serde(default)]
        rejoin_after_s: Option<NonNegative>,
    },
    /// The links of some bots drop everything for a while.
    LinkCut {
        /// The group.
        group: String,
        /// How many of its bots.
        clients: AtLeastOne,
        /// Seconds until the link is restored.
        for_s: NonNegative,
    },
    /// Some bots' worlds are corrupted locally; the audit must repair them.
    Desync {
        /// The group.
        group: String,
        /// How many of its bots.
        clients: AtLeastOne,
        /// Objects corrupted per bot.
        objects: AtLeastOne,
    },
}

impl Fault {
    /// The group the fault applies to.
    pub fn group(&self) -> &str {
        match self {
            Fault::Disconnect { group, .. }
            | Fault::LinkCut { group, .. }
            | Fault::Desync { group, .. } => group,
        }
    }
}

/// What must hold at the end of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    /// Every client's digest equals the host's after the run settles.
    #[serde(default = "yes")]
    pub converged: bool,
    /// Largest share of sent actions the host may reject.
    #[serde(default)]
    pub max_reject_ratio: Option<Probability>,
    /// Bound on the 99th percentile of ACK latency, milliseconds.
    #[serde(default)]
    pub ack_p99_ms: Option<NonNegative>,
    /// Bound on the 99th percentile of observer latency, milliseconds.
    #[serde(default)]
    pub observer_p99_ms: Option<NonNegative>,
    /// Bound on the slowest join, milliseconds.
    #[serde(default)]
    pub max_join_ms: Option<NonNegative>,
    /// Bound on the 99th percentile of host tick time, milliseconds.
    #[serde(default)]
    pub host_tick_p99_ms: Option<NonNegative>,
    /// Fewest actions the host must accept (a run that did nothing proves nothing).
    #[serde(default)]
    pub min_accepted: Option<u64>,
}

fn yes() -> bool {
    true
}

impl Default for Expectations {
    fn default() -> Self {
        Self {
            converged: true,
            max_reject_ratio: None,
            ack_p99_ms: None,
            observer_p99_ms: None,
            max_join_ms: None,
            host_tick_p99_ms: None,
            min_accepted: None,
        }
    }
}

/// Why a scenario file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The RON is malformed, has an unknown field or a bad value.
    #[error("{path}:{source}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// What and where (line:column).
        source: ron::error::SpannedError,
    },
    /// The content contradicts itself.
    #[error("{path}:{line}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Line of the offending entry (1-based).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

impl Scenario {
    /// Reads and checks a scenario file.
    pub fn load(path: &Path) -> Result<Self, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses and checks scenario text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ScenarioError> {
        // Optional bounds are written plainly (`ack_p99_ms: 250`), not as `Some(250)`.
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let scenario: Scenario =
            options
                .from_str(text)
                .map_err(|source| ScenarioError::Syntax {
                    path: path.to_owned(),
                    source,
                })?;
        scenario
            .check(text)
            .map_err(|(needle, message)| ScenarioError::Invalid {
                path: path.to_owned(),
                line: line_of(text, &needle),
                message,
            })?;
        Ok(scenario)
    }

    /// Total bots over all groups.
    pub fn total_clients(&self) -> u32 {
        self.groups.iter().map(|g| g.clients).sum()
    }

    /// Cross-field checks. An error names a piece of text to find its line by.
    fn check(&self, _text: &str) -> Result<(), (String, String)> {
        if self.groups.is_empty() {
            return Err((
                "groups".into(),
                "a scenario needs at least one group".into(),
            ));
        }
        let mut names = std::collections::BTreeSet::new();
        for group in &self.groups {
            if !names.insert(group.name.as_str()) {
                return Err((
                    quoted(&group.name),
                    format!("group name {:?} is used twice", group.name),
                ));
            }
            if group.join_at_s.get() > self.duration_s.get() {
                return Err((
                    quoted(&group.name),
                    format!("group {:?} joins after the run ends", group.name),
                ));
            }
        }
        if self.total_clients() == 0 {
            return Err(("clients".into(), "the groups have no clients".into()));
        }
        for fault in &self.faults {
            let Some(group) = self.groups.iter().find(|g| g.name == fault.fault.group()) else {
                return Err((
                    quoted(fault.fault.group()),
                    format!("fault names unknown group {:?}", fault.fault.group()),
                ));
            };
            let wanted = match &fault.fault {
                Fault::Disconnect { clients, .. }
                | Fault::LinkCut { clients, .. }
                | Fault::Desync { clients, .. } => clients.get(),
            };
            if wanted > group.clients {
                return Err((
                    quoted(&group.name),
                    format!(
                        "fault wants {wanted} clients of group {:?}, which has {}",
                        group.name, group.clients
                    ),
                ));
            }
            if fault.at_s.get() > self.duration_s.get() {
                return Err((
                    "at_s".into(),
                    format!("a fault at {} s comes after the run ends", fault.at_s.get()),
                ));
            }
        }
        Ok(())
    }
}

fn quoted(name: &str) -> String {
    format!("{name:?}")
}

/// 1-based line of the last occurrence of `needle` (references come after definitions),
/// or 1 when it does not occur.
fn line_of(text: &str, needle: &str) -> usize {
    text.rfind(needle)
        .map_or(1, |at| text[..at].matches('\n').count() + 1)
}
