//! Secure mode over real UDP loopback: a valid connect token joins; expired, forged,
//! wrong-key and wrong-host tokens never get a connection, and the refused client gives
//! up within its token's timeout.

use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_transport::{DEFAULT_PROTOCOL_ID, PrivateKey, TokenGrant, issue_token};
use renet_netcode::ConnectToken;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Harness steps a refused client gets: its token's 2 s timeout is 125 steps of 16 ms.
const REFUSED_STEPS: usize = 250;

fn now() -> Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap()
}

fn grant(client_id: u64, host: SocketAddr) -> TokenGrant {
    TokenGrant {
        client_id,
        hosts: vec![host],
        valid_for: Duration::from_secs(300),
        timeout: Duration::from_secs(2),
    }
}

fn host(key: &PrivateKey) -> (Harness, SocketAddr) {
    let harness = Harness::udp_secure(default_world().unwrap(), key);
    let addr = harness.udp_addr().unwrap();
    (harness, addr)
}

fn connected_clients(harness: &Harness) -> usize {
    harness
        .host
        .world()
        .resource::<bevy_renet::RenetServer>()
        .connected_clients()
}

/// Steps until the client gives up; the host must never count it as connected.
fn assert_refused(mut harness: Harness, token: ConnectToken) {
    let client = harness.add_token_client("mallory", token);
    for _ in 0..REFUSED_STEPS {
        harness.step();
        assert_eq!(connected_clients(&harness), 0, "the host let the token in");
        if harness.join_state(client).is_finished() {
            break;
        }
    }
    let state = harness.join_state(client);
    assert!(
        state.is_finished() && !state.is_playing(),
        "the client should have given up, it is {state:?}"
    );
}

#[test]
fn a_valid_token_joins() {
    let key = PrivateKey::generate();
    let (mut harness, addr) = host(&key);
    let token = issue_token(&key, DEFAULT_PROTOCOL_ID, &grant(77, addr), now()).unwrap();
    harness.add_token_client("alice", token);
    harness.join_all(500);
    assert_eq!(harness.client_digest(0), harness.host_digest());
    let server = harness.host.world().resource::<bevy_renet::RenetServer>();
    assert_eq!(
        server.clients_id(),
        vec![77],
        "the host knows the token's client id"
    );
}

#[test]
fn an_expired_token_is_refused() {
    let key = PrivateKey::generate();
    let (harness, addr) = host(&key);
    // Issued ten minutes ago, valid for five.
    let issued = now() - Duration::from_secs(600);
    let token = issue_token(&key, DEFAULT_PROTOCOL_ID, &grant(1, addr), issued).unwrap();
    assert_refused(harness, token);
}

#[test]
fn a_token_with_altered_private_bytes_is_refused() {
    let key = PrivateKey::generate();
    let (harness, addr) = host(&key);
    let mut token = issue_token(&key, DEFAULT_PROTOCOL_ID, &grant(1, addr), now()).unwrap();
    token.private_data[100] ^= 0x01;
    assert_refused(harness, token);
}

#[test]
fn an_expired_token_with_a_forged_expiry_is_refused() {
    let key = PrivateKey::generate();
    let (harness, addr) = host(&key);
    let issued = now() - Duration::from_secs(600);
    let mut token = issue_token(&key, DEFAULT_PROTOCOL_ID, &grant(1, addr), issued).unwrap();
    // The expiry is authenticated data of the encrypted part: moving it breaks the seal.
    token.expire_timestamp = now().as_secs() + 3600;
    assert_refused(harness, token);
}

#[test]
fn a_token_signed_with_another_key_is_refused() {
    let key = PrivateKey::generate();
    let (harness, addr) = host(&key);
    let other = PrivateKey::generate();
    let token = issue_token(&other, DEFAULT_PROTOCOL_ID, &grant(1, addr), now()).unwrap();
    assert_refused(harness, token);
}

#[test]
fn a_token_for_another_host_is_refused() {
    let key = PrivateKey::generate();
    let (harness, addr) = host(&key);
    // Signed with the right key but sealed for another address. The token's public
    // address list, which only steers the client, is pointed here; the host checks the
    // sealed list and does not find itself.
    let elsewhere: SocketAddr = SocketAddr::new(addr.ip(), addr.port().wrapping_add(1));
    let mut token = issue_token(&key, DEFAULT_PROTOCOL_ID, &grant(1, elsewhere), now()).unwrap();
    token.server_addresses[0] = Some(addr);
    assert_refused(harness, token);
}

#[test]
fn a_refused_client_does_not_block_a_valid_one() {
    let key = PrivateKey::generate();
    let (mut harness, addr) = host(&key);
    let other = PrivateKey::generate();
    let forged = issue_token(&other, DEFAULT_PROTOCOL_ID, &grant(1, addr), now()).unwrap();
    let valid = issue_token(&key, DEFAULT_PROTOCOL_ID, &grant(2, addr), now()).unwrap();
    let mallory = harness.add_token_client("mallory", forged);
    let alice = harness.add_token_client("alice", valid);
    assert!(harness.run_until(500, |h| h.join_state(alice).is_playing()));
    assert!(!harness.join_state(mallory).is_playing());
    let server = harness.host.world().resource::<bevy_renet::RenetServer>();
    assert_eq!(server.clients_id(), vec![2]);
}
