//! The clock resource states move by, apart from the clock requests are
//! judged by.
//!
//! The gateway judges a request's `Timestamp` by the real clock (plus the
//! configured skew), as the service does. Everything that moves on its
//! own — a domain configuring, a CEN instance being created, a refresh
//! task running, the daily quota — follows the state clock instead, which
//! tests can move: with [`EmulatorBuilder::manual_clock`](crate::EmulatorBuilder::manual_clock)
//! it stands still until [`Service::advance`](crate::Service::advance)
//! moves it, so a test observes each transitional state and then the
//! next without sleeping. Without it, the state clock is the gateway's,
//! and `advance` jumps it ahead of real time by as much.
//!
//! The state file records the state clock's time at each save, and a
//! restarted emulator starts its state clock no earlier (a manual clock
//! where the last run's stood, a following one that far ahead of real
//! time if it had been advanced), so a change under way is never put
//! back by a restart.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Whether the state clock follows the gateway's time or stands still.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The gateway's time, plus what it was advanced by.
    Following,
    /// A time of its own that only `advance` moves.
    Manual,
}

/// The state clock: for a following clock, how far it was advanced; for
/// a manual one, the time it shows (both in ms).
#[derive(Debug)]
pub(crate) struct StateClock {
    kind: Kind,
    value: AtomicI64,
}

impl StateClock {
    /// A clock that follows the gateway's time.
    pub(crate) fn following() -> StateClock {
        StateClock {
            kind: Kind::Following,
            value: AtomicI64::new(0),
        }
    }

    /// A clock that shows `start_ms` (ms since the epoch) until advanced.
    pub(crate) fn manual(start_ms: i64) -> StateClock {
        StateClock {
            kind: Kind::Manual,
            value: AtomicI64::new(start_ms),
        }
    }

    /// Whether only `advance` moves it.
    pub(crate) fn is_manual(&self) -> bool {
        self.kind == Kind::Manual
    }

    /// The state clock's time when the gateway's is `gateway_ms`.
    pub(crate) fn now_ms(&self, gateway_ms: i64) -> i64 {
        let value = self.value.load(Ordering::Acquire);
        match self.kind {
            Kind::Following => gateway_ms.saturating_add(value),
            Kind::Manual => value,
        }
    }

    /// Moves the clock ahead by `by` (a duration past the range of the
    /// clock moves it to its end).
    pub(crate) fn advance(&self, by: Duration) {
        let by = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        // `fetch_update` rather than `fetch_add`, so that the clock
        // saturates instead of wrapping.
        let _ = self
            .value
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| {
                Some(v.saturating_add(by))
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_stands_still_until_advanced() {
        let clock = StateClock::manual(1_000);
        assert!(clock.is_manual());
        assert_eq!(clock.now_ms(5_000), 1_000);
        assert_eq!(clock.now_ms(9_000), 1_000);
        clock.advance(Duration::from_millis(250));
        assert_eq!(clock.now_ms(9_000), 1_250);
        clock.advance(Duration::MAX);
        assert_eq!(clock.now_ms(0), i64::MAX);
    }

    #[test]
    fn a_following_clock_is_the_gateways_plus_its_advances() {
        let clock = StateClock::following();
        assert!(!clock.is_manual());
        assert_eq!(clock.now_ms(5_000), 5_000);
        clock.advance(Duration::from_secs(2));
        assert_eq!(clock.now_ms(5_000), 7_000);
        assert_eq!(clock.now_ms(6_000), 8_000);
    }
}
