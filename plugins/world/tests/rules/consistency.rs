//! The invariants the rules maintain are also checked on whole worlds (saves and join
//! snapshots): each new check refuses exactly its contradiction.

use crate::fixture::*;
use racksync_protocol::{CableEnd, ObjectRecord, Placement, PlayerId, PosMm, WorldSettings};
use racksync_world::consistency::{ConsistencyError, Holding, check_consistency};
use std::net::Ipv4Addr;

fn settings() -> WorldSettings {
    WorldSettings {
        bounds: BOUNDS,
        customers: CUSTOMERS.to_vec(),
    }
}

/// Checks the fixture's records after `change`.
fn check(
    holding: Holding,
    change: impl FnOnce(&mut Vec<ObjectRecord>),
) -> Result<(), ConsistencyError> {
    let mut records = records();
    change(&mut records);
    check_consistency(&settings(), records.into_iter(), holding)
}

fn edit_record(
    records: &mut [ObjectRecord],
    id: racksync_protocol::ObjectId,
    f: impl FnOnce(&mut ObjectRecord),
) {
    f(records
        .iter_mut()
        .find(|r| r.id == id)
        .expect("fixture object"));
}

#[test]
fn the_fixture_is_consistent_as_a_save_and_as_a_live_world() {
    assert_eq!(check(Holding::Forbidden, |_| {}), Ok(()));
    assert_eq!(check(Holding::Allowed, |_| {}), Ok(()));
}

#[test]
fn cables_only_on_installed_devices_and_on_switch_ports_with_modules() {
    assert_eq!(
        check(Holding::Forbidden, |r| edit_record(r, UPLINK, |c| c
            .cable =
            Some([port(LOOSE_PANEL, 0), CableEnd::Customer(1)]))),
        Err(ConsistencyError::CableToLooseDevice {
            cable: UPLINK,
            device: LOOSE_PANEL
        })
    );
    assert_eq!(
        check(Holding::Forbidden, |r| edit_record(r, CABLE, |c| c.cable =
            Some([port(SERVER, 0), port(SWITCH, 5)]))),
        Err(ConsistencyError::CableWithoutModule {
            cable: CABLE,
            switch: SWITCH,
            port: 5
        })
    );
    assert_eq!(
        check(Holding::Allowed, |r| edit_record(r, CABLE, |c| c
            .placement =
            Placement::Held(P1))),
        Err(ConsistencyError::BadPlacement(CABLE, "cable"))
    );
}

#[test]
fn a_connected_cable_is_exempt_from_bounds_but_a_loose_one_is_not() {
    // Bounds that leave out the origin, where routed cables have their marker.
    let mut settings = settings();
    settings.bounds.min = PosMm::new(-10_000, 0, 1);
    let mut records = records();
    for rack in [RACK, RACK2] {
        edit_record(&mut records, rack, |r| {
            r.placement = floor(PosMm::new(0, 0, 500), 0)
        });
    }
    assert_eq!(
        check_consistency(&settings, records.clone().into_iter(), Holding::Forbidden),
        Ok(())
    );
    edit_record(&mut records, LOOSE_CABLE, |c| {
        c.placement = floor(PosMm::new(0, 0, 0), 0)
    });
    assert_eq!(
        check_consistency(&settings, records.into_iter(), Holding::Forbidden),
        Err(ConsistencyError::OutOfBounds(LOOSE_CABLE))
    );
}

#[test]
fn only_installed_servers_and_switches_are_powered() {
    assert_eq!(
        check(Holding::Forbidden, |r| edit_record(r, LOOSE_1U, |d| d
            .powered =
            true)),
        Err(ConsistencyError::BadPower(LOOSE_1U))
    );
    assert_eq!(
        check(Holding::Forbidden, |r| edit_record(r, PANEL, |d| d
            .powered =
            true)),
        Err(ConsistencyError::BadPower(PANEL))
    );
}

/// A change to one record.
type Edit = fn(&mut ObjectRecord);

#[test]
fn properties_are_valid_for_their_kind_and_addresses_unique() {
    let cases: [(Edit, _, &str); 5] = [
        (
            |d| d.properties.ip = Some(Ipv4Addr::new(10, 9, 9, 9)),
            PANEL,
            "ip",
        ),
        (
            |d| d.properties.ip = Some(Ipv4Addr::LOCALHOST),
            SERVER7,
            "ip",
        ),
        (|d| d.properties.customer = Some(3), SERVER7, "customer"),
        (
            |d| d.properties.label = Some("x".repeat(33)),
            RACK2,
            "label",
        ),
        (|d| d.properties.app = Some(1), SWITCH, "app"),
    ];
    for (change, object, key) in cases {
        assert_eq!(
            check(Holding::Forbidden, |r| edit_record(r, object, change)),
            Err(ConsistencyError::BadProperty(object, key))
        );
    }
    assert_eq!(
        check(Holding::Forbidden, |r| edit_record(r, SERVER7, |d| d
            .properties
            .ip =
            Some(Ipv4Addr::new(10, 0, 0, 1)))),
        Err(ConsistencyError::DuplicateIp(
            SERVER,
            SERVER7,
            Ipv4Addr::new(10, 0, 0, 1)
        ))
    );
}

#[test]
fn hands_hold_one_kind_within_its_capacity() {
    let held =
        |r: &mut Vec<ObjectRecord>, ids: &[racksync_protocol::ObjectId], player: PlayerId| {
            for id in ids {
                edit_record(r, *id, |o| o.placement = Placement::Held(player));
            }
        };
    assert_eq!(check(Holding::Allowed, |r| held(r, &SFPS[..4], P1)), Ok(()));
    assert_eq!(
        check(Holding::Allowed, |r| held(r, &SFPS, P1)),
        Err(ConsistencyError::HandOverfull(P1))
    );
    assert_eq!(
        check(Holding::Allowed, |r| held(r, &[LOOSE_1U, LOOSE_3U], P2)),
        Err(ConsistencyError::HandOverfull(P2))
    );
    assert_eq!(
        check(Holding::Allowed, |r| held(r, &[SFPS[0], SFP_BOX], P2)),
        Err(ConsistencyError::HandOverfull(P2))
    );
    assert_eq!(
        check(Holding::Allowed, |r| {
            held(r, &[LOOSE_1U], P1);
            held(r, &[LOOSE_3U], P2);
        }),
        Ok(())
    );
}
