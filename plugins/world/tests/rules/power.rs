//! SetPower: only installed, working servers and switches.

use crate::fixture::*;
use racksync_protocol::{Action, ObjectId, ObjectKind, Rejection};
use racksync_world::WorldIndex;
use racksync_world::rules::Change;

fn power(object: ObjectId, on: bool) -> Action {
    Action::SetPower { object, on }
}

/// Every way SetPower is refused.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new(
            "power unknown",
            as_is,
            P1,
            power(GHOST, true),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "power a rack",
            as_is,
            P1,
            power(RACK, true),
            Rejection::WrongKind(ObjectKind::Rack),
        ),
        Case::new(
            "power a patch panel",
            as_is,
            P1,
            power(PANEL, true),
            Rejection::WrongKind(ObjectKind::PatchPanel),
        ),
        Case::new(
            "power a cable",
            as_is,
            P1,
            power(CABLE, true),
            Rejection::WrongKind(ObjectKind::Cable),
        ),
        Case::new(
            "power a module",
            as_is,
            P1,
            power(MODULE, true),
            Rejection::WrongKind(ObjectKind::SfpModule),
        ),
        Case::new(
            "power a loose server",
            as_is,
            P1,
            power(LOOSE_1U, true),
            Rejection::NotInRack,
        ),
        Case::new(
            "power a carried switch",
            |w| pick_up(w, P1, &[LOOSE_SWITCH]),
            P1,
            power(LOOSE_SWITCH, true),
            Rejection::NotInRack,
        ),
        Case::new(
            "power on what is on",
            as_is,
            P1,
            power(SERVER, true),
            Rejection::NoChange,
        ),
        Case::new(
            "power off what is off",
            as_is,
            P1,
            power(SERVER3, false),
            Rejection::NoChange,
        ),
        Case::new(
            "power on a broken server",
            |w| edit(w, SERVER3, |r| r.health.broken = true),
            P1,
            power(SERVER3, true),
            Rejection::DeviceBroken,
        ),
    ]
}

#[test]
fn every_refusal_has_its_reason() {
    run_cases(&cases());
}

#[test]
fn power_flips_only_the_switch_and_the_running_set() {
    let mut world = world();
    let off = get(&world, SERVER3);
    let plan = accept(&mut world, P1, &power(SERVER3, true));
    let on = racksync_protocol::ObjectRecord {
        powered: true,
        ..off.clone()
    };
    assert_eq!(plan, vec![Change::Write(on.clone())]);
    assert_eq!(get(&world, SERVER3), on);
    let running: Vec<ObjectId> = world.resource::<WorldIndex>().running().collect();
    assert_eq!(running, vec![SWITCH, SERVER, SERVER3, SERVER7]);
    accept(&mut world, P2, &power(SERVER3, false));
    assert_eq!(get(&world, SERVER3), off);
    accept(&mut world, P2, &power(SWITCH, false));
    let running: Vec<ObjectId> = world.resource::<WorldIndex>().running().collect();
    assert_eq!(running, vec![SERVER, SERVER7]);
}

#[test]
fn a_broken_device_can_still_be_switched_off() {
    let mut world = world();
    edit(&mut world, SERVER7, |r| r.health.broken = true);
    accept(&mut world, P1, &power(SERVER7, false));
    assert!(!get(&world, SERVER7).powered);
    assert_eq!(
        reject(&mut world, P1, &power(SERVER7, true)),
        Rejection::DeviceBroken
    );
}
