//! V3 (`ACS3-HMAC-SHA256`) signatures checked against the official Tea SDK.
//!
//! `tests/vectors/v3_signatures.json` is produced by
//! `tools/interop/v3_vectors.py`: each request went through
//! `alibabacloud-tea-openapi` 0.4.6 `Client.call_api` (the SDK signs every
//! header it sends), and ten of them were signed a second time over the
//! required headers only (`host`, `content-type`, `x-acs-*`) with the SDK's
//! `Utils.get_authorization`. See `tools/interop/README.md`.

use aliapi_wire::v3;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Vector {
    name: String,
    source: String,
    method: String,
    access_key_id: String,
    secret: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: String,
    canonical_request: String,
    string_to_sign: String,
    signed_headers: String,
    authorization: String,
}

impl Vector {
    fn method(&self) -> &str {
        match self.method.as_str() {
            m @ ("GET" | "POST") => m,
            other => panic!("{}: unexpected method {other}", self.name),
        }
    }

    fn query(&self) -> Vec<(&str, &str)> {
        self.query
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    fn headers(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn vectors() -> Vec<Vector> {
    serde_json::from_str(include_str!("vectors/v3_signatures.json"))
        .expect("v3_signatures.json parses")
}

#[test]
fn there_are_enough_vectors_and_they_cover_the_cases() {
    let vs = vectors();
    assert!(vs.len() >= 30, "only {} vectors", vs.len());
    assert!(vs.iter().any(|v| v.method == "GET" && !v.query.is_empty()));
    assert!(vs.iter().any(|v| v.method == "POST" && !v.body.is_empty()));
    assert!(
        vs.iter()
            .any(|v| v.header("x-acs-security-token").is_some())
    );
    assert!(
        vs.iter()
            .any(|v| v.header("x-acs-security-token").is_none())
    );
    assert!(vs.iter().any(|v| v.source == "get_authorization"));
    for needle in [" ", "*", "~", "/", "+", "&", "%", "中文", "é", "😀"] {
        assert!(
            vs.iter()
                .any(|v| v.query.iter().any(|(_, val)| val.contains(needle))),
            "no query value holds {needle:?}"
        );
    }
}

#[test]
fn canonical_request_matches_the_sdk() {
    for v in vectors() {
        let (canonical, signed) =
            v3::canonical_request(v.method(), &v.query(), &v.headers(), v.body.as_bytes());
        assert_eq!(
            canonical, v.canonical_request,
            "canonical request of {}",
            v.name
        );
        assert_eq!(signed, v.signed_headers, "signed headers of {}", v.name);
    }
}

#[test]
fn string_to_sign_and_authorization_match_the_sdk() {
    for v in vectors() {
        assert_eq!(
            v3::string_to_sign(&v.canonical_request),
            v.string_to_sign,
            "string to sign of {}",
            v.name
        );
        let auth = v3::authorization(
            &v.access_key_id,
            &v.secret,
            v.method(),
            &v.query(),
            &v.headers(),
            v.body.as_bytes(),
        );
        assert_eq!(auth, v.authorization, "authorization of {}", v.name);
        let expected_sig = v
            .authorization
            .rsplit_once("Signature=")
            .expect("signature")
            .1;
        assert_eq!(
            v3::signature(&v.secret, &v.string_to_sign),
            expected_sig,
            "{}",
            v.name
        );
    }
}

#[test]
fn content_sha256_header_is_the_hashed_payload() {
    for v in vectors() {
        assert_eq!(
            v.header("x-acs-content-sha256"),
            Some(v3::hashed_payload(v.body.as_bytes()).as_str()),
            "{}",
            v.name
        );
        assert!(
            v.canonical_request
                .ends_with(&v3::hashed_payload(v.body.as_bytes()))
        );
    }
}

#[test]
fn header_and_query_order_and_name_case_do_not_matter() {
    for v in vectors() {
        let mut headers: Vec<(String, &str)> = v
            .headers
            .iter()
            .map(|(n, val)| (n.to_ascii_uppercase(), val.as_str()))
            .collect();
        headers.reverse();
        let headers: Vec<(&str, &str)> =
            headers.iter().map(|(n, val)| (n.as_str(), *val)).collect();
        let mut query = v.query();
        query.reverse();
        let auth = v3::authorization(
            &v.access_key_id,
            &v.secret,
            v.method(),
            &query,
            &headers,
            v.body.as_bytes(),
        );
        assert_eq!(auth, v.authorization, "{}", v.name);
    }
}

#[test]
fn an_authorization_header_among_the_inputs_is_not_signed() {
    for v in vectors() {
        let mut headers = v.headers();
        headers.push(("Authorization", v.authorization.as_str()));
        let (canonical, _) =
            v3::canonical_request(v.method(), &v.query(), &headers, v.body.as_bytes());
        assert_eq!(canonical, v.canonical_request, "{}", v.name);
    }
}

#[test]
fn filtering_with_is_required_header_gives_the_required_headers_vectors() {
    let vs = vectors();
    let mut checked = 0;
    for full in vs.iter().filter(|v| v.source == "call_api") {
        let Some(reduced) = vs
            .iter()
            .find(|r| r.name == format!("{}__required_headers", full.name))
        else {
            continue;
        };
        let headers: Vec<(&str, &str)> = full
            .headers()
            .into_iter()
            .filter(|(n, _)| v3::is_required_header(n))
            .collect();
        let auth = v3::authorization(
            &full.access_key_id,
            &full.secret,
            full.method(),
            &full.query(),
            &headers,
            full.body.as_bytes(),
        );
        assert_eq!(auth, reduced.authorization, "{}", reduced.name);
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} pairs checked");
}

#[test]
fn any_change_breaks_the_signature() {
    for v in vectors().iter().take(8) {
        let sign = |secret: &str, method: &str, body: &[u8]| {
            v3::authorization(
                &v.access_key_id,
                secret,
                method,
                &v.query(),
                &v.headers(),
                body,
            )
        };
        assert_ne!(
            sign("other", v.method(), v.body.as_bytes()),
            v.authorization
        );
        let other = if v.method() == "GET" { "POST" } else { "GET" };
        assert_ne!(sign(&v.secret, other, v.body.as_bytes()), v.authorization);
        assert_ne!(sign(&v.secret, v.method(), b"x"), v.authorization);
    }
}
