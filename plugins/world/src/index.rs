//! Lookup tables the rules need in O(1): id → entity, rack occupancy, hands, and what is
//! attached to each device. Kept in step with the components by [`crate::store`].

use bevy_ecs::prelude::*;
use racksync_protocol::{CableEnd, ObjectId, ObjectRecord, Placement, PlayerId, RACK_UNITS};
// Index keys are small integers from the host: a fixed, fast hasher (foldhash) beats
// SipHash here, and the maps are never iterated in an order that matters.
use bevy_platform::collections::HashMap;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

/// Occupancy of one rack: which object fills each unit (index 0 is unit 1).
pub type RackUnits = [Option<ObjectId>; RACK_UNITS as usize];

/// Indexes over the world's objects.
#[derive(Resource, Default, Debug)]
pub struct WorldIndex {
    entities: HashMap<ObjectId, Entity>,
    racks: HashMap<ObjectId, RackUnits>,
    hands: HashMap<PlayerId, Vec<ObjectId>>,
    cables_on: HashMap<ObjectId, Vec<ObjectId>>,
    modules_in: HashMap<ObjectId, Vec<ObjectId>>,
    ips: HashMap<Ipv4Addr, ObjectId>,
    powered: BTreeSet<ObjectId>,
    highest_serial: HashMap<u16, u32>,
}

impl WorldIndex {
    /// The entity of an object.
    pub fn entity(&self, id: ObjectId) -> Option<Entity> {
        self.entities.get(&id).copied()
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// True when the world has no objects.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Every object id with its entity, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (ObjectId, Entity)> + '_ {
        self.entities.iter().map(|(id, entity)| (*id, *entity))
    }

    /// Occupancy of a rack, if `rack` is a known rack.
    pub fn rack_units(&self, rack: ObjectId) -> Option<&RackUnits> {
        self.racks.get(&rack)
    }

    /// Objects a player holds.
    pub fn held_by(&self, player: PlayerId) -> &[ObjectId] {
        self.hands.get(&player).map_or(&[], Vec::as_slice)
    }

    /// Cables with an endpoint on `device`.
    pub fn cables_on(&self, device: ObjectId) -> &[ObjectId] {
        self.cables_on.get(&device).map_or(&[], Vec::as_slice)
    }

    /// SFP modules inserted in `switch`.
    pub fn modules_in(&self, switch: ObjectId) -> &[ObjectId] {
        self.modules_in.get(&switch).map_or(&[], Vec::as_slice)
    }

    /// The device that has `ip`, if any.
    pub fn ip_owner(&self, ip: Ipv4Addr) -> Option<ObjectId> {
        self.ips.get(&ip).copied()
    }

    /// Powered devices that are not broken, ascending by id: what wears.
    pub fn running(&self) -> impl Iterator<Item = ObjectId> + '_ {
        self.powered.iter().copied()
    }

    /// A serial no object of `namespace` has used since the world was loaded: one above
    /// the highest seen. Clients allocate spawn ids with it.
    pub fn next_serial(&self, namespace: u16) -> u32 {
        self.highest_serial
            .get(&namespace)
            .map_or(1, |serial| serial + 1)
    }

    /// Every relation the index holds, sorted, so an index maintained incrementally can be
    /// compared with one rebuilt from the same objects. Entities and the serial
    /// high-water marks are left out: they depend on history, not on the objects.
    pub fn relations(&self) -> IndexRelations {
        fn sorted_lists<K: Ord + Copy>(map: &HashMap<K, Vec<ObjectId>>) -> Vec<(K, Vec<ObjectId>)> {
            let mut lists: Vec<(K, Vec<ObjectId>)> = map
                .iter()
                .map(|(key, list)| {
                    let mut list = list.clone();
                    list.sort_unstable();
                    (*key, list)
                })
                .collect();
            lists.sort_unstable_by_key(|(key, _)| *key);
            lists
        }
        let mut objects: Vec<ObjectId> = self.entities.keys().copied().collect();
        objects.sort_unstable();
        let mut racks: Vec<(ObjectId, RackUnits)> =
            self.racks.iter().map(|(id, units)| (*id, *units)).collect();
        racks.sort_unstable_by_key(|(id, _)| *id);
        let mut ips: Vec<(Ipv4Addr, ObjectId)> =
            self.ips.iter().map(|(ip, id)| (*ip, *id)).collect();
        ips.sort_unstable();
        IndexRelations {
            objects,
            racks,
            hands: sorted_lists(&self.hands),
            cables_on: sorted_lists(&self.cables_on),
            modules_in: sorted_lists(&self.modules_in),
            ips,
            running: self.powered.iter().copied().collect(),
        }
    }

    pub(crate) fn insert(&mut self, entity: Entity, record: &ObjectRecord) {
        self.entities.insert(record.id, entity);
        let highest = self
            .highest_serial
            .entry(record.id.namespace())
            .or_insert(0);
        *highest = (*highest).max(record.id.serial());
        if record.kind == racksync_protocol::ObjectKind::Rack {
            self.racks
                .entry(record.id)
                .or_insert([None; RACK_UNITS as usize]);
        }
        self.link(record);
    }

    pub(crate) fn remove(&mut self, record: &ObjectRecord) {
        self.unlink(record);
        self.entities.remove(&record.id);
        // A rack's occupancy outlives the rack while devices still point at it, so a
        // rack that comes back (an audit resync of a rack deleted locally) finds them.
        if self
            .racks
            .get(&record.id)
            .is_some_and(|units| units.iter().all(Option::is_none))
        {
            self.racks.remove(&record.id);
        }
    }

    /// Adds the relations `record` takes part in (placement and cable ends).
    pub(crate) fn link(&mut self, record: &ObjectRecord) {
        match record.placement {
            Placement::InRack(slot) => {
                let height = record.kind.rack_units().unwrap_or(1);
                // The rack may load after its contents, so its table is created on demand.
                let units = self
                    .racks
                    .entry(slot.rack)
                    .or_insert([None; RACK_UNITS as usize]);
                for unit in unit_range(slot.unit, height) {
                    units[unit] = Some(record.id);
                }
            }
            Placement::Held(player) => self.hands.entry(player).or_default().push(record.id),
            Placement::InPort { switch, .. } => {
                self.modules_in.entry(switch).or_default().push(record.id)
            }
            Placement::Floor { .. } => {}
        }
        for device in cable_devices(record) {
            self.cables_on.entry(device).or_default().push(record.id);
        }
        if let Some(ip) = record.properties.ip {
            self.ips.entry(ip).or_insert(record.id);
        }
        if record.powered && !record.health.broken {
            self.powered.insert(record.id);
        }
    }

    /// Removes the relations `record` takes part in.
    pub(crate) fn unlink(&mut self, record: &ObjectRecord) {
        match record.placement {
            Placement::InRack(slot) => {
                let height = record.kind.rack_units().unwrap_or(1);
                if let Some(units) = self.racks.get_mut(&slot.rack) {
                    for unit in unit_range(slot.unit, height) {
                        if units[unit] == Some(record.id) {
                            units[unit] = None;
                        }
                    }
                }
            }
            Placement::Held(player) => remove_from(&mut self.hands, player, record.id),
            Placement::InPort { switch, .. } => {
                remove_from(&mut self.modules_in, switch, record.id)
            }
            Placement::Floor { .. } => {}
        }
        for device in cable_devices(record) {
            remove_from(&mut self.cables_on, device, record.id);
        }
        if let Some(ip) = record.properties.ip
            && self.ips.get(&ip) == Some(&record.id)
        {
            self.ips.remove(&ip);
        }
        self.powered.remove(&record.id);
    }
}

/// The relations of a [`WorldIndex`] in canonical order (see [`WorldIndex::relations`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexRelations {
    /// Every object id.
    pub objects: Vec<ObjectId>,
    /// Occupancy of every rack table.
    pub racks: Vec<(ObjectId, RackUnits)>,
    /// What each player holds.
    pub hands: Vec<(PlayerId, Vec<ObjectId>)>,
    /// Cables on each device.
    pub cables_on: Vec<(ObjectId, Vec<ObjectId>)>,
    /// Modules in each switch.
    pub modules_in: Vec<(ObjectId, Vec<ObjectId>)>,
    /// Owner of each address.
    pub ips: Vec<(Ipv4Addr, ObjectId)>,
    /// Devices that wear.
    pub running: Vec<ObjectId>,
}

/// Array indices of units `first .. first + height`, clipped to the rack.
fn unit_range(first: u8, height: u8) -> std::ops::Range<usize> {
    let start = usize::from(first.max(1)) - 1;
    let end = (start + usize::from(height)).min(usize::from(RACK_UNITS));
    start.min(end)..end
}

fn cable_devices(record: &ObjectRecord) -> impl Iterator<Item = ObjectId> {
    record
        .cable
        .into_iter()
        .flatten()
        .filter_map(|end| match end {
            CableEnd::Port { device, .. } => Some(device),
            CableEnd::Customer(_) => None,
        })
}

fn remove_from<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<ObjectId>>, key: K, id: ObjectId) {
    if let Some(list) = map.get_mut(&key) {
        if let Some(position) = list.iter().position(|x| *x == id) {
            list.swap_remove(position);
        }
        if list.is_empty() {
            map.remove(&key);
        }
    }
}
