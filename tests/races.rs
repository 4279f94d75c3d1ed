//! Conflicting actions from several clients over links with latency: the host serializes
//! them, exactly one wins, the loser rolls back, and everyone converges.

mod common;

use core::time::Duration;
use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::{
    Action, ObjectId, ObjectKind, Placement, PlayerId, PosMm, RackSlot, Rejection,
};
use racksync_rollback::ActionOutcome;
use racksync_transport::LinkConditions;
use racksync_world::ReadObjects;

fn delayed(ms: u64) -> LinkConditions {
    LinkConditions {
        latency: Duration::from_millis(ms),
        ..LinkConditions::default()
    }
}

/// A host with `n` clients on links of 40 ms each way, all playing.
fn harness_with_latency(n: usize, seed: u64) -> Harness {
    let mut harness = Harness::memory(default_world().unwrap(), seed);
    for i in 0..n {
        harness.add_client_with(&format!("p{i}"), delayed(40), delayed(40));
    }
    harness.join_all(400);
    harness
}

fn player(harness: &Harness, client: usize) -> PlayerId {
    harness
        .player(client)
        .expect("joined clients have a player id")
}

/// Client spawns a device of `kind` in its own namespace and picks it up.
fn spawn_and_hold(harness: &mut Harness, client: usize, kind: ObjectKind) -> ObjectId {
    let me = player(harness, client);
    let object = harness.next_spawn_id(client);
    harness.perform(
        client,
        Action::Spawn {
            object,
            kind,
            pos: PosMm::new(1_000 * i32::from(me.0), 0, 5_000),
            yaw: 0,
        },
    );
    harness.step();
    harness.perform(client, Action::PickUp { object });
    assert!(harness.run_until(300, |h| h.converged()));
    object
}

fn outcomes(harness: &Harness, client: usize) -> &[ActionOutcome] {
    &harness.recorded(client).outcomes
}

fn accepted(outcome: &ActionOutcome) -> bool {
    matches!(outcome, ActionOutcome::Accepted { .. })
}

#[test]
fn overlapping_installs_in_the_same_tick_one_wins_the_other_rolls_back() {
    let mut harness = harness_with_latency(3, 21);
    let big = spawn_and_hold(&mut harness, 0, ObjectKind::Server3U);
    let small = spawn_and_hold(&mut harness, 1, ObjectKind::Server1U);
    let rack = ObjectId::new(0, 1);
    let before = [outcomes(&harness, 0).len(), outcomes(&harness, 1).len()];

    // Units 1..=3 of the first rack are free; 3U at 1 and 1U at 2 overlap.
    harness.perform(
        0,
        Action::InstallInRack {
            object: big,
            slot: RackSlot { rack, unit: 1 },
        },
    );
    harness.perform(
        1,
        Action::InstallInRack {
            object: small,
            slot: RackSlot { rack, unit: 2 },
        },
    );
    harness.step();
    // Both see their own install at once (optimistic apply).
    assert!(matches!(
        harness.clients[0].world().object(big).unwrap().placement,
        Placement::InRack(_)
    ));
    assert!(matches!(
        harness.clients[1].world().object(small).unwrap().placement,
        Placement::InRack(_)
    ));
    assert!(harness.run_until(300, |h| h.converged()));

    let first = &outcomes(&harness, 0)[before[0]..];
    let second = &outcomes(&harness, 1)[before[1]..];
    let wins = first.iter().chain(second).filter(|o| accepted(o)).count();
    assert_eq!(wins, 1, "{first:?} {second:?}");
    let (loser, loser_object, loser_outcomes) = if first.iter().any(accepted) {
        (1, small, second)
    } else {
        (0, big, first)
    };
    assert!(
        loser_outcomes.iter().any(|o| matches!(
            o,
            ActionOutcome::Rejected {
                reason: Rejection::SlotOccupied(_),
                ..
            }
        )),
        "{loser_outcomes:?}"
    );
    // Undone either when the winner's broadcast arrived first (dropped on replay) or
    // when the rejection did (rolled back).
    let stats = harness.rollback_stats(loser);
    assert_eq!(stats.rolled_back + stats.dropped_on_replay, 1, "{stats:?}");
    let placement = harness.host.world().object(loser_object).unwrap().placement;
    assert_eq!(placement, Placement::Held(player(&harness, loser)));
    assert_eq!(
        harness.clients[loser]
            .world()
            .object(loser_object)
            .unwrap()
            .placement,
        placement
    );
}

#[test]
fn two_clients_pick_up_the_same_object_exactly_one_gets_it() {
    let mut harness = harness_with_latency(3, 22);
    let (server, _) = common::loose_server_and_slot(&harness);
    harness.perform(0, Action::PickUp { object: server });
    harness.perform(1, Action::PickUp { object: server });
    harness.step();
    assert!(harness.run_until(300, |h| h.converged()));
    let results = [outcomes(&harness, 0), outcomes(&harness, 1)];
    let wins: usize = results
        .iter()
        .map(|r| r.iter().filter(|o| accepted(o)).count())
        .sum();
    assert_eq!(wins, 1, "{results:?}");
    let winner = if results[0].iter().any(accepted) {
        0
    } else {
        1
    };
    let loser = 1 - winner;
    assert!(results[loser].iter().any(|o| matches!(
        o,
        ActionOutcome::Rejected {
            reason: Rejection::HeldByOther(_),
            ..
        }
    )));
    let holder = Placement::Held(player(&harness, winner));
    for app in std::iter::once(&harness.host).chain(&harness.clients) {
        assert_eq!(app.world().object(server).unwrap().placement, holder);
    }
}

#[test]
fn a_chain_whose_first_action_is_rejected_is_undone_entirely() {
    // Client 1 is far from the host, so client 0 takes the server first.
    let mut harness = Harness::memory(default_world().unwrap(), 23);
    harness.add_client_with("near", delayed(5), delayed(5));
    harness.add_client_with("far", delayed(120), delayed(120));
    harness.join_all(400);
    let (server, slot) = common::loose_server_and_slot(&harness);
    harness.perform(0, Action::PickUp { object: server });
    harness.perform(1, Action::PickUp { object: server });
    harness.step();
    // A2 depends on A1: install what was just (optimistically) picked up.
    harness.perform(
        1,
        Action::InstallInRack {
            object: server,
            slot,
        },
    );
    harness.step();
    assert!(matches!(
        harness.clients[1].world().object(server).unwrap().placement,
        Placement::InRack(_)
    ));
    assert!(harness.run_until(400, |h| h.converged()));

    // The near player's broadcast reaches the far client before its own ACKs: both of
    // its actions are dropped on replay, then both are rejected by the host.
    let far = outcomes(&harness, 1);
    assert!(far.iter().all(|o| !accepted(o)), "{far:?}");
    let rejected = far
        .iter()
        .filter(|o| matches!(o, ActionOutcome::Rejected { .. }))
        .count();
    assert_eq!(rejected, 2, "{far:?}");
    assert!(far.iter().any(|o| matches!(
        o,
        ActionOutcome::Rejected {
            reason: Rejection::HeldByOther(_),
            ..
        }
    )));
    let near = player(&harness, 0);
    assert_eq!(
        harness.clients[1].world().object(server).unwrap().placement,
        Placement::Held(near)
    );
}

#[test]
fn a_cut_link_times_actions_out_and_converges_when_restored() {
    let mut harness = harness_with_latency(2, 24);
    let (server, slot) = common::loose_server_and_slot(&harness);
    harness.cut_link(0, true);
    harness.perform(0, Action::PickUp { object: server });
    harness.step();
    harness.perform(
        0,
        Action::InstallInRack {
            object: server,
            slot,
        },
    );
    // Meanwhile the other player changes the world; client 0 does not hear of it.
    let running = harness
        .host
        .world()
        .objects_sorted()
        .into_iter()
        .find(|r| r.powered)
        .expect("the default world has a running device")
        .id;
    harness.perform(
        1,
        Action::SetPower {
            object: running,
            on: false,
        },
    );
    // Past the 5 s ACK timeout: both pending actions roll back.
    harness.run(400);
    let stats = harness.rollback_stats(0);
    assert_eq!(stats.timed_out, 2, "{stats:?}");
    assert_eq!(
        harness.clients[0].world().object(server).unwrap().placement,
        harness.host.world().object(server).unwrap().placement,
        "timed out actions are rolled back to the confirmed state"
    );
    assert_ne!(harness.client_revision(0), harness.host_revision());

    // Renet resends everything once the link is back: the late ACKs and broadcasts
    // arrive and the client converges on the host's world.
    harness.cut_link(0, false);
    assert!(harness.run_until(1_000, |h| h.converged()));
    assert_eq!(
        harness.host.world().object(server).unwrap().placement,
        Placement::InRack(slot)
    );
    assert!(harness.recorded(0).outcomes.iter().any(accepted));
    assert!(!harness.host.world().object(running).unwrap().powered);
}

#[test]
fn a_severed_client_rejoins_and_converges() {
    let mut harness = harness_with_latency(2, 25);
    let id = harness.client_id(0);
    harness.network().unwrap().sever(id).unwrap();
    harness.run(20);
    let (server, slot) = common::loose_server_and_slot(&harness);
    harness.perform(1, Action::PickUp { object: server });
    harness.step();
    harness.perform(
        1,
        Action::InstallInRack {
            object: server,
            slot,
        },
    );
    assert!(harness.run_until(300, |h| {
        h.client_digest(1) == h.host_digest() && h.client_revision(1) == h.host_revision()
    }));
    assert!(!harness.join_state(0).is_playing());
    let again = harness.add_client_with("p0-again", delayed(40), delayed(40));
    assert!(harness.run_until(400, |h| h.join_state(again).is_playing()));
    assert_eq!(harness.client_digest(again), harness.host_digest());
    assert_eq!(harness.client_revision(again), harness.host_revision());
}
