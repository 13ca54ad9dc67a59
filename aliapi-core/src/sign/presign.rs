//! [`Presigner`]: a signed request without sending it, for another HTTP
//! client, a queue, or a look at what goes on the wire.

use std::time::SystemTime;

use super::{SignatureVersion, SignedRequest, Signing};
use crate::action::{RpcAction, prepare};
use crate::credentials::Credentials;
use crate::decode::Format;
use crate::error::Error;

/// Signs operations without sending them.
///
/// A v1 request is valid for about 15 minutes from its timestamp and can be
/// sent once (its nonce is then used up). For V3, the host the request goes
/// to is signed: it defaults to the operation's endpoint for the region.
///
/// ```
/// use std::time::SystemTime;
/// use aliapi_core::sign::Presigner;
/// use aliapi_core::{Credentials, GenericRequest, rpc_action};
///
/// #[rpc_action(product = "Cdn", version = "2018-05-10", method = "GET")]
/// pub struct DescribeRefreshQuota {}
/// # #[derive(serde::Deserialize)] pub struct DescribeRefreshQuotaResponse {}
///
/// let keys = Credentials::new("my-key-id", "my-secret");
/// let signed = Presigner::new(keys.clone()).presign(&DescribeRefreshQuota::new())?;
/// let url = signed.url("https://cdn.aliyuncs.com");
/// assert!(url.contains("Action=DescribeRefreshQuota") && url.contains("&Signature="));
///
/// let v3 = Presigner::new(keys)
///     .signature_version(aliapi_core::SignatureVersion::V3)
///     .time(SystemTime::now())
///     .presign(&DescribeRefreshQuota::new())?;
/// assert!(v3.headers().any(|(name, _)| name == "authorization"));
/// # Ok::<(), aliapi_core::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Presigner {
    credentials: Credentials,
    version: SignatureVersion,
    format: Format,
    time: Option<SystemTime>,
    region: Option<String>,
    host: Option<String>,
}

impl Presigner {
    /// Signs with `credentials`, v1, for JSON answers, at the time of
    /// [`presign`](Self::presign).
    pub fn new(credentials: Credentials) -> Presigner {
        Presigner {
            credentials,
            version: SignatureVersion::V1,
            format: Format::Json,
            time: None,
            region: None,
            host: None,
        }
    }

    /// Signs in `version` instead of v1.
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.version = version;
        self
    }

    /// Asks for answers in `format` (v1 only: V3 has no `Format` param).
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// Signs as of `time` instead of now.
    pub fn time(mut self, time: SystemTime) -> Self {
        self.time = Some(time);
        self
    }

    /// The region whose endpoint V3 signs as the host.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The host V3 signs (`host[:port]`), instead of the operation's
    /// endpoint for the region.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// Signs `action`; fails when one of its params cannot be written.
    pub fn presign<A: RpcAction>(&self, action: &A) -> Result<SignedRequest, Error> {
        let (call, params) = prepare(action)?;
        let host = match &self.host {
            Some(h) => h.as_str(),
            None => A::ENDPOINT.host_for(self.region.as_deref()),
        };
        Ok(super::sign(
            &call,
            &params,
            Signing::Signed {
                version: self.version,
                credentials: &self.credentials,
            },
            self.format,
            host,
            self.time.unwrap_or_else(SystemTime::now),
        ))
    }
}
