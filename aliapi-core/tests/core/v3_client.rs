//! The client's V3 (`ACS3-HMAC-SHA256`) option, checked by a loopback server
//! that recomputes the signature from the headers and body it received.

use std::sync::Arc;

use crate::support::{KEY_ID, SECRET, Seen, start, value};
use aliapi_core::{Client, Credentials, GenericRequest, Method, SignatureVersion};
use aliapi_wire::v3;

fn header<'a>(seen: &'a Seen, name: &str) -> Option<&'a str> {
    value(&seen.headers, name)
}

/// What the service does: take the names the client says it signed, rebuild
/// the canonical request from what arrived, sign it with the known secret.
fn verify(seen: &Seen) -> bool {
    let Some(auth) = header(seen, "authorization") else {
        return false;
    };
    let Some(names) = auth
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|r| r.split(',').next())
    else {
        return false;
    };
    let headers: Vec<(&str, &str)> = names
        .split(';')
        .map(|n| (n, header(seen, n).unwrap_or("")))
        .collect();
    let query: Vec<(&str, &str)> = seen
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let method = if seen.method == "GET" {
        Method::Get
    } else {
        Method::Post
    };
    let expected = v3::authorization(
        KEY_ID,
        SECRET,
        method.as_str(),
        &query,
        &headers,
        &seen.raw_body,
    );
    expected == auth
}

#[tokio::test]
async fn v3_requests_verify_on_the_server() {
    let server = start(Arc::new(|seen| {
        let ok = verify(seen);
        (
            if ok { 200 } else { 403 },
            "application/json",
            format!(r#"{{"RequestId":"v3","Verified":{ok}}}"#),
        )
    }))
    .await;
    let client = Client::builder()
        .credentials(Credentials::with_security_token(
            KEY_ID,
            SECRET,
            "sts-token",
            None,
        ))
        .endpoint_url(format!("http://{}", server.addr))
        .signature_version(SignatureVersion::V3)
        .build()
        .unwrap();
    let post = GenericRequest::new("Cdn", "2018-05-10", "RefreshObjectCaches")
        .param("ObjectType", "File")
        .body_param("ObjectPath", "example.com/a b/中文");
    let get = GenericRequest::new("Cbn", "2017-09-12", "DescribeCens")
        .method(Method::Get)
        .param("PageSize", "10");
    for req in [post, get] {
        let tree = client.call(&req).await.unwrap();
        assert_eq!(tree["Verified"], true);
    }
    let seen = server.seen.lock().unwrap().clone();
    let post = &seen[0];
    assert_eq!(post.method, "POST");
    assert_eq!(
        value(&post.body, "ObjectPath"),
        Some("example.com/a b/中文")
    );
    assert_eq!(header(post, "x-acs-action"), Some("RefreshObjectCaches"));
    assert_eq!(header(post, "x-acs-version"), Some("2018-05-10"));
    assert_eq!(header(post, "x-acs-security-token"), Some("sts-token"));
    assert!(
        value(&post.query, "Signature").is_none(),
        "no v1 params with V3"
    );
    assert!(value(&post.query, "AccessKeyId").is_none());
    assert_eq!(header(&seen[1], "x-acs-action"), Some("DescribeCens"));
    assert_ne!(
        header(&seen[0], "x-acs-signature-nonce"),
        header(&seen[1], "x-acs-signature-nonce")
    );
}
