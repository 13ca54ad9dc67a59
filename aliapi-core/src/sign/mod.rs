//! Signing: the common params and the signature of one attempt, in the
//! version the client is set to. [`Presigner`] signs a request without
//! sending it.
//!
//! `v1` writes the RPC signature (`HMAC-SHA1` over the sorted params) in
//! one pass over the already encoded params; `v3` writes
//! `ACS3-HMAC-SHA256` headers. Both rest on [`aliapi_wire`], whose plain
//! reference functions the tests check them against.

mod presign;
pub(crate) mod v1;
pub(crate) mod v3;

use std::time::SystemTime;

use crate::action::{Call, Method};
use crate::credentials::Credentials;
use crate::decode::Format;
use crate::params::ParamWriter;

pub use presign::Presigner;

/// The `Content-Type` of a form body.
pub(crate) const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Which signature a client puts on its requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SignatureVersion {
    /// The RPC signature (`HMAC-SHA1` over the params): accepted by every
    /// RPC API, and what the emulator checks.
    #[default]
    V1,
    /// `ACS3-HMAC-SHA256` in an `Authorization` header, as the newest
    /// official SDKs send by default.
    V3,
}

/// A signed request, ready for the wire: what [`Presigner::presign`] returns
/// and what the client sends.
///
/// It holds the key id, the signature and any STS token (never the secret):
/// treat it as you would the credentials themselves. `Debug` hides them.
#[derive(Clone)]
pub struct SignedRequest {
    pub(crate) method: Method,
    pub(crate) query: String,
    pub(crate) body: Option<String>,
    /// Every header to send besides the user agent and `host`.
    pub(crate) headers: Vec<(&'static str, String)>,
    /// V3's string to sign and signature; a v1 request carries both in its
    /// params and they are read back from there when needed.
    pub(crate) v3: Option<V3Signature>,
}

/// What a V3 request signed, and its signature.
#[derive(Clone)]
pub(crate) struct V3Signature {
    pub(crate) string_to_sign: String,
    pub(crate) signature: String,
}

impl std::fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("query_len", &self.query.len())
            .field("body_len", &self.body.as_ref().map(String::len))
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl SignedRequest {
    /// A v1 (or unsigned) request: the headers are those its body needs.
    pub(crate) fn new(method: Method, query: String, body: String) -> SignedRequest {
        let mut headers = Vec::new();
        if !body.is_empty() {
            headers.push(("content-type", FORM_CONTENT_TYPE.to_owned()));
        }
        SignedRequest {
            method,
            query,
            body: (!body.is_empty()).then_some(body),
            headers,
            v3: None,
        }
    }

    /// The HTTP method to send it with.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The query string (with `Signature` for v1), without the leading `?`.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// The full URL at `base`, e.g. `https://cdn.aliyuncs.com`.
    pub fn url(&self, base: &str) -> String {
        let base = base.trim_end_matches('/');
        let mut url = String::with_capacity(base.len() + 2 + self.query.len());
        url.push_str(base);
        url.push_str("/?");
        url.push_str(&self.query);
        url
    }

    /// The form body, when the method is POST and there are body params.
    pub fn body(&self) -> Option<&str> {
        self.body.as_deref()
    }

    /// What was signed: the v1 string to sign, or V3's
    /// `ACS3-HMAC-SHA256\n<hash>`. It holds the key id and any STS token.
    pub fn string_to_sign(&self) -> String {
        match &self.v3 {
            Some(v3) => v3.string_to_sign.clone(),
            None => v1::string_to_sign_of(self.method, &self.query, self.body.as_deref()),
        }
    }

    /// The signature, as computed (v1: base64, V3: hex); empty when unsigned.
    pub(crate) fn signature(&self) -> String {
        match &self.v3 {
            Some(v3) => v3.signature.clone(),
            None => v1::signature_of(&self.query).unwrap_or_default(),
        }
    }

    /// Every header to send, each once: `content-type` with a body, and for
    /// V3 `authorization` and the `x-acs-*` headers. The user agent and
    /// `host` are the HTTP client's to add.
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        self.headers.iter().map(|(n, v)| (*n, v.as_str()))
    }
}

/// How one attempt is signed.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Signing<'a> {
    /// With `credentials`, in `version`.
    Signed {
        version: SignatureVersion,
        credentials: &'a Credentials,
    },
    /// Not at all (STS `AssumeRoleWithOIDC`).
    Unsigned,
}

/// Signs one attempt of `call` at `now`; `host` is the URL's authority (V3
/// signs it).
pub(crate) fn sign(
    call: &Call<'_>,
    params: &ParamWriter,
    signing: Signing<'_>,
    format: Format,
    host: &str,
    now: SystemTime,
) -> SignedRequest {
    match signing {
        Signing::Signed {
            version: SignatureVersion::V3,
            credentials,
        } => v3::sign(call, params, credentials, host, now),
        Signing::Signed { credentials, .. } => v1::sign(call, params, credentials, format, now),
        Signing::Unsigned => v1::unsigned(call, params, format, now),
    }
}

#[cfg(test)]
mod tests {
    mod interop_v1;
    mod seeds;
}
