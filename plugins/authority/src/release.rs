//! Releasing what a leaving player held (SPEC §8: "players leaving release what they
//! held"), as host actions so every client sees it at the same revision.

use bevy_ecs::prelude::*;
use bevy_log::info;
use racksync_protocol::{Action, PosMm, QuantizedTransform, WorldBounds};
use racksync_replication::HostActions;
use racksync_replication::PlayerLeft;
use racksync_world::{Settings, WorldIndex};

/// Height objects are released at: the floor, unless the world's bounds exclude 0.
const FLOOR_MM: i32 = 0;

/// For every player that left this frame, queues one `Action::Release` per object still
/// in its hand, at its last known transform on the floor (clamped into the world; the
/// world origin when the player never reported a transform). `decide_actions` then
/// applies and broadcasts them like any host action, so every client converges.
///
/// Runs in [`racksync_replication::RacksyncSystems::Process`] on the host, before
/// [`crate::decide_actions`]; [`PlayerLeft`] is written earlier in the same frame.
pub fn release_on_leave(
    mut left: MessageReader<PlayerLeft>,
    index: Res<WorldIndex>,
    settings: Res<Settings>,
    mut actions: ResMut<HostActions>,
) {
    for leave in left.read() {
        let held = index.held_by(leave.player);
        if held.is_empty() {
            continue;
        }
        let (pos, yaw) = release_spot(leave.last_transform, &settings.0.bounds);
        info!(player = %leave.player, objects = held.len(), ?pos, cause = ?leave.cause, "releasing what a leaving player held");
        actions.0.extend(
            held.iter()
                .map(|&object| Action::Release { object, pos, yaw }),
        );
    }
}

/// Where a leaving player's objects land: below its last position, on the floor, inside
/// the world bounds, turned the way the player faced.
pub fn release_spot(last: Option<QuantizedTransform>, bounds: &WorldBounds) -> (PosMm, u16) {
    let (pos, yaw) = last.map_or((PosMm::default(), 0), |t| (t.position_mm(), t.yaw));
    let clamped = PosMm::new(
        pos.x.clamp(bounds.min.x, bounds.max.x),
        FLOOR_MM.clamp(bounds.min.y, bounds.max.y),
        pos.z.clamp(bounds.min.z, bounds.max.z),
    );
    (clamped, yaw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spot_is_on_the_floor_below_the_player() {
        let bounds = WorldBounds::default();
        let t = QuantizedTransform::from_metres([3.2, 1.7, -4.5], 0.0, 0.0);
        assert_eq!(
            release_spot(Some(t), &bounds),
            (PosMm::new(3200, 0, -4500), 0)
        );
    }

    #[test]
    fn spot_is_clamped_into_the_world() {
        let bounds = WorldBounds {
            min: PosMm::new(-1000, 500, -2000),
            max: PosMm::new(1000, 3000, 2000),
        };
        let t = QuantizedTransform {
            x_cm: 5000,
            y_cm: 0,
            z_cm: -9000,
            yaw: 123,
            pitch: 0,
        };
        let (pos, yaw) = release_spot(Some(t), &bounds);
        assert_eq!(pos, PosMm::new(1000, 500, -2000));
        assert!(bounds.contains(pos));
        assert_eq!(yaw, 123);
        assert_eq!(release_spot(None, &bounds).0, PosMm::new(0, 500, 0));
    }
}
