//! The emulator without the network: judge a request, hand it to its
//! product's handler, and produce the answer. The HTTP server is a thin
//! layer over this.
//!
//! No lock is held while a request is parsed or judged. The locks a request
//! takes are short: the fault plan (one draw), the nonce memory (one
//! insert), its own product's state (the handler's call, nothing else), and
//! the state file (one write, only when the call changed the state).

use std::any::TypeId;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use crate::EmulatorError;
use crate::catalogue::official;
use crate::fault::{Fault, FaultConfig, FaultPlan};
use crate::gate::Gate;
use crate::incoming::Incoming;
use crate::keys::KeyRing;
use crate::nonce::NonceStore;
use crate::params::Params;
use crate::product::{Call, Ctx, Registry, Route, Section, StateCell};
use crate::refusal::gateway;
use crate::reply::{ApiError, Format, Reply, error_reply, success_reply};
use crate::sample::complete_body;
use crate::state::{StateDocument, StateFile};
use crate::state_clock::StateClock;

/// The host named in answers that cannot be tied to a product.
const GENERIC_HOST: &str = "aliyuncs.com";

/// Everything a [`Service`] is built from.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Accepted access keys.
    pub keys: KeyRing,
    /// The products answered for.
    pub products: Registry,
    /// The most nonces remembered at once.
    pub nonce_capacity: usize,
    /// The most bytes the nonce memory may take.
    pub nonce_memory: usize,
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
    /// Whether resource states move by a clock that only
    /// [`Service::advance`] moves (see [`state_clock`](crate::state_clock)).
    pub manual_clock: bool,
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

/// The emulator's logic: the gate, the products with their states, and the
/// fault plan.
pub struct Service {
    gate: Gate,
    registry: Registry,
    /// Each registered product's live state, in registry order.
    states: Vec<Box<dyn StateCell>>,
    faults: Mutex<FaultPlan>,
    state_file: Option<StateFile>,
    settle_ms: i64,
    clock_skew_ms: i64,
    state_clock: StateClock,
    key_ids: Vec<String>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("gate", &self.gate)
            .field("products", &self.registry)
            .field("state_file", &self.state_file)
            .field("settle_ms", &self.settle_ms)
            .field("clock_skew_ms", &self.clock_skew_ms)
            .field("state_clock", &self.state_clock)
            .finish_non_exhaustive()
    }
}

impl Service {
    /// Builds the service, loading the state file when one is configured.
    pub fn new(config: ServiceConfig) -> Result<Service, EmulatorError> {
        let document = match &config.state_file {
            Some(path) => StateDocument::load(path)?,
            None => StateDocument::new(),
        };
        let mut document_out = document.clone();
        let mut states = Vec::new();
        for handler in config.products.handlers() {
            let section = match (document.legacy(), document.raw_section(handler.code())) {
                (Some(old), _) => Section::Legacy(old),
                (None, Some(current)) => Section::Current(current),
                (None, None) => Section::Empty,
            };
            let cell = handler
                .open(section)
                .map_err(|reason| EmulatorError::StateFile {
                    path: config.state_file.clone().unwrap_or_default(),
                    reason: format!("section {}: {reason}", handler.code()),
                })?;
            if let Ok(section) = cell.section() {
                document_out.set_raw_section(handler.code(), section);
            }
            states.push(cell);
        }
        let key_ids = config.keys.ids();
        let clock_skew_ms = config.clock_skew_secs.saturating_mul(1000);
        // The changes under way in the state file are timed by the state
        // clock of the last run; this run's starts no earlier.
        let now = gateway_ms(clock_skew_ms);
        let saved = document.state_clock_ms().unwrap_or(i64::MIN);
        let state_clock = if config.manual_clock {
            StateClock::manual(now.max(saved))
        } else {
            let clock = StateClock::following();
            let behind = saved.saturating_sub(now);
            if behind > 0 {
                clock.advance(Duration::from_millis(behind.unsigned_abs()));
            }
            clock
        };
        Ok(Service {
            gate: Gate::new(
                config.keys,
                NonceStore::new(config.nonce_capacity, config.nonce_memory),
            ),
            registry: config.products,
            states,
            faults: Mutex::new(FaultPlan::new(config.faults)),
            state_file: config
                .state_file
                .map(|path| StateFile::new(path, document_out)),
            settle_ms: config.settle_time.as_millis().min(i64::MAX as u128) as i64,
            clock_skew_ms,
            state_clock,
            key_ids,
        })
    }

    /// The emulator's clock in ms since the epoch: the host's clock plus
    /// the configured skew. Requests are judged by it.
    pub fn clock_ms(&self) -> i64 {
        gateway_ms(self.clock_skew_ms)
    }

    /// The state clock in ms since the epoch: the time resource states are
    /// at (see [`state_clock`](crate::state_clock)).
    pub fn state_clock_ms(&self) -> i64 {
        self.state_clock.now_ms(self.clock_ms())
    }

    /// Whether the state clock stands still until advanced.
    pub fn has_manual_clock(&self) -> bool {
        self.state_clock.is_manual()
    }

    /// Moves the state clock ahead by `by`. Every change due by then
    /// happens (as the next call to the product sees it), and resources
    /// created later are created at the later time. With a manual clock
    /// this is the only way the state clock moves; otherwise it puts the
    /// state clock `by` ahead of the real clock from now on. Requests are
    /// still judged by the real clock.
    pub fn advance(&self, by: Duration) {
        self.state_clock.advance(by);
    }

    /// The accepted key ids (never the secrets).
    pub fn key_ids(&self) -> &[String] {
        &self.key_ids
    }

    /// The products answered for.
    pub fn products(&self) -> &Registry {
        &self.registry
    }

    /// A copy of the state of the product whose state type is `S`, e.g.
    /// `service.state::<CdnState>()`; `None` when no registered product
    /// keeps an `S`.
    pub fn state<S: 'static>(&self) -> Option<S> {
        let cell = self
            .states
            .iter()
            .find(|c| c.state_type() == TypeId::of::<S>())?;
        cell.snapshot().downcast::<S>().ok().map(|s| *s)
    }

    /// How many nonces are remembered now.
    pub fn remembered_nonces(&self) -> usize {
        self.gate.nonces().len()
    }

    /// How many bytes the remembered nonces count for (see
    /// [`NONCE_ENTRY_OVERHEAD`](crate::nonce::NONCE_ENTRY_OVERHEAD)).
    pub fn nonce_memory(&self) -> usize {
        self.gate.nonces().memory_bytes()
    }

    /// The host and code to render a refusal of the product at `index` with.
    fn product_of(&self, index: Option<usize>) -> (&str, Option<&str>) {
        match index {
            Some(i) => {
                let p = self.registry.get(i);
                (p.host(), Some(p.code()))
            }
            None => (GENERIC_HOST, None),
        }
    }

    /// Handles one request at `now_ms` (ms since the epoch), faults included.
    pub fn handle(&self, req: &Incoming<'_>, now_ms: i64) -> Answer {
        let (fault, delay) = self
            .faults
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .draw();
        let injected = |err: ApiError| {
            let params = Params::parse(req).unwrap_or_default();
            let format = Format::from_param(params.get("Format"));
            let product = match params.get("Version") {
                Some(v) => match self.registry.route(req.header("host").as_deref(), v) {
                    Route::Found(i) | Route::WrongVersion(i) => Some(i),
                    Route::Unknown => None,
                },
                None => None,
            };
            let (host, code) = self.product_of(product);
            error_reply(&err, format, host, code)
        };
        let reply = match fault {
            Some(Fault::Throttle) => injected(gateway::THROTTLED.error()),
            Some(Fault::Unavailable) => injected(gateway::UNAVAILABLE.error()),
            None | Some(Fault::Disconnect) => self.respond(req, now_ms),
        };
        Answer {
            reply,
            disconnect: fault == Some(Fault::Disconnect),
            delay,
        }
    }

    /// Judges and runs one request at `now_ms`, without fault injection.
    /// `now_ms` is the gateway's time, which the `Timestamp` is judged
    /// by; resources move by the state clock, which follows `now_ms`
    /// unless it is manual. Never panics on any input; every answer
    /// carries a `RequestId`.
    pub fn respond(&self, req: &Incoming<'_>, now_ms: i64) -> Reply {
        let accepted = match self
            .gate
            .judge(req, now_ms.div_euclid(1000), &self.registry)
        {
            Ok(a) => a,
            Err(r) => {
                let (host, code) = self.product_of(r.product);
                return error_reply(&r.error, r.format, host, code);
            }
        };
        let product = self.registry.get(accepted.product);
        let (host, code) = (product.host(), product.code());
        let call = Call {
            operation: accepted.operation,
            params: &accepted.params,
        };
        let ctx = Ctx {
            now_ms: self.state_clock.now_ms(now_ms),
            settle_ms: self.settle_ms,
        };
        let (outcome, change) =
            self.states[accepted.product].run(&call, &ctx, self.state_file.is_some());
        let mut body = match outcome {
            Ok(body) => body,
            Err(e) => {
                // The operation's own refusals are answered as its
                // product's catalogue documents them.
                let e = official(product.spec(), call.action(), e);
                return error_reply(&e, accepted.format, host, Some(code));
            }
        };
        if let (Some(file), Some(change)) = (&self.state_file, change)
            && let Err(e) = file.store(code, change, ctx.now_ms)
        {
            // The change stays in memory; the caller learns that it may not
            // have been persisted.
            let err = gateway::NOT_SAVED.with(&[&e.to_string()]);
            return error_reply(&err, accepted.format, host, Some(code));
        }
        // Whatever a handler built, the answer carries every field of the
        // operation's response shape.
        complete_body(
            product.spec(),
            &call.operation.response,
            &mut body,
            ctx.now(),
        );
        success_reply(call.action(), body, accepted.format)
    }
}

/// The host's clock plus `skew_ms`, in ms since the epoch.
fn gateway_ms(skew_ms: i64) -> i64 {
    let host = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    host.saturating_add(skew_ms)
}
