//! racksync: a headless, authoritative simulation and sync server for multiplayer
//! worlds of data-center objects, on Bevy's ECS and renet.
//!
//! - [`HostPlugins`]: everything a dedicated host runs (transport, replication, authority,
//!   simulation, audit).
//! - [`ClientPlugins`]: what a Bevy game client embeds (transport, replication, rollback,
//!   audit).
//! - [`HeadlessPlugins`]: the minimal Bevy plugins a headless app needs.
//!
//! The plugin crates are re-exported under their short names.

pub mod app;
pub mod atomic_file;
pub mod cli;
pub mod config;
pub mod default_events;
pub mod default_world;
pub mod durability;
/// Fuzz bodies shared by the cargo-fuzz targets in `fuzz/` and `tests/fuzz_corpora.rs`.
pub mod fuzzing;
pub mod harness;
pub mod plugins;
pub mod scenario;
pub mod wiring;

pub use app::{ClientOptions, HostOptions, client_app, host_app};
pub use plugins::{ClientPlugins, HeadlessPlugins, HostPlugins};

pub use racksync_audit as audit;
pub use racksync_authority as authority;
pub use racksync_protocol as protocol;
pub use racksync_replication as replication;
pub use racksync_rollback as rollback;
pub use racksync_simulation as simulation;
pub use racksync_transport as transport;
pub use racksync_world as world;
