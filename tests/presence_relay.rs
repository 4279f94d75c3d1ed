//! Presence: a player's transform reaches every other player quantized to centimetres,
//! relayed by the host once per tick in one batched message per receiver, at a cost of
//! exactly 12 bytes per player (plus 3 per message); clients send at 20 Hz.

use racksync::default_world::default_world;
use racksync::harness::Harness;
use racksync_protocol::QuantizedTransform;
use racksync_replication::presence::ClientPresenceSettings;
use std::time::Duration;

#[test]
fn transforms_reach_the_others_quantized() {
    let mut harness = Harness::memory(default_world().unwrap(), 21);
    let alice = harness.add_client("alice");
    let bob = harness.add_client("bob");
    let carol = harness.add_client("carol");
    harness.join_all(200);
    let alice_id = harness.player_id(alice).unwrap();

    let yaw = std::f32::consts::FRAC_PI_2;
    harness.set_presence(alice, [1.234, 0.5, -7.891], yaw);
    let expected = QuantizedTransform::from_metres([1.234, 0.5, -7.891], yaw, 0.0);
    assert!(harness.run_until(20, |h| {
        [bob, carol]
            .iter()
            .all(|&c| h.remote_players(c).get(alice_id).and_then(|p| p.transform) == Some(expected))
    }));
    assert_eq!(
        (expected.x_cm, expected.y_cm, expected.z_cm),
        (123, 50, -789)
    );
    assert_eq!(expected.yaw, 16384);
    let seen = harness.remote_players(bob).get(alice_id).unwrap();
    assert_eq!(seen.name, "alice");
    let [x, y, z] = seen.transform.unwrap().position_metres();
    assert!((x - 1.234).abs() <= 0.005 && (y - 0.5).abs() <= 0.005 && (z + 7.891).abs() <= 0.005);
    assert!(
        harness.remote_players(alice).get(alice_id).is_none(),
        "a player is not relayed its own transform"
    );
}

#[test]
fn one_batched_relay_per_tick_and_receiver_at_twelve_bytes_per_player() {
    let mut harness = Harness::memory(default_world().unwrap(), 22);
    let clients: Vec<usize> = ["a", "b", "c", "d"]
        .iter()
        .map(|name| harness.add_client(name))
        .collect();
    // Send every frame, so every player changes in every host tick.
    for &c in &clients {
        harness.clients[c].insert_resource(ClientPresenceSettings {
            send_interval: harness.step,
            keepalive: Duration::from_secs(1),
        });
    }
    harness.join_all(200);
    harness.run(5);

    let before_host = harness.host_presence_stats();
    let before: Vec<_> = clients
        .iter()
        .map(|&c| harness.client_presence_stats(c))
        .collect();
    let steps = 30u64;
    for step in 0..steps {
        for (i, &c) in clients.iter().enumerate() {
            let t = step as f32 * 0.1 + i as f32;
            harness.set_presence(c, [t, 1.7, -t], t);
        }
        let last: Vec<_> = clients
            .iter()
            .map(|&c| harness.client_presence_stats(c))
            .collect();
        harness.step();
        for (i, &c) in clients.iter().enumerate() {
            let now = harness.client_presence_stats(c);
            if step > 0 {
                // From the second step on, the host relays every other player's move of
                // the previous frame: exactly one message carrying three players.
                assert_eq!(
                    now.presence_relays_received - last[i].presence_relays_received,
                    1,
                    "client {c} step {step}"
                );
                assert_eq!(now.entries_applied - last[i].entries_applied, 3);
            }
        }
    }
    let host = harness.host_presence_stats();
    let messages = host.presence_relays_sent - before_host.presence_relays_sent;
    let entries = host.presence_entries_sent - before_host.presence_entries_sent;
    let bytes = host.presence_relay_bytes - before_host.presence_relay_bytes;
    assert_eq!(entries, 3 * messages, "batched: three players per message");
    assert_eq!(
        bytes,
        3 * messages + 12 * entries,
        "2-byte tick + count, 12 B per player"
    );
    let received: u64 = clients
        .iter()
        .zip(&before)
        .map(|(&c, b)| {
            harness.client_presence_stats(c).presence_relays_received - b.presence_relays_received
        })
        .sum();
    assert_eq!(received, messages, "a perfect link delivers every relay");
    for (&c, b) in clients.iter().zip(&before) {
        assert_eq!(
            harness.client_presence_stats(c).bytes_sent - b.bytes_sent,
            13 * steps,
            "one 13-byte transform per frame, state unchanged"
        );
    }
}

#[test]
fn clients_send_at_twenty_hertz() {
    let mut harness = Harness::memory(default_world().unwrap(), 23);
    let alice = harness.add_client("alice");
    harness.join_all(200);
    harness.run(3);
    let before = harness.client_presence_stats(alice).transforms_sent;
    // 2 s of moving every 16 ms frame.
    for step in 0..125 {
        harness.set_presence(alice, [step as f32 * 0.05, 0.0, 0.0], 0.0);
        harness.step();
    }
    let sent = harness.client_presence_stats(alice).transforms_sent - before;
    assert!((39..=41).contains(&sent), "{sent} transforms in 2 s");
}
