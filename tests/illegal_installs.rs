//! (e) Illegal installs — occupied or overlapping slot, outside the rack, object not
//! held — are rejected by the host with their reason and never broadcast.
//!
//! A bare client sends the actions, so the host's rules are tested without the client's
//! own local check in front of them.

use racksync::harness::Harness;
use racksync_protocol::{
    AckOutcome, Action, ClientWorldMessage, Hello, HostWorldMessage, ObjectId, ObjectKind,
    PROTOCOL_VERSION, RackSlot, Rejection, protocol_hash,
};
use racksync_world::generate_world;
use racksync_world::queries::{loose_objects, occupant};

struct Bare {
    harness: Harness,
    raw: usize,
    seq: u16,
}

impl Bare {
    fn join() -> Self {
        let mut harness = Harness::memory(generate_world(400, 2), 4);
        harness.add_client("observer");
        let raw = harness.add_raw_client();
        assert!(harness.run_until(50, |h| h.raw_connected(raw)));
        harness.raw_send(
            raw,
            &ClientWorldMessage::Hello(Hello {
                protocol_version: PROTOCOL_VERSION,
                protocol_hash: protocol_hash(),
                name: "bare".into(),
            }),
        );
        harness.join_all(200);
        harness.run(5);
        let welcome = harness.raw_receive(raw);
        assert!(
            matches!(welcome.as_slice(), [HostWorldMessage::Welcome(_)]),
            "{welcome:?}"
        );
        Self {
            harness,
            raw,
            seq: 0,
        }
    }

    /// Sends one action and returns its ACK outcome.
    fn act(&mut self, action: Action) -> AckOutcome {
        self.seq += 1;
        let seq = self.seq;
        self.harness
            .raw_send(self.raw, &ClientWorldMessage::Action { seq, action });
        self.harness.run(4);
        match self.harness.raw_receive(self.raw).as_slice() {
            [
                HostWorldMessage::Ack {
                    seq: acked,
                    outcome,
                },
            ] if *acked == seq => *outcome,
            other => panic!("expected the ACK of {seq}, got {other:?}"),
        }
    }

    fn reject(&mut self, action: Action) -> Rejection {
        let revision = self.harness.host_revision();
        let changes = self.harness.recorded(0).changes.len();
        let AckOutcome::Rejected(reason) = self.act(action.clone()) else {
            panic!("{action:?} was accepted");
        };
        assert_eq!(
            self.harness.host_revision(),
            revision,
            "a rejection changes nothing"
        );
        assert_eq!(
            self.harness.recorded(0).changes.len(),
            changes,
            "never broadcast"
        );
        reason
    }

    fn accept(&mut self, action: Action) {
        let outcome = self.act(action.clone());
        assert!(
            matches!(outcome, AckOutcome::Accepted { .. }),
            "{action:?}: {outcome:?}"
        );
    }

    fn loose(&self, kind: ObjectKind) -> ObjectId {
        loose_objects(self.harness.host.world(), kind)[0]
    }
}

#[test]
fn installing_an_object_not_held_is_rejected() {
    let mut bare = Bare::join();
    let server = bare.loose(ObjectKind::Server1U);
    let slot = RackSlot {
        rack: ObjectId::new(0, 1),
        unit: 1,
    };
    assert_eq!(
        bare.reject(Action::InstallInRack {
            object: server,
            slot
        }),
        Rejection::NotHeld
    );
}

#[test]
fn occupied_overlapping_and_outside_slots_are_rejected() {
    let mut bare = Bare::join();
    let rack = ObjectId::new(0, 1);
    let taken = occupant(bare.harness.host.world(), rack, 4).expect("generated racks fill unit 4");

    let small = bare.loose(ObjectKind::Server1U);
    bare.accept(Action::PickUp { object: small });
    let occupied = Action::InstallInRack {
        object: small,
        slot: RackSlot { rack, unit: 4 },
    };
    assert_eq!(bare.reject(occupied), Rejection::SlotOccupied(taken));
    for unit in [0, 43, 255] {
        let outside = Action::InstallInRack {
            object: small,
            slot: RackSlot { rack, unit },
        };
        assert!(
            matches!(bare.reject(outside), Rejection::OutsideRack { .. }),
            "unit {unit}"
        );
    }
    let not_a_rack = Action::InstallInRack {
        object: small,
        slot: RackSlot {
            rack: taken,
            unit: 1,
        },
    };
    assert_eq!(bare.reject(not_a_rack), Rejection::NotARack(taken));
    bare.accept(Action::InstallInRack {
        object: small,
        slot: RackSlot { rack, unit: 1 },
    });

    let big = bare.loose(ObjectKind::Server3U);
    bare.accept(Action::PickUp { object: big });
    // A 3U at unit 2 covers units 2..=4 and so overlaps the server at unit 4.
    let overlapping = Action::InstallInRack {
        object: big,
        slot: RackSlot { rack, unit: 2 },
    };
    assert_eq!(bare.reject(overlapping), Rejection::SlotOccupied(taken));
    let over_top = Action::InstallInRack {
        object: big,
        slot: RackSlot { rack, unit: 41 },
    };
    assert_eq!(
        bare.reject(over_top),
        Rejection::OutsideRack {
            first: 41,
            height: 3
        }
    );
    let over_new = Action::InstallInRack {
        object: big,
        slot: RackSlot { rack, unit: 1 },
    };
    assert_eq!(bare.reject(over_new), Rejection::SlotOccupied(small));

    // The observer saw exactly the three accepted actions, and converged.
    assert!(bare.harness.run_until(100, |h| h.converged()));
    assert_eq!(bare.harness.recorded(0).changes.len(), 3);
}

#[test]
fn unknown_objects_and_removal_with_cables_are_rejected() {
    let mut bare = Bare::join();
    let ghost = ObjectId::new(0, 99_999);
    assert_eq!(
        bare.reject(Action::PickUp { object: ghost }),
        Rejection::UnknownObject(ghost)
    );
    let rack = ObjectId::new(0, 1);
    let cabled = occupant(bare.harness.host.world(), rack, 4).expect("unit 4 is filled");
    assert!(matches!(
        bare.reject(Action::RemoveFromRack { object: cabled }),
        Rejection::CablesAttached(_)
    ));
}
