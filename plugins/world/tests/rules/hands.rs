//! PickUp, Drop and the host-only Release.

use crate::fixture::*;
use racksync_protocol::{Action, ObjectKind, Placement, PosMm, Rejection};

fn pick(object: racksync_protocol::ObjectId) -> Action {
    Action::PickUp { object }
}

fn drop_at(object: racksync_protocol::ObjectId, pos: PosMm) -> Action {
    Action::Drop {
        object,
        pos,
        yaw: 9,
    }
}

fn release_at(object: racksync_protocol::ObjectId, pos: PosMm) -> Action {
    Action::Release {
        object,
        pos,
        yaw: 9,
    }
}

/// Every way PickUp, Drop and Release are refused.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new(
            "pick up unknown",
            as_is,
            P1,
            pick(GHOST),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "pick up what another holds",
            |w| pick_up(w, P2, &[LOOSE_1U]),
            P1,
            pick(LOOSE_1U),
            Rejection::HeldByOther(P2),
        ),
        Case::new(
            "pick up what you hold",
            |w| pick_up(w, P1, &[LOOSE_1U]),
            P1,
            pick(LOOSE_1U),
            Rejection::NotOnFloor,
        ),
        Case::new(
            "pick up a mounted server",
            as_is,
            P1,
            pick(SERVER3),
            Rejection::NotOnFloor,
        ),
        Case::new(
            "pick up an inserted module",
            as_is,
            P1,
            pick(MODULE_FREE),
            Rejection::NotOnFloor,
        ),
        Case::new(
            "pick up a connected cable",
            as_is,
            P1,
            pick(CABLE),
            Rejection::CableConnected,
        ),
        Case::new(
            "pick up a loaded rack",
            as_is,
            P1,
            pick(RACK),
            Rejection::RackNotEmpty(SERVER),
        ),
        Case::new(
            "pick up a second device",
            |w| pick_up(w, P1, &[LOOSE_1U]),
            P1,
            pick(LOOSE_3U),
            Rejection::HandFull,
        ),
        Case::new(
            "pick up a device with modules in hand",
            |w| pick_up(w, P1, &[SFPS[0]]),
            P1,
            pick(LOOSE_1U),
            Rejection::HandFull,
        ),
        Case::new(
            "pick up a module with a device in hand",
            |w| pick_up(w, P1, &[LOOSE_1U]),
            P1,
            pick(SFPS[0]),
            Rejection::HandFull,
        ),
        Case::new(
            "pick up a fifth module",
            |w| pick_up(w, P1, &SFPS[..4]),
            P1,
            pick(SFPS[4]),
            Rejection::HandFull,
        ),
        Case::new(
            "drop unknown",
            as_is,
            P1,
            drop_at(GHOST, SPOT),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "drop what is on the floor",
            as_is,
            P1,
            drop_at(LOOSE_1U, SPOT),
            Rejection::NotHeld,
        ),
        Case::new(
            "drop what is mounted",
            as_is,
            P1,
            drop_at(SERVER3, SPOT),
            Rejection::NotHeld,
        ),
        Case::new(
            "drop what another holds",
            |w| pick_up(w, P2, &[LOOSE_1U]),
            P1,
            drop_at(LOOSE_1U, SPOT),
            Rejection::HeldByOther(P2),
        ),
        Case::new(
            "drop past max x",
            |w| pick_up(w, P1, &[LOOSE_1U]),
            P1,
            drop_at(LOOSE_1U, PosMm::new(BOUNDS.max.x + 1, 0, 0)),
            Rejection::OutOfBounds,
        ),
        Case::new(
            "drop below the floor",
            |w| pick_up(w, P1, &[LOOSE_1U]),
            P1,
            drop_at(LOOSE_1U, PosMm::new(0, -1, 0)),
            Rejection::OutOfBounds,
        ),
        Case::new(
            "drop past min z",
            |w| pick_up(w, P1, &[LOOSE_1U]),
            P1,
            drop_at(LOOSE_1U, PosMm::new(0, 0, BOUNDS.min.z - 1)),
            Rejection::OutOfBounds,
        ),
        Case::new(
            "drop at extreme coordinates",
            |w| pick_up(w, P1, &[LOOSE_1U]),
            P1,
            drop_at(LOOSE_1U, PosMm::new(i32::MIN, i32::MAX, 0)),
            Rejection::OutOfBounds,
        ),
        Case::new(
            "release from a player",
            |w| pick_up(w, P2, &[LOOSE_1U]),
            P1,
            release_at(LOOSE_1U, SPOT),
            Rejection::HostOnly,
        ),
        Case::new(
            "release by the holder",
            |w| pick_up(w, P1, &[LOOSE_1U]),
            P1,
            release_at(LOOSE_1U, SPOT),
            Rejection::HostOnly,
        ),
        Case::new(
            "release unknown",
            as_is,
            HOST,
            release_at(GHOST, SPOT),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "release what nobody holds",
            as_is,
            HOST,
            release_at(LOOSE_1U, SPOT),
            Rejection::NotHeld,
        ),
        Case::new(
            "release out of bounds",
            |w| pick_up(w, P1, &[LOOSE_1U]),
            HOST,
            release_at(LOOSE_1U, PosMm::new(0, BOUNDS.max.y + 1, 0)),
            Rejection::OutOfBounds,
        ),
    ]
}

#[test]
fn every_refusal_has_its_reason() {
    run_cases(&cases());
}

#[test]
fn pick_up_puts_the_object_in_the_actors_hand_and_nothing_else() {
    let mut world = world();
    let before = get(&world, LOOSE_1U);
    let plan = accept(&mut world, P1, &pick(LOOSE_1U));
    let expected = racksync_protocol::ObjectRecord {
        placement: Placement::Held(P1),
        ..before
    };
    assert_eq!(
        plan,
        vec![racksync_world::rules::Change::Write(expected.clone())]
    );
    assert_eq!(get(&world, LOOSE_1U), expected);
    assert_eq!(
        world.resource::<racksync_world::WorldIndex>().held_by(P1),
        &[LOOSE_1U]
    );
}

#[test]
fn a_hand_takes_four_modules_and_players_have_separate_hands() {
    let mut world = world();
    pick_up(&mut world, P1, &SFPS[..4]);
    for sfp in &SFPS[..4] {
        assert_eq!(get(&world, *sfp).placement, Placement::Held(P1));
    }
    assert_eq!(ObjectKind::SfpModule.hand_capacity(), 4);
    assert_eq!(reject(&mut world, P1, &pick(SFPS[4])), Rejection::HandFull);
    // Another player's hand is empty; the host holds things too.
    pick_up(&mut world, P2, &[SFPS[4]]);
    pick_up(&mut world, HOST, &[LOOSE_1U]);
    assert_eq!(get(&world, LOOSE_1U).placement, Placement::Held(HOST));
    // Putting one down makes room again.
    accept(&mut world, P1, &drop_at(SFPS[0], SPOT));
    accept(&mut world, P1, &pick(SFPS[0]));
}

#[test]
fn empty_racks_boxes_and_loose_cables_can_be_carried() {
    for object in [
        RACK2,
        SFP_BOX,
        LOOSE_CABLE,
        LOOSE_7U,
        LOOSE_SWITCH,
        LOOSE_PANEL,
    ] {
        let mut world = world();
        accept(&mut world, P1, &pick(object));
        assert_eq!(get(&world, object).placement, Placement::Held(P1));
    }
}

#[test]
fn drop_puts_the_object_exactly_there_and_bounds_are_inclusive() {
    for pos in [
        SPOT,
        BOUNDS.min,
        BOUNDS.max,
        PosMm::new(BOUNDS.min.x, BOUNDS.max.y, 0),
    ] {
        let mut world = world();
        pick_up(&mut world, P1, &[LOOSE_3U]);
        let held = get(&world, LOOSE_3U);
        accept(
            &mut world,
            P1,
            &Action::Drop {
                object: LOOSE_3U,
                pos,
                yaw: 65_535,
            },
        );
        let expected = racksync_protocol::ObjectRecord {
            placement: Placement::Floor { pos, yaw: 65_535 },
            ..held
        };
        assert_eq!(get(&world, LOOSE_3U), expected);
        assert!(
            world
                .resource::<racksync_world::WorldIndex>()
                .held_by(P1)
                .is_empty()
        );
    }
}

#[test]
fn host_releases_whatever_any_hand_holds() {
    let mut world = world();
    pick_up(&mut world, P2, &SFPS[..2]);
    let plan = accept(&mut world, HOST, &release_at(SFPS[1], SPOT));
    assert_eq!(plan.len(), 1);
    assert_eq!(get(&world, SFPS[1]).placement, floor(SPOT, 9));
    assert_eq!(get(&world, SFPS[0]).placement, Placement::Held(P2));
    assert_eq!(
        world.resource::<racksync_world::WorldIndex>().held_by(P2),
        &[SFPS[0]]
    );
}
