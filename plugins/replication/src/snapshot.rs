//! Join snapshots: the world at one revision, encoded, compressed and cut into chunks
//! for the `bulk` channel.

use racksync_protocol::codec::{decode_prefix, encode_unbounded};
use racksync_protocol::{Revision, SnapshotBody};
use racksync_world::{ReadObjects, WorldRevision};
use std::sync::Arc;

/// Bytes of snapshot data per `SnapshotChunk` message (within the bulk channel's cap).
pub const CHUNK_BYTES: usize = 60 * 1024;

/// Largest uncompressed snapshot a client accepts (a bound against decompression bombs).
pub const MAX_SNAPSHOT_BYTES: usize = 512 * 1024 * 1024;

/// A snapshot ready to stream, shared by every client joining at the same revision.
#[derive(Clone, Debug)]
pub struct EncodedSnapshot {
    /// Revision it captures.
    pub revision: Revision,
    /// Number of objects.
    pub objects: u32,
    /// World digest value at that revision.
    pub digest: u64,
    /// Compressed body.
    pub compressed: Arc<Vec<u8>>,
}

impl EncodedSnapshot {
    /// Captures and compresses the world as it is now.
    pub fn capture(world: &bevy_ecs::world::World) -> Self {
        let body = world.snapshot_body();
        let raw = encode_unbounded(&body);
        Self {
            revision: world
                .get_resource::<WorldRevision>()
                .map(|r| r.0)
                .unwrap_or_default(),
            objects: body.objects.len() as u32,
            digest: world.digest().value(),
            compressed: Arc::new(miniz_oxide::deflate::compress_to_vec(&raw, 1)),
        }
    }

    /// Number of chunks the body is cut into.
    pub fn chunk_count(&self) -> usize {
        self.compressed.len().div_ceil(CHUNK_BYTES)
    }

    /// The `index`-th chunk.
    pub fn chunk(&self, index: usize) -> &[u8] {
        let start = index * CHUNK_BYTES;
        let end = (start + CHUNK_BYTES).min(self.compressed.len());
        &self.compressed[start..end]
    }
}

/// Why a received snapshot could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// More data arrived than announced.
    #[error("snapshot larger than the announced {0} bytes")]
    Overrun(u32),
    /// The compressed body does not inflate within the size bound.
    #[error("snapshot does not decompress: {0}")]
    Decompress(String),
    /// The body does not decode.
    #[error("snapshot body does not decode: {0}")]
    Decode(String),
    /// The loaded world does not match the announced digest.
    #[error("snapshot digest mismatch: announced {announced:016x}, loaded {loaded:016x}")]
    DigestMismatch {
        /// Digest in SnapshotBegin.
        announced: u64,
        /// Digest of the loaded world.
        loaded: u64,
    },
    /// Objects in the body contradict each other.
    #[error("snapshot world is inconsistent: {0}")]
    Inconsistent(String),
    /// A chunk arrived without a SnapshotBegin.
    #[error("snapshot chunk without a snapshot in progress")]
    Unexpected,
}

/// Inflates and decodes a snapshot body.
pub fn decode_snapshot(compressed: &[u8]) -> Result<SnapshotBody, SnapshotError> {
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(compressed, MAX_SNAPSHOT_BYTES)
        .map_err(|error| SnapshotError::Decompress(format!("{:?}", error.status)))?;
    let (body, rest) =
        decode_prefix::<SnapshotBody>(&raw).map_err(|e| SnapshotError::Decode(e.to_string()))?;
    if !rest.is_empty() {
        return Err(SnapshotError::Decode(format!(
            "{} trailing bytes",
            rest.len()
        )));
    }
    Ok(body)
}
