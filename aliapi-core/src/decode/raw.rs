//! [`RawResponse`]: a successful answer, undecoded.

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::error::Error;

/// A successful answer, undecoded: what
/// [`Client::send_raw`](crate::Client::send_raw) returns, for fields a
/// typed response lacks.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub(crate) status: u16,
    pub(crate) body: Bytes,
    /// Whether the body is XML (asked for, or said by `Content-Type`).
    pub(crate) xml: bool,
}

impl RawResponse {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The `RequestId` of the answer, when it has one.
    pub fn request_id(&self) -> Option<String> {
        let tree = super::parse_tree(&self.body, self.xml).ok()?;
        tree.get("RequestId")?.as_str().map(str::to_owned)
    }

    /// Decodes the body into `T`, leniently (numbers as strings and so on).
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        super::decode_body(&self.body, self.xml).map_err(|reason| self.decode_error(reason))
    }

    /// The body as a JSON tree (XML answers are converted).
    pub fn json(&self) -> Result<serde_json::Value, Error> {
        super::parse_tree(&self.body, self.xml).map_err(|reason| self.decode_error(reason))
    }

    fn decode_error(&self, reason: String) -> Error {
        Error::Decode {
            status: self.status,
            reason,
            // The attempt's own secrets are gone by now; what a success
            // can quote (a proxy's page echoing the URL, the keys a
            // credentials answer issues) sits in the fields and params
            // `body_start` masks by name.
            body_start: super::body_start(&self.body, &[]),
            attempts: 1,
        }
    }
}
