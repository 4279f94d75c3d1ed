//! Cutting long lists into messages that fit the `world` channel.

use racksync_protocol::Channel;
use racksync_protocol::codec::encode_unbounded;
use serde::Serialize;

/// Room left in every message for its header (enum tags, round, revision, flags and
/// the list's length prefix take at most 24 bytes).
const HEADER_ALLOWANCE: usize = 64;

/// Most list bytes one `world` message carries.
pub fn list_budget() -> usize {
    Channel::World.spec().max_message_bytes - HEADER_ALLOWANCE
}

/// Splits `items` into runs whose encodings fit `budget` bytes each; always returns at
/// least one (possibly empty) run, so that every answer has a last message.
pub fn chunk<T: Serialize>(items: Vec<T>, budget: usize) -> Vec<Vec<T>> {
    let mut chunks = vec![Vec::new()];
    let mut used = 0;
    for item in items {
        let size = encoded_len(&item);
        if used + size > budget && !chunks.last().is_some_and(Vec::is_empty) {
            chunks.push(Vec::new());
            used = 0;
        }
        used += size;
        chunks.last_mut().expect("never empty").push(item);
    }
    chunks
}

/// Encoded size of one list item.
pub fn encoded_len<T: Serialize>(item: &T) -> usize {
    encode_unbounded(item).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_respect_the_budget_and_keep_order() {
        let items: Vec<u32> = (0..1_000).map(|n| n * 1_000).collect();
        let chunks = chunk(items.clone(), 100);
        assert!(chunks.len() > 1);
        for run in &chunks {
            assert!(run.iter().map(encoded_len).sum::<usize>() <= 100);
        }
        assert_eq!(chunks.concat(), items);
        assert_eq!(chunk(Vec::<u32>::new(), 100), vec![Vec::<u32>::new()]);
    }
}
