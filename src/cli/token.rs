//! `racksync token`: issue a connect token for a secure host, and read token files.

use super::CliError;
use super::key::read_key_file;
use crate::atomic_file::{Access, write_atomic};
use crate::config::DEFAULT_BIND;
use clap::Args;
use racksync_transport::{
    DEFAULT_PROTOCOL_ID, TokenGrant, issue_token, token_from_text, token_to_text,
};
use renet_netcode::ConnectToken;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Largest file accepted as a token file (a token with 32 IPv6 hosts is under 4 KB).
const MAX_TOKEN_FILE_BYTES: u64 = 8 * 1024;

/// Options of `racksync token`.
#[derive(Args, Debug)]
pub struct TokenArgs {
    /// The host's private key file (see `racksync key generate`).
    #[arg(long)]
    pub key_file: PathBuf,
    /// The client id the token grants; two clients with one id cannot be connected at
    /// once.
    #[arg(long)]
    pub client_id: u64,
    /// Seconds the token can be used to connect, from now.
    #[arg(long, default_value_t = 3600)]
    pub expire: u64,
    /// Seconds of silence after which the connection is dropped (1..=3600).
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Host address as clients reach it (repeat for up to 32; the host's --public-addr,
    /// or its --bind address).
    #[arg(long = "host", default_value = DEFAULT_BIND)]
    pub hosts: Vec<SocketAddr>,
    /// Write the token here (mode 0600) instead of to stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// Issues a token: one line of hex on stdout, or a file.
pub fn run(args: TokenArgs) -> Result<ExitCode, CliError> {
    let key = read_key_file(&args.key_file)?;
    let grant = TokenGrant {
        client_id: args.client_id,
        hosts: args.hosts,
        valid_for: Duration::from_secs(args.expire),
        timeout: Duration::from_secs(args.timeout),
    };
    let token = issue_token(&key, DEFAULT_PROTOCOL_ID, &grant, unix_now()?)?;
    let text = format!("{}\n", token_to_text(&token));
    match &args.output {
        Some(path) => {
            write_atomic(path, text.as_bytes(), Access::OwnerOnly)
                .map_err(|error| format!("cannot write token file {}: {error}", path.display()))?;
            eprintln!(
                "wrote a token for client {} to {}, valid for {} s",
                args.client_id,
                path.display(),
                args.expire
            );
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a token file and checks it has not expired.
pub fn read_token_file(path: &Path) -> Result<ConnectToken, CliError> {
    let shown = path.display();
    let metadata = std::fs::metadata(path)
        .map_err(|error| format!("cannot read token file {shown}: {error}"))?;
    if metadata.len() > MAX_TOKEN_FILE_BYTES {
        return Err(format!("token file {shown} is too large to be a token").into());
    }
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read token file {shown}: {error}"))?;
    let token = token_from_text(&text, DEFAULT_PROTOCOL_ID)
        .map_err(|error| format!("token file {shown}: {error}"))?;
    let now = unix_now()?.as_secs();
    if token.expire_timestamp <= now {
        return Err(format!(
            "token file {shown} expired {} s ago; ask for a new token",
            now - token.expire_timestamp
        )
        .into());
    }
    Ok(token)
}

fn unix_now() -> Result<Duration, CliError> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| "the system clock is before 1970".into())
}
