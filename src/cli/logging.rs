//! Log setup shared by the subcommands.

use bevy_log::{Level, LogPlugin};

/// Logs to stderr at `level`; `RUST_LOG` overrides.
pub fn log_plugin(level: Level) -> LogPlugin {
    LogPlugin {
        level,
        filter: "wgpu=error,renet=warn,renetcode=warn,renet_netcode=warn".into(),
        ..Default::default()
    }
}
