//! The V3 signature, `ACS3-HMAC-SHA256`: a canonical request over the
//! method, the query, the signed headers and the body's hash.
//!
//! Every value of a signed header takes part: the official signer joins the
//! values of a repeated header (sorted, comma-joined) into one canonical
//! line, so a request that carries a header twice while its signature
//! covers one value is refused here as the service refuses it.

use aliapi_wire::v3;

use super::{constant_time_eq, mismatch};
use crate::incoming::{Incoming, Method};
use crate::params::Params;
use crate::refusal::gateway::{CONTENT_HASH_MISMATCH, SIGNED_HEADER_ABSENT, UNSIGNED_HEADER};
use crate::reply::ApiError;

/// The headers every V3 request must sign, whatever else it signs.
const MUST_SIGN: [&str; 3] = ["host", "x-acs-date", "x-acs-signature-nonce"];

/// The parts of an `Authorization: ACS3-HMAC-SHA256 …` header. Not `Debug`:
/// it is only ever judged, never shown.
pub(crate) struct Authorization {
    /// The key id that signed.
    pub(crate) credential: String,
    /// The signed header names, lower case, sorted, each once.
    signed_headers: Vec<String>,
    signature: String,
}

impl Authorization {
    /// Reads `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`
    /// (the parts in any order); `None` when a part is missing.
    pub(crate) fn parse(value: &str) -> Option<Authorization> {
        let rest = value.strip_prefix(v3::ALGORITHM)?.trim_start();
        let (mut credential, mut signed, mut sig) = (None, None, None);
        for part in rest.split(',') {
            let (k, v) = part.trim().split_once('=')?;
            match k {
                "Credential" => credential = Some(v.to_owned()),
                "SignedHeaders" => {
                    let mut names: Vec<String> = v
                        .split(';')
                        .map(|h| h.trim().to_ascii_lowercase())
                        .collect();
                    names.sort_unstable();
                    names.dedup();
                    signed = Some(names);
                }
                "Signature" => sig = Some(v.to_owned()),
                _ => {}
            }
        }
        Some(Authorization {
            credential: credential?,
            signed_headers: signed?,
            signature: sig?,
        })
    }
}

/// Checks a V3-signed request: the body hash header, the headers that must
/// be signed, and the signature over the canonical request.
pub(crate) fn check(
    req: &Incoming<'_>,
    params: &Params,
    auth: &Authorization,
    secret: &str,
) -> Result<(), ApiError> {
    let payload = v3::hashed_payload(req.body);
    if req.header("x-acs-content-sha256").as_deref() != Some(payload.as_str()) {
        return Err(CONTENT_HASH_MISMATCH.error());
    }
    for required in MUST_SIGN {
        if !auth.signed_headers.iter().any(|h| h == required) {
            return Err(UNSIGNED_HEADER.with(&[required]));
        }
    }
    let mut headers: Vec<(&str, &str)> = Vec::new();
    for name in &auth.signed_headers {
        let before = headers.len();
        headers.extend(req.header_values(name).map(|v| (name.as_str(), v)));
        if headers.len() == before {
            return Err(SIGNED_HEADER_ABSENT.with(&[name]));
        }
    }
    let query: Vec<(&str, &str)> = params.query_pairs().collect();
    let method = Method::parse(req.method).unwrap_or(Method::Post);
    let (canonical, _) = v3::canonical_request(method.as_str(), &query, &headers, req.body);
    let sts = v3::string_to_sign(&canonical);
    if constant_time_eq(
        v3::signature(secret, &sts).as_bytes(),
        auth.signature.as_bytes(),
    ) {
        Ok(())
    } else {
        Err(mismatch(&sts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "v3-secret";

    fn request_headers(body: &str, content_types: &[&str]) -> Vec<(String, String)> {
        let mut h: Vec<(String, String)> = vec![
            ("host".into(), "cbn.aliyuncs.com".into()),
            ("x-acs-action".into(), "CreateCen".into()),
            ("x-acs-version".into(), "2017-09-12".into()),
            ("x-acs-date".into(), "2024-01-01T00:00:00Z".into()),
            ("x-acs-signature-nonce".into(), "n-1".into()),
            (
                "x-acs-content-sha256".into(),
                v3::hashed_payload(body.as_bytes()),
            ),
        ];
        for ct in content_types {
            h.push(("Content-Type".into(), (*ct).into()));
        }
        h
    }

    fn judge(
        sent: &[(String, String)],
        signed_over: &[(String, String)],
        body: &str,
    ) -> Result<(), ApiError> {
        let signed: Vec<(&str, &str)> = signed_over
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let auth = v3::authorization(
            "id",
            SECRET,
            "POST",
            &[("Name", "n")],
            &signed,
            body.as_bytes(),
        );
        let mut headers: Vec<(&str, &str)> =
            sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        headers.push(("authorization", &auth));
        let req = Incoming {
            method: "POST",
            query: "Name=n",
            content_type: None,
            body: body.as_bytes(),
            headers: &headers,
        };
        let params = Params::parse(&req)?;
        let parsed = Authorization::parse(&auth).expect("a well-formed header");
        assert_eq!(parsed.credential, "id");
        check(&req, &params, &parsed, SECRET)
    }

    #[test]
    fn a_repeated_header_counts_with_every_value() {
        let form = "application/x-www-form-urlencoded";
        let body = "Description=d";
        let once = request_headers(body, &[form]);
        let twice = request_headers(body, &[form, form]);
        assert_eq!(judge(&once, &once, body), Ok(()));
        // Sent twice, signed over one value: the joined line differs.
        assert_eq!(
            judge(&twice, &once, body).unwrap_err().code,
            "SignatureDoesNotMatch"
        );
        // Signed over both values, as the official signer joins them.
        assert_eq!(judge(&twice, &twice, body), Ok(()));
        // Two different values, signed in either order, join sorted.
        let mixed = request_headers(body, &["text/plain", form]);
        let reversed = request_headers(body, &[form, "text/plain"]);
        assert_eq!(judge(&mixed, &reversed, body), Ok(()));
    }

    #[test]
    fn a_repeated_body_hash_is_not_read_by_its_first_value() {
        let body = "";
        let signed = request_headers(body, &[]);
        let mut sent = signed.clone();
        sent.push(("x-acs-content-sha256".into(), "0".repeat(64)));
        let err = judge(&sent, &sent, body).unwrap_err();
        assert_eq!(err.code, "SignatureDoesNotMatch");
        assert!(
            err.message.contains("x-acs-content-sha256"),
            "{}",
            err.message
        );
    }

    #[test]
    fn malformed_authorization_headers() {
        for bad in [
            "ACS3-HMAC-SHA256",
            "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host",
            "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature",
            "HMAC Credential=a,SignedHeaders=host,Signature=s",
        ] {
            assert!(Authorization::parse(bad).is_none(), "{bad}");
        }
        let ok = Authorization::parse(
            "ACS3-HMAC-SHA256 Signature=s,Credential=a,SignedHeaders=X-Acs-Date;host;host",
        )
        .unwrap();
        assert_eq!(ok.signed_headers, ["host", "x-acs-date"]);
    }
}
