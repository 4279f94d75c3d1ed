//! A client asking for absurd audits gets refused with a reason or cut to its budget;
//! the host never panics and keeps serving everyone else.

mod common;

use common::audit::{INTERVAL, run_to_next_audit};
use racksync::audit::AuditSettings;
use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::audit::{TREE_FANOUT, TREE_LEAVES};
use racksync_protocol::{
    ClientAudit, ClientWorldMessage, Digest32, Hello, HostAudit, HostWorldMessage, LeafObjects,
    NodeDigests, NodeRef, ObjectId, PROTOCOL_VERSION, Refusal, protocol_hash,
};

/// A host with one real client and one bare client that has been welcomed.
fn with_bare_client() -> (Harness, usize) {
    let mut harness = Harness::memory(default_world().unwrap(), 5);
    harness.set_audit_interval(INTERVAL);
    harness.add_client("honest");
    let raw = harness.add_raw_client();
    assert!(harness.run_until(50, |h| h.raw_connected(raw)));
    harness.raw_send(
        raw,
        &ClientWorldMessage::Hello(Hello {
            protocol_version: PROTOCOL_VERSION,
            protocol_hash: protocol_hash(),
            name: "mallory".into(),
        }),
    );
    harness.join_all(200);
    harness.run(5);
    assert!(matches!(
        harness.raw_receive(raw).as_slice(),
        [HostWorldMessage::Welcome(_)]
    ));
    (harness, raw)
}

fn audited(harness: &mut Harness, raw: usize) {
    run_to_next_audit(harness);
    harness.run(3);
    let messages = harness.raw_receive(raw);
    assert!(
        matches!(
            messages.as_slice(),
            [HostWorldMessage::Audit(HostAudit::Root { .. })]
        ),
        "{messages:?}"
    );
}

fn zeros() -> Vec<Digest32> {
    vec![Digest32(0); TREE_FANOUT]
}

/// Sends `request` and expects the connection to be refused with a reason containing
/// `reason`; the honest client keeps playing.
fn assert_refused(mut harness: Harness, raw: usize, request: ClientAudit, reason: &str) {
    harness.raw_send(raw, &ClientWorldMessage::Audit(request));
    harness.run(5);
    let messages = harness.raw_receive(raw);
    match messages.as_slice() {
        [HostWorldMessage::Refused(Refusal::ProtocolViolation(why))] => {
            assert!(why.contains(reason), "{why:?} lacks {reason:?}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(harness.run_until(100, |h| !h.raw_connected(raw)));
    assert!(harness.join_state(0).is_playing());
    assert!(harness.host_audit_stats().refused >= 1);
    run_to_next_audit(&mut harness);
    harness.run(5);
    assert!(harness.converged());
}

#[test]
fn a_request_before_any_audit_is_refused() {
    let (harness, raw) = with_bare_client();
    let request = ClientAudit::Nodes {
        round: 1,
        nodes: vec![NodeDigests {
            node: NodeRef::ROOT,
            children: zeros(),
        }],
    };
    assert_refused(harness, raw, request, "before any audit");
}

#[test]
fn malformed_node_requests_are_refused() {
    let cases: Vec<(Vec<NodeDigests>, &str)> = vec![
        (Vec::new(), "empty"),
        (
            vec![NodeDigests {
                node: NodeRef { level: 9, index: 0 },
                children: zeros(),
            }],
            "does not exist",
        ),
        (
            vec![NodeDigests {
                node: NodeRef {
                    level: 1,
                    index: 16,
                },
                children: zeros(),
            }],
            "does not exist",
        ),
        (
            vec![NodeDigests {
                node: NodeRef { level: 3, index: 0 },
                children: zeros(),
            }],
            "too deep",
        ),
        (
            vec![NodeDigests {
                node: NodeRef::ROOT,
                children: vec![Digest32(0); TREE_FANOUT + 1],
            }],
            "child digests",
        ),
        (
            vec![
                NodeDigests {
                    node: NodeRef { level: 2, index: 5 },
                    children: zeros(),
                },
                NodeDigests {
                    node: NodeRef { level: 2, index: 5 },
                    children: zeros(),
                },
            ],
            "out of order",
        ),
    ];
    for (nodes, reason) in cases {
        let (mut harness, raw) = with_bare_client();
        audited(&mut harness, raw);
        assert_refused(harness, raw, ClientAudit::Nodes { round: 7, nodes }, reason);
    }
}

#[test]
fn malformed_object_requests_are_refused() {
    let id = ObjectId::new(0, 3);
    let own_leaf = racksync_protocol::audit::leaf_of(id);
    let cases: Vec<(Vec<LeafObjects>, &str)> = vec![
        (
            vec![LeafObjects {
                leaf: TREE_LEAVES,
                objects: Vec::new(),
            }],
            "does not exist",
        ),
        (
            vec![LeafObjects {
                leaf: (own_leaf + 1) % TREE_LEAVES,
                objects: vec![(id, Digest32(1))],
            }],
            "does not belong",
        ),
        (
            vec![LeafObjects {
                leaf: own_leaf,
                objects: vec![(id, Digest32(1)), (id, Digest32(1))],
            }],
            "out of order",
        ),
        (
            vec![
                LeafObjects {
                    leaf: 9,
                    objects: Vec::new(),
                },
                LeafObjects {
                    leaf: 3,
                    objects: Vec::new(),
                },
            ],
            "out of order",
        ),
    ];
    for (leaves, reason) in cases {
        let (mut harness, raw) = with_bare_client();
        audited(&mut harness, raw);
        assert_refused(
            harness,
            raw,
            ClientAudit::Objects { round: 7, leaves },
            reason,
        );
    }
}

#[test]
fn a_greedy_client_is_cut_to_its_budget() {
    let (mut harness, raw) = with_bare_client();
    let budget = 1_000;
    harness.host.insert_resource(AuditSettings {
        interval: INTERVAL,
        answer_budget: budget,
    });
    audited(&mut harness, raw);
    // The leaf of every object listed empty: "send me the whole world", then inner
    // nodes with wrong digests: "send me every digest".
    let mut leaf_ids: Vec<u32> = racksync_world::ReadObjects::objects_sorted(harness.host.world())
        .iter()
        .map(|r| racksync_protocol::audit::leaf_of(r.id))
        .collect();
    leaf_ids.sort_unstable();
    leaf_ids.dedup();
    let leaves: Vec<LeafObjects> = leaf_ids
        .into_iter()
        .map(|leaf| LeafObjects {
            leaf,
            objects: Vec::new(),
        })
        .collect();
    harness.raw_send(
        raw,
        &ClientWorldMessage::Audit(ClientAudit::Objects { round: 1, leaves }),
    );
    let nodes: Vec<NodeDigests> = (0..200)
        .map(|index| NodeDigests {
            node: NodeRef { level: 2, index },
            children: zeros(),
        })
        .collect();
    harness.raw_send(
        raw,
        &ClientWorldMessage::Audit(ClientAudit::Nodes { round: 1, nodes }),
    );
    harness.run(10);
    let answered: usize = harness
        .raw_receive(raw)
        .iter()
        .map(|m| {
            assert!(matches!(m, HostWorldMessage::Audit(_)), "{m:?}");
            racksync_protocol::encode(racksync_protocol::Channel::World, m)
                .unwrap()
                .len()
        })
        .sum();
    // The budget counts list bytes; each of the two answers adds a few header bytes.
    assert!(answered <= budget + 2 * 32, "{answered}");
    assert!(answered > budget / 2, "{answered}");
    let host = harness.host_audit_stats();
    assert_eq!(host.refused, 2, "{host:?}");
    assert!(
        harness.raw_connected(raw),
        "a budget cut is not a violation"
    );
    assert!(harness.join_state(0).is_playing());
}
