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
///
/// An operation is plain owned data (`Send + Sync + 'static`), as every
/// request built by `#[rpc_action]` is: that keeps the futures of
/// [`Client::send`](crate::Client::send) `Send`, and lets the test doubles
/// of the `test-util` feature hand a rule the typed request.
pub trait RpcAction: Send + Sync + 'static {
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
    /// Whether sending the request twice cannot apply it twice (set by
    /// `#[rpc_action(idempotent)]`). The client then retries it after any
    /// retryable failure, even one where the server may have acted; reads
    /// (`Describe…`, `List…`, `Get…`, …) are treated so already.
    const IDEMPOTENT: bool = false;
    /// What a successful answer decodes into.
    type Response: DeserializeOwned;

    /// Writes the operation's own params (not the common ones) to `out`.
    ///
    /// Fails when a value cannot be put on the wire, e.g. a float that is not
    /// finite or a map with non-string keys; nothing is sent then.
    fn write_params(&self, out: &mut ParamWriter) -> Result<(), Error>;
}

/// What identifies a call, whoever described it (a typed action or a
/// generic request).
#[derive(Clone, Copy)]
pub(crate) struct Call<'a> {
    pub(crate) product: &'a str,
    pub(crate) version: &'a str,
    pub(crate) action: &'a str,
    pub(crate) method: Method,
    /// The typed request, when there is one: only the test doubles of the
    /// `test-util` feature look at it.
    #[cfg_attr(not(feature = "test-util"), allow(dead_code))]
    pub(crate) typed: Option<&'a (dyn std::any::Any + Send + Sync)>,
}

impl std::fmt::Debug for Call<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("product", &self.product)
            .field("version", &self.version)
            .field("action", &self.action)
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

/// What a typed action says about itself, and its params written out: the
/// start of both sending and presigning.
pub(crate) fn prepare<A: RpcAction>(action: &A) -> Result<(Call<'_>, ParamWriter), Error> {
    let mut params = ParamWriter::with_capacity(16, 512);
    action.write_params(&mut params)?;
    let call = Call {
        product: A::PRODUCT,
        version: A::VERSION,
        action: A::ACTION,
        method: A::METHOD,
        typed: Some(action),
    };
    Ok((call, params))
}
