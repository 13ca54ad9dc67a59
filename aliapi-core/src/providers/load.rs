//! The environment's configuration of a [`Client`]: [`Client::from_env`]
//! and [`ClientBuilder::with_env`]. They live here, above the client, since
//! they build the default credentials chain.

use std::sync::Arc;

use super::{DefaultCredentialsChain, ProviderConfig};
use crate::client::{Client, ClientBuilder};
use crate::endpoint::EndpointOverrides;
use crate::error::Error;

/// The env variable naming the default region.
pub(crate) const REGION_ENV: &str = "ALIBABA_CLOUD_REGION_ID";

impl Client {
    /// A client configured from the environment; see
    /// [`ClientBuilder::with_env`].
    ///
    /// ```no_run
    /// # fn run() -> Result<(), aliapi_core::Error> {
    /// let client = aliapi_core::Client::from_env()?;
    /// # let _ = client; Ok(()) }
    /// ```
    pub fn from_env() -> Result<Client, Error> {
        Client::builder().with_env().build()
    }
}

impl ClientBuilder {
    /// Fills what was not set explicitly from the environment:
    ///
    /// - credentials from the [`DefaultCredentialsChain`] (variables, OIDC,
    ///   the CLI profile, the credentials file, the ECS instance role, a
    ///   credentials URI), made when the client is built so that its STS
    ///   calls go through the client's own HTTP client, proxy and CA bundle;
    /// - the region from `ALIBABA_CLOUD_REGION_ID`, else the `region_id` of
    ///   the CLI profile in use;
    /// - endpoint overrides from `ALIBABA_CLOUD_ENDPOINT_URL` and
    ///   `ALIBABA_CLOUD_ENDPOINT_URL_<PRODUCT>` (e.g. `_CDN`, `_CBN`); those
    ///   set on the builder win.
    pub fn with_env(self) -> Self {
        self.with_provider_config(&ProviderConfig::default())
    }

    /// [`with_env`](Self::with_env), reading variables and files through
    /// `config` (its HTTP client and clock are replaced by the client's).
    pub fn with_provider_config(mut self, config: &ProviderConfig) -> Self {
        if self.credentials.is_none() {
            let base = config.clone();
            let direct = self.http_settings.clone();
            self.deferred_credentials = Some(Box::new(move |http, time| {
                let config = base
                    .with_http_client(http.clone())
                    .with_direct_http(direct)
                    .with_time_source(time.clone());
                Arc::new(
                    DefaultCredentialsChain::builder()
                        .configure(&config)
                        .build(),
                )
            }));
        }
        if self.region.is_none() {
            self.region = config
                .env
                .get(REGION_ENV)
                .or_else(|| super::profile::cli_region(config));
        }
        let mut from_env = EndpointOverrides::from_vars(config.env.vars());
        from_env.merge(std::mem::take(&mut self.endpoints));
        self.endpoints = from_env;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::{Env, Fs};

    fn config(vars: &[(&str, &str)], files: &[(&str, &str)]) -> ProviderConfig {
        ProviderConfig::default()
            .with_env(Env::from_vars(vars.iter().copied()))
            .with_fs(Fs::from_files(files.iter().copied()))
    }

    #[test]
    fn region_from_the_environment_then_the_cli_profile() {
        let cli = r#"{"current":"work","profiles":[
            {"name":"default","mode":"AK","region_id":"cn-beijing"},
            {"name":"work","mode":"AK","region_id":"ap-southeast-1"}]}"#;
        let files = [("/home/u/.aliyun/config.json", cli)];
        let build = |vars: &[(&str, &str)]| {
            ClientBuilder::default()
                .with_provider_config(&config(vars, &files))
                .build()
                .unwrap()
        };
        let home = ("HOME", "/home/u");
        assert_eq!(build(&[home]).region(), Some("ap-southeast-1"));
        assert_eq!(
            build(&[home, ("ALIBABA_CLOUD_PROFILE", "default")]).region(),
            Some("cn-beijing")
        );
        assert_eq!(
            build(&[home, (REGION_ENV, "cn-shanghai")]).region(),
            Some("cn-shanghai")
        );
        assert_eq!(build(&[]).region(), None);
        // The builder's own region wins over both.
        let own = ClientBuilder::default()
            .region("eu-west-1")
            .with_provider_config(&config(&[home], &files))
            .build()
            .unwrap();
        assert_eq!(own.region(), Some("eu-west-1"));
    }
}
