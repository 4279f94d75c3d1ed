//! Turning "do a SetPower now" into a concrete action the bot's own world accepts.
//!
//! Targets are sampled (from the shared [`Catalog`], the bot's focus racks, its hands)
//! and checked with the same rules the host runs, so what a bot sends is legal as far as
//! it knows: host rejections then measure real contention, not bot mistakes.

use super::catalog::Catalog;
use super::format::BotAction;
use bevy_ecs::prelude::*;
use racksync_protocol::{
    Action, CableEnd, ObjectId, ObjectKind, Placement, PlayerId, PosMm, Property, RACK_UNITS,
    RackSlot,
};
use racksync_world::queries::{cable_on_port, module_in_port};
use racksync_world::{NetObject, Placed, WorldIndex, rules};
use rand::RngExt;
use rand::rngs::StdRng;

/// Candidates tried per action before the bot gives up on it for this turn.
const ATTEMPTS: usize = 8;

/// Most objects a bot keeps spawned at once, so a long run does not grow the world
/// without bound.
pub const MAX_LIVE_SPAWNS: usize = 16;

/// What a bot knows when it picks a target.
pub struct Choice<'a> {
    /// The bot's local world (predictions included).
    pub world: &'a World,
    /// The bot's player.
    pub me: PlayerId,
    /// Shared target lists.
    pub catalog: &'a Catalog,
    /// The racks this bot works on.
    pub focus: &'a [ObjectId],
    /// Where the bot stands.
    pub position: PosMm,
    /// Objects this bot spawned that may still exist.
    pub spawned: &'a [ObjectId],
    /// Objects the bot saw put on the floor lately.
    pub dropped: &'a [ObjectId],
}

impl Choice<'_> {
    /// A legal action of `kind`; when there is none (nothing in hand to drop, no cable
    /// to plug), the step that leads to it (pick something up, unplug a cable), so the
    /// scenario's rates stay rates of work done. `None` when neither was found.
    pub fn pick(&self, kind: BotAction, rng: &mut StdRng) -> Option<Action> {
        self.pick_exactly(kind, rng)
            .or_else(|| self.pick_exactly(prerequisite(kind)?, rng))
    }

    fn pick_exactly(&self, kind: BotAction, rng: &mut StdRng) -> Option<Action> {
        (0..ATTEMPTS).find_map(|_| {
            let action = self.candidate(kind, rng)?;
            rules::validate(self.world, self.me, &action)
                .is_ok()
                .then_some(action)
        })
    }

    fn candidate(&self, kind: BotAction, rng: &mut StdRng) -> Option<Action> {
        Some(match kind {
            BotAction::PickUp => Action::PickUp {
                // What was dropped lately, or lay loose at the start.
                object: match sample(self.dropped, rng) {
                    Some(id) if rng.random_bool(0.5) => id,
                    _ => sample(&self.catalog.loose, rng)?,
                },
            },
            BotAction::Drop => Action::Drop {
                object: sample(self.held(), rng)?,
                pos: self.near(rng),
                yaw: rng.random_range(0..360),
            },
            BotAction::Install => {
                let object = self.held_of(rng, |kind| kind.rack_units().is_some())?;
                let height = self.kind_of(object)?.rack_units()?;
                let slot = self.free_slot(height, rng)?;
                Action::InstallInRack { object, slot }
            }
            BotAction::Remove => Action::RemoveFromRack {
                object: self.focus_occupant(rng)?,
            },
            BotAction::SetPower => {
                let object = self.device(rng)?;
                let on = self
                    .world
                    .get::<racksync_world::Powered>(self.entity(object)?)
                    .is_some_and(|powered| !powered.0);
                Action::SetPower { object, on }
            }
            BotAction::SetProperty => Action::SetProperty {
                object: self.device(rng)?,
                value: match rng.random_range(0..10) {
                    0..=5 => Property::Label(Some(format!(
                        "p{}-{}",
                        self.me.0,
                        rng.random_range(0..1000)
                    ))),
                    6..=8 => Property::Customer(Some(rng.random_range(1..500))),
                    _ => Property::App(Some(rng.random_range(1..50))),
                },
            },
            BotAction::ConnectCable => {
                let cable = self.held_of(rng, |kind| kind == ObjectKind::Cable)?;
                let device = self.focus_occupant(rng)?;
                let ports = self.kind_of(device)?.port_count();
                let port = rng.random_range(0..ports.max(1));
                if cable_on_port(self.world, device, port).is_some() {
                    return None;
                }
                Action::ConnectCable {
                    cable,
                    ends: [
                        CableEnd::Port { device, port },
                        CableEnd::Customer(rng.random_range(1..100)),
                    ],
                }
            }
            BotAction::DisconnectCable => Action::DisconnectCable {
                cable: sample(&self.catalog.cables, rng)?,
            },
            BotAction::Spawn => {
                if self.spawned.len() >= MAX_LIVE_SPAWNS {
                    return None;
                }
                let namespace = self.me.namespace();
                let serial = self.world.resource::<WorldIndex>().next_serial(namespace);
                let kinds = [
                    ObjectKind::Server1U,
                    ObjectKind::SfpModule,
                    ObjectKind::Cable,
                ];
                Action::Spawn {
                    object: ObjectId::new(namespace, serial),
                    kind: kinds[rng.random_range(0..kinds.len())],
                    pos: self.near(rng),
                    yaw: 0,
                }
            }
            BotAction::Destroy => Action::Destroy {
                object: sample(self.spawned, rng)?,
            },
            BotAction::InsertSfp => {
                let module = self.held_of(rng, |kind| kind == ObjectKind::SfpModule)?;
                let switch = sample(&self.catalog.switches, rng)?;
                let port = rng.random_range(0..ObjectKind::Switch.port_count());
                if module_in_port(self.world, switch, port).is_some() {
                    return None;
                }
                Action::InsertSfp {
                    module,
                    switch,
                    port,
                }
            }
            BotAction::RemoveSfp => Action::RemoveSfp {
                module: sample(&self.catalog.modules, rng)?,
            },
            BotAction::Repair => Action::Repair {
                object: sample(&self.catalog.powered, rng)?,
            },
        })
    }

    fn held(&self) -> &[ObjectId] {
        self.world.resource::<WorldIndex>().held_by(self.me)
    }

    fn held_of(&self, rng: &mut StdRng, wanted: impl Fn(ObjectKind) -> bool) -> Option<ObjectId> {
        let held: Vec<ObjectId> = self
            .held()
            .iter()
            .copied()
            .filter(|id| self.kind_of(*id).is_some_and(&wanted))
            .collect();
        sample(&held, rng)
    }

    fn entity(&self, id: ObjectId) -> Option<Entity> {
        self.world.resource::<WorldIndex>().entity(id)
    }

    fn kind_of(&self, id: ObjectId) -> Option<ObjectKind> {
        Some(self.world.get::<NetObject>(self.entity(id)?)?.kind)
    }

    /// A device in a focus rack half the time (so work concentrates where the bots are),
    /// any powered device otherwise.
    fn device(&self, rng: &mut StdRng) -> Option<ObjectId> {
        if rng.random_bool(0.5)
            && let Some(id) = self.focus_occupant(rng)
        {
            return Some(id);
        }
        sample(&self.catalog.powered, rng)
    }

    /// Something mounted in one of the focus racks.
    fn focus_occupant(&self, rng: &mut StdRng) -> Option<ObjectId> {
        let rack = sample(self.focus, rng)?;
        let units = self.world.resource::<WorldIndex>().rack_units(rack)?;
        let occupied: Vec<ObjectId> = units.iter().flatten().copied().collect();
        let id = sample(&occupied, rng)?;
        // A tall device fills several units; any of them names it.
        matches!(
            self.world.get::<Placed>(self.entity(id)?)?.0,
            Placement::InRack(_)
        )
        .then_some(id)
    }

    /// The lowest free range of `height` units in a random focus rack: the lowest, so
    /// bots sharing racks race for the same slot.
    fn free_slot(&self, height: u8, rng: &mut StdRng) -> Option<RackSlot> {
        let rack = sample(self.focus, rng)?;
        let units = self.world.resource::<WorldIndex>().rack_units(rack)?;
        (1..=RACK_UNITS + 1 - height).find_map(|unit| {
            let first = usize::from(unit) - 1;
            units[first..first + usize::from(height)]
                .iter()
                .all(Option::is_none)
                .then_some(RackSlot { rack, unit })
        })
    }

    fn near(&self, rng: &mut StdRng) -> PosMm {
        PosMm::new(
            self.position.x + rng.random_range(-500..=500),
            0,
            self.position.z + rng.random_range(-500..=500),
        )
    }
}

/// What has to happen before `kind` can: something in hand, a free cable or module, an
/// object of one's own.
fn prerequisite(kind: BotAction) -> Option<BotAction> {
    match kind {
        BotAction::Drop | BotAction::Install => Some(BotAction::PickUp),
        BotAction::Remove => Some(BotAction::Install),
        BotAction::ConnectCable => Some(BotAction::DisconnectCable),
        BotAction::InsertSfp => Some(BotAction::RemoveSfp),
        BotAction::Destroy => Some(BotAction::Spawn),
        _ => None,
    }
}

fn sample(ids: &[ObjectId], rng: &mut StdRng) -> Option<ObjectId> {
    (!ids.is_empty()).then(|| ids[rng.random_range(0..ids.len())])
}
