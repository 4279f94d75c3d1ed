//! The instance owner (SPEC §10): the first player owns the instance, a newcomer learns
//! who does, ownership passes on when the owner leaves, every player hears each change,
//! and a configured owner takes over when present.

use racksync::default_world::default_world;
use racksync::harness::{Harness, HostHeard};
use racksync_replication::messaging::{MessagingSettings, OwnerChanged};

fn join_one_by_one(h: &mut Harness, names: &[&str]) {
    for name in names {
        h.add_client(name);
        h.join_all(200);
    }
    h.run(5);
}

#[test]
fn the_first_player_owns_and_a_newcomer_is_told() {
    let mut h = Harness::memory(default_world().unwrap(), 31);
    assert_eq!(h.host_owner(), None, "nobody owns an empty instance");
    join_one_by_one(&mut h, &["alice", "bob"]);
    let alice = h.player(0).unwrap();
    assert_eq!(h.host_owner(), Some(alice));
    assert_eq!(h.client_owner(0), Some(alice));
    assert_eq!(h.client_owner(1), Some(alice), "bob was told on joining");
    let host_changes = &h.host.world().resource::<HostHeard>().owner_changes;
    assert_eq!(host_changes, &[OwnerChanged { owner: Some(alice) }]);
}

#[test]
fn ownership_passes_to_the_longest_present_player_when_the_owner_leaves() {
    let mut h = Harness::memory(default_world().unwrap(), 32);
    join_one_by_one(&mut h, &["alice", "bob", "carol"]);
    let bob = h.player(1).unwrap();
    let carol = h.player(2).unwrap();
    h.disconnect_client(0);
    h.run(40);
    assert_eq!(h.host_owner(), Some(bob));
    for client in [1, 2] {
        assert_eq!(h.client_owner(client), Some(bob));
        let changes = &h.recorded(client).owner_changes;
        assert_eq!(changes.last(), Some(&OwnerChanged { owner: Some(bob) }));
    }
    h.disconnect_client(1);
    h.run(40);
    assert_eq!(h.host_owner(), Some(carol));
    assert_eq!(h.client_owner(2), Some(carol));
    h.disconnect_client(2);
    h.run(40);
    assert_eq!(h.host_owner(), None);
    let host_changes = &h.host.world().resource::<HostHeard>().owner_changes;
    assert_eq!(host_changes.len(), 4, "{host_changes:?}");
}

#[test]
fn a_configured_owner_takes_over_when_present() {
    let mut h = Harness::memory(default_world().unwrap(), 33);
    h.host.insert_resource(MessagingSettings {
        preferred_owner: Some("boss".into()),
        ..MessagingSettings::default()
    });
    join_one_by_one(&mut h, &["alice"]);
    let alice = h.player(0).unwrap();
    assert_eq!(
        h.host_owner(),
        Some(alice),
        "the first player, until the boss comes"
    );
    join_one_by_one(&mut h, &["boss"]);
    let boss = h.player(1).unwrap();
    assert_eq!(h.host_owner(), Some(boss));
    assert_eq!(h.client_owner(0), Some(boss));
    h.disconnect_client(1);
    h.run(40);
    assert_eq!(h.host_owner(), Some(alice));
}
