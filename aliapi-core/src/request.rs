//! One attempt of a call: the operation's params plus the common params,
//! signed with the credentials of the moment.

use std::time::SystemTime;

use crate::action::{Method, RpcAction};
use crate::credentials::Credentials;
use crate::decode::Format;
use crate::encode::percent_encode;
use crate::error::Error;
use crate::params::{Location, ParamWriter};
use crate::sign::v1::{SignedRequest, sign_param_sets};
use crate::time::format_timestamp;

mod nonce;

/// What identifies a call, whoever described it (a typed action or a
/// generic request).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallInfo<'a> {
    pub(crate) product: &'a str,
    pub(crate) version: &'a str,
    pub(crate) action: &'a str,
    pub(crate) method: Method,
}

/// Adds the common params to a copy of `params` and signs it with a fresh
/// nonce and timestamp: a new call to this for every attempt.
pub(crate) fn sign_attempt(
    call: &CallInfo<'_>,
    params: &ParamWriter,
    credentials: &Credentials,
    format: Format,
    now: SystemTime,
) -> SignedRequest {
    let mut common = ParamWriter::with_capacity(10, 320);
    let q = Location::Query;
    common.push("Action", call.action, q);
    common.push("Version", call.version, q);
    common.push("Format", format.as_str(), q);
    common.push("AccessKeyId", credentials.access_key_id(), q);
    common.push("SignatureMethod", "HMAC-SHA1", q);
    common.push("SignatureVersion", "1.0", q);
    common.push("SignatureNonce", &nonce::next(), q);
    common.push("Timestamp", &format_timestamp(now), q);
    if let Some(token) = credentials.security_token() {
        common.push("SecurityToken", token, q);
    }
    sign_param_sets(
        call.method,
        &[params, &common],
        credentials.access_key_secret(),
    )
}

/// Signs `action` for one attempt with `credentials` at time `now`, without
/// sending it: `https://<endpoint>/?<query>` (plus the form body for POST) is
/// a complete request, valid for about 15 minutes.
pub fn presign<A: RpcAction>(
    action: &A,
    credentials: &Credentials,
    format: Format,
    now: SystemTime,
) -> Result<SignedRequest, Error> {
    let mut params = ParamWriter::with_capacity(16, 512);
    action.write_params(&mut params)?;
    let call = CallInfo {
        product: A::PRODUCT,
        version: A::VERSION,
        action: A::ACTION,
        method: A::METHOD,
    };
    Ok(sign_attempt(&call, &params, credentials, format, now))
}

/// `text` with the STS token replaced, so that it can be logged or shown in
/// an error. A string to sign holds the token doubly encoded, a URL once
/// encoded, a message maybe as it is: all three forms go.
pub(crate) fn redact_token(text: &str, token: Option<&str>) -> String {
    let Some(t) = token.filter(|t| !t.is_empty()) else {
        return text.to_owned();
    };
    let once = percent_encode(t);
    let twice = percent_encode(&once);
    text.replace(&twice, "%2A%2Aredacted%2A%2A")
        .replace(&once, "%2Aredacted%2A")
        .replace(t, "*redacted*")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attempt_gets_its_own_nonce_and_the_token() {
        let call = CallInfo {
            product: "Cdn",
            version: "2018-05-10",
            action: "StartCdnDomain",
            method: Method::Post,
        };
        let mut params = ParamWriter::new();
        params.push("DomainName", "example.com", Location::Query);
        let creds = Credentials::with_security_token("id", "secret", "tok/en+", None);
        let a = sign_attempt(&call, &params, &creds, Format::Json, SystemTime::now());
        let b = sign_attempt(&call, &params, &creds, Format::Json, SystemTime::now());
        let nonce = |s: &SignedRequest| {
            s.query
                .split('&')
                .find(|kv| kv.starts_with("SignatureNonce="))
                .unwrap()
                .to_owned()
        };
        assert_ne!(nonce(&a), nonce(&b));
        assert!(a.query.contains("SecurityToken=tok%2Fen%2B"));
        assert!(a.query.contains("Action=StartCdnDomain"));
        assert!(a.query.contains("Format=JSON"));
        let shown = redact_token(&a.string_to_sign, creds.security_token());
        assert!(!shown.contains("tok"), "{shown}");
        assert!(
            shown.contains("SecurityToken%3D%2A%2Aredacted%2A%2A"),
            "{shown}"
        );
    }
}
