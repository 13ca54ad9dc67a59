//! The emulator without the network: judge a request, run it against the
//! state, and produce the answer. The HTTP server is a thin layer over this.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::EmulatorError;
use crate::fault::{Fault, FaultConfig, FaultPlan};
use crate::judge::{Gate, Incoming, KeyRing};
use crate::reply::{ApiError, Reply, error_reply, success_reply};
use crate::sample::sample_body;
use crate::state::{self, Ctx, State};
use crate::{cdn, cen};

/// The host named in answers that cannot be tied to a product.
const GENERIC_HOST: &str = "aliyuncs.com";

/// Everything a [`Service`] is built from.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Accepted access keys.
    pub keys: KeyRing,
    /// The most nonces remembered at once.
    pub nonce_capacity: usize,
    /// How long asynchronous changes take (configuring domains, creating
    /// CEN instances, running refresh tasks).
    pub settle_time: Duration,
    /// Faults to inject.
    pub faults: FaultConfig,
    /// Where state is loaded from and saved to, if anywhere.
    pub state_file: Option<PathBuf>,
    /// How far the emulator's clock is ahead of the host's (negative:
    /// behind), in seconds; for testing clients' clock-skew handling.
    pub clock_skew_secs: i64,
}

/// What the server should do with one request.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The answer to send.
    pub reply: Reply,
    /// Cut the connection halfway through the answer.
    pub disconnect: bool,
    /// Wait this long before answering.
    pub delay: Duration,
}

/// The emulator's logic: the gate, the state and the fault plan.
#[derive(Debug)]
pub struct Service {
    gate: Mutex<Gate>,
    state: Mutex<State>,
    faults: Mutex<FaultPlan>,
    state_file: Option<PathBuf>,
    settle_ms: i64,
    clock_skew_ms: i64,
    key_ids: Vec<String>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere must not take the emulator down with it; the data
    // under these locks stays consistent between statements.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Service {
    /// Builds the service, loading the state file when one is configured.
    pub fn new(config: ServiceConfig) -> Result<Service, EmulatorError> {
        let state = match &config.state_file {
            Some(path) => state::load(path)?,
            None => State::default(),
        };
        let key_ids = config.keys.ids();
        Ok(Service {
            gate: Mutex::new(Gate::new(config.keys, config.nonce_capacity)),
            state: Mutex::new(state),
            faults: Mutex::new(FaultPlan::new(config.faults)),
            state_file: config.state_file,
            settle_ms: config.settle_time.as_millis().min(i64::MAX as u128) as i64,
            clock_skew_ms: config.clock_skew_secs.saturating_mul(1000),
            key_ids,
        })
    }

    /// The emulator's clock in ms since the epoch: the host's clock plus
    /// the configured skew.
    pub fn clock_ms(&self) -> i64 {
        let host = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        host.saturating_add(self.clock_skew_ms)
    }

    /// The accepted key ids (never the secrets).
    pub fn key_ids(&self) -> &[String] {
        &self.key_ids
    }

    /// A copy of the current state.
    pub fn state(&self) -> State {
        lock(&self.state).clone()
    }

    /// How many nonces are remembered now.
    pub fn remembered_nonces(&self) -> usize {
        lock(&self.gate).nonces().len()
    }

    /// Handles one request at `now_ms` (ms since the epoch), faults included.
    pub fn handle(&self, req: &Incoming<'_>, now_ms: i64) -> Answer {
        let (fault, delay) = lock(&self.faults).draw();
        let injected = |err: ApiError| {
            let params = crate::judge::parse_params(req).unwrap_or_default();
            let format = crate::reply::Format::from_param(params.get("Format"));
            let product = params
                .get("Version")
                .and_then(crate::spec::product_by_version);
            let host = product.map_or(GENERIC_HOST, |p| p.host);
            error_reply(&err, format, host, product.map(|p| p.code))
        };
        let reply = match fault {
            Some(Fault::Throttle) => injected(ApiError::new(
                400,
                "Throttling.User",
                "Request was denied due to user flow control.",
            )),
            Some(Fault::Unavailable) => injected(ApiError::new(
                503,
                "ServiceUnavailable",
                "The request has failed due to a temporary failure of the server.",
            )),
            None | Some(Fault::Disconnect) => self.respond(req, now_ms),
        };
        Answer {
            reply,
            disconnect: fault == Some(Fault::Disconnect),
            delay,
        }
    }

    /// Judges and runs one request at `now_ms`, without fault injection.
    /// Never panics on any input; every answer carries a `RequestId`.
    pub fn respond(&self, req: &Incoming<'_>, now_ms: i64) -> Reply {
        let judged = lock(&self.gate).judge(req, now_ms.div_euclid(1000));
        let accepted = match judged {
            Ok(a) => a,
            Err(r) => {
                let (host, code) = match r.product {
                    Some(p) => (p.host, Some(p.code)),
                    None => (GENERIC_HOST, None),
                };
                return error_reply(&r.error, r.format, host, code);
            }
        };
        let product = accepted.product;
        let action = accepted.operation.name.as_str();
        let ctx = Ctx {
            now_ms,
            settle_ms: self.settle_ms,
        };
        let mut st = lock(&self.state);
        st.settle(now_ms);
        let before = self.state_file.as_ref().map(|_| st.clone());
        let outcome = match product.code {
            "Cdn" => cdn::handle(&mut st, action, &accepted.params, &ctx),
            _ => cen::handle(&mut st, action, &accepted.params, &ctx),
        };
        let result = match outcome {
            Some(r) => r,
            None => Ok(sample_body(
                product,
                &accepted.operation.response,
                ctx.now(),
            )),
        };
        let body = match result {
            Ok(body) => body,
            Err(e) => return error_reply(&e, accepted.format, product.host, Some(product.code)),
        };
        if let (Some(path), Some(before)) = (&self.state_file, before)
            && *st != before
            && let Err(e) = state::save(path, &st)
        {
            // The change stays in memory; the caller learns that it may not
            // have been persisted.
            let err = ApiError::new(
                500,
                "InternalError",
                format!("The request was processed but the state could not be saved: {e}"),
            );
            return error_reply(&err, accepted.format, product.host, Some(product.code));
        }
        success_reply(action, body, accepted.format)
    }
}
