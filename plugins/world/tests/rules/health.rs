//! Repair, and the host-only Break and Wear.

use crate::fixture::*;
use racksync_protocol::{Action, Health, ObjectId, ObjectKind, ObjectRecord, Rejection};
use racksync_world::rules::Change;
use racksync_world::rules::health::{REPAIR_LIFETIME_SECONDS, WARNING_SECONDS, is_warning};
use racksync_world::{ReadObjects, WorldIndex};

fn repair(object: ObjectId) -> Action {
    Action::Repair { object }
}

fn break_down(object: ObjectId) -> Action {
    Action::Break { object }
}

/// Every way Repair, Break and Wear are refused.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new(
            "repair unknown",
            as_is,
            P1,
            repair(GHOST),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "repair a rack",
            as_is,
            P1,
            repair(RACK),
            Rejection::WrongKind(ObjectKind::Rack),
        ),
        Case::new(
            "repair a patch panel",
            as_is,
            P1,
            repair(PANEL),
            Rejection::WrongKind(ObjectKind::PatchPanel),
        ),
        Case::new(
            "repair a healthy server",
            as_is,
            P1,
            repair(SERVER),
            Rejection::NothingToRepair,
        ),
        Case::new(
            "repair a server whose warning was cleared",
            |w| {
                edit(w, SERVER, |r| {
                    r.health.time_to_break = WARNING_SECONDS;
                    r.health.warning_cleared = true;
                })
            },
            P1,
            repair(SERVER),
            Rejection::NothingToRepair,
        ),
        Case::new(
            "repair a server at end of life",
            |w| {
                edit(w, SERVER, |r| {
                    r.health = Health {
                        broken: true,
                        time_to_break: 5,
                        eol_time: 0,
                        warning_cleared: false,
                    }
                })
            },
            P1,
            repair(SERVER),
            Rejection::EndOfLife,
        ),
        Case::new(
            "break from a player",
            as_is,
            P1,
            break_down(SERVER),
            Rejection::HostOnly,
        ),
        Case::new(
            "break unknown",
            as_is,
            HOST,
            break_down(GHOST),
            Rejection::UnknownObject(GHOST),
        ),
        Case::new(
            "break a cable",
            as_is,
            HOST,
            break_down(CABLE),
            Rejection::WrongKind(ObjectKind::Cable),
        ),
        Case::new(
            "break a broken switch",
            |w| edit(w, SWITCH, |r| r.health.broken = true),
            HOST,
            break_down(SWITCH),
            Rejection::DeviceBroken,
        ),
        Case::new(
            "wear from a player",
            as_is,
            P2,
            Action::Wear { seconds: 10 },
            Rejection::HostOnly,
        ),
        Case::new(
            "wear for no time",
            as_is,
            HOST,
            Action::Wear { seconds: 0 },
            Rejection::NoChange,
        ),
    ]
}

#[test]
fn every_refusal_has_its_reason() {
    run_cases(&cases());
}

#[test]
fn break_fails_a_device_now_from_the_host_only() {
    let mut world = world();
    assert_eq!(
        reject(&mut world, P1, &break_down(SERVER7)),
        Rejection::HostOnly
    );
    let working = get(&world, SERVER7);
    let plan = accept(&mut world, HOST, &break_down(SERVER7));
    let broken = ObjectRecord {
        health: Health {
            broken: true,
            time_to_break: 0,
            ..working.health
        },
        ..working
    };
    assert_eq!(plan, vec![Change::Write(broken.clone())]);
    assert_eq!(get(&world, SERVER7), broken);
    assert!(
        !world
            .resource::<WorldIndex>()
            .running()
            .any(|id| id == SERVER7)
    );
    // A loose, unpowered device can break too.
    accept(&mut world, HOST, &break_down(LOOSE_1U));
    assert!(get(&world, LOOSE_1U).health.broken);
}

#[test]
fn repair_fixes_a_broken_device_with_a_fresh_lifetime() {
    let mut world = world();
    accept(&mut world, HOST, &break_down(SERVER));
    let broken = get(&world, SERVER);
    let plan = accept(&mut world, P1, &repair(SERVER));
    let fixed = ObjectRecord {
        health: Health {
            broken: false,
            time_to_break: REPAIR_LIFETIME_SECONDS,
            eol_time: FRESH.eol_time,
            warning_cleared: true,
        },
        ..broken
    };
    assert_eq!(plan, vec![Change::Write(fixed.clone())]);
    assert_eq!(get(&world, SERVER), fixed);
    // Still switched on, so it runs again.
    assert!(
        world
            .resource::<WorldIndex>()
            .running()
            .any(|id| id == SERVER)
    );
}

#[test]
fn repair_clears_a_warning_and_never_outlives_the_end_of_life() {
    let mut world = world();
    edit(&mut world, SERVER7, |r| {
        r.health = Health {
            broken: false,
            time_to_break: 10,
            eol_time: 2_000,
            warning_cleared: false,
        }
    });
    assert!(is_warning(&get(&world, SERVER7).health));
    accept(&mut world, P2, &repair(SERVER7));
    assert_eq!(
        get(&world, SERVER7).health,
        Health {
            broken: false,
            time_to_break: 2_000,
            eol_time: 2_000,
            warning_cleared: true,
        }
    );
    assert_eq!(
        reject(&mut world, P2, &repair(SERVER7)),
        Rejection::NothingToRepair
    );
}

/// Sets up powered devices with chosen lifetimes in `RACK2` and the fixture.
fn wear_world() -> bevy_ecs::world::World {
    let mut world = world();
    // SERVER: 100 s to break; SWITCH: exactly 100 s; SERVER7: end of life in 100 s;
    // SERVER3 is off and must not wear; a broken, powered device must not wear either.
    edit(&mut world, SERVER, |r| r.health.time_to_break = 101);
    edit(&mut world, SWITCH, |r| r.health.time_to_break = 100);
    edit(&mut world, SERVER7, |r| r.health.eol_time = 100);
    edit(&mut world, SERVER3, |r| r.health.time_to_break = 50);
    pick_up(&mut world, P1, &[LOOSE_1U]);
    accept(
        &mut world,
        P1,
        &Action::InstallInRack {
            object: LOOSE_1U,
            slot: slot(RACK2, 1),
        },
    );
    accept(
        &mut world,
        P1,
        &Action::SetPower {
            object: LOOSE_1U,
            on: true,
        },
    );
    accept(&mut world, HOST, &break_down(LOOSE_1U));
    world
}

#[test]
fn wear_breaks_exactly_the_devices_that_reach_zero() {
    let mut world = wear_world();
    let before = world.objects_sorted();
    let plan = accept(&mut world, HOST, &Action::Wear { seconds: 100 });
    let changed: Vec<ObjectId> = plan.iter().map(Change::id).collect();
    assert_eq!(
        changed,
        vec![SWITCH, SERVER, SERVER7],
        "running devices, ascending by id"
    );
    let server = get(&world, SERVER).health;
    assert_eq!((server.broken, server.time_to_break), (false, 1));
    assert!(is_warning(&server));
    let switch = get(&world, SWITCH).health;
    assert_eq!((switch.broken, switch.time_to_break), (true, 0));
    let old = get(&world, SERVER7).health;
    assert_eq!((old.broken, old.eol_time), (true, 0));
    assert_eq!(old.time_to_break, FRESH.time_to_break - 100);
    for untouched in [SERVER3, LOOSE_1U] {
        let earlier = before.iter().find(|r| r.id == untouched).unwrap();
        assert_eq!(&get(&world, untouched), earlier);
    }
    let running: Vec<ObjectId> = world.resource::<WorldIndex>().running().collect();
    assert_eq!(running, vec![SERVER]);
    // One more second breaks the last one; then nothing runs and wear is a refused no-op.
    accept(&mut world, HOST, &Action::Wear { seconds: 1 });
    assert!(get(&world, SERVER).health.broken);
    let digest = world.digest();
    assert_eq!(
        rules_apply(&mut world, Action::Wear { seconds: 5 }),
        Err(Rejection::NoChange)
    );
    assert_eq!(world.digest(), digest);
}

fn rules_apply(
    world: &mut bevy_ecs::world::World,
    action: Action,
) -> Result<Vec<Change>, Rejection> {
    racksync_world::rules::apply(world, HOST, &action)
}

#[test]
fn wear_over_many_devices_is_deterministic() {
    let run = || {
        let mut world = racksync_world::generate_world(400, 11).into_world();
        let mut broken_per_step = Vec::new();
        for seconds in [3_000, 20_000, 50_000, 100_000, 1] {
            let plan = rules_apply(&mut world, Action::Wear { seconds }).unwrap();
            assert!(
                plan.iter()
                    .all(|c| matches!(c, Change::Write(r) if r.powered))
            );
            let mut broken: Vec<ObjectId> = plan
                .iter()
                .filter_map(|c| match c {
                    Change::Write(r) if r.health.broken => Some(r.id),
                    _ => None,
                })
                .collect();
            broken.sort_unstable();
            broken_per_step.push(broken);
            assert_invariants(&world);
        }
        (broken_per_step, world.digest())
    };
    let (first, digest) = run();
    assert!(
        first.iter().filter(|b| !b.is_empty()).count() >= 2,
        "{first:?}"
    );
    assert_eq!(run(), (first, digest));
}

/// Loads a generated save into a fresh world.
trait IntoWorld {
    fn into_world(self) -> bevy_ecs::world::World;
}

impl IntoWorld for racksync_world::WorldSave {
    fn into_world(self) -> bevy_ecs::world::World {
        use racksync_world::WorldObjects;
        let mut world = bevy_ecs::world::World::new();
        world.init_world_resources();
        self.load_into(&mut world).expect("generated worlds load");
        world
    }
}

#[test]
fn wear_plan_is_every_running_device_worn_by_the_same_arithmetic() {
    let mut world = wear_world();
    let running: Vec<ObjectRecord> = world
        .resource::<WorldIndex>()
        .running()
        .collect::<Vec<_>>()
        .into_iter()
        .map(|id| get(&world, id))
        .collect();
    let plan = accept(&mut world, HOST, &Action::Wear { seconds: 7 });
    let expected: Vec<Change> = running
        .into_iter()
        .map(|mut r| {
            r.health = racksync_world::rules::health::worn(r.health, 7);
            Change::Write(r)
        })
        .collect();
    assert_eq!(plan, expected);
}
