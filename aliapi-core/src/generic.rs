//! Calls to operations nobody has typed yet.

use serde::Serialize;

use crate::action::Method;
use crate::error::Error;
use crate::params::{Location, ParamWriter, Style};

/// An operation described at run time: product, version, action and params
/// as name/value pairs. Send it with [`Client::call`](crate::Client::call).
///
/// ```
/// use aliapi_core::{GenericRequest, Method};
/// let req = GenericRequest::new("Cdn", "2018-05-10", "DescribeRefreshQuota")
///     .method(Method::Get)
///     .param("SecurityToken-free", "yes");
/// assert_eq!(req.action(), "DescribeRefreshQuota");
/// ```
#[derive(Debug, Clone)]
pub struct GenericRequest {
    pub(crate) product: String,
    pub(crate) version: String,
    pub(crate) action: String,
    pub(crate) method: Method,
    pub(crate) host: Option<String>,
    pub(crate) params: ParamWriter,
}

impl GenericRequest {
    /// A `POST` call of `action` in `product` (a product code such as `Cdn`)
    /// at `version`, sent to `<product>.aliyuncs.com` unless overridden.
    pub fn new(
        product: impl Into<String>,
        version: impl Into<String>,
        action: impl Into<String>,
    ) -> Self {
        GenericRequest {
            product: product.into(),
            version: version.into(),
            action: action.into(),
            method: Method::Post,
            host: None,
            params: ParamWriter::new(),
        }
    }

    /// Sends with `method` instead of `POST`.
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// Sends to `host` (e.g. `cdn.ap-southeast-1.aliyuncs.com`) unless an
    /// endpoint override is configured for the product.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// Adds a query param.
    pub fn param(mut self, name: &str, value: impl AsRef<str>) -> Self {
        self.params.push(name, value.as_ref(), Location::Query);
        self
    }

    /// Adds a body param (form-encoded with `POST`, in the query with `GET`).
    pub fn body_param(mut self, name: &str, value: impl AsRef<str>) -> Self {
        self.params.push(name, value.as_ref(), Location::Body);
        self
    }

    /// Adds a structured param flattened in `style` (e.g. a list of tags as
    /// `Tag.1.Key`); fails when the value cannot be put on the wire.
    pub fn structured_param<T: Serialize + ?Sized>(
        mut self,
        name: &str,
        location: Location,
        style: Style,
        value: &T,
    ) -> Result<Self, Error> {
        self.params.write(name, location, style, value)?;
        Ok(self)
    }

    /// The action.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The params written so far.
    pub fn params(&self) -> &ParamWriter {
        &self.params
    }
}
