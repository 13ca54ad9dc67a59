//! The description of one RPC operation, as `#[rpc_action]` derives it.

use serde::de::DeserializeOwned;

use crate::endpoint::EndpointRule;
use crate::error::Error;
use crate::params::ParamWriter;

/// The HTTP method a request is sent with.
///
/// With [`Method::Post`], params marked for the body travel in an
/// `application/x-www-form-urlencoded` body; the rest stay in the query.
/// Both are covered by the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: every param, including those marked for the body, goes in the query.
    Get,
    /// `POST`: body params go in a form body.
    Post,
}

impl Method {
    /// The method's name as it appears on the wire and in the string to sign.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One operation of an RPC-style API: what the `#[rpc_action]` attribute
/// implements for a request struct.
///
/// The constants identify the operation on the wire; [`RpcAction::write_params`]
/// flattens the struct into wire params. [`Client::send`](crate::Client::send)
/// adds the common params, signs, sends and decodes into
/// [`RpcAction::Response`].
pub trait RpcAction {
    /// Product code, e.g. `Cdn` or `Cbn`; also picks the endpoint override
    /// variable `ALIBABA_CLOUD_ENDPOINT_URL_<PRODUCT>`.
    const PRODUCT: &'static str;
    /// API version, e.g. `2018-05-10`.
    const VERSION: &'static str;
    /// The `Action` param, e.g. `DescribeUserDomains`.
    const ACTION: &'static str;
    /// How the request is sent.
    const METHOD: Method;
    /// Where the product's API is served.
    const ENDPOINT: EndpointRule;
    /// Whether the operation takes a `ClientToken` param, which makes a
    /// write idempotent. The client fills one in when the caller did not, so
    /// that the write can be retried without being applied twice.
    const ACCEPTS_CLIENT_TOKEN: bool = false;
    /// What a successful answer decodes into.
    type Response: DeserializeOwned;

    /// Writes the operation's own params (not the common ones) to `out`.
    ///
    /// Fails when a value cannot be put on the wire, e.g. a float that is not
    /// finite or a map with non-string keys; nothing is sent then.
    fn write_params(&self, out: &mut ParamWriter) -> Result<(), Error>;
}
