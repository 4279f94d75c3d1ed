//! Spawn and Destroy.

use crate::fixture::*;
use racksync_protocol::{
    Action, ObjectId, ObjectKind, ObjectRecord, Placement, PlayerId, PosMm, Properties, Rejection,
};
use racksync_world::rules::Change;
use racksync_world::rules::health::new_health;
use racksync_world::{ReadObjects, WorldIndex};

fn spawn(object: ObjectId, kind: ObjectKind, pos: PosMm) -> Action {
    Action::Spawn {
        object,
        kind,
        pos,
        yaw: 77,
    }
}

fn destroy(object: ObjectId) -> Action {
    Action::Destroy { object }
}

/// Every way Spawn and Destroy are refused.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new(
            "spawn in another player's namespace",
            as_is,
            P1,
            spawn(ObjectId::new(2, 1), ObjectKind::Server1U, SPOT),
            Rejection::WrongNamespace,
        ),
        Case::new(
            "spawn in the host's namespace",
            as_is,
            P1,
            spawn(ObjectId::new(0, 500), ObjectKind::Server1U, SPOT),
            Rejection::WrongNamespace,
        ),
        Case::new(
            "host spawns in a player's namespace",
            as_is,
            HOST,
            spawn(ObjectId::new(1, 1), ObjectKind::Server1U, SPOT),
            Rejection::WrongNamespace,
        ),
        Case::new(
            "spawn serial zero",
            as_is,
            P1,
            spawn(ObjectId::new(1, 0), ObjectKind::Server1U, SPOT),
            Rejection::WrongNamespace,
        ),
        Case::new(
            "spawn a taken id",
            as_is,
            HOST,
            spawn(SERVER, ObjectKind::Server1U, SPOT),
            Rejection::IdTaken(SERVER),
        ),
        Case::new(
            "spawn an id spawned before",
            |w| {
                accept(w, P1, &spawn(ObjectId::new(1, 3), ObjectKind::Cable, SPOT));
            },
            P1,
            spawn(ObjectId::new(1, 3), ObjectKind::Rack, SPOT),
            Rejection::IdTaken(ObjectId::new(1, 3)),
        ),
        Case::new(
            "spawn out of bounds",
            as_is,
            P1,
            spawn(
                ObjectId::new(1, 1),
                ObjectKind::Server1U,
                PosMm::new(0, 0, BOUNDS.max.z + 1),
            ),
            Rejection::OutOfBounds,
        ),
        Case::new(
            "destroy unknown",
            as_is,
            P1,
            destroy(GHOST),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "destroy a mounted server",
            as_is,
            P1,
            destroy(SERVER3),
            Rejection::NotOnFloor,
        ),
        Case::new(
            "destroy an inserted module",
            as_is,
            P1,
            destroy(MODULE_FREE),
            Rejection::NotOnFloor,
        ),
        Case::new(
            "destroy what another holds",
            |w| pick_up(w, P2, &[LOOSE_1U]),
            P1,
            destroy(LOOSE_1U),
            Rejection::HeldByOther(P2),
        ),
        Case::new(
            "destroy a connected cable",
            as_is,
            P1,
            destroy(UPLINK),
            Rejection::CableConnected,
        ),
        Case::new(
            "destroy a loaded rack",
            as_is,
            P1,
            destroy(RACK),
            Rejection::RackNotEmpty(SERVER),
        ),
        Case::new(
            "destroy a switch with modules",
            |w| {
                pick_up(w, P1, &[SFPS[0]]);
                accept(
                    w,
                    P1,
                    &Action::InsertSfp {
                        module: SFPS[0],
                        switch: LOOSE_SWITCH,
                        port: 5,
                    },
                );
            },
            P2,
            destroy(LOOSE_SWITCH),
            Rejection::ModulesInserted(SFPS[0]),
        ),
    ]
}

#[test]
fn every_refusal_has_its_reason() {
    run_cases(&cases());
}

#[test]
fn spawn_creates_a_fresh_object_on_the_floor() {
    for (actor, id, kind) in [
        (P1, ObjectId::new(1, 1), ObjectKind::Server3U),
        (P2, ObjectId::new(2, 1_000), ObjectKind::SfpModule),
        (PlayerId(4095), ObjectId::new(4095, 1), ObjectKind::Rack),
        (HOST, ObjectId::new(0, 1_000), ObjectKind::Switch),
    ] {
        let mut world = world();
        let count = world.digest().objects();
        let plan = accept(&mut world, actor, &spawn(id, kind, BOUNDS.max));
        let expected = ObjectRecord {
            id,
            kind,
            placement: Placement::Floor {
                pos: BOUNDS.max,
                yaw: 77,
            },
            powered: false,
            health: new_health(kind),
            properties: Properties::default(),
            cable: None,
        };
        assert_eq!(plan, vec![Change::Write(expected.clone())]);
        assert_eq!(get(&world, id), expected);
        assert_eq!(world.digest().objects(), count + 1);
        assert_eq!(
            world.resource::<WorldIndex>().next_serial(id.namespace()),
            id.serial() + 1
        );
        assert_eq!(expected.health.time_to_break > 0, kind.is_powered_device());
    }
}

#[test]
fn a_spawned_rack_takes_devices() {
    let mut world = world();
    let rack = ObjectId::new(1, 1);
    accept(&mut world, P1, &spawn(rack, ObjectKind::Rack, SPOT));
    pick_up(&mut world, P1, &[LOOSE_7U]);
    accept(
        &mut world,
        P1,
        &Action::InstallInRack {
            object: LOOSE_7U,
            slot: slot(rack, 36),
        },
    );
}

#[test]
fn destroy_removes_floor_and_own_objects_from_the_world() {
    for (setup, object) in [
        (as_is as fn(&mut bevy_ecs::world::World), LOOSE_1U),
        (as_is, LOOSE_CABLE),
        (as_is, RACK2),
        (
            |w: &mut bevy_ecs::world::World| pick_up(w, P1, &[SFPS[2]]),
            SFPS[2],
        ),
        (
            |w: &mut bevy_ecs::world::World| pick_up(w, P1, &[LOOSE_SWITCH]),
            LOOSE_SWITCH,
        ),
    ] {
        let mut world = world();
        setup(&mut world);
        let count = world.digest().objects();
        let plan = accept(&mut world, P1, &destroy(object));
        assert_eq!(plan, vec![Change::Remove(object)]);
        assert_eq!(world.object(object), None);
        assert_eq!(world.digest().objects(), count - 1);
        assert!(world.resource::<WorldIndex>().held_by(P1).is_empty());
        assert_eq!(
            reject(&mut world, P1, &destroy(object)),
            Rejection::UnknownObject(object)
        );
    }
}

#[test]
fn destroying_a_rack_frees_nothing_else_and_an_empty_rack_can_go() {
    let mut world = world();
    accept(&mut world, P1, &destroy(RACK2));
    // A device cannot be installed into a rack that is gone.
    pick_up(&mut world, P1, &[LOOSE_1U]);
    assert_eq!(
        reject(
            &mut world,
            P1,
            &Action::InstallInRack {
                object: LOOSE_1U,
                slot: slot(RACK2, 1)
            }
        ),
        Rejection::UnknownObject(RACK2)
    );
}
