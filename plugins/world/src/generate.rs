//! Deterministic generation of large worlds for benchmarks and load tests.
//!
//! A generated world is rows of racks. Each rack has a switch at the top, a patch panel
//! below it, and servers of mixed heights filling the rest but for a few free units;
//! every server's first port is cabled to a switch port holding an SFP module, and the
//! patch panel uplinks to a customer. A few loose servers, modules and cables stand on
//! the floor for players to pick up.

use crate::save::{SAVE_FORMAT, SavedObject, WorldSave};
use racksync_protocol::{
    CableEnd, Health, ObjectId, ObjectKind, ObjectRecord, Placement, PosMm, Properties, RACK_UNITS,
    RackSlot, WorldBounds,
};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::net::Ipv4Addr;

/// Racks per row before the next row starts.
const RACKS_PER_ROW: u32 = 100;
/// Rack pitch along a row, millimetres.
const RACK_PITCH_MM: i32 = 700;
/// Distance between rows, millimetres.
const ROW_PITCH_MM: i32 = 2_500;
/// Number of customers in a generated world.
const CUSTOMERS: u32 = 16;
/// After this many mounted servers, one loose item is put on the floor.
const LOOSE_EVERY: usize = 6;

/// Generates a world of exactly `objects` objects from `seed`.
pub fn generate_world(objects: usize, seed: u64) -> WorldSave {
    let mut generator = Generator {
        rng: StdRng::seed_from_u64(seed),
        records: Vec::with_capacity(objects),
        limit: objects,
        next_ip: u32::from(Ipv4Addr::new(10, 0, 0, 1)),
        servers: 0,
    };
    generator.fill();
    WorldSave {
        format: SAVE_FORMAT,
        revision: 0,
        bounds: WorldBounds::default(),
        customers: (1..=CUSTOMERS).collect(),
        objects: generator
            .records
            .into_iter()
            .map(SavedObject::from)
            .collect(),
    }
}

struct Generator {
    rng: StdRng,
    records: Vec<ObjectRecord>,
    limit: usize,
    next_ip: u32,
    servers: usize,
}

impl Generator {
    fn full(&self) -> bool {
        self.records.len() >= self.limit
    }

    fn next_id(&self) -> ObjectId {
        ObjectId::new(0, self.records.len() as u32 + 1)
    }

    fn push(&mut self, kind: ObjectKind, placement: Placement) -> Option<ObjectId> {
        if self.full() {
            return None;
        }
        let id = self.next_id();
        let mut record = ObjectRecord {
            id,
            kind,
            placement,
            powered: false,
            health: Health::default(),
            properties: Properties::default(),
            cable: None,
        };
        if kind.is_powered_device() {
            let time_to_break = self.rng.random_range(3_600..200_000);
            record.health = Health {
                broken: false,
                time_to_break,
                eol_time: time_to_break + self.rng.random_range(0..400_000),
                warning_cleared: false,
            };
            record.powered = matches!(placement, Placement::InRack(_)) && self.rng.random_bool(0.9);
        }
        if matches!(
            kind,
            ObjectKind::Server1U | ObjectKind::Server3U | ObjectKind::Server7U
        ) && matches!(placement, Placement::InRack(_))
        {
            record.properties = Properties {
                ip: Some(Ipv4Addr::from(self.next_ip)),
                customer: Some(self.rng.random_range(1..=CUSTOMERS)),
                label: None,
                app: Some(self.rng.random_range(1..=64)),
            };
            self.next_ip += 1;
        }
        self.records.push(record);
        Some(id)
    }

    fn fill(&mut self) {
        let mut rack_number = 0u32;
        while !self.full() {
            let origin = PosMm::new(
                (rack_number % RACKS_PER_ROW) as i32 * RACK_PITCH_MM - 35_000,
                0,
                (rack_number / RACKS_PER_ROW) as i32 * ROW_PITCH_MM - 40_000,
            );
            self.rack(origin);
            rack_number += 1;
        }
    }

    fn rack(&mut self, origin: PosMm) {
        let floor = Placement::Floor {
            pos: origin,
            yaw: 0,
        };
        let Some(rack) = self.push(ObjectKind::Rack, floor) else {
            return;
        };
        let in_rack = |unit| Placement::InRack(RackSlot { rack, unit });
        let Some(switch) = self.push(ObjectKind::Switch, in_rack(RACK_UNITS)) else {
            return;
        };
        let Some(panel) = self.push(ObjectKind::PatchPanel, in_rack(RACK_UNITS - 1)) else {
            return;
        };
        let customer = self.rng.random_range(1..=CUSTOMERS);
        self.cable([
            CableEnd::Port {
                device: panel,
                port: 0,
            },
            CableEnd::Customer(customer),
        ]);
        // Servers from unit 4 upwards; units 1..=3 stay free for players to fill.
        let mut unit = 4u8;
        let mut switch_port = 0u8;
        while !self.full() {
            let kind = match self.rng.random_range(0..10) {
                0 => ObjectKind::Server7U,
                1..=3 => ObjectKind::Server3U,
                _ => ObjectKind::Server1U,
            };
            let height = kind.rack_units().expect("servers mount in racks");
            if unit + height - 1 > RACK_UNITS - 2 {
                break;
            }
            let Some(server) = self.push(kind, in_rack(unit)) else {
                return;
            };
            unit += height;
            if switch_port < ObjectKind::Switch.port_count() {
                let module = Placement::InPort {
                    switch,
                    port: switch_port,
                };
                if self.push(ObjectKind::SfpModule, module).is_none() {
                    return;
                }
                self.cable([
                    CableEnd::Port {
                        device: server,
                        port: 0,
                    },
                    CableEnd::Port {
                        device: switch,
                        port: switch_port,
                    },
                ]);
                switch_port += 1;
            }
            self.servers += 1;
            if self.servers.is_multiple_of(LOOSE_EVERY) {
                self.loose(origin);
            }
        }
    }

    fn cable(&mut self, ends: [CableEnd; 2]) {
        let before = self.records.len();
        let floor = Placement::Floor {
            pos: PosMm::new(0, 0, 0),
            yaw: 0,
        };
        if self.push(ObjectKind::Cable, floor).is_some() {
            self.records[before].cable = Some(ends);
        }
    }

    /// A loose item standing in the aisle in front of the rack.
    fn loose(&mut self, origin: PosMm) {
        let kind = match self.rng.random_range(0..8) {
            0 => ObjectKind::SfpModule,
            1 => ObjectKind::Cable,
            2 => ObjectKind::SfpBox,
            3 => ObjectKind::Server3U,
            _ => ObjectKind::Server1U,
        };
        let pos = PosMm::new(origin.x, 0, origin.z + 1_200);
        let yaw = self.rng.random_range(0..=u16::MAX);
        self.push(kind, Placement::Floor { pos, yaw });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consistency::{Holding, check_consistency};

    #[test]
    fn generates_exact_count_consistently() {
        for count in [0, 1, 2, 50, 1000] {
            let save = generate_world(count, 7);
            assert_eq!(save.objects.len(), count);
            check_consistency(
                &save.settings(),
                save.objects.iter().cloned().map(Into::into),
                Holding::Forbidden,
            )
            .unwrap();
        }
    }

    #[test]
    fn same_seed_same_world() {
        assert_eq!(generate_world(500, 3), generate_world(500, 3));
        assert_ne!(generate_world(500, 3), generate_world(500, 4));
    }
}
