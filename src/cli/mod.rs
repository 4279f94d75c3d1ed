//! Command-line interface of the `racksync` binary.

mod admin;
mod client;
pub mod command;
mod console;
mod describe;
mod host;
mod host_args;
mod inspect;
mod key;
mod logging;
mod messaging;
mod prompt;
mod scenario;
mod token;
mod world;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// racksync: authoritative host, client and world tools for data-center worlds.
#[derive(Parser, Debug)]
#[command(name = "racksync", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve a world as the authoritative host.
    Host(host_args::HostArgs),
    /// Join a host as a headless client.
    Client(client::ClientArgs),
    /// Generate and inspect world saves.
    #[command(subcommand)]
    World(world::WorldCommand),
    /// Run a scripted load test and print its report (exit 0 only if it passes).
    Scenario(scenario::ScenarioArgs),
    /// Manage the private key of secure mode.
    #[command(subcommand)]
    Key(key::KeyCommand),
    /// Issue a connect token for a secure host.
    Token(token::TokenArgs),
}

/// A failure the binary reports on stderr before exiting non-zero.
pub type CliError = Box<dyn std::error::Error + Send + Sync>;

/// Runs a parsed command.
pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    match cli.command {
        Command::Host(args) => host::run(args),
        Command::Client(args) => client::run(args),
        Command::World(command) => world::run(command),
        Command::Scenario(args) => scenario::run(args),
        Command::Key(command) => key::run(command),
        Command::Token(args) => token::run(args),
    }
}
