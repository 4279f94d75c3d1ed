//! Stateful property: random interleavings of every kind of action from four clients, over
//! links with seeded loss, latency, jitter, duplication and reordering. After quiescence
//! every client's world equals the host's (same digest, same revision, nothing pending).
//!
//! `RACKSYNC_PROPERTY_CASES` sets the number of cases (default 300, about 10 s; the
//! full run uses thousands: `RACKSYNC_PROPERTY_CASES=2000 cargo test --release --test
//! convergence_property`).

use core::time::Duration;
use proptest::prelude::*;
use racksync::harness::Harness;
use racksync_protocol::{Action, CableEnd, ObjectId, ObjectKind, PosMm, Property, RackSlot};
use racksync_simulation::SimulationSettings;
use racksync_transport::LinkConditions;
use racksync_world::{ReadObjects, generate_world};
use std::net::Ipv4Addr;

const CLIENTS: usize = 4;

/// An action with its object references as indices into the host's sorted ids, so that
/// a generated step stays meaningful whatever the world looks like by then.
#[derive(Clone, Debug)]
enum Step {
    PickUp(usize),
    Drop(usize, i16, i16),
    Install(usize, usize, u8),
    Remove(usize),
    Power(usize, bool),
    Label(usize, u8),
    Ip(usize, u8),
    Customer(usize, u8),
    Connect(usize, usize, u8, u8),
    Disconnect(usize),
    Spawn(u8),
    Destroy(usize),
    InsertSfp(usize, usize, u8),
    RemoveSfp(usize),
    Repair(usize),
}

fn step_strategy() -> impl Strategy<Value = Step> {
    let id = 0..200usize;
    prop_oneof![
        3 => id.clone().prop_map(Step::PickUp),
        2 => (id.clone(), any::<i16>(), any::<i16>()).prop_map(|(i, x, z)| Step::Drop(i, x, z)),
        3 => (id.clone(), id.clone(), 0..44u8).prop_map(|(i, r, u)| Step::Install(i, r, u)),
        2 => id.clone().prop_map(Step::Remove),
        2 => (id.clone(), any::<bool>()).prop_map(|(i, on)| Step::Power(i, on)),
        1 => (id.clone(), 0..4u8).prop_map(|(i, l)| Step::Label(i, l)),
        1 => (id.clone(), 0..6u8).prop_map(|(i, l)| Step::Ip(i, l)),
        1 => (id.clone(), 0..20u8).prop_map(|(i, c)| Step::Customer(i, c)),
        2 => (id.clone(), id.clone(), 0..4u8, 0..20u8)
            .prop_map(|(c, d, p, k)| Step::Connect(c, d, p, k)),
        1 => id.clone().prop_map(Step::Disconnect),
        1 => (0..9u8).prop_map(Step::Spawn),
        1 => id.clone().prop_map(Step::Destroy),
        2 => (id.clone(), id.clone(), 0..26u8).prop_map(|(m, s, p)| Step::InsertSfp(m, s, p)),
        1 => id.clone().prop_map(Step::RemoveSfp),
        1 => id.prop_map(Step::Repair),
    ]
}

fn link_strategy() -> impl Strategy<Value = LinkConditions> {
    (0..80u64, 0..30u64, 0.0..0.15f64, 0.0..0.05f64, 0.0..0.1f64).prop_map(
        |(latency, jitter, loss, duplicate, reorder)| LinkConditions {
            latency: Duration::from_millis(latency),
            jitter: Duration::from_millis(jitter),
            loss,
            duplicate,
            reorder,
        },
    )
}

/// Turns a step into an action for `client`, resolving indices against the host's ids.
fn resolve(harness: &Harness, client: usize, step: &Step) -> Action {
    let ids: Vec<ObjectId> = harness
        .host
        .world()
        .objects_sorted()
        .into_iter()
        .map(|r| r.id)
        .collect();
    let id = |i: usize| {
        ids.get(i % ids.len().max(1))
            .copied()
            .unwrap_or(ObjectId(1))
    };
    match *step {
        Step::PickUp(i) => Action::PickUp { object: id(i) },
        Step::Drop(i, x, z) => Action::Drop {
            object: id(i),
            pos: PosMm::new(i32::from(x) * 4, 0, i32::from(z) * 4),
            yaw: 0,
        },
        Step::Install(i, r, unit) => Action::InstallInRack {
            object: id(i),
            slot: RackSlot { rack: id(r), unit },
        },
        Step::Remove(i) => Action::RemoveFromRack { object: id(i) },
        Step::Power(i, on) => Action::SetPower { object: id(i), on },
        Step::Label(i, l) => Action::SetProperty {
            object: id(i),
            value: Property::Label((l > 0).then(|| format!("label-{l}"))),
        },
        Step::Ip(i, l) => Action::SetProperty {
            object: id(i),
            value: Property::Ip((l > 0).then(|| Ipv4Addr::new(10, 0, 0, l))),
        },
        Step::Customer(i, c) => Action::SetProperty {
            object: id(i),
            value: Property::Customer((c > 0).then_some(u32::from(c))),
        },
        Step::Connect(c, d, port, customer) => Action::ConnectCable {
            cable: id(c),
            ends: [
                CableEnd::Port {
                    device: id(d),
                    port,
                },
                CableEnd::Customer(u32::from(customer)),
            ],
        },
        Step::Disconnect(i) => Action::DisconnectCable { cable: id(i) },
        Step::Spawn(kind) => {
            let me = harness.player(client).expect("playing clients have an id");
            Action::Spawn {
                object: harness.next_spawn_id(client),
                kind: ObjectKind::ALL[usize::from(kind) % ObjectKind::ALL.len()],
                pos: PosMm::new(i32::from(me.0) * 1_000, 0, 3_000),
                yaw: 0,
            }
        }
        Step::Destroy(i) => Action::Destroy { object: id(i) },
        Step::InsertSfp(m, s, port) => Action::InsertSfp {
            module: id(m),
            switch: id(s),
            port,
        },
        Step::RemoveSfp(i) => Action::RemoveSfp { module: id(i) },
        Step::Repair(i) => Action::Repair { object: id(i) },
    }
}

fn cases() -> u32 {
    std::env::var("RACKSYNC_PROPERTY_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

/// Runs one case; returns (accepted, rejected) counts over all clients, or why the
/// clients did not converge.
fn run_case(
    seed: u64,
    links: Vec<(LinkConditions, LinkConditions)>,
    script: &[(usize, Step, usize)],
) -> Result<(u64, u64), String> {
    let mut harness = Harness::memory(generate_world(90, seed % 7), seed);
    // Fast wear so that simulation broadcasts interleave with player actions.
    harness.host.insert_resource(SimulationSettings {
        wear_every: Duration::from_millis(500),
        time_scale: 2_000,
        failure_ppm: 200_000,
        seed,
        ..SimulationSettings::default()
    });
    for (i, (up, down)) in links.into_iter().enumerate() {
        harness.add_client_with(&format!("bot{i}"), up, down);
    }
    harness.join_all(2_000);
    for (client, step, wait) in script {
        let action = resolve(&harness, *client, step);
        harness.perform(*client, action);
        harness.run(*wait);
    }
    if !harness.run_until(3_000, |h| h.converged()) {
        return Err(format!(
            "not converged: host {} at {}, clients {:?}",
            harness.host_digest(),
            harness.host_revision(),
            (0..CLIENTS)
                .map(|c| (
                    harness.client_digest(c),
                    harness.client_revision(c),
                    harness.rollback_stats(c)
                ))
                .collect::<Vec<_>>()
        ));
    }
    Ok((0..CLIENTS).fold((0, 0), |(accepted, rejected), c| {
        let stats = harness.rollback_stats(c);
        (
            accepted + stats.accepted,
            rejected + stats.rejected + stats.rejected_locally,
        )
    }))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    })]

    #[test]
    fn clients_converge_on_the_host_world(
        seed in any::<u64>(),
        links in proptest::collection::vec((link_strategy(), link_strategy()), CLIENTS),
        script in proptest::collection::vec((0..CLIENTS, step_strategy(), 0..3usize), 10..60),
    ) {
        if let Err(why) = run_case(seed, links, &script) {
            prop_assert!(false, "{}", why);
        }
    }
}

/// The generator must produce real traffic, not a stream of rejections: a long fixed
/// script over impaired links has plenty of both outcomes and still converges.
#[test]
fn the_action_mix_is_accepted_often_enough_to_matter() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let script = proptest::collection::vec((0..CLIENTS, step_strategy(), 0..3usize), 400)
        .new_tree(&mut runner)
        .unwrap()
        .current();
    let links = proptest::collection::vec((link_strategy(), link_strategy()), CLIENTS)
        .new_tree(&mut runner)
        .unwrap()
        .current();
    let (accepted, rejected) = run_case(99, links, &script).unwrap();
    eprintln!("accepted {accepted}, rejected {rejected}");
    assert!(accepted >= 25, "accepted {accepted}, rejected {rejected}");
    assert!(rejected >= 40, "accepted {accepted}, rejected {rejected}");
}
