//! A leaving player's hand is emptied (SPEC §8): whether it quits with Goodbye or its
//! connection drops, every object it held is released on the floor below its last
//! transform by host actions, and every remaining client converges with the host.
//! (Silence drops release the same way: `presence_silence.rs`.)

mod common;

use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::presence::{ClientPresence, encode_sequenced};
use racksync_protocol::sequence::SequencedSender;
use racksync_protocol::{
    AckOutcome, Action, Channel, ClientWorldMessage, Hello, HostWorldMessage, ObjectId, ObjectKind,
    PROTOCOL_VERSION, Placement, PosMm, QuantizedTransform, protocol_hash,
};
use racksync_world::{ReadObjects, WorldIndex};

/// Every client but `gone` has the host's world at the host's revision.
fn others_converged(harness: &Harness, gone: Option<usize>) -> bool {
    (0..harness.clients.len())
        .filter(|&c| Some(c) != gone)
        .all(|c| {
            harness.client_digest(c) == harness.host_digest()
                && harness.client_revision(c) == harness.host_revision()
        })
}

#[test]
fn a_disconnected_players_modules_are_released_where_it_stood() {
    let mut harness = Harness::memory(default_world().unwrap(), 51);
    let alice = harness.add_client("alice");
    let bob = harness.add_client("bob");
    let carol = harness.add_client("carol");
    harness.join_all(200);
    let alice_id = harness.player_id(alice).unwrap();
    // Alice unpacks two SFP modules (a hand holds up to four) and picks both up.
    let modules: Vec<ObjectId> = (1..=2).map(|s| ObjectId::new(alice_id.0, s)).collect();
    for &module in &modules {
        harness.perform(
            alice,
            Action::Spawn {
                object: module,
                kind: ObjectKind::SfpModule,
                pos: PosMm::new(1000, 0, 1000),
                yaw: 0,
            },
        );
        harness.step();
        harness.perform(alice, Action::PickUp { object: module });
        harness.step();
    }
    harness.set_presence(alice, [4.567, 1.8, -2.0], std::f32::consts::FRAC_PI_2);
    assert!(harness.run_until(100, |h| {
        h.converged()
            && h.presence_book()
                .player(alice_id)
                .is_some_and(|p| p.transform.is_some())
    }));
    assert_eq!(
        harness
            .host
            .world()
            .resource::<WorldIndex>()
            .held_by(alice_id),
        &modules[..2]
    );
    let revision = harness.host_revision();

    harness.disconnect_client(alice);
    assert!(harness.run_until(50, |h| {
        [bob, carol]
            .iter()
            .all(|&c| h.remote_players(c).len() == 1 && h.remote_players(c).get(alice_id).is_none())
    }));
    assert!(harness.run_until(50, |h| others_converged(h, Some(alice))));
    assert_eq!(
        harness.host_revision().0,
        revision.0 + 2,
        "one Release per module"
    );
    let expected = Placement::Floor {
        pos: PosMm::new(4570, 0, -2000),
        yaw: 16384,
    };
    for &module in &modules[..2] {
        assert_eq!(
            harness.host.world().object(module).unwrap().placement,
            expected
        );
        for client in [bob, carol] {
            assert_eq!(
                harness.clients[client]
                    .world()
                    .object(module)
                    .unwrap()
                    .placement,
                expected
            );
        }
    }
    assert!(
        harness
            .host
            .world()
            .resource::<WorldIndex>()
            .held_by(alice_id)
            .is_empty()
    );
}

#[test]
fn goodbye_releases_the_hand_at_the_last_reported_transform() {
    let mut harness = Harness::memory(default_world().unwrap(), 52);
    let bob = harness.add_client("bob");
    harness.join_all(200);
    let (server, _) = common::loose_server_and_slot(&harness);

    let quitter = harness.add_raw_client();
    harness.step();
    harness.raw_send(
        quitter,
        &ClientWorldMessage::Hello(Hello {
            protocol_version: PROTOCOL_VERSION,
            protocol_hash: protocol_hash(),
            name: "quitter".into(),
        }),
    );
    harness.run(5);
    let welcome = harness.raw_receive(quitter);
    let Some(HostWorldMessage::Welcome(welcome)) = welcome.first() else {
        panic!("expected a Welcome, got {welcome:?}");
    };
    let quitter_id = welcome.player;
    harness.raw_send(
        quitter,
        &ClientWorldMessage::Action {
            seq: 1,
            action: Action::PickUp { object: server },
        },
    );
    let transform = QuantizedTransform::from_metres([-50.0, 0.9, 7.77], 0.0, 0.0);
    let mut sender = SequencedSender::default();
    let bytes =
        encode_sequenced(Channel::Presence, &mut sender, &ClientPresence(transform)).unwrap();
    harness.raw_send_bytes(quitter, Channel::Presence, bytes);
    harness.run(3);
    assert!(
        harness
            .raw_receive(quitter)
            .contains(&HostWorldMessage::Ack {
                seq: 1,
                outcome: AckOutcome::Accepted {
                    revision_low: harness.host_revision().0 as u8
                }
            })
    );
    assert_eq!(
        harness.host.world().object(server).unwrap().placement,
        Placement::Held(quitter_id)
    );
    assert_eq!(
        harness
            .remote_players(bob)
            .get(quitter_id)
            .and_then(|p| p.transform),
        Some(transform)
    );

    harness.raw_send(quitter, &ClientWorldMessage::Goodbye);
    assert!(harness.run_until(20, |h| h.remote_players(bob).is_empty()));
    assert!(harness.run_until(20, |h| others_converged(h, None)));
    let expected = Placement::Floor {
        pos: PosMm::new(-50_000, 0, 7770),
        yaw: 0,
    };
    assert_eq!(
        harness.host.world().object(server).unwrap().placement,
        expected
    );
    assert_eq!(
        harness.clients[bob]
            .world()
            .object(server)
            .unwrap()
            .placement,
        expected
    );
}
