//! A tiny hand-made world and the checks every rule test runs.
//!
//! Layout (all ids in the host namespace 0):
//!
//! * [`RACK`] stands on the floor: [`SERVER`] (1U) at unit 1, [`SERVER3`] (3U) at 2..=4,
//!   [`SERVER7`] (7U) at 10..=16, [`PANEL`] at 41 and [`SWITCH`] at 42. Free: 5..=9 and
//!   17..=40.
//! * [`RACK2`] stands empty.
//! * [`MODULE`] sits in switch port 0, [`MODULE_FREE`] in port 1; [`CABLE`] joins
//!   server port 0 to switch port 0, [`UPLINK`] joins panel port 0 to customer 1.
//! * Loose on the floor: one of every other kind and five SFP modules ([`SFPS`]).

use bevy_ecs::world::World;
use racksync_protocol::{
    Action, CableEnd, Health, ObjectId, ObjectKind, ObjectRecord, Placement, PlayerId, PosMm,
    Properties, RackSlot, Rejection, WorldBounds, WorldSettings,
};
use racksync_world::consistency::Holding;
use racksync_world::rules::{self, Plan};
use racksync_world::{
    NetObject, ObjectHash, ReadObjects, Settings, WorldIndex, WorldObjects, check_consistency,
    object_hash,
};
use std::net::Ipv4Addr;

/// A player.
pub const P1: PlayerId = PlayerId(1);
/// Another player.
pub const P2: PlayerId = PlayerId(2);
/// The host.
pub const HOST: PlayerId = PlayerId::HOST;

/// An id in the host namespace.
pub const fn id(serial: u32) -> ObjectId {
    ObjectId::new(0, serial)
}

/// The populated rack.
pub const RACK: ObjectId = id(1);
/// An empty standing rack.
pub const RACK2: ObjectId = id(2);
/// Switch at unit 42 of [`RACK`], powered.
pub const SWITCH: ObjectId = id(10);
/// Patch panel at unit 41 of [`RACK`].
pub const PANEL: ObjectId = id(11);
/// 1U server at unit 1 of [`RACK`], powered, 10.0.0.1, customer 1, cabled.
pub const SERVER: ObjectId = id(12);
/// 3U server at units 2..=4 of [`RACK`], off, 10.0.0.2, no cables.
pub const SERVER3: ObjectId = id(13);
/// 7U server at units 10..=16 of [`RACK`], powered, no cables.
pub const SERVER7: ObjectId = id(14);
/// SFP module in [`SWITCH`] port 0 (with [`CABLE`] on that port).
pub const MODULE: ObjectId = id(20);
/// Cable from [`SERVER`] port 0 to [`SWITCH`] port 0.
pub const CABLE: ObjectId = id(21);
/// Cable from [`PANEL`] port 0 to customer 1.
pub const UPLINK: ObjectId = id(22);
/// SFP module in [`SWITCH`] port 1, no cable.
pub const MODULE_FREE: ObjectId = id(23);
/// Loose 1U server.
pub const LOOSE_1U: ObjectId = id(30);
/// Loose 3U server.
pub const LOOSE_3U: ObjectId = id(31);
/// Loose 7U server.
pub const LOOSE_7U: ObjectId = id(32);
/// Loose switch.
pub const LOOSE_SWITCH: ObjectId = id(33);
/// Loose patch panel.
pub const LOOSE_PANEL: ObjectId = id(34);
/// Loose cable.
pub const LOOSE_CABLE: ObjectId = id(35);
/// Loose box of SFP modules.
pub const SFP_BOX: ObjectId = id(36);
/// Five loose SFP modules.
pub const SFPS: [ObjectId; 5] = [id(40), id(41), id(42), id(43), id(44)];
/// An id nothing has.
pub const GHOST: ObjectId = id(999);

/// The world's customers.
pub const CUSTOMERS: [u32; 3] = [1, 2, 7];
/// A spot on the floor inside the bounds.
pub const SPOT: PosMm = PosMm::new(2_000, 0, 3_000);
/// Where the loose objects stand.
pub const LOOSE_SPOT: PosMm = PosMm::new(-1_500, 0, 800);
/// The world bounds.
pub const BOUNDS: WorldBounds = WorldBounds {
    min: PosMm::new(-10_000, 0, -10_000),
    max: PosMm::new(10_000, 4_000, 10_000),
};

/// Health of the fixture's devices: far from breaking.
pub const FRESH: Health = Health {
    broken: false,
    time_to_break: 100_000,
    eol_time: 500_000,
    warning_cleared: false,
};

/// A rack slot.
pub const fn slot(rack: ObjectId, unit: u8) -> RackSlot {
    RackSlot { rack, unit }
}

/// A device port cable end.
pub const fn port(device: ObjectId, port: u8) -> CableEnd {
    CableEnd::Port { device, port }
}

/// A floor placement.
pub const fn floor(pos: PosMm, yaw: u16) -> Placement {
    Placement::Floor { pos, yaw }
}

fn object(id: ObjectId, kind: ObjectKind, placement: Placement) -> ObjectRecord {
    ObjectRecord {
        id,
        kind,
        placement,
        powered: false,
        health: if kind.is_powered_device() {
            FRESH
        } else {
            Health::default()
        },
        properties: Properties::default(),
        cable: None,
    }
}

fn in_rack(
    id: ObjectId,
    kind: ObjectKind,
    rack: ObjectId,
    unit: u8,
    powered: bool,
) -> ObjectRecord {
    ObjectRecord {
        powered,
        ..object(id, kind, Placement::InRack(slot(rack, unit)))
    }
}

fn cable(id: ObjectId, ends: [CableEnd; 2]) -> ObjectRecord {
    ObjectRecord {
        cable: Some(ends),
        ..object(id, ObjectKind::Cable, rules::ROUTED_CABLE)
    }
}

/// Every object of the fixture world.
pub fn records() -> Vec<ObjectRecord> {
    let loose = floor(LOOSE_SPOT, 100);
    let mut server = in_rack(SERVER, ObjectKind::Server1U, RACK, 1, true);
    server.properties = Properties {
        ip: Some(Ipv4Addr::new(10, 0, 0, 1)),
        customer: Some(1),
        label: Some("web-1".into()),
        app: Some(5),
    };
    let mut server3 = in_rack(SERVER3, ObjectKind::Server3U, RACK, 2, false);
    server3.properties.ip = Some(Ipv4Addr::new(10, 0, 0, 2));
    let mut records = vec![
        object(RACK, ObjectKind::Rack, floor(PosMm::new(0, 0, 0), 0)),
        object(RACK2, ObjectKind::Rack, floor(PosMm::new(700, 0, 0), 0)),
        in_rack(SWITCH, ObjectKind::Switch, RACK, 42, true),
        in_rack(PANEL, ObjectKind::PatchPanel, RACK, 41, false),
        server,
        server3,
        in_rack(SERVER7, ObjectKind::Server7U, RACK, 10, true),
        object(
            MODULE,
            ObjectKind::SfpModule,
            Placement::InPort {
                switch: SWITCH,
                port: 0,
            },
        ),
        cable(CABLE, [port(SERVER, 0), port(SWITCH, 0)]),
        cable(UPLINK, [port(PANEL, 0), CableEnd::Customer(1)]),
        object(
            MODULE_FREE,
            ObjectKind::SfpModule,
            Placement::InPort {
                switch: SWITCH,
                port: 1,
            },
        ),
        object(LOOSE_1U, ObjectKind::Server1U, loose),
        object(LOOSE_3U, ObjectKind::Server3U, loose),
        object(LOOSE_7U, ObjectKind::Server7U, loose),
        object(LOOSE_SWITCH, ObjectKind::Switch, loose),
        object(LOOSE_PANEL, ObjectKind::PatchPanel, loose),
        object(LOOSE_CABLE, ObjectKind::Cable, loose),
        object(SFP_BOX, ObjectKind::SfpBox, loose),
    ];
    records.extend(SFPS.map(|sfp| object(sfp, ObjectKind::SfpModule, loose)));
    records
}

/// The fixture world in a plain Bevy `World`.
pub fn world() -> World {
    let mut world = World::new();
    world.init_world_resources();
    world.resource_mut::<Settings>().0 = WorldSettings {
        bounds: BOUNDS,
        customers: CUSTOMERS.to_vec(),
    };
    for record in records() {
        world.spawn_object(record).expect("fixture ids are unique");
    }
    assert_invariants(&world);
    world
}

/// The current record of an object that must exist.
pub fn get(world: &World, id: ObjectId) -> ObjectRecord {
    world
        .object(id)
        .unwrap_or_else(|| panic!("object {id} exists"))
}

/// Replaces an object's state directly (for states no action reaches quickly).
pub fn edit(world: &mut World, id: ObjectId, change: impl FnOnce(&mut ObjectRecord)) {
    let mut record = get(world, id);
    change(&mut record);
    world.write_object(record);
    assert_invariants(world);
}

/// Performs a legal action: `validate` must agree with `apply`, the plan must be what was
/// written, the world must change, and every invariant must hold afterwards.
pub fn accept(world: &mut World, actor: PlayerId, action: &Action) -> Plan {
    let before = world.objects_sorted();
    let planned = rules::plan(world, actor, action);
    assert_eq!(
        rules::validate(world, actor, action),
        planned.as_ref().map(drop).map_err(|r| *r),
        "validate disagrees with plan for {action:?}"
    );
    let applied = rules::apply(world, actor, action)
        .unwrap_or_else(|rejection| panic!("{actor} {action:?} rejected: {rejection}"));
    assert_eq!(
        Ok(&applied),
        planned.as_ref(),
        "apply differs from the plan"
    );
    for change in &applied {
        match change {
            rules::Change::Write(record) => {
                assert_eq!(world.object(record.id).as_ref(), Some(record))
            }
            rules::Change::Remove(id) => assert_eq!(world.object(*id), None),
        }
    }
    assert_ne!(
        world.objects_sorted(),
        before,
        "an accepted {action:?} changed nothing"
    );
    assert_invariants(world);
    applied
}

/// Performs an illegal action: `validate` and `apply` must refuse it with the same reason
/// and nothing may change. Returns the reason.
pub fn reject(world: &mut World, actor: PlayerId, action: &Action) -> Rejection {
    let before = world.objects_sorted();
    let digest = world.digest();
    let validated = rules::validate(world, actor, action)
        .expect_err(&format!("{actor} {action:?} should be rejected"));
    let applied =
        rules::apply(world, actor, action).expect_err("apply accepted what validate refused");
    assert_eq!(
        validated, applied,
        "validate and apply disagree on {action:?}"
    );
    assert_eq!(
        world.objects_sorted(),
        before,
        "a rejected {action:?} changed the world"
    );
    assert_eq!(
        world.digest(),
        digest,
        "a rejected {action:?} changed the digest"
    );
    assert_invariants(world);
    applied
}

/// Consistency, the incremental digest, per-object hashes and the index all agree with a
/// from-scratch recomputation.
pub fn assert_invariants(world: &World) {
    let settings = world.resource::<Settings>().0.clone();
    if let Err(error) = check_consistency(
        &settings,
        world.objects_sorted().into_iter(),
        Holding::Allowed,
    ) {
        panic!("world inconsistent: {error}");
    }
    assert_eq!(
        world.digest(),
        world.recompute_digest(),
        "incremental digest drifted"
    );
    let mut cached = world
        .try_query::<(&NetObject, &ObjectHash)>()
        .expect("components registered");
    for (object, hash) in cached.iter(world) {
        assert_eq!(
            hash.0,
            object_hash(&get(world, object.id)),
            "stale hash of {}",
            object.id
        );
    }
    let mut fresh = World::new();
    fresh
        .load_snapshot(world.snapshot_body(), Default::default())
        .expect("a live world reloads");
    assert_eq!(
        world.resource::<WorldIndex>().relations(),
        fresh.resource::<WorldIndex>().relations(),
        "incremental index drifted from a rebuild"
    );
}

/// One illegal action in a prepared world and the exact reason it must be refused.
pub struct Case {
    /// What the case shows.
    pub name: &'static str,
    /// Brings the fixture world into the case's state.
    pub setup: fn(&mut World),
    /// Who acts.
    pub actor: PlayerId,
    /// What they try.
    pub action: Action,
    /// Why it must be refused.
    pub expected: Rejection,
}

impl Case {
    /// A case.
    pub fn new(
        name: &'static str,
        setup: fn(&mut World),
        actor: PlayerId,
        action: Action,
        expected: Rejection,
    ) -> Self {
        Self {
            name,
            setup,
            actor,
            action,
            expected,
        }
    }
}

/// Leaves the fixture as it is.
pub fn as_is(_: &mut World) {}

/// Runs every case on a fresh fixture, asserting the exact rejection and no change.
pub fn run_cases(cases: &[Case]) {
    for case in cases {
        let mut world = world();
        (case.setup)(&mut world);
        let got = reject(&mut world, case.actor, &case.action);
        assert_eq!(got, case.expected, "case `{}`", case.name);
    }
}

/// `actor` picks up each of `objects` (which must be on the floor).
pub fn pick_up(world: &mut World, actor: PlayerId, objects: &[ObjectId]) {
    for object in objects {
        accept(world, actor, &Action::PickUp { object: *object });
    }
}
