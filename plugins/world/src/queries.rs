//! Questions bots, tests and the client prompt ask of a world.

use crate::components::{CableLink, Placed};
use crate::index::WorldIndex;
use crate::store::ReadObjects;
use bevy_ecs::prelude::*;
use racksync_protocol::{
    CableEnd, ObjectId, ObjectKind, ObjectRecord, Placement, RACK_UNITS, RackSlot,
};

/// Objects of `kind` standing on the floor, ascending by id.
pub fn loose_objects(world: &World, kind: ObjectKind) -> Vec<ObjectId> {
    world
        .objects_sorted()
        .into_iter()
        .filter(|r| r.kind == kind && matches!(r.placement, Placement::Floor { .. }))
        .filter(|r| r.cable.is_none())
        .map(|r| r.id)
        .collect()
}

/// The lowest free slot range of `height` units in a standing rack, scanning racks by id.
pub fn free_slot(world: &World, height: u8) -> Option<RackSlot> {
    free_slot_among(world, &world.objects_sorted(), height)
}

/// [`free_slot`] among `objects` already read (the racks among them, in their order).
pub fn free_slot_among(world: &World, objects: &[ObjectRecord], height: u8) -> Option<RackSlot> {
    let index = world.resource::<WorldIndex>();
    objects
        .iter()
        .filter(|r| r.kind == ObjectKind::Rack && matches!(r.placement, Placement::Floor { .. }))
        .find_map(|rack| {
            let units = index.rack_units(rack.id)?;
            (1..=RACK_UNITS + 1 - height).find_map(|unit| {
                let first = usize::from(unit) - 1;
                units[first..first + usize::from(height)]
                    .iter()
                    .all(Option::is_none)
                    .then_some(RackSlot {
                        rack: rack.id,
                        unit,
                    })
            })
        })
}

/// The occupant of one rack unit, if any.
pub fn occupant(world: &World, rack: ObjectId, unit: u8) -> Option<ObjectId> {
    let units = world.resource::<WorldIndex>().rack_units(rack)?;
    units
        .get(usize::from(unit).checked_sub(1)?)
        .copied()
        .flatten()
}

/// The cable plugged into port `port` of `device`, if any.
pub fn cable_on_port(world: &World, device: ObjectId, port: u8) -> Option<ObjectId> {
    let index = world.resource::<WorldIndex>();
    let end = CableEnd::Port { device, port };
    // Reads the one component that matters, not the whole record: rules ask this for
    // every endpoint of every cable action.
    index.cables_on(device).iter().copied().find(|cable| {
        index
            .entity(*cable)
            .and_then(|entity| world.get::<CableLink>(entity))
            .is_some_and(|link| link.0.contains(&end))
    })
}

/// The SFP module in port `port` of `switch`, if any.
pub fn module_in_port(world: &World, switch: ObjectId, port: u8) -> Option<ObjectId> {
    let index = world.resource::<WorldIndex>();
    let slot = Placement::InPort { switch, port };
    index.modules_in(switch).iter().copied().find(|module| {
        index
            .entity(*module)
            .and_then(|entity| world.get::<Placed>(entity))
            .is_some_and(|placed| placed.0 == slot)
    })
}
