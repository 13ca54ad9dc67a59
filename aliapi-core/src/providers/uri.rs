//! Keys served over HTTP by a local credentials endpoint.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::ProviderConfig;
use super::http::{self, HttpFailure};
use super::sts::TempKeys;
use crate::credentials::{
    Credentials, CredentialsError, DEFAULT_REFRESH_BEFORE, LazyCache, ProvideCredentials,
    ProvideFuture,
};
use crate::transport::Verb;

/// The env variable holding the URL keys are fetched from.
pub(crate) const CREDENTIALS_URI_ENV: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";
const PROVIDER: &str = "credentials_uri";

/// Temporary keys from a URL answering a GET with
/// `{"AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}`
/// (and optionally `"Code": "Success"`).
///
/// Keys are cached and refreshed ahead of their expiration. The URI is
/// reached directly, never through a proxy, and never shown with its query
/// or user info (they may hold a secret).
///
/// ```no_run
/// use std::time::Duration;
/// use aliapi_core::providers::CredentialsUriProvider;
///
/// let keys = CredentialsUriProvider::new("http://127.0.0.1:8888/credentials")
///     .with_timeout(Duration::from_secs(2));
/// let client = aliapi_core::Client::builder().credentials(keys).build()?;
/// # let _ = client; Ok::<(), aliapi_core::Error>(())
/// ```
pub struct CredentialsUriProvider {
    /// Shared with a fetch in flight, which outlives the call that started
    /// it ([`LazyCache::get_or_refresh_owned`]).
    source: Arc<UriSource>,
    cache: LazyCache,
}

/// Where and how the keys are fetched.
#[derive(Clone)]
struct UriSource {
    config: ProviderConfig,
    uri: Option<String>,
    timeout: Duration,
}

impl CredentialsUriProvider {
    /// Fetches from `uri`.
    pub fn new(uri: impl Into<String>) -> Self {
        Self::with_uri(Some(uri.into()), ProviderConfig::default())
    }

    /// Fetches from the URL in `ALIBABA_CLOUD_CREDENTIALS_URI` among the
    /// variables of `config`, through its direct HTTP client; a provider
    /// that answers `NotFound` when the variable is not set.
    pub fn from_config(config: &ProviderConfig) -> Self {
        Self::with_uri(config.env.get(CREDENTIALS_URI_ENV), config.clone())
    }

    fn with_uri(uri: Option<String>, config: ProviderConfig) -> Self {
        CredentialsUriProvider {
            cache: LazyCache::new(DEFAULT_REFRESH_BEFORE).with_time_source(config.time.clone()),
            source: Arc::new(UriSource {
                uri: uri.filter(|u| !u.trim().is_empty()),
                timeout: Duration::from_secs(10),
                config,
            }),
        }
    }

    /// Sets the time limit of each request (default 10 s).
    pub fn with_timeout(mut self, limit: Duration) -> Self {
        Arc::make_mut(&mut self.source).timeout = limit;
        self
    }

    /// Refreshes the keys this long before they expire (default 3 min).
    pub fn with_refresh_before(mut self, margin: Duration) -> Self {
        self.cache = LazyCache::new(margin).with_time_source(self.source.config.time.clone());
        self
    }
}

impl UriSource {
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let Some(uri) = &self.uri else {
            return Err(CredentialsError::NotFound {
                provider: PROVIDER,
                reason: format!("{CREDENTIALS_URI_ENV} not set"),
            });
        };
        let shown = redact_uri(uri);
        let client = self.config.direct_http(PROVIDER)?;
        let body = http::send(&client, Verb::Get, uri.clone(), &[], self.timeout)
            .await
            .map_err(|e| {
                let what = match &e {
                    HttpFailure::Unreachable(_) => format!("{shown} did not answer"),
                    HttpFailure::Status(..) => format!("{shown} failed"),
                };
                CredentialsError::Failed {
                    provider: PROVIDER,
                    reason: e.describe(&what),
                }
            })?;
        TempKeys::from_answer(&body, PROVIDER, &shown)
    }
}

/// The URI without its query and user info, which may carry secrets.
fn redact_uri(uri: &str) -> String {
    let no_query = uri.split(['?', '#']).next().unwrap_or("");
    let Some((scheme, rest)) = no_query.split_once("://") else {
        return no_query.to_owned();
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    format!("{scheme}://{host}{path}")
}

impl ProvideCredentials for CredentialsUriProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.cache.get_or_refresh_owned(|| {
            let source = self.source.clone();
            Box::pin(async move { source.fetch().await })
        }))
    }
}

impl fmt::Debug for CredentialsUriProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsUriProvider")
            .field("uri", &self.source.uri.as_deref().map(redact_uri))
            .field("cache", &self.cache)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_secrets_are_hidden() {
        assert_eq!(
            redact_uri("http://127.0.0.1:8/creds?token=abc"),
            "http://127.0.0.1:8/creds"
        );
        assert_eq!(redact_uri("https://user:pw@host/path"), "https://host/path");
        assert_eq!(redact_uri("http://host/a@b"), "http://host/a@b");
        let p = CredentialsUriProvider::new("http://u:SECRETPW@h/x?sig=SECRETQ");
        let shown = format!("{p:?}");
        assert!(
            !shown.contains("SECRETPW") && !shown.contains("SECRETQ"),
            "{shown}"
        );
    }

    #[tokio::test]
    async fn unset_uri_is_not_found() {
        let p = CredentialsUriProvider::from_config(
            &ProviderConfig::default().with_env(crate::providers::Env::from_vars::<&str, &str>([])),
        );
        let err = p.provide_credentials().await.unwrap_err();
        assert!(matches!(err, CredentialsError::NotFound { .. }), "{err:?}");
    }
}
