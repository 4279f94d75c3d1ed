//! Counters kept for every simulated link direction.

use serde::{Deserialize, Serialize};

/// What happened to the datagrams sent over one direction of a simulated link.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkStats {
    /// Datagrams handed to the link, including those it dropped.
    pub datagrams_sent: u64,
    /// Payload bytes handed to the link.
    pub bytes_sent: u64,
    /// Datagrams handed to the receiving endpoint, duplicates included.
    pub datagrams_delivered: u64,
    /// Payload bytes handed to the receiving endpoint, duplicates included.
    pub bytes_delivered: u64,
    /// Datagrams lost: by the loss draw, while the link was cut, or still in flight
    /// when the link was cut.
    pub dropped: u64,
    /// Extra copies scheduled by the duplicate draw.
    pub duplicated: u64,
    /// Datagrams held back by the reorder draw.
    pub reordered: u64,
}

/// The statistics of both directions of one client's link.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplexStats {
    /// Client → host.
    pub to_host: LinkStats,
    /// Host → client.
    pub to_client: LinkStats,
}
