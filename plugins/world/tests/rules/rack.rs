//! InstallInRack and RemoveFromRack, with the 1U/3U/7U edges of a 42-unit rack.

use crate::fixture::*;
use racksync_protocol::{Action, ObjectId, ObjectKind, Placement, Rejection};
use racksync_world::queries::occupant;
use racksync_world::rules::Change;

fn install(object: ObjectId, rack: ObjectId, unit: u8) -> Action {
    Action::InstallInRack {
        object,
        slot: slot(rack, unit),
    }
}

fn remove(object: ObjectId) -> Action {
    Action::RemoveFromRack { object }
}

fn holding_1u(w: &mut bevy_ecs::world::World) {
    pick_up(w, P1, &[LOOSE_1U]);
}

fn holding_3u(w: &mut bevy_ecs::world::World) {
    pick_up(w, P1, &[LOOSE_3U]);
}

fn holding_7u(w: &mut bevy_ecs::world::World) {
    pick_up(w, P1, &[LOOSE_7U]);
}

/// Every way InstallInRack and RemoveFromRack are refused.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new(
            "install unknown",
            as_is,
            P1,
            install(GHOST, RACK2, 1),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "install a module",
            |w| pick_up(w, P1, &[SFPS[0]]),
            P1,
            install(SFPS[0], RACK2, 1),
            Rejection::WrongKind(ObjectKind::SfpModule),
        ),
        Case::new(
            "install a cable",
            |w| pick_up(w, P1, &[LOOSE_CABLE]),
            P1,
            install(LOOSE_CABLE, RACK2, 1),
            Rejection::WrongKind(ObjectKind::Cable),
        ),
        Case::new(
            "install a rack in a rack",
            |w| pick_up(w, P1, &[RACK2]),
            P1,
            install(RACK2, RACK, 20),
            Rejection::WrongKind(ObjectKind::Rack),
        ),
        Case::new(
            "install from the floor",
            as_is,
            P1,
            install(LOOSE_1U, RACK2, 1),
            Rejection::NotHeld,
        ),
        Case::new(
            "install a mounted server again",
            as_is,
            P1,
            install(SERVER3, RACK2, 1),
            Rejection::NotHeld,
        ),
        Case::new(
            "install what another holds",
            |w| pick_up(w, P2, &[LOOSE_1U]),
            P1,
            install(LOOSE_1U, RACK2, 1),
            Rejection::HeldByOther(P2),
        ),
        Case::new(
            "install into unknown rack",
            holding_1u,
            P1,
            install(LOOSE_1U, GHOST, 1),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "install into a server",
            holding_1u,
            P1,
            install(LOOSE_1U, SERVER7, 1),
            Rejection::NotARack(SERVER7),
        ),
        Case::new(
            "install into a carried rack",
            |w| {
                pick_up(w, P2, &[RACK2]);
                pick_up(w, P1, &[LOOSE_1U]);
            },
            P1,
            install(LOOSE_1U, RACK2, 1),
            Rejection::RackNotStanding,
        ),
        Case::new(
            "install at unit 0",
            holding_1u,
            P1,
            install(LOOSE_1U, RACK2, 0),
            Rejection::OutsideRack {
                first: 0,
                height: 1,
            },
        ),
        Case::new(
            "install 1U at unit 43",
            holding_1u,
            P1,
            install(LOOSE_1U, RACK2, 43),
            Rejection::OutsideRack {
                first: 43,
                height: 1,
            },
        ),
        Case::new(
            "install 1U at unit 255",
            holding_1u,
            P1,
            install(LOOSE_1U, RACK2, 255),
            Rejection::OutsideRack {
                first: 255,
                height: 1,
            },
        ),
        Case::new(
            "install 3U at unit 41",
            holding_3u,
            P1,
            install(LOOSE_3U, RACK2, 41),
            Rejection::OutsideRack {
                first: 41,
                height: 3,
            },
        ),
        Case::new(
            "install 7U at unit 37",
            holding_7u,
            P1,
            install(LOOSE_7U, RACK2, 37),
            Rejection::OutsideRack {
                first: 37,
                height: 7,
            },
        ),
        Case::new(
            "install 1U on an occupied unit",
            holding_1u,
            P1,
            install(LOOSE_1U, RACK, 1),
            Rejection::SlotOccupied(SERVER),
        ),
        Case::new(
            "install 1U on the top unit of a 3U",
            holding_1u,
            P1,
            install(LOOSE_1U, RACK, 4),
            Rejection::SlotOccupied(SERVER3),
        ),
        Case::new(
            "install 3U whose top overlaps a 7U",
            holding_3u,
            P1,
            install(LOOSE_3U, RACK, 8),
            Rejection::SlotOccupied(SERVER7),
        ),
        Case::new(
            "install 3U whose bottom overlaps a 3U",
            holding_3u,
            P1,
            install(LOOSE_3U, RACK, 4),
            Rejection::SlotOccupied(SERVER3),
        ),
        Case::new(
            "install 7U overlapping the last unit of a 7U",
            holding_7u,
            P1,
            install(LOOSE_7U, RACK, 16),
            Rejection::SlotOccupied(SERVER7),
        ),
        Case::new(
            "install 7U under the patch panel",
            holding_7u,
            P1,
            install(LOOSE_7U, RACK, 35),
            Rejection::SlotOccupied(PANEL),
        ),
        Case::new(
            "remove unknown",
            as_is,
            P1,
            remove(GHOST),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "remove what is on the floor",
            as_is,
            P1,
            remove(LOOSE_1U),
            Rejection::NotInRack,
        ),
        Case::new(
            "remove a module",
            as_is,
            P1,
            remove(MODULE_FREE),
            Rejection::NotInRack,
        ),
        Case::new(
            "remove a cabled server",
            as_is,
            P1,
            remove(SERVER),
            Rejection::CablesAttached(CABLE),
        ),
        Case::new(
            "remove a cabled panel",
            as_is,
            P1,
            remove(PANEL),
            Rejection::CablesAttached(UPLINK),
        ),
        Case::new(
            "remove a cabled switch",
            as_is,
            P1,
            remove(SWITCH),
            Rejection::CablesAttached(CABLE),
        ),
        Case::new(
            "remove a switch with modules",
            |w| {
                pick_up(w, P1, &[LOOSE_SWITCH]);
                accept(w, P1, &install(LOOSE_SWITCH, RACK2, 1));
                pick_up(w, P1, &[SFPS[0]]);
                accept(
                    w,
                    P1,
                    &Action::InsertSfp {
                        module: SFPS[0],
                        switch: LOOSE_SWITCH,
                        port: 3,
                    },
                );
            },
            P1,
            remove(LOOSE_SWITCH),
            Rejection::ModulesInserted(SFPS[0]),
        ),
        Case::new(
            "remove into a full hand",
            holding_1u,
            P1,
            remove(SERVER3),
            Rejection::HandFull,
        ),
    ]
}

#[test]
fn every_refusal_has_its_reason() {
    run_cases(&cases());
}

/// Installs `object` (picked up from the floor by P1) at `unit` of `rack` and checks the
/// exact record and the occupancy of every unit.
fn install_exactly(world: &mut bevy_ecs::world::World, object: ObjectId, rack: ObjectId, unit: u8) {
    pick_up(world, P1, &[object]);
    let held = get(world, object);
    let plan = accept(world, P1, &install(object, rack, unit));
    let expected = racksync_protocol::ObjectRecord {
        placement: Placement::InRack(slot(rack, unit)),
        ..held
    };
    assert_eq!(plan, vec![Change::Write(expected.clone())]);
    assert_eq!(get(world, object), expected);
    let height = expected.kind.rack_units().unwrap();
    for u in 1..=42u8 {
        let inside = (unit..unit + height).contains(&u);
        assert_eq!(occupant(world, rack, u) == Some(object), inside, "unit {u}");
    }
}

#[test]
fn one_unit_devices_fit_the_bottom_and_top_units() {
    let mut world = world();
    install_exactly(&mut world, LOOSE_1U, RACK2, 1);
    install_exactly(&mut world, LOOSE_SWITCH, RACK2, 42);
    install_exactly(&mut world, LOOSE_PANEL, RACK2, 41);
}

#[test]
fn seven_unit_server_fits_at_36_and_not_at_37() {
    let mut world = world();
    pick_up(&mut world, P1, &[LOOSE_7U]);
    assert_eq!(
        reject(&mut world, P1, &install(LOOSE_7U, RACK2, 37)),
        Rejection::OutsideRack {
            first: 37,
            height: 7
        }
    );
    accept(
        &mut world,
        HOST,
        &Action::Release {
            object: LOOSE_7U,
            pos: LOOSE_SPOT,
            yaw: 100,
        },
    );
    install_exactly(&mut world, LOOSE_7U, RACK2, 36);
}

#[test]
fn three_unit_server_fits_at_40_and_not_at_41() {
    let mut world = world();
    pick_up(&mut world, P1, &[LOOSE_3U]);
    assert_eq!(
        reject(&mut world, P1, &install(LOOSE_3U, RACK2, 41)),
        Rejection::OutsideRack {
            first: 41,
            height: 3
        }
    );
    accept(
        &mut world,
        HOST,
        &Action::Release {
            object: LOOSE_3U,
            pos: LOOSE_SPOT,
            yaw: 100,
        },
    );
    install_exactly(&mut world, LOOSE_3U, RACK2, 40);
}

#[test]
fn devices_fit_exactly_between_neighbours() {
    // 3U in units 7..=9 touches nothing: the 3U below ends at 4, the 7U above starts at 10.
    let mut world = world();
    install_exactly(&mut world, LOOSE_3U, RACK, 7);
    // 7U in 17..=23, straight above the 7U at 10..=16.
    install_exactly(&mut world, LOOSE_7U, RACK, 17);
    // 1U at 5 fills the gap above the 3U at 2..=4.
    install_exactly(&mut world, LOOSE_1U, RACK, 5);
}

#[test]
fn a_seven_unit_server_fits_right_under_the_patch_panel() {
    let mut world = world();
    install_exactly(&mut world, LOOSE_7U, RACK, 34);
}

#[test]
fn remove_puts_a_powered_server_into_the_hand_switched_off() {
    let mut world = world();
    let mounted = get(&world, SERVER7);
    assert!(mounted.powered);
    let plan = accept(&mut world, P2, &remove(SERVER7));
    let expected = racksync_protocol::ObjectRecord {
        placement: Placement::Held(P2),
        powered: false,
        ..mounted
    };
    assert_eq!(plan, vec![Change::Write(expected.clone())]);
    assert_eq!(get(&world, SERVER7), expected);
    for unit in 10..=16 {
        assert_eq!(occupant(&world, RACK, unit), None);
    }
    // The units are free again for another device.
    install_exactly(&mut world, LOOSE_7U, RACK, 10);
}

#[test]
fn remove_keeps_properties_and_frees_the_units() {
    let mut world = world();
    let mounted = get(&world, SERVER3);
    accept(&mut world, P1, &remove(SERVER3));
    let held = get(&world, SERVER3);
    assert_eq!(held.properties, mounted.properties);
    assert_eq!(held.placement, Placement::Held(P1));
    accept(&mut world, P1, &install(SERVER3, RACK2, 2));
    assert_eq!(
        get(&world, SERVER3).placement,
        Placement::InRack(slot(RACK2, 2))
    );
}
