#![no_main]

libfuzzer_sys::fuzz_target!(|module: simpy_fuzz::ArbitraryModule| simpy_fuzz::roundtrip(&module.0));
