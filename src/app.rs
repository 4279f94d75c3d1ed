//! Building host and client apps, shared by the binary, the tests and the benchmarks.

use crate::plugins::{ClientPlugins, HeadlessPlugins, HostPlugins};
use bevy_app::App;
use racksync_replication::{ClientSettings, HostSettings};
use racksync_world::{SaveError, WorldSave};

/// What a host app needs to know.
#[derive(Clone, Debug)]
pub struct HostOptions {
    /// The world to serve.
    pub world: WorldSave,
    /// Connection settings.
    pub settings: HostSettings,
}

/// What a client app needs to know.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// Player name.
    pub name: String,
}

/// A host app with the world loaded, the [`crate::default_events::default_events`]
/// registered, and no transport yet: insert a `RenetServer` and a
/// transport resource (memory or netcode) to start serving.
pub fn host_app(options: &HostOptions) -> Result<App, SaveError> {
    let mut app = App::new();
    app.insert_resource(crate::default_events::default_events());
    app.add_plugins((HeadlessPlugins, HostPlugins));
    app.insert_resource(options.settings.clone());
    options.world.load_into(app.world_mut())?;
    Ok(app)
}

/// A client app with the default events registered and no transport yet: insert a `RenetClient` and a transport resource
/// to connect.
pub fn client_app(options: &ClientOptions) -> App {
    let mut app = App::new();
    app.insert_resource(crate::default_events::default_events());
    app.add_plugins((HeadlessPlugins, ClientPlugins));
    app.insert_resource(ClientSettings {
        name: options.name.clone(),
    });
    app
}
