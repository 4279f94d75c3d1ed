//! ConnectCable and DisconnectCable.

use crate::fixture::*;
use racksync_protocol::{Action, CableEnd, ObjectId, ObjectKind, Placement, Rejection};
use racksync_world::WorldIndex;
use racksync_world::queries::cable_on_port;
use racksync_world::rules::{Change, ROUTED_CABLE};

fn connect(cable: ObjectId, ends: [CableEnd; 2]) -> Action {
    Action::ConnectCable { cable, ends }
}

fn disconnect(cable: ObjectId) -> Action {
    Action::DisconnectCable { cable }
}

fn holding_cable(w: &mut bevy_ecs::world::World) {
    pick_up(w, P1, &[LOOSE_CABLE]);
}

/// A free server port to switch port 1 (which holds [`MODULE_FREE`]).
const GOOD: [CableEnd; 2] = [port(SERVER, 1), port(SWITCH, 1)];

/// Every way ConnectCable and DisconnectCable are refused.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new(
            "connect unknown",
            as_is,
            P1,
            connect(GHOST, GOOD),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "connect a server",
            |w| pick_up(w, P1, &[LOOSE_1U]),
            P1,
            connect(LOOSE_1U, GOOD),
            Rejection::WrongKind(ObjectKind::Server1U),
        ),
        Case::new(
            "connect a connected cable",
            as_is,
            P1,
            connect(CABLE, GOOD),
            Rejection::CableConnected,
        ),
        Case::new(
            "connect from the floor",
            as_is,
            P1,
            connect(LOOSE_CABLE, GOOD),
            Rejection::NotHeld,
        ),
        Case::new(
            "connect what another holds",
            |w| pick_up(w, P2, &[LOOSE_CABLE]),
            P1,
            connect(LOOSE_CABLE, GOOD),
            Rejection::HeldByOther(P2),
        ),
        Case::new(
            "both ends on one port",
            holding_cable,
            P1,
            connect(LOOSE_CABLE, [port(SERVER, 1), port(SERVER, 1)]),
            Rejection::SameEndpoints,
        ),
        Case::new(
            "both ends at one customer",
            holding_cable,
            P1,
            connect(LOOSE_CABLE, [CableEnd::Customer(2), CableEnd::Customer(2)]),
            Rejection::SameEndpoints,
        ),
        Case::new(
            "end on unknown device",
            holding_cable,
            P1,
            connect(LOOSE_CABLE, [port(SERVER, 1), port(GHOST, 0)]),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "port past a 1U server's two",
            holding_cable,
            P1,
            connect(LOOSE_CABLE, [port(SERVER, 2), port(SWITCH, 1)]),
            Rejection::NoSuchPort {
                device: SERVER,
                port: 2,
            },
        ),
        Case::new(
            "port past a switch's 24",
            holding_cable,
            P1,
            connect(LOOSE_CABLE, [port(SERVER, 1), port(SWITCH, 24)]),
            Rejection::NoSuchPort {
                device: SWITCH,
                port: 24,
            },
        ),
        Case::new(
            "port on a rack",
            holding_cable,
            P1,
            connect(LOOSE_CABLE, [port(RACK, 0), port(SWITCH, 1)]),
            Rejection::NoSuchPort {
                device: RACK,
                port: 0,
            },
        ),
        Case::new(
            "port on a module",
            holding_cable,
            P1,
            connect(LOOSE_CABLE, [port(SERVER, 1), port(MODULE_FREE, 0)]),
            Rejection::NoSuchPort {
                device: MODULE_FREE,
                port: 0,
            },
        ),
        Case::new(
            "end on a loose server",
            holding_cable,
            P1,
            connect(LOOSE_CABLE, [port(LOOSE_1U, 0), port(SWITCH, 1)]),
            Rejection::NotInstalled(LOOSE_1U),
        ),
        Case::new(
            "end on a carried switch",
            |w| {
                pick_up(w, P2, &[LOOSE_SWITCH]);
                pick_up(w, P1, &[LOOSE_CABLE]);
            },
            P1,
            connect(LOOSE_CABLE, [port(SERVER, 1), port(LOOSE_SWITCH, 0)]),
            Rejection::NotInstalled(LOOSE_SWITCH),
        ),
        Case::new(
            "server port already cabled",
            holding_cable,
            P1,
            connect(LOOSE_CABLE, [port(SERVER, 0), port(SWITCH, 1)]),
            Rejection::PortTaken(CABLE),
        ),
        Case::new(
            "switch port already cabled",
            holding_cable,
            P1,
            connect(LOOSE_CABLE, [port(SERVER, 1), port(SWITCH, 0)]),
            Rejection::PortTaken(CABLE),
        ),
        Case::new(
            "panel port already cabled",
            holding_cable,
            P1,
            connect(LOOSE_CABLE, [port(PANEL, 0), CableEnd::Customer(2)]),
            Rejection::PortTaken(UPLINK),
        ),
        Case::new(
            "switch port without a module",
            holding_cable,
            P1,
            connect(LOOSE_CABLE, [port(SERVER, 1), port(SWITCH, 2)]),
            Rejection::NoModule {
                switch: SWITCH,
                port: 2,
            },
        ),
        Case::new(
            "unknown customer end",
            holding_cable,
            P1,
            connect(LOOSE_CABLE, [port(PANEL, 1), CableEnd::Customer(4)]),
            Rejection::UnknownCustomer(4),
        ),
        Case::new(
            "disconnect unknown",
            as_is,
            P1,
            disconnect(GHOST),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "disconnect a server",
            as_is,
            P1,
            disconnect(SERVER),
            Rejection::WrongKind(ObjectKind::Server1U),
        ),
        Case::new(
            "disconnect a loose cable",
            as_is,
            P1,
            disconnect(LOOSE_CABLE),
            Rejection::CableNotConnected,
        ),
        Case::new(
            "disconnect a carried cable",
            holding_cable,
            P2,
            disconnect(LOOSE_CABLE),
            Rejection::CableNotConnected,
        ),
        Case::new(
            "disconnect into a full hand",
            |w| pick_up(w, P1, &[LOOSE_CABLE]),
            P1,
            disconnect(CABLE),
            Rejection::HandFull,
        ),
    ]
}

#[test]
fn every_refusal_has_its_reason() {
    run_cases(&cases());
}

#[test]
fn connect_routes_the_cable_between_its_ends() {
    let mut world = world();
    pick_up(&mut world, P1, &[LOOSE_CABLE]);
    let held = get(&world, LOOSE_CABLE);
    let plan = accept(&mut world, P1, &connect(LOOSE_CABLE, GOOD));
    let expected = racksync_protocol::ObjectRecord {
        placement: ROUTED_CABLE,
        cable: Some(GOOD),
        ..held
    };
    assert_eq!(plan, vec![Change::Write(expected.clone())]);
    assert_eq!(get(&world, LOOSE_CABLE), expected);
    assert_eq!(cable_on_port(&world, SERVER, 1), Some(LOOSE_CABLE));
    assert_eq!(cable_on_port(&world, SWITCH, 1), Some(LOOSE_CABLE));
    assert!(world.resource::<WorldIndex>().held_by(P1).is_empty());
    // Both devices are now held in place by it, and so is the module.
    assert_eq!(
        reject(
            &mut world,
            P2,
            &Action::RemoveSfp {
                module: MODULE_FREE
            }
        ),
        Rejection::CablesAttached(LOOSE_CABLE)
    );
}

#[test]
fn a_cable_can_join_a_panel_to_a_customer_or_two_ports_of_one_device() {
    let mut world = world();
    pick_up(&mut world, P1, &[LOOSE_CABLE]);
    accept(
        &mut world,
        P1,
        &connect(LOOSE_CABLE, [CableEnd::Customer(7), port(PANEL, 23)]),
    );
    accept(&mut world, P1, &disconnect(LOOSE_CABLE));
    accept(
        &mut world,
        P1,
        &connect(LOOSE_CABLE, [port(SERVER7, 0), port(SERVER7, 7)]),
    );
    assert_eq!(
        world.resource::<WorldIndex>().cables_on(SERVER7),
        &[LOOSE_CABLE, LOOSE_CABLE]
    );
    assert_eq!(
        reject(&mut world, P1, &Action::RemoveFromRack { object: SERVER7 }),
        Rejection::CablesAttached(LOOSE_CABLE)
    );
}

#[test]
fn disconnect_puts_the_cable_in_the_hand_and_frees_both_ports() {
    let mut world = world();
    let connected = get(&world, CABLE);
    let plan = accept(&mut world, P2, &disconnect(CABLE));
    let expected = racksync_protocol::ObjectRecord {
        placement: Placement::Held(P2),
        cable: None,
        ..connected
    };
    assert_eq!(plan, vec![Change::Write(expected.clone())]);
    assert_eq!(get(&world, CABLE), expected);
    assert_eq!(cable_on_port(&world, SERVER, 0), None);
    assert_eq!(cable_on_port(&world, SWITCH, 0), None);
    // The server can now leave its rack and the module its port.
    accept(&mut world, P1, &Action::RemoveSfp { module: MODULE });
    accept(
        &mut world,
        HOST,
        &Action::Release {
            object: MODULE,
            pos: SPOT,
            yaw: 0,
        },
    );
    accept(&mut world, P1, &Action::RemoveFromRack { object: SERVER });
}
