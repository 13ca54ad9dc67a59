//! Where "now" comes from: the system clock, or a clock a test moves by
//! hand. The client signs with it and credential caches decide with it
//! when keys are due for a refresh, so both can be tested without waiting.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// A source of the current time.
pub trait TimeSource: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// A shared [`TimeSource`], cheap to clone; the system clock by default.
#[derive(Clone, Debug)]
pub struct SharedTimeSource(Arc<dyn TimeSource>);

impl SharedTimeSource {
    /// Wraps `source`.
    pub fn new(source: impl TimeSource + 'static) -> Self {
        SharedTimeSource(Arc::new(source))
    }

    /// The system clock.
    pub fn system() -> Self {
        SharedTimeSource::new(SystemClock)
    }

    /// The current time.
    pub fn now(&self) -> SystemTime {
        self.0.now()
    }
}

impl Default for SharedTimeSource {
    fn default() -> Self {
        SharedTimeSource::system()
    }
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl TimeSource for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that stands still until moved, for tests.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use aliapi_core::clock::{ManualClock, TimeSource};
///
/// let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(clock.now(), SystemTime::UNIX_EPOCH + Duration::from_secs(90));
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<SystemTime>>);

impl ManualClock {
    /// A clock showing `start`.
    pub fn new(start: SystemTime) -> Self {
        ManualClock(Arc::new(Mutex::new(start)))
    }

    /// Moves the clock (and every clone of it) forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }

    /// Sets the clock (and every clone of it) to `to`.
    pub fn set(&self, to: SystemTime) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = to;
    }
}

impl TimeSource for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl From<ManualClock> for SharedTimeSource {
    fn from(clock: ManualClock) -> Self {
        SharedTimeSource::new(clock)
    }
}
