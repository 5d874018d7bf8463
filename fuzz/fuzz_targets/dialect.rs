#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| simpy_fuzz::dialect(data));
