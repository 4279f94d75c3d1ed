//! Which slice count each sliced message of one channel claimed first.
//!
//! renet builds its reassembly buffer from the first slice of a message and indexes it
//! with later slices' `slice_index` unchecked, and subtracts the *later* slice's size
//! claim from its memory count. A peer that changes `num_slices` between the slices of
//! one message makes renet index out of bounds (a panic) or wrap its memory counter.
//! The ledger pins each message id to the count its first slice claimed.

use std::collections::BTreeMap;

/// Outcome of checking one slice against the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SliceCheck {
    /// First slice of the message, or the same count as before.
    Consistent,
    /// The message was first seen with another count.
    Changed {
        /// The count the first slice claimed.
        first: u64,
    },
    /// The message id is older than anything the ledger still remembers: renet may still
    /// hold its buffer, so the slice cannot be checked and must not pass.
    Forgotten,
}

/// Slice counts of recent sliced messages of one channel, bounded in size.
#[derive(Clone, Debug)]
pub struct SliceLedger {
    counts: BTreeMap<u64, u64>,
    capacity: usize,
    /// Every id at or below this was evicted (`None`: nothing evicted yet).
    floor: Option<u64>,
}

impl SliceLedger {
    /// A ledger remembering up to `capacity` message ids. Honest senders number their
    /// messages upwards and have far fewer sliced messages in flight than this.
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "a slice ledger needs room for one message");
        Self {
            counts: BTreeMap::new(),
            capacity,
            floor: None,
        }
    }

    /// Checks a slice of `message_id` claiming `num_slices`, and remembers the claim.
    pub fn check(&mut self, message_id: u64, num_slices: u64) -> SliceCheck {
        if self.floor.is_some_and(|floor| message_id <= floor) {
            return SliceCheck::Forgotten;
        }
        if let Some(&first) = self.counts.get(&message_id) {
            return if first == num_slices {
                SliceCheck::Consistent
            } else {
                SliceCheck::Changed { first }
            };
        }
        if self.counts.len() == self.capacity
            && let Some((&oldest, _)) = self.counts.first_key_value()
        {
            // Full: make room by forgetting the oldest message, unless this one is
            // older still (then it is the one that cannot be remembered).
            if message_id < oldest {
                return SliceCheck::Forgotten;
            }
            self.counts.pop_first();
            self.floor = Some(oldest);
        }
        self.counts.insert(message_id, num_slices);
        SliceCheck::Consistent
    }

    /// Message ids remembered.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_the_first_count() {
        let mut ledger = SliceLedger::new(4);
        assert_eq!(ledger.check(5, 3), SliceCheck::Consistent);
        assert_eq!(ledger.check(5, 3), SliceCheck::Consistent);
        assert_eq!(ledger.check(5, 9), SliceCheck::Changed { first: 3 });
    }

    #[test]
    fn evicts_the_oldest_and_refuses_below_it() {
        let mut ledger = SliceLedger::new(2);
        ledger.check(1, 2);
        ledger.check(2, 2);
        assert_eq!(ledger.check(3, 2), SliceCheck::Consistent);
        assert_eq!(ledger.len(), 2);
        assert_eq!(ledger.check(1, 2), SliceCheck::Forgotten);
        assert_eq!(ledger.check(2, 2), SliceCheck::Consistent);
        assert_eq!(
            ledger.check(0, 2),
            SliceCheck::Forgotten,
            "older than all, full"
        );
        assert_eq!(ledger.len(), 2);
    }
}
