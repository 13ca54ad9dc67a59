//! A local stand-in for the Alibaba Cloud CDN (`Cdn` 2018-05-10) and CEN
//! (`Cbn` 2017-09-12) RPC endpoints, for tests and offline work.
//!
//! It judges every request as the service does — access key, STS token,
//! v1 and V3 signatures, timestamp window, nonce reuse, `Version`,
//! `Action`, and the operation's required and typed params — against the
//! merged API specs of [`aliapi_spec`] (the official metadata's added
//! operations, params and fields included), and answers refusals with the
//! service's error document, from the official error catalogue where it
//! documents the code. Domains, CEN instances, network instances, transit
//! routers with their attachments and route tables, bandwidth packages,
//! configs, cache tasks and tags are kept as state (optionally in a file),
//! their statuses moving over the settle time as the waiters expect; every
//! other operation answers a well-formed sample body built from its
//! response shape. Faults (throttling, outages, latency, broken
//! connections) can be injected reproducibly from a seed.
//!
//! # Example
//!
//! A test starts one on a free loopback port and points a client at it;
//! it stops when dropped, or at [`RunningEmulator::shutdown`]:
//!
//! ```
//! use aliapi_core::{Client, Credentials, GenericRequest};
//! use aliapi_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator};
//!
//! // The body of a `#[tokio::test] async fn`.
//! # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
//! let emulator = Emulator::builder().start().await?;
//! let client = Client::builder()
//!     .credentials(Credentials::new(DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET))
//!     .endpoint_url(emulator.url())
//!     .build()?;
//!
//! let quota = client
//!     .call(&GenericRequest::new("Cdn", "2018-05-10", "DescribeRefreshQuota"))
//!     .await?;
//! assert!(quota["RequestId"].is_string());
//!
//! // A key pair it does not know is refused as the service refuses it.
//! let stranger = Client::builder()
//!     .credentials(Credentials::new("someone-else", "their-secret"))
//!     .endpoint_url(emulator.url())
//!     .build()?;
//! let refused = stranger
//!     .call(&GenericRequest::new("Cdn", "2018-05-10", "DescribeRefreshQuota"))
//!     .await
//!     .unwrap_err();
//! assert!(refused.is("InvalidAccessKeyId.NotFound"));
//! emulator.shutdown().await;
//! # Ok::<(), Box<dyn std::error::Error>>(()) })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! With no key configured, the emulator accepts exactly the pair
//! [`DEFAULT_ACCESS_KEY_ID`] / [`DEFAULT_ACCESS_KEY_SECRET`]; [`EmulatorBuilder::key`] (and
//! [`EmulatorBuilder::sts_key`]) configure others instead.
//!
//! # Requests it accepts
//!
//! `GET` or `POST` to any path, params in the query and/or an
//! `application/x-www-form-urlencoded` body (`+` or `%20` for a space),
//! `Format` in any case. Both signature schemes are checked: v1
//! (`Signature` param, HMAC-SHA1) and V3 (`Authorization:
//! ACS3-HMAC-SHA256 …` with `x-acs-*` headers; every value of a repeated
//! header counts, joined as the official signer joins them). The product is
//! chosen by `Version` (`2018-05-10` is CDN, `2017-09-12` is CEN), so one
//! emulator serves both products on one port; only a `Host` naming an
//! Alibaba Cloud endpoint (`cdn.aliyuncs.com`, `cbn.aliyuncs.com`, …) picks
//! the product itself, as the real endpoint would.
//!
//! Each product is one [`ProductHandler`] with its own state, kept in a
//! [`Registry`] by product code; more can be added with
//! [`EmulatorBuilder::product`]. A product's state is read with
//! [`Service::state`] (e.g. `service.state::<cdn::CdnState>()`) and saved as
//! the product's own section of the state file (see [`state`]).
//!
//! What a hostile client can send is bounded: a body of 4 MiB, 100
//! headers, [`MAX_PARAMS`](params::MAX_PARAMS) params and a nonce of
//! [`MAX_NONCE_BYTES`]; the nonce memory is bounded in count and bytes.
//! Params are indexed once, so checking a request costs about as much as
//! its bytes, and no lock is held while one request is parsed or judged.
//!
//! # Refusals
//!
//! Every refusal is declared in a table ([`refusal`]), and answered in one
//! of two ways.
//!
//! **The gateway's refusals** come before any product's logic and are
//! answered as they are ([`refusal::gateway`]), whatever a product's
//! catalogue says about the same code:
//!
//! | situation | code | status |
//! | --- | --- | --- |
//! | unknown key id | `InvalidAccessKeyId.NotFound` | 404 |
//! | STS key without / with a wrong token | `MissingSecurityToken` / `InvalidSecurityToken.MismatchWithAccessKey` | 400 |
//! | bad signature, bad V3 body hash | `SignatureDoesNotMatch` (message ends with `server string to sign is:<sts>`) | 400 |
//! | malformed V3 `Authorization`, unsigned required header | `IncompleteSignature` | 400 |
//! | timestamp malformed / more than 15 min off | `InvalidTimeStamp.Format` / `InvalidTimeStamp.Expired` | 400 |
//! | nonce reused within the window | `SignatureNonceUsed` | 400 |
//! | malformed encoding, body not UTF-8, nonce over 128 bytes, more than 50,000 params | `InvalidParameter` | 400 |
//! | common param absent | `MissingAction`, `MissingVersion`, `MissingAccessKeyId`, `MissingTimestamp`, `MissingSignatureNonce`, `MissingSignatureMethod`, `MissingSignatureVersion`, `MissingSignature` | 400 |
//! | v1 signature method or version other than `HMAC-SHA1` / `1.0` | `InvalidSignatureMethod` / `InvalidSignatureVersion` | 400 |
//! | version of no registered product (or not the product of the `Host` endpoint) | `InvalidVersion` | 400 |
//! | action unknown to the product | `InvalidAction.NotFound` | 404 |
//! | method other than GET and POST | `UnsupportedHTTPMethod` | 400 |
//! | body over 4 MiB / not arrived within 30 s | `RequestEntityTooLarge` / `RequestTimeout` | 413 / 408 |
//! | judging broke off, state file not written | `InternalError` | 500 |
//! | more than 100 headers or 400 KiB of head | (hyper's answer, no body) | 431 |
//! | injected faults | `Throttling.User` (400) / `ServiceUnavailable` (503) | |
//!
//! **An operation's refusals** (its params checked against the spec,
//! [`refusal::operation`], and the product's own, e.g.
//! [`cdn::refusals`]) are answered from the product's official error
//! catalogue when it documents the code: the status and message of the
//! variant documented for the operation, else of the code's first variant,
//! the message exactly as the metadata gives it ([`catalogue`]). So a
//! missing param is `MissingParameter` with CEN's `Missing parameter.`,
//! and CDN's `InvalidDomain.NotFound` is the catalogue's 400 for every
//! operation that documents no variant of its own. The codes neither
//! catalogue has keep the emulator's own status and a message that names
//! the resource:
//!
//! | product | code | status | when |
//! | --- | --- | --- | --- |
//! | CDN | `DomainAlreadyExist` | 400 | adding a domain twice |
//! | CEN | `ParameterCenInstanceId` | 400 | no such CEN instance |
//! | CEN | `Forbidden.CenInstance.ChildInstanceAttached` | 400 | deleting a CEN instance with network instances attached |
//! | CEN | `Forbidden.CenInstance.BandwidthPackageAssociated` | 400 | deleting a CEN instance with bandwidth packages |
//! | CEN | `Forbidden.CenInstance.TransitRouterExists` | 400 | deleting a CEN instance with transit routers |
//! | CEN | `InvalidCenBandwidthPackageId.NotFound` | 400 | no such bandwidth package |
//! | CEN | `Forbidden.BandwidthPackageAlreadyAssociated` | 400 | associating a package twice |
//! | CEN | `InvalidOperation.BandwidthPackageNotAssociated` | 400 | unassociating a package that is not associated |
//!
//! Every answer carries a `RequestId` (also in the `x-acs-request-id`
//! header); errors are `{RequestId, HostId, Code, Message, Recommend}`, or
//! an `<Error>` document with `Format=XML` (the default without `Format`).
//!
//! # What is kept as state
//!
//! | product | operations | statuses |
//! | --- | --- | --- |
//! | CDN | `AddCdnDomain`, `DescribeUserDomains` (paging, `DomainName` + `DomainSearchType`, `DomainStatus`, `CdnType`, `ResourceGroupId`, `Coverage`, `Tag.N`), `DescribeCdnDomainDetail`, `StartCdnDomain`, `StopCdnDomain`, `DeleteCdnDomain` | see [`cdn::transitions`] |
//! | CDN | `BatchSetCdnDomainConfig`, `DescribeCdnDomainConfigs`, `BatchDeleteCdnDomainConfig` | |
//! | CDN | `RefreshObjectCaches`, `PushObjectCache`, `DescribeRefreshTasks`, `DescribeRefreshQuota` (counts down per UTC day) | tasks `Refreshing`, then `Complete` |
//! | CDN | `TagResources`, `UntagResources`, `ListTagResources` (resource type `DOMAIN`) | |
//! | CEN | `CreateCen` (`ClientToken` makes it idempotent), `DescribeCens` (paging, `Filter.N.Key` = `CenId`/`Name` with `Filter.N.Value.M`, `Tag.N`), `ModifyCenAttribute`, `DeleteCen` | see [`cen::transitions`] |
//! | CEN | `AttachCenChildInstance`, `DetachCenChildInstance`, `DescribeCenAttachedChildInstances`, `DescribeCenAttachedChildInstanceAttribute` | |
//! | CEN | `CreateTransitRouter` (one per CEN instance and region, with its system route table), `ListTransitRouters` (paging), `DeleteTransitRouter` | |
//! | CEN | `Create…`, `List…` (`NextToken`), `Delete…` `TransitRouter{Vpc,Vbr,Peer,Vpn,Ecr}Attachment(s)` | |
//! | CEN | `CreateTransitRouterRouteTable`, `ListTransitRouterRouteTables` (`NextToken`), `DeleteTransitRouterRouteTable` | |
//! | CEN | `CreateCenBandwidthPackage`, `DescribeCenBandwidthPackages`, `AssociateCenBandwidthPackage`, `UnassociateCenBandwidthPackage`, `DeleteCenBandwidthPackage` | `Idle`, `InUse` |
//! | CEN | `TagResources`, `UntagResources`, `ListTagResources` (`cen`, `bandwidthpackage` checked, other types kept as given) | |
//!
//! Every other operation of either spec answers `200` with a body shaped by
//! its response spec, filled with sample values; every answer, stateful or
//! not, carries every field of its response shape.
//!
//! # States that move, and the clock they move by
//!
//! A write starts a change: the resource passes through its transitional
//! statuses, which share the settle time ([`EmulatorBuilder::settle_time`]),
//! and reaches its end when the settle time is over; the tables of
//! [`cdn::transitions`] and [`cen::transitions`] give every move (they are
//! `specs/waiters.md`'s). Names starting with `fail-config.` (CDN) or
//! `fail-` (CEN) take the failure path, so that waiters' failure states can
//! be tested.
//!
//! Changes follow the state clock ([`state_clock`]). By default it is the
//! real clock; with [`EmulatorBuilder::manual_clock`] it stands still until
//! the test moves it with [`RunningEmulator::advance`], so a test creates a
//! resource, sees it `Creating`, advances by the settle time and sees it
//! `Active`, without sleeping. Requests are always judged by the real
//! clock (plus [`EmulatorBuilder::clock_skew_secs`]), whatever the state
//! clock shows.
//!
#![warn(missing_docs)]
#![warn(rustdoc::broken_intra_doc_links)]

pub mod catalogue;
pub mod cdn;
pub mod cen;
pub mod clock;
pub mod fault;
mod gate;
pub mod incoming;
pub mod keys;
pub mod nonce;
mod operation_params;
pub mod params;
pub mod product;
pub mod refusal;
pub mod reply;
pub mod rng;
pub mod sample;
mod server;
pub mod service;
mod signature;
pub mod state;
pub mod state_clock;
pub mod timestamp;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use fault::FaultConfig;
pub use incoming::Incoming;
pub use keys::KeyRing;
pub use nonce::{DEFAULT_NONCE_CAPACITY, DEFAULT_NONCE_MEMORY, MAX_NONCE_BYTES};
pub use product::{ProductHandler, Registry, RegistryError};
pub use reply::{ApiError, Format, Reply};
pub use service::{Service, ServiceConfig};

/// The API specs the emulator checks requests against and builds answers
/// from: `aliapi-spec`'s merged model, official facts included, the same
/// one the product crates are generated from.
pub use aliapi_spec as spec;

/// The key id accepted when no key is configured.
pub const DEFAULT_ACCESS_KEY_ID: &str = "emulator-access-key-id";

/// The secret of [`DEFAULT_ACCESS_KEY_ID`]. It protects nothing: the
/// emulator only listens on loopback and holds no real data.
pub const DEFAULT_ACCESS_KEY_SECRET: &str = "emulator-access-key-secret";

/// How long asynchronous changes take unless configured otherwise.
pub const DEFAULT_SETTLE_TIME: Duration = Duration::from_secs(1);

/// What can go wrong when starting the emulator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// The listening socket could not be opened.
    #[error("cannot listen on {addr}: {source}; pick another port or free this one")]
    Bind {
        /// The address that was tried.
        addr: SocketAddr,
        /// Why it failed.
        source: std::io::Error,
    },
    /// The state file could not be read or written.
    #[error("state file {}: {reason}", path.display())]
    StateFile {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// A product could not be registered.
    #[error("cannot register the product: {0}")]
    Product(#[from] RegistryError),
}

/// Entry point: `Emulator::builder()`.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// A builder with no keys (so the default pair), no faults, no state
    /// file, and a free loopback port.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }
}

/// Configures an emulator before starting it.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    keys: KeyRing,
    products: Registry,
    product_error: Option<RegistryError>,
    nonce_memory: usize,
    faults: FaultConfig,
    state_file: Option<PathBuf>,
    settle_time: Duration,
    nonce_capacity: usize,
    port: u16,
    clock_skew_secs: i64,
    manual_clock: bool,
}

impl Default for EmulatorBuilder {
    fn default() -> EmulatorBuilder {
        EmulatorBuilder {
            keys: KeyRing::new(),
            products: Registry::builtin(),
            product_error: None,
            nonce_memory: DEFAULT_NONCE_MEMORY,
            faults: FaultConfig::none(),
            state_file: None,
            settle_time: DEFAULT_SETTLE_TIME,
            nonce_capacity: DEFAULT_NONCE_CAPACITY,
            port: 0,
            clock_skew_secs: 0,
            manual_clock: false,
        }
    }
}

impl EmulatorBuilder {
    /// Accepts the long-lived key `id` / `secret` (repeatable). Once any key
    /// is given, the default pair is no longer accepted.
    pub fn key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.keys.insert(id, secret);
        self
    }

    /// Accepts the temporary key `id` / `secret`, which must be sent with
    /// `SecurityToken=token`.
    pub fn sts_key(
        mut self,
        id: impl Into<String>,
        secret: impl Into<String>,
        token: impl Into<String>,
    ) -> Self {
        self.keys.insert_sts(id, secret, token);
        self
    }

    /// Injects faults as configured.
    pub fn faults(mut self, faults: FaultConfig) -> Self {
        self.faults = faults;
        self
    }

    /// Loads state from `path` at start (a missing file is an empty state)
    /// and saves it there atomically after every change.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// How long a change takes to settle: a new domain to go online, a CEN
    /// instance to become active or go away, a refresh task to complete
    /// (default [`DEFAULT_SETTLE_TIME`]; zero makes every change
    /// immediate). The transitional statuses of a change share it.
    pub fn settle_time(mut self, settle: Duration) -> Self {
        self.settle_time = settle;
        self
    }

    /// The most nonces remembered at once (default
    /// [`DEFAULT_NONCE_CAPACITY`]).
    pub fn nonce_capacity(mut self, capacity: usize) -> Self {
        self.nonce_capacity = capacity;
        self
    }

    /// The most bytes the nonce memory may take (default
    /// [`DEFAULT_NONCE_MEMORY`]); past it, the soonest to expire are
    /// forgotten first.
    pub fn nonce_memory(mut self, bytes: usize) -> Self {
        self.nonce_memory = bytes;
        self
    }

    /// Answers for one more product, besides CDN and CEN. A product whose
    /// code or version is already taken is refused when the emulator is
    /// built or started.
    pub fn product<H: ProductHandler>(mut self, handler: H) -> Self {
        if let Err(e) = self.products.register(handler)
            && self.product_error.is_none()
        {
            self.product_error = Some(e);
        }
        self
    }

    /// Listens on this loopback port (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Runs the emulator's clock `secs` seconds ahead of the host's
    /// (negative: behind). Timestamps are judged against that clock and the
    /// `Date` header shows it, so clients' skew correction can be tested.
    pub fn clock_skew_secs(mut self, secs: i64) -> Self {
        self.clock_skew_secs = secs;
        self
    }

    /// Moves resource states by a clock that stands still until the test
    /// moves it with [`RunningEmulator::advance`] (or
    /// [`Service::advance`]), so that each transitional state can be
    /// observed without sleeping. Requests are still judged by the real
    /// clock (plus [`clock_skew_secs`](Self::clock_skew_secs)); see
    /// [`state_clock`].
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), aliapi_emulator::EmulatorError> {
    /// use std::time::Duration;
    ///
    /// let settle = Duration::from_secs(5);
    /// let emulator = aliapi_emulator::Emulator::builder()
    ///     .settle_time(settle)
    ///     .manual_clock()
    ///     .start()
    ///     .await?;
    /// // CreateCen → the instance is `Creating`, however long the test takes.
    /// emulator.advance(settle);
    /// // Now it is `Active`.
    /// # Ok(()) }
    /// ```
    pub fn manual_clock(mut self) -> Self {
        self.manual_clock = true;
        self
    }

    /// The service logic alone, without a server: for driving requests
    /// directly in tests.
    pub fn build_service(self) -> Result<Service, EmulatorError> {
        if let Some(e) = self.product_error {
            return Err(e.into());
        }
        let mut keys = self.keys;
        if keys.is_empty() {
            keys.insert(DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET);
        }
        Service::new(ServiceConfig {
            keys,
            products: self.products,
            nonce_capacity: self.nonce_capacity,
            nonce_memory: self.nonce_memory,
            settle_time: self.settle_time,
            faults: self.faults,
            state_file: self.state_file,
            clock_skew_secs: self.clock_skew_secs,
            manual_clock: self.manual_clock,
        })
    }

    /// Binds `127.0.0.1:<port>` and serves on the current Tokio runtime
    /// until the returned handle is shut down or dropped.
    pub async fn start(self) -> Result<RunningEmulator, EmulatorError> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let service = Arc::new(self.build_service()?);
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| EmulatorError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind { addr, source })?;
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(server::serve(listener, service.clone(), rx));
        Ok(RunningEmulator {
            addr,
            service,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
}

/// A running emulator. Dropping it stops the server.
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    service: Arc<Service>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningEmulator {
    /// The base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The service behind the server, e.g. to inspect its state.
    pub fn service(&self) -> &Service {
        &self.service
    }

    /// Moves the state clock ahead by `by`: every change due by then
    /// happens, as the next call sees it. See [`Service::advance`].
    pub fn advance(&self, by: Duration) {
        self.service.advance(by);
    }

    /// Stops accepting connections, drops open ones, and waits for the
    /// server task to end.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
