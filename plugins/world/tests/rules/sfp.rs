//! InsertSfp and RemoveSfp.

use crate::fixture::*;
use racksync_protocol::{Action, ObjectId, ObjectKind, Placement, Rejection};
use racksync_world::queries::module_in_port;
use racksync_world::rules::Change;

fn insert(module: ObjectId, switch: ObjectId, port: u8) -> Action {
    Action::InsertSfp {
        module,
        switch,
        port,
    }
}

fn remove(module: ObjectId) -> Action {
    Action::RemoveSfp { module }
}

fn holding_sfp(w: &mut bevy_ecs::world::World) {
    pick_up(w, P1, &[SFPS[0]]);
}

/// Every way InsertSfp and RemoveSfp are refused.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new(
            "insert unknown",
            as_is,
            P1,
            insert(GHOST, SWITCH, 2),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "insert a box of modules",
            |w| pick_up(w, P1, &[SFP_BOX]),
            P1,
            insert(SFP_BOX, SWITCH, 2),
            Rejection::WrongKind(ObjectKind::SfpBox),
        ),
        Case::new(
            "insert a cable",
            |w| pick_up(w, P1, &[LOOSE_CABLE]),
            P1,
            insert(LOOSE_CABLE, SWITCH, 2),
            Rejection::WrongKind(ObjectKind::Cable),
        ),
        Case::new(
            "insert from the floor",
            as_is,
            P1,
            insert(SFPS[0], SWITCH, 2),
            Rejection::NotHeld,
        ),
        Case::new(
            "insert an inserted module",
            as_is,
            P1,
            insert(MODULE_FREE, SWITCH, 2),
            Rejection::NotHeld,
        ),
        Case::new(
            "insert what another holds",
            |w| pick_up(w, P2, &[SFPS[0]]),
            P1,
            insert(SFPS[0], SWITCH, 2),
            Rejection::HeldByOther(P2),
        ),
        Case::new(
            "insert into unknown",
            holding_sfp,
            P1,
            insert(SFPS[0], GHOST, 2),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "insert into a server",
            holding_sfp,
            P1,
            insert(SFPS[0], SERVER, 0),
            Rejection::NotASwitch(SERVER),
        ),
        Case::new(
            "insert into a panel",
            holding_sfp,
            P1,
            insert(SFPS[0], PANEL, 2),
            Rejection::NotASwitch(PANEL),
        ),
        Case::new(
            "insert past port 23",
            holding_sfp,
            P1,
            insert(SFPS[0], SWITCH, 24),
            Rejection::NoSuchPort {
                device: SWITCH,
                port: 24,
            },
        ),
        Case::new(
            "insert into a taken port",
            holding_sfp,
            P1,
            insert(SFPS[0], SWITCH, 1),
            Rejection::PortTaken(MODULE_FREE),
        ),
        Case::new(
            "remove unknown",
            as_is,
            P1,
            remove(GHOST),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "remove a server",
            as_is,
            P1,
            remove(SERVER),
            Rejection::WrongKind(ObjectKind::Server1U),
        ),
        Case::new(
            "remove a loose module",
            as_is,
            P1,
            remove(SFPS[0]),
            Rejection::NotInPort,
        ),
        Case::new(
            "remove a carried module",
            holding_sfp,
            P2,
            remove(SFPS[0]),
            Rejection::NotInPort,
        ),
        Case::new(
            "remove a cabled module",
            as_is,
            P1,
            remove(MODULE),
            Rejection::CablesAttached(CABLE),
        ),
        Case::new(
            "remove into a hand holding a device",
            |w| pick_up(w, P1, &[LOOSE_1U]),
            P1,
            remove(MODULE_FREE),
            Rejection::HandFull,
        ),
        Case::new(
            "remove into a hand holding four modules",
            |w| pick_up(w, P1, &SFPS[..4]),
            P1,
            remove(MODULE_FREE),
            Rejection::HandFull,
        ),
    ]
}

#[test]
fn every_refusal_has_its_reason() {
    run_cases(&cases());
}

#[test]
fn insert_puts_a_module_in_a_free_port_of_any_switch() {
    let mut world = world();
    pick_up(&mut world, P1, &SFPS[..3]);
    for (sfp, switch, port) in [
        (SFPS[0], SWITCH, 2),
        (SFPS[1], SWITCH, 23),
        (SFPS[2], LOOSE_SWITCH, 0),
    ] {
        let held = get(&world, sfp);
        let plan = accept(&mut world, P1, &insert(sfp, switch, port));
        let expected = racksync_protocol::ObjectRecord {
            placement: Placement::InPort { switch, port },
            ..held
        };
        assert_eq!(plan, vec![Change::Write(expected.clone())]);
        assert_eq!(get(&world, sfp), expected);
        assert_eq!(module_in_port(&world, switch, port), Some(sfp));
    }
}

#[test]
fn remove_takes_a_module_out_and_stacks_with_held_modules() {
    let mut world = world();
    pick_up(&mut world, P1, &SFPS[..3]);
    let inserted = get(&world, MODULE_FREE);
    let plan = accept(&mut world, P1, &remove(MODULE_FREE));
    let expected = racksync_protocol::ObjectRecord {
        placement: Placement::Held(P1),
        ..inserted
    };
    assert_eq!(plan, vec![Change::Write(expected)]);
    assert_eq!(module_in_port(&world, SWITCH, 1), None);
    // The freed port takes another module.
    accept(&mut world, P1, &insert(SFPS[0], SWITCH, 1));
}
