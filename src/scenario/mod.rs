//! Scripted scenarios: the file format (the runner and report are not built yet).

mod format;
mod values;

pub use format::{
    Behaviour, BotAction, ClientGroup, Expectations, Fault, Link, Scenario, ScenarioError,
    TimedFault, WorldSource,
};
pub use values::{AtLeastOne, NonNegative, Probability};
