//! Scripted scenarios (SPEC §12): the file format, bots, the runner and its report.
//!
//! [`Scenario::load`] reads a file; [`Runner`] runs it over the chosen transport and
//! returns a [`Report`] (a table via `Display`, JSON via serde, an SVG via
//! [`chart::render`]) whose expectations decide the exit code of `racksync scenario`.

mod bot;
mod catalog;
pub mod chart;
mod choose;
mod expect;
mod format;
mod metrics;
mod progress;
mod report;
mod runner;
mod scale;
mod values;

pub use expect::Verdict;
pub use format::{
    Behaviour, BotAction, ClientGroup, Expectations, Fault, Link, Scenario, ScenarioError,
    TimedFault, WorldSource,
};
pub use metrics::Percentiles;
pub use progress::Progress;
pub use report::{Convergence, Report};
pub use runner::{RunError, Runner, TransportChoice};
pub use values::{AtLeastOne, NonNegative, Probability};
