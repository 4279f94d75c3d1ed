//! Raw payloads from several connections through the host's packet guard into renet;
//! see `racksync::fuzzing::guard` for the input layout and the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| racksync::fuzzing::renet_guard(data));
