//! The RPC v1 signature: `HMAC-SHA1` keyed with `secret + "&"` over
//! `METHOD&%2F&enc(sorted "name=value" pairs joined by "&")`.

use aliapi_wire::encode::percent_encode_into;
use aliapi_wire::v1::{SIGNATURE_PARAM, signature};

use std::time::SystemTime;

use super::SignedRequest;
use crate::action::{Call, Method};
use crate::credentials::Credentials;
use crate::decode::Format;
use crate::params::{Location, ParamWriter};
use aliapi_wire::nonce;

/// Adds the common params to the operation's `params` and signs them with
/// a fresh nonce and timestamp: a new call to this for every attempt.
pub(crate) fn sign(
    call: &Call<'_>,
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
    common.push_encoded("SignatureNonce", nonce::uuid_v4().as_str(), q);
    push_timestamp(&mut common, now);
    if let Some(token) = credentials.security_token() {
        common.push("SecurityToken", token, q);
    }
    sign_param_sets(
        call.method,
        &[params, &common],
        credentials.access_key_secret(),
    )
}

/// The params of a call that is not signed at all (STS
/// `AssumeRoleWithOIDC`, which proves who is calling with a token param):
/// the common params that identify the call, and no key or signature.
pub(crate) fn unsigned(
    call: &Call<'_>,
    params: &ParamWriter,
    format: Format,
    now: SystemTime,
) -> SignedRequest {
    let mut common = ParamWriter::with_capacity(5, 128);
    let q = Location::Query;
    common.push("Action", call.action, q);
    common.push("Version", call.version, q);
    common.push_encoded("Format", format.as_str(), q);
    common.push_encoded("SignatureNonce", nonce::uuid_v4().as_str(), q);
    push_timestamp(&mut common, now);
    let (query, body) = wire_form(call.method, &sorted_pairs(&[params, &common]), 0);
    SignedRequest::new(call.method, query, body, String::new(), String::new())
}

fn push_timestamp(common: &mut ParamWriter, now: SystemTime) {
    let q = Location::Query;
    match aliapi_wire::time::encoded_timestamp(now) {
        // ASCII by construction.
        Some(ts) => {
            common.push_encoded("Timestamp", std::str::from_utf8(&ts).unwrap_or_default(), q)
        }
        None => common.push("Timestamp", &aliapi_wire::time::format_timestamp(now), q),
    }
}

/// Signs `params` (operation params and the common params together,
/// `Signature` not among them) with `secret`.
#[cfg(test)]
pub(crate) fn sign_params(method: Method, params: &ParamWriter, secret: &str) -> SignedRequest {
    sign_param_sets(method, &[params], secret)
}

/// [`sign_params`] over several sets at once (an operation's params and the
/// common params of one attempt), without copying them into one.
pub(crate) fn sign_param_sets(
    method: Method,
    sets: &[&ParamWriter],
    secret: &str,
) -> SignedRequest {
    let sorted = sorted_pairs(sets);
    let string_to_sign = canonical_string_to_sign(method, &sorted);
    let signature = signature(secret, &string_to_sign);
    let (mut query, body) = wire_form(method, &sorted, 48);
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(SIGNATURE_PARAM);
    query.push('=');
    percent_encode_into(&mut query, &signature);
    SignedRequest::new(method, query, body, string_to_sign, signature)
}

/// The query string and form body of sorted params, with `spare` bytes of
/// room left in the query.
fn wire_form(method: Method, sorted: &[SortedPair<'_>], spare: usize) -> (String, String) {
    let encoded_len: usize = sorted.iter().map(|p| p.1.len() + 1).sum();
    let in_body = |l: Location| method == Method::Post && l == Location::Body;
    let mut query = String::with_capacity(encoded_len + spare);
    let mut body = String::new();
    for p in sorted {
        let target = if in_body(p.3) { &mut body } else { &mut query };
        if !target.is_empty() {
            target.push('&');
        }
        target.push_str(p.1);
    }
    (query, body)
}

/// One param while signing: sort key, encoded `name=value`, name length,
/// location.
type SortedPair<'a> = (u64, &'a str, usize, Location);

/// The params of every set, sorted by encoded name (byte order). The key is
/// the first eight bytes of the name, so most comparisons are one integer
/// compare.
fn sorted_pairs<'a>(sets: &[&'a ParamWriter]) -> Vec<SortedPair<'a>> {
    let mut sorted: Vec<SortedPair<'a>> = Vec::with_capacity(sets.iter().map(|s| s.len()).sum());
    for set in sets {
        for (pair, name_len, location) in set.pairs() {
            sorted.push((
                prefix_key(&pair.as_bytes()[..name_len]),
                pair,
                name_len,
                location,
            ));
        }
    }
    sorted.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.as_bytes()[..a.2].cmp(&b.1.as_bytes()[..b.2]))
    });
    sorted
}

/// `METHOD&%2F&` and the encoded canonical query of sorted pairs.
fn canonical_string_to_sign(method: Method, sorted: &[SortedPair<'_>]) -> String {
    let encoded_len: usize = sorted.iter().map(|p| p.1.len() + 1).sum();
    let mut out = String::with_capacity(16 + encoded_len + encoded_len / 4);
    out.push_str(method.as_str());
    out.push_str("&%2F&");
    for (i, p) in sorted.iter().enumerate() {
        if i > 0 {
            out.push_str("%26");
        }
        encode_pair_again(&mut out, p.1);
    }
    out
}

/// The first eight bytes of `name`, big-endian, zero-padded: ordering these
/// integers orders the names by their first eight bytes.
fn prefix_key(name: &[u8]) -> u64 {
    let mut key = [0u8; 8];
    let n = name.len().min(8);
    key[..n].copy_from_slice(&name[..n]);
    u64::from_be_bytes(key)
}

/// Appends the RFC 3986 encoding of an encoded `name=value` pair. Encoded
/// text holds only unreserved bytes and `%`, so only `%` (to `%25`) and the
/// `=` (to `%3D`) change: a cheap scan instead of a table-driven encode.
fn encode_pair_again(out: &mut String, pair: &str) {
    let bytes = pair.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = match b {
            b'%' => "%25",
            b'=' => "%3D",
            _ => continue,
        };
        out.push_str(&pair[start..i]);
        out.push_str(escape);
        start = i + 1;
    }
    out.push_str(&pair[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTOR: [(&str, &str); 8] = [
        ("Action", "DescribeRegions"),
        ("Format", "XML"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
        ("Version", "2014-05-26"),
        ("AccessKeyId", "testid"),
    ];
    const VECTOR_STS: &str = "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26";

    #[test]
    fn the_reference_agrees_on_the_vector() {
        assert_eq!(aliapi_wire::v1::string_to_sign("GET", VECTOR), VECTOR_STS);
    }

    #[test]
    fn verified_vector_from_a_writer_and_the_wire_form() {
        let mut w = ParamWriter::new();
        for (n, v) in VECTOR {
            w.push(n, v, Location::Query);
        }
        let signed = sign_params(Method::Get, &w, "testsecret");
        assert_eq!(signed.string_to_sign, VECTOR_STS);
        assert!(
            signed
                .query
                .ends_with("&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"),
            "{}",
            signed.query
        );
        assert!(signed.body.is_none());
    }

    #[test]
    fn body_params_are_signed_but_travel_in_the_body_for_post_only() {
        let mut w = ParamWriter::new();
        w.push("Action", "RefreshObjectCaches", Location::Query);
        w.push("ObjectPath", "a b/c", Location::Body);
        let post = sign_params(Method::Post, &w, "s");
        assert_eq!(post.body.as_deref(), Some("ObjectPath=a%20b%2Fc"));
        assert!(!post.query.contains("ObjectPath"));
        assert!(post.string_to_sign.starts_with("POST&%2F&"));
        assert!(post.string_to_sign.contains("ObjectPath%3Da%2520b%252Fc"));
        let get = sign_params(Method::Get, &w, "s");
        assert!(get.body.is_none());
        assert!(get.query.contains("ObjectPath=a%20b%2Fc"));
    }
}
