//! [`Client`]: sends calls of every product, one shared configuration and
//! connection pool behind cheap clones.
//!
//! The path of one call, one module per arrow (see [`invoke`]):
//!
//! ```text
//! send(&action) ─▶ params ─▶ sign ─▶ transport ─▶ decode ─▶ typed answer
//!                     └── retry::decide after each failed attempt ──┘
//! ```

mod builder;
mod invoke;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::time::Duration;

use crate::action::{Call, RpcAction, prepare};
use crate::clock::SharedTimeSource;
use crate::credentials::{Credentials, CredentialsError, SharedCredentialsProvider};
use crate::decode::{Format, RawResponse};
use crate::endpoint::{ENDPOINT_URL_ENV, EndpointOverrides, EndpointRule};
use crate::error::Error;
use crate::generic::GenericRequest;
use crate::params::{Location, ParamWriter};
use crate::retry::{RetryBudget, RetryConfig};
use crate::sign::{Presigner, SignatureVersion, SignedRequest};
use crate::transport::Transport;

pub use builder::{ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT};

/// A client for Alibaba Cloud RPC APIs, shared by all products.
///
/// Cheap to clone: clones share one connection pool, one credentials
/// provider and one retry budget. Build it with [`Client::from_env`] or
/// [`Client::builder`]; the `with_*` methods give a clone whose calls differ
/// in one setting (a timeout, the region, the endpoint).
///
/// ```no_run
/// use std::time::Duration;
/// use aliapi_core::{Client, GenericRequest};
///
/// # async fn run() -> Result<(), aliapi_core::Error> {
/// let client = Client::from_env()?;
/// let answer = client
///     .with_operation_timeout(Duration::from_secs(5))
///     .call(&GenericRequest::new("Cdn", "2018-05-10", "DescribeRefreshQuota"))
///     .await?;
/// println!("{answer}");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: CallOptions,
}

struct Inner {
    transport: Transport,
    signer: Signer,
    region: Option<String>,
    endpoints: EndpointOverrides,
    format: Format,
    retry: RetryConfig,
    budget: RetryBudget,
    max_response_bytes: u64,
    time: SharedTimeSource,
    /// Seconds to add to the local clock, learned from a server that said
    /// our timestamp was out of its window.
    clock_offset: AtomicI64,
}

/// Who signs the client's calls.
#[derive(Debug)]
enum Signer {
    /// Keys from `provider`, signed in `version`.
    Keys {
        provider: SharedCredentialsProvider,
        version: SignatureVersion,
    },
    /// No credentials were configured: every call fails before it is sent.
    Missing,
    /// Calls go out unsigned (STS `AssumeRoleWithOIDC`).
    Unsigned,
}

/// Settings that can differ from call to call (see the `with_*` methods).
#[derive(Debug, Clone, Default)]
struct CallOptions {
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    max_attempts: Option<u32>,
    endpoint_url: Option<Arc<str>>,
    region: Option<Arc<str>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // What this client's calls use: a clone's own settings where it has
        // them (`with_endpoint_url`, `with_max_attempts`, …), else the
        // shared ones.
        let i = &self.inner;
        let mut d = f.debug_struct("Client");
        d.field("signer", &i.signer).field("region", &self.region());
        match &self.options.endpoint_url {
            Some(url) => d.field("endpoint_url", url),
            None => d.field("endpoints", &i.endpoints),
        };
        d.field("format", &i.format)
            .field("transport", &i.transport)
            .field(
                "max_attempts",
                &self.options.max_attempts.unwrap_or(i.retry.max_attempts),
            )
            .field("retry", &i.retry)
            .field("attempt_timeout", &self.options.attempt_timeout)
            .field("operation_timeout", &self.options.operation_timeout)
            .field("max_response_bytes", &i.max_response_bytes)
            .finish()
    }
}

/// The param that makes a write idempotent.
const CLIENT_TOKEN: &str = "ClientToken";

impl Client {
    /// A builder with nothing read from the environment.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client sharing this one's connections and credentials whose calls
    /// limit each attempt to `limit` (`None`: no limit beyond the
    /// connect and read timeouts).
    pub fn with_attempt_timeout(&self, limit: impl Into<Option<Duration>>) -> Client {
        let mut c = self.clone();
        c.options.attempt_timeout = limit.into();
        c
    }

    /// A client sharing this one's connections and credentials whose calls
    /// take at most `limit` in all, retries included (`None`: no limit).
    pub fn with_operation_timeout(&self, limit: impl Into<Option<Duration>>) -> Client {
        let mut c = self.clone();
        c.options.operation_timeout = limit.into();
        c
    }

    /// A client sharing this one's connections and credentials whose calls
    /// make at most `attempts` attempts.
    pub fn with_max_attempts(&self, attempts: u32) -> Client {
        let mut c = self.clone();
        c.options.max_attempts = Some(attempts.max(1));
        c
    }

    /// A client sharing this one's connections and credentials whose calls
    /// go to `region`'s endpoints.
    pub fn with_region(&self, region: impl Into<String>) -> Client {
        let mut c = self.clone();
        c.options.region = Some(Arc::from(region.into()));
        c
    }

    /// A client sharing this one's connections and credentials whose calls,
    /// of every product, go to `url` (e.g. `http://127.0.0.1:8080`).
    ///
    /// A URL that is not `http://` or `https://` makes every call fail with
    /// [`Error::Config`].
    pub fn with_endpoint_url(&self, url: impl Into<String>) -> Client {
        let mut c = self.clone();
        let url = url.into();
        c.options.endpoint_url = Some(Arc::from(url.trim_end_matches('/')));
        c
    }

    /// The region calls are made in, if set.
    pub fn region(&self) -> Option<&str> {
        self.options
            .region
            .as_deref()
            .or(self.inner.region.as_deref())
    }

    /// Calls the operation `action` describes and decodes its answer.
    ///
    /// ```no_run
    /// use aliapi_core::{Client, rpc_action};
    ///
    /// #[rpc_action(product = "Cdn", version = "2018-05-10", method = "GET")]
    /// pub struct DescribeRefreshQuota {}
    ///
    /// #[derive(Debug, Default, serde::Deserialize)]
    /// #[serde(default, rename_all = "PascalCase")]
    /// pub struct DescribeRefreshQuotaResponse {
    ///     pub url_remain: Option<i64>,
    /// }
    ///
    /// # async fn run() -> Result<(), aliapi_core::Error> {
    /// let client = Client::from_env()?;
    /// let quota = client.send(&DescribeRefreshQuota::new()).await?;
    /// println!("{:?} URL refreshes left today", quota.url_remain);
    /// # Ok(()) }
    /// ```
    pub async fn send<A: RpcAction>(&self, action: &A) -> Result<A::Response, Error> {
        self.prepare_typed(action)?
            .invoke(self, &[])
            .await?
            .decode()
    }

    /// Calls the operation and returns the answer undecoded, for fields the
    /// typed response lacks.
    pub async fn send_raw<A: RpcAction>(&self, action: &A) -> Result<RawResponse, Error> {
        self.prepare_typed(action)?.invoke(self, &[]).await
    }

    /// [`send`](Self::send), with more secrets to keep out of every error
    /// and log line (an OIDC token sent as a param).
    pub(crate) async fn send_hiding<A: RpcAction>(
        &self,
        action: &A,
        hide: &[&str],
    ) -> Result<A::Response, Error> {
        self.prepare_typed(action)?
            .invoke(self, hide)
            .await?
            .decode()
    }

    /// Everything a typed call needs before its first attempt. Synchronous
    /// on purpose: each `send*` above awaits the non-generic
    /// [`Prepared::invoke`] itself, so an operation costs its user's build
    /// one async state machine instead of a chain of three (BENCHMARKS.md,
    /// Build, has the count).
    fn prepare_typed<'a, A: RpcAction>(&self, action: &'a A) -> Result<Prepared<'a>, Error> {
        let (call, mut params) = prepare(action)?;
        // A write that carries a client token is applied once however often
        // it is sent: give it one so that it can be retried safely.
        if A::ACCEPTS_CLIENT_TOKEN && !params.contains(CLIENT_TOKEN) {
            params.push(
                CLIENT_TOKEN,
                aliapi_wire::nonce::uuid_v4().as_str(),
                Location::Query,
            );
        }
        let idempotent =
            A::IDEMPOTENT || crate::retry::is_read_only(A::ACTION) || params.contains(CLIENT_TOKEN);
        let base = self.base_url(A::PRODUCT, &A::ENDPOINT)?;
        Ok(Prepared {
            call,
            params,
            base,
            idempotent,
        })
    }

    /// Calls an operation described at run time, as the official SDKs'
    /// "common request" does, and returns the answer as a JSON tree.
    ///
    /// ```no_run
    /// use aliapi_core::{Client, GenericRequest, Method};
    ///
    /// # async fn run() -> Result<(), aliapi_core::Error> {
    /// let client = Client::from_env()?;
    /// let tree = client
    ///     .call(
    ///         &GenericRequest::new("Cdn", "2018-05-10", "DescribeCdnDomainDetail")
    ///             .method(Method::Get)
    ///             .param("DomainName", "example.com"),
    ///     )
    ///     .await?;
    /// println!("{}", tree["GetDomainDetailModel"]["DomainStatus"]);
    /// # Ok(()) }
    /// ```
    pub async fn call(&self, request: &GenericRequest) -> Result<serde_json::Value, Error> {
        self.call_raw(request).await?.json()
    }

    /// Like [`Client::call`], undecoded.
    pub async fn call_raw(&self, request: &GenericRequest) -> Result<RawResponse, Error> {
        let call = Call {
            product: &request.product,
            version: &request.version,
            action: &request.action,
            method: request.method,
            typed: None,
        };
        let base = match self.override_for(&request.product)? {
            Some(url) => url,
            None => match &request.host {
                Some(host) => format!("https://{host}"),
                None => format!(
                    "https://{}.aliyuncs.com",
                    request.product.to_ascii_lowercase()
                ),
            },
        };
        let idempotent =
            crate::retry::is_read_only(&request.action) || request.params.contains(CLIENT_TOKEN);
        self.invoke(call, &request.params, &base, idempotent, &[])
            .await
    }

    /// Signs `action` with this client's credentials, signature version,
    /// format, region and clock correction, without sending it.
    pub async fn presign<A: RpcAction>(&self, action: &A) -> Result<SignedRequest, Error> {
        let credentials = self.credentials().await?;
        let base = self.base_url(A::PRODUCT, &A::ENDPOINT)?;
        let version = match &self.inner.signer {
            Signer::Keys { version, .. } => *version,
            _ => SignatureVersion::V1,
        };
        Presigner::new(credentials)
            .signature_version(version)
            .format(self.inner.format)
            .host(invoke::authority(&base))
            .time(self.now())
            .presign(action)
    }

    /// The URL override that applies to `product`, if any, checked.
    fn override_for(&self, product: &str) -> Result<Option<String>, Error> {
        let url = match &self.options.endpoint_url {
            Some(url) => Some(url.to_string()),
            None => self
                .inner
                .endpoints
                .override_for(product)
                .map(str::to_owned),
        };
        if let Some(u) = &url {
            check_endpoint_override(u)?;
        }
        Ok(url)
    }

    fn base_url(&self, product: &str, rule: &EndpointRule) -> Result<String, Error> {
        Ok(match self.override_for(product)? {
            Some(url) => url,
            None => format!("https://{}", rule.host_for(self.region())),
        })
    }

    /// The credentials to sign with now.
    async fn credentials(&self) -> Result<Credentials, Error> {
        match &self.inner.signer {
            Signer::Keys { provider, .. } => Ok(provider.provide_credentials().await?),
            Signer::Missing | Signer::Unsigned => Err(CredentialsError::NotFound {
                provider: "client",
                reason:
                    "none were configured; use Client::from_env() or ClientBuilder::credentials"
                        .into(),
            }
            .into()),
        }
    }
}

/// A typed call, written and addressed, ready for [`Client::invoke`].
struct Prepared<'a> {
    call: Call<'a>,
    params: ParamWriter,
    base: String,
    idempotent: bool,
}

impl Prepared<'_> {
    /// Sends the call through [`Client::invoke`], the path every typed and
    /// generic call shares.
    async fn invoke(&self, client: &Client, hide: &[&str]) -> Result<RawResponse, Error> {
        client
            .invoke(self.call, &self.params, &self.base, self.idempotent, hide)
            .await
    }
}

/// Refuses an endpoint override that is not a full `http://` or `https://`
/// URL, saying where such a value can come from.
pub(super) fn check_endpoint_override(url: &str) -> Result<(), Error> {
    if url.starts_with("http://") || url.starts_with("https://") {
        return Ok(());
    }
    Err(Error::Config(format!(
        "endpoint override {url:?} (given in code, or by {ENDPOINT_URL_ENV} or \
         {ENDPOINT_URL_ENV}_<PRODUCT>) must be a full URL such as http://127.0.0.1:8080"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn the_client_is_shareable() {
        assert_send_sync::<Client>();
        assert_send_sync::<ClientBuilder>();
        assert_send_sync::<Error>();
        assert_send_sync::<RawResponse>();
    }
}
