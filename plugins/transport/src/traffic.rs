//! Packets and bytes each transport moves per peer, in total and per second.
//!
//! renet reports byte rates of its own payloads but never counts packets, and it sees
//! neither netcode's handshake nor its keep-alives. So the transports count what they
//! actually put on and take off the wire: every datagram sent to or received from a
//! peer, and its length (for UDP, the netcode packet without IP and UDP headers; in
//! memory, the renet packet).
//!
//! Rates come from a sliding window over the App clock (`Time<Real>` elapsed, passed
//! in as `now`), never from the wall clock, so Apps stepped on a manual clock count
//! identically on every run. Time is cut into [`TRAFFIC_RESOLUTION`] buckets; a rate is
//! the sum of the complete buckets of the last [`TRAFFIC_WINDOW`] divided by the time
//! they span. The bucket still filling is left out, as renet does, so a rate does not
//! dip at the start of every bucket.

use core::ops::{Deref, DerefMut};
use core::time::Duration;
use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use renet::ClientId;

/// The width of one bucket of the sliding window.
pub const TRAFFIC_RESOLUTION: Duration = Duration::from_millis(100);

/// How far back per-second rates look: the complete buckets of this much time.
pub const TRAFFIC_WINDOW: Duration = Duration::from_secs(1);

/// Complete buckets in the window.
const WINDOW_BUCKETS: u64 = (TRAFFIC_WINDOW.as_millis() / TRAFFIC_RESOLUTION.as_millis()) as u64;

/// The ring holds the window's complete buckets and the one filling now.
const RING: usize = WINDOW_BUCKETS as usize + 1;

/// Packets and bytes in each direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrafficCounts {
    /// Datagrams received from the peer.
    pub packets_in: u64,
    /// Bytes of the datagrams received from the peer.
    pub bytes_in: u64,
    /// Datagrams sent to the peer.
    pub packets_out: u64,
    /// Bytes of the datagrams sent to the peer.
    pub bytes_out: u64,
}

impl TrafficCounts {
    fn add(&mut self, other: &TrafficCounts) {
        self.packets_in += other.packets_in;
        self.bytes_in += other.bytes_in;
        self.packets_out += other.packets_out;
        self.bytes_out += other.bytes_out;
    }
}

/// Per-second rates over the last [`TRAFFIC_WINDOW`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TrafficRates {
    /// Datagrams received per second.
    pub packets_in_per_s: f32,
    /// Bytes received per second.
    pub bytes_in_per_s: f32,
    /// Datagrams sent per second.
    pub packets_out_per_s: f32,
    /// Bytes sent per second.
    pub bytes_out_per_s: f32,
}

/// The traffic with one peer: totals since counting began, and a sliding window for
/// rates. `now` is always the App clock's elapsed time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeerTraffic {
    totals: TrafficCounts,
    /// Bucket `n` (time `n × TRAFFIC_RESOLUTION` onwards) lives at `n % RING`.
    buckets: [TrafficCounts; RING],
    /// The bucket the last datagram was counted in.
    current: u64,
    /// The bucket of the first datagram: before a whole window has passed, rates
    /// divide by the time since then, not by the whole window.
    first: Option<u64>,
}

impl PeerTraffic {
    /// Counts a datagram of `bytes` received at `now`.
    pub fn record_in(&mut self, now: Duration, bytes: usize) {
        let bucket = self.advance(now);
        bucket.packets_in += 1;
        bucket.bytes_in += bytes as u64;
        self.totals.packets_in += 1;
        self.totals.bytes_in += bytes as u64;
    }

    /// Counts a datagram of `bytes` sent at `now`.
    pub fn record_out(&mut self, now: Duration, bytes: usize) {
        let bucket = self.advance(now);
        bucket.packets_out += 1;
        bucket.bytes_out += bytes as u64;
        self.totals.packets_out += 1;
        self.totals.bytes_out += bytes as u64;
    }

    /// Everything counted so far.
    pub fn totals(&self) -> TrafficCounts {
        self.totals
    }

    /// Rates at `now` over the complete buckets of the last [`TRAFFIC_WINDOW`]. All
    /// zero until one bucket after the first datagram.
    pub fn rates(&self, now: Duration) -> TrafficRates {
        let Some(first) = self.first else {
            return TrafficRates::default();
        };
        // A clock read earlier than the last datagram (see `advance`) counts as then.
        let now = bucket_of(now).max(self.current);
        let start = now.saturating_sub(WINDOW_BUCKETS).max(first);
        if start >= now {
            return TrafficRates::default();
        }
        let mut sum = TrafficCounts::default();
        for n in start..now {
            // Buckets after the last datagram were never filled, and may still hold
            // what the ring stored there a lap earlier.
            if n <= self.current {
                sum.add(&self.buckets[ring_index(n)]);
            }
        }
        // Whole milliseconds, so steady traffic gives exact rates.
        let millis = ((now - start) as u128 * TRAFFIC_RESOLUTION.as_millis()) as f64;
        let per_s = |count: u64| (count as f64 * 1000.0 / millis) as f32;
        TrafficRates {
            packets_in_per_s: per_s(sum.packets_in),
            bytes_in_per_s: per_s(sum.bytes_in),
            packets_out_per_s: per_s(sum.packets_out),
            bytes_out_per_s: per_s(sum.bytes_out),
        }
    }

    /// The bucket for a datagram at `now`, emptying the buckets it moves past. A
    /// clock earlier than the last datagram (a caller without a clock at hand passes
    /// zero) counts in the current bucket, so time never runs backwards here.
    fn advance(&mut self, now: Duration) -> &mut TrafficCounts {
        let bucket = bucket_of(now);
        match self.first {
            None => {
                self.first = Some(bucket);
                self.current = bucket;
                self.buckets = Default::default();
            }
            Some(_) if bucket > self.current => {
                let passed = (bucket - self.current).min(RING as u64);
                for n in bucket + 1 - passed..=bucket {
                    self.buckets[ring_index(n)] = TrafficCounts::default();
                }
                self.current = bucket;
            }
            Some(_) => {}
        }
        &mut self.buckets[ring_index(self.current)]
    }
}

fn bucket_of(now: Duration) -> u64 {
    (now.as_nanos() / TRAFFIC_RESOLUTION.as_nanos()) as u64
}

fn ring_index(bucket: u64) -> usize {
    (bucket % RING as u64) as usize
}

/// The host's traffic with each connected client, kept by the host transports (memory
/// and UDP). A client's counters start when its connection is added and are dropped
/// when it is removed, so a reused client id starts from zero.
#[derive(Resource, Clone, Debug, Default)]
pub struct HostTraffic {
    peers: BTreeMap<ClientId, PeerTraffic>,
}

impl HostTraffic {
    /// Counts a datagram of `bytes` received from `client` at `now`.
    pub fn record_in(&mut self, client: ClientId, now: Duration, bytes: usize) {
        self.peers.entry(client).or_default().record_in(now, bytes);
    }

    /// Counts a datagram of `bytes` sent to `client` at `now`.
    pub fn record_out(&mut self, client: ClientId, now: Duration, bytes: usize) {
        self.peers.entry(client).or_default().record_out(now, bytes);
    }

    /// Drops `client`'s counters (its connection was added anew or removed).
    pub fn forget(&mut self, client: ClientId) {
        self.peers.remove(&client);
    }

    /// `client`'s traffic, if anything was counted since its connection was added.
    pub fn peer(&self, client: ClientId) -> Option<&PeerTraffic> {
        self.peers.get(&client)
    }

    /// Every client with counters, in id order.
    pub fn peers(&self) -> impl Iterator<Item = (ClientId, &PeerTraffic)> {
        self.peers
            .iter()
            .map(|(&client, traffic)| (client, traffic))
    }
}

/// A client's traffic with its host, kept by the client transports (memory and UDP).
/// It counts from the App's first datagram, across reconnections.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientTraffic(pub PeerTraffic);

impl Deref for ClientTraffic {
    type Target = PeerTraffic;

    fn deref(&self) -> &PeerTraffic {
        &self.0
    }
}

impl DerefMut for ClientTraffic {
    fn deref_mut(&mut self) -> &mut PeerTraffic {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(millis: u64) -> Duration {
        Duration::from_millis(millis)
    }

    #[test]
    fn totals_count_every_datagram() {
        let mut traffic = PeerTraffic::default();
        traffic.record_in(ms(0), 10);
        traffic.record_in(ms(5), 20);
        traffic.record_out(ms(7), 100);
        assert_eq!(
            traffic.totals(),
            TrafficCounts {
                packets_in: 2,
                bytes_in: 30,
                packets_out: 1,
                bytes_out: 100,
            }
        );
    }

    #[test]
    fn rates_use_complete_buckets_only() {
        let mut traffic = PeerTraffic::default();
        assert_eq!(traffic.rates(ms(500)), TrafficRates::default());
        // Two packets of 50 bytes every 20 ms, from 0 to 380 ms.
        for frame in 0..20 {
            traffic.record_out(ms(frame * 20), 50);
            traffic.record_out(ms(frame * 20), 50);
            if frame == 4 {
                // Still in the first bucket: nothing complete yet.
                assert_eq!(traffic.rates(ms(90)), TrafficRates::default());
            }
        }
        let rates = traffic.rates(ms(390));
        assert_eq!(rates.packets_out_per_s, 100.0);
        assert_eq!(rates.bytes_out_per_s, 5000.0);
        assert_eq!(rates.packets_in_per_s, 0.0);
    }

    #[test]
    fn steady_traffic_gives_exact_rates_over_the_full_window() {
        let mut traffic = PeerTraffic::default();
        // 3 datagrams in and 1 out per 20 ms frame for 3 s.
        for frame in 0..150 {
            let now = ms(frame * 20);
            for _ in 0..3 {
                traffic.record_in(now, 1000);
            }
            traffic.record_out(now, 30);
            let rates = traffic.rates(now);
            if frame >= 5 {
                assert_eq!(rates.packets_in_per_s, 150.0, "frame {frame}");
                assert_eq!(rates.bytes_in_per_s, 150_000.0, "frame {frame}");
                assert_eq!(rates.packets_out_per_s, 50.0, "frame {frame}");
            }
        }
    }

    #[test]
    fn old_traffic_leaves_the_window() {
        let mut traffic = PeerTraffic::default();
        for frame in 0..50 {
            traffic.record_in(ms(frame * 20), 100);
        }
        assert_eq!(traffic.rates(ms(1_000)).packets_in_per_s, 50.0);
        // Half the window is silent.
        assert_eq!(traffic.rates(ms(1_500)).packets_in_per_s, 25.0);
        assert_eq!(traffic.rates(ms(2_050)).packets_in_per_s, 0.0);
        // A datagram after a long silence does not resurrect old buckets.
        traffic.record_in(ms(5_000), 100);
        assert_eq!(traffic.rates(ms(5_100)).packets_in_per_s, 1.0);
        assert_eq!(traffic.totals().packets_in, 51);
    }

    #[test]
    fn an_earlier_clock_counts_in_the_current_bucket() {
        let mut traffic = PeerTraffic::default();
        traffic.record_out(ms(1_000), 10);
        traffic.record_out(Duration::ZERO, 10);
        assert_eq!(traffic.totals().packets_out, 2);
        assert_eq!(traffic.rates(ms(1_100)).packets_out_per_s, 20.0);
    }

    #[test]
    fn host_traffic_is_per_client_and_forgettable() {
        let mut host = HostTraffic::default();
        host.record_in(1, ms(0), 10);
        host.record_out(2, ms(0), 20);
        assert_eq!(host.peer(1).unwrap().totals().packets_in, 1);
        assert_eq!(host.peer(2).unwrap().totals().bytes_out, 20);
        assert_eq!(host.peers().map(|(id, _)| id).collect::<Vec<_>>(), [1, 2]);
        host.forget(1);
        assert!(host.peer(1).is_none());
    }
}
