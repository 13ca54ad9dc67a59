//! Providers configured by files: the CLI's `~/.aliyun/config.json`
//! ([`CliProfileProvider`]) and the INI file `~/.alibabacloud/credentials`
//! ([`CredentialsFileProvider`]).
//!
//! Both read their file at the first call that needs it and keep the
//! provider the chosen profile describes (so the keys it fetches stay
//! cached). A missing file or profile is `NotFound`; a file that cannot be
//! parsed, an unknown mode or type, or a missing key is `Failed`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use super::ProviderConfig;
use super::ecs::EcsRamRoleProvider;
use super::ini::Ini;
use super::sts::{OidcRoleArnProvider, RamRoleArnProvider};
use crate::credentials::{
    Credentials, CredentialsError, ProvideCredentials, ProvideFuture, SharedCredentialsProvider,
};

/// The env variable naming the profile to use in either file.
pub(crate) const PROFILE_ENV: &str = "ALIBABA_CLOUD_PROFILE";
/// The env variable that, set to `true`, turns the CLI profile provider off.
pub(crate) const CLI_PROFILE_DISABLED_ENV: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
/// The env variable holding the path of the INI credentials file.
pub(crate) const CREDENTIALS_FILE_ENV: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";

/// The instance-role provider a profile describes.
fn ecs(config: &ProviderConfig, role: Option<&str>) -> EcsRamRoleProvider {
    let mut b = EcsRamRoleProvider::builder().configure(config);
    if let Some(r) = role {
        b = b.role_name(r);
    }
    b.build()
}

/// Applies what both STS builders accept.
macro_rules! sts_options {
    ($builder:expr, $ov:expr, $session:expr, $duration:expr, $policy:expr, $region:expr, $vpc:expr) => {{
        let mut b = $builder.configure($ov);
        if let Some(s) = $session {
            b = b.role_session_name(s);
        }
        if let Some(d) = $duration.filter(|d: &u32| *d > 0) {
            b = b.duration_seconds(d);
        }
        if let Some(p) = $policy {
            b = b.policy(p);
        }
        if let Some(r) = $region {
            b = b.sts_region(r);
        }
        if let Some(v) = $vpc {
            b = b.vpc_endpoint(v);
        }
        b
    }};
}

/// The provider a profile resolved to, once it has been.
struct Resolved {
    name: &'static str,
    inner: OnceLock<SharedCredentialsProvider>,
}

impl Resolved {
    fn new(name: &'static str) -> Self {
        Resolved {
            name,
            inner: OnceLock::new(),
        }
    }

    async fn provide(
        &self,
        resolve: impl FnOnce() -> Result<SharedCredentialsProvider, CredentialsError>,
    ) -> Result<Credentials, CredentialsError> {
        let inner = match self.inner.get() {
            Some(p) => p.clone(),
            None => {
                let p = resolve().map_err(|e| self.relabel(e))?;
                // Another caller may have resolved it meanwhile: use theirs.
                self.inner.get_or_init(|| p).clone()
            }
        };
        inner
            .provide_credentials()
            .await
            .map_err(|e| self.relabel(e))
    }

    /// A failure of an inner provider, reported under this provider's name.
    fn relabel(&self, e: CredentialsError) -> CredentialsError {
        match e {
            CredentialsError::Failed { provider, reason } if provider != self.name => {
                CredentialsError::Failed {
                    provider: self.name,
                    reason: format!("{provider}: {reason}"),
                }
            }
            CredentialsError::NotFound { provider, reason } if provider != self.name => {
                CredentialsError::NotFound {
                    provider: self.name,
                    reason: format!("{provider}: {reason}"),
                }
            }
            other => other,
        }
    }
}

impl fmt::Debug for Resolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.inner.get() {
            Some(p) => p.fmt(f),
            None => f.write_str("(not read yet)"),
        }
    }
}

/// Reads a file; a missing one is `NotFound` unless `must_exist`.
fn read_file(
    config: &ProviderConfig,
    provider: &'static str,
    path: &Path,
    must_exist: bool,
) -> Result<String, CredentialsError> {
    config.fs.read_to_string(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound && !must_exist {
            CredentialsError::NotFound {
                provider,
                reason: format!("{} does not exist", path.display()),
            }
        } else {
            CredentialsError::Failed {
                provider,
                reason: format!("cannot read {}: {e}", path.display()),
            }
        }
    })
}

fn static_keys(
    provider: &'static str,
    id: String,
    secret: String,
    token: Option<String>,
) -> SharedCredentialsProvider {
    Arc::new(Credentials::build(id, secret, token, None, provider))
}

/// One profile of the CLI configuration.
#[derive(Deserialize, Default)]
#[serde(default)]
struct CliProfile {
    name: String,
    mode: String,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    sts_token: Option<String>,
    ram_role_arn: Option<String>,
    ram_session_name: Option<String>,
    expired_seconds: Option<u32>,
    sts_region: Option<String>,
    enable_vpc: Option<bool>,
    source_profile: Option<String>,
    ram_role_name: Option<String>,
    oidc_token_file: Option<String>,
    oidc_provider_arn: Option<String>,
    policy: Option<String>,
    external_id: Option<String>,
    region_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CliConfig {
    current: Option<String>,
    profiles: Vec<CliProfile>,
}

/// Credentials of a profile in the Alibaba Cloud CLI's configuration,
/// `~/.aliyun/config.json`.
///
/// The profile is the one named by the builder, else by
/// `ALIBABA_CLOUD_PROFILE`, else the file's `current` one. Modes `AK`,
/// `StsToken`, `RamRoleArn`, `EcsRamRole`, `ChainableRamRoleArn` (assumes a
/// role with the keys of its `source_profile`) and `OIDC` are understood.
/// `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` turns the provider off.
///
/// ```no_run
/// use aliapi_core::providers::CliProfileProvider;
///
/// // The profile `aliyun configure --profile work` wrote.
/// let work = CliProfileProvider::builder().profile("work").build_cli();
/// let client = aliapi_core::Client::builder().credentials(work).build()?;
/// # let _ = client; Ok::<(), aliapi_core::Error>(())
/// ```
#[derive(Debug)]
pub struct CliProfileProvider {
    path: Option<PathBuf>,
    profile: Option<String>,
    disabled: bool,
    config: ProviderConfig,
    resolved: Resolved,
}

/// Configures a [`CliProfileProvider`] or a [`CredentialsFileProvider`].
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ProfileProviderBuilder {
    path: Option<PathBuf>,
    profile: Option<String>,
    config: ProviderConfig,
}

impl ProfileProviderBuilder {
    /// Reads variables, the home directory and files, and calls services,
    /// through `config`.
    pub fn configure(mut self, config: &ProviderConfig) -> Self {
        self.config = config.clone();
        self
    }

    /// Reads this file instead of the default one.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this profile.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into()).filter(|n: &String| !n.trim().is_empty());
        self
    }

    /// A provider of the CLI configuration file.
    pub fn build_cli(self) -> CliProfileProvider {
        let env = &self.config.env;
        CliProfileProvider {
            path: self.path.or_else(|| {
                env.home_dir()
                    .map(|h| h.join(".aliyun").join("config.json"))
            }),
            profile: self.profile.or_else(|| env.get(PROFILE_ENV)),
            disabled: env.is_true(CLI_PROFILE_DISABLED_ENV),
            resolved: Resolved::new(CLI),
            config: self.config,
        }
    }

    /// A provider of the INI credentials file.
    pub fn build_file(self) -> CredentialsFileProvider {
        let env = &self.config.env;
        let (path, must_exist) = match self.path {
            Some(p) => (Some(p), true),
            None => match env.get(CREDENTIALS_FILE_ENV) {
                Some(p) => (Some(PathBuf::from(p)), true),
                None => (
                    env.home_dir()
                        .map(|h| h.join(".alibabacloud").join("credentials")),
                    false,
                ),
            },
        };
        CredentialsFileProvider {
            path,
            must_exist,
            profile: self
                .profile
                .or_else(|| env.get(PROFILE_ENV))
                .unwrap_or_else(|| "default".to_owned()),
            resolved: Resolved::new(FILE),
            config: self.config,
        }
    }
}

const CLI: &str = "cli_profile";
const FILE: &str = "credentials_file";

impl CliProfileProvider {
    /// A builder reading the process environment.
    pub fn builder() -> ProfileProviderBuilder {
        ProfileProviderBuilder::default()
    }

    /// The file this provider reads, when a home directory is known.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn resolve(&self) -> Result<SharedCredentialsProvider, CredentialsError> {
        if self.disabled {
            return Err(CredentialsError::NotFound {
                provider: CLI,
                reason: format!("disabled by {CLI_PROFILE_DISABLED_ENV}=true"),
            });
        }
        let Some(path) = &self.path else {
            return Err(CredentialsError::NotFound {
                provider: CLI,
                reason: "no home directory (HOME is not set)".into(),
            });
        };
        let text = read_file(&self.config, CLI, path, false)?;
        let config: CliConfig =
            serde_json::from_str(&text).map_err(|e| CredentialsError::Failed {
                provider: CLI,
                // Only the position: serde's message may quote the file.
                reason: format!(
                    "{} is not a valid CLI configuration (JSON {:?} error at line {}, column {})",
                    path.display(),
                    e.classify(),
                    e.line(),
                    e.column()
                ),
            })?;
        let name = self
            .profile
            .clone()
            .or_else(|| config.current.clone().filter(|c| !c.is_empty()))
            .unwrap_or_else(|| "default".to_owned());
        if !config.profiles.iter().any(|p| p.name == name) {
            return Err(CredentialsError::NotFound {
                provider: CLI,
                reason: format!("{} has no profile {name:?}", path.display()),
            });
        }
        cli_profile_provider(&config, &name, &self.config, 0)
    }
}

/// The `region_id` of the CLI profile that [`CliProfileProvider`] would
/// use, when the file exists and names one.
pub(crate) fn cli_region(config: &ProviderConfig) -> Option<String> {
    let env = &config.env;
    if env.is_true(CLI_PROFILE_DISABLED_ENV) {
        return None;
    }
    let path = env.home_dir()?.join(".aliyun").join("config.json");
    let text = config.fs.read_to_string(&path).ok()?;
    let cli: CliConfig = serde_json::from_str(&text).ok()?;
    let name = env
        .get(PROFILE_ENV)
        .or_else(|| cli.current.clone().filter(|c| !c.is_empty()))
        .unwrap_or_else(|| "default".to_owned());
    let profile = cli.profiles.into_iter().find(|p| p.name == name)?;
    profile.region_id.filter(|r| !r.trim().is_empty())
}

/// The provider profile `name` describes; `depth` counts source profiles
/// followed so far, to stop loops.
fn cli_profile_provider(
    config: &CliConfig,
    name: &str,
    ov: &ProviderConfig,
    depth: usize,
) -> Result<SharedCredentialsProvider, CredentialsError> {
    let fail = |reason: String| CredentialsError::Failed {
        provider: CLI,
        reason,
    };
    if depth > 8 {
        return Err(fail(format!(
            "source profiles loop or nest too deeply at {name:?}"
        )));
    }
    let p = config
        .profiles
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| fail(format!("no profile {name:?} (named as a source profile)")))?;
    let need = |field: &Option<String>, key: &str| -> Result<String, CredentialsError> {
        field
            .clone()
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| fail(format!("profile {name:?} (mode {}) lacks {key}", p.mode)))
    };
    let ak = || -> Result<SharedCredentialsProvider, CredentialsError> {
        Ok(static_keys(
            CLI,
            need(&p.access_key_id, "access_key_id")?,
            need(&p.access_key_secret, "access_key_secret")?,
            None,
        ))
    };
    let role =
        |source: SharedCredentialsProvider| -> Result<SharedCredentialsProvider, CredentialsError> {
            let mut b =
                RamRoleArnProvider::builder_shared(source, need(&p.ram_role_arn, "ram_role_arn")?);
            b = sts_options!(
                b,
                ov,
                p.ram_session_name.clone(),
                p.expired_seconds,
                p.policy.clone(),
                p.sts_region.clone(),
                p.enable_vpc
            );
            if let Some(id) = &p.external_id {
                b = b.external_id(id.clone());
            }
            Ok(Arc::new(b.build()?))
        };
    match p.mode.as_str() {
        "AK" => ak(),
        "StsToken" => Ok(static_keys(
            CLI,
            need(&p.access_key_id, "access_key_id")?,
            need(&p.access_key_secret, "access_key_secret")?,
            Some(need(&p.sts_token, "sts_token")?),
        )),
        "RamRoleArn" => role(ak()?),
        "ChainableRamRoleArn" => {
            let source_name = need(&p.source_profile, "source_profile")?;
            role(cli_profile_provider(config, &source_name, ov, depth + 1)?)
        }
        "EcsRamRole" => Ok(Arc::new(ecs(
            ov,
            p.ram_role_name.as_deref().filter(|r| !r.is_empty()),
        ))),
        "OIDC" => {
            let b = OidcRoleArnProvider::builder(
                need(&p.ram_role_arn, "ram_role_arn")?,
                need(&p.oidc_provider_arn, "oidc_provider_arn")?,
                need(&p.oidc_token_file, "oidc_token_file")?,
            );
            let b = sts_options!(
                b,
                ov,
                p.ram_session_name.clone(),
                p.expired_seconds,
                p.policy.clone(),
                p.sts_region.clone(),
                p.enable_vpc
            );
            Ok(Arc::new(b.build()?))
        }
        "" => Err(fail(format!("profile {name:?} has no mode"))),
        other => Err(fail(format!(
            "profile {name:?} has mode {other:?}, which is not supported"
        ))),
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.resolved.provide(|| self.resolve()))
    }
}

/// Credentials of a profile of the INI file `~/.alibabacloud/credentials`
/// (or the file `ALIBABA_CLOUD_CREDENTIALS_FILE` names).
///
/// The section is the one named by the builder, else by
/// `ALIBABA_CLOUD_PROFILE`, else `[default]`. Its `type` is one of
/// `access_key` (`access_key_id`, `access_key_secret`), `sts` (those and
/// `security_token`), `ram_role_arn` (those and `role_arn`, optional
/// `role_session_name`, `policy`, `external_id`, `duration_seconds`),
/// `ecs_ram_role` (optional `role_name`) or `oidc_role_arn` (`role_arn`,
/// `oidc_provider_arn`, `oidc_token_file_path`, optional
/// `role_session_name`, `policy`). A section with `enable = false` is
/// skipped.
///
/// ```no_run
/// use aliapi_core::providers::CredentialsFileProvider;
///
/// let file = CredentialsFileProvider::builder()
///     .path("/etc/my-app/alibabacloud-credentials")
///     .profile("deploy")
///     .build_file();
/// let client = aliapi_core::Client::builder().credentials(file).build()?;
/// # let _ = client; Ok::<(), aliapi_core::Error>(())
/// ```
#[derive(Debug)]
pub struct CredentialsFileProvider {
    path: Option<PathBuf>,
    must_exist: bool,
    profile: String,
    config: ProviderConfig,
    resolved: Resolved,
}

impl CredentialsFileProvider {
    /// A builder reading the process environment.
    pub fn builder() -> ProfileProviderBuilder {
        ProfileProviderBuilder::default()
    }

    /// The file this provider reads, when known.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn resolve(&self) -> Result<SharedCredentialsProvider, CredentialsError> {
        let Some(path) = &self.path else {
            return Err(CredentialsError::NotFound {
                provider: FILE,
                reason: "no home directory (HOME is not set)".into(),
            });
        };
        let text = read_file(&self.config, FILE, path, self.must_exist)?;
        let ini = Ini::parse(&text).map_err(|e| CredentialsError::Failed {
            provider: FILE,
            reason: format!("{} is not a valid INI file: {e}", path.display()),
        })?;
        let name = &self.profile;
        let Some(s) = ini.section(name) else {
            let names: Vec<&str> = ini.section_names().filter(|n| !n.is_empty()).collect();
            return Err(CredentialsError::NotFound {
                provider: FILE,
                reason: format!(
                    "{} has no [{name}] section (it has: {})",
                    path.display(),
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    }
                ),
            });
        };
        let fail = |reason: String| CredentialsError::Failed {
            provider: FILE,
            reason,
        };
        if s.get("enable")
            .is_some_and(|v| v.eq_ignore_ascii_case("false"))
        {
            return Err(CredentialsError::NotFound {
                provider: FILE,
                reason: format!(
                    "[{name}] in {} is disabled (enable = false)",
                    path.display()
                ),
            });
        }
        let kind = s
            .get("type")
            .ok_or_else(|| fail(format!("[{name}] in {} has no type", path.display())))?;
        let need = |key: &str| -> Result<String, CredentialsError> {
            s.get(key).map(str::to_owned).ok_or_else(|| {
                fail(format!(
                    "[{name}] (type {kind}) in {} lacks {key}",
                    path.display()
                ))
            })
        };
        let opt = |key: &str| s.get(key).map(str::to_owned);
        let duration = match s.get("duration_seconds") {
            None => None,
            Some(d) => Some(d.parse::<u32>().map_err(|_| {
                fail(format!(
                    "[{name}] in {}: duration_seconds is not a whole number",
                    path.display()
                ))
            })?),
        };
        let ov = &self.config;
        match kind {
            "access_key" => Ok(static_keys(
                FILE,
                need("access_key_id")?,
                need("access_key_secret")?,
                None,
            )),
            "sts" => Ok(static_keys(
                FILE,
                need("access_key_id")?,
                need("access_key_secret")?,
                Some(need("security_token")?),
            )),
            "ram_role_arn" => {
                let source = static_keys(
                    FILE,
                    need("access_key_id")?,
                    need("access_key_secret")?,
                    None,
                );
                let b = RamRoleArnProvider::builder_shared(source, need("role_arn")?);
                let mut b = sts_options!(
                    b,
                    ov,
                    opt("role_session_name"),
                    duration,
                    opt("policy"),
                    opt("sts_region"),
                    None::<bool>
                );
                if let Some(id) = opt("external_id") {
                    b = b.external_id(id);
                }
                Ok(Arc::new(b.build()?))
            }
            "ecs_ram_role" => Ok(Arc::new(ecs(ov, s.get("role_name")))),
            "oidc_role_arn" => {
                let b = OidcRoleArnProvider::builder(
                    need("role_arn")?,
                    need("oidc_provider_arn")?,
                    need("oidc_token_file_path")?,
                );
                let b = sts_options!(
                    b,
                    ov,
                    opt("role_session_name"),
                    duration,
                    opt("policy"),
                    opt("sts_region"),
                    None::<bool>
                );
                Ok(Arc::new(b.build()?))
            }
            other => Err(fail(format!(
                "[{name}] in {} has type {other:?}, which is not supported",
                path.display()
            ))),
        }
    }
}

impl ProvideCredentials for CredentialsFileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.resolved.provide(|| self.resolve()))
    }
}
