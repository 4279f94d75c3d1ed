//! Action sequences from four players and the host against the shared world rules; see
//! `racksync::fuzzing::rules` for the input layout and the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| racksync::fuzzing::world_rules(data));
