//! Reading and writing whole objects. Every change to a networked object goes through
//! here so that components, indexes, cached hashes and the world digest never drift.

use crate::components::{CableLink, NetObject, ObjectHash, Placed, Powered, Props, Wear};
use crate::digest::{WorldDigest, object_hash};
use crate::index::WorldIndex;
use crate::overlay::ConfirmedOverlay;
use crate::tree::DigestTree;
use bevy_ecs::prelude::*;
use racksync_protocol::{ObjectId, ObjectRecord, Revision, SnapshotBody, WorldSettings};

/// The world's settings (bounds, customers) as a resource.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings(pub WorldSettings);

/// The revision the local world is at. On the host it counts accepted actions; on a
/// client it is the last host revision applied.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorldRevision(pub Revision);

/// Why a world could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorldError {
    /// Two objects share an id.
    #[error("duplicate object id {0}")]
    DuplicateId(racksync_protocol::ObjectId),
}

/// Object-level access to a Bevy `World`.
pub trait WorldObjects {
    /// Inserts the world resources (index, digest, settings, revision) if missing.
    fn init_world_resources(&mut self);
    /// Spawns a new object. Fails if the id is taken.
    fn spawn_object(&mut self, record: ObjectRecord) -> Result<Entity, WorldError>;
    /// Replaces the state of an existing object, or spawns it if unknown.
    fn write_object(&mut self, record: ObjectRecord);
    /// Despawns an object; returns its last state.
    fn despawn_object(&mut self, id: ObjectId) -> Option<ObjectRecord>;
    /// Removes every object.
    fn clear_objects(&mut self);
    /// Replaces the whole world with a snapshot at `revision`.
    fn load_snapshot(&mut self, body: SnapshotBody, revision: Revision) -> Result<(), WorldError>;
}

/// Read access to objects, for `&World` and `&mut World`.
pub trait ReadObjects {
    /// Current state of an object.
    fn object(&self, id: ObjectId) -> Option<ObjectRecord>;
    /// Every object, ascending by id.
    fn objects_sorted(&self) -> Vec<ObjectRecord>;
    /// A snapshot body of the current world.
    fn snapshot_body(&self) -> SnapshotBody;
    /// The digest resource.
    fn digest(&self) -> WorldDigest;
    /// Recomputes the digest from scratch (for checks; the resource is incremental).
    fn recompute_digest(&self) -> WorldDigest;
}

impl ReadObjects for World {
    fn object(&self, id: ObjectId) -> Option<ObjectRecord> {
        let entity = self.get_resource::<WorldIndex>()?.entity(id)?;
        read_record(self, entity)
    }

    fn objects_sorted(&self) -> Vec<ObjectRecord> {
        let Some(index) = self.get_resource::<WorldIndex>() else {
            return Vec::new();
        };
        let mut ids: Vec<(ObjectId, Entity)> = index.iter().collect();
        ids.sort_unstable_by_key(|(id, _)| *id);
        ids.into_iter()
            .filter_map(|(_, entity)| read_record(self, entity))
            .collect()
    }

    fn snapshot_body(&self) -> SnapshotBody {
        SnapshotBody {
            settings: self
                .get_resource::<Settings>()
                .map(|s| s.0.clone())
                .unwrap_or_default(),
            objects: self.objects_sorted(),
        }
    }

    fn digest(&self) -> WorldDigest {
        self.get_resource::<WorldDigest>()
            .copied()
            .unwrap_or_default()
    }

    fn recompute_digest(&self) -> WorldDigest {
        WorldDigest::from_hashes(self.objects_sorted().iter().map(object_hash))
    }
}

fn read_record(world: &World, entity: Entity) -> Option<ObjectRecord> {
    let entity = world.get_entity(entity).ok()?;
    let object = entity.get::<NetObject>()?;
    Some(ObjectRecord {
        id: object.id,
        kind: object.kind,
        placement: entity.get::<Placed>()?.0,
        powered: entity.get::<Powered>().is_some_and(|p| p.0),
        health: entity.get::<Wear>().map(|w| w.0).unwrap_or_default(),
        properties: entity
            .get::<Props>()
            .map(|p| p.0.clone())
            .unwrap_or_default(),
        cable: entity.get::<CableLink>().map(|c| c.0),
    })
}

impl WorldObjects for World {
    fn init_world_resources(&mut self) {
        self.init_resource::<WorldIndex>();
        self.init_resource::<WorldDigest>();
        self.init_resource::<DigestTree>();
        self.init_resource::<ConfirmedOverlay>();
        self.init_resource::<Settings>();
        self.init_resource::<WorldRevision>();
    }

    fn spawn_object(&mut self, record: ObjectRecord) -> Result<Entity, WorldError> {
        self.init_world_resources();
        if self.resource::<WorldIndex>().entity(record.id).is_some() {
            return Err(WorldError::DuplicateId(record.id));
        }
        let hash = object_hash(&record);
        let mut entity = self.spawn((
            NetObject {
                id: record.id,
                kind: record.kind,
            },
            Placed(record.placement),
            Powered(record.powered),
            Wear(record.health),
            Props(record.properties.clone()),
            ObjectHash(hash),
        ));
        if let Some(ends) = record.cable {
            entity.insert(CableLink(ends));
        }
        let entity = entity.id();
        self.resource_mut::<WorldIndex>().insert(entity, &record);
        self.resource_mut::<WorldDigest>().add(hash);
        self.resource_mut::<DigestTree>().insert(record.id, hash);
        Ok(entity)
    }

    fn write_object(&mut self, record: ObjectRecord) {
        let Some(entity) = self
            .get_resource::<WorldIndex>()
            .and_then(|index| index.entity(record.id))
        else {
            self.spawn_object(record)
                .expect("id was just checked to be free");
            return;
        };
        let old = read_record(self, entity).expect("indexed entity has object components");
        if old == record {
            return;
        }
        let old_hash = self.get::<ObjectHash>(entity).map_or(0, |h| h.0);
        let new_hash = object_hash(&record);
        {
            let mut index = self.resource_mut::<WorldIndex>();
            index.unlink(&old);
            index.link(&record);
        }
        self.resource_mut::<WorldDigest>()
            .replace(old_hash, new_hash);
        self.resource_mut::<DigestTree>()
            .replace(record.id, new_hash);
        let mut entity_mut = self.entity_mut(entity);
        if old.placement != record.placement {
            set(&mut entity_mut, Placed(record.placement));
        }
        if old.powered != record.powered {
            set(&mut entity_mut, Powered(record.powered));
        }
        if old.health != record.health {
            set(&mut entity_mut, Wear(record.health));
        }
        if old.properties != record.properties {
            set(&mut entity_mut, Props(record.properties));
        }
        if old.cable != record.cable {
            match record.cable {
                Some(ends) => set(&mut entity_mut, CableLink(ends)),
                None => {
                    entity_mut.remove::<CableLink>();
                }
            };
        }
        set(&mut entity_mut, ObjectHash(new_hash));
    }

    fn despawn_object(&mut self, id: ObjectId) -> Option<ObjectRecord> {
        let entity = self.get_resource::<WorldIndex>()?.entity(id)?;
        let record = read_record(self, entity)?;
        let hash = self.get::<ObjectHash>(entity).map_or(0, |h| h.0);
        self.resource_mut::<WorldIndex>().remove(&record);
        self.resource_mut::<WorldDigest>().remove(hash);
        self.resource_mut::<DigestTree>().remove(id);
        self.despawn(entity);
        Some(record)
    }

    fn clear_objects(&mut self) {
        self.init_world_resources();
        let entities: Vec<Entity> = self
            .resource::<WorldIndex>()
            .iter()
            .map(|(_, e)| e)
            .collect();
        for entity in entities {
            self.despawn(entity);
        }
        *self.resource_mut::<WorldIndex>() = WorldIndex::default();
        *self.resource_mut::<WorldDigest>() = WorldDigest::default();
        self.resource_mut::<DigestTree>().clear();
    }

    fn load_snapshot(&mut self, body: SnapshotBody, revision: Revision) -> Result<(), WorldError> {
        self.clear_objects();
        self.resource_mut::<Settings>().0 = body.settings;
        for record in body.objects {
            self.spawn_object(record)?;
        }
        self.resource_mut::<WorldRevision>().0 = revision;
        Ok(())
    }
}

/// Overwrites a component in place (no archetype move, change detection still fires), or
/// inserts it when the entity lacks it.
fn set<C: Component<Mutability = bevy_ecs::component::Mutable>>(
    entity: &mut EntityWorldMut<'_>,
    value: C,
) {
    match entity.get_mut::<C>() {
        Some(mut current) => *current = value,
        None => {
            entity.insert(value);
        }
    }
}
