//! Network events (SPEC §10): every target, the parameter and size limits, big events
//! arriving whole, the per-event rate limit queuing (and letting other events pass),
//! the global limit, unregistered events, late joiners, and host-side senders.

use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::events::{MAX_EVENT_PARAM_BYTES, MAX_EVENT_PARAMS};
use racksync_protocol::{
    Action, EventError, EventParam, EventSender, EventTarget, F32, ObjectKind, ParamKind,
};
use racksync_replication::messaging::{EventDef, ReceivedEvent};
use racksync_world::queries::loose_objects;

/// A host with three players (alice owns the instance: she joined first).
fn three_players() -> Harness {
    let mut harness = Harness::memory(default_world().unwrap(), 11);
    for name in ["alice", "bob", "carol"] {
        harness.add_client(name);
        // One at a time, so the join order (and the owner) is fixed.
        harness.join_all(200);
    }
    harness.register_event("ping", EventDef::default());
    harness
}

const ALICE: usize = 0;
const BOB: usize = 1;
const CAROL: usize = 2;

fn names(events: &[ReceivedEvent]) -> Vec<String> {
    events.iter().map(|e| e.name.clone()).collect()
}

fn event_ints(events: &[ReceivedEvent], name: &str) -> Vec<i32> {
    events
        .iter()
        .filter(|e| e.name == name)
        .map(|e| match e.params.first() {
            Some(EventParam::Int(n)) => *n,
            other => panic!("expected an int, got {other:?}"),
        })
        .collect()
}

#[test]
fn every_target_reaches_exactly_its_players() {
    let mut h = three_players();
    let alice = h.player(ALICE).unwrap();
    let bob = h.player(BOB).unwrap();
    assert_eq!(h.host_owner(), Some(alice));

    // Bob holds a server, so he owns it.
    let server = loose_objects(h.host.world(), ObjectKind::Server1U)[0];
    h.perform(BOB, Action::PickUp { object: server });
    h.run(10);

    let cases: Vec<(EventTarget, [bool; 3])> = vec![
        (EventTarget::All, [true, true, true]),
        (EventTarget::Others, [false, true, true]),
        (EventTarget::Local, [true, false, false]),
        (EventTarget::Players(vec![bob]), [false, true, false]),
        (EventTarget::Players(vec![alice, bob]), [true, true, false]),
        (EventTarget::Owner(None), [true, false, false]),
        (EventTarget::Owner(Some(server)), [false, true, false]),
    ];
    for (index, (target, expected)) in cases.into_iter().enumerate() {
        let before: Vec<usize> = (0..3).map(|c| h.recorded(c).events.len()).collect();
        let tag = index as i32;
        h.send_event(ALICE, "ping", target.clone(), vec![EventParam::Int(tag)])
            .unwrap();
        // The sender's own copy runs at once: it is recorded on alice's next update,
        // before anything could travel.
        h.update_clients();
        let local_now = h.recorded(ALICE).events.len() > before[ALICE];
        // The owner's copy comes back from the host (the sender does not know who owns
        // what); every other copy of the sender's runs locally.
        let expect_local = expected[ALICE] && !matches!(target, EventTarget::Owner(_));
        assert_eq!(local_now, expect_local, "{target:?}: alice's local copy");
        h.run(10);
        for client in [ALICE, BOB, CAROL] {
            let got = h.recorded(client).events[before[client]..].to_vec();
            let wanted = usize::from(expected[client]);
            assert_eq!(got.len(), wanted, "{target:?} to client {client}: {got:?}");
            if let Some(event) = got.first() {
                assert_eq!(event.sender, EventSender::Player(alice));
                assert_eq!(event.params, vec![EventParam::Int(tag)]);
            }
        }
    }
    // The host's handlers see every player event with its sender.
    let heard = &h
        .host
        .world()
        .resource::<racksync::harness::HostHeard>()
        .events;
    assert!(heard.iter().all(|e| e.sender == EventSender::Player(alice)));
    assert_eq!(heard.len(), 6, "all but the Local one reached the host");
}

#[test]
fn parameter_and_size_limits_are_refused_with_clear_errors() {
    let mut h = three_players();
    h.register_event(
        "typed",
        EventDef {
            params: Some(vec![ParamKind::Int, ParamKind::Text]),
            rate_per_s: 5,
        },
    );
    let nine = vec![EventParam::Bool(true); MAX_EVENT_PARAMS + 1];
    let error = h
        .send_event(ALICE, "ping", EventTarget::All, nine)
        .unwrap_err();
    assert_eq!(error, EventError::TooManyParams(9));
    assert_eq!(error.to_string(), "9 parameters (at most 8)");

    let big = vec![
        EventParam::Bytes(vec![0; MAX_EVENT_PARAM_BYTES - 3]),
        EventParam::Int(1),
    ];
    let error = h
        .send_event(ALICE, "ping", EventTarget::All, big)
        .unwrap_err();
    assert_eq!(error, EventError::TooLarge(MAX_EVENT_PARAM_BYTES + 1));
    assert_eq!(
        error.to_string(),
        "16385 bytes of parameters (at most 16384)"
    );

    let wrong = vec![EventParam::Text("x".into()), EventParam::Int(1)];
    let error = h
        .send_event(ALICE, "typed", EventTarget::All, wrong)
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("parameters do not match the event's definition")
    );
    let right = vec![EventParam::Int(1), EventParam::Text("x".into())];
    h.send_event(ALICE, "typed", EventTarget::All, right)
        .unwrap();
    h.run(10);
    assert!(h.recorded(ALICE).refused_events.is_empty());
    assert_eq!(names(&h.recorded(BOB).events), ["typed"]);
}

#[test]
fn events_over_a_kilobyte_arrive_whole() {
    let mut h = three_players();
    h.register_event(
        "blob",
        EventDef {
            params: None,
            rate_per_s: 100,
        },
    );
    let payload: Vec<u8> = (0..MAX_EVENT_PARAM_BYTES - 40)
        .map(|i| (i * 7) as u8)
        .collect();
    let params = vec![
        EventParam::Bytes(payload),
        EventParam::Text("the whole thing".into()),
        EventParam::Vec3([F32::from(1.5), F32::from(-0.0), F32::from(f32::MAX)]),
        EventParam::Long(-1),
    ];
    h.send_event(ALICE, "blob", EventTarget::Others, params.clone())
        .unwrap();
    h.run(20);
    for client in [BOB, CAROL] {
        let events = &h.recorded(client).events;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].params, params, "arrived whole and unchanged");
    }
}

#[test]
fn the_sixth_event_in_a_second_waits_and_keeps_its_order() {
    let mut h = three_players();
    for n in 0..6 {
        h.send_event(ALICE, "ping", EventTarget::Others, vec![EventParam::Int(n)])
            .unwrap();
    }
    assert_eq!(h.event_outbox(ALICE).queued("ping"), 6);
    // Within 150 ms (about 9 steps of 16 ms): five arrive, the sixth is still queued.
    h.run(9);
    assert_eq!(event_ints(&h.recorded(BOB).events, "ping"), [0, 1, 2, 3, 4]);
    assert_eq!(h.event_outbox(ALICE).queued("ping"), 1);
    assert_eq!(h.event_outbox(ALICE).queued_total(), 1);
    // 200 ms after the burst its turn comes.
    h.run(10);
    assert_eq!(
        event_ints(&h.recorded(BOB).events, "ping"),
        [0, 1, 2, 3, 4, 5]
    );
    assert_eq!(h.event_outbox(ALICE).queued_total(), 0);
}

#[test]
fn a_rate_limited_event_lets_later_events_of_other_names_pass() {
    let mut h = three_players();
    let slow = EventDef {
        params: None,
        rate_per_s: 3,
    };
    h.register_event("a", slow);
    h.register_event("b", EventDef::default());
    for n in 1..=4 {
        h.send_event(ALICE, "a", EventTarget::Others, vec![EventParam::Int(n)])
            .unwrap();
    }
    h.send_event(ALICE, "b", EventTarget::Others, vec![EventParam::Int(1)])
        .unwrap();
    h.run(40);
    let order: Vec<(String, i32)> = h
        .recorded(BOB)
        .events
        .iter()
        .map(|e| match e.params[0] {
            EventParam::Int(n) => (e.name.clone(), n),
            _ => unreachable!(),
        })
        .collect();
    let expected = [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("a", 4)];
    let expected: Vec<(String, i32)> = expected.iter().map(|(n, i)| (n.to_string(), *i)).collect();
    assert_eq!(order, expected, "A4 hit its limit, so B1 skipped the queue");
}

#[test]
fn the_global_limit_queues_everything_past_100_per_second_in_order() {
    let mut h = three_players();
    for name in ["x", "y", "z"] {
        h.register_event(
            name,
            EventDef {
                params: None,
                rate_per_s: 100,
            },
        );
    }
    // 150 events over three names, each within its own limit of 100/s.
    for n in 0..150 {
        let name = ["x", "y", "z"][n % 3];
        h.send_event(
            ALICE,
            name,
            EventTarget::Others,
            vec![EventParam::Int(n as i32)],
        )
        .unwrap();
    }
    h.run(6); // 96 ms: the burst of 100, then one more per 10 ms
    let early = h.recorded(BOB).events.len();
    assert!(
        (100..=110).contains(&early),
        "the global limit's burst: {early}"
    );
    let sent = h.event_outbox(ALICE).sent() as usize;
    assert_eq!(h.event_outbox(ALICE).queued_total(), 150 - sent);
    assert!(
        sent < 115,
        "without the global limit all 150 would have left: {sent}"
    );
    h.run(40);
    let all: Vec<i32> = h
        .recorded(BOB)
        .events
        .iter()
        .map(|e| match e.params[0] {
            EventParam::Int(n) => n,
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(all, (0..150).collect::<Vec<i32>>(), "all arrive, in order");
    assert_eq!(
        h.messaging_stats().events_refused,
        0,
        "the host never had to refuse"
    );
}

#[test]
fn an_unregistered_event_is_refused_and_the_sender_told() {
    let mut h = three_players();
    // Locally: refused before anything is sent.
    let error = h
        .send_event(ALICE, "dance", EventTarget::All, vec![])
        .unwrap_err();
    assert_eq!(error, EventError::Unregistered("dance".into()));
    assert_eq!(error.to_string(), "event \"dance\" is not registered");
    // A client whose registry knows an event the host does not: the host refuses it
    // and tells the sender; nobody receives it.
    h.register_event_on_client(BOB, "dance");
    h.send_event(BOB, "dance", EventTarget::Others, vec![])
        .unwrap();
    h.run(10);
    let refused = &h.recorded(BOB).refused_events;
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].name, "dance");
    assert_eq!(refused[0].reason, EventError::Unregistered("dance".into()));
    assert!(h.recorded(ALICE).events.is_empty());
    assert!(h.recorded(CAROL).events.is_empty());
    assert_eq!(h.messaging_stats().events_refused, 1);
}

#[test]
fn a_late_joiner_gets_no_past_events() {
    let mut h = three_players();
    for n in 0..3 {
        h.send_event(ALICE, "ping", EventTarget::All, vec![EventParam::Int(n)])
            .unwrap();
    }
    h.run(10);
    assert_eq!(h.recorded(BOB).events.len(), 3);
    let dave = h.add_client("dave");
    h.join_all(200);
    h.run(20);
    assert!(
        h.recorded(dave).events.is_empty(),
        "events are not replayed"
    );
    h.send_event(ALICE, "ping", EventTarget::All, vec![EventParam::Int(9)])
        .unwrap();
    h.run(10);
    assert_eq!(
        event_ints(&h.recorded(dave).events, "ping"),
        [9],
        "but new ones arrive"
    );
}

#[test]
fn the_host_sends_events_to_players() {
    let mut h = three_players();
    let carol = h.player(CAROL).unwrap();
    h.host_send_event(
        "ping",
        EventTarget::Players(vec![carol]),
        vec![EventParam::Int(4)],
    )
    .unwrap();
    h.host_send_event("ping", EventTarget::Others, vec![EventParam::Int(5)])
        .unwrap();
    assert!(matches!(
        h.host_send_event("nope", EventTarget::All, vec![]),
        Err(EventError::Unregistered(_))
    ));
    h.run(10);
    assert_eq!(event_ints(&h.recorded(CAROL).events, "ping"), [4, 5]);
    assert_eq!(event_ints(&h.recorded(ALICE).events, "ping"), [5]);
    assert!(
        h.recorded(CAROL)
            .events
            .iter()
            .all(|e| e.sender == EventSender::Host)
    );
}

#[test]
fn a_flood_past_the_rate_limit_is_refused_by_the_host() {
    // A client that does not queue as it should (its limit raised locally) is refused
    // by the host's own check, and told so.
    let mut h = three_players();
    h.clients[ALICE]
        .world_mut()
        .resource_mut::<racksync_replication::messaging::EventRegistry>()
        .register_with(
            "ping",
            EventDef {
                params: None,
                rate_per_s: 100,
            },
        );
    for n in 0..40 {
        h.send_event(ALICE, "ping", EventTarget::Others, vec![EventParam::Int(n)])
            .unwrap();
    }
    h.run(10);
    let delivered = event_ints(&h.recorded(BOB).events, "ping");
    // The host allows the event's rate with its slack (5/s, burst 10).
    assert_eq!(delivered, (0..10).collect::<Vec<i32>>());
    assert_eq!(h.recorded(ALICE).refused_events.len(), 30);
    assert_eq!(
        h.recorded(ALICE).refused_events[0].reason,
        EventError::RateLimited("ping".into())
    );
}
