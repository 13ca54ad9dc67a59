//! Waiting for a resource to reach a state: poll an operation until what it
//! answers says done, failed, or keep waiting.
//!
//! A [`Waiter`] sends its request, hands the answer (or the error) to an
//! acceptor that returns a [`WaitState`], and between polls sleeps an
//! exponentially growing, jittered delay between a minimum and a maximum,
//! until the state is final or the overall deadline passes. The product
//! crates generate waiters for the resources whose status moves after a
//! write (`aliapi_cdn::waiters`, `aliapi_cen::waiters`); build your own for
//! anything else.
//!
//! ```no_run
//! use std::time::Duration;
//! use aliapi_core::waiter::{WaitState, Waiter};
//! use aliapi_core::{Client, rpc_action};
//!
//! #[rpc_action(product = "Cdn", version = "2018-05-10", method = "GET")]
//! #[derive(Debug, Clone)]
//! pub struct DescribeCdnDomainDetail {
//!     pub domain_name: String,
//! }
//!
//! #[derive(Debug, Clone, Default, serde::Deserialize)]
//! #[serde(default, rename_all = "PascalCase")]
//! pub struct DescribeCdnDomainDetailResponse {
//!     pub get_domain_detail_model: Option<Detail>,
//! }
//!
//! #[derive(Debug, Clone, Default, serde::Deserialize)]
//! #[serde(default, rename_all = "PascalCase")]
//! pub struct Detail {
//!     pub domain_status: Option<String>,
//! }
//!
//! # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
//! let online = Waiter::new(
//!     &client,
//!     DescribeCdnDomainDetail::new("example.com"),
//!     |answer| match answer {
//!         Ok(r) => match r.get_domain_detail_model.as_ref().and_then(|d| d.domain_status.as_deref()) {
//!             Some("online") => WaitState::Success,
//!             Some("configure_failed" | "check_failed") => WaitState::Failure,
//!             _ => WaitState::Retry,
//!         },
//!         Err(_) => WaitState::Failure,
//!     },
//! )
//! .timeout(Duration::from_secs(600))
//! .wait()
//! .await?;
//! let polls = online.poll;
//! println!("online after {polls} polls: {:?}", online.into_answer()?);
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures_core::Stream;
use futures_util::stream;

use crate::action::RpcAction;
use crate::client::Client;
use crate::error::Error;

/// What an acceptor says of one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WaitState {
    /// The resource reached the state waited for.
    Success,
    /// The resource reached a state it will not leave for the one waited
    /// for (a failed configuration, a deleted resource).
    Failure,
    /// Not there yet: poll again.
    Retry,
}

/// Decides the state from one answer, or from the error of one call (a
/// resource that is gone answers with an error code, which may be the
/// state waited for).
pub type Acceptor<R> = Arc<dyn Fn(Result<&R, &Error>) -> WaitState + Send + Sync>;

/// Polls an operation until an acceptor says its answer is final.
///
/// Delays between polls start at [`min_delay`](Self::min_delay) and double
/// up to [`max_delay`](Self::max_delay), each drawn at random between the
/// minimum and its ceiling so that many waiters do not poll in step. The
/// whole wait ends at [`timeout`](Self::timeout) (default 10 minutes).
#[must_use]
pub struct Waiter<A: RpcAction> {
    client: Client,
    request: A,
    acceptor: Acceptor<A::Response>,
    min_delay: Duration,
    max_delay: Duration,
    timeout: Duration,
}

impl<A: RpcAction> fmt::Debug for Waiter<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("action", &A::ACTION)
            .field("min_delay", &self.min_delay)
            .field("max_delay", &self.max_delay)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// One answer seen while waiting.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Observed<R> {
    /// Which poll this was, counted from 1.
    pub poll: u32,
    /// How long the wait had lasted when the answer came.
    pub elapsed: Duration,
    /// What the acceptor made of it.
    pub state: WaitState,
    /// The answer, or the error of the call.
    pub answer: Result<R, Error>,
}

impl<R> Observed<R> {
    /// The answer, or the error of the call (a waiter for a deleted
    /// resource succeeds on its `…NotFound` error).
    pub fn into_answer(self) -> Result<R, Error> {
        self.answer
    }
}

/// Why a wait ended without reaching the state waited for.
///
/// Its message says when the wait ended and, when the last call failed,
/// why (that error is also its [`source`](std::error::Error::source)); the
/// last answer itself, which can be large, is in [`last`](Self::last).
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<R: fmt::Debug> {
    /// The resource reached a state it will not leave; `last` is what was
    /// answered then.
    Failed {
        /// The final answer (or error).
        last: Box<Observed<R>>,
    },
    /// The deadline passed first; `last` is the most recent answer, if any.
    TimedOut {
        /// The last answer (or error) seen, when a poll finished.
        last: Option<Box<Observed<R>>>,
        /// How long the wait lasted.
        elapsed: Duration,
        /// How many polls were made.
        polls: u32,
    },
}

impl<R: fmt::Debug> fmt::Display for WaitError<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Failed { last } => {
                write!(f, "the wait ended in a failure state at poll {}", last.poll)?;
            }
            WaitError::TimedOut { elapsed, polls, .. } => {
                let s = if *polls == 1 { "" } else { "s" };
                write!(
                    f,
                    "the wait timed out after {elapsed:?} and {polls} poll{s}"
                )?;
            }
        }
        match self.last().map(|l| &l.answer) {
            Some(Err(e)) => write!(f, "; the last call failed: {e}"),
            Some(Ok(_)) => f.write_str(" (the last answer is in `WaitError::last`)"),
            None => f.write_str("; no call finished"),
        }
    }
}

impl<R: fmt::Debug> std::error::Error for WaitError<R> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.last()?.answer {
            Err(e) => Some(e),
            Ok(_) => None,
        }
    }
}

impl<R: fmt::Debug> WaitError<R> {
    /// The last observation, when a poll finished.
    pub fn last(&self) -> Option<&Observed<R>> {
        match self {
            WaitError::Failed { last } => Some(last),
            WaitError::TimedOut { last, .. } => last.as_deref(),
        }
    }
}

impl<A: RpcAction + Clone> Waiter<A>
where
    A::Response: Clone + fmt::Debug,
{
    /// Polls `request` through `client`, judging each answer by `acceptor`.
    pub fn new(
        client: &Client,
        request: A,
        acceptor: impl Fn(Result<&A::Response, &Error>) -> WaitState + Send + Sync + 'static,
    ) -> Self {
        Waiter {
            client: client.clone(),
            request,
            acceptor: Arc::new(acceptor),
            min_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(30),
            timeout: Duration::from_secs(600),
        }
    }

    /// The first delay between polls, and the least any delay is (default
    /// 2 s).
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.min_delay = delay;
        self.max_delay = self.max_delay.max(delay);
        self
    }

    /// The most any delay between polls is (default 30 s).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay.max(self.min_delay);
        self
    }

    /// How long the whole wait may last (default 10 minutes).
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.timeout = limit;
        self
    }

    /// Waits for a final state; the last observation is the one that
    /// succeeded ([`Observed::into_answer`] gives its answer).
    pub async fn wait(self) -> Result<Observed<A::Response>, WaitError<A::Response>> {
        use futures_util::StreamExt;
        let mut states = std::pin::pin!(self.observe());
        let mut last = None;
        while let Some(step) = states.next().await {
            last = Some(step?);
        }
        // The stream ends only after a success (the error ends it too, and
        // was returned above); it yields at least that.
        last.ok_or(WaitError::TimedOut {
            last: None,
            elapsed: Duration::ZERO,
            polls: 0,
        })
    }

    /// Every answer as it is seen, for progress display. Each poll yields
    /// `Ok`; the stream ends after the success, or with an `Err` at a
    /// failure state or the deadline.
    pub fn observe(
        self,
    ) -> impl Stream<Item = Result<Observed<A::Response>, WaitError<A::Response>>> {
        let walk = Walk {
            started: tokio::time::Instant::now(),
            waiter: self,
            last: None,
            polls: 0,
            done: false,
        };
        stream::unfold(walk, |mut walk| async move {
            if walk.done {
                return None;
            }
            let w = &walk.waiter;
            let deadline = walk.started + w.timeout;
            if walk.polls > 0 {
                let delay = delay(w.min_delay, w.max_delay, walk.polls, jitter());
                if tokio::time::Instant::now() + delay >= deadline {
                    tokio::time::sleep_until(deadline).await;
                    return Some((Err(walk.timed_out()), walk));
                }
                tokio::time::sleep(delay).await;
            }
            // A deadline already passed (a zero timeout) ends the wait
            // before the poll: `timeout_at` would poll the call once first,
            // and the timer's millisecond ticks could let a quick answer
            // through.
            if tokio::time::Instant::now() >= deadline {
                return Some((Err(walk.timed_out()), walk));
            }
            walk.polls += 1;
            let Ok(answer) = tokio::time::timeout_at(deadline, w.client.send(&w.request)).await
            else {
                return Some((Err(walk.timed_out()), walk));
            };
            let observed = Observed {
                poll: walk.polls,
                elapsed: walk.started.elapsed(),
                state: (w.acceptor)(answer.as_ref()),
                answer,
            };
            match observed.state {
                WaitState::Retry => {
                    walk.last = Some(Box::new(observed.clone()));
                    Some((Ok(observed), walk))
                }
                WaitState::Success => {
                    walk.done = true;
                    Some((Ok(observed), walk))
                }
                WaitState::Failure => {
                    walk.done = true;
                    let error = WaitError::Failed {
                        last: Box::new(observed),
                    };
                    Some((Err(error), walk))
                }
            }
        })
    }
}

/// Where a wait stands between polls.
struct Walk<A: RpcAction> {
    waiter: Waiter<A>,
    started: tokio::time::Instant,
    /// The latest observation, for the timeout error.
    last: Option<Box<Observed<A::Response>>>,
    polls: u32,
    done: bool,
}

impl<A: RpcAction> Walk<A>
where
    A::Response: fmt::Debug,
{
    /// Ends the wait at its deadline.
    fn timed_out(&mut self) -> WaitError<A::Response> {
        self.done = true;
        WaitError::TimedOut {
            last: self.last.take(),
            elapsed: self.started.elapsed(),
            polls: self.polls,
        }
    }
}

/// The delay before poll `n + 1` (after `n` polls): drawn between `min` and
/// `min · 2^(n-1)`, capped at `max`.
fn delay(min: Duration, max: Duration, polls: u32, random: f64) -> Duration {
    let ceiling = min
        .saturating_mul(1u32 << polls.saturating_sub(1).min(20))
        .min(max);
    min + (ceiling.saturating_sub(min)).mul_f64(random.clamp(0.0, 1.0))
}

/// A number in `[0, 1)` for jitter.
fn jitter() -> f64 {
    aliapi_wire::nonce::random_unit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_between_the_bounds() {
        let (min, max) = (Duration::from_secs(2), Duration::from_secs(30));
        assert_eq!(
            delay(min, max, 1, 1.0),
            min,
            "the first wait is the minimum"
        );
        assert_eq!(delay(min, max, 3, 0.0), min);
        assert_eq!(delay(min, max, 3, 1.0), Duration::from_secs(8));
        assert_eq!(delay(min, max, 30, 1.0), max);
        let mid = delay(min, max, 4, 0.5);
        assert!(mid > min && mid < Duration::from_secs(16), "{mid:?}");
    }
}
