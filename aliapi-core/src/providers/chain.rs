//! Providers asked in turn: [`CredentialsChain`] and the official order,
//! [`DefaultCredentialsChain`].

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::ecs::EcsRamRoleProvider;
use super::profile::ProfileProviderBuilder;
use super::sts::OidcRoleArnProviderBuilder;
use super::uri::CredentialsUriProvider;
use super::{EnvironmentProvider, ProviderConfig};
use crate::credentials::{
    Credentials, CredentialsError, ProvideCredentials, ProvideFuture, SharedCredentialsProvider,
};

const NONE: usize = usize::MAX;

/// Providers asked in order until one has credentials.
///
/// A provider answering `NotFound` passes the turn to the next one. A
/// provider answering `Failed` is configured but broken (a malformed file,
/// STS refusing the role): the chain stops with that error rather than
/// silently signing with other keys further down. When every provider
/// answered `NotFound`, the error is [`CredentialsError::ChainExhausted`],
/// with one line per provider saying why it had nothing.
///
/// Once a provider has answered, the chain keeps asking that one first (so
/// its cached keys are reused and the others are not probed at each call);
/// should it later answer `NotFound`, the whole chain is asked again.
///
/// ```
/// use aliapi_core::Credentials;
/// use aliapi_core::providers::{CredentialsChain, EnvironmentProvider, ProviderConfig};
///
/// // The environment when it has keys, else fixed fallback keys.
/// let chain = CredentialsChain::new()
///     .push(EnvironmentProvider::from_config(&ProviderConfig::default()))
///     .push(Credentials::new("fallback-key-id", "fallback-secret"));
/// assert_eq!(chain.len(), 2);
/// ```
pub struct CredentialsChain {
    providers: Vec<SharedCredentialsProvider>,
    last: AtomicUsize,
}

impl Default for CredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

impl CredentialsChain {
    /// An empty chain.
    pub fn new() -> Self {
        CredentialsChain {
            providers: Vec::new(),
            last: AtomicUsize::new(NONE),
        }
    }

    /// Adds `provider` at the end.
    pub fn push(self, provider: impl ProvideCredentials + 'static) -> Self {
        self.push_shared(Arc::new(provider))
    }

    /// Adds an already shared provider at the end.
    pub fn push_shared(mut self, provider: SharedCredentialsProvider) -> Self {
        self.providers.push(provider);
        self
    }

    /// How many providers the chain holds.
    pub fn len(&self) -> usize {
        self.providers.len()
    }

    /// Whether the chain holds no provider.
    pub fn is_empty(&self) -> bool {
        self.providers.is_empty()
    }

    async fn provide(&self) -> Result<Credentials, CredentialsError> {
        let last = self.last.load(Ordering::Acquire);
        // The answer of the provider that answered last time, kept when it
        // is `NotFound` so that the walk below does not ask it twice.
        let mut sticky = None;
        if let Some(p) = self.providers.get(last) {
            match p.provide_credentials().await {
                Err(e @ CredentialsError::NotFound { .. }) => sticky = Some(e),
                other => return other,
            }
        }
        let mut tried = Vec::with_capacity(self.providers.len());
        for (i, p) in self.providers.iter().enumerate() {
            let answer = match sticky.take_if(|_| i == last) {
                Some(e) => Err(e),
                None => p.provide_credentials().await,
            };
            match answer {
                Ok(c) => {
                    self.last.store(i, Ordering::Release);
                    tracing::debug!(provider = c.provider_name(), "credentials found");
                    return Ok(c);
                }
                Err(CredentialsError::NotFound { provider, reason }) => {
                    tried.push(format!("{provider}: {reason}"));
                }
                Err(CredentialsError::ChainExhausted { tried: inner }) => tried.extend(inner),
                Err(e) => return Err(e),
            }
        }
        Err(CredentialsError::ChainExhausted { tried })
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.provide())
    }
}

impl fmt::Debug for CredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsChain")
            .field("providers", &self.providers)
            .finish()
    }
}

/// A provider that could not be set up, answering with why.
#[derive(Debug)]
struct Unavailable(CredentialsError);

impl ProvideCredentials for Unavailable {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let e = self.0.clone();
        Box::pin(async move { Err(e) })
    }
}

/// The credential sources of the official SDKs, in their order:
///
/// 1. the environment ([`EnvironmentProvider`]);
/// 2. OIDC role assumption when `ALIBABA_CLOUD_ROLE_ARN`,
///    `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE`
///    are all set ([`OidcRoleArnProvider`](super::OidcRoleArnProvider));
/// 3. the CLI configuration `~/.aliyun/config.json` ([`CliProfileProvider`](super::CliProfileProvider));
/// 4. the INI file `~/.alibabacloud/credentials`
///    ([`CredentialsFileProvider`](super::CredentialsFileProvider));
/// 5. the ECS instance role ([`EcsRamRoleProvider`]), unless
///    `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`;
/// 6. `ALIBABA_CLOUD_CREDENTIALS_URI` ([`CredentialsUriProvider`]).
///
/// It behaves as a [`CredentialsChain`]. Unlike some official SDKs, which go
/// on past a source that is configured but broken, this chain stops there
/// with that source's error, so a typo never silently selects other keys.
///
/// ```no_run
/// use aliapi_core::ProvideCredentials;
/// use aliapi_core::providers::DefaultCredentialsChain;
///
/// # async fn run() -> Result<(), aliapi_core::CredentialsError> {
/// let keys = DefaultCredentialsChain::new().provide_credentials().await?;
/// println!("signing as {} (found by {})", keys.access_key_id(), keys.provider_name());
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct DefaultCredentialsChain {
    chain: CredentialsChain,
}

/// Configures a [`DefaultCredentialsChain`].
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct DefaultCredentialsChainBuilder {
    config: ProviderConfig,
}

impl DefaultCredentialsChainBuilder {
    /// Hands `config` (variables, files, clock, HTTP, endpoint overrides)
    /// to every provider of the chain.
    pub fn configure(mut self, config: &ProviderConfig) -> Self {
        self.config = config.clone();
        self
    }

    /// The chain.
    pub fn build(self) -> DefaultCredentialsChain {
        let config = &self.config;
        let oidc: SharedCredentialsProvider =
            match OidcRoleArnProviderBuilder::from_config(config).and_then(|b| b.build()) {
                Ok(p) => Arc::new(p),
                Err(e) => Arc::new(Unavailable(e)),
            };
        let profiles = || ProfileProviderBuilder::default().configure(config);
        let chain = CredentialsChain::new()
            .push(EnvironmentProvider::from_config(config))
            .push_shared(oidc)
            .push(profiles().build_cli())
            .push(profiles().build_file())
            .push(EcsRamRoleProvider::builder().configure(config).build())
            .push(CredentialsUriProvider::from_config(config));
        DefaultCredentialsChain { chain }
    }
}

impl DefaultCredentialsChain {
    /// The chain configured by the process environment.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder, to read another environment or reach other endpoints.
    pub fn builder() -> DefaultCredentialsChainBuilder {
        DefaultCredentialsChainBuilder::default()
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        self.chain.provide_credentials()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// Answers with keys at its first call only, then `NotFound`.
    #[derive(Debug, Default)]
    struct Once(AtomicUsize);

    impl ProvideCredentials for Once {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            let n = self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                if n == 0 {
                    Ok(Credentials::new("first", "s"))
                } else {
                    Err(CredentialsError::NotFound {
                        provider: "once",
                        reason: "gone".into(),
                    })
                }
            })
        }
    }

    #[tokio::test]
    async fn a_sticky_provider_that_loses_its_keys_is_asked_once_more() {
        let once = Arc::new(Once::default());
        let chain = CredentialsChain::new()
            .push_shared(once.clone())
            .push(Credentials::new("second", "s"));
        assert_eq!(
            chain.provide_credentials().await.unwrap().access_key_id(),
            "first"
        );
        assert_eq!(
            chain.provide_credentials().await.unwrap().access_key_id(),
            "second"
        );
        assert_eq!(
            once.0.load(Ordering::SeqCst),
            2,
            "not asked twice in one call"
        );
        assert_eq!(
            chain.provide_credentials().await.unwrap().access_key_id(),
            "second"
        );
        assert_eq!(
            once.0.load(Ordering::SeqCst),
            2,
            "the second provider is sticky now"
        );
    }
}
