//! A load whose acknowledged effects can be checked in any later world: each client
//! spawns a few servers in its own namespace, then keeps relabelling them with an
//! increasing counter (`n0`, `n1`, …). Objects are never destroyed and labels only
//! count up, so for every ACKed action the recovered world must hold its object with a
//! label at least as high as the highest ACKed one.

use racksync::harness::Harness;
use racksync::rollback::ActionOutcome;
use racksync_protocol::{Action, ObjectId, ObjectKind, PosMm, Property};
use racksync_world::ReadObjects;
use std::collections::BTreeMap;

/// Servers each client spawns before it starts relabelling.
const SPAWNS: usize = 4;

/// Per-client progress of the load.
#[derive(Debug, Default)]
pub struct LabelLoad {
    spawned: BTreeMap<usize, Vec<ObjectId>>,
    counter: BTreeMap<usize, u64>,
}

impl LabelLoad {
    /// Queues the next action of `client` (call once per step per client).
    pub fn act(&mut self, harness: &mut Harness, client: usize) {
        let spawned = self.spawned.entry(client).or_default();
        if spawned.len() < SPAWNS {
            let object = harness.next_spawn_id(client);
            let slot = spawned.len() as i32;
            let pos = PosMm::new(2_000 * client as i32 - 40_000, 0, 2_000 * slot - 40_000);
            spawned.push(object);
            harness.perform(
                client,
                Action::Spawn {
                    object,
                    kind: ObjectKind::Server1U,
                    pos,
                    yaw: 0,
                },
            );
            return;
        }
        let counter = self.counter.entry(client).or_default();
        let object = spawned[*counter as usize % SPAWNS];
        let label = format!("n{counter}");
        *counter += 1;
        harness.perform(
            client,
            Action::SetProperty {
                object,
                value: Property::Label(Some(label)),
            },
        );
    }
}

/// Checks that `world` holds the effect of every accepted action in `outcomes`;
/// returns how many accepted actions were checked.
pub fn assert_acked_effects(world: &bevy_ecs::world::World, outcomes: &[ActionOutcome]) -> usize {
    let mut highest: BTreeMap<ObjectId, u64> = BTreeMap::new();
    let mut checked = 0;
    for outcome in outcomes {
        let ActionOutcome::Accepted {
            action, revision, ..
        } = outcome
        else {
            continue;
        };
        checked += 1;
        match action {
            Action::Spawn { object, .. } => assert!(
                world.object(*object).is_some(),
                "spawn of {object} was ACKed at {revision} but the object is missing"
            ),
            Action::SetProperty {
                object,
                value: Property::Label(Some(label)),
            } => {
                let n = counter_of(label);
                let entry = highest.entry(*object).or_default();
                *entry = (*entry).max(n);
            }
            other => panic!("the load does not perform {other:?}"),
        }
    }
    for (object, acked) in highest {
        let record = world
            .object(object)
            .unwrap_or_else(|| panic!("{object} was labelled but is missing"));
        let label = record
            .properties
            .label
            .expect("a labelled object keeps a label");
        assert!(
            counter_of(&label) >= acked,
            "{object} has label {label} but n{acked} was ACKed"
        );
    }
    checked
}

fn counter_of(label: &str) -> u64 {
    label
        .strip_prefix('n')
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected label {label:?}"))
}
