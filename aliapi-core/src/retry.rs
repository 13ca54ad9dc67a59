//! When a failed attempt is tried again, and after how long.
//!
//! The policy follows what the official SDKs do where they retry (network
//! failures, HTTP 500/502/503/504, `Throttling*`, `ServiceUnavailable`,
//! `InternalError`; exponential backoff, longer for throttling), and adds
//! two guards: a write is retried only when repeating it cannot apply it
//! twice, and a client-wide token bucket stops retries from multiplying
//! the load during an outage.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use crate::decode::Hints;
use crate::error::{Error, TimeoutKind};

/// Retry settings of a client (see [`ClientBuilder::retry`](crate::ClientBuilder::retry)).
///
/// Build it from [`RetryConfig::default`] (3 attempts) or
/// [`RetryConfig::disabled`] and the `with_*` methods; new settings may be
/// added, so it cannot be written as a struct literal.
///
/// ```
/// use std::time::Duration;
/// use aliapi_core::{Client, RetryConfig};
///
/// let patient = RetryConfig::default()
///     .with_max_attempts(5)
///     .with_max_delay(Duration::from_secs(5));
/// let client = Client::builder().retry(patient).build()?;
/// # let _ = client;
/// # Ok::<(), aliapi_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Attempts in all, the first included; 1 turns retries off.
    pub max_attempts: u32,
    /// First backoff for ordinary failures; doubled each attempt.
    pub base_delay: Duration,
    /// First backoff after a throttling refusal; doubled each attempt.
    pub throttling_base_delay: Duration,
    /// No backoff is longer than this.
    pub max_delay: Duration,
    /// Tokens in the client-wide retry budget.
    pub budget: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            throttling_base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            budget: 500,
        }
    }
}

impl RetryConfig {
    /// No retries at all.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff of ordinary failures.
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The first backoff after a throttling refusal.
    pub fn with_throttling_base_delay(mut self, delay: Duration) -> Self {
        self.throttling_base_delay = delay;
        self
    }

    /// The longest backoff, also the most a server's `Retry-After` is
    /// waited.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The size of the client-wide retry budget, in tokens (a retry costs
    /// 5, a retry after a timeout 10, a success gives 1 back).
    pub fn with_budget(mut self, tokens: u32) -> Self {
        self.budget = tokens;
        self
    }
}

/// What kind of failure an error is, for retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The request surely never reached the server (connection refused,
    /// connect timeout): safe to send again, even a write.
    NotSent,
    /// The server refused to act (throttling): it did nothing, so sending
    /// again cannot apply anything twice.
    Refused,
    /// The request may have been acted on (reset mid-answer, read timeout,
    /// 5xx): only idempotent requests may be sent again.
    MaybeApplied,
    /// Not worth retrying (4xx other than throttling, bad params, decoding).
    Final,
}

const RETRYABLE_STATUS: [u16; 4] = [500, 502, 503, 504];

pub(crate) fn classify(e: &Error) -> Failure {
    match e {
        Error::Transport { not_sent: true, .. } => Failure::NotSent,
        Error::Timeout {
            kind: TimeoutKind::Connect,
            ..
        } => Failure::NotSent,
        Error::Transport { .. } | Error::Timeout { .. } => Failure::MaybeApplied,
        Error::Service(s) if s.is_throttling() => Failure::Refused,
        Error::Service(s)
            if RETRYABLE_STATUS.contains(&s.status)
                || s.code == "ServiceUnavailable"
                || s.code == "InternalError" =>
        {
            Failure::MaybeApplied
        }
        // An HTML 502 from a gateway, say.
        Error::Decode { status, .. } if RETRYABLE_STATUS.contains(status) => Failure::MaybeApplied,
        _ => Failure::Final,
    }
}

/// Where a call stands when an attempt has failed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attempt {
    /// The attempt that failed, counted from 1.
    pub(crate) number: u32,
    /// The most attempts the call may make.
    pub(crate) max: u32,
    /// Whether sending the request twice cannot apply it twice.
    pub(crate) idempotent: bool,
    /// Whether the clock was corrected already during this call.
    pub(crate) clock_corrected: bool,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Give up: return the error.
    Fail,
    /// Send again after `delay`, with `tokens` taken from the budget for it
    /// (see [`HeldTokens`]).
    Retry {
        /// How long to wait first.
        delay: Duration,
        /// What the retry costs the budget.
        tokens: u32,
    },
    /// The server refused our timestamp and said what time it is: move the
    /// clock by `skew_secs` and sign again at once.
    CorrectClock {
        /// Seconds to add to the local clock.
        skew_secs: i64,
    },
}

/// The code of a refusal for a timestamp out of the server's window.
const TIMESTAMP_EXPIRED: &str = "InvalidTimeStamp.Expired";

/// The most a server's `Date` may move the client's clock. The correction
/// is kept for every later call, so one answer with an absurd date (year
/// 9999, a misconfigured proxy, a hostile server) must not set it; a clock
/// off by more than a day is broken rather than skewed, and fixing it is
/// the host's business.
const MAX_CLOCK_CORRECTION_SECS: u64 = 24 * 60 * 60;

/// The one place that decides whether a failed attempt is tried again.
///
/// A timestamp refusal with the server's `Date` is corrected once per call,
/// whatever the policy and however the budget stands, since it fixes the
/// cause, unless the date is more than a day from the local clock.
/// Otherwise the failure must be retryable for this request (see
/// [`may_retry`]), attempts must remain, and the budget must have tokens;
/// the wait is the server's `Retry-After` when it gave one (capped by
/// `max_delay`), else the backoff.
pub(crate) fn decide(
    error: &Error,
    hints: &Hints,
    attempt: &Attempt,
    config: &RetryConfig,
    budget: &RetryBudget,
    now: SystemTime,
    random: f64,
) -> Decision {
    if error.code() == Some(TIMESTAMP_EXPIRED)
        && !attempt.clock_corrected
        && attempt.number < attempt.max.max(2)
        && let Some(server) = hints.server_date
    {
        let (secs, ahead) = match server.duration_since(now) {
            Ok(ahead) => (ahead.as_secs(), true),
            Err(behind) => (behind.duration().as_secs(), false),
        };
        if secs <= MAX_CLOCK_CORRECTION_SECS {
            // At most a day: the cast cannot overflow.
            let skew_secs = if ahead { secs as i64 } else { -(secs as i64) };
            return Decision::CorrectClock { skew_secs };
        }
    }
    let failure = classify(error);
    if attempt.number >= attempt.max || !may_retry(failure, attempt.idempotent) {
        return Decision::Fail;
    }
    let Some(tokens) = budget.try_acquire(error) else {
        return Decision::Fail;
    };
    let delay = match hints.retry_after {
        Some(asked) => asked.min(config.max_delay),
        None => backoff(config, failure, attempt.number + 1, random),
    };
    Decision::Retry { delay, tokens }
}

/// Whether `failure` may be retried for a request that is (or is not)
/// idempotent.
pub(crate) fn may_retry(failure: Failure, idempotent: bool) -> bool {
    match failure {
        Failure::NotSent | Failure::Refused => true,
        Failure::MaybeApplied => idempotent,
        Failure::Final => false,
    }
}

/// The backoff before attempt `next` (2 for the first retry): exponential,
/// capped, with full jitter on ordinary failures and half jitter on
/// throttling (which must wait at least half its backoff).
pub(crate) fn backoff(config: &RetryConfig, failure: Failure, next: u32, random: f64) -> Duration {
    let base = if failure == Failure::Refused {
        config.throttling_base_delay
    } else {
        config.base_delay
    };
    let exp = next.saturating_sub(2).min(20);
    let ceiling = base.saturating_mul(1 << exp).min(config.max_delay);
    let random = random.clamp(0.0, 1.0);
    if failure == Failure::Refused {
        ceiling.mul_f64(0.5 + 0.5 * random)
    } else {
        ceiling.mul_f64(random)
    }
}

/// The client-wide retry budget: each retry takes tokens, each success
/// gives one back. When it runs dry, failures are returned at once.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    capacity: u32,
    /// An atomic, not a lock: every successful call refunds a token, and a
    /// contended lock on that path would cost more than the call's signing.
    tokens: AtomicU32,
}

/// Tokens one retry costs; a timeout costs twice as much (it held a
/// connection for long).
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;

impl RetryBudget {
    pub(crate) fn new(capacity: u32) -> Self {
        RetryBudget {
            capacity,
            tokens: AtomicU32::new(capacity),
        }
    }

    /// Takes the tokens for retrying `e` and says how many; `None` when the
    /// budget is spent.
    pub(crate) fn try_acquire(&self, e: &Error) -> Option<u32> {
        let cost = if matches!(e, Error::Timeout { .. }) {
            TIMEOUT_RETRY_COST
        } else {
            RETRY_COST
        };
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .ok()
            .map(|_| cost)
    }

    /// Gives back `tokens`, up to the capacity: one for a success, or what
    /// a retry that was never sent had taken.
    fn give_back(&self, tokens: u32) {
        // Full most of the time (every success refunds): then a load is all
        // it costs.
        if self.tokens.load(Ordering::Relaxed) < self.capacity {
            let _ = self
                .tokens
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                    (t < self.capacity).then(|| t.saturating_add(tokens).min(self.capacity))
                });
        }
    }

    /// A call succeeded: one token back.
    pub(crate) fn refund(&self) {
        self.give_back(1);
    }

    #[cfg(test)]
    pub(crate) fn available(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

/// Tokens taken for a retry that has not gone out yet. The retry loop
/// holds them across the backoff; if the call is dropped there (an outer
/// timeout, a `select!`, an aborted task) or gives up before sending, they
/// go back to the budget, which would otherwise be drained by retries
/// nobody sent. [`spend`](Self::spend) keeps them once the retry is sent.
#[must_use]
pub(crate) struct HeldTokens<'a> {
    budget: &'a RetryBudget,
    tokens: u32,
}

impl<'a> HeldTokens<'a> {
    pub(crate) fn new(budget: &'a RetryBudget, tokens: u32) -> Self {
        HeldTokens { budget, tokens }
    }

    /// The retry is going out: the tokens stay spent.
    pub(crate) fn spend(mut self) {
        self.tokens = 0;
    }
}

impl Drop for HeldTokens<'_> {
    fn drop(&mut self) {
        if self.tokens > 0 {
            self.budget.give_back(self.tokens);
        }
    }
}

/// Operations whose name says they only read, so repeating them is harmless.
pub(crate) fn is_read_only(action: &str) -> bool {
    const READ_PREFIXES: [&str; 6] = ["Describe", "List", "Get", "Query", "Check", "Preview"];
    READ_PREFIXES.iter().any(|p| action.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceError;

    fn service(status: u16, code: &str) -> Error {
        Error::Service(Box::new(ServiceError::for_test(status, code)))
    }

    #[test]
    fn classification() {
        assert_eq!(classify(&service(400, "Throttling.User")), Failure::Refused);
        assert_eq!(
            classify(&service(503, "ServiceUnavailable")),
            Failure::MaybeApplied
        );
        assert_eq!(
            classify(&service(500, "InternalError")),
            Failure::MaybeApplied
        );
        assert_eq!(
            classify(&service(404, "InvalidDomain.NotFound")),
            Failure::Final
        );
        assert_eq!(
            classify(&service(400, "SignatureDoesNotMatch")),
            Failure::Final
        );
        let refused = Error::Transport {
            message: String::new(),
            attempts: 1,
            not_sent: true,
            source: None,
        };
        assert_eq!(classify(&refused), Failure::NotSent);
        let reset = Error::Transport {
            message: String::new(),
            attempts: 1,
            not_sent: false,
            source: None,
        };
        assert_eq!(classify(&reset), Failure::MaybeApplied);
        let html = Error::Decode {
            status: 502,
            reason: String::new(),
            body_start: String::new(),
            attempts: 1,
        };
        assert_eq!(classify(&html), Failure::MaybeApplied);
        assert!(!may_retry(Failure::MaybeApplied, false));
        assert!(may_retry(Failure::MaybeApplied, true));
        assert!(may_retry(Failure::NotSent, false));
        assert!(may_retry(Failure::Refused, false));
        assert!(!may_retry(Failure::Final, true));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let c = RetryConfig::default();
        assert_eq!(
            backoff(&c, Failure::MaybeApplied, 2, 1.0),
            Duration::from_millis(100)
        );
        assert_eq!(
            backoff(&c, Failure::MaybeApplied, 3, 1.0),
            Duration::from_millis(200)
        );
        assert_eq!(backoff(&c, Failure::MaybeApplied, 3, 0.0), Duration::ZERO);
        assert_eq!(
            backoff(&c, Failure::Refused, 2, 0.0),
            Duration::from_millis(250)
        );
        assert_eq!(
            backoff(&c, Failure::Refused, 3, 1.0),
            Duration::from_millis(1000)
        );
        assert_eq!(
            backoff(&c, Failure::MaybeApplied, 40, 1.0),
            Duration::from_secs(20)
        );
    }

    #[test]
    fn budget_runs_dry_and_refills() {
        let b = RetryBudget::new(12);
        let e = service(503, "ServiceUnavailable");
        assert_eq!(b.try_acquire(&e), Some(5));
        assert_eq!(b.try_acquire(&e), Some(5));
        assert_eq!(b.try_acquire(&e), None, "2 tokens left, a retry costs 5");
        for _ in 0..10 {
            b.refund();
        }
        assert_eq!(b.available(), 12);
    }

    #[test]
    fn the_clock_is_corrected_by_a_day_at_most() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let decide_at = |server: SystemTime| {
            let hints = Hints {
                server_date: Some(server),
                retry_after: None,
            };
            let attempt = Attempt {
                number: 1,
                max: 3,
                idempotent: true,
                clock_corrected: false,
            };
            let config = RetryConfig::default();
            let budget = RetryBudget::new(500);
            let expired = service(400, TIMESTAMP_EXPIRED);
            decide(&expired, &hints, &attempt, &config, &budget, now, 0.5)
        };
        let hour = Duration::from_secs(3600);
        assert_eq!(
            decide_at(now + hour),
            Decision::CorrectClock { skew_secs: 3600 }
        );
        assert_eq!(
            decide_at(now - 24 * hour),
            Decision::CorrectClock { skew_secs: -86_400 }
        );
        // A date further off is not believed; the refusal is final.
        assert_eq!(decide_at(now + 25 * hour), Decision::Fail);
        assert_eq!(decide_at(now - 25 * hour), Decision::Fail);
        let year_9999 = SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_799);
        assert_eq!(decide_at(year_9999), Decision::Fail);
    }

    #[test]
    fn tokens_held_for_a_retry_not_sent_go_back() {
        let b = RetryBudget::new(20);
        let e = service(503, "ServiceUnavailable");
        let tokens = b.try_acquire(&e).unwrap();
        drop(HeldTokens::new(&b, tokens));
        assert_eq!(b.available(), 20, "dropped before sending: given back");
        let tokens = b.try_acquire(&e).unwrap();
        HeldTokens::new(&b, tokens).spend();
        assert_eq!(b.available(), 15, "sent: spent");
        // Never above the capacity, whatever is given back.
        b.give_back(100);
        assert_eq!(b.available(), 20);
    }

    #[test]
    fn read_only_names() {
        assert!(is_read_only("DescribeUserDomains"));
        assert!(is_read_only("ListTagResources"));
        assert!(!is_read_only("AddCdnDomain"));
        assert!(!is_read_only("DeleteCen"));
    }
}
