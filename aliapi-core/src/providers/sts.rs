//! Roles assumed through STS: [`RamRoleArnProvider`] (`AssumeRole`, signed
//! with source keys) and [`OidcRoleArnProvider`] (`AssumeRoleWithOIDC`,
//! unsigned, with an OIDC token read from a file).

use std::fmt;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use super::ProviderConfig;
use crate::client::Client;
use crate::credentials::{
    Credentials, CredentialsError, DEFAULT_REFRESH_BEFORE, LazyCache, ProvideCredentials,
    ProvideFuture, SharedCredentialsProvider,
};
use crate::rpc_action;

/// The central STS endpoint.
pub(crate) const DEFAULT_STS_ENDPOINT: &str = "https://sts.aliyuncs.com";
/// The env variable naming the region whose STS endpoint is used.
pub(crate) const STS_REGION_ENV: &str = "ALIBABA_CLOUD_STS_REGION";
/// The env variable that, set to `true`, selects the VPC STS endpoint of
/// the region given by [`STS_REGION_ENV`].
pub(crate) const VPC_ENDPOINT_ENV: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";
/// The env variable holding the role to assume with an OIDC token.
pub(crate) const ROLE_ARN_ENV: &str = "ALIBABA_CLOUD_ROLE_ARN";
/// The env variable holding the ARN of the OIDC identity provider.
pub(crate) const OIDC_PROVIDER_ARN_ENV: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
/// The env variable holding the path of the OIDC token file.
pub(crate) const OIDC_TOKEN_FILE_ENV: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
/// The env variable holding the role session name.
pub(crate) const ROLE_SESSION_NAME_ENV: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";

/// The session length asked for unless set otherwise.
pub(crate) const DEFAULT_DURATION_SECONDS: u32 = 3600;
/// The shortest session STS grants.
pub(crate) const MIN_DURATION_SECONDS: u32 = 900;

/// Settings both STS providers share.
#[derive(Debug, Clone)]
struct StsSettings {
    endpoint: Option<String>,
    region: Option<String>,
    vpc: Option<bool>,
    config: ProviderConfig,
    session_name: Option<String>,
    duration_seconds: u32,
    policy: Option<String>,
    refresh_before: Duration,
}

impl Default for StsSettings {
    fn default() -> Self {
        StsSettings {
            endpoint: None,
            region: None,
            vpc: None,
            config: ProviderConfig::default(),
            session_name: None,
            duration_seconds: DEFAULT_DURATION_SECONDS,
            policy: None,
            refresh_before: DEFAULT_REFRESH_BEFORE,
        }
    }
}

impl StsSettings {
    /// The endpoint URL: explicit, else from the region, else central.
    fn endpoint(&self) -> String {
        if let Some(e) = self.endpoint.as_ref().or(self.config.sts_endpoint.as_ref()) {
            return with_scheme(e);
        }
        let env = &self.config.env;
        let region = self.region.clone().or_else(|| env.get(STS_REGION_ENV));
        match region {
            Some(region) => {
                let vpc = self.vpc.unwrap_or_else(|| env.is_true(VPC_ENDPOINT_ENV));
                let prefix = if vpc { "sts-vpc" } else { "sts" };
                format!("https://{prefix}.{region}.aliyuncs.com")
            }
            None => DEFAULT_STS_ENDPOINT.to_owned(),
        }
    }

    fn validate(&self, provider: &'static str) -> Result<(), CredentialsError> {
        if self.duration_seconds < MIN_DURATION_SECONDS {
            return Err(CredentialsError::Failed {
                provider,
                reason: format!(
                    "the session duration must be at least {MIN_DURATION_SECONDS} seconds, not {}",
                    self.duration_seconds
                ),
            });
        }
        if let Some(name) = &self.session_name
            && !valid_session_name(name)
        {
            return Err(CredentialsError::Failed {
                provider,
                reason: format!(
                    "the role session name {name:?} must be 2 to 64 letters, digits or the characters . @ - _"
                ),
            });
        }
        Ok(())
    }

    fn session_name(&self) -> String {
        self.session_name
            .clone()
            .unwrap_or_else(default_session_name)
    }
}

fn with_scheme(endpoint: &str) -> String {
    let e = endpoint.trim_end_matches('/');
    if e.starts_with("http://") || e.starts_with("https://") {
        e.to_owned()
    } else {
        format!("https://{e}")
    }
}

fn valid_session_name(name: &str) -> bool {
    (2..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'@' | b'-' | b'_'))
}

fn default_session_name() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("aliapi-{secs}")
}

/// Setters shared by both builders.
macro_rules! sts_setters {
    () => {
        /// Sends requests to this STS endpoint (a URL, or a host for HTTPS)
        /// instead of the one derived from the region.
        pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
            self.settings.endpoint = Some(endpoint.into());
            self
        }

        /// Uses the STS endpoint of `region` (default: the
        /// `ALIBABA_CLOUD_STS_REGION` variable, else the central endpoint).
        pub fn sts_region(mut self, region: impl Into<String>) -> Self {
            self.settings.region = Some(region.into());
            self
        }

        /// Whether the regional endpoint is the VPC one (default: the
        /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED` variable).
        pub fn vpc_endpoint(mut self, enabled: bool) -> Self {
            self.settings.vpc = Some(enabled);
            self
        }

        /// Reads variables, files, the clock and HTTP settings through
        /// `config`, and calls STS through its HTTP client.
        pub fn configure(mut self, config: &ProviderConfig) -> Self {
            self.settings.config = config.clone();
            self
        }

        /// The role session name (default: `aliapi-<unix time>`).
        pub fn role_session_name(mut self, name: impl Into<String>) -> Self {
            self.settings.session_name = Some(name.into());
            self
        }

        /// The session length asked for, in seconds (default 3600, at least 900).
        pub fn duration_seconds(mut self, seconds: u32) -> Self {
            self.settings.duration_seconds = seconds;
            self
        }

        /// A policy (JSON text) further restricting the session.
        pub fn policy(mut self, policy: impl Into<String>) -> Self {
            self.settings.policy = Some(policy.into()).filter(|p: &String| !p.is_empty());
            self
        }

        /// Refreshes the keys this long before they expire (default 3 min).
        pub fn refresh_before(mut self, margin: Duration) -> Self {
            self.settings.refresh_before = margin;
            self
        }
    };
}

/// STS `AssumeRole`: temporary keys of a role, for whoever signs the call.
///
/// Repeating it only hands out other keys, so it is safe to retry.
#[rpc_action(product = "Sts", version = "2015-04-01", idempotent)]
#[derive(Debug)]
struct AssumeRole {
    #[rpc(location = "body")]
    role_arn: String,
    #[rpc(location = "body")]
    role_session_name: String,
    #[rpc(location = "body")]
    duration_seconds: Option<u32>,
    #[rpc(location = "body")]
    policy: Option<String>,
    #[rpc(location = "body")]
    external_id: Option<String>,
}

/// STS `AssumeRoleWithOIDC`: temporary keys of a role for the holder of an
/// OIDC token. It is sent unsigned; the token is the proof.
#[rpc_action(product = "Sts", version = "2015-04-01", idempotent)]
#[derive(Debug)]
struct AssumeRoleWithOIDC {
    #[rpc(location = "body")]
    role_arn: String,
    #[rpc(location = "body", rename = "OIDCProviderArn")]
    oidc_provider_arn: String,
    #[rpc(location = "body", rename = "OIDCToken")]
    oidc_token: String,
    #[rpc(location = "body")]
    role_session_name: String,
    #[rpc(location = "body")]
    duration_seconds: Option<u32>,
    #[rpc(location = "body")]
    policy: Option<String>,
}

/// The part of both answers this module reads.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AssumeRoleResponse {
    credentials: Option<TempKeys>,
}

type AssumeRoleWithOIDCResponse = AssumeRoleResponse;

/// The client STS is called through: built on first use from the
/// provider's config, then kept, so that every refresh goes through the
/// same connection pool.
struct StsClient {
    answers: StsAnswers,
    client: OnceLock<Client>,
}

/// Reads STS's answers for one provider: what a fetch takes with it when
/// it outlives the call that started it ([`LazyCache::get_or_refresh_owned`]).
#[derive(Clone)]
struct StsAnswers {
    provider: &'static str,
    endpoint: String,
}

impl StsClient {
    fn new(provider: &'static str, endpoint: String) -> Self {
        StsClient {
            answers: StsAnswers { provider, endpoint },
            client: OnceLock::new(),
        }
    }

    fn endpoint(&self) -> &str {
        &self.answers.endpoint
    }

    /// The client; `source` signs (`None`: calls go unsigned).
    fn get(
        &self,
        config: &ProviderConfig,
        source: Option<&SharedCredentialsProvider>,
    ) -> Result<&Client, CredentialsError> {
        if let Some(c) = self.client.get() {
            return Ok(c);
        }
        let mut builder = Client::builder()
            .http_client(config.http(self.answers.provider)?)
            .product_endpoint_url("Sts", self.answers.endpoint.clone())
            .retry(config.retry)
            .time_source(config.time.clone());
        builder = match source {
            Some(source) => builder.shared_credentials(source.clone()),
            None => builder.unsigned(),
        };
        let client = builder
            .build()
            .map_err(|e| self.answers.fail(format!("{e}")))?;
        Ok(self.client.get_or_init(|| client))
    }
}

impl StsAnswers {
    fn fail(&self, reason: String) -> CredentialsError {
        CredentialsError::Failed {
            provider: self.provider,
            reason,
        }
    }

    /// The keys of an answer, or why there are none. `e`'s text was
    /// redacted by the client already.
    fn keys(
        &self,
        answer: Result<AssumeRoleResponse, crate::Error>,
    ) -> Result<Credentials, CredentialsError> {
        match answer {
            Ok(AssumeRoleResponse {
                credentials: Some(keys),
            }) => keys.into_credentials(self.provider),
            Ok(_) => Err(self.fail(format!(
                "STS at {} answered without Credentials",
                self.endpoint
            ))),
            Err(crate::Error::Credentials(source)) => {
                Err(self.fail(format!("the source credentials are unavailable: {source}")))
            }
            Err(e) => Err(self.fail(format!("STS at {}: {e}", self.endpoint))),
        }
    }
}

impl fmt::Debug for StsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.endpoint())
    }
}

/// Temporary keys of a RAM role, from STS `AssumeRole` signed with the
/// keys of a source provider.
///
/// The call goes through an aliapi [`Client`]: retried, clock-corrected,
/// redacted and sent through the [`ProviderConfig`]'s HTTP client like any
/// other. The keys are cached and refreshed ahead of their expiration.
pub struct RamRoleArnProvider {
    source: SharedCredentialsProvider,
    role_arn: String,
    external_id: Option<String>,
    settings: StsSettings,
    sts: StsClient,
    cache: LazyCache,
}

/// Configures a [`RamRoleArnProvider`].
#[must_use]
pub struct RamRoleArnProviderBuilder {
    source: SharedCredentialsProvider,
    role_arn: String,
    external_id: Option<String>,
    settings: StsSettings,
}

impl RamRoleArnProvider {
    /// Assumes `role_arn` (`acs:ram::<account>:role/<name>`) with keys from
    /// `source`.
    ///
    /// ```
    /// use aliapi_core::Credentials;
    /// use aliapi_core::providers::{ProviderConfig, RamRoleArnProvider};
    ///
    /// let role = RamRoleArnProvider::builder(
    ///     Credentials::new("source-key-id", "source-secret"),
    ///     "acs:ram::1234567890:role/deployer",
    /// )
    /// .role_session_name("ci-deploy")
    /// .duration_seconds(900)
    /// .configure(&ProviderConfig::default())
    /// .build()?;
    /// let client = aliapi_core::Client::builder().credentials(role).build()?;
    /// # let _ = client;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(
        source: impl ProvideCredentials + 'static,
        role_arn: impl Into<String>,
    ) -> RamRoleArnProviderBuilder {
        Self::builder_shared(std::sync::Arc::new(source), role_arn)
    }

    /// Like [`builder`](Self::builder), with an already shared source.
    pub fn builder_shared(
        source: SharedCredentialsProvider,
        role_arn: impl Into<String>,
    ) -> RamRoleArnProviderBuilder {
        RamRoleArnProviderBuilder {
            source,
            role_arn: role_arn.into(),
            external_id: None,
            settings: StsSettings::default(),
        }
    }

    /// The STS endpoint URL requests go to.
    pub fn endpoint(&self) -> &str {
        self.sts.endpoint()
    }

    /// A fetch that owns what it needs, so that it can outlive the call
    /// that started it.
    fn start_fetch(&self) -> ProvideFuture<'static> {
        let client = self
            .sts
            .get(&self.settings.config, Some(&self.source))
            .cloned();
        let request = AssumeRole {
            role_arn: self.role_arn.clone(),
            role_session_name: self.settings.session_name(),
            duration_seconds: Some(self.settings.duration_seconds),
            policy: self.settings.policy.clone(),
            external_id: self.external_id.clone(),
        };
        let answers = self.sts.answers.clone();
        Box::pin(async move { answers.keys(client?.send(&request).await) })
    }
}

impl RamRoleArnProviderBuilder {
    sts_setters!();

    /// The external id the role's trust policy may require.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into()).filter(|i: &String| !i.is_empty());
        self
    }

    /// The provider; fails when a setting is out of range.
    pub fn build(self) -> Result<RamRoleArnProvider, CredentialsError> {
        if self.role_arn.trim().is_empty() {
            return Err(CredentialsError::Failed {
                provider: "ram_role_arn",
                reason: "the role ARN is empty".into(),
            });
        }
        self.settings.validate("ram_role_arn")?;
        Ok(RamRoleArnProvider {
            sts: StsClient::new("ram_role_arn", self.settings.endpoint()),
            cache: LazyCache::new(self.settings.refresh_before)
                .with_time_source(self.settings.config.time.clone()),
            source: self.source,
            role_arn: self.role_arn,
            external_id: self.external_id,
            settings: self.settings,
        })
    }
}

impl ProvideCredentials for RamRoleArnProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.cache.get_or_refresh_owned(|| self.start_fetch()))
    }
}

impl fmt::Debug for RamRoleArnProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnProvider")
            .field("role_arn", &self.role_arn)
            .field("endpoint", &self.sts)
            .field("duration_seconds", &self.settings.duration_seconds)
            .field("policy", &self.settings.policy.is_some())
            .field(
                "external_id",
                &self.external_id.as_ref().map(|_| "** redacted **"),
            )
            .field("source", &self.source)
            .field("cache", &self.cache)
            .finish()
    }
}

impl fmt::Debug for RamRoleArnProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnProviderBuilder")
            .field("role_arn", &self.role_arn)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// Temporary keys of a RAM role, from STS `AssumeRoleWithOIDC` with an OIDC
/// token (RRSA on Kubernetes, for instance).
///
/// The request is not signed. The token file is read again at each refresh,
/// since whoever writes it rotates it. Keys are cached and refreshed ahead
/// of their expiration.
///
/// ```no_run
/// use aliapi_core::providers::OidcRoleArnProvider;
///
/// let role = OidcRoleArnProvider::builder(
///     "acs:ram::1234567890:role/my-pod-role",
///     "acs:ram::1234567890:oidc-provider/ack-rrsa",
///     "/var/run/secrets/ack.alibabacloud.com/rrsa-tokens/token",
/// )
/// .role_session_name("my-pod")
/// .build()?;
/// let client = aliapi_core::Client::builder().credentials(role).build()?;
/// # let _ = client; Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct OidcRoleArnProvider {
    role_arn: String,
    oidc_provider_arn: String,
    token_file: PathBuf,
    settings: StsSettings,
    sts: StsClient,
    cache: LazyCache,
}

/// Configures an [`OidcRoleArnProvider`].
#[derive(Debug)]
#[must_use]
pub struct OidcRoleArnProviderBuilder {
    role_arn: String,
    oidc_provider_arn: String,
    token_file: PathBuf,
    settings: StsSettings,
}

impl OidcRoleArnProvider {
    /// Assumes `role_arn` as the identity of `oidc_provider_arn`, proving it
    /// with the token in `token_file`.
    pub fn builder(
        role_arn: impl Into<String>,
        oidc_provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> OidcRoleArnProviderBuilder {
        OidcRoleArnProviderBuilder {
            role_arn: role_arn.into(),
            oidc_provider_arn: oidc_provider_arn.into(),
            token_file: token_file.into(),
            settings: StsSettings::default(),
        }
    }

    /// The provider configured by `ALIBABA_CLOUD_ROLE_ARN`,
    /// `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE` and
    /// optionally `ALIBABA_CLOUD_ROLE_SESSION_NAME` in the variables of
    /// `config`; `NotFound` names the variables missing.
    pub fn from_config(config: &ProviderConfig) -> Result<Self, CredentialsError> {
        OidcRoleArnProviderBuilder::from_config(config)?.build()
    }

    /// The STS endpoint URL requests go to.
    pub fn endpoint(&self) -> &str {
        self.sts.endpoint()
    }

    /// A fetch that owns what it needs, so that it can outlive the call
    /// that started it. The token file is read here, at each refresh.
    fn start_fetch(&self) -> ProvideFuture<'static> {
        let prepared = self.prepare_fetch();
        let answers = self.sts.answers.clone();
        Box::pin(async move {
            let (client, request) = prepared?;
            // The token proves who calls: it must never show, even if STS
            // quotes it back.
            let token = request.oidc_token.clone();
            answers.keys(client.send_hiding(&request, &[&token]).await)
        })
    }

    /// The client and the request of a fetch, with the token as it is now.
    fn prepare_fetch(&self) -> Result<(Client, AssumeRoleWithOIDC), CredentialsError> {
        const P: &str = "oidc_role_arn";
        let config = &self.settings.config;
        let token =
            config
                .fs
                .read_to_string(&self.token_file)
                .map_err(|e| CredentialsError::Failed {
                    provider: P,
                    reason: format!(
                        "cannot read the OIDC token file {}: {e}",
                        self.token_file.display()
                    ),
                })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(CredentialsError::Failed {
                provider: P,
                reason: format!("the OIDC token file {} is empty", self.token_file.display()),
            });
        }
        let client = self.sts.get(config, None)?.clone();
        let request = AssumeRoleWithOIDC {
            role_arn: self.role_arn.clone(),
            oidc_provider_arn: self.oidc_provider_arn.clone(),
            oidc_token: token.to_owned(),
            role_session_name: self.settings.session_name(),
            duration_seconds: Some(self.settings.duration_seconds),
            policy: self.settings.policy.clone(),
        };
        Ok((client, request))
    }
}

impl OidcRoleArnProviderBuilder {
    sts_setters!();

    /// A builder set up from `ALIBABA_CLOUD_ROLE_ARN`,
    /// `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE` and
    /// optionally `ALIBABA_CLOUD_ROLE_SESSION_NAME` in the variables of
    /// `config`; `NotFound` names the variables missing.
    pub fn from_config(config: &ProviderConfig) -> Result<Self, CredentialsError> {
        let env = &config.env;
        let role = env.get(ROLE_ARN_ENV);
        let provider = env.get(OIDC_PROVIDER_ARN_ENV);
        let file = env.get(OIDC_TOKEN_FILE_ENV);
        let (Some(role), Some(provider), Some(file)) =
            (role.clone(), provider.clone(), file.clone())
        else {
            let missing: Vec<&str> = [
                (ROLE_ARN_ENV, role.is_none()),
                (OIDC_PROVIDER_ARN_ENV, provider.is_none()),
                (OIDC_TOKEN_FILE_ENV, file.is_none()),
            ]
            .into_iter()
            .filter_map(|(name, missing)| missing.then_some(name))
            .collect();
            return Err(CredentialsError::NotFound {
                provider: "oidc_role_arn",
                reason: format!("{} not set", missing.join(", ")),
            });
        };
        let mut builder = OidcRoleArnProvider::builder(role, provider, file);
        if let Some(name) = env.get(ROLE_SESSION_NAME_ENV) {
            builder = builder.role_session_name(name);
        }
        Ok(builder.configure(config))
    }

    /// The provider; fails when a setting is out of range.
    pub fn build(self) -> Result<OidcRoleArnProvider, CredentialsError> {
        const P: &str = "oidc_role_arn";
        for (what, value) in [
            ("role ARN", &self.role_arn),
            ("OIDC provider ARN", &self.oidc_provider_arn),
        ] {
            if value.trim().is_empty() {
                return Err(CredentialsError::Failed {
                    provider: P,
                    reason: format!("the {what} is empty"),
                });
            }
        }
        if self.token_file.as_os_str().is_empty() {
            return Err(CredentialsError::Failed {
                provider: P,
                reason: "the OIDC token file path is empty".into(),
            });
        }
        self.settings.validate(P)?;
        Ok(OidcRoleArnProvider {
            sts: StsClient::new(P, self.settings.endpoint()),
            cache: LazyCache::new(self.settings.refresh_before)
                .with_time_source(self.settings.config.time.clone()),
            role_arn: self.role_arn,
            oidc_provider_arn: self.oidc_provider_arn,
            token_file: self.token_file,
            settings: self.settings,
        })
    }
}

impl ProvideCredentials for OidcRoleArnProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.cache.get_or_refresh_owned(|| self.start_fetch()))
    }
}

impl fmt::Debug for OidcRoleArnProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcRoleArnProvider")
            .field("role_arn", &self.role_arn)
            .field("oidc_provider_arn", &self.oidc_provider_arn)
            .field("token_file", &self.token_file)
            .field("endpoint", &self.sts)
            .field("duration_seconds", &self.settings.duration_seconds)
            .field("cache", &self.cache)
            .finish()
    }
}

/// Keys as STS, the metadata service and credential URIs spell them.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TempKeys {
    pub(crate) access_key_id: Option<String>,
    pub(crate) access_key_secret: Option<String>,
    pub(crate) security_token: Option<String>,
    pub(crate) expiration: Option<String>,
}

impl TempKeys {
    /// Reads a `{Code, AccessKeyId, AccessKeySecret, SecurityToken,
    /// Expiration}` answer, as the metadata service and credentials URIs
    /// give: `Code`, when present, must be `Success`. `who` names the source
    /// in errors; the body is never quoted (it holds secrets).
    pub(crate) fn from_answer(
        body: &[u8],
        provider: &'static str,
        who: &str,
    ) -> Result<Credentials, CredentialsError> {
        #[derive(serde::Deserialize)]
        struct Answer {
            #[serde(rename = "Code")]
            code: Option<String>,
            #[serde(flatten)]
            keys: TempKeys,
        }
        let answer: Answer =
            serde_json::from_slice(body).map_err(|_| CredentialsError::Failed {
                provider,
                reason: format!("{who} answered something that is not the expected JSON"),
            })?;
        if let Some(code) = answer.code.as_deref()
            && code != "Success"
        {
            return Err(CredentialsError::Failed {
                provider,
                reason: format!("{who} answered Code {code:?}"),
            });
        }
        answer.keys.into_credentials(provider)
    }

    /// Credentials labelled `provider`; all four fields are required.
    pub(crate) fn into_credentials(
        self,
        provider: &'static str,
    ) -> Result<Credentials, CredentialsError> {
        let missing = |field: &str| CredentialsError::Failed {
            provider,
            reason: format!("the answer lacks {field}"),
        };
        let non_empty = |v: Option<String>| v.filter(|s| !s.is_empty());
        let id = non_empty(self.access_key_id).ok_or_else(|| missing("AccessKeyId"))?;
        let secret = non_empty(self.access_key_secret).ok_or_else(|| missing("AccessKeySecret"))?;
        let token = non_empty(self.security_token).ok_or_else(|| missing("SecurityToken"))?;
        let exp_text = non_empty(self.expiration).ok_or_else(|| missing("Expiration"))?;
        let expiration = aliapi_wire::time::parse_timestamp(&exp_text).ok_or_else(|| {
            // Quoted to help whoever debugs the endpoint, but the rest of the
            // same answer is secret: keep it out, whatever the endpoint put here.
            let shown = crate::redact::redact(&exp_text, &[&secret, &token]);
            CredentialsError::Failed {
                provider,
                reason: format!("the answer's Expiration {shown:?} is not a UTC timestamp"),
            }
        })?;
        Ok(Credentials::build(
            id,
            secret,
            Some(token),
            Some(expiration),
            provider,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::Env;

    #[test]
    fn endpoint_resolution() {
        let s = |env: Env| StsSettings {
            config: ProviderConfig::default().with_env(env),
            ..StsSettings::default()
        };
        let none = Env::from_vars::<&str, &str>([]);
        assert_eq!(s(none.clone()).endpoint(), DEFAULT_STS_ENDPOINT);
        let regional = Env::from_vars([(STS_REGION_ENV, "cn-shanghai")]);
        assert_eq!(
            s(regional).endpoint(),
            "https://sts.cn-shanghai.aliyuncs.com"
        );
        let vpc = Env::from_vars([(STS_REGION_ENV, "cn-beijing"), (VPC_ENDPOINT_ENV, "true")]);
        assert_eq!(s(vpc).endpoint(), "https://sts-vpc.cn-beijing.aliyuncs.com");
        let mut explicit = s(none);
        explicit.endpoint = Some("sts.example.test/".into());
        assert_eq!(explicit.endpoint(), "https://sts.example.test");
        explicit.endpoint = Some("http://127.0.0.1:1".into());
        assert_eq!(explicit.endpoint(), "http://127.0.0.1:1");
    }

    #[test]
    fn settings_are_validated() {
        let b = || RamRoleArnProvider::builder(Credentials::new("a", "b"), "acs:ram::1:role/r");
        assert!(b().build().is_ok());
        assert!(matches!(
            b().duration_seconds(899).build(),
            Err(CredentialsError::Failed { .. })
        ));
        assert!(b().role_session_name("bad name!").build().is_err());
        assert!(b().role_session_name("ok.name@x-1_2").build().is_ok());
        let empty = RamRoleArnProvider::builder(Credentials::new("a", "b"), " ").build();
        assert!(empty.is_err());
    }

    #[test]
    fn oidc_from_env_names_missing_variables() {
        let env = Env::from_vars([(ROLE_ARN_ENV, "acs:ram::1:role/r")]);
        let err =
            OidcRoleArnProvider::from_config(&ProviderConfig::default().with_env(env)).unwrap_err();
        let CredentialsError::NotFound { reason, .. } = err else {
            panic!("expected NotFound, got {err:?}");
        };
        assert!(reason.contains(OIDC_PROVIDER_ARN_ENV) && reason.contains(OIDC_TOKEN_FILE_ENV));
        assert!(!reason.contains(ROLE_ARN_ENV));
    }

    #[test]
    fn temp_keys_need_every_field() {
        let keys: TempKeys = serde_json::from_str(
            r#"{"AccessKeyId":"a","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2030-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        let c = keys.into_credentials("x").unwrap();
        assert_eq!(c.security_token(), Some("t"));
        assert_eq!(
            c.expiration(),
            aliapi_wire::time::parse_timestamp("2030-01-01T00:00:00Z")
        );
        let partial: TempKeys =
            serde_json::from_str(r#"{"AccessKeyId":"a","AccessKeySecret":"s"}"#).unwrap();
        let err = partial.into_credentials("x").unwrap_err();
        assert!(err.to_string().contains("SecurityToken"), "{err}");
        let bad_time: TempKeys = serde_json::from_str(
            r#"{"AccessKeyId":"a","AccessKeySecret":"s","SecurityToken":"t","Expiration":"soon"}"#,
        )
        .unwrap();
        assert!(bad_time.into_credentials("x").is_err());
    }

    #[test]
    fn debug_hides_external_id_and_source_secret() {
        let p = RamRoleArnProvider::builder(
            Credentials::new("AKID", "SOURCE-SECRET"),
            "acs:ram::1:role/r",
        )
        .external_id("EXT-ID-SECRET")
        .build()
        .unwrap();
        let shown = format!("{p:?}");
        assert!(shown.contains("acs:ram::1:role/r") && shown.contains("AKID"));
        assert!(!shown.contains("SOURCE-SECRET") && !shown.contains("EXT-ID-SECRET"));
    }
}
