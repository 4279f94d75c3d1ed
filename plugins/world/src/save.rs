//! RON world saves.
//!
//! The save format is the readable twin of [`ObjectRecord`]: fields at their defaults are
//! left out and each object sits on one line. Saving is canonical (objects ascending by
//! id, fixed formatting), so save → load → save gives identical bytes.

use crate::consistency::{ConsistencyError, Holding, check_consistency};
use crate::store::{ReadObjects, Settings, WorldError, WorldObjects, WorldRevision};
use bevy_ecs::prelude::*;
use racksync_protocol::{
    CableEnd, Health, ObjectId, ObjectKind, ObjectRecord, Placement, Properties, Revision,
    WorldBounds, WorldSettings,
};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;
use std::path::Path;

/// Version of the save format written by this build.
pub const SAVE_FORMAT: u32 = 1;

/// A world save file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldSave {
    /// Save format version.
    pub format: u32,
    /// Host revision when saved.
    pub revision: u64,
    /// Where objects may be placed.
    pub bounds: WorldBounds,
    /// Known customer ids.
    pub customers: Vec<u32>,
    /// Every object, ascending by id.
    pub objects: Vec<SavedObject>,
}

/// One object in a save file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedObject {
    /// Stable id.
    pub id: ObjectId,
    /// What it is.
    pub kind: ObjectKind,
    /// Where it is.
    pub placement: Placement,
    /// Power switch.
    #[serde(default, skip_serializing_if = "is_false")]
    pub powered: bool,
    /// Wear state.
    #[serde(default, skip_serializing_if = "is_default")]
    pub health: Health,
    /// IPv4 address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<Ipv4Addr>,
    /// Customer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<u32>,
    /// Label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Application id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<u32>,
    /// Cable endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cable: Option<[CableEnd; 2]>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl From<ObjectRecord> for SavedObject {
    fn from(record: ObjectRecord) -> Self {
        Self {
            id: record.id,
            kind: record.kind,
            placement: record.placement,
            powered: record.powered,
            health: record.health,
            ip: record.properties.ip,
            customer: record.properties.customer,
            label: record.properties.label,
            app: record.properties.app,
            cable: record.cable,
        }
    }
}

impl From<SavedObject> for ObjectRecord {
    fn from(saved: SavedObject) -> Self {
        Self {
            id: saved.id,
            kind: saved.kind,
            placement: saved.placement,
            powered: saved.powered,
            health: saved.health,
            properties: Properties {
                ip: saved.ip,
                customer: saved.customer,
                label: saved.label,
                app: saved.app,
            },
            cable: saved.cable,
        }
    }
}

/// Why a save could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The text is not a valid save.
    #[error("not a valid world save: {0}")]
    Parse(#[from] ron::error::SpannedError),
    /// The save was written by an unknown format version.
    #[error("save format {found} is not supported (this build reads format {SAVE_FORMAT})")]
    Format {
        /// The version found.
        found: u32,
    },
    /// The objects contradict each other.
    #[error("inconsistent world: {0}")]
    Inconsistent(#[from] ConsistencyError),
    /// The world could not be built.
    #[error(transparent)]
    World(#[from] WorldError),
}

impl WorldSave {
    /// Parses and checks a save from RON text. Nothing may be held: a world file is
    /// loaded with nobody connected.
    pub fn from_ron(text: &str) -> Result<Self, SaveError> {
        Self::from_ron_with(text, Holding::Forbidden)
    }

    /// Parses and checks a save from RON text, with objects in players' hands allowed or
    /// not. A running host's durable save allows them (players were connected when it
    /// was written); the host releases them when it recovers.
    pub fn from_ron_with(text: &str, holding: Holding) -> Result<Self, SaveError> {
        let save: WorldSave = ron::from_str(text)?;
        if save.format != SAVE_FORMAT {
            return Err(SaveError::Format { found: save.format });
        }
        check_consistency(
            &save.settings(),
            save.objects.iter().cloned().map(Into::into),
            holding,
        )?;
        Ok(save)
    }

    /// Reads and checks a save file (nothing held; see [`WorldSave::from_ron`]).
    pub fn read(path: &Path) -> Result<Self, SaveError> {
        Self::read_with(path, Holding::Forbidden)
    }

    /// Reads and checks a save file, with held objects allowed or not.
    pub fn read_with(path: &Path, holding: Holding) -> Result<Self, SaveError> {
        let text = std::fs::read_to_string(path).map_err(|source| SaveError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_ron_with(&text, holding)
    }

    /// The canonical RON text of this save.
    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new()
            .depth_limit(2)
            .indentor("    ".to_string());
        let mut text = ron::ser::to_string_pretty(self, config)
            .expect("world saves contain only RON-representable values");
        text.push('\n');
        text
    }

    /// A save of the world as it is now.
    pub fn capture(world: &World) -> Self {
        let settings = world
            .get_resource::<Settings>()
            .map(|s| s.0.clone())
            .unwrap_or_default();
        Self {
            format: SAVE_FORMAT,
            revision: world.get_resource::<WorldRevision>().map_or(0, |r| r.0.0),
            bounds: settings.bounds,
            customers: settings.customers,
            objects: world.objects_sorted().into_iter().map(Into::into).collect(),
        }
    }

    /// The world settings this save declares.
    pub fn settings(&self) -> WorldSettings {
        WorldSettings {
            bounds: self.bounds,
            customers: self.customers.clone(),
        }
    }

    /// Replaces the world's objects and settings with this save.
    pub fn load_into(&self, world: &mut World) -> Result<(), SaveError> {
        world.clear_objects();
        world.resource_mut::<Settings>().0 = self.settings();
        for saved in &self.objects {
            world.spawn_object(saved.clone().into())?;
        }
        world.resource_mut::<WorldRevision>().0 = Revision(self.revision);
        Ok(())
    }
}
