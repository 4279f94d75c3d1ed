//! The `world_rules` fuzz body: a stateful fuzz of the shared world rules
//! (`racksync_world::rules::{validate, apply}`) from four players and the host.
//!
//! The input is read as a sequence of steps against the embedded default world. Each
//! step starts with a header byte:
//!
//! | bits | meaning |
//! |---|---|
//! | 0–1 | the acting player, 1..=4 |
//! | 2–4 | `7`: a raw postcard [`Action`] follows (any ids, any values); otherwise a structured step |
//! | 5 | for a host-only action: `1` = only the player tries it (and must be refused), `0` = the host then performs it |
//! | 6 | `0` = an action on an object a player holds is sent by its holder |
//!
//! A structured step is one byte choosing the action kind and three `u16`s that pick its
//! objects among those that make sense in the world as it is now (held objects, free
//! rack slots, free ports, ...), so that a large share of actions is accepted and the
//! fuzzer reaches deep states; the raw steps reach the values no builder thinks of.
//!
//! After every step: `validate` agrees with `plan` and `apply` (an action that validated
//! is applied, a refused one is refused for the same reason), a refused action changes
//! nothing (same digest, same objects), a player never gets a host-only action through,
//! an accepted action writes exactly its plan and changes the world, the world stays
//! consistent (`check_consistency`), and the incremental digest equals one recomputed
//! from scratch. (Clients apply broadcasts with the same `apply`, and recovery replays
//! plans with the same `write_change`, so "writes exactly its plan" covers both.) At the
//! end of the run the index, the digest tree and the cached hashes are compared with a
//! rebuild, and the world must survive a join snapshot and a durable save round trip
//! unchanged.

use super::ByteReader;
use crate::default_world::default_world;
use bevy_ecs::world::World;
use racksync_protocol::codec::{decode_prefix, encode_unbounded};
use racksync_protocol::{
    Action, CableEnd, ObjectId, ObjectKind, ObjectRecord, Placement, PlayerId, PosMm, Property,
    RackSlot, Rejection,
};
use racksync_replication::EncodedSnapshot;
use racksync_replication::snapshot::decode_snapshot;
use racksync_world::queries::{cable_on_port, free_slot_among, module_in_port};
use racksync_world::rules::{self, Change};
use racksync_world::{
    DigestTree, Holding, NetObject, ObjectHash, ReadObjects, Settings, WorldDigest, WorldIndex,
    WorldObjects, WorldSave, check_consistency, object_hash,
};
use std::net::Ipv4Addr;
use std::sync::OnceLock;

/// Most steps one input runs: bounds the time of one execution, so that the fuzzer
/// spends its time on many different sequences rather than a few very long ones.
pub const MAX_STEPS: usize = 256;

/// Header value of bits 2–4 that marks a raw postcard action.
const RAW_MODE: u8 = 7;

/// Action kinds by [`Action::kind_index`], weighted towards the actions that need a full
/// hand (pick up, install, connect, insert) so that those are accepted often too.
const KINDS: [usize; 26] = [
    0, 0, 0, 0, 1, 2, 2, 2, 3, 4, 5, 6, 6, 6, 7, 8, 8, 9, 10, 10, 10, 11, 12, 13, 14, 15,
];

/// An id no world object has.
const UNKNOWN: ObjectId = ObjectId::new(0, 999_999);

/// What one run did, for tests that check the seeds reach the rules they should.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Steps read from the input.
    pub steps: usize,
    /// Accepted actions, by [`Action::kind_index`].
    pub accepted: [usize; Action::NAMES.len()],
    /// Refused actions, by [`Action::kind_index`].
    pub rejected: [usize; Action::NAMES.len()],
}

/// The fuzz body: runs the steps of `data` and panics on the first broken property.
pub fn world_rules(data: &[u8]) {
    run(data);
}

/// Runs the steps of `data` like [`world_rules`] and says what was accepted.
pub fn run(data: &[u8]) -> RunSummary {
    let mut input = ByteReader::new(data);
    let mut run = Run::new();
    while !input.is_empty() && run.summary.steps < MAX_STEPS {
        run.summary.steps += 1;
        if let Some(step) = next_step(&mut input, &run.host, &run.objects) {
            run.step(step);
        }
    }
    run.finish();
    run.summary
}

/// The default world as a save, parsed once per process (parsing RON on every
/// execution would cost more than the run itself).
fn base_save() -> &'static WorldSave {
    static SAVE: OnceLock<WorldSave> = OnceLock::new();
    SAVE.get_or_init(|| default_world().expect("the embedded default world is valid"))
}

/// A fresh Bevy world holding the embedded default world, built the way the host
/// builds its world from a save.
pub(crate) fn fresh_world() -> World {
    let mut world = World::new();
    world.init_world_resources();
    base_save()
        .load_into(&mut world)
        .expect("the default world loads");
    world
}

/// One decoded step.
#[derive(Clone, Debug)]
struct Step {
    actor: PlayerId,
    action: Action,
    /// The host performs a host-only action after the player's refused try.
    host_follows: bool,
}

/// The state of a run: the host's world and what was accepted.
struct Run {
    host: World,
    /// The host's objects, ascending by id: read once per accepted action rather than
    /// once per step (reading every object dominates the cost of a step).
    objects: Vec<ObjectRecord>,
    summary: RunSummary,
}

impl Run {
    fn new() -> Self {
        let host = fresh_world();
        Self {
            objects: host.objects_sorted(),
            host,
            summary: RunSummary::default(),
        }
    }

    fn step(&mut self, step: Step) {
        let Step {
            actor,
            action,
            host_follows,
        } = step;
        if action.is_host_only() {
            // What the host's receive path sees when a player sends one: refused, always.
            let rejection = self
                .perform(actor, &action)
                .expect_err("a player got a host-only action accepted");
            assert_eq!(rejection, Rejection::HostOnly, "{actor} {action:?}");
            if host_follows {
                let _ = self.perform(PlayerId::HOST, &action);
            }
        } else {
            let _ = self.perform(actor, &action);
        }
    }

    /// Validates and applies one action on the host world, checks every per-step
    /// property.
    fn perform(&mut self, actor: PlayerId, action: &Action) -> Result<(), Rejection> {
        let digest_before = self.host.digest();
        let objects_before = self.host.resource::<WorldIndex>().len();
        let validated = rules::validate(&self.host, actor, action);
        let planned = rules::plan(&self.host, actor, action);
        assert_eq!(
            validated,
            planned.as_ref().map(drop).map_err(|r| *r),
            "validate disagrees with plan on {actor} {action:?}"
        );
        let applied = rules::apply(&mut self.host, actor, action);
        let kind = action.kind_index();
        match applied {
            Err(rejection) => {
                // The contract: apply refuses exactly what validate refuses, for the
                // same reason, and a refused action leaves no trace.
                assert_eq!(
                    validated,
                    Err(rejection),
                    "validate and apply disagree on {actor} {action:?}"
                );
                assert_eq!(
                    self.host.digest(),
                    digest_before,
                    "refused ({rejection}) {actor} {action:?} changed the digest"
                );
                assert_eq!(
                    self.host.resource::<WorldIndex>().len(),
                    objects_before,
                    "refused ({rejection}) {actor} {action:?} changed the object count"
                );
                self.summary.rejected[kind] += 1;
                Err(rejection)
            }
            Ok(plan) => {
                assert!(
                    !(action.is_host_only() && actor != PlayerId::HOST),
                    "{actor} got host-only {action:?} accepted"
                );
                assert_eq!(
                    Ok(&plan),
                    planned.as_ref(),
                    "apply differs from the plan of {actor} {action:?}"
                );
                assert!(!plan.is_empty(), "empty plan for {actor} {action:?}");
                for change in &plan {
                    match change {
                        Change::Write(record) => assert_eq!(
                            self.host.object(record.id).as_ref(),
                            Some(record),
                            "{actor} {action:?} did not write its plan"
                        ),
                        Change::Remove(id) => assert_eq!(
                            self.host.object(*id),
                            None,
                            "{actor} {action:?} did not remove {id}"
                        ),
                    }
                }
                // No-ops are refused (NoChange), so an accepted action always changes
                // the world; a 64-bit digest collision is not a practical concern.
                assert_ne!(
                    self.host.digest(),
                    digest_before,
                    "accepted {actor} {action:?} changed nothing"
                );
                self.objects = self.host.objects_sorted();
                check_step_invariants(&self.host, &self.objects, action);
                self.summary.accepted[kind] += 1;
                Ok(())
            }
        }
    }

    /// The end-of-run checks: everything incremental equals a rebuild, and the world
    /// survives a join snapshot and a save round trip.
    fn finish(&self) {
        if self.summary.accepted.iter().all(|n| *n == 0) {
            // Still the default world, which the checks below have seen many times.
            return;
        }
        check_world(&self.host);

        // A client joining now must load exactly this world.
        let snapshot = EncodedSnapshot::capture(&self.host);
        assert_eq!(snapshot.digest, self.host.digest().value());
        let body = decode_snapshot(&snapshot.compressed).expect("a captured snapshot decodes");
        assert_eq!(body, self.host.snapshot_body(), "snapshot round trip");

        // A durable save of the live world (players may hold things) reloads as is.
        // RON costs more than the rest of a run: check a fixed eighth of the final
        // states (chosen by digest, so a given input always does the same).
        if !self.host.digest().value().is_multiple_of(8) {
            return;
        }
        let save = WorldSave::capture(&self.host);
        let text = save.to_ron();
        let reloaded = WorldSave::from_ron_with(&text, Holding::Allowed)
            .unwrap_or_else(|error| panic!("a live world's save does not reload: {error}"));
        assert_eq!(reloaded, save, "save round trip");
        assert_eq!(reloaded.to_ron(), text, "saves are canonical");
    }
}

/// The cheap invariants checked after every accepted action; `objects` is the world's
/// `objects_sorted()`.
fn check_step_invariants(world: &World, objects: &[ObjectRecord], action: &Action) {
    let settings = &world.resource::<Settings>().0;
    if let Err(error) = check_consistency(settings, objects.iter().cloned(), Holding::Allowed) {
        panic!("world inconsistent after {action:?}: {error}");
    }
    let digest = world.digest();
    // What `recompute_digest` computes, from the list already read.
    assert_eq!(
        digest,
        WorldDigest::from_hashes(objects.iter().map(object_hash)),
        "incremental digest drifted after {action:?}"
    );
    assert_eq!(
        world.resource::<DigestTree>().root().world_digest(),
        digest,
        "digest tree root drifted after {action:?}"
    );
}

/// Every invariant of a world: consistency, and the incremental digest, digest tree,
/// cached object hashes and index equal to a from-scratch rebuild. Also used by the
/// decoders body on worlds loaded from fuzzed snapshots.
pub(crate) fn check_world(world: &World) {
    let settings = &world.resource::<Settings>().0;
    let objects = world.objects_sorted();
    if let Err(error) = check_consistency(settings, objects.iter().cloned(), Holding::Allowed) {
        panic!("world inconsistent: {error}");
    }
    let digest = world.digest();
    assert_eq!(
        digest,
        world.recompute_digest(),
        "incremental digest drifted"
    );
    assert_eq!(digest.objects(), objects.len() as u64);

    let tree = world.resource::<DigestTree>();
    assert_eq!(tree.len(), objects.len(), "digest tree size");
    assert_eq!(tree.root().world_digest(), digest, "digest tree root");
    let fresh_tree = DigestTree::from_hashes(objects.iter().map(|r| (r.id, object_hash(r))));
    for record in &objects {
        assert_eq!(
            tree.hash_of(record.id),
            Some(object_hash(record)),
            "digest tree hash of {}",
            record.id
        );
    }
    for level in 0..=racksync_protocol::audit::TREE_DEPTH {
        // Only the nodes on the objects' paths can differ from zero.
        for record in &objects {
            let leaf = racksync_protocol::audit::leaf_of(record.id);
            let node = racksync_protocol::NodeRef {
                level,
                index: racksync_protocol::audit::ancestor(leaf, level),
            };
            assert_eq!(
                tree.node(node),
                fresh_tree.node(node),
                "digest tree {node:?}"
            );
        }
    }

    let index = world.resource::<WorldIndex>();
    assert_eq!(index.len(), objects.len(), "index size");
    // A world that never held an object has not registered the components yet.
    let mut cached = 0;
    if let Some(mut hashes) = world.try_query::<(&NetObject, &ObjectHash)>() {
        for (object, hash) in hashes.iter(world) {
            let record = world.object(object.id).expect("every entity is indexed");
            assert_eq!(hash.0, object_hash(&record), "stale hash of {}", object.id);
            cached += 1;
        }
    }
    assert_eq!(cached, objects.len(), "entities without index entry");
    let mut rebuilt = World::new();
    rebuilt.init_world_resources();
    rebuilt
        .load_snapshot(world.snapshot_body(), Default::default())
        .expect("a live world reloads");
    assert_eq!(
        index.relations(),
        rebuilt.resource::<WorldIndex>().relations(),
        "incremental index drifted from a rebuild"
    );
    assert_eq!(rebuilt.digest(), digest, "a rebuild has another digest");
}

/// Reads one step; `None` when the step is a raw action that does not decode (its
/// header is consumed and reading goes on with the next byte).
fn next_step(input: &mut ByteReader<'_>, world: &World, objects: &[ObjectRecord]) -> Option<Step> {
    let header = input.u8();
    let mut actor = PlayerId(1 + u16::from(header & 3));
    let raw = (header >> 2) & 7 == RAW_MODE;
    let host_follows = header & 0x20 == 0;
    let follow_holder = header & 0x40 == 0;
    let action = if raw {
        let (action, rest) = decode_prefix::<Action>(input.rest()).ok()?;
        input.resume(rest);
        action
    } else {
        let kind = KINDS[usize::from(input.u8()) % KINDS.len()];
        let (a, b, c) = (input.u16(), input.u16(), input.u16());
        build(world, objects, actor, kind, a, b, c)
    };
    if follow_holder
        && let Some(Placement::Held(holder)) = action
            .object()
            .and_then(|id| world.object(id))
            .map(|r| r.placement)
        && holder != PlayerId::HOST
    {
        actor = holder;
    }
    Some(Step {
        actor,
        action,
        host_follows,
    })
}

/// Picks from `list` by `sel`, or an unknown id when the list is empty or now and then.
fn pick(list: &[ObjectId], sel: u16) -> ObjectId {
    if list.is_empty() || sel.is_multiple_of(23) {
        UNKNOWN
    } else {
        list[usize::from(sel) % list.len()]
    }
}

/// The ids of the objects `keep` selects, ascending.
fn ids(objects: &[ObjectRecord], keep: impl Fn(&ObjectRecord) -> bool) -> Vec<ObjectId> {
    objects.iter().filter(|r| keep(r)).map(|r| r.id).collect()
}

/// A position: mostly inside the default bounds, sometimes on or just past an edge.
fn position(sel: u16) -> PosMm {
    match sel % 16 {
        0 => PosMm::new(100_001, 0, 0),
        1 => PosMm::new(100_000, 10_000, -100_000),
        2 => PosMm::new(0, -1, 0),
        3 => PosMm::new(i32::MIN, i32::MAX, 0),
        _ => PosMm::new(
            i32::from(sel % 4_000) - 2_000,
            i32::from(sel % 3),
            i32::from(sel / 7 % 900),
        ),
    }
}

/// The lowest port of `device` a cable could plug into now.
fn free_port(world: &World, device: ObjectId) -> Option<u8> {
    let kind = world.object(device)?.kind;
    (0..kind.port_count()).find(|port| {
        cable_on_port(world, device, *port).is_none()
            && (kind != ObjectKind::Switch || module_in_port(world, device, *port).is_some())
    })
}

/// A property value: valid, cleared, duplicate or invalid, by `sel`.
fn property(sel: u16, value: u16) -> Property {
    let low = (value % 6) as u8;
    match sel % 12 {
        0 | 1 => Property::Ip(Some(Ipv4Addr::new(10, 0, (value / 6 % 2) as u8, low))),
        2 => Property::Ip(None),
        3 => Property::Ip(Some(
            [
                Ipv4Addr::LOCALHOST,
                Ipv4Addr::UNSPECIFIED,
                Ipv4Addr::BROADCAST,
                Ipv4Addr::new(224, 0, 0, 1),
                Ipv4Addr::new(239, 255, 255, 255),
                Ipv4Addr::new(1, 1, 1, 1),
            ][usize::from(low)],
        )),
        4 => Property::Customer(Some(u32::from(value % 20))),
        5 => Property::Customer(None),
        6 => Property::Label(Some("x".repeat(usize::from(value % 40)))),
        // Multi-byte characters: the length limit is in bytes, not characters.
        7 => Property::Label(Some("é".repeat(usize::from(value % 20)))),
        8 => Property::Label(Some(format!("rack\u{7}{value}"))),
        9 => Property::Label(None),
        10 => Property::App(Some(u32::from(value % 3))),
        _ => Property::App(None),
    }
}

/// Turns a structured step into an action that is plausible for the world as it is
/// now, so that a good share of actions is accepted.
fn build(
    world: &World,
    objects: &[ObjectRecord],
    actor: PlayerId,
    kind: usize,
    a: u16,
    b: u16,
    c: u16,
) -> Action {
    let held: Vec<ObjectId> = world.resource::<WorldIndex>().held_by(actor).to_vec();
    // Mostly something in the actor's hand, when there is something.
    let mine_or = |fallback: &[ObjectId], sel: u16| {
        if !held.is_empty() && !sel.is_multiple_of(4) {
            pick(&held, sel)
        } else {
            pick(fallback, sel)
        }
    };
    let all = ids(objects, |_| true);
    let installed = ids(objects, |r| matches!(r.placement, Placement::InRack(_)));
    let devices = ids(objects, |r| r.kind.is_powered_device());
    let held_by_anyone = |keep: fn(&ObjectRecord) -> bool| {
        ids(objects, |r| {
            matches!(r.placement, Placement::Held(_)) && keep(r)
        })
    };
    match kind {
        0 => {
            // Loose carryable things; racks and routed cables now and then.
            let loose = ids(objects, |r| {
                matches!(r.placement, Placement::Floor { .. })
                    && ((r.kind != ObjectKind::Rack && r.cable.is_none()) || b.is_multiple_of(5))
            });
            Action::PickUp {
                object: pick(&loose, a),
            }
        }
        1 => Action::Drop {
            object: mine_or(&all, a),
            pos: position(b),
            yaw: c,
        },
        2 => {
            let mountable = held_by_anyone(|r| r.kind.rack_units().is_some());
            let object = mine_or(
                if mountable.is_empty() {
                    &all
                } else {
                    &mountable
                },
                a,
            );
            let height = world
                .object(object)
                .and_then(|r| r.kind.rack_units())
                .unwrap_or(1);
            let slot = match free_slot_among(world, objects, height) {
                Some(slot) if !c.is_multiple_of(3) => slot,
                _ => RackSlot {
                    rack: pick(&ids(objects, |r| r.kind == ObjectKind::Rack), b),
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
            on: b.is_multiple_of(2),
        },
        5 => Action::SetProperty {
            object: pick(&all, a),
            value: property(c, b),
        },
        6 => {
            let end = |sel: u16| {
                if sel.is_multiple_of(5) {
                    CableEnd::Customer(u32::from(sel % 20))
                } else {
                    let device = pick(&installed, sel);
                    let port = match free_port(world, device) {
                        Some(port) if !sel.is_multiple_of(3) => port,
                        _ => (sel / 7 % 26) as u8,
                    };
                    CableEnd::Port { device, port }
                }
            };
            let mut cables = held_by_anyone(|r| r.kind == ObjectKind::Cable);
            if cables.is_empty() {
                cables = ids(objects, |r| {
                    r.kind == ObjectKind::Cable && r.cable.is_none()
                });
            }
            Action::ConnectCable {
                cable: mine_or(&cables, a),
                ends: [end(b), end(c)],
            }
        }
        7 => Action::DisconnectCable {
            cable: pick(&ids(objects, |r| r.kind == ObjectKind::Cable), a),
        },
        8 => {
            // Mostly the actor's own namespace; serial 0 and foreign namespaces are refused.
            let namespace = if b.is_multiple_of(8) {
                actor.0 % 4 + 1
            } else {
                actor.0
            };
            Action::Spawn {
                object: ObjectId::new(namespace, u32::from(c % 8)),
                kind: ObjectKind::ALL[usize::from(b / 8) % ObjectKind::ALL.len()],
                pos: position(a),
                yaw: c,
            }
        }
        9 => Action::Destroy {
            object: mine_or(&all, a),
        },
        10 => {
            let switch = pick(&ids(objects, |r| r.kind == ObjectKind::Switch), b);
            let empty = (0..ObjectKind::Switch.port_count())
                .find(|port| module_in_port(world, switch, *port).is_none());
            Action::InsertSfp {
                module: mine_or(&held_by_anyone(|r| r.kind == ObjectKind::SfpModule), a),
                switch,
                port: match empty {
                    Some(port) if !c.is_multiple_of(3) => port,
                    _ => (c % 26) as u8,
                },
            }
        }
        11 => Action::RemoveSfp {
            module: pick(
                &ids(objects, |r| matches!(r.placement, Placement::InPort { .. })),
                a,
            ),
        },
        12 => {
            let broken = ids(objects, |r| r.health.broken);
            Action::Repair {
                object: pick(
                    if b.is_multiple_of(4) {
                        &devices
                    } else {
                        &broken
                    },
                    a,
                ),
            }
        }
        13 => Action::Break {
            object: pick(&devices, a),
        },
        14 => Action::Wear {
            seconds: match b % 6 {
                0 => 0,
                1 => 1,
                2 => 3_600,
                3 => 40_000,
                4 => 150_000,
                _ => u32::from(a) << 16 | u32::from(c),
            },
        },
        _ => Action::Release {
            object: pick(&held_by_anyone(|_| true), a),
            pos: position(b),
            yaw: c,
        },
    }
}

/// Builders of seed inputs: structured and raw steps.
struct Script {
    bytes: Vec<u8>,
}

impl Script {
    fn new() -> Self {
        Self { bytes: Vec::new() }
    }

    /// A raw step: `actor` (1..=4) sends `action` as postcard bytes.
    fn raw(&mut self, actor: u16, action: &Action) -> &mut Self {
        let header = ((actor - 1) as u8 & 3) | (RAW_MODE << 2);
        self.bytes.push(header);
        self.bytes.extend(encode_unbounded(action));
        self
    }

    /// A structured step of `kind` (an [`Action::kind_index`]).
    fn structured(&mut self, actor: u16, kind: usize, a: u16, b: u16, c: u16) -> &mut Self {
        let header = (actor - 1) as u8 & 3;
        let selector = KINDS
            .iter()
            .position(|k| *k == kind)
            .expect("every kind is in the table") as u8;
        self.bytes.push(header);
        self.bytes.push(selector);
        for value in [a, b, c] {
            self.bytes.extend(value.to_le_bytes());
        }
        self
    }
}

/// Seed inputs for the `world_rules` corpus: scripts that walk through the life of each
/// kind of object (carry, install, power, configure, cable, wear, repair, destroy), in
/// both step encodings, and pseudo-random structured sequences.
pub fn seed_inputs() -> Vec<(String, Vec<u8>)> {
    let world = fresh_world();
    let objects = world.objects_sorted();
    let loose = |kind: ObjectKind| {
        objects
            .iter()
            .find(|r| r.kind == kind && matches!(r.placement, Placement::Floor { .. }))
            .filter(|r| r.cable.is_none())
            .map(|r| r.id)
            .unwrap_or(UNKNOWN)
    };
    let first = |kind: ObjectKind| {
        objects
            .iter()
            .find(|r| r.kind == kind)
            .map_or(UNKNOWN, |r| r.id)
    };
    let server = loose(ObjectKind::Server1U);
    // The default world has no loose modules or cables: take a module and the cable
    // plugged into its port out of their places.
    let (sfp, switch, port) = objects
        .iter()
        .find_map(|r| match r.placement {
            Placement::InPort { switch, port } => Some((r.id, switch, port)),
            _ => None,
        })
        .unwrap_or((UNKNOWN, UNKNOWN, 0));
    let cable = cable_on_port(&world, switch, port).unwrap_or(UNKNOWN);
    let slot = free_slot_among(&world, &objects, 1).unwrap_or(RackSlot {
        rack: first(ObjectKind::Rack),
        unit: 1,
    });
    let here = PosMm::new(1_000, 0, 2_000);
    let mut seeds = Vec::new();

    let mut server_life = Script::new();
    server_life
        .raw(1, &Action::PickUp { object: server })
        .raw(
            1,
            &Action::InstallInRack {
                object: server,
                slot,
            },
        )
        .raw(
            2,
            &Action::SetPower {
                object: server,
                on: true,
            },
        )
        .raw(
            2,
            &Action::SetProperty {
                object: server,
                value: Property::Ip(Some(Ipv4Addr::new(10, 9, 8, 7))),
            },
        )
        .raw(
            3,
            &Action::SetProperty {
                object: server,
                value: Property::Label(Some("web-01".into())),
            },
        )
        .raw(3, &Action::Wear { seconds: 100 })
        .raw(4, &Action::Break { object: server })
        .raw(4, &Action::Repair { object: server })
        .raw(
            1,
            &Action::SetPower {
                object: server,
                on: false,
            },
        )
        .raw(1, &Action::RemoveFromRack { object: server })
        .raw(
            1,
            &Action::Drop {
                object: server,
                pos: here,
                yaw: 90,
            },
        )
        .raw(2, &Action::PickUp { object: server })
        .raw(2, &Action::Destroy { object: server });
    seeds.push(("seed-server-life".to_string(), server_life.bytes.clone()));

    let mut cabling = Script::new();
    cabling
        .raw(4, &Action::DisconnectCable { cable })
        .raw(
            4,
            &Action::Drop {
                object: cable,
                pos: here,
                yaw: 0,
            },
        )
        .raw(3, &Action::RemoveSfp { module: sfp })
        .raw(4, &Action::PickUp { object: cable })
        .raw(
            3,
            &Action::InsertSfp {
                module: sfp,
                switch,
                port: 23,
            },
        )
        .raw(4, &Action::DisconnectCable { cable })
        .raw(
            4,
            &Action::ConnectCable {
                cable,
                ends: [
                    CableEnd::Port {
                        device: switch,
                        port: 23,
                    },
                    CableEnd::Customer(3),
                ],
            },
        )
        .raw(3, &Action::RemoveSfp { module: sfp })
        .raw(4, &Action::DisconnectCable { cable })
        .raw(
            4,
            &Action::Release {
                object: cable,
                pos: here,
                yaw: 0,
            },
        )
        .raw(3, &Action::RemoveSfp { module: sfp })
        .raw(
            3,
            &Action::Drop {
                object: sfp,
                pos: here,
                yaw: 7,
            },
        );
    seeds.push(("seed-cabling".to_string(), cabling.bytes.clone()));

    let mut spawning = Script::new();
    for (player, kind) in [
        (1u16, ObjectKind::Rack),
        (2, ObjectKind::Switch),
        (3, ObjectKind::SfpBox),
    ] {
        let object = ObjectId::new(player, 1);
        spawning
            .raw(
                player,
                &Action::Spawn {
                    object,
                    kind,
                    pos: here,
                    yaw: 0,
                },
            )
            .raw(
                player,
                &Action::Spawn {
                    object,
                    kind,
                    pos: here,
                    yaw: 0,
                },
            )
            .raw(player, &Action::PickUp { object })
            .raw(player, &Action::Destroy { object });
    }
    spawning.raw(
        4,
        &Action::Spawn {
            object: ObjectId::new(1, 2),
            kind: ObjectKind::Cable,
            pos: here,
            yaw: 0,
        },
    );
    seeds.push(("seed-spawning".to_string(), spawning.bytes.clone()));

    // Every kind once through the structured builder, from every player.
    let mut every_kind = Script::new();
    for kind in 0..Action::NAMES.len() {
        let actor = (kind % 4) as u16 + 1;
        every_kind.structured(actor, kind, 1 + kind as u16, 2 * kind as u16 + 1, 5);
    }
    seeds.push(("seed-every-kind".to_string(), every_kind.bytes.clone()));

    // Carry-install-connect loops through the builder: the hand actions reach deep.
    let mut builder = Script::new();
    for round in 0..12u16 {
        let actor = round % 4 + 1;
        builder
            .structured(actor, 0, round * 7 + 1, 1, 1)
            .structured(actor, 2, 1, round + 1, 1)
            .structured(actor, 10, 1, round + 1, 2)
            .structured(actor, 6, 1, 2 + round, 4 + round)
            .structured(actor, 4, round * 3 + 1, 2, 0)
            .structured(actor, 5, round + 1, round, round)
            .structured(actor, 14, 0, 4, 0);
    }
    seeds.push(("seed-builder-loop".to_string(), builder.bytes));

    // Pseudo-random structured sequences (xorshift; fixed seeds keep the files stable).
    for seed in 1..=6u64 {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let bytes = (0..600)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                // Keep headers out of raw mode most of the time: raw junk ends steps early.
                (state >> 24) as u8 & 0xe3
            })
            .collect();
        seeds.push((format!("seed-random-{seed}"), bytes));
    }
    seeds
}
