//! The runtime of aliapi: one [`Client`] that signs, sends and decodes calls
//! to Alibaba Cloud RPC-style APIs.
//!
//! Operations are request structs annotated with [`rpc_action`]; the product
//! crates (`aliapi-cdn`, `aliapi-cen`) hold every operation of their API, and
//! you can annotate structs of your own for any other RPC operation.

#![warn(missing_docs)]

mod action;
mod client;
pub mod credentials;
pub mod decode;
mod endpoint;
mod error;
mod generic;
pub mod paginate;
mod params;
mod request;
mod retry;
pub mod sign;
mod transport;

pub use action::{Method, RpcAction};
pub use aliapi_macros::rpc_action;
pub use client::{Client, ClientBuilder, REGION_ENV, RawResponse};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use decode::Format;
pub use endpoint::ENDPOINT_URL_ENV;
pub use endpoint::EndpointRule;
pub use error::{Error, ServiceError, SignatureDiagnosis};
pub use generic::GenericRequest;
pub use params::{EncodedParam, Location, ParamWriter, Style};
pub use retry::RetryConfig;
pub use sign::SignatureVersion;
pub use transport::USER_AGENT;

/// What `#[rpc_action]` expands to refers to these paths only, so generated
/// code works whatever the user imported. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::action::{Method, RpcAction};
    pub use crate::decode::fields::{json_text, wrapped_list};
    pub use crate::endpoint::EndpointRule;
    pub use crate::error::Error;
    pub use crate::params::{Location, ParamWriter, Style};
    pub use core::convert::Into;

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
}
