use super::{Env, ProviderConfig};
use crate::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// The env variable holding the access key id.
pub(crate) const ACCESS_KEY_ID_ENV: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// The env variable holding the access key secret.
pub(crate) const ACCESS_KEY_SECRET_ENV: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// The env variable holding an STS token, for temporary keys.
pub(crate) const SECURITY_TOKEN_ENV: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

/// Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID`,
/// `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, optionally,
/// `ALIBABA_CLOUD_SECURITY_TOKEN`, read each time they are asked for.
///
/// ```
/// use aliapi_core::ProvideCredentials;
/// use aliapi_core::providers::{Env, EnvironmentProvider, ProviderConfig};
///
/// let config = ProviderConfig::default().with_env(Env::from_vars([
///     ("ALIBABA_CLOUD_ACCESS_KEY_ID", "my-key-id"),
///     ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "my-secret"),
/// ]));
/// let keys = EnvironmentProvider::from_config(&config).read()?;
/// assert_eq!(keys.access_key_id(), "my-key-id");
/// # Ok::<(), aliapi_core::CredentialsError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// The provider.
    pub fn new() -> Self {
        Self::default()
    }

    /// The provider, reading the variables of `config`.
    pub fn from_config(config: &ProviderConfig) -> Self {
        EnvironmentProvider {
            env: config.env.clone(),
        }
    }

    /// Reads the variables now.
    pub fn read(&self) -> Result<Credentials, CredentialsError> {
        let get = |name: &str| self.env.get(name);
        let id = get(ACCESS_KEY_ID_ENV);
        let secret = get(ACCESS_KEY_SECRET_ENV);
        match (id, secret) {
            (Some(id), Some(secret)) => Ok(Credentials::build(
                id,
                secret,
                get(SECURITY_TOKEN_ENV),
                None,
                "environment",
            )),
            (None, None) => Err(CredentialsError::NotFound {
                provider: "environment",
                reason: format!("{ACCESS_KEY_ID_ENV} and {ACCESS_KEY_SECRET_ENV} are not set"),
            }),
            (Some(_), None) => Err(CredentialsError::Failed {
                provider: "environment",
                reason: format!("{ACCESS_KEY_ID_ENV} is set but {ACCESS_KEY_SECRET_ENV} is not"),
            }),
            (None, Some(_)) => Err(CredentialsError::Failed {
                provider: "environment",
                reason: format!("{ACCESS_KEY_SECRET_ENV} is set but {ACCESS_KEY_ID_ENV} is not"),
            }),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let result = self.read();
        Box::pin(async move { result })
    }
}
