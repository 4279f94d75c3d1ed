//! Every decoder the host and the client run on network bytes; see
//! `racksync::fuzzing::decoders` for the input layout and the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| racksync::fuzzing::decoders(data));
