//! The host's packet guard: every payload a client sends is checked here before renet
//! sees it (SPEC §11).
//!
//! renet 2.0.1 trusts the peer more than a public host can. Two inputs from a connected
//! peer make its receive path panic, taking the whole host down:
//!
//! * a slice whose `slice_index` is not below its `num_slices` (renet indexes its
//!   reassembly buffer with it unchecked), and
//! * a slice whose `num_slices` differs from the first slice of the same message (renet
//!   sized the buffer by the first; the later index runs past it, and completing the
//!   message subtracts the wrong size from its memory count).
//!
//! The guard reads each packet with its own parser ([`renet_wire`]) and passes it only
//! when it is something an honest racksync client sends: a known packet type on a
//! channel clients send on, in that channel's mode, with messages within the channel's
//! size cap, and slices that are well formed and consistent. Anything else is a
//! protocol violation: the packet is dropped and the connection kicked with the reason.
//! Floods (more bytes per second than any honest client sends) are dropped and, when
//! they persist, kicked too.

pub mod craft;
pub mod renet_wire;
pub mod slices;

use core::fmt;
use core::time::Duration;
use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use bevy_log::warn;
use racksync_protocol::{CHANNELS, ChannelSpec, Delivery};
use renet::ClientId;

use crate::bucket::TokenBucket;
use crate::log_limit::LogLimiter;
use renet_wire::{PacketView, SLICE_SIZE, WireError, read_packet};
use slices::{SliceCheck, SliceLedger};

/// The guard's limits. The defaults leave honest clients far below every limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardLimits {
    /// Payload bytes per second a connection may send, sustained.
    pub bytes_per_s: u64,
    /// Payload bytes a connection may send at once.
    pub burst_bytes: u64,
    /// Packets dropped for flooding a connection is forgiven per second.
    pub flood_drops_per_s: u64,
    /// Packets dropped for flooding tolerated at once before the connection is kicked.
    pub flood_drops_burst: u64,
    /// Sliced messages per reliable channel whose slice count is remembered.
    pub slice_ledger_reliable: usize,
    /// Sliced messages per unreliable channel whose slice count is remembered.
    pub slice_ledger_unreliable: usize,
    /// How long a kicked connection stays open, for the reason to reach the client,
    /// before the transport closes it. Its packets are dropped meanwhile.
    pub kick_linger: Duration,
}

impl Default for GuardLimits {
    fn default() -> Self {
        Self {
            bytes_per_s: 512 * 1024,
            burst_bytes: 2 * 1024 * 1024,
            flood_drops_per_s: 20,
            flood_drops_burst: 400,
            slice_ledger_reliable: 1024,
            slice_ledger_unreliable: 64,
            kick_linger: Duration::from_millis(500),
        }
    }
}

/// Why the guard kicked a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GuardViolation {
    /// The packet is not renet's format.
    Malformed(WireError),
    /// A channel id outside the channel table.
    UnknownChannel(u8),
    /// A channel only the host sends on.
    HostOnlyChannel(u8),
    /// Reliable packets on an unreliable channel, or the other way round.
    WrongMode {
        /// The channel.
        channel: u8,
        /// Whether the packet was a reliable one.
        reliable: bool,
    },
    /// A message larger than its channel allows.
    MessageTooLarge {
        /// The channel.
        channel: u8,
        /// The message's size (for a slice: what its slice count implies).
        bytes: u64,
        /// The channel's cap.
        max: usize,
    },
    /// A slice index at or past the slice count.
    SliceIndexOutOfRange {
        /// The index.
        index: u64,
        /// The count.
        num_slices: u64,
    },
    /// A slice count of 0 or 1 (renet only slices messages of more than one slice).
    BadSliceCount(u64),
    /// A slice of the wrong size: empty, above the slice size, or short before the last.
    BadSliceSize {
        /// The index.
        index: u64,
        /// Its size.
        len: usize,
    },
    /// Slices of one message claiming different slice counts.
    SliceCountChanged {
        /// The message id.
        message_id: u64,
        /// The count its first slice claimed.
        first: u64,
        /// The count this slice claims.
        now: u64,
    },
    /// More traffic than any honest client sends, for longer than the guard forgives.
    Flooding {
        /// The sustained limit, bytes per second.
        bytes_per_s: u64,
    },
}

impl fmt::Display for GuardViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use GuardViolation::*;
        match self {
            Malformed(error) => write!(f, "malformed packet: {error}"),
            UnknownChannel(channel) => write!(f, "unknown channel {channel}"),
            HostOnlyChannel(channel) => write!(f, "clients do not send on channel {channel}"),
            WrongMode { channel, reliable } => write!(
                f,
                "{} packet on channel {channel}",
                if *reliable { "reliable" } else { "unreliable" }
            ),
            MessageTooLarge {
                channel,
                bytes,
                max,
            } => write!(
                f,
                "message of {bytes} bytes on channel {channel} (at most {max})"
            ),
            SliceIndexOutOfRange { index, num_slices } => {
                write!(f, "slice {index} of a {num_slices}-slice message")
            }
            BadSliceCount(n) => write!(f, "sliced message of {n} slices"),
            BadSliceSize { index, len } => write!(f, "slice {index} of {len} bytes"),
            SliceCountChanged {
                message_id,
                first,
                now,
            } => write!(f, "message {message_id} claimed {first} slices, then {now}"),
            Flooding { bytes_per_s } => {
                write!(f, "flooding (more than {bytes_per_s} bytes/s)")
            }
        }
    }
}

/// What to do with one packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Hand it to renet.
    Pass,
    /// Drop it; the connection stays (flood control, a slice too old to check, or a
    /// connection already kicked).
    Drop,
    /// Drop it and kick the connection for this reason (reported once).
    Kick(GuardViolation),
}

/// Counters of everything the guard decided.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GuardStats {
    /// Packets handed to renet.
    pub passed: u64,
    /// Packets dropped without a kick.
    pub dropped: u64,
    /// Connections kicked.
    pub kicked: u64,
}

/// A kicked connection the transport has to report and, after the linger, close.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kick {
    /// The connection.
    pub client: ClientId,
    /// Why.
    pub reason: GuardViolation,
}

/// The guard's state for one connection.
#[derive(Debug)]
struct ConnectionGuard {
    traffic: TokenBucket,
    flood_tolerance: TokenBucket,
    ledgers: Vec<SliceLedger>,
    /// When the connection was kicked; its packets are dropped from then on.
    kicked_at: Option<Duration>,
    closed: bool,
}

/// Every connection's guard, as a host resource shared by both transports.
#[derive(Resource, Debug)]
pub struct PacketGuard {
    limits: GuardLimits,
    connections: BTreeMap<ClientId, ConnectionGuard>,
    /// Kicks not yet reported by the transport.
    new_kicks: Vec<Kick>,
    stats: GuardStats,
    log: LogLimiter,
}

impl Default for PacketGuard {
    fn default() -> Self {
        Self::new(GuardLimits::default())
    }
}

impl PacketGuard {
    /// A guard with these limits.
    pub fn new(limits: GuardLimits) -> Self {
        Self {
            limits,
            connections: BTreeMap::new(),
            new_kicks: Vec::new(),
            stats: GuardStats::default(),
            log: LogLimiter::default(),
        }
    }

    /// The limits.
    pub fn limits(&self) -> &GuardLimits {
        &self.limits
    }

    /// The counters.
    pub fn stats(&self) -> &GuardStats {
        &self.stats
    }

    /// Checks one payload `client` sent at `now` (the transport's clock).
    pub fn inspect(&mut self, client: ClientId, packet: &[u8], now: Duration) -> Verdict {
        let limits = &self.limits;
        let connection = self
            .connections
            .entry(client)
            .or_insert_with(|| ConnectionGuard::new(limits, now));
        if connection.kicked_at.is_some() {
            self.stats.dropped += 1;
            return Verdict::Drop;
        }
        let verdict = connection.inspect(packet, now, &self.limits);
        match &verdict {
            Verdict::Pass => self.stats.passed += 1,
            Verdict::Drop => self.stats.dropped += 1,
            Verdict::Kick(reason) => {
                connection.kicked_at = Some(now);
                self.stats.dropped += 1;
                self.stats.kicked += 1;
                if let Some(suppressed) = self.log.allow(now) {
                    warn!(client, %reason, suppressed, "packet guard kicks client");
                }
                self.new_kicks.push(Kick {
                    client,
                    reason: reason.clone(),
                });
            }
        }
        verdict
    }

    /// Kicks since the last call, for the transport to report.
    pub fn take_kicks(&mut self) -> Vec<Kick> {
        core::mem::take(&mut self.new_kicks)
    }

    /// Kicked connections whose linger is over at `now` and that were not yet closed:
    /// the transport disconnects them.
    pub fn due_closes(&mut self, now: Duration) -> Vec<ClientId> {
        let linger = self.limits.kick_linger;
        let mut due = Vec::new();
        for (client, connection) in &mut self.connections {
            if let Some(at) = connection.kicked_at
                && !connection.closed
                && now >= at + linger
            {
                connection.closed = true;
                due.push(*client);
            }
        }
        due
    }

    /// Whether the guard kicked `client`.
    pub fn is_kicked(&self, client: ClientId) -> bool {
        self.connections
            .get(&client)
            .is_some_and(|c| c.kicked_at.is_some())
    }

    /// Forgets a connection that is gone.
    pub fn forget(&mut self, client: ClientId) {
        self.connections.remove(&client);
    }
}

impl ConnectionGuard {
    fn new(limits: &GuardLimits, now: Duration) -> Self {
        let mut traffic = TokenBucket::new(limits.bytes_per_s, limits.burst_bytes);
        traffic.refill(now);
        let mut flood_tolerance =
            TokenBucket::new(limits.flood_drops_per_s, limits.flood_drops_burst);
        flood_tolerance.refill(now);
        let ledgers = CHANNELS
            .iter()
            .map(|spec| {
                SliceLedger::new(match spec.delivery {
                    Delivery::ReliableOrdered => limits.slice_ledger_reliable,
                    Delivery::Unreliable | Delivery::UnreliableSequenced => {
                        limits.slice_ledger_unreliable
                    }
                })
            })
            .collect();
        Self {
            traffic,
            flood_tolerance,
            ledgers,
            kicked_at: None,
            closed: false,
        }
    }

    fn inspect(&mut self, packet: &[u8], now: Duration, limits: &GuardLimits) -> Verdict {
        if !self.traffic.try_take_at(now, packet.len() as u64) {
            // Over the byte budget: drop, and kick once the drops outlast the tolerance.
            return if self.flood_tolerance.try_take_at(now, 1) {
                Verdict::Drop
            } else {
                Verdict::Kick(GuardViolation::Flooding {
                    bytes_per_s: limits.bytes_per_s,
                })
            };
        }
        match check_packet(packet, &mut self.ledgers) {
            Ok(true) => Verdict::Pass,
            Ok(false) => Verdict::Drop,
            Err(violation) => Verdict::Kick(violation),
        }
    }
}

/// Checks a packet's structure. `Ok(true)`: pass it; `Ok(false)`: drop it quietly.
fn check_packet(packet: &[u8], ledgers: &mut [SliceLedger]) -> Result<bool, GuardViolation> {
    match read_packet(packet).map_err(GuardViolation::Malformed)? {
        PacketView::Ack => Ok(true),
        PacketView::Messages {
            reliable,
            channel,
            largest,
            ..
        } => {
            let spec = channel_spec(channel, reliable)?;
            // renet slices every message above the slice size, so whole messages are
            // at most that, and never above the channel's cap.
            let max = spec.max_message_bytes.min(SLICE_SIZE);
            if largest > max {
                return Err(GuardViolation::MessageTooLarge {
                    channel,
                    bytes: largest as u64,
                    max,
                });
            }
            Ok(true)
        }
        PacketView::Slice {
            reliable,
            channel,
            message_id,
            slice_index,
            num_slices,
            len,
        } => {
            let spec = channel_spec(channel, reliable)?;
            check_slice(spec, slice_index, num_slices, len)?;
            match ledgers[usize::from(channel)].check(message_id, num_slices) {
                SliceCheck::Consistent => Ok(true),
                SliceCheck::Forgotten => Ok(false),
                SliceCheck::Changed { first } => Err(GuardViolation::SliceCountChanged {
                    message_id,
                    first,
                    now: num_slices,
                }),
            }
        }
    }
}

/// The channel's row, if clients may send this kind of packet on it.
fn channel_spec(channel: u8, reliable: bool) -> Result<&'static ChannelSpec, GuardViolation> {
    let spec = CHANNELS
        .get(usize::from(channel))
        .ok_or(GuardViolation::UnknownChannel(channel))?;
    if !spec.client_sends {
        return Err(GuardViolation::HostOnlyChannel(channel));
    }
    let channel_reliable = matches!(spec.delivery, Delivery::ReliableOrdered);
    if channel_reliable != reliable {
        return Err(GuardViolation::WrongMode { channel, reliable });
    }
    Ok(spec)
}

/// A slice must be one renet itself would cut from a message within the channel's cap.
fn check_slice(
    spec: &ChannelSpec,
    index: u64,
    num_slices: u64,
    len: usize,
) -> Result<(), GuardViolation> {
    if num_slices < 2 {
        return Err(GuardViolation::BadSliceCount(num_slices));
    }
    let max_slices = spec.max_message_bytes.div_ceil(SLICE_SIZE) as u64;
    if num_slices > max_slices {
        return Err(GuardViolation::MessageTooLarge {
            channel: spec.channel.id(),
            bytes: num_slices.saturating_mul(SLICE_SIZE as u64),
            max: spec.max_message_bytes,
        });
    }
    if index >= num_slices {
        return Err(GuardViolation::SliceIndexOutOfRange { index, num_slices });
    }
    let last = index == num_slices - 1;
    let size_ok = if last {
        (1..=SLICE_SIZE).contains(&len)
    } else {
        len == SLICE_SIZE
    };
    if !size_ok {
        return Err(GuardViolation::BadSliceSize { index, len });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::craft::{messages_packet, slice_packet};
    use super::*;
    use racksync_protocol::Channel;

    const WORLD: u8 = Channel::World.id();
    const PRESENCE: u8 = Channel::Presence.id();
    const BULK: u8 = Channel::Bulk.id();

    fn ms(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    #[test]
    fn honest_packets_pass() {
        let mut guard = PacketGuard::default();
        let small = messages_packet(true, WORLD, &[b"hello", b"action"]);
        assert_eq!(guard.inspect(1, &small, ms(0)), Verdict::Pass);
        let presence = messages_packet(false, PRESENCE, &[&[7; 12]]);
        assert_eq!(guard.inspect(1, &presence, ms(0)), Verdict::Pass);
        for index in 0..3 {
            let len = if index == 2 { 17 } else { SLICE_SIZE };
            let slice = slice_packet(true, WORLD, 4, index, 3, &vec![1; len]);
            assert_eq!(guard.inspect(1, &slice, ms(1)), Verdict::Pass, "{index}");
        }
        assert_eq!(guard.stats().passed, 5);
    }

    #[test]
    fn the_slice_index_renet_panics_on_is_kicked() {
        let mut guard = PacketGuard::default();
        let slice = slice_packet(true, WORLD, 0, 5, 3, &[1; 10]);
        assert_eq!(
            guard.inspect(1, &slice, ms(0)),
            Verdict::Kick(GuardViolation::SliceIndexOutOfRange {
                index: 5,
                num_slices: 3
            })
        );
        assert!(guard.is_kicked(1));
        assert_eq!(guard.take_kicks().len(), 1);
        // Everything after the kick is dropped, even honest-looking packets.
        let small = messages_packet(true, WORLD, &[b"hi"]);
        assert_eq!(guard.inspect(1, &small, ms(1)), Verdict::Drop);
        assert!(guard.take_kicks().is_empty(), "a kick is reported once");
        // Other connections are untouched.
        assert_eq!(guard.inspect(2, &small, ms(1)), Verdict::Pass);
    }

    #[test]
    fn a_changed_slice_count_is_kicked() {
        let mut guard = PacketGuard::default();
        let first = slice_packet(true, WORLD, 9, 0, 2, &[1; SLICE_SIZE]);
        assert_eq!(guard.inspect(1, &first, ms(0)), Verdict::Pass);
        let changed = slice_packet(true, WORLD, 9, 2, 4, &[1; SLICE_SIZE]);
        assert_eq!(
            guard.inspect(1, &changed, ms(0)),
            Verdict::Kick(GuardViolation::SliceCountChanged {
                message_id: 9,
                first: 2,
                now: 4
            })
        );
    }

    #[test]
    fn channel_mode_size_and_slice_shape_are_enforced() {
        let cases: Vec<(Vec<u8>, GuardViolation)> = vec![
            (
                messages_packet(true, 9, &[b"x"]),
                GuardViolation::UnknownChannel(9),
            ),
            (
                messages_packet(true, BULK, &[b"x"]),
                GuardViolation::HostOnlyChannel(BULK),
            ),
            (
                messages_packet(false, WORLD, &[b"x"]),
                GuardViolation::WrongMode {
                    channel: WORLD,
                    reliable: false,
                },
            ),
            (
                messages_packet(true, WORLD, &[&[0; SLICE_SIZE + 1]]),
                GuardViolation::MessageTooLarge {
                    channel: WORLD,
                    bytes: SLICE_SIZE as u64 + 1,
                    max: SLICE_SIZE,
                },
            ),
            (
                slice_packet(false, PRESENCE, 0, 0, 2, &[0; SLICE_SIZE]),
                GuardViolation::MessageTooLarge {
                    channel: PRESENCE,
                    bytes: 2 * SLICE_SIZE as u64,
                    max: Channel::Presence.spec().max_message_bytes,
                },
            ),
            (
                slice_packet(true, WORLD, 0, 0, 1, &[0; 5]),
                GuardViolation::BadSliceCount(1),
            ),
            (
                slice_packet(true, WORLD, 0, 0, 3, &[0; 5]),
                GuardViolation::BadSliceSize { index: 0, len: 5 },
            ),
            (
                slice_packet(true, WORLD, 0, 2, 3, &[]),
                GuardViolation::BadSliceSize { index: 2, len: 0 },
            ),
            (
                vec![7, 1, 2],
                GuardViolation::Malformed(WireError::UnknownType(7)),
            ),
            (vec![], GuardViolation::Malformed(WireError::Truncated)),
        ];
        for (client, (packet, violation)) in cases.into_iter().enumerate() {
            let mut guard = PacketGuard::default();
            assert_eq!(
                guard.inspect(client as u64, &packet, ms(0)),
                Verdict::Kick(violation)
            );
        }
    }

    #[test]
    fn floods_are_dropped_then_kicked_and_closed_after_the_linger() {
        let limits = GuardLimits {
            bytes_per_s: 1000,
            burst_bytes: 1000,
            flood_drops_per_s: 1,
            flood_drops_burst: 3,
            ..GuardLimits::default()
        };
        let mut guard = PacketGuard::new(limits.clone());
        let packet = messages_packet(false, PRESENCE, &[&[0; 480]]);
        let mut verdicts = Vec::new();
        for _ in 0..6 {
            verdicts.push(guard.inspect(1, &packet, ms(0)));
        }
        assert_eq!(&verdicts[..2], &[Verdict::Pass, Verdict::Pass]);
        assert_eq!(
            &verdicts[2..5],
            &[Verdict::Drop, Verdict::Drop, Verdict::Drop]
        );
        assert_eq!(
            verdicts[5],
            Verdict::Kick(GuardViolation::Flooding { bytes_per_s: 1000 })
        );
        assert!(guard.due_closes(ms(10)).is_empty(), "lingers first");
        assert_eq!(guard.due_closes(limits.kick_linger), vec![1]);
        assert!(guard.due_closes(ms(10_000)).is_empty(), "closed once");
        guard.forget(1);
        assert!(!guard.is_kicked(1));
    }
}
