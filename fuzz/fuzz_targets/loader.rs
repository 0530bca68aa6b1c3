//! Fuzz target: the scenario loader on arbitrary text.
//!
//! Any input may be refused with diagnostics, but none may panic, hang or abort; and a
//! scenario that loads must survive `export::to_ron` and load again (the exported text of a
//! valid scenario is itself valid). Run it with `cargo +nightly fuzz run loader`.
#![no_main]

use std::path::Path;

use blockade::scenario::{export, load_str};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(loaded) = load_str(text, Path::new("fuzz.ron")) else {
        return;
    };
    let exported = export::to_ron(&loaded.scenario);
    if let Err(e) = load_str(&exported, Path::new("fuzz.ron")) {
        panic!("the export of a valid scenario does not load: {e}\n{exported}");
    }
});
