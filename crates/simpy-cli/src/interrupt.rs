//! Ctrl-C. A tree conversion finishes the files it is writing and stops before the next, so
//! no output is half-written and no temporary file is left; it then says what it wrote and
//! exits 130. Anywhere else, and at a second Ctrl-C, the process ends at once, as it would
//! without a handler.

use std::sync::atomic::{AtomicBool, Ordering};

static GRACEFUL: AtomicBool = AtomicBool::new(false);
static STOP: AtomicBool = AtomicBool::new(false);

/// The exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells report it.
pub const EXIT_CODE: u8 = 130;

pub fn install() {
    // Without a handler (another one installed first) Ctrl-C simply ends the process.
    let _ = ctrlc::set_handler(|| {
        if !GRACEFUL.load(Ordering::SeqCst) || STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(EXIT_CODE));
        }
    });
}

/// While alive, Ctrl-C asks the run to stop at the next file instead of ending the process.
pub struct Graceful(());

impl Graceful {
    pub fn new() -> Graceful {
        GRACEFUL.store(true, Ordering::SeqCst);
        Graceful(())
    }
}

impl Drop for Graceful {
    fn drop(&mut self) {
        GRACEFUL.store(false, Ordering::SeqCst);
    }
}

/// Whether Ctrl-C asked the run to stop.
pub fn stopped() -> bool {
    STOP.load(Ordering::SeqCst)
}
