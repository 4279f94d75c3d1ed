//! Object ids by kind, taken once from a world so bots can sample targets without
//! scanning 100k objects for every action.

use bevy_ecs::prelude::*;
use racksync_protocol::Placement;
use racksync_protocol::{ObjectId, ObjectKind};
use racksync_world::WorldIndex;
use racksync_world::{CableLink, NetObject, Placed};

/// Ids of the world's objects, grouped for sampling. Shared by every bot (read-only);
/// objects that move or vanish later are simply refused by the local rules check.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    /// Every rack, ascending by id (shared racks are the first N).
    pub racks: Vec<ObjectId>,
    /// Servers, switches and patch panels: what goes into a rack.
    pub rackables: Vec<ObjectId>,
    /// Servers and switches: what has a power switch and wears.
    pub powered: Vec<ObjectId>,
    /// Switches: what takes SFP modules.
    pub switches: Vec<ObjectId>,
    /// Cables.
    pub cables: Vec<ObjectId>,
    /// SFP modules.
    pub modules: Vec<ObjectId>,
    /// Everything but racks: what a hand can hold.
    pub pickables: Vec<ObjectId>,
    /// Pickables lying loose on the floor at the start.
    pub loose: Vec<ObjectId>,
}

impl Catalog {
    /// Groups the objects of a loaded world.
    pub fn of(world: &World) -> Self {
        let mut catalog = Catalog::default();
        let Some(index) = world.get_resource::<WorldIndex>() else {
            return catalog;
        };
        let mut ids: Vec<(ObjectId, ObjectKind, bool)> = index
            .iter()
            .filter_map(|(id, entity)| {
                let kind = world.get::<NetObject>(entity)?.kind;
                let on_floor = matches!(world.get::<Placed>(entity)?.0, Placement::Floor { .. });
                let plugged = world.get::<CableLink>(entity).is_some();
                Some((id, kind, on_floor && !plugged))
            })
            .collect();
        ids.sort_unstable_by_key(|(id, _, _)| *id);
        for (id, kind, loose) in ids {
            if kind == ObjectKind::Rack {
                catalog.racks.push(id);
                continue;
            }
            catalog.pickables.push(id);
            if loose {
                catalog.loose.push(id);
            }
            if kind.rack_units().is_some() {
                catalog.rackables.push(id);
            }
            if kind.is_powered_device() {
                catalog.powered.push(id);
            }
            match kind {
                ObjectKind::Switch => catalog.switches.push(id),
                ObjectKind::Cable => catalog.cables.push(id),
                ObjectKind::SfpModule => catalog.modules.push(id),
                _ => {}
            }
        }
        catalog
    }
}
