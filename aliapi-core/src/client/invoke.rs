//! One call, from written params to the answer: [`Client::invoke`] wraps
//! the call in its span and operation deadline, `attempts` is the retry
//! loop, and `attempt` goes once through sign → transport → decode.
//! Whether to try again is [`retry::decide`]'s alone.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime};

use tracing::Instrument as _;

use super::{Client, Signer};
use crate::action::Call;
use crate::credentials::Credentials;
use crate::decode::{self, Hints, RawResponse};
use crate::error::{Error, TimeoutKind};
use crate::params::ParamWriter;
use crate::redact::redact;
use crate::retry::{self, Attempt, Decision, HeldTokens};
use crate::sign::{self, Signing};
use crate::transport::HttpRequest;

impl Client {
    /// Sends `call` with its written `params` to `base` (`https://host`),
    /// retrying as [`retry::decide`] says. `hide` lists secrets of the call
    /// itself (an OIDC token) to redact besides the credentials'.
    pub(crate) async fn invoke(
        &self,
        call: Call<'_>,
        params: &ParamWriter,
        base: &str,
        idempotent: bool,
        hide: &[&str],
    ) -> Result<RawResponse, Error> {
        let span = tracing::info_span!(
            "aliapi.call",
            product = call.product,
            action = call.action,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        // Counted by the loop, read when the operation deadline cuts it off.
        let made = AtomicU32::new(0);
        let deadline = self.options.operation_timeout.map(|limit| started + limit);
        let attempts = self.attempts(call, params, base, idempotent, hide, &span, &made, deadline);
        let result = match self.options.operation_timeout {
            Some(limit) => match tokio::time::timeout(limit, attempts).await {
                Ok(result) => result,
                Err(_) => Err(Error::Timeout {
                    kind: TimeoutKind::Operation,
                    limit: Some(limit),
                    attempts: made.load(Ordering::Relaxed),
                }),
            },
            None => attempts.await,
        };
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(raw) => {
                span.record("status", raw.status());
                // Finding the id means parsing the body: only for a subscriber.
                if !span.is_disabled()
                    && let Some(id) = raw.request_id()
                {
                    span.record("request_id", id.as_str());
                }
            }
            Err(e) => {
                if let Some(id) = e.request_id() {
                    span.record("request_id", id);
                }
                if let Error::Service(s) = e {
                    span.record("status", s.status);
                }
                // Every error's text was redacted where it was made.
                let _guard = span.enter();
                tracing::debug!(error = %e, "call failed");
            }
        }
        result
    }

    /// The retry loop: every attempt is signed anew (fresh nonce and
    /// timestamp). `deadline` is when the operation timeout cuts the call
    /// off: a retry that could not start before it is not waited for.
    #[allow(clippy::too_many_arguments)]
    async fn attempts(
        &self,
        call: Call<'_>,
        params: &ParamWriter,
        base: &str,
        idempotent: bool,
        hide: &[&str],
        span: &tracing::Span,
        made: &AtomicU32,
        deadline: Option<Instant>,
    ) -> Result<RawResponse, Error> {
        let i = &self.inner;
        let max = self
            .options
            .max_attempts
            .unwrap_or(i.retry.max_attempts)
            .max(1);
        let mut clock_corrected = false;
        let mut number = 1;
        loop {
            span.record("attempt", number);
            made.store(number, Ordering::Relaxed);
            // The keys are had before the attempt's deadline starts: it is
            // for the exchange with the service, and a timeout there means
            // the request may have been sent, which a slow credentials
            // endpoint does not (providers have deadlines of their own; the
            // operation's covers both).
            let result = match self.signing_credentials().await {
                Err(e) => Err((e, Hints::default())),
                Ok(credentials) => {
                    let once = self
                        .attempt(call, params, base, number, hide, credentials)
                        .instrument(span.clone());
                    match self.options.attempt_timeout {
                        Some(limit) => {
                            tokio::time::timeout(limit, once).await.unwrap_or_else(|_| {
                                Err((
                                    Error::Timeout {
                                        kind: TimeoutKind::Attempt,
                                        limit: Some(limit),
                                        attempts: 1,
                                    },
                                    Hints::default(),
                                ))
                            })
                        }
                        None => once.await,
                    }
                }
            };
            let (mut error, hints) = match result {
                Ok(raw) => {
                    i.budget.refund();
                    return Ok(raw);
                }
                Err(failed) => failed,
            };
            let state = Attempt {
                number,
                max,
                idempotent,
                clock_corrected,
            };
            match retry::decide(
                &error,
                &hints,
                &state,
                &i.retry,
                &i.budget,
                i.time.now(),
                jitter(),
            ) {
                Decision::Fail => {
                    error.set_attempts(number);
                    return Err(error);
                }
                Decision::CorrectClock { skew_secs } => {
                    tracing::warn!(
                        parent: span,
                        skew_seconds = skew_secs,
                        "local clock is off; correcting from the server's Date header"
                    );
                    i.clock_offset.store(skew_secs, Ordering::Relaxed);
                    clock_corrected = true;
                }
                Decision::Retry { delay, tokens } => {
                    // Given back if the call ends before the retry goes out.
                    let held = HeldTokens::new(&i.budget, tokens);
                    if deadline.is_some_and(|d| Instant::now() + delay >= d) {
                        // The operation timeout would cut the wait short:
                        // the service's answer says more than that timeout.
                        error.set_attempts(number);
                        return Err(error);
                    }
                    tracing::debug!(
                        parent: span,
                        attempt = number,
                        error = %error,
                        delay_ms = delay.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                    held.spend();
                }
            }
            number += 1;
        }
    }

    /// The keys this attempt signs with; `None` for a client that does not
    /// sign.
    async fn signing_credentials(&self) -> Result<Option<Credentials>, Error> {
        match &self.inner.signer {
            Signer::Unsigned => Ok(None),
            _ => self.credentials().await.map(Some),
        }
    }

    /// One attempt with `credentials`: sign, send, read.
    async fn attempt(
        &self,
        call: Call<'_>,
        params: &ParamWriter,
        base: &str,
        number: u32,
        hide: &[&str],
        credentials: Option<Credentials>,
    ) -> Result<RawResponse, (Error, Hints)> {
        let i = &self.inner;
        let no_hints = |e: Error| (e, Hints::default());
        let signing = match (&i.signer, &credentials) {
            (Signer::Keys { version, .. }, Some(credentials)) => Signing::Signed {
                version: *version,
                credentials,
            },
            _ => Signing::Unsigned,
        };
        let signed = sign::sign(
            &call,
            params,
            signing,
            i.format,
            authority(base),
            self.now(),
        );
        // What must never be shown: made only when something is shown (a
        // log line, an error), never on the path of a successful call.
        let secrets = || {
            let mut owned: Vec<String> = Vec::with_capacity(3 + hide.len());
            if let Some(c) = &credentials {
                owned.extend(c.security_token().map(str::to_owned));
                owned.push(c.access_key_secret().to_owned());
            }
            owned.push(signed.signature());
            owned.extend(hide.iter().map(|h| (*h).to_owned()));
            owned
        };
        if tracing::enabled!(tracing::Level::DEBUG) {
            let secrets = secrets();
            let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
            tracing::debug!(
                attempt = number,
                string_to_sign = %redact(&signed.string_to_sign(), &refs),
                "signed request"
            );
        }
        let mut url = String::with_capacity(base.len() + 2 + signed.query.len());
        url.push_str(base);
        url.push_str("/?");
        url.push_str(&signed.query);
        let request = HttpRequest {
            verb: call.method.into(),
            url,
            headers: &signed.headers,
            body: signed.body.clone(),
            max_response_bytes: i.max_response_bytes,
            timeout: None,
        };
        let response = i.transport.send(request, &call).await.map_err(no_hints)?;
        decode::read_answer(response, i.format == decode::Format::Xml, &signed, secrets)
    }

    /// The local clock, corrected by what servers said of it.
    pub(super) fn now(&self) -> SystemTime {
        let offset = self.inner.clock_offset.load(Ordering::Relaxed);
        let now = self.inner.time.now();
        if offset >= 0 {
            now + Duration::from_secs(offset as u64)
        } else {
            now - Duration::from_secs(offset.unsigned_abs())
        }
    }
}

/// `host[:port]` of a base URL such as `https://cdn.aliyuncs.com`.
pub(super) fn authority(base: &str) -> &str {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

/// A number in `[0, 1)` for backoff jitter; the nonce generator's
/// randomness serves, so no RNG crate is needed.
fn jitter() -> f64 {
    aliapi_wire::nonce::random_unit()
}
