//! Signing one attempt with V3 (`ACS3-HMAC-SHA256`): the operation's params
//! travel in the query and form body as they are; the action, version, date
//! and nonce in `x-acs-*` headers; the signature in `authorization`. The
//! canonical request itself is [`aliapi_wire::v3`]'s.

use std::time::SystemTime;

use aliapi_wire::encode::percent_decode;
use aliapi_wire::time::format_timestamp;
use aliapi_wire::v3;

use super::{FORM_CONTENT_TYPE, SignedRequest, V3Signature};
use crate::action::{Call, Method};
use crate::credentials::Credentials;
use crate::params::{Location, ParamWriter};
use aliapi_wire::nonce;

/// Signs one attempt. `host` must be the `Host` header the request goes out
/// with (the URL's authority).
pub(crate) fn sign(
    call: &Call<'_>,
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
        (
            "x-acs-signature-nonce",
            nonce::uuid_v4().as_str().to_owned(),
        ),
        ("x-acs-content-sha256", v3::hashed_payload(body.as_bytes())),
    ];
    if !body.is_empty() {
        headers.push(("content-type", FORM_CONTENT_TYPE.to_owned()));
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
        method: call.method,
        query,
        body: (!body.is_empty()).then_some(body),
        headers,
        v3: Some(V3Signature {
            string_to_sign,
            signature,
        }),
    }
}
