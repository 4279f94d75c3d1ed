//! The `racksync` command: host, client and world tools.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = racksync::cli::Cli::parse();
    match racksync::cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("racksync: {error:#}");
            ExitCode::FAILURE
        }
    }
}
