//! Credentials: the keys a request is signed with, the trait of whatever
//! supplies them, and a cache for keys that expire.
//!
//! This module is the bottom layer of the crate: it imports nothing above
//! it (no client, no transport, no signer), so every layer can use it. The
//! providers that find credentials in the environment, in files or by
//! calling STS and the metadata service sit above the client, in
//! [`providers`](crate::providers).
//!
//! [`Credentials`] itself is a provider (static keys). [`LazyCache`] and
//! [`CachedProvider`] cache temporary keys and refresh them a few minutes
//! before they expire, by one request however many callers wait.

#[cfg(feature = "client")]
mod cache;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

#[cfg(feature = "client")]
pub use cache::{CachedProvider, DEFAULT_FAILURE_BACKOFF, DEFAULT_REFRESH_BEFORE, LazyCache};

/// An access key pair, with an STS token when the keys are temporary.
///
/// Cheap to clone. `Debug` shows the key id only; the secret and the token
/// never appear in any output of this crate.
///
/// Credentials are a provider themselves: hand them to
/// [`ClientBuilder::credentials`](crate::ClientBuilder::credentials) to
/// sign every call with the same keys.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use aliapi_core::{Client, Credentials};
///
/// let long_lived = Credentials::new("my-key-id", "my-key-secret");
/// assert!(!format!("{long_lived:?}").contains("my-key-secret"));
///
/// // Keys from STS come with a token, and an expiration when it is known.
/// let temporary = Credentials::with_security_token(
///     "STS.my-key-id",
///     "my-key-secret",
///     "my-security-token",
///     Some(SystemTime::now() + Duration::from_secs(3600)),
/// );
/// assert_eq!(temporary.security_token(), Some("my-security-token"));
///
/// let client = Client::builder().credentials(long_lived).build()?;
/// # let _ = client;
/// # Ok::<(), aliapi_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Credentials(Arc<Inner>);

struct Inner {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    expiration: Option<SystemTime>,
    provider: &'static str,
    /// The v1 signing key, derived from the secret on first use and kept:
    /// it saves two of the HMAC's block hashes on every request.
    v1_key: OnceLock<aliapi_wire::v1::SigningKey>,
    /// The same for V3.
    v3_key: OnceLock<aliapi_wire::v3::SigningKey>,
}

impl Credentials {
    /// Long-lived keys.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Self::build(
            access_key_id.into(),
            access_key_secret.into(),
            None,
            None,
            "static",
        )
    }

    /// Temporary (STS) keys with their token; `expiration` when known.
    pub fn with_security_token(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        security_token: impl Into<String>,
        expiration: Option<SystemTime>,
    ) -> Self {
        Self::build(
            access_key_id.into(),
            access_key_secret.into(),
            Some(security_token.into()),
            expiration,
            "static",
        )
    }

    pub(crate) fn build(
        access_key_id: String,
        access_key_secret: String,
        security_token: Option<String>,
        expiration: Option<SystemTime>,
        provider: &'static str,
    ) -> Self {
        Credentials(Arc::new(Inner {
            access_key_id,
            access_key_secret,
            security_token: security_token.filter(|t| !t.is_empty()),
            expiration,
            provider,
            v1_key: OnceLock::new(),
            v3_key: OnceLock::new(),
        }))
    }

    /// The same keys, labelled with the provider that found them.
    pub fn from_provider(mut self, provider: &'static str) -> Self {
        match Arc::get_mut(&mut self.0) {
            Some(inner) => inner.provider = provider,
            None => {
                let i = &self.0;
                self = Self::build(
                    i.access_key_id.clone(),
                    i.access_key_secret.clone(),
                    i.security_token.clone(),
                    i.expiration,
                    provider,
                );
            }
        }
        self
    }

    /// The v1 signing key of the secret, derived once.
    pub(crate) fn v1_key(&self) -> &aliapi_wire::v1::SigningKey {
        self.0
            .v1_key
            .get_or_init(|| aliapi_wire::v1::SigningKey::new(&self.0.access_key_secret))
    }

    /// The V3 signing key of the secret, derived once.
    pub(crate) fn v3_key(&self) -> &aliapi_wire::v3::SigningKey {
        self.0
            .v3_key
            .get_or_init(|| aliapi_wire::v3::SigningKey::new(&self.0.access_key_secret))
    }

    /// The access key id (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.0.access_key_id
    }

    /// The access key secret. Handle with care: never log it.
    pub fn access_key_secret(&self) -> &str {
        &self.0.access_key_secret
    }

    /// The STS token of temporary keys. Handle with care: never log it.
    pub fn security_token(&self) -> Option<&str> {
        self.0.security_token.as_deref()
    }

    /// When temporary keys stop working.
    pub fn expiration(&self) -> Option<SystemTime> {
        self.0.expiration
    }

    /// Which provider found these keys (e.g. `static`, `environment`).
    pub fn provider_name(&self) -> &'static str {
        self.0.provider
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.0.access_key_id)
            .field("access_key_secret", &"** redacted **")
            .field(
                "security_token",
                &self.0.security_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expiration", &self.0.expiration)
            .field("provider", &self.0.provider)
            .finish()
    }
}

/// Why no credentials could be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The provider has nothing to offer here (e.g. the variables are not
    /// set); a chain moves on to the next provider.
    #[error("{provider}: no credentials: {reason}")]
    NotFound {
        /// The provider asked.
        provider: &'static str,
        /// Why it found nothing.
        reason: String,
    },
    /// The provider is configured but failed (bad file, STS refused).
    #[error("{provider}: {reason}")]
    Failed {
        /// The provider asked.
        provider: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// A chain found nothing; each line says what a provider found.
    #[error("no credentials found; tried:\n{}", .tried.join("\n"))]
    ChainExhausted {
        /// One line per provider tried.
        tried: Vec<String>,
    },
}

/// A boxed future, as providers return.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked before each signed attempt.
///
/// Implementations that fetch temporary keys should cache them and refresh
/// before they expire; asking must be cheap when the cache is warm
/// ([`CachedProvider`] does that for any provider).
///
/// A provider of your own, here one that hands out keys another part of the
/// program keeps up to date:
///
/// ```
/// use std::sync::{Arc, RwLock};
/// use aliapi_core::credentials::{CredentialsError, ProvideFuture};
/// use aliapi_core::{Client, Credentials, ProvideCredentials};
///
/// #[derive(Debug, Default)]
/// struct Rotated(Arc<RwLock<Option<Credentials>>>);
///
/// impl ProvideCredentials for Rotated {
///     fn provide_credentials(&self) -> ProvideFuture<'_> {
///         let current = self.0.read().unwrap().clone();
///         Box::pin(async move {
///             current.ok_or_else(|| CredentialsError::NotFound {
///                 provider: "rotated",
///                 reason: "no keys handed in yet".to_owned(),
///             })
///         })
///     }
/// }
///
/// let keys = Rotated::default();
/// *keys.0.write().unwrap() = Some(Credentials::new("my-key-id", "my-key-secret"));
/// let client = Client::builder().credentials(keys).build()?;
/// # let _ = client;
/// # Ok::<(), aliapi_core::Error>(())
/// ```
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Returns the credentials to sign with now.
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let c = self.clone();
        Box::pin(async move { Ok(c) })
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

/// A shared provider, as the client holds it.
pub type SharedCredentialsProvider = Arc<dyn ProvideCredentials>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secret_or_token() {
        let c = Credentials::with_security_token("id-1", "s3cr3t-value", "tok-en-value", None);
        let shown = format!("{c:?} {c:#?}");
        assert!(shown.contains("id-1"));
        assert!(!shown.contains("s3cr3t-value"));
        assert!(!shown.contains("tok-en-value"));
    }

    #[test]
    fn empty_token_means_no_token() {
        let c = Credentials::with_security_token("a", "b", "", None);
        assert_eq!(c.security_token(), None);
    }
}
