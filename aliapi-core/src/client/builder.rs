//! [`ClientBuilder`]: every setting of a [`Client`], with its default.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::time::Duration;

use super::{CallOptions, Client, Inner, Signer};
use crate::clock::SharedTimeSource;
use crate::credentials::{ProvideCredentials, SharedCredentialsProvider};
use crate::decode::Format;
use crate::endpoint::EndpointOverrides;
use crate::error::Error;
use crate::retry::{RetryBudget, RetryConfig};
use crate::sign::SignatureVersion;
use crate::transport::{DEFAULT_MAX_RESPONSE_BYTES, HttpClient, HttpClientBuilder, Transport};

/// How long one attempt may take by default, from connecting to the last
/// byte of the answer: a call can never hang past it, even against a
/// server that drips its answer a byte at a time.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// Credentials that are made only when the client is built, from its HTTP
/// client and clock (the default chain of
/// [`ClientBuilder::with_env`], so that STS calls share the client's
/// connections and settings).
pub(crate) type DeferredCredentials =
    Box<dyn FnOnce(&HttpClient, &SharedTimeSource) -> SharedCredentialsProvider + Send + Sync>;

/// Builds a [`Client`]; every setting has a default.
///
/// ```
/// use std::time::Duration;
/// use aliapi_core::{Client, Credentials, RetryConfig, SignatureVersion};
///
/// let client = Client::builder()
///     .credentials(Credentials::new("my-key-id", "my-secret"))
///     .region("ap-southeast-1")
///     .signature_version(SignatureVersion::V3)
///     .retry(RetryConfig::default().with_max_attempts(5))
///     .operation_timeout(Duration::from_secs(20))
///     .proxy("http://proxy.internal:3128")
///     .user_agent_suffix("my-app/1.2")
///     .build()?;
/// assert_eq!(client.region(), Some("ap-southeast-1"));
/// # Ok::<(), aliapi_core::Error>(())
/// ```
#[must_use]
pub struct ClientBuilder {
    pub(crate) credentials: Option<SharedCredentialsProvider>,
    pub(crate) deferred_credentials: Option<DeferredCredentials>,
    unsigned: bool,
    pub(crate) region: Option<String>,
    pub(crate) endpoints: EndpointOverrides,
    format: Format,
    signature_version: SignatureVersion,
    pub(crate) http_settings: HttpClientBuilder,
    http: Option<HttpClient>,
    /// A test double to send through instead of HTTP.
    #[cfg(feature = "test-util")]
    pub(crate) mock: Option<std::sync::Arc<crate::transport::mock::MockTransport>>,
    retry: RetryConfig,
    max_response_bytes: u64,
    pub(crate) time: SharedTimeSource,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            credentials: None,
            deferred_credentials: None,
            unsigned: false,
            region: None,
            endpoints: EndpointOverrides::default(),
            format: Format::Json,
            signature_version: SignatureVersion::V1,
            http_settings: HttpClientBuilder::default(),
            http: None,
            #[cfg(feature = "test-util")]
            mock: None,
            retry: RetryConfig::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            time: SharedTimeSource::system(),
            attempt_timeout: Some(DEFAULT_ATTEMPT_TIMEOUT),
            operation_timeout: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("default_chain", &self.deferred_credentials.is_some())
            .field("region", &self.region)
            .field("endpoints", &self.endpoints)
            .field("format", &self.format)
            .field("signature_version", &self.signature_version)
            .field("http_settings", &self.http_settings)
            .field("http", &self.http)
            .field("retry", &self.retry)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Signs with credentials from `provider`, e.g.
    /// [`Credentials::new`](crate::Credentials::new) or a provider of
    /// [`providers`](crate::providers).
    pub fn credentials(self, provider: impl ProvideCredentials + 'static) -> Self {
        self.shared_credentials(Arc::new(provider))
    }

    /// Signs with credentials from an already shared provider.
    pub fn shared_credentials(mut self, provider: SharedCredentialsProvider) -> Self {
        self.credentials = Some(provider);
        self.deferred_credentials = None;
        self
    }

    /// Sends calls unsigned, for the few operations that take no signature.
    pub(crate) fn unsigned(mut self) -> Self {
        self.unsigned = true;
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
    /// `limit`; a late attempt fails with [`Error::Timeout`] and may be
    /// retried. Getting the keys before an attempt is not part of it (the
    /// operation timeout covers that too). Default
    /// [`DEFAULT_ATTEMPT_TIMEOUT`] (30 s); `None` lifts the limit, leaving
    /// the connect and read timeouts alone.
    pub fn attempt_timeout(mut self, limit: impl Into<Option<Duration>>) -> Self {
        self.attempt_timeout = limit.into();
        self
    }

    /// Limits a whole call, retries and backoff included, to `limit`
    /// (default: none).
    pub fn operation_timeout(mut self, limit: impl Into<Option<Duration>>) -> Self {
        self.operation_timeout = limit.into();
        self
    }

    /// Reads at most `limit` bytes of an answer (default 16 MiB); a longer
    /// one fails with [`Error::ResponseTooLarge`] as soon as it is known to
    /// be longer, without being buffered.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Tells time by `time` instead of the system clock: the timestamps of
    /// signatures are taken from it (tests move a
    /// [`ManualClock`](crate::clock::ManualClock)).
    pub fn time_source(mut self, time: impl Into<SharedTimeSource>) -> Self {
        self.time = time.into();
        self
    }

    /// Sends through `http`, sharing its connection pool and settings (with
    /// credential providers, say); the HTTP settings of this builder are
    /// then not used.
    pub fn http_client(mut self, http: HttpClient) -> Self {
        self.http = Some(http);
        self
    }

    /// How long to wait for a connection (default 5 s).
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.http_settings = self.http_settings.connect_timeout(limit);
        self
    }

    /// How long to wait for each read of the answer (default 10 s).
    pub fn read_timeout(mut self, limit: Duration) -> Self {
        self.http_settings = self.http_settings.read_timeout(limit);
        self
    }

    /// Sends every request through the proxy at `url` instead of the
    /// proxies of `HTTP_PROXY`, `HTTPS_PROXY` and `ALL_PROXY`; see
    /// [`HttpClientBuilder::proxy`].
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.http_settings = self.http_settings.proxy(url);
        self
    }

    /// Hosts reached directly, never through a proxy, as `NO_PROXY` lists
    /// them; see [`HttpClientBuilder::no_proxy`].
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.http_settings = self.http_settings.no_proxy(hosts);
        self
    }

    /// Trusts the certificates of a PEM bundle besides the system's roots,
    /// e.g. for a TLS-inspecting proxy.
    pub fn ca_bundle_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.http_settings = self.http_settings.ca_bundle_pem(pem);
        self
    }

    /// Appends `suffix` to the user agent, to name your application.
    pub fn user_agent_suffix(mut self, suffix: &str) -> Self {
        self.http_settings = self.http_settings.user_agent_suffix(suffix);
        self
    }

    /// Builds the client; fails when an endpoint override is not a URL or
    /// the HTTP client cannot be set up (a bad CA bundle or proxy URL).
    pub fn build(self) -> Result<Client, Error> {
        for url in self
            .endpoints
            .all
            .iter()
            .chain(self.endpoints.by_product.values())
        {
            super::check_endpoint_override(url)?;
        }
        let http = match self.http {
            Some(h) => h,
            None => self.http_settings.build()?,
        };
        let provider = match (self.credentials, self.deferred_credentials) {
            (Some(p), _) => Some(p),
            (None, Some(make)) => Some(make(&http, &self.time)),
            (None, None) => None,
        };
        let signer = match provider {
            _ if self.unsigned => Signer::Unsigned,
            Some(provider) => Signer::Keys {
                provider,
                version: self.signature_version,
            },
            None => Signer::Missing,
        };
        #[allow(unused_mut)]
        let mut transport = Transport::Http(http);
        #[cfg(feature = "test-util")]
        if let Some(mock) = self.mock {
            transport = Transport::Mock(mock);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                signer,
                region: self.region,
                endpoints: self.endpoints,
                format: self.format,
                budget: RetryBudget::new(self.retry.budget),
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
                time: self.time,
                clock_offset: AtomicI64::new(0),
            }),
            options: CallOptions {
                attempt_timeout: self.attempt_timeout,
                operation_timeout: self.operation_timeout,
                ..CallOptions::default()
            },
        })
    }
}
