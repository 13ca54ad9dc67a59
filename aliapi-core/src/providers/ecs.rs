//! The RAM role of an ECS instance, from the instance metadata service.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use super::ProviderConfig;
use super::http::{self, HttpFailure};
use super::sts::TempKeys;
use crate::credentials::{
    Credentials, CredentialsError, DEFAULT_REFRESH_BEFORE, LazyCache, ProvideCredentials,
    ProvideFuture,
};
use crate::transport::{HttpClient, Verb};

/// Where the metadata service answers on an ECS instance.
pub(crate) const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200";
/// The env variable that, set to `true`, turns this provider off.
pub(crate) const ECS_METADATA_DISABLED_ENV: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// The env variable naming the instance's role (skips asking for it).
pub(crate) const ECS_METADATA_ROLE_ENV: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// The env variable that, set to `true`, forbids requests without an
/// IMDSv2 session token.
pub(crate) const IMDSV1_DISABLED_ENV: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";

const TOKEN_PATH: &str = "/latest/api/token";
const ROLES_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";
/// How long a metadata session token is asked to live (6 hours).
const TOKEN_TTL_SECONDS: u32 = 21_600;
const PROVIDER: &str = "ecs_ram_role";

/// Temporary keys of the RAM role attached to the ECS instance this runs on.
///
/// Each refresh asks the metadata service for a session token (IMDSv2)
/// first, then, unless given, for the role's name, then for its keys. When
/// the token cannot be had the requests are sent without one (IMDSv1),
/// unless that is disabled. Each request is limited to 1 second by default.
///
/// A metadata service that does not answer at all (not on ECS) is reported
/// as `NotFound`; one that answers wrongly as `Failed`. The metadata service
/// is reached directly, never through a proxy.
///
/// ```no_run
/// use aliapi_core::providers::EcsRamRoleProvider;
///
/// // On an ECS instance with a RAM role attached; IMDSv2 only.
/// let role = EcsRamRoleProvider::builder()
///     .role_name("my-instance-role")
///     .imdsv1_disabled(true)
///     .build();
/// let client = aliapi_core::Client::builder().credentials(role).build()?;
/// # let _ = client; Ok::<(), aliapi_core::Error>(())
/// ```
pub struct EcsRamRoleProvider {
    /// Shared with a fetch in flight, which outlives the call that started
    /// it ([`LazyCache::get_or_refresh_owned`]).
    source: Arc<MetadataSource>,
    cache: LazyCache,
}

/// Where and how the keys are fetched.
struct MetadataSource {
    config: ProviderConfig,
    endpoint: String,
    role_name: Option<String>,
    imdsv1_disabled: bool,
    disabled: bool,
    timeout: Duration,
}

/// Configures an [`EcsRamRoleProvider`].
#[derive(Debug, Clone)]
#[must_use]
pub struct EcsRamRoleProviderBuilder {
    config: ProviderConfig,
    endpoint: Option<String>,
    role_name: Option<String>,
    imdsv1_disabled: Option<bool>,
    timeout: Duration,
    refresh_before: Duration,
}

impl Default for EcsRamRoleProviderBuilder {
    fn default() -> Self {
        EcsRamRoleProviderBuilder {
            config: ProviderConfig::default(),
            endpoint: None,
            role_name: None,
            imdsv1_disabled: None,
            timeout: Duration::from_secs(1),
            refresh_before: DEFAULT_REFRESH_BEFORE,
        }
    }
}

impl EcsRamRoleProviderBuilder {
    /// Reads variables, the clock and HTTP settings through `config`; the
    /// metadata service is asked through its direct (never proxied) client.
    pub fn configure(mut self, config: &ProviderConfig) -> Self {
        self.config = config.clone();
        self
    }

    /// Asks this metadata service (base URL) instead of `http://100.100.100.200`.
    pub fn endpoint(mut self, base_url: impl Into<String>) -> Self {
        self.endpoint = Some(base_url.into());
        self
    }

    /// The role whose keys are fetched (default: `ALIBABA_CLOUD_ECS_METADATA`,
    /// else the role the metadata service names).
    pub fn role_name(mut self, name: impl Into<String>) -> Self {
        self.role_name = Some(name.into()).filter(|n: &String| !n.trim().is_empty());
        self
    }

    /// Whether requests without a session token are forbidden (default:
    /// `ALIBABA_CLOUD_IMDSV1_DISABLED`).
    pub fn imdsv1_disabled(mut self, disabled: bool) -> Self {
        self.imdsv1_disabled = Some(disabled);
        self
    }

    /// The time limit of each request to the metadata service (default 1 s).
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.timeout = limit;
        self
    }

    /// Refreshes the keys this long before they expire (default 3 min).
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = margin;
        self
    }

    /// The provider.
    pub fn build(self) -> EcsRamRoleProvider {
        let env = &self.config.env;
        let endpoint = self
            .endpoint
            .or_else(|| self.config.metadata_endpoint.clone())
            .unwrap_or_else(|| DEFAULT_METADATA_ENDPOINT.to_owned())
            .trim_end_matches('/')
            .to_owned();
        EcsRamRoleProvider {
            cache: LazyCache::new(self.refresh_before).with_time_source(self.config.time.clone()),
            source: Arc::new(MetadataSource {
                endpoint,
                role_name: self.role_name.or_else(|| env.get(ECS_METADATA_ROLE_ENV)),
                imdsv1_disabled: self
                    .imdsv1_disabled
                    .unwrap_or_else(|| env.is_true(IMDSV1_DISABLED_ENV)),
                disabled: env.is_true(ECS_METADATA_DISABLED_ENV),
                timeout: self.timeout,
                config: self.config,
            }),
        }
    }
}

impl EcsRamRoleProvider {
    /// A builder with the defaults.
    pub fn builder() -> EcsRamRoleProviderBuilder {
        EcsRamRoleProviderBuilder::default()
    }

    /// The provider configured by the process environment.
    pub fn new() -> Self {
        Self::builder().build()
    }
}

impl MetadataSource {
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        if self.disabled {
            return Err(CredentialsError::NotFound {
                provider: PROVIDER,
                reason: format!("disabled by {ECS_METADATA_DISABLED_ENV}=true"),
            });
        }
        let client = self.config.direct_http(PROVIDER)?;
        let token = self.session_token(&client).await?;
        let role = match &self.role_name {
            Some(role) => role.clone(),
            None => {
                let body = self
                    .get(&client, ROLES_PATH, token.as_deref())
                    .await
                    .map_err(|e| match e {
                        HttpFailure::Status(404) => CredentialsError::NotFound {
                            provider: PROVIDER,
                            reason: "no RAM role is attached to this instance".into(),
                        },
                        other => self.failure(other, "asking for the role name"),
                    })?;
                let text = String::from_utf8_lossy(&body);
                let role = text
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .unwrap_or("");
                if role.is_empty() {
                    return Err(CredentialsError::NotFound {
                        provider: PROVIDER,
                        reason: "the metadata service names no RAM role".into(),
                    });
                }
                role.to_owned()
            }
        };
        let path = format!("{ROLES_PATH}{}", aliapi_wire::encode::percent_encode(&role));
        let body = self
            .get(&client, &path, token.as_deref())
            .await
            .map_err(|e| self.failure(e, &format!("asking for the keys of role {role}")))?;
        TempKeys::from_answer(
            &body,
            PROVIDER,
            &format!("the metadata service, asked for the keys of role {role},"),
        )
    }

    /// An IMDSv2 session token; `None` to go on without one (IMDSv1).
    async fn session_token(&self, client: &HttpClient) -> Result<Option<String>, CredentialsError> {
        let headers = [(TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS.to_string())];
        let url = format!("{}{TOKEN_PATH}", self.endpoint);
        match http::send(client, Verb::Put, url, &headers, self.timeout).await {
            Ok(body) => {
                let token = String::from_utf8_lossy(&body).trim().to_owned();
                if token.is_empty() && self.imdsv1_disabled {
                    return Err(CredentialsError::Failed {
                        provider: PROVIDER,
                        reason: "the metadata service returned an empty session token".into(),
                    });
                }
                Ok(Some(token).filter(|t| !t.is_empty()))
            }
            // Nothing answers: requests without a token would not be
            // answered either.
            Err(e @ HttpFailure::Unreachable(_)) => {
                Err(self.failure(e, "asking for a session token"))
            }
            Err(e) if self.imdsv1_disabled => Err(CredentialsError::Failed {
                provider: PROVIDER,
                reason: format!(
                    "{} and requests without a token are disabled ({IMDSV1_DISABLED_ENV})",
                    e.describe("no session token")
                ),
            }),
            Err(_) => Ok(None),
        }
    }

    /// GETs `path`, with the token when there is one; falls back to a
    /// request without it when that fails and IMDSv1 is allowed.
    async fn get(
        &self,
        client: &HttpClient,
        path: &str,
        token: Option<&str>,
    ) -> Result<Bytes, HttpFailure> {
        let url = format!("{}{path}", self.endpoint);
        let Some(token) = token else {
            return http::send(client, Verb::Get, url, &[], self.timeout).await;
        };
        let with_token = [(TOKEN_HEADER, token.to_owned())];
        match http::send(client, Verb::Get, url.clone(), &with_token, self.timeout).await {
            Err(HttpFailure::Status(..)) if !self.imdsv1_disabled => {
                http::send(client, Verb::Get, url, &[], self.timeout).await
            }
            other => other,
        }
    }

    fn failure(&self, e: HttpFailure, doing: &str) -> CredentialsError {
        match e {
            HttpFailure::Unreachable(why) => CredentialsError::NotFound {
                provider: PROVIDER,
                reason: format!(
                    "the metadata service at {} did not answer {doing}: {why}",
                    self.endpoint
                ),
            },
            status => CredentialsError::Failed {
                provider: PROVIDER,
                reason: status.describe(&format!("the metadata service failed {doing}")),
            },
        }
    }
}

impl Default for EcsRamRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.cache.get_or_refresh_owned(|| {
            let source = self.source.clone();
            Box::pin(async move { source.fetch().await })
        }))
    }
}

impl fmt::Debug for EcsRamRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcsRamRoleProvider")
            .field("endpoint", &self.source.endpoint)
            .field("role_name", &self.source.role_name)
            .field("imdsv1_disabled", &self.source.imdsv1_disabled)
            .field("disabled", &self.source.disabled)
            .field("cache", &self.cache)
            .finish()
    }
}
