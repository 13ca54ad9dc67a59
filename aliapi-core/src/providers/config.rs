//! [`ProviderConfig`]: what every credential provider reads the world
//! through — variables, files, the clock and HTTP — so that one value
//! configures them all, and a test can hand them a fixed world.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::Env;
use crate::clock::SharedTimeSource;
use crate::credentials::CredentialsError;
use crate::retry::RetryConfig;
use crate::transport::{HttpClient, HttpClientBuilder};

/// The environment of the credential providers.
///
/// - variables and the home directory: the process environment, or a fixed
///   [`Env`];
/// - files (the CLI configuration, the credentials file, the OIDC token):
///   the file system, or a fixed [`Fs`];
/// - the clock that decides when cached keys are due for a refresh;
/// - HTTP: the [`HttpClient`] STS is called through (proxies honoured; the
///   API client's own when the chain is built by
///   [`ClientBuilder::with_env`](crate::ClientBuilder::with_env)), and one
///   pooled client that goes straight to the ECS metadata service and
///   credentials URIs, which are never behind a proxy;
/// - the retry policy of STS calls;
/// - endpoint overrides for STS and the metadata service.
///
/// Clones share their HTTP clients.
///
/// ```
/// use aliapi_core::providers::{DefaultCredentialsChain, Env, ProviderConfig};
///
/// let config = ProviderConfig::default()
///     .with_env(Env::from_vars([("ALIBABA_CLOUD_ACCESS_KEY_ID", "id"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")]));
/// let chain = DefaultCredentialsChain::builder().configure(&config).build();
/// # let _ = chain;
/// ```
#[derive(Clone)]
pub struct ProviderConfig {
    pub(crate) env: Env,
    pub(crate) fs: Fs,
    pub(crate) time: SharedTimeSource,
    pub(crate) retry: RetryConfig,
    pub(crate) sts_endpoint: Option<String>,
    pub(crate) metadata_endpoint: Option<String>,
    http: Arc<OnceLock<HttpClient>>,
    direct: Arc<OnceLock<HttpClient>>,
    direct_settings: HttpClientBuilder,
}

impl Default for ProviderConfig {
    fn default() -> Self {
        ProviderConfig {
            env: Env::process(),
            fs: Fs::real(),
            time: SharedTimeSource::system(),
            retry: RetryConfig::default(),
            sts_endpoint: None,
            metadata_endpoint: None,
            http: Arc::new(OnceLock::new()),
            direct: Arc::new(OnceLock::new()),
            direct_settings: HttpClientBuilder::default().direct(),
        }
    }
}

impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("env", &self.env)
            .field("fs", &self.fs)
            .field("time", &self.time)
            .field("retry", &self.retry)
            .field("sts_endpoint", &self.sts_endpoint)
            .field("metadata_endpoint", &self.metadata_endpoint)
            .field("http", &self.http.get())
            .finish_non_exhaustive()
    }
}

impl ProviderConfig {
    /// Reads variables and the home directory from `env`.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Reads files through `fs`.
    pub fn with_fs(mut self, fs: Fs) -> Self {
        self.fs = fs;
        self
    }

    /// Tells time by `time` (e.g. a [`ManualClock`](crate::clock::ManualClock)).
    pub fn with_time_source(mut self, time: impl Into<SharedTimeSource>) -> Self {
        self.time = time.into();
        self
    }

    /// Calls STS through `http` (its proxy, CA bundle, user agent, timeouts
    /// and connection pool). The metadata service and credentials URIs are
    /// reached with a client of their own that has `http`'s CA bundle and
    /// user agent only if given with [`with_direct_http`](Self::with_direct_http).
    pub fn with_http_client(mut self, http: HttpClient) -> Self {
        let cell = OnceLock::new();
        let _ = cell.set(http);
        self.http = Arc::new(cell);
        self
    }

    /// Builds the client for the metadata service and credentials URIs from
    /// `settings`; proxies are never used for them, whatever `settings` say.
    pub fn with_direct_http(mut self, settings: HttpClientBuilder) -> Self {
        self.direct_settings = settings.direct();
        self.direct = Arc::new(OnceLock::new());
        self
    }

    /// Retries STS calls by `retry` (default: 3 attempts).
    pub fn with_retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Assumes every role at this STS endpoint (a URL, or a host for HTTPS).
    pub fn with_sts_endpoint(mut self, url: impl Into<String>) -> Self {
        self.sts_endpoint = Some(url.into());
        self
    }

    /// Asks this metadata service (base URL) instead of `http://100.100.100.200`.
    pub fn with_ecs_metadata_endpoint(mut self, url: impl Into<String>) -> Self {
        self.metadata_endpoint = Some(url.into());
        self
    }

    /// The variables providers read.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The client STS is called through, built with the defaults on first
    /// use unless one was given.
    pub(crate) fn http(&self, provider: &'static str) -> Result<HttpClient, CredentialsError> {
        shared(&self.http, provider, || HttpClient::builder().build())
    }

    /// The pooled client for the metadata service and credentials URIs.
    pub(crate) fn direct_http(
        &self,
        provider: &'static str,
    ) -> Result<HttpClient, CredentialsError> {
        shared(&self.direct, provider, || self.direct_settings.build())
    }
}

/// The client in `cell`, built by `build` the first time. A failure is not
/// kept: the next call tries again.
fn shared(
    cell: &OnceLock<HttpClient>,
    provider: &'static str,
    build: impl FnOnce() -> Result<HttpClient, crate::Error>,
) -> Result<HttpClient, CredentialsError> {
    if let Some(c) = cell.get() {
        return Ok(c.clone());
    }
    let built = build().map_err(|e| CredentialsError::Failed {
        provider,
        reason: format!("cannot build an HTTP client: {e}"),
    })?;
    // Another caller may have won the race: use theirs, so that one pool
    // serves everyone.
    Ok(cell.get_or_init(|| built).clone())
}

/// The files providers read: the file system, or a fixed set of files.
///
/// `Debug` lists the paths of a fixed set, never the contents.
#[derive(Clone, Default)]
pub struct Fs(Option<Arc<BTreeMap<PathBuf, String>>>);

impl Fs {
    /// The real file system.
    pub fn real() -> Self {
        Fs(None)
    }

    /// Only these files exist, with these contents.
    pub fn from_files<P, C>(files: impl IntoIterator<Item = (P, C)>) -> Self
    where
        P: Into<PathBuf>,
        C: Into<String>,
    {
        Fs(Some(Arc::new(
            files
                .into_iter()
                .map(|(p, c)| (p.into(), c.into()))
                .collect(),
        )))
    }

    /// The contents of the file at `path`.
    pub fn read_to_string(&self, path: &Path) -> io::Result<String> {
        match &self.0 {
            None => std::fs::read_to_string(path),
            Some(files) => files
                .get(path)
                .cloned()
                .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound)),
        }
    }
}

impl fmt::Debug for Fs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            None => f.write_str("Fs::real"),
            Some(files) => f
                .debug_tuple("Fs::from_files")
                .field(&files.keys().collect::<Vec<_>>())
                .finish(),
        }
    }
}
