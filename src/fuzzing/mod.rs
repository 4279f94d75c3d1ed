//! Fuzz bodies, shared by the cargo-fuzz targets in `fuzz/` and by `tests/fuzz_corpora.rs`.
//!
//! The bodies live in the library rather than in the fuzz crate so that every input the
//! fuzzer ever kept (its corpus, and any minimized crash under `fuzz/regressions/`) is
//! replayed by `cargo test` on stable, without libFuzzer, in CI. Each body takes
//! arbitrary bytes and panics only when a property of the project is violated.
//!
//! - [`decoders()`]: every decoder the host and the client run on bytes from the network.
//! - [`world_rules()`]: sequences of player (and host) actions against the shared rules.
//! - [`renet_guard()`]: raw payloads from several connections through the host's packet
//!   guard into a `RenetServer`.
//!
//! [`decoders::seed_inputs`] and [`rules::seed_inputs`] build meaningful starting inputs
//! (real encoded messages, real action scripts) for the corpora.

pub mod decoders;
pub mod guard;
pub mod rules;

pub use decoders::decoders;
pub use guard::renet_guard;
pub use rules::world_rules;

/// Reads a fuzz input front to back. Past the end every read yields zero, so that any
/// input, however short, still drives a complete run and the fuzzer never has to learn
/// a length field.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ByteReader<'a> {
    data: &'a [u8],
}

impl<'a> ByteReader<'a> {
    /// A reader over `data`.
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    /// True when every byte was read.
    pub(crate) fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next byte, or 0.
    pub(crate) fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&byte, rest)) => {
                self.data = rest;
                byte
            }
            None => 0,
        }
    }

    /// The next two bytes as a little-endian `u16` (missing bytes read as 0).
    pub(crate) fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    /// The bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.data
    }

    /// Continues after `rest`, which must be a suffix of the unread bytes (what a
    /// prefix decoder returned).
    pub(crate) fn resume(&mut self, rest: &'a [u8]) {
        debug_assert!(rest.len() <= self.data.len());
        self.data = rest;
    }

    /// Takes up to `len` bytes.
    pub(crate) fn take(&mut self, len: usize) -> &'a [u8] {
        let (head, tail) = self.data.split_at(len.min(self.data.len()));
        self.data = tail;
        head
    }
}
