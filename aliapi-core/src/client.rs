//! [`Client`]: signs, sends and decodes calls; shared by every product.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::action::{Method, RpcAction};
use crate::credentials::{
    Credentials, CredentialsError, DefaultCredentialsChain, ProvideCredentials,
    SharedCredentialsProvider,
};
use crate::decode::{self, Format};
use crate::endpoint::{EndpointOverrides, EndpointRule};
use crate::error::{Error, ServiceError, SignatureDiagnosis};
use crate::generic::GenericRequest;
use crate::params::{Location, ParamWriter};
use crate::request::{CallInfo, prepare, redact_token, sign_attempt, sign_attempt_v3};
use crate::retry::{self, RetryBudget, RetryConfig, is_read_only};
use crate::sign::SignatureVersion;
use crate::transport::{self, HttpSettings};
use aliapi_wire::time::parse_http_date;

/// The env variable naming the default region.
pub const REGION_ENV: &str = "ALIBABA_CLOUD_REGION_ID";

/// A client for Alibaba Cloud RPC APIs, shared by all products.
///
/// Cheap to clone: clones share one connection pool and one credentials
/// provider. Build it with [`Client::from_env`] or [`Client::builder`].
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: CallOptions,
}

struct Inner {
    http: reqwest::Client,
    settings: HttpSettings,
    credentials: Option<SharedCredentialsProvider>,
    region: Option<String>,
    endpoints: EndpointOverrides,
    format: Format,
    signature_version: SignatureVersion,
    retry: RetryConfig,
    budget: RetryBudget,
    /// Seconds to add to the local clock, learned from a server that said
    /// our timestamp was out of its window.
    clock_offset: AtomicI64,
}

/// Limits that can differ from call to call (see [`Client::with_attempt_timeout`]).
#[derive(Debug, Clone, Copy, Default)]
struct CallOptions {
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    max_attempts: Option<u32>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("credentials", &i.credentials)
            .field("region", &i.region)
            .field("endpoints", &i.endpoints)
            .field("format", &i.format)
            .field("connect_timeout", &i.settings.connect_timeout)
            .field("read_timeout", &i.settings.read_timeout)
            .field("retry", &i.retry)
            .field("attempt_timeout", &self.options.attempt_timeout)
            .field("operation_timeout", &self.options.operation_timeout)
            .finish()
    }
}

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    credentials: Option<SharedCredentialsProvider>,
    region: Option<String>,
    endpoints: EndpointOverrides,
    format: Format,
    signature_version: SignatureVersion,
    settings: HttpSettings,
    retry: RetryConfig,
    options: CallOptions,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            credentials: None,
            region: None,
            endpoints: EndpointOverrides::default(),
            format: Format::Json,
            signature_version: SignatureVersion::V1,
            settings: HttpSettings {
                connect_timeout: Duration::from_secs(5),
                read_timeout: Duration::from_secs(10),
                user_agent: transport::USER_AGENT.to_owned(),
                ca_bundle: None,
            },
            retry: RetryConfig::default(),
            options: CallOptions::default(),
        }
    }
}

impl ClientBuilder {
    /// Signs with credentials from `provider`, e.g. [`Credentials::new`].
    pub fn credentials(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Signs with credentials from an already shared provider.
    pub fn shared_credentials(mut self, provider: SharedCredentialsProvider) -> Self {
        self.credentials = Some(provider);
        self
    }

    /// The region, e.g. `cn-hangzhou`; it picks regional endpoints.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends every product's calls to `url`, e.g. `http://127.0.0.1:8080`.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoints.all = Some(url.into());
        self
    }

    /// Sends the calls of `product` (e.g. `Cdn`) to `url`; wins over
    /// [`ClientBuilder::endpoint_url`].
    pub fn product_endpoint_url(mut self, product: &str, url: impl Into<String>) -> Self {
        self.endpoints
            .by_product
            .insert(product.to_ascii_uppercase(), url.into());
        self
    }

    /// Asks for XML answers instead of JSON; typed responses decode either way.
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// How long to wait for a connection (default 5 s).
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.settings.connect_timeout = limit;
        self
    }

    /// How long to wait for each read of the answer (default 10 s).
    pub fn read_timeout(mut self, limit: Duration) -> Self {
        self.settings.read_timeout = limit;
        self
    }

    /// Which signature to put on requests (default [`SignatureVersion::V1`]).
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature_version = version;
        self
    }

    /// The retry policy (default: 3 attempts; see [`RetryConfig`]).
    pub fn retry(mut self, config: RetryConfig) -> Self {
        self.retry = config;
        self
    }

    /// Limits each attempt (connect, send and read the whole answer) to
    /// `limit`; a late attempt fails with [`Error::Timeout`] and may be retried.
    pub fn attempt_timeout(mut self, limit: Duration) -> Self {
        self.options.attempt_timeout = Some(limit);
        self
    }

    /// Limits a whole call, retries and backoff included, to `limit`.
    pub fn operation_timeout(mut self, limit: Duration) -> Self {
        self.options.operation_timeout = Some(limit);
        self
    }

    /// Trusts the certificates of a PEM bundle besides the system's roots,
    /// e.g. for a TLS-inspecting proxy.
    pub fn ca_bundle_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.settings.ca_bundle = Some(pem.into());
        self
    }

    /// Appends `suffix` to the user agent, to name your application.
    pub fn user_agent_suffix(mut self, suffix: &str) -> Self {
        self.settings.user_agent = format!("{} {suffix}", transport::USER_AGENT);
        self
    }

    /// Fills what was not set explicitly from the environment: credentials
    /// from the default chain ([`DefaultCredentialsChain`]: environment
    /// variables, OIDC, the CLI profile, the credentials file, the ECS
    /// instance role, a credentials URI), the region from
    /// `ALIBABA_CLOUD_REGION_ID`, endpoint overrides from
    /// `ALIBABA_CLOUD_ENDPOINT_URL` and `ALIBABA_CLOUD_ENDPOINT_URL_<PRODUCT>`.
    pub fn with_env(mut self) -> Self {
        if self.credentials.is_none() {
            self.credentials = Some(Arc::new(DefaultCredentialsChain::new()));
        }
        if self.region.is_none() {
            self.region = std::env::var(REGION_ENV)
                .ok()
                .filter(|r| !r.trim().is_empty());
        }
        let mut from_env = EndpointOverrides::from_env();
        from_env.merge(std::mem::take(&mut self.endpoints));
        self.endpoints = from_env;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        for url in self
            .endpoints
            .all
            .iter()
            .chain(self.endpoints.by_product.values())
        {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Error::Config(format!(
                    "endpoint override {url:?} must be a full URL such as http://127.0.0.1:8080"
                )));
            }
        }
        let http = transport::build_http_client(&self.settings)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                settings: self.settings,
                credentials: self.credentials,
                region: self.region,
                endpoints: self.endpoints,
                format: self.format,
                signature_version: self.signature_version,
                budget: RetryBudget::new(self.retry.budget),
                retry: self.retry,
                clock_offset: AtomicI64::new(0),
            }),
            options: self.options,
        })
    }
}

impl Client {
    /// A builder with nothing read from the environment.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment; see [`ClientBuilder::with_env`].
    pub fn from_env() -> Result<Client, Error> {
        Client::builder().with_env().build()
    }

    /// A client sharing this one's connections and credentials whose calls
    /// limit each attempt to `limit`.
    pub fn with_attempt_timeout(&self, limit: Duration) -> Client {
        let mut c = self.clone();
        c.options.attempt_timeout = Some(limit);
        c
    }

    /// A client sharing this one's connections and credentials whose calls
    /// take at most `limit` in all, retries included.
    pub fn with_operation_timeout(&self, limit: Duration) -> Client {
        let mut c = self.clone();
        c.options.operation_timeout = Some(limit);
        c
    }

    /// A client sharing this one's connections and credentials whose calls
    /// make at most `attempts` attempts.
    pub fn with_max_attempts(&self, attempts: u32) -> Client {
        let mut c = self.clone();
        c.options.max_attempts = Some(attempts.max(1));
        c
    }

    /// The region calls are made in, if set.
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// Calls the operation `action` describes and decodes its answer.
    pub async fn send<A: RpcAction>(&self, action: &A) -> Result<A::Response, Error> {
        self.send_raw(action).await?.decode()
    }

    /// Calls the operation and returns the answer undecoded, for fields the
    /// typed response lacks.
    pub async fn send_raw<A: RpcAction>(&self, action: &A) -> Result<RawResponse, Error> {
        let (call, mut params) = prepare(action)?;
        // A write that carries a client token is applied once however often
        // it is sent: give it one so that it can be retried safely.
        if A::ACCEPTS_CLIENT_TOKEN && !params.contains(CLIENT_TOKEN) {
            params.push(
                CLIENT_TOKEN,
                &uuid::Uuid::new_v4().to_string(),
                Location::Query,
            );
        }
        let base = self.base_url(A::PRODUCT, &A::ENDPOINT);
        self.execute(call, &params, &base).await
    }

    /// Calls an operation described at run time, as the official SDKs'
    /// "common request" does, and returns the answer as a JSON tree.
    pub async fn call(&self, request: &GenericRequest) -> Result<serde_json::Value, Error> {
        self.call_raw(request).await?.json()
    }

    /// Like [`Client::call`], undecoded.
    pub async fn call_raw(&self, request: &GenericRequest) -> Result<RawResponse, Error> {
        let call = CallInfo {
            product: &request.product,
            version: &request.version,
            action: &request.action,
            method: request.method,
        };
        let base = match self.inner.endpoints.override_for(&request.product) {
            Some(url) => url.to_owned(),
            None => match &request.host {
                Some(host) => format!("https://{host}"),
                None => format!(
                    "https://{}.aliyuncs.com",
                    request.product.to_ascii_lowercase()
                ),
            },
        };
        self.execute(call, &request.params, &base).await
    }

    fn base_url(&self, product: &str, rule: &EndpointRule) -> String {
        let i = &self.inner;
        i.endpoints.base_url(product, rule, i.region.as_deref())
    }

    async fn credentials(&self) -> Result<Credentials, Error> {
        match &self.inner.credentials {
            Some(provider) => Ok(provider.provide_credentials().await?),
            None => Err(CredentialsError::NotFound {
                provider: "client",
                reason: "no credentials were configured: use Client::from_env() or ClientBuilder::credentials".into(),
            }
            .into()),
        }
    }

    async fn execute(
        &self,
        call: CallInfo<'_>,
        params: &ParamWriter,
        base: &str,
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
        let attempts = self.attempts(call, params, base, &span);
        let result = match self.options.operation_timeout {
            Some(limit) => match tokio::time::timeout(limit, attempts).await {
                Ok(result) => result,
                Err(_) => Err(Error::Timeout {
                    which: "operation",
                    limit,
                    attempts: 0,
                }),
            },
            None => attempts.await,
        };
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(raw) => {
                span.record("status", raw.status);
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
                let _guard = span.enter();
                tracing::debug!(error = %e, "call failed");
            }
        }
        result
    }

    /// The retry loop: every attempt is signed anew (fresh nonce and
    /// timestamp); see [`crate::retry`] for what is retried.
    async fn attempts(
        &self,
        call: CallInfo<'_>,
        params: &ParamWriter,
        base: &str,
        span: &tracing::Span,
    ) -> Result<RawResponse, Error> {
        let i = &self.inner;
        let max_attempts = self
            .options
            .max_attempts
            .unwrap_or(i.retry.max_attempts)
            .max(1);
        let idempotent = is_read_only(call.action) || params.contains(CLIENT_TOKEN);
        let mut corrected_clock = false;
        let mut attempt = 1;
        loop {
            span.record("attempt", attempt);
            let once = self
                .attempt(call, params, base, attempt)
                .instrument(span.clone());
            let result = match self.options.attempt_timeout {
                Some(limit) => {
                    tokio::time::timeout(limit, once)
                        .await
                        .unwrap_or(Err(Error::Timeout {
                            which: "attempt",
                            limit,
                            attempts: 1,
                        }))
                }
                None => once.await,
            };
            let mut error = match result {
                Ok(raw) => {
                    i.budget.refund();
                    return Ok(raw);
                }
                Err(e) => e,
            };
            // The server refused our timestamp and told us its time: sign
            // again with the corrected clock, once, whatever the policy.
            if error.code() == Some(TIMESTAMP_EXPIRED)
                && !corrected_clock
                && attempt < max_attempts.max(2)
            {
                corrected_clock = true;
                attempt += 1;
                continue;
            }
            let failure = retry::classify(&error);
            let retry = attempt < max_attempts
                && retry::may_retry(failure, idempotent)
                && i.budget.try_acquire(&error);
            if !retry {
                error.set_attempts(attempt);
                return Err(error);
            }
            let delay = retry::backoff(&i.retry, failure, attempt + 1, jitter());
            tracing::debug!(parent: span, attempt, error = %error, delay_ms = delay.as_millis() as u64, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One signed attempt: sign, send, read, classify.
    async fn attempt(
        &self,
        call: CallInfo<'_>,
        params: &ParamWriter,
        base: &str,
        attempt: u32,
    ) -> Result<RawResponse, Error> {
        let i = &self.inner;
        let credentials = self.credentials().await?;
        let offset = i.clock_offset.load(Ordering::Relaxed);
        let now = if offset >= 0 {
            SystemTime::now() + Duration::from_secs(offset as u64)
        } else {
            SystemTime::now() - Duration::from_secs(offset.unsigned_abs())
        };
        let signed = match i.signature_version {
            SignatureVersion::V3 => {
                sign_attempt_v3(&call, params, &credentials, authority(base), now)
            }
            _ => sign_attempt(&call, params, &credentials, i.format, now),
        };
        tracing::debug!(
            attempt,
            string_to_sign = %redact_token(&signed.string_to_sign, credentials.security_token()),
            "signed request"
        );
        let url = format!("{base}/?{}", signed.query);
        let method = match call.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut request = i.http.request(method, url);
        for (name, value) in signed.headers() {
            request = request.header(name, value);
        }
        if let Some(body) = signed.body.clone() {
            request = request
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| transport::map_error(e, &i.settings))?;
        let status = response.status().as_u16();
        // Read only for errors: it serves clock-skew correction.
        let server_date = (status >= 400)
            .then(|| response.headers().get(reqwest::header::DATE))
            .flatten()
            .and_then(|d| d.to_str().ok())
            .and_then(parse_http_date);
        let body = response
            .bytes()
            .await
            .map_err(|e| transport::map_error(e, &i.settings))?;
        if status < 400 {
            return Ok(RawResponse {
                status,
                body,
                format: i.format,
            });
        }
        let error = error_from_answer(
            status,
            &body,
            i.format,
            &signed.string_to_sign,
            credentials.security_token(),
        );
        if error.code() == Some(TIMESTAMP_EXPIRED)
            && let Some(server) = server_date
        {
            let skew = match server.duration_since(SystemTime::now()) {
                Ok(ahead) => ahead.as_secs() as i64,
                Err(behind) => -(behind.duration().as_secs() as i64),
            };
            tracing::warn!(
                skew_seconds = skew,
                "local clock is off; correcting from the server's Date header"
            );
            i.clock_offset.store(skew, Ordering::Relaxed);
        }
        Err(error)
    }
}

/// `host[:port]` of a base URL such as `https://cdn.aliyuncs.com`.
fn authority(base: &str) -> &str {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

/// The code of a refusal for a timestamp out of the server's window.
const TIMESTAMP_EXPIRED: &str = "InvalidTimeStamp.Expired";

/// The param that makes a write idempotent.
const CLIENT_TOKEN: &str = "ClientToken";

/// A number in `[0, 1)` for backoff jitter; the nonce generator's
/// randomness serves, so no RNG crate is needed.
fn jitter() -> f64 {
    let (high, _) = uuid::Uuid::new_v4().as_u64_pair();
    (high >> 11) as f64 / (1u64 << 53) as f64
}

/// Classifies an answer with an error status.
fn error_from_answer(
    status: u16,
    body: &[u8],
    format: Format,
    string_to_sign: &str,
    token: Option<&str>,
) -> Error {
    let tree = match decode::parse_tree(body, format) {
        Ok(tree) => tree,
        Err(reason) => {
            return Error::Decode {
                status,
                reason,
                body_start: decode::body_start(body),
                attempts: 1,
            };
        }
    };
    let Some(mut service) = decode::service_error(status, &tree) else {
        return Error::Decode {
            status,
            reason: "an error status without an error code".into(),
            body_start: decode::body_start(body),
            attempts: 1,
        };
    };
    service.message = redact_token(&service.message, token);
    if matches!(
        service.code.as_str(),
        "SignatureDoesNotMatch" | "IncompleteSignature"
    ) {
        service.signature = Some(diagnose_signature(&service, string_to_sign, token));
    }
    Error::Service(Box::new(service))
}

/// Compares the server's string to sign (quoted at the end of its message)
/// with ours.
fn diagnose_signature(
    service: &ServiceError,
    ours: &str,
    token: Option<&str>,
) -> SignatureDiagnosis {
    const MARKER: &str = "server string to sign is:";
    let Some(at) = service.message.find(MARKER) else {
        return SignatureDiagnosis::Unknown;
    };
    // The message was redacted already; compare like with like.
    let theirs = service.message[at + MARKER.len()..].trim();
    let ours = redact_token(ours, token);
    if theirs == ours {
        return SignatureDiagnosis::WrongSecret;
    }
    let first_difference = theirs
        .bytes()
        .zip(ours.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(theirs.len().min(ours.len()));
    SignatureDiagnosis::StringToSignDiffers {
        client: ours,
        server: theirs.to_owned(),
        first_difference,
    }
}

/// A successful answer, undecoded.
#[derive(Debug, Clone)]
pub struct RawResponse {
    status: u16,
    body: Bytes,
    format: Format,
}

impl RawResponse {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The `RequestId` of the answer, when it has one.
    pub fn request_id(&self) -> Option<String> {
        let tree = decode::parse_tree(&self.body, self.format).ok()?;
        tree.get("RequestId")?.as_str().map(str::to_owned)
    }

    /// Decodes the body into `T`, leniently (numbers as strings and so on).
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode::decode_body(&self.body, self.format).map_err(|reason| self.decode_error(reason))
    }

    /// The body as a JSON tree (XML answers are converted).
    pub fn json(&self) -> Result<serde_json::Value, Error> {
        decode::parse_tree(&self.body, self.format).map_err(|reason| self.decode_error(reason))
    }

    fn decode_error(&self, reason: String) -> Error {
        Error::Decode {
            status: self.status,
            reason,
            body_start: decode::body_start(&self.body),
            attempts: 1,
        }
    }
}
