//! Random action sequences from several players and the host against small generated
//! worlds. After every step: `validate` agrees with `apply`, a rejected action changed
//! nothing, an accepted one changed exactly its plan, and the world is consistent with its
//! index and digest equal to a rebuild. The run is seeded, so it is deterministic.

use crate::fixture::assert_invariants;
use bevy_ecs::world::World;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestRunner};
use racksync_protocol::{
    Action, CableEnd, ObjectId, ObjectKind, ObjectRecord, Placement, PlayerId, PosMm, Property,
    RackSlot,
};
use racksync_world::queries::{cable_on_port, free_slot, module_in_port};
use racksync_world::rules::{self, Change};
use racksync_world::{ReadObjects, WorldIndex, WorldObjects, generate_world};
use std::cell::RefCell;
use std::net::Ipv4Addr;

/// Who may act: the host and three players.
const ACTORS: [PlayerId; 4] = [PlayerId::HOST, PlayerId(1), PlayerId(2), PlayerId(3)];

/// One random step before it is resolved against the world.
#[derive(Clone, Debug)]
struct Step {
    actor: usize,
    kind: usize,
    a: u16,
    b: u16,
    c: u16,
}

/// Action kinds by [`Action::kind_index`], weighted towards the actions that need a full
/// hand (pick up, install, connect, insert) so that those are accepted often too.
const KINDS: [usize; 26] = [
    0, 0, 0, 0, 1, 2, 2, 2, 3, 4, 5, 6, 6, 6, 7, 8, 8, 9, 10, 10, 10, 11, 12, 13, 14, 15,
];

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let step = (
        0..ACTORS.len(),
        prop::sample::select(&KINDS[..]),
        any::<u16>(),
        any::<u16>(),
        any::<u16>(),
    )
        .prop_map(|(actor, kind, a, b, c)| Step {
            actor,
            kind,
            a,
            b,
            c,
        });
    prop::collection::vec(step, 1..120)
}

/// Picks from `list` by `sel`, or an unknown id when the list is empty or now and then.
fn pick(list: &[ObjectId], sel: u16) -> ObjectId {
    if list.is_empty() || sel.is_multiple_of(23) {
        ObjectId::new(0, 999_999)
    } else {
        list[usize::from(sel) % list.len()]
    }
}

fn ids(objects: &[ObjectRecord], keep: impl Fn(&ObjectRecord) -> bool) -> Vec<ObjectId> {
    objects.iter().filter(|r| keep(r)).map(|r| r.id).collect()
}

/// The lowest port of `device` a cable could plug into now.
fn free_port(world: &World, device: ObjectId) -> Option<u8> {
    let kind = world.object(device)?.kind;
    (0..kind.port_count()).find(|port| {
        cable_on_port(world, device, *port).is_none()
            && (kind != ObjectKind::Switch || module_in_port(world, device, *port).is_some())
    })
}

fn position(sel: u16) -> PosMm {
    if sel.is_multiple_of(11) {
        PosMm::new(100_001, 0, 0)
    } else {
        PosMm::new(
            i32::from(sel % 4_000) - 2_000,
            i32::from(sel % 3),
            i32::from(sel / 7 % 900),
        )
    }
}

/// Turns a random step into an action that is plausible for the world as it is now, so
/// that a good share of actions is accepted.
fn resolve(world: &World, step: &Step) -> (PlayerId, Action) {
    let mut actor = ACTORS[step.actor];
    let objects = world.objects_sorted();
    let held: Vec<ObjectId> = world.resource::<WorldIndex>().held_by(actor).to_vec();
    let mine_or = |fallback: Vec<ObjectId>, sel: u16| {
        if !held.is_empty() && !sel.is_multiple_of(4) {
            pick(&held, sel)
        } else {
            pick(&fallback, sel)
        }
    };
    let all = ids(&objects, |_| true);
    let installed = ids(&objects, |r| matches!(r.placement, Placement::InRack(_)));
    let devices = ids(&objects, |r| r.kind.is_powered_device());
    let (a, b, c) = (step.a, step.b, step.c);
    let held_by_anyone = |keep: fn(&ObjectRecord) -> bool| {
        ids(&objects, |r| {
            matches!(r.placement, Placement::Held(_)) && keep(r)
        })
    };
    let action = match step.kind {
        0 => {
            // Mostly loose carryable things; racks and routed cables now and then.
            let loose = ids(&objects, |r| {
                matches!(r.placement, Placement::Floor { .. })
                    && ((r.kind != ObjectKind::Rack && r.cable.is_none()) || b % 5 == 0)
            });
            Action::PickUp {
                object: pick(&loose, a),
            }
        }
        1 => Action::Drop {
            object: mine_or(all.clone(), a),
            pos: position(b),
            yaw: c,
        },
        2 => {
            let mountable = held_by_anyone(|r| r.kind.rack_units().is_some());
            let object = mine_or(
                if mountable.is_empty() {
                    all.clone()
                } else {
                    mountable
                },
                a,
            );
            let height = world
                .object(object)
                .and_then(|r| r.kind.rack_units())
                .unwrap_or(1);
            let slot = match free_slot(world, height) {
                Some(slot) if c % 3 != 0 => slot,
                _ => RackSlot {
                    rack: pick(&ids(&objects, |r| r.kind == ObjectKind::Rack), b),
                    unit: (c % 45) as u8,
                },
            };
            Action::InstallInRack { object, slot }
        }
        3 => Action::RemoveFromRack {
            object: pick(&installed, a),
        },
        4 => Action::SetPower {
            object: pick(&installed, a),
            on: b % 2 == 0,
        },
        5 => {
            let value = match c % 9 {
                0 | 1 => Property::Ip(Some(Ipv4Addr::new(10, 0, 0, (b % 6) as u8))),
                2 => Property::Ip(None),
                3 => Property::Ip(Some(Ipv4Addr::new((b % 2) as u8 * 127, 0, 0, 1))),
                4 => Property::Customer(Some(u32::from(b % 20))),
                5 => Property::Customer(None),
                6 => Property::Label(Some("x".repeat(usize::from(b % 40)))),
                7 => Property::Label(None),
                _ => Property::App(Some(u32::from(b % 3))),
            };
            Action::SetProperty {
                object: pick(&all, a),
                value,
            }
        }
        6 => {
            let end = |sel: u16| {
                if sel.is_multiple_of(5) {
                    CableEnd::Customer(u32::from(sel % 20))
                } else {
                    let device = pick(&installed, sel);
                    let port = match free_port(world, device) {
                        Some(port) if !sel.is_multiple_of(3) => port,
                        _ => (sel / 7 % 6) as u8,
                    };
                    CableEnd::Port { device, port }
                }
            };
            let mut cables = held_by_anyone(|r| r.kind == ObjectKind::Cable);
            if cables.is_empty() {
                cables = ids(&objects, |r| {
                    r.kind == ObjectKind::Cable && r.cable.is_none()
                });
            }
            Action::ConnectCable {
                cable: mine_or(cables, a),
                ends: [end(b), end(c)],
            }
        }
        7 => Action::DisconnectCable {
            cable: pick(&ids(&objects, |r| r.kind == ObjectKind::Cable), a),
        },
        8 => {
            let namespace = if b % 8 == 0 {
                (actor.0 + 1) % 4
            } else {
                actor.0
            };
            let object = ObjectId::new(namespace, u32::from(c % 6));
            let kind = match b % 12 {
                9 | 10 => ObjectKind::SfpModule,
                11 => ObjectKind::Cable,
                k => ObjectKind::ALL[usize::from(k)],
            };
            Action::Spawn {
                object,
                kind,
                pos: position(a),
                yaw: c,
            }
        }
        9 => Action::Destroy {
            object: mine_or(all.clone(), a),
        },
        10 => {
            let switch = pick(&ids(&objects, |r| r.kind == ObjectKind::Switch), b);
            let empty = (0..ObjectKind::Switch.port_count())
                .find(|port| module_in_port(world, switch, *port).is_none());
            Action::InsertSfp {
                module: mine_or(held_by_anyone(|r| r.kind == ObjectKind::SfpModule), a),
                switch,
                port: match empty {
                    Some(port) if !c.is_multiple_of(3) => port,
                    _ => (c % 26) as u8,
                },
            }
        }
        11 => Action::RemoveSfp {
            module: pick(
                &ids(&objects, |r| {
                    matches!(r.placement, Placement::InPort { .. })
                }),
                a,
            ),
        },
        12 => {
            let broken = ids(&objects, |r| r.health.broken);
            Action::Repair {
                object: pick(if b % 4 == 0 { &devices } else { &broken }, a),
            }
        }
        13 => Action::Break {
            object: pick(&devices, a),
        },
        14 => Action::Wear {
            seconds: [0, 1, 3_600, 40_000, 150_000][usize::from(b % 5)],
        },
        _ => {
            let anyone = ids(&objects, |r| matches!(r.placement, Placement::Held(_)));
            Action::Release {
                object: pick(&anyone, a),
                pos: position(b),
                yaw: c,
            }
        }
    };
    // Host-only actions come mostly from the host, but players try them too; actions on
    // a held object come mostly from its holder.
    let holder = action
        .object()
        .and_then(|id| world.object(id))
        .and_then(|r| match r.placement {
            Placement::Held(holder) => Some(holder),
            _ => None,
        });
    if action.is_host_only() && !c.is_multiple_of(4) {
        actor = PlayerId::HOST;
    } else if let Some(holder) = holder
        && !a.is_multiple_of(5)
    {
        actor = holder;
    }
    (actor, action)
}

/// Performs one action and checks everything a step must keep. Returns whether the
/// action was accepted.
fn perform(world: &mut World, actor: PlayerId, action: &Action) -> bool {
    let before = world.objects_sorted();
    let digest = world.digest();
    let validated = rules::validate(world, actor, action);
    let applied = rules::apply(world, actor, action);
    assert_eq!(
        validated,
        applied.as_ref().map(drop).map_err(|r| *r),
        "validate and apply disagree on {actor} {action:?}"
    );
    let accepted = match applied {
        Err(rejection) => {
            assert_eq!(
                world.objects_sorted(),
                before,
                "rejected ({rejection}) {action:?} changed the world"
            );
            assert_eq!(
                world.digest(),
                digest,
                "rejected {action:?} changed the digest"
            );
            false
        }
        Ok(plan) => {
            for change in &plan {
                match change {
                    Change::Write(record) => {
                        assert_eq!(world.object(record.id).as_ref(), Some(record), "{action:?}")
                    }
                    Change::Remove(id) => assert_eq!(world.object(*id), None, "{action:?}"),
                }
            }
            let after = world.objects_sorted();
            // Every accepted action changes the world: no-ops are refused.
            assert!(!plan.is_empty(), "empty plan for {action:?}");
            assert_ne!(after, before, "accepted {action:?} changed nothing");
            true
        }
    };
    assert_invariants(world);
    accepted
}

fn load(objects: usize, seed: u64) -> World {
    let mut world = World::new();
    world.init_world_resources();
    generate_world(objects, seed)
        .load_into(&mut world)
        .expect("generated worlds load");
    world
}

#[test]
fn random_action_sequences_keep_every_invariant() {
    let config = Config {
        cases: 64,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(0x005e_ed0f_7ac5),
        ..Config::default()
    };
    let accepted = RefCell::new([0usize; Action::NAMES.len()]);
    let rejected = RefCell::new([0usize; Action::NAMES.len()]);
    let strategy = (30usize..=130, 0u64..1_000, steps());
    TestRunner::new(config)
        .run(&strategy, |(objects, seed, steps)| {
            let mut world = load(objects, seed);
            assert_invariants(&world);
            for step in &steps {
                let (actor, action) = resolve(&world, step);
                let tally = if perform(&mut world, actor, &action) {
                    &accepted
                } else {
                    &rejected
                };
                tally.borrow_mut()[action.kind_index()] += 1;
            }
            Ok(())
        })
        .unwrap();
    let (accepted, rejected) = (accepted.into_inner(), rejected.into_inner());
    for (kind, name) in Action::NAMES.iter().enumerate() {
        assert!(
            accepted[kind] > 0,
            "no {name} was ever accepted: {accepted:?}"
        );
        assert!(
            rejected[kind] > 0,
            "no {name} was ever rejected: {rejected:?}"
        );
    }
}
