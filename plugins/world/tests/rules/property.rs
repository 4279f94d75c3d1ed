//! SetProperty: whitelisted keys per kind, usable unique addresses, known customers,
//! short printable labels.

use crate::fixture::*;
use racksync_protocol::{Action, MAX_LABEL_BYTES, ObjectId, ObjectKind, Property, Rejection};
use racksync_world::WorldIndex;
use racksync_world::rules::Change;
use std::net::Ipv4Addr;

fn set(object: ObjectId, value: Property) -> Action {
    Action::SetProperty { object, value }
}

fn ip(a: u8, b: u8, c: u8, d: u8) -> Property {
    Property::Ip(Some(Ipv4Addr::new(a, b, c, d)))
}

fn label(text: &str) -> Property {
    Property::Label(Some(text.to_string()))
}

/// Every way SetProperty is refused.
pub fn cases() -> Vec<Case> {
    let mut cases = vec![
        Case::new(
            "set on unknown",
            as_is,
            P1,
            set(GHOST, Property::App(Some(1))),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "address on a patch panel",
            as_is,
            P1,
            set(PANEL, ip(10, 1, 1, 1)),
            Rejection::WrongKind(ObjectKind::PatchPanel),
        ),
        Case::new(
            "address on a rack",
            as_is,
            P1,
            set(RACK, ip(10, 1, 1, 1)),
            Rejection::WrongKind(ObjectKind::Rack),
        ),
        Case::new(
            "customer on a switch",
            as_is,
            P1,
            set(SWITCH, Property::Customer(Some(1))),
            Rejection::WrongKind(ObjectKind::Switch),
        ),
        Case::new(
            "app on a switch",
            as_is,
            P1,
            set(SWITCH, Property::App(Some(1))),
            Rejection::WrongKind(ObjectKind::Switch),
        ),
        Case::new(
            "app on a patch panel",
            as_is,
            P1,
            set(PANEL, Property::App(Some(1))),
            Rejection::WrongKind(ObjectKind::PatchPanel),
        ),
        Case::new(
            "customer on a cable",
            as_is,
            P1,
            set(LOOSE_CABLE, Property::Customer(Some(1))),
            Rejection::WrongKind(ObjectKind::Cable),
        ),
        Case::new(
            "address taken by another device",
            as_is,
            P1,
            set(SERVER3, ip(10, 0, 0, 1)),
            Rejection::DuplicateIp(SERVER),
        ),
        Case::new(
            "address taken, even while the setter has none",
            as_is,
            P1,
            set(SWITCH, ip(10, 0, 0, 2)),
            Rejection::DuplicateIp(SERVER3),
        ),
        Case::new(
            "same address again",
            as_is,
            P1,
            set(SERVER, ip(10, 0, 0, 1)),
            Rejection::NoChange,
        ),
        Case::new(
            "clear an absent address",
            as_is,
            P1,
            set(SWITCH, Property::Ip(None)),
            Rejection::NoChange,
        ),
        Case::new(
            "unknown customer",
            as_is,
            P1,
            set(SERVER3, Property::Customer(Some(3))),
            Rejection::UnknownCustomer(3),
        ),
        Case::new(
            "customer past the last",
            as_is,
            P1,
            set(PANEL, Property::Customer(Some(8))),
            Rejection::UnknownCustomer(8),
        ),
        Case::new(
            "same customer again",
            as_is,
            P1,
            set(SERVER, Property::Customer(Some(1))),
            Rejection::NoChange,
        ),
        Case::new(
            "label one byte too long",
            as_is,
            P1,
            set(SERVER, label(&"x".repeat(MAX_LABEL_BYTES + 1))),
            Rejection::InvalidLabel,
        ),
        Case::new(
            "label short in characters, too long in bytes",
            as_is,
            P1,
            set(SERVER, label(&"é".repeat(MAX_LABEL_BYTES / 2 + 1))),
            Rejection::InvalidLabel,
        ),
        Case::new(
            "label with a newline",
            as_is,
            P1,
            set(SERVER, label("a\nb")),
            Rejection::InvalidLabel,
        ),
        Case::new(
            "label with a NUL",
            as_is,
            P1,
            set(SERVER, label("a\0")),
            Rejection::InvalidLabel,
        ),
        Case::new(
            "label with a C1 control",
            as_is,
            P1,
            set(SERVER, label("a\u{85}")),
            Rejection::InvalidLabel,
        ),
        Case::new(
            "same label again",
            as_is,
            P1,
            set(SERVER, label("web-1")),
            Rejection::NoChange,
        ),
        Case::new(
            "same app again",
            as_is,
            P1,
            set(SERVER, Property::App(Some(5))),
            Rejection::NoChange,
        ),
        Case::new(
            "clear an absent app",
            as_is,
            P1,
            set(SERVER3, Property::App(None)),
            Rejection::NoChange,
        ),
    ];
    for (name, bad) in [
        ("unspecified address", ip(0, 0, 0, 0)),
        ("this-network address", ip(0, 1, 2, 3)),
        ("loopback address", ip(127, 0, 0, 1)),
        ("loopback network", ip(127, 9, 9, 9)),
        ("multicast address", ip(224, 0, 0, 1)),
        ("top multicast address", ip(239, 255, 255, 255)),
        ("reserved address", ip(240, 0, 0, 1)),
        ("broadcast address", ip(255, 255, 255, 255)),
    ] {
        cases.push(Case::new(
            name,
            as_is,
            P1,
            set(SERVER3, bad),
            Rejection::InvalidIp,
        ));
    }
    cases
}

#[test]
fn every_refusal_has_its_reason() {
    run_cases(&cases());
}

#[test]
fn each_key_sets_exactly_its_field() {
    let mut world = world();
    let mut expected = get(&world, SERVER3);
    let steps = [
        (
            ip(192, 168, 7, 9),
            Some(Ipv4Addr::new(192, 168, 7, 9)),
            None,
            None,
            None,
        ),
        (
            Property::Customer(Some(7)),
            Some(Ipv4Addr::new(192, 168, 7, 9)),
            Some(7),
            None,
            None,
        ),
        (
            label("db primary"),
            Some(Ipv4Addr::new(192, 168, 7, 9)),
            Some(7),
            Some("db primary"),
            None,
        ),
        (
            Property::App(Some(42)),
            Some(Ipv4Addr::new(192, 168, 7, 9)),
            Some(7),
            Some("db primary"),
            Some(42),
        ),
    ];
    for (value, want_ip, want_customer, want_label, want_app) in steps {
        let plan = accept(&mut world, P1, &set(SERVER3, value));
        expected.properties.ip = want_ip;
        expected.properties.customer = want_customer;
        expected.properties.label = want_label.map(str::to_string);
        expected.properties.app = want_app;
        assert_eq!(plan, vec![Change::Write(expected.clone())]);
        assert_eq!(get(&world, SERVER3), expected);
    }
    for clear in [
        Property::Ip(None),
        Property::Customer(None),
        Property::Label(None),
        Property::App(None),
    ] {
        accept(&mut world, P2, &set(SERVER3, clear));
    }
    assert_eq!(get(&world, SERVER3).properties, Default::default());
}

#[test]
fn labels_go_anywhere_up_to_the_byte_limit() {
    let mut world = world();
    let longest = "x".repeat(MAX_LABEL_BYTES);
    for object in [RACK, PANEL, SWITCH, LOOSE_CABLE, SFPS[0], SFP_BOX, MODULE] {
        accept(&mut world, P1, &set(object, label(&longest)));
        assert_eq!(
            get(&world, object).properties.label.as_deref(),
            Some(longest.as_str())
        );
    }
    let accents = "é".repeat(MAX_LABEL_BYTES / 2);
    accept(&mut world, P1, &set(SERVER, label(&accents)));
    accept(&mut world, P1, &set(SERVER, label("")));
    assert_eq!(get(&world, SERVER).properties.label.as_deref(), Some(""));
}

#[test]
fn a_freed_address_can_be_taken_and_the_index_follows() {
    let mut world = world();
    let taken = Ipv4Addr::new(10, 0, 0, 1);
    accept(&mut world, P1, &set(SERVER, ip(10, 0, 0, 99)));
    assert_eq!(world.resource::<WorldIndex>().ip_owner(taken), None);
    accept(&mut world, P2, &set(SWITCH, ip(10, 0, 0, 1)));
    assert_eq!(world.resource::<WorldIndex>().ip_owner(taken), Some(SWITCH));
    assert_eq!(
        reject(&mut world, P1, &set(SERVER, ip(10, 0, 0, 1))),
        Rejection::DuplicateIp(SWITCH)
    );
    // Edge-of-range usable addresses.
    accept(&mut world, P1, &set(SERVER7, ip(1, 0, 0, 0)));
    accept(&mut world, P1, &set(LOOSE_1U, ip(223, 255, 255, 254)));
    accept(&mut world, P1, &set(LOOSE_3U, ip(169, 254, 1, 1)));
}

#[test]
fn customers_and_apps_on_the_kinds_that_serve_them() {
    let mut world = world();
    accept(&mut world, P1, &set(PANEL, Property::Customer(Some(2))));
    accept(&mut world, P1, &set(LOOSE_7U, Property::Customer(Some(7))));
    accept(
        &mut world,
        P1,
        &set(LOOSE_7U, Property::App(Some(u32::MAX))),
    );
    assert_eq!(get(&world, PANEL).properties.customer, Some(2));
    assert_eq!(get(&world, LOOSE_7U).properties.app, Some(u32::MAX));
}
