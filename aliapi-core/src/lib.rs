//! The runtime of aliapi: one [`Client`] that signs, sends and decodes calls
//! to Alibaba Cloud RPC-style APIs.
//!
//! Operations are request structs annotated with [`rpc_action`]; the product
//! crates (`aliapi-cdn`, `aliapi-cen`) hold every operation of their API, and
//! you can annotate structs of your own for any other RPC operation.
//!
//! ```no_run
//! use aliapi_core::{Client, Error, rpc_action};
//!
//! #[rpc_action(product = "Cdn", version = "2018-05-10", method = "GET")]
//! pub struct DescribeRefreshQuota {}
//!
//! #[derive(Debug, Default, serde::Deserialize)]
//! #[serde(default, rename_all = "PascalCase")]
//! pub struct DescribeRefreshQuotaResponse {
//!     pub request_id: Option<String>,
//!     pub url_remain: Option<i64>,
//! }
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::from_env()?;
//! match client.send(&DescribeRefreshQuota::new()).await {
//!     Ok(quota) => println!("{:?} URL refreshes left", quota.url_remain),
//!     Err(e) if e.code() == Some("Throttling.User") => eprintln!("slow down: {e}"),
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```
//!
//! # Layers
//!
//! Data flows one way: params → [`sign`] → transport → decode, with the
//! retry loop around them in the [`Client`]. [`credentials`] is the bottom
//! layer and imports nothing above it; the [`providers`] that call STS or
//! the metadata service sit above the client and send through it.

#![warn(missing_docs)]
#![warn(rustdoc::broken_intra_doc_links)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Without the client, helpers that only sending uses are left unused.
#![cfg_attr(not(feature = "client"), allow(dead_code, unused_imports))]

// The attribute's expansion names `::aliapi_core::…`; this makes those
// paths resolve inside the crate too, where STS's operations are defined.
extern crate self as aliapi_core;

mod action;
#[cfg(feature = "client")]
mod client;
pub mod clock;
pub mod credentials;
mod decode;
mod endpoint;
mod error;
mod generic;
mod open_enum;
#[cfg(feature = "client")]
pub mod paginate;
mod params;
#[cfg(feature = "client")]
pub mod providers;
mod redact;
#[cfg(feature = "client")]
mod retry;
pub mod sign;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;
#[cfg(feature = "client")]
mod transport;
#[cfg(feature = "client")]
pub mod waiter;

pub use action::{Method, RpcAction};
pub use aliapi_macros::rpc_action;
#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use decode::Format;
#[cfg(feature = "client")]
pub use decode::RawResponse;
pub use endpoint::EndpointRule;
pub use error::{Error, ErrorCode, ServiceError, SignatureDiagnosis, TimeoutKind};
pub use generic::GenericRequest;
pub use params::{EncodedParam, Location, ParamWriter, Style};
#[cfg(feature = "client")]
pub use retry::RetryConfig;
pub use sign::SignatureVersion;
#[cfg(feature = "client")]
pub use transport::{DEFAULT_MAX_RESPONSE_BYTES, HttpClient, HttpClientBuilder, USER_AGENT};

/// What `#[rpc_action]` and the generated product crates refer to, so that
/// generated code works whatever the user imported. Not a public API: it
/// changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use crate::action::{Method, RpcAction};
    pub use crate::decode::fields::{json_text, wrapped_list};
    pub use crate::endpoint::EndpointRule;
    pub use crate::error::Error;
    pub use crate::open_enum::open_enum_text;
    pub use crate::params::{Location, ParamWriter, Style};
    pub use core::convert::Into;
    pub use serde;

    /// The error of a required list or map that was left empty.
    pub fn required_param_empty(name: &str) -> Error {
        Error::InvalidParam {
            param: name.to_owned(),
            reason: "is required but empty; nothing was sent".to_owned(),
        }
    }
    pub use core::default::Default;
    pub use core::option::Option;
    pub use core::result::Result;

    /// Decodes a body as the client does, for the product crates' tests.
    pub fn decode_body<T: serde::de::DeserializeOwned>(
        body: &[u8],
        format: crate::Format,
    ) -> Result<T, String> {
        crate::decode::decode_body(body, format == crate::Format::Xml)
    }
}
