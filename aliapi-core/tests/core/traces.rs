//! Trace lines captured per test, in a test binary whose tests run side by
//! side on their own threads.
//!
//! A subscriber set with `tracing::subscriber::set_default` serves one
//! thread, but whether a callsite is enabled is cached for the whole
//! process: when a test with no subscriber hits a callsite while another
//! test is installing its own, the cached answer can be "disabled" and the
//! other test loses the event (seen in CI as a missing "call failed" line).
//! So the binary installs one global subscriber, at the most verbose level,
//! once; each line goes to the capture active on the thread that wrote it,
//! and lines from threads that capture nothing are dropped.
//!
//! The tests that capture run on `#[tokio::test]`'s current-thread runtime,
//! so everything the client under test logs is written on the test's thread.
//!
//! Shared by `aliapi-core/tests/core` and the workspace's `tests/workspace`
//! (included there by path).

use std::cell::RefCell;
use std::io::Write;
use std::sync::{Arc, Mutex, Once};

type Buffer = Arc<Mutex<Vec<u8>>>;

thread_local! {
    static ACTIVE: RefCell<Option<Buffer>> = const { RefCell::new(None) };
}

/// Writes to the capture of the current thread, if any.
struct ThreadSink;

impl Write for ThreadSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        ACTIVE.with(|active| {
            if let Some(buffer) = active.borrow().as_ref() {
                buffer.lock().unwrap().extend_from_slice(bytes);
            }
        });
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The lines logged on this thread while it lives.
pub struct Capture {
    buffer: Buffer,
}

/// Starts capturing what this thread logs, at every level.
pub fn capture() -> Capture {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(|| ThreadSink)
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global subscriber in this test binary");
    });
    let buffer = Buffer::default();
    ACTIVE.with(|active| *active.borrow_mut() = Some(buffer.clone()));
    Capture { buffer }
}

impl Capture {
    /// Everything captured so far.
    pub fn text(&self) -> String {
        String::from_utf8(self.buffer.lock().unwrap().clone()).unwrap()
    }

    /// Forgets what was captured so far.
    #[allow(dead_code)] // used by the workspace's tests, not the core's
    pub fn clear(&self) {
        self.buffer.lock().unwrap().clear();
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        ACTIVE.with(|active| *active.borrow_mut() = None);
    }
}
