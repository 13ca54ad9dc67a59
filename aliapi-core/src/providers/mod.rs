//! Where credentials come from: the environment, files, STS, the ECS
//! instance role, a credentials URI, and the official chain of them all.
//!
//! These providers sit above the [`Client`](crate::Client), as the AWS
//! SDK's config crate sits above its runtime: the ones that call a service
//! (STS `AssumeRole` and `AssumeRoleWithOIDC`) send it through a `Client` of
//! their own that shares the HTTP settings they are given, so STS calls are
//! retried, clock-corrected and redacted like every other call. Every
//! provider reads the world through one [`ProviderConfig`]: variables,
//! files, the clock, HTTP.
//!
//! [`DefaultCredentialsChain`] asks every standard source in the official
//! order (environment, OIDC, CLI profile, credentials file, ECS instance
//! role, credentials URI);
//! [`ClientBuilder::with_env`](crate::ClientBuilder::with_env) builds one
//! that shares the client's own HTTP client.
//!
//! ```no_run
//! use aliapi_core::Client;
//! use aliapi_core::providers::{DefaultCredentialsChain, ProviderConfig};
//!
//! # async fn run() -> Result<(), aliapi_core::Error> {
//! // What Client::from_env() does, spelled out.
//! let chain = DefaultCredentialsChain::builder()
//!     .configure(&ProviderConfig::default())
//!     .build();
//! let client = Client::builder().credentials(chain).build()?;
//! # let _ = client; Ok(()) }
//! ```

mod chain;
mod config;
mod ecs;
mod env;
mod environment;
mod http;
mod ini;
mod load;
mod profile;
mod sts;
mod uri;

pub use chain::{CredentialsChain, DefaultCredentialsChain, DefaultCredentialsChainBuilder};
pub use config::{Fs, ProviderConfig};
pub use ecs::{EcsRamRoleProvider, EcsRamRoleProviderBuilder};
pub use env::Env;
pub use environment::EnvironmentProvider;
pub use profile::{CliProfileProvider, CredentialsFileProvider, ProfileProviderBuilder};
pub use sts::{
    OidcRoleArnProvider, OidcRoleArnProviderBuilder, RamRoleArnProvider, RamRoleArnProviderBuilder,
};
pub use uri::CredentialsUriProvider;
