//! Signing one attempt with V3 (`ACS3-HMAC-SHA256`): the operation's params
//! travel in the query and form body as they are; the action, version, date
//! and nonce in `x-acs-*` headers; the signature in `authorization`. The
//! canonical request itself is [`aliapi_wire::v3`]'s.

use std::time::SystemTime;

use aliapi_wire::time::format_timestamp;
use aliapi_wire::v3;

use super::{FORM_CONTENT_TYPE, SignedRequest, V3Signature};
use crate::action::{Call, Method};
use crate::credentials::Credentials;
use crate::params::{EncodedParam, Location, ParamWriter};
use aliapi_wire::nonce;

/// Signs one attempt. `host` must be the `Host` header the request goes out
/// with (the URL's authority).
///
/// One pass, checked against [`aliapi_wire::v3::canonical_request`] by the
/// property tests: the params are already encoded as the canonical query
/// spells them, so they are sorted as they are, never decoded and encoded
/// again; the signed headers are a fixed set whose sorted order is known,
/// so the header block is written in that order.
pub(crate) fn sign(
    call: &Call<'_>,
    params: &ParamWriter,
    credentials: &Credentials,
    host: &str,
    now: SystemTime,
) -> SignedRequest {
    let in_body = |l: Location| call.method == Method::Post && l == Location::Body;
    let mut body = String::new();
    // The query params as encoded `(name, value)`, for the canonical query.
    let mut canonical: Vec<(&str, &str)> = Vec::with_capacity(params.len());
    // With no body params, the query is the params as the writer joined
    // them, one copy; else it is written pair by pair.
    let joined = params.query_text(in_body);
    let mut query = joined.map(str::to_owned).unwrap_or_default();
    let append = |target: &mut String, p: &EncodedParam<'_>| {
        if !target.is_empty() {
            target.push('&');
        }
        target.push_str(p.name);
        target.push('=');
        target.push_str(p.value);
    };
    for p in params.iter() {
        if in_body(p.location) {
            append(&mut body, &p);
        } else {
            canonical.push((p.name, p.value));
            if joined.is_none() {
                append(&mut query, &p);
            }
        }
    }
    canonical.sort_unstable();

    let date = format_timestamp(now);
    let nonce = nonce::uuid_v4();
    let payload = v3::hashed_payload(body.as_bytes());
    let token = credentials.security_token();
    let has_body = !body.is_empty();

    // The signed headers in their sorted order (`content-type` < `host` <
    // `x-acs-action` < `x-acs-content-sha256` < `x-acs-date` <
    // `x-acs-security-token` < `x-acs-signature-nonce` < `x-acs-version`).
    let signed: [(&str, Option<&str>); 8] = [
        ("content-type", has_body.then_some(FORM_CONTENT_TYPE)),
        ("host", Some(host)),
        ("x-acs-action", Some(call.action)),
        ("x-acs-content-sha256", Some(&payload)),
        ("x-acs-date", Some(&date)),
        ("x-acs-security-token", token),
        ("x-acs-signature-nonce", Some(nonce.as_str())),
        ("x-acs-version", Some(call.version)),
    ];

    let mut request = String::with_capacity(query.len() + 512);
    request.push_str(call.method.as_str());
    request.push_str("\n/\n");
    for (i, (name, value)) in canonical.iter().enumerate() {
        if i > 0 {
            request.push('&');
        }
        request.push_str(name);
        request.push('=');
        request.push_str(value);
    }
    request.push('\n');
    let mut names = String::with_capacity(160);
    for (name, value) in signed.iter().filter_map(|(n, v)| Some((*n, (*v)?))) {
        request.push_str(name);
        request.push(':');
        request.push_str(v3::trim_value(value));
        request.push('\n');
        if !names.is_empty() {
            names.push(';');
        }
        names.push_str(name);
    }
    request.push('\n');
    request.push_str(&names);
    request.push('\n');
    request.push_str(&payload);

    let string_to_sign = v3::string_to_sign(&request);
    let signature = credentials.v3_key().sign(&string_to_sign);
    let authorization = format!(
        "{} Credential={},SignedHeaders={names},Signature={signature}",
        v3::ALGORITHM,
        credentials.access_key_id()
    );

    // The host goes out as the URL's authority, so it is not among the
    // extra headers (it would be sent twice).
    let mut headers: Vec<(&'static str, String)> = Vec::with_capacity(8);
    headers.push(("x-acs-action", call.action.to_owned()));
    headers.push(("x-acs-version", call.version.to_owned()));
    headers.push(("x-acs-date", date));
    headers.push(("x-acs-signature-nonce", nonce.as_str().to_owned()));
    headers.push(("x-acs-content-sha256", payload));
    if has_body {
        headers.push(("content-type", FORM_CONTENT_TYPE.to_owned()));
    }
    if let Some(token) = token {
        headers.push(("x-acs-security-token", token.to_owned()));
    }
    headers.push(("authorization", authorization));
    SignedRequest {
        method: call.method,
        query,
        body: has_body.then_some(body),
        headers,
        v3: Some(V3Signature {
            string_to_sign,
            signature,
        }),
    }
}
