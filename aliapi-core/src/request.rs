//! One attempt of a call: the operation's params plus the common params,
//! signed with the credentials of the moment.

use std::time::SystemTime;

use crate::action::{Method, RpcAction};
use crate::credentials::Credentials;
use crate::decode::Format;
use crate::error::Error;
use crate::params::{Location, ParamWriter};
use crate::sign::v1::{SignedRequest, sign_param_sets};
use aliapi_wire::encode::{percent_decode, percent_encode};
use aliapi_wire::time::format_timestamp;
use aliapi_wire::v3;

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
    // Names, constants, the nonce (hex and `-`) and the timestamp once its
    // colons are escaped need no scan; values from elsewhere are encoded.
    common.push("Action", call.action, q);
    common.push("Version", call.version, q);
    common.push_encoded("Format", format.as_str(), q);
    common.push("AccessKeyId", credentials.access_key_id(), q);
    common.push_encoded("SignatureMethod", "HMAC-SHA1", q);
    common.push_encoded("SignatureVersion", "1.0", q);
    common.push_encoded("SignatureNonce", nonce::next().as_str(), q);
    match aliapi_wire::time::encoded_timestamp(now) {
        // ASCII by construction.
        Some(ts) => {
            common.push_encoded("Timestamp", std::str::from_utf8(&ts).unwrap_or_default(), q)
        }
        None => common.push("Timestamp", &format_timestamp(now), q),
    }
    if let Some(token) = credentials.security_token() {
        common.push("SecurityToken", token, q);
    }
    sign_param_sets(
        call.method,
        &[params, &common],
        credentials.access_key_secret(),
    )
}

/// Signs one attempt with V3 (`ACS3-HMAC-SHA256`): the operation's params
/// go in the query and form body as they are, the action, version, date and
/// nonce in `x-acs-*` headers, and the signature in `authorization`.
/// `host` must be the `Host` header the request is sent with.
pub(crate) fn sign_attempt_v3(
    call: &CallInfo<'_>,
    params: &ParamWriter,
    credentials: &Credentials,
    host: &str,
    now: SystemTime,
) -> SignedRequest {
    let in_body = |l: Location| call.method == Method::Post && l == Location::Body;
    let mut query = String::new();
    let mut body = String::new();
    let mut query_pairs = Vec::with_capacity(params.len());
    for p in params.iter() {
        let target = if in_body(p.location) {
            &mut body
        } else {
            &mut query
        };
        if !target.is_empty() {
            target.push('&');
        }
        target.push_str(p.name);
        target.push('=');
        target.push_str(p.value);
        if !in_body(p.location) {
            // Written by ParamWriter, so always decodable.
            let decoded = |s: &str| percent_decode(s, false).unwrap_or_default();
            query_pairs.push((decoded(p.name), decoded(p.value)));
        }
    }
    let mut headers: Vec<(&'static str, String)> = vec![
        ("host", host.to_owned()),
        ("x-acs-action", call.action.to_owned()),
        ("x-acs-version", call.version.to_owned()),
        ("x-acs-date", format_timestamp(now)),
        ("x-acs-signature-nonce", nonce::next().as_str().to_owned()),
        ("x-acs-content-sha256", v3::hashed_payload(body.as_bytes())),
    ];
    if !body.is_empty() {
        headers.push((
            "content-type",
            "application/x-www-form-urlencoded".to_owned(),
        ));
    }
    if let Some(token) = credentials.security_token() {
        headers.push(("x-acs-security-token", token.to_owned()));
    }
    let pairs: Vec<(&str, &str)> = query_pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let signed_headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let (canonical, names) = v3::canonical_request(
        call.method.as_str(),
        &pairs,
        &signed_headers,
        body.as_bytes(),
    );
    let string_to_sign = v3::string_to_sign(&canonical);
    let signature = v3::signature(credentials.access_key_secret(), &string_to_sign);
    headers.push((
        "authorization",
        format!(
            "{} Credential={},SignedHeaders={names},Signature={signature}",
            v3::ALGORITHM,
            credentials.access_key_id()
        ),
    ));
    // The host goes out as the URL's authority; keep it out of the extra
    // headers so that it is not sent twice.
    headers.retain(|(n, _)| *n != "host");
    SignedRequest {
        query,
        body: (!body.is_empty()).then_some(body),
        string_to_sign,
        headers,
    }
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
    let (call, params) = prepare(action)?;
    Ok(sign_attempt(&call, &params, credentials, format, now))
}

/// What a typed action says about itself, and its params written out: the
/// start of both sending and presigning.
pub(crate) fn prepare<A: RpcAction>(action: &A) -> Result<(CallInfo<'static>, ParamWriter), Error> {
    let mut params = ParamWriter::with_capacity(16, 512);
    action.write_params(&mut params)?;
    let call = CallInfo {
        product: A::PRODUCT,
        version: A::VERSION,
        action: A::ACTION,
        method: A::METHOD,
    };
    Ok((call, params))
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
