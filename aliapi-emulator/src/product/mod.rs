//! A product is one handler: its code, version and host, its spec, its own
//! state, and the code that answers its operations. Handlers are kept in a
//! [`Registry`] by product code; the gate finds a request's product there
//! and refuses a request no registered product answers, so nothing is ever
//! routed to a product it was not meant for.
//!
//! Adding a product means writing one [`ProductHandler`] and registering it
//! (see [`EmulatorBuilder::product`](crate::EmulatorBuilder::product)).
//!
//! ```
//! use aliapi_emulator::product::{Call, Ctx, Outcome, ProductHandler, Registry, StateLock};
//! use aliapi_emulator::spec::{self, Spec};
//!
//! /// CDN again under another version, answering every call with an
//! /// empty body and counting the calls it answered.
//! struct Counting;
//!
//! impl ProductHandler for Counting {
//!     type State = u64;
//!     fn code(&self) -> &str { "CdnCopy" }
//!     fn version(&self) -> &str { "2099-01-01" }
//!     fn host(&self) -> &str { "cdncopy.aliyuncs.com" }
//!     fn spec(&self) -> &Spec { spec::cdn() }
//!     fn handle(&self, calls: &StateLock<'_, u64>, _call: &Call<'_>, _ctx: &Ctx) -> Outcome {
//!         *calls.lock() += 1;
//!         Ok(Default::default())
//!     }
//! }
//!
//! let mut registry = Registry::builtin();
//! registry.register(Counting).unwrap();
//! assert!(registry.product("CdnCopy").is_some());
//! ```

pub mod args;
pub mod ids;
pub mod lifecycle;
pub mod tags;

use std::any::{Any, TypeId};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::de::DeserializeOwned;
use serde::{Deserialize as _, Serialize};
use serde_json::{Map, Value};

use crate::params::Params;
use crate::refusal::Refusal;
use crate::reply::ApiError;
use aliapi_spec::{Operation, Spec};

/// What a handler answers: the fields of a successful answer (the service
/// adds `RequestId` and renders JSON or XML), or a refusal.
pub type Outcome = Result<Map<String, Value>, ApiError>;

/// The time and timing settings one operation runs with.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// Now on the state clock, in ms since the epoch: the time resources
    /// are created at and their changes are timed by (see
    /// [`state_clock`](crate::state_clock)).
    pub now_ms: i64,
    /// How long asynchronous changes (a domain configuring, a CEN being
    /// created, a refresh running) take, in ms.
    pub settle_ms: i64,
}

impl Ctx {
    /// Now on the state clock, in seconds since the epoch.
    pub fn now(&self) -> i64 {
        self.now_ms.div_euclid(1000)
    }
}

/// One accepted call: the operation of the handler's spec it names, and its
/// decoded params. It has passed every check of the gate (signature,
/// timestamp, nonce, required and typed params).
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// The operation called.
    pub operation: &'a Operation,
    /// The request's params, common ones included.
    pub params: &'a Params,
}

impl Call<'_> {
    /// The action name, e.g. `StartCdnDomain`.
    pub fn action(&self) -> &str {
        &self.operation.name
    }
}

/// One product the emulator answers for.
///
/// The service routes a request here when its `Version` is this product's
/// (or its `Host` names this product's endpoint), checks it against
/// [`spec`](ProductHandler::spec), and then calls
/// [`handle`](ProductHandler::handle), which locks this product's state
/// (and only this product's) while it reads or changes it. The state is
/// this product's alone: it is saved as the product's own section of the
/// state file, under its code.
pub trait ProductHandler: Send + Sync + 'static {
    /// What the product remembers between calls.
    type State: Default + Clone + PartialEq + Serialize + DeserializeOwned + Send + 'static;

    /// The product code, e.g. `Cdn`; the key of the registry and of the
    /// product's section in the state file.
    fn code(&self) -> &str;

    /// The API version this handler answers, e.g. `2018-05-10`.
    fn version(&self) -> &str;

    /// The central endpoint host, e.g. `cdn.aliyuncs.com`: the `HostId` of
    /// answers, and how a request whose `Host` names it is routed.
    fn host(&self) -> &str;

    /// The API spec the gate checks requests against and sample answers
    /// are built from; the official error catalogue in it answers the
    /// product's refusals (see [`catalogue`](crate::catalogue)).
    fn spec(&self) -> &Spec;

    /// Every refusal the product's operations can answer besides those of
    /// the param checks ([`refusal::operation`](crate::refusal::operation)):
    /// what the docs list and the catalogue tests read. None by default.
    fn refusals(&self) -> &[Refusal] {
        &[]
    }

    /// Runs one accepted call against the product's state. The state is
    /// locked when the handler calls [`StateLock::lock`], which it should
    /// do once it has read the call's arguments: a call may carry tens of
    /// thousands of them, and reading them must not hold up the product's
    /// other calls.
    fn handle(&self, state: &StateLock<'_, Self::State>, call: &Call<'_>, ctx: &Ctx) -> Outcome;

    /// This product's part of a state file written before products had
    /// sections of their own: the whole old document is given, and the
    /// default reads nothing from it.
    fn legacy_state(&self, document: &Value) -> Result<Self::State, String> {
        let _ = document;
        Ok(Self::State::default())
    }
}

/// A product's state as its handler gets it: not yet locked.
pub struct StateLock<'a, S> {
    cell: &'a Mutex<CellInner<S>>,
}

impl<S> fmt::Debug for StateLock<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StateLock")
    }
}

impl<'a, S> StateLock<'a, S> {
    /// Locks the state until the guard is dropped. Other calls to the same
    /// product wait meanwhile, so a handler keeps the guard only while it
    /// reads or changes the state, and takes it once per call (a second
    /// `lock` while the first guard lives would wait forever).
    pub fn lock(&self) -> StateGuard<'a, S> {
        // A panic in a handler must not take the product down with it; a
        // handler leaves the state consistent between statements.
        StateGuard(self.cell.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A product state whose statuses move on their own (see [`lifecycle`]).
pub trait Settle {
    /// Takes every step due at `now_ms` (ms since the epoch, state clock).
    fn settle(&mut self, now_ms: i64);
}

impl<'a, S: Settle> StateLock<'a, S> {
    /// Locks the state brought up to date at `now_ms`. The guard brings it
    /// up to date again when dropped, so a change the call started that is
    /// due at once (with a zero settle time) is taken before anyone else
    /// sees the state or it is saved.
    pub fn lock_at(&self, now_ms: i64) -> SettledGuard<'a, S> {
        let mut guard = self.lock();
        guard.settle(now_ms);
        SettledGuard { guard, now_ms }
    }
}

/// A locked product state kept up to date with its timed changes; it
/// derefs to the state.
pub struct SettledGuard<'a, S: Settle> {
    guard: StateGuard<'a, S>,
    now_ms: i64,
}

impl<S: Settle> std::ops::Deref for SettledGuard<'_, S> {
    type Target = S;

    fn deref(&self) -> &S {
        &self.guard
    }
}

impl<S: Settle> std::ops::DerefMut for SettledGuard<'_, S> {
    fn deref_mut(&mut self) -> &mut S {
        &mut self.guard
    }
}

impl<S: Settle> Drop for SettledGuard<'_, S> {
    fn drop(&mut self) {
        self.guard.settle(self.now_ms);
    }
}

/// A locked product state; it derefs to the state.
pub struct StateGuard<'a, S>(MutexGuard<'a, CellInner<S>>);

impl<S> std::ops::Deref for StateGuard<'_, S> {
    type Target = S;

    fn deref(&self) -> &S {
        &self.0.state
    }
}

impl<S> std::ops::DerefMut for StateGuard<'_, S> {
    fn deref_mut(&mut self) -> &mut S {
        &mut self.0.state
    }
}

impl<S: fmt::Debug> fmt::Debug for StateGuard<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0.state, f)
    }
}

/// Why a handler could not be registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// Another handler has the same product code.
    #[error("a product with code {code} is already registered")]
    DuplicateCode {
        /// The code.
        code: String,
    },
    /// Another handler answers the same version, so a request sent to a
    /// loopback address could not tell the two apart.
    #[error("products {first} and {second} both answer version {version}")]
    DuplicateVersion {
        /// The version.
        version: String,
        /// The product registered first.
        first: String,
        /// The product that was refused.
        second: String,
    },
}

/// A registered product, as the gate and callers see it.
#[derive(Clone, Copy)]
pub struct ProductRef<'a>(&'a dyn ErasedHandler);

impl<'a> ProductRef<'a> {
    /// The product code, e.g. `Cdn`.
    pub fn code(&self) -> &'a str {
        self.0.code()
    }

    /// The API version it answers.
    pub fn version(&self) -> &'a str {
        self.0.version()
    }

    /// Its central endpoint host.
    pub fn host(&self) -> &'a str {
        self.0.host()
    }

    /// Its spec.
    pub fn spec(&self) -> &'a Spec {
        self.0.spec()
    }

    /// The refusals its operations can answer besides the param checks'.
    pub fn refusals(&self) -> &'a [Refusal] {
        self.0.refusals()
    }
}

impl fmt::Debug for ProductRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Product")
            .field("code", &self.code())
            .field("version", &self.version())
            .field("host", &self.host())
            .finish()
    }
}

/// The products an emulator answers for, by product code.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: Vec<Arc<dyn ErasedHandler>>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.products()).finish()
    }
}

/// Where a request goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// To the product at this index.
    Found(usize),
    /// Its `Host` names the product at this index, which has another version.
    WrongVersion(usize),
    /// No registered product answers it.
    Unknown,
}

/// The first label of an Alibaba Cloud endpoint host (`cdn` of
/// `cdn.ap-southeast-1.aliyuncs.com:443`), which names the product.
fn endpoint_label(host: &str) -> Option<&str> {
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    let suffix = ".aliyuncs.com";
    let cut = host.len().checked_sub(suffix.len())?;
    if !host.get(cut..)?.eq_ignore_ascii_case(suffix) {
        return None;
    }
    host[..cut].split('.').next().filter(|l| !l.is_empty())
}

impl Registry {
    /// A registry with no product, which refuses every request.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// CDN (`Cdn` 2018-05-10) and CEN (`Cbn` 2017-09-12).
    pub fn builtin() -> Registry {
        let mut registry = Registry::new();
        // The two built-in products differ in code and version.
        let _ = registry.register(crate::cdn::CdnHandler);
        let _ = registry.register(crate::cen::CenHandler);
        registry
    }

    /// Adds a product; refused when its code or version is taken.
    pub fn register<H: ProductHandler>(&mut self, handler: H) -> Result<(), RegistryError> {
        for h in &self.handlers {
            if h.code() == handler.code() {
                return Err(RegistryError::DuplicateCode {
                    code: handler.code().to_owned(),
                });
            }
            if h.version() == handler.version() {
                return Err(RegistryError::DuplicateVersion {
                    version: handler.version().to_owned(),
                    first: h.code().to_owned(),
                    second: handler.code().to_owned(),
                });
            }
        }
        self.handlers.push(Arc::new(Erased(Arc::new(handler))));
        Ok(())
    }

    /// Every registered product, in registration order.
    pub fn products(&self) -> impl Iterator<Item = ProductRef<'_>> + '_ {
        self.handlers.iter().map(|h| ProductRef(h.as_ref()))
    }

    /// The product with code `code`.
    pub fn product(&self, code: &str) -> Option<ProductRef<'_>> {
        self.products().find(|p| p.code() == code)
    }

    pub(crate) fn get(&self, index: usize) -> ProductRef<'_> {
        ProductRef(self.handlers[index].as_ref())
    }

    pub(crate) fn handlers(&self) -> &[Arc<dyn ErasedHandler>] {
        &self.handlers
    }

    /// The product a request is for. A `Host` that names an Alibaba Cloud
    /// endpoint decides, as the service's endpoint does (then the version
    /// must be that product's); any other host (a loopback address) leaves
    /// it to `Version`, so one emulator serves every product on one port.
    pub(crate) fn route(&self, host: Option<&str>, version: &str) -> Route {
        if let Some(label) = host.and_then(endpoint_label) {
            let named = self.handlers.iter().position(|h| {
                endpoint_label(h.host()).is_some_and(|l| l.eq_ignore_ascii_case(label))
            });
            return match named {
                Some(i) if self.handlers[i].version() == version => Route::Found(i),
                Some(i) => Route::WrongVersion(i),
                None => Route::Unknown,
            };
        }
        match self.handlers.iter().position(|h| h.version() == version) {
            Some(i) => Route::Found(i),
            None => Route::Unknown,
        }
    }
}

/// A product's section of the state file, as found when starting.
pub(crate) enum Section<'a> {
    /// The file has no section for the product (or there is no file).
    Empty,
    /// The product's own section.
    Current(&'a Value),
    /// A file from before sections: the whole document.
    Legacy(&'a Value),
}

/// A state change to persist: the product's state after a call, numbered
/// so that a later change is never overwritten by an earlier one.
pub(crate) struct Change {
    pub(crate) seq: u64,
    pub(crate) section: Result<Value, String>,
}

/// A handler with its state type erased, so products of different state
/// types sit in one registry.
pub(crate) trait ErasedHandler: Send + Sync {
    fn code(&self) -> &str;
    fn version(&self) -> &str;
    fn host(&self) -> &str;
    fn spec(&self) -> &Spec;
    fn refusals(&self) -> &[Refusal];
    /// The product's live state, read from its section.
    fn open(&self, section: Section<'_>) -> Result<Box<dyn StateCell>, String>;
}

/// One product's live state behind its own lock.
pub(crate) trait StateCell: Send + Sync {
    /// Runs `call` with the state locked; with `track`, also returns the
    /// state to persist when the call changed it.
    fn run(&self, call: &Call<'_>, ctx: &Ctx, track: bool) -> (Outcome, Option<Change>);
    /// A copy of the state, for [`Service::state`](crate::Service::state).
    fn snapshot(&self) -> Box<dyn Any>;
    fn state_type(&self) -> TypeId;
    /// The state as its section of the state file.
    fn section(&self) -> Result<Value, String>;
}

struct Erased<H>(Arc<H>);

impl<H: ProductHandler> ErasedHandler for Erased<H> {
    fn code(&self) -> &str {
        self.0.code()
    }

    fn version(&self) -> &str {
        self.0.version()
    }

    fn host(&self) -> &str {
        self.0.host()
    }

    fn spec(&self) -> &Spec {
        self.0.spec()
    }

    fn refusals(&self) -> &[Refusal] {
        self.0.refusals()
    }

    fn open(&self, section: Section<'_>) -> Result<Box<dyn StateCell>, String> {
        let state: H::State = match section {
            Section::Empty => H::State::default(),
            Section::Current(v) => H::State::deserialize(v).map_err(|e| e.to_string())?,
            Section::Legacy(doc) => self.0.legacy_state(doc)?,
        };
        Ok(Box::new(Cell {
            handler: self.0.clone(),
            inner: Mutex::new(CellInner {
                saved: state.clone(),
                state,
                seq: 0,
            }),
        }))
    }
}

struct CellInner<S> {
    state: S,
    /// The state as last handed over for saving.
    saved: S,
    seq: u64,
}

struct Cell<H: ProductHandler> {
    handler: Arc<H>,
    inner: Mutex<CellInner<H::State>>,
}

impl<H: ProductHandler> Cell<H> {
    fn lock(&self) -> MutexGuard<'_, CellInner<H::State>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<H: ProductHandler> StateCell for Cell<H> {
    fn run(&self, call: &Call<'_>, ctx: &Ctx, track: bool) -> (Outcome, Option<Change>) {
        let outcome = self
            .handler
            .handle(&StateLock { cell: &self.inner }, call, ctx);
        // Whatever this call (or one running beside it) changed is taken
        // in one snapshot, numbered under the same lock as the comparison.
        let changed = track
            .then(|| {
                let mut inner = self.lock();
                (inner.state != inner.saved).then(|| {
                    inner.saved = inner.state.clone();
                    inner.seq += 1;
                    (inner.seq, inner.saved.clone())
                })
            })
            .flatten();
        // Serialized after the lock is released: other calls to this
        // product need not wait for it.
        let change = changed.map(|(seq, state)| Change {
            seq,
            section: serde_json::to_value(&state).map_err(|e| e.to_string()),
        });
        (outcome, change)
    }

    fn snapshot(&self) -> Box<dyn Any> {
        Box::new(self.lock().state.clone())
    }

    fn state_type(&self) -> TypeId {
        TypeId::of::<H::State>()
    }

    fn section(&self) -> Result<Value, String> {
        serde_json::to_value(&self.lock().state).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_labels() {
        assert_eq!(endpoint_label("cdn.aliyuncs.com"), Some("cdn"));
        assert_eq!(
            endpoint_label("CDN.ap-southeast-1.aliyuncs.com:443"),
            Some("CDN")
        );
        assert_eq!(endpoint_label("cbn.aliyuncs.com."), Some("cbn"));
        assert_eq!(endpoint_label("127.0.0.1:8080"), None);
        assert_eq!(endpoint_label("aliyuncs.com"), None);
        assert_eq!(endpoint_label("evil-aliyuncs.com"), None);
        assert_eq!(endpoint_label("[::1]:80"), None);
    }

    #[test]
    fn routing() {
        let r = Registry::builtin();
        let cdn = r.products().position(|p| p.code() == "Cdn").unwrap();
        let cbn = r.products().position(|p| p.code() == "Cbn").unwrap();
        assert_eq!(r.route(None, "2018-05-10"), Route::Found(cdn));
        assert_eq!(
            r.route(Some("127.0.0.1:1"), "2017-09-12"),
            Route::Found(cbn)
        );
        assert_eq!(r.route(None, "2014-05-26"), Route::Unknown);
        assert_eq!(
            r.route(Some("cdn.aliyuncs.com"), "2018-05-10"),
            Route::Found(cdn)
        );
        assert_eq!(
            r.route(Some("cdn.aliyuncs.com"), "2017-09-12"),
            Route::WrongVersion(cdn)
        );
        assert_eq!(
            r.route(Some("ecs.aliyuncs.com"), "2018-05-10"),
            Route::Unknown
        );
    }

    #[test]
    fn codes_and_versions_are_unique() {
        let mut r = Registry::builtin();
        assert_eq!(
            r.register(crate::cdn::CdnHandler),
            Err(RegistryError::DuplicateCode { code: "Cdn".into() })
        );
        assert_eq!(r.products().count(), 2);
        let mut empty = Registry::new();
        assert!(empty.product("Cdn").is_none());
        empty.register(crate::cen::CenHandler).unwrap();
        assert_eq!(empty.product("Cbn").unwrap().host(), "cbn.aliyuncs.com");
    }
}
