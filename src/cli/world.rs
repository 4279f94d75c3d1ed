//! `racksync world generate|stats`.

use super::CliError;
use clap::Subcommand;
use racksync_world::{WorldSave, WorldStats, generate_world};
use std::path::PathBuf;
use std::process::ExitCode;

/// World save tools.
#[derive(Subcommand, Debug)]
pub enum WorldCommand {
    /// Generate a world of N objects (racks full of servers, switches, cables).
    Generate {
        /// Number of objects.
        #[arg(long)]
        objects: usize,
        /// Random seed; the same seed gives the same world.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (RON).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Print object counts by kind and the world digest of a save.
    Stats {
        /// The save file (RON).
        file: PathBuf,
    },
}

/// Runs a world subcommand.
pub fn run(command: WorldCommand) -> Result<ExitCode, CliError> {
    match command {
        WorldCommand::Generate {
            objects,
            seed,
            output,
        } => {
            let max = racksync_protocol::ids::MAX_OBJECT_SERIAL as usize;
            if objects > max {
                return Err(format!("at most {max} objects fit the host's id namespace").into());
            }
            let save = generate_world(objects, seed);
            std::fs::write(&output, save.to_ron())
                .map_err(|e| format!("{}: {e}", output.display()))?;
            let records: Vec<_> = save.objects.iter().cloned().map(Into::into).collect();
            let stats = WorldStats::of(&records);
            println!("wrote {}: {}", output.display(), stats.digest);
        }
        WorldCommand::Stats { file } => {
            let save = WorldSave::read(&file)?;
            let records: Vec<_> = save.objects.into_iter().map(Into::into).collect();
            println!("{}", WorldStats::of(&records));
        }
    }
    Ok(ExitCode::SUCCESS)
}
