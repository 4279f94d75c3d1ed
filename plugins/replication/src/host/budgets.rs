//! Per-client traffic budgets (SPEC §10, §11): token buckets for messages and bytes per
//! channel and for actions per second.
//!
//! Traffic over a budget is refused: the message is dropped (an action is answered
//! `Rejected(RateLimited)`, so its sender rolls back at once instead of waiting for a
//! timeout). Every refusal costs the connection a strike from a bucket of its own; a
//! connection that runs out of strikes — over budget for longer than the host forgives
//! — is kicked with the reason. Honest clients stay far below every default.

use bevy_ecs::prelude::*;
use bevy_log::warn;
use core::fmt;
use core::time::Duration;
use racksync_protocol::Channel;
use racksync_transport::{LogLimiter, TokenBucket};
use renet::ClientId;
use std::collections::BTreeMap;

/// Limits of one channel, per client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelBudget {
    /// Messages per second, sustained.
    pub messages_per_s: u64,
    /// Messages at once.
    pub messages_burst: u64,
    /// Bytes per second, sustained.
    pub bytes_per_s: u64,
    /// Bytes at once.
    pub bytes_burst: u64,
}

/// Every budget a client gets, as a host resource.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub struct BudgetSettings {
    /// The `world` channel: handshake, actions, audit answers, goodbyes.
    pub world: ChannelBudget,
    /// The `presence` channel (20 Hz transforms).
    pub presence: ChannelBudget,
    /// The `state` channel (carry/crouch/sit state).
    pub state: ChannelBudget,
    /// The `raw` channel (unreliable raw messages; their byte rate is limited again by
    /// the messaging relay).
    pub raw: ChannelBudget,
    /// Actions per second, sustained.
    pub actions_per_s: u64,
    /// Actions at once.
    pub actions_burst: u64,
    /// Refusals forgiven per second.
    pub strikes_per_s: u64,
    /// Refusals tolerated at once; one more and the connection is kicked.
    pub strikes_burst: u64,
}

impl Default for BudgetSettings {
    fn default() -> Self {
        // Presence and state: an honest client sends 20 messages/s of ~20 bytes.
        let sequenced = ChannelBudget {
            messages_per_s: 60,
            messages_burst: 120,
            bytes_per_s: 24 * 1024,
            bytes_burst: 64 * 1024,
        };
        Self {
            world: ChannelBudget {
                messages_per_s: 200,
                messages_burst: 1000,
                bytes_per_s: 256 * 1024,
                bytes_burst: 2 * 1024 * 1024,
            },
            presence: sequenced,
            state: sequenced,
            raw: ChannelBudget {
                messages_per_s: 120,
                messages_burst: 240,
                bytes_per_s: 32 * 1024,
                bytes_burst: 128 * 1024,
            },
            actions_per_s: 50,
            actions_burst: 250,
            strikes_per_s: 5,
            strikes_burst: 100,
        }
    }
}

impl BudgetSettings {
    /// Budgets no test or benchmark load reaches: for measuring the host itself.
    pub fn unlimited() -> Self {
        let open = ChannelBudget {
            messages_per_s: u64::MAX / 4,
            messages_burst: u64::MAX / 4,
            bytes_per_s: u64::MAX / 4,
            bytes_burst: u64::MAX / 4,
        };
        Self {
            world: open,
            presence: open,
            state: open,
            raw: open,
            actions_per_s: u64::MAX / 4,
            actions_burst: u64::MAX / 4,
            strikes_per_s: 1,
            strikes_burst: 1,
        }
    }

    fn channel(&self, channel: Channel) -> Option<&ChannelBudget> {
        match channel {
            Channel::World => Some(&self.world),
            Channel::Presence => Some(&self.presence),
            Channel::State => Some(&self.state),
            Channel::Raw => Some(&self.raw),
            Channel::Bulk => None,
        }
    }
}

/// What the budget says about one message or action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Within budget.
    Admit,
    /// Over budget: refuse it.
    Refuse,
    /// Over budget for too long: refuse it and kick the connection.
    Kick(OverBudget),
}

/// What a kicked connection overspent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OverBudget {
    /// Messages on a channel.
    Messages(Channel),
    /// Bytes on a channel.
    Bytes(Channel),
    /// Actions.
    Actions,
}

impl fmt::Display for OverBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OverBudget::Messages(channel) => {
                write!(f, "persistently over its {channel:?} message budget")
            }
            OverBudget::Bytes(channel) => {
                write!(f, "persistently over its {channel:?} byte budget")
            }
            OverBudget::Actions => write!(f, "persistently over its action budget"),
        }
    }
}

/// Counters of what the budgets refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BudgetStats {
    /// Messages refused for their channel's budget.
    pub messages_refused: u64,
    /// Actions refused for the action budget.
    pub actions_refused: u64,
    /// Connections kicked for persistent overspending.
    pub kicked: u64,
}

#[derive(Debug)]
struct ChannelBuckets {
    messages: TokenBucket,
    bytes: TokenBucket,
}

#[derive(Debug)]
struct ClientBudget {
    channels: BTreeMap<u8, ChannelBuckets>,
    actions: TokenBucket,
    strikes: TokenBucket,
    kicked: bool,
}

/// Every client's buckets, as a host resource.
#[derive(Resource, Debug, Default)]
pub struct ClientBudgets {
    by_client: BTreeMap<ClientId, ClientBudget>,
    stats: BudgetStats,
    log: LogLimiter,
}

impl ClientBudgets {
    /// The counters.
    pub fn stats(&self) -> &BudgetStats {
        &self.stats
    }

    /// Charges one message of `bytes` on `channel` to `client`.
    pub fn admit_message(
        &mut self,
        settings: &BudgetSettings,
        client: ClientId,
        channel: Channel,
        bytes: usize,
        now: Duration,
    ) -> Admission {
        let Some(limits) = settings.channel(channel) else {
            return Admission::Admit;
        };
        let budget = self.budget(settings, client, now);
        let buckets = budget
            .channels
            .entry(channel.id())
            .or_insert_with(|| ChannelBuckets::new(limits, now));
        // Both buckets are checked before either is charged, so a refused message
        // costs nothing but a strike.
        buckets.messages.refill(now);
        buckets.bytes.refill(now);
        let over = if buckets.messages.available() < 1 {
            Some(OverBudget::Messages(channel))
        } else if buckets.bytes.available() < bytes as u64 {
            Some(OverBudget::Bytes(channel))
        } else {
            buckets.messages.try_take(1);
            buckets.bytes.try_take(bytes as u64);
            None
        };
        match over {
            None => Admission::Admit,
            Some(over) => {
                self.stats.messages_refused += 1;
                self.strike(client, over, now)
            }
        }
    }

    /// Charges one action to `client`.
    pub fn admit_action(
        &mut self,
        settings: &BudgetSettings,
        client: ClientId,
        now: Duration,
    ) -> Admission {
        if self
            .budget(settings, client, now)
            .actions
            .try_take_at(now, 1)
        {
            return Admission::Admit;
        }
        self.stats.actions_refused += 1;
        self.strike(client, OverBudget::Actions, now)
    }

    /// Forgets a connection that is gone.
    pub fn forget(&mut self, client: ClientId) {
        self.by_client.remove(&client);
    }

    fn budget(
        &mut self,
        settings: &BudgetSettings,
        client: ClientId,
        now: Duration,
    ) -> &mut ClientBudget {
        self.by_client
            .entry(client)
            .or_insert_with(|| ClientBudget::new(settings, now))
    }

    fn strike(&mut self, client: ClientId, over: OverBudget, now: Duration) -> Admission {
        let Some(budget) = self.by_client.get_mut(&client) else {
            return Admission::Refuse;
        };
        if budget.kicked || budget.strikes.try_take_at(now, 1) {
            if let Some(suppressed) = self.log.allow(now) {
                warn!(client, %over, suppressed, "refusing traffic over budget");
            }
            return Admission::Refuse;
        }
        budget.kicked = true;
        self.stats.kicked += 1;
        Admission::Kick(over)
    }
}

impl ChannelBuckets {
    fn new(limits: &ChannelBudget, now: Duration) -> Self {
        Self {
            messages: full_bucket(limits.messages_per_s, limits.messages_burst, now),
            bytes: full_bucket(limits.bytes_per_s, limits.bytes_burst, now),
        }
    }
}

impl ClientBudget {
    fn new(settings: &BudgetSettings, now: Duration) -> Self {
        Self {
            channels: BTreeMap::new(),
            actions: full_bucket(settings.actions_per_s, settings.actions_burst, now),
            strikes: full_bucket(settings.strikes_per_s, settings.strikes_burst, now),
            kicked: false,
        }
    }
}

/// A full bucket whose refill clock starts at `now`.
fn full_bucket(rate_per_s: u64, burst: u64, now: Duration) -> TokenBucket {
    let mut bucket = TokenBucket::new(rate_per_s, burst);
    bucket.refill(now);
    bucket
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    fn tight() -> BudgetSettings {
        BudgetSettings {
            world: ChannelBudget {
                messages_per_s: 10,
                messages_burst: 2,
                bytes_per_s: 100,
                bytes_burst: 100,
            },
            actions_per_s: 1,
            actions_burst: 2,
            strikes_per_s: 1,
            strikes_burst: 2,
            ..BudgetSettings::default()
        }
    }

    #[test]
    fn messages_over_budget_are_refused_then_kicked() {
        let settings = tight();
        let mut budgets = ClientBudgets::default();
        let admit = |b: &mut ClientBudgets, bytes| {
            b.admit_message(&settings, 1, Channel::World, bytes, ms(0))
        };
        assert_eq!(admit(&mut budgets, 10), Admission::Admit);
        assert_eq!(admit(&mut budgets, 10), Admission::Admit);
        assert_eq!(admit(&mut budgets, 10), Admission::Refuse);
        assert_eq!(admit(&mut budgets, 10), Admission::Refuse);
        assert_eq!(
            admit(&mut budgets, 10),
            Admission::Kick(OverBudget::Messages(Channel::World))
        );
        assert_eq!(budgets.stats().messages_refused, 3);
        assert_eq!(budgets.stats().kicked, 1);
        // Another client is untouched.
        assert_eq!(
            budgets.admit_message(&settings, 2, Channel::World, 10, ms(0)),
            Admission::Admit
        );
    }

    #[test]
    fn bytes_and_actions_have_their_own_buckets_and_refill() {
        let settings = tight();
        let mut budgets = ClientBudgets::default();
        assert_eq!(
            budgets.admit_message(&settings, 1, Channel::World, 101, ms(0)),
            Admission::Refuse,
            "more bytes than the burst"
        );
        assert_eq!(budgets.admit_action(&settings, 1, ms(0)), Admission::Admit);
        assert_eq!(budgets.admit_action(&settings, 1, ms(0)), Admission::Admit);
        assert_eq!(budgets.admit_action(&settings, 1, ms(0)), Admission::Refuse);
        assert_eq!(
            budgets.admit_action(&settings, 1, ms(1000)),
            Admission::Admit
        );
        assert_eq!(budgets.stats().actions_refused, 1);
        // Presence has its own default budget, unaffected by the world channel.
        assert_eq!(
            budgets.admit_message(&settings, 1, Channel::Presence, 20, ms(1000)),
            Admission::Admit
        );
    }
}
