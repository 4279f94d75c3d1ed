//! Client: sending raw messages through a per-sender byte budget, and receiving them.

use super::delivery::ReceivedRaw;
use super::settings::MessagingSettings;
use bevy_ecs::prelude::*;
use bevy_log::debug;
use bevy_renet::RenetClient;
use bevy_time::{Real, Time};
use core::time::Duration;
use racksync_protocol::raw::check_raw;
use racksync_protocol::{
    Channel, ClientRaw, ClientWorldMessage, EventSender, HostRaw, RawError, RawTarget, SendType,
    Seq16, SequencedReceiver, SequencedSender, decode, encode,
};
use racksync_transport::TokenBucket;
use std::collections::{BTreeMap, VecDeque};

/// Raw messages waiting for the byte budget, as a client resource.
#[derive(Resource, Debug, Default)]
pub struct RawOutbox {
    queue: VecDeque<(SendType, ClientRaw)>,
    queued_bytes: usize,
    budget: Option<TokenBucket>,
    sequence: SequencedSender,
    /// Messages sent so far.
    pub sent: u64,
    /// Payload bytes sent so far.
    pub sent_bytes: u64,
}

impl RawOutbox {
    /// Queues `bytes` for `target` with `send_type`. Refused with the reason when the
    /// payload is larger than its send type allows, names too many players, or would
    /// overflow the queue — never dropped silently.
    pub fn send(
        &mut self,
        settings: &MessagingSettings,
        target: RawTarget,
        send_type: SendType,
        bytes: Vec<u8>,
    ) -> Result<(), RawError> {
        check_raw(send_type, &target, bytes.len())?;
        if self.will_message_be_dropped(settings, bytes.len()) {
            return Err(RawError::QueueFull {
                size: bytes.len(),
                queued: self.queued_bytes,
                max: settings.raw_queue_bytes,
            });
        }
        self.queued_bytes += bytes.len();
        self.queue.push_back((
            send_type,
            ClientRaw {
                target,
                sequence: None,
                bytes,
            },
        ));
        Ok(())
    }

    /// Whether a message of `size` bytes would be refused now: larger than the spike
    /// budget, or more than the queue has room for.
    pub fn will_message_be_dropped(&self, settings: &MessagingSettings, size: usize) -> bool {
        size as u64 > settings.raw_spike_bytes
            || self.queued_bytes + size > settings.raw_queue_bytes
    }

    /// How much of the spike budget is spent, in percent: 0 when idle, 100 when the
    /// budget is empty (back off when it stays high). Above 100 while the queue holds
    /// more than the budget can send at once.
    pub fn clogged_percent(&self, settings: &MessagingSettings) -> f32 {
        let spent = self
            .budget
            .as_ref()
            .map_or(0.0, TokenBucket::clogged_percent);
        let backlog = self.queued_bytes as f32 / settings.raw_spike_bytes.max(1) as f32 * 100.0;
        spent + backlog
    }

    /// Bytes queued.
    pub fn queued_bytes(&self) -> usize {
        self.queued_bytes
    }

    /// Takes the messages the budget lets leave at `now`, in order, each with the
    /// channel it travels on; sequenced ones get their sequence number now.
    fn release(
        &mut self,
        settings: &MessagingSettings,
        now: Duration,
    ) -> Vec<(Channel, ClientRaw, SendType)> {
        let budget = self.budget.get_or_insert_with(|| {
            let mut bucket = TokenBucket::new(settings.raw_bytes_per_s, settings.raw_spike_bytes);
            bucket.refill(now);
            bucket
        });
        budget.refill(now);
        let mut out = Vec::new();
        while let Some((_, front)) = self.queue.front() {
            if !budget.try_take(front.bytes.len() as u64) {
                break;
            }
            let (send_type, mut raw) = self.queue.pop_front().expect("front exists");
            self.queued_bytes -= raw.bytes.len();
            let channel = match send_type {
                SendType::Reliable => Channel::World,
                SendType::Unreliable => Channel::Raw,
                SendType::UnreliableSequenced => {
                    raw.sequence = Some(self.sequence.next_seq().0);
                    Channel::Raw
                }
            };
            out.push((channel, raw, send_type));
        }
        out
    }
}

/// Sends the raw messages the byte budget allows. Runs in
/// [`crate::RacksyncSystems::Send`] on clients.
pub fn flush_raw(
    mut outbox: ResMut<RawOutbox>,
    settings: Res<MessagingSettings>,
    mut client: ResMut<RenetClient>,
    time: Res<Time<Real>>,
) {
    if let Some(budget) = outbox.budget.as_mut() {
        // Kept current while idle too, so the clogged probe falls back as time passes.
        budget.refill(time.elapsed());
    }
    if !client.is_connected() || outbox.queue.is_empty() {
        return;
    }
    for (channel, raw, _) in outbox.release(&settings, time.elapsed()) {
        let size = raw.bytes.len() as u64;
        let encoded = if channel == Channel::World {
            encode(channel, &ClientWorldMessage::Raw(raw))
        } else {
            encode(channel, &raw)
        };
        match encoded {
            Ok(bytes) => client.send_message(channel, bytes),
            Err(error) => panic!("a checked raw message does not fit its channel: {error}"),
        }
        outbox.sent += 1;
        outbox.sent_bytes += size;
    }
}

/// Per-sender filters of unreliable sequenced raw messages, as a client resource.
#[derive(Resource, Debug, Default)]
pub struct RawSequences(BTreeMap<EventSender, SequencedReceiver>);

impl RawSequences {
    /// Whether `raw` may be delivered: unsequenced always, sequenced only when newer
    /// than everything delivered from its sender.
    pub fn admit(&mut self, raw: &HostRaw) -> bool {
        match raw.sequence {
            None => true,
            Some(seq) => self
                .0
                .entry(raw.sender)
                .or_default()
                .accept_seq(Seq16(seq))
                .is_ok(),
        }
    }
}

/// Delivers raw messages from the `raw` channel. Runs in
/// [`crate::RacksyncSystems::Receive`] on clients.
pub fn receive_raw(
    mut client: ResMut<RenetClient>,
    mut sequences: ResMut<RawSequences>,
    mut received: MessageWriter<ReceivedRaw>,
) {
    while let Some(bytes) = client.receive_message(Channel::Raw) {
        let raw = match decode::<HostRaw>(Channel::Raw, &bytes) {
            Ok(raw) => raw,
            Err(error) => {
                debug!(%error, "dropping a malformed raw message from the host");
                continue;
            }
        };
        if !sequences.admit(&raw) {
            continue;
        }
        let send_type = if raw.sequence.is_some() {
            SendType::UnreliableSequenced
        } else {
            SendType::Unreliable
        };
        received.write(ReceivedRaw {
            sender: raw.sender,
            send_type,
            bytes: raw.bytes,
        });
    }
}
