//! Every header of every signed request is sent exactly once, and a V3
//! signature verifies over every value the server received, repeated values
//! joined as the official signer joins them. A duplicated `Content-Type`
//! (which V3 form-body calls used to carry) fails here.

use crate::server;

use aliapi_core::{Client, Credentials, GenericRequest, Method, SignatureVersion};
use aliapi_wire::encode::percent_decode;
use server::{Answer, Hostile, Received};

const KEY_ID: &str = "header-key-id";
const SECRET: &str = "header-secret-value";
const TOKEN: &str = "header+sts/token=";

fn pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (
                percent_decode(n, true).unwrap(),
                percent_decode(v, true).unwrap(),
            )
        })
        .collect()
}

/// Checks the V3 signature of `r` as the service would: every header it
/// names, with every value received.
fn v3_signature_verifies(r: &Received) -> bool {
    let auth = r.header_values("authorization");
    let [auth] = auth.as_slice() else {
        return false;
    };
    let signed = auth
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap_or("");
    let given = auth.rsplit_once("Signature=").map_or("", |(_, s)| s);
    let mut headers = Vec::new();
    for name in signed.split(';') {
        for value in r.header_values(name) {
            headers.push((name.to_owned(), value));
        }
    }
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let query = pairs(r.target().split_once('?').map_or("", |(_, q)| q));
    let query: Vec<(&str, &str)> = query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let method = r.head.split(' ').next().unwrap_or("");
    let (canonical, _) = aliapi_wire::v3::canonical_request(method, &query, &headers, &r.body);
    aliapi_wire::v3::signature(SECRET, &aliapi_wire::v3::string_to_sign(&canonical)) == given
}

#[tokio::test]
async fn each_header_once_and_v3_verifies_over_all_values() {
    let server = Hostile::always(Answer::json(200, r#"{"RequestId":"R"}"#)).await;
    let mut checked = 0;
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        for method in [Method::Get, Method::Post] {
            for body_params in [false, true] {
                for token in [None, Some(TOKEN)] {
                    let credentials = match token {
                        Some(t) => Credentials::with_security_token(KEY_ID, SECRET, t, None),
                        None => Credentials::new(KEY_ID, SECRET),
                    };
                    let client = Client::builder()
                        .credentials(credentials)
                        .endpoint_url(&server.url)
                        .signature_version(version)
                        .build()
                        .unwrap();
                    let mut request =
                        GenericRequest::new("Cdn", "2018-05-10", "RefreshObjectCaches")
                            .method(method)
                            .param("ObjectType", "File");
                    if body_params {
                        request = request.body_param("ObjectPath", "https://example.com/a b.txt");
                    }
                    let context = format!(
                        "{version:?} {method} body={body_params} token={}",
                        token.is_some()
                    );
                    let before = server.received().len();
                    client
                        .call(&request)
                        .await
                        .unwrap_or_else(|e| panic!("{context}: {e}"));
                    let received = server.received();
                    assert_eq!(received.len(), before + 1, "{context}: one request");
                    let r = received.last().unwrap();
                    let mut names = r.header_names();
                    let all = names.len();
                    names.sort();
                    names.dedup();
                    assert_eq!(names.len(), all, "{context}: a header repeats:\n{}", r.head);
                    let content_types = r.header_values("content-type");
                    let has_body = body_params && method == Method::Post;
                    assert_eq!(
                        content_types.len(),
                        usize::from(has_body),
                        "{context}\n{}",
                        r.head
                    );
                    assert_eq!(!r.body.is_empty(), has_body, "{context}");
                    if version == SignatureVersion::V3 {
                        assert!(
                            v3_signature_verifies(r),
                            "{context}: V3 does not verify\n{}",
                            r.head
                        );
                        assert_eq!(
                            r.header_values("x-acs-security-token")
                                .first()
                                .map(String::as_str),
                            token,
                            "{context}"
                        );
                    } else {
                        assert!(r.header_values("authorization").is_empty(), "{context}");
                    }
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 16);
}
