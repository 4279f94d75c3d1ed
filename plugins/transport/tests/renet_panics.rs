//! The inputs that make renet 2.0.1's receive path panic, fed to a bare `RenetServer`
//! (it panics) and to the packet guard (it kicks the sender and renet never sees them).
//! If a renet upgrade stops panicking, the first half of each test says so.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use racksync_protocol::{Channel, DEFAULT_BYTES_PER_TICK, connection_config};
use racksync_transport::guard::craft::slice_packet;
use racksync_transport::guard::renet_wire::SLICE_SIZE;
use racksync_transport::{GuardViolation, PacketGuard, Verdict};
use renet::RenetServer;

const CLIENT: u64 = 1;
const WORLD: u8 = Channel::World.id();
const PRESENCE: u8 = Channel::Presence.id();

/// Feeds the packets to a fresh renet server; true if it panicked.
fn renet_panics(packets: &[Vec<u8>]) -> bool {
    let mut server = RenetServer::new(connection_config(DEFAULT_BYTES_PER_TICK));
    server.add_connection(CLIENT);
    // The panic message is printed: it is the defect this test documents.
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        for packet in packets {
            let _ = server.process_packet_from(packet, CLIENT);
        }
    }));
    outcome.is_err()
}

/// Runs the packets through a guard; returns the kick reason.
fn guard_kick(packets: &[Vec<u8>]) -> GuardViolation {
    let mut guard = PacketGuard::default();
    for packet in packets {
        match guard.inspect(CLIENT, packet, Duration::ZERO) {
            Verdict::Pass => continue,
            Verdict::Kick(reason) => return reason,
            Verdict::Drop => panic!("dropped without a kick"),
        }
    }
    panic!("every packet passed the guard")
}

#[test]
fn a_slice_index_past_the_slice_count() {
    let packets = vec![slice_packet(true, WORLD, 0, 5, 3, &[1; SLICE_SIZE])];
    assert!(
        renet_panics(&packets),
        "renet indexes the slice buffer unchecked"
    );
    assert_eq!(
        guard_kick(&packets),
        GuardViolation::SliceIndexOutOfRange {
            index: 5,
            num_slices: 3
        }
    );
}

#[test]
fn an_unreliable_slice_index_past_the_slice_count() {
    // Unreliable channels only hold whole messages up to the slice size for racksync,
    // so the guard already refuses the slice count before the index.
    let packets = vec![slice_packet(false, PRESENCE, 0, 3, 2, &[1; SLICE_SIZE])];
    assert!(renet_panics(&packets));
    assert!(matches!(
        guard_kick(&packets),
        GuardViolation::MessageTooLarge { .. }
    ));
}

#[test]
fn a_slice_count_that_grows_between_slices() {
    // Well formed one by one (full-size slices pass renet's size check, which comes
    // before its indexing): the first slice sizes the buffer for 2 slices, the second
    // claims 4 and indexes slice 3.
    let packets = vec![
        slice_packet(true, WORLD, 0, 0, 2, &[1; SLICE_SIZE]),
        slice_packet(true, WORLD, 0, 3, 4, &[1; SLICE_SIZE]),
    ];
    assert!(
        renet_panics(&packets),
        "renet sized the buffer by the first slice"
    );
    assert_eq!(
        guard_kick(&packets),
        GuardViolation::SliceCountChanged {
            message_id: 0,
            first: 2,
            now: 4
        }
    );
}

#[test]
fn an_honest_sliced_message_passes_both() {
    let message_len = 3 * SLICE_SIZE - 100;
    let packets: Vec<Vec<u8>> = (0..3)
        .map(|index| {
            let len = if index == 2 {
                SLICE_SIZE - 100
            } else {
                SLICE_SIZE
            };
            slice_packet(true, WORLD, 0, index, 3, &vec![7; len])
        })
        .collect();
    assert!(!renet_panics(&packets));
    let mut guard = PacketGuard::default();
    let mut server = RenetServer::new(connection_config(DEFAULT_BYTES_PER_TICK));
    server.add_connection(CLIENT);
    for packet in &packets {
        assert_eq!(guard.inspect(CLIENT, packet, Duration::ZERO), Verdict::Pass);
        server.process_packet_from(packet, CLIENT).unwrap();
    }
    let message = server.receive_message(CLIENT, WORLD).expect("reassembled");
    assert_eq!(message.len(), message_len);
}
