//! (d) A client speaking another protocol version or hash is refused with its reason,
//! and the connection is closed.

use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::{
    ClientWorldMessage, Hello, HostWorldMessage, PROTOCOL_VERSION, Refusal, protocol_hash,
};

fn refusal_for(hello: Hello) -> Refusal {
    let mut harness = Harness::memory(default_world().unwrap(), 3);
    let raw = harness.add_raw_client();
    assert!(harness.run_until(50, |h| h.raw_connected(raw)));
    harness.raw_send(raw, &ClientWorldMessage::Hello(hello));
    harness.run(5);
    let received = harness.raw_receive(raw);
    let refusal = match received.as_slice() {
        [HostWorldMessage::Refused(reason)] => reason.clone(),
        other => panic!("expected one Refused, got {other:?}"),
    };
    assert!(
        harness.run_until(100, |h| !h.raw_connected(raw)),
        "a refused client is disconnected after the linger time"
    );
    refusal
}

#[test]
fn version_mismatch_is_refused_with_reason() {
    let refusal = refusal_for(Hello {
        protocol_version: PROTOCOL_VERSION + 1,
        protocol_hash: protocol_hash(),
        name: "old".into(),
    });
    assert_eq!(
        refusal,
        Refusal::VersionMismatch {
            host: PROTOCOL_VERSION,
            client: PROTOCOL_VERSION + 1
        }
    );
    assert!(refusal.to_string().contains("protocol version mismatch"));
}

#[test]
fn hash_mismatch_is_refused_with_reason() {
    let refusal = refusal_for(Hello {
        protocol_version: PROTOCOL_VERSION,
        protocol_hash: protocol_hash() ^ 1,
        name: "forked".into(),
    });
    assert!(matches!(refusal, Refusal::HashMismatch { .. }));
    assert!(
        refusal
            .to_string()
            .contains("rebuild both from the same source")
    );
}

#[test]
fn invalid_names_are_refused() {
    for name in ["", "   ", "tab\there", &"x".repeat(33)] {
        let refusal = refusal_for(Hello {
            protocol_version: PROTOCOL_VERSION,
            protocol_hash: protocol_hash(),
            name: name.to_string(),
        });
        assert_eq!(refusal, Refusal::InvalidName, "name {name:?}");
    }
}

#[test]
fn a_refused_client_app_reports_the_reason() {
    // The real client plugins put the reason in JoinState, which `racksync client` prints.
    let mut harness = Harness::memory(default_world().unwrap(), 3);
    let client = harness.add_client(&"y".repeat(40));
    assert!(harness.run_until(100, |h| h.join_state(client).is_finished()));
    assert_eq!(
        harness.join_state(client),
        racksync_replication::JoinState::Refused(Refusal::InvalidName)
    );
}
