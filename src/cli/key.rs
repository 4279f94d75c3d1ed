//! `racksync key generate`: the private key of secure mode, and reading key files.
//!
//! A key file holds 32 bytes as 64 hexadecimal digits and a newline, readable by its
//! owner only (0600). Whoever can read it can mint tokens for the host.

use super::CliError;
use crate::atomic_file::{Access, write_new};
use clap::Subcommand;
use racksync_transport::PrivateKey;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Largest file accepted as a key file (a key is 65 bytes with its newline).
const MAX_KEY_FILE_BYTES: u64 = 1024;

/// `racksync key …`
#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Writes a new random private key (64 hex digits, mode 0600). Refuses to replace an
    /// existing file: every token signed with the old key would stop working.
    Generate {
        /// The key file to create.
        #[arg(short, long)]
        output: PathBuf,
    },
}

/// Runs a key command.
pub fn run(command: KeyCommand) -> Result<ExitCode, CliError> {
    match command {
        KeyCommand::Generate { output } => {
            let key = PrivateKey::generate();
            write_new(
                &output,
                format!("{}\n", key.to_hex()).as_bytes(),
                Access::OwnerOnly,
            )
            .map_err(|error| match error.kind() {
                std::io::ErrorKind::AlreadyExists => format!(
                    "{} already exists; remove it first if you mean to replace the key \
                     (tokens signed with it stop working)",
                    output.display()
                ),
                _ => format!("cannot write key file {}: {error}", output.display()),
            })?;
            eprintln!("wrote a new private key to {}", output.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Reads a key file, with an error that says what is wrong and how to fix it. Warns on
/// stderr when others may read the file.
pub fn read_key_file(path: &Path) -> Result<PrivateKey, CliError> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).map_err(|error| {
        format!("cannot read key file {shown}: {error} (create one with `racksync key generate -o {shown}`)")
    })?;
    if metadata.len() > MAX_KEY_FILE_BYTES {
        return Err(format!(
            "key file {shown} is {} bytes: not a key file (64 hex digits)",
            metadata.len()
        )
        .into());
    }
    warn_if_shared(path, &metadata);
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read key file {shown}: {error}"))?;
    PrivateKey::from_hex(&text).map_err(|error| format!("key file {shown}: {error}").into())
}

#[cfg(unix)]
fn warn_if_shared(path: &Path, metadata: &std::fs::Metadata) {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode();
    if mode & 0o077 != 0 {
        eprintln!(
            "warning: key file {} is readable by others (mode {:o}); chmod 600 it",
            path.display(),
            mode & 0o777
        );
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_path: &Path, _metadata: &std::fs::Metadata) {}
