//! (b) The same install as `sync_memory`, over real netcode UDP on loopback.

mod common;

use racksync::default_world::default_world;
use racksync::harness::Harness;

#[test]
fn install_over_udp_loopback_converges() {
    let mut harness = Harness::udp(default_world().unwrap());
    for name in ["alice", "bob", "carol"] {
        harness.add_client(name);
    }
    harness.join_all(2_000);
    common::install_and_converge(&mut harness, 0, 2_000);
    assert_eq!(harness.host_revision().0, 2);
    assert_eq!(harness.recorded(1).changes.len(), 2);
    assert_eq!(harness.recorded(2).changes.len(), 2);
}
