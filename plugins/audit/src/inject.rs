//! The desync injector, for tests and scenarios: deliberate divergence of one client's
//! confirmed world from the host's, of every kind the audit must repair.
//!
//! Local changes go through the world store, so the client's hashes and digests
//! describe the corrupted state: a real divergence, not a stale cache. An object with a
//! pending prediction has its *confirmed* state corrupted (the one the audit compares).

use bevy_ecs::prelude::*;
use racksync_protocol::{ObjectId, ObjectRecord, Placement};
use racksync_replication::host::BroadcastFaults;
use racksync_world::{ConfirmedOverlay, ReadObjects, WorldObjects};
use renet::ClientId;

/// A field of an object to corrupt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// Flip the power switch.
    Power,
    /// Change the time left until the device breaks.
    TimeToBreak,
    /// Change (or set) the label.
    Label,
    /// Change (or set) the customer.
    Customer,
    /// Move an object standing on the floor by one millimetre.
    Position,
}

impl Field {
    /// Every field, for random picks.
    pub const ALL: [Field; 5] = [
        Field::Power,
        Field::TimeToBreak,
        Field::Label,
        Field::Customer,
        Field::Position,
    ];
}

/// One injected divergence of a client's world.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Desync {
    /// Change one field of an object.
    Corrupt {
        /// The object.
        object: ObjectId,
        /// The field.
        field: Field,
    },
    /// Delete an object locally (it is missing on the client).
    Delete(ObjectId),
    /// Add an object the host does not have (it is extra on the client).
    Add(ObjectRecord),
}

/// Why a desync could not be injected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InjectError {
    /// No such object on this client.
    #[error("object {0} does not exist here")]
    NoObject(ObjectId),
    /// The object already exists.
    #[error("object {0} already exists")]
    Exists(ObjectId),
    /// The field does not apply to this object (a position of an object not on the floor).
    #[error("field {field:?} does not apply to object {object}")]
    NotApplicable {
        /// The object.
        object: ObjectId,
        /// The field.
        field: Field,
    },
}

/// `record` with `field` changed.
pub fn corrupted(record: &ObjectRecord, field: Field) -> Result<ObjectRecord, InjectError> {
    let mut out = record.clone();
    match field {
        Field::Power => out.powered = !out.powered,
        Field::TimeToBreak => {
            out.health.time_to_break = out.health.time_to_break.wrapping_add(1);
        }
        Field::Label => {
            out.properties.label = match out.properties.label {
                Some(label) if label == "desync" => Some("desync!".into()),
                _ => Some("desync".into()),
            };
        }
        Field::Customer => {
            out.properties.customer = Some(out.properties.customer.map_or(1, |c| c ^ 0x8000));
        }
        Field::Position => match &mut out.placement {
            Placement::Floor { pos, .. } => pos.x = pos.x.wrapping_add(1),
            _ => {
                return Err(InjectError::NotApplicable {
                    object: record.id,
                    field,
                });
            }
        },
    }
    Ok(out)
}

/// Injects `desync` into a client's world.
pub fn inject(world: &mut World, desync: Desync) -> Result<(), InjectError> {
    match desync {
        Desync::Corrupt { object, field } => {
            let predicted = world.resource::<ConfirmedOverlay>().get(object).cloned();
            match predicted {
                Some(confirmed) => {
                    let confirmed = confirmed.ok_or(InjectError::NoObject(object))?;
                    let bad = corrupted(&confirmed, field)?;
                    world
                        .resource_mut::<ConfirmedOverlay>()
                        .correct(object, Some(bad));
                }
                None => {
                    let record = world.object(object).ok_or(InjectError::NoObject(object))?;
                    world.write_object(corrupted(&record, field)?);
                }
            }
        }
        Desync::Delete(object) => {
            if world.resource::<ConfirmedOverlay>().contains(object) {
                world
                    .resource_mut::<ConfirmedOverlay>()
                    .correct(object, None);
            } else {
                world
                    .despawn_object(object)
                    .ok_or(InjectError::NoObject(object))?;
            }
        }
        Desync::Add(record) => {
            let id = record.id;
            if world.object(id).is_some() || world.resource::<ConfirmedOverlay>().contains(id) {
                return Err(InjectError::Exists(id));
            }
            world
                .spawn_object(record)
                .map_err(|_| InjectError::Exists(id))?;
        }
    }
    Ok(())
}

/// Makes the host withhold the next broadcast meant for `client` (on the host's world).
pub fn drop_next_broadcast(host: &mut World, client: ClientId) {
    host.get_resource_or_insert_with(BroadcastFaults::default)
        .drop_next(client);
}

#[cfg(test)]
mod tests {
    use super::*;
    use racksync_world::generate_world;

    fn world_of(objects: usize) -> World {
        let mut world = World::new();
        world.init_world_resources();
        generate_world(objects, 2)
            .load_into(&mut world)
            .expect("generated worlds load");
        world
    }

    #[test]
    fn every_field_changes_the_hash() {
        let world = world_of(200);
        for record in world.objects_sorted() {
            for field in Field::ALL {
                match corrupted(&record, field) {
                    Ok(bad) => {
                        assert_ne!(
                            racksync_world::object_hash(&bad),
                            racksync_world::object_hash(&record)
                        );
                        // Corrupting twice never restores the original by accident.
                        assert_ne!(corrupted(&bad, field).unwrap(), bad);
                    }
                    Err(InjectError::NotApplicable { .. }) => {
                        assert!(!matches!(record.placement, Placement::Floor { .. }));
                    }
                    Err(other) => panic!("{other}"),
                }
            }
        }
    }

    #[test]
    fn injections_keep_the_store_consistent() {
        let mut world = world_of(200);
        let ids: Vec<ObjectId> = world.objects_sorted().iter().map(|r| r.id).collect();
        inject(
            &mut world,
            Desync::Corrupt {
                object: ids[0],
                field: Field::Power,
            },
        )
        .unwrap();
        inject(&mut world, Desync::Delete(ids[1])).unwrap();
        let mut extra = world.object(ids[2]).unwrap();
        extra.id = ObjectId::new(0, 900_000);
        extra.placement = Placement::Floor {
            pos: racksync_protocol::PosMm::new(0, 0, 0),
            yaw: 0,
        };
        extra.cable = None;
        inject(&mut world, Desync::Add(extra.clone())).unwrap();
        assert_eq!(
            inject(&mut world, Desync::Add(extra)),
            Err(InjectError::Exists(ObjectId::new(0, 900_000)))
        );
        assert_eq!(
            inject(&mut world, Desync::Delete(ids[1])),
            Err(InjectError::NoObject(ids[1]))
        );
        assert_eq!(world.digest(), world.recompute_digest());
        let tree = world.resource::<racksync_world::DigestTree>();
        assert_eq!(tree.root().world_digest(), world.recompute_digest());
    }
}
