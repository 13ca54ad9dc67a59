//! Calls through `Client` to a loopback server started by each test. The
//! server checks what the service checks (method, where each param travels,
//! the signature, a fresh nonce) and answers with canned bodies.

use std::collections::HashSet;
use std::sync::Arc;

use crate::support::{KEY_ID, SECRET, Seen, Server, start, value};
use aliapi_core::{
    Client, Credentials, EndpointRule, Error, Format, GenericRequest, Location, Method,
    ParamWriter, RpcAction, SignatureDiagnosis, Style,
};
use aliapi_wire::v1::string_to_sign;
use serde::{Deserialize, Serialize};

fn client(server: &Server) -> Client {
    Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .endpoint_url(format!("http://{}", server.addr))
        .build()
        .unwrap()
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Tag {
    key: String,
    value: String,
}

/// A hand-written action, so this test depends on the core only.
struct RefreshLike {
    object_path: String,
    tags: Vec<Tag>,
    region: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct RefreshLikeResponse {
    request_id: Option<String>,
    refresh_task_id: Option<String>,
    total: Option<i64>,
}

impl RpcAction for RefreshLike {
    const PRODUCT: &'static str = "Cdn";
    const VERSION: &'static str = "2018-05-10";
    const ACTION: &'static str = "RefreshObjectCaches";
    const METHOD: Method = Method::Post;
    const ENDPOINT: EndpointRule = EndpointRule::central("cdn.aliyuncs.com");
    type Response = RefreshLikeResponse;

    fn write_params(&self, out: &mut ParamWriter) -> Result<(), Error> {
        out.write(
            "ObjectPath",
            Location::Body,
            Style::Plain,
            &self.object_path,
        )?;
        out.write("Tag", Location::Query, Style::RepeatList, &self.tags)?;
        out.write("RegionId", Location::Query, Style::Plain, &self.region)?;
        Ok(())
    }
}

fn request() -> RefreshLike {
    RefreshLike {
        object_path: "example.com/a b+c/中文".into(),
        tags: vec![Tag {
            key: "env".into(),
            value: "prod & test".into(),
        }],
        region: None,
    }
}

const OK: &str = r#"{"RequestId":"req-1","RefreshTaskId":"42","Total":"3"}"#;

#[tokio::test]
async fn success_puts_params_where_they_belong_and_signs_them() {
    let server = start(Arc::new(|_| (200, "application/json", OK.into()))).await;
    let c = client(&server);
    let resp = c.send(&request()).await.unwrap();
    assert_eq!(resp.request_id.as_deref(), Some("req-1"));
    assert_eq!(resp.refresh_task_id.as_deref(), Some("42"));
    assert_eq!(resp.total, Some(3), "a number sent as a string decodes");
    c.send(&request()).await.unwrap();

    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    for s in &seen {
        assert_eq!(s.method, "POST");
        assert!(s.signature_ok, "signature verifies: {s:?}");
        assert_eq!(value(&s.body, "ObjectPath"), Some("example.com/a b+c/中文"));
        assert_eq!(
            value(&s.query, "ObjectPath"),
            None,
            "body param not in the query"
        );
        assert_eq!(value(&s.query, "Tag.1.Key"), Some("env"));
        assert_eq!(value(&s.query, "Tag.1.Value"), Some("prod & test"));
        assert_eq!(value(&s.query, "RegionId"), None, "absent option not sent");
        for common in [
            "Action",
            "Version",
            "Format",
            "AccessKeyId",
            "SignatureMethod",
            "SignatureVersion",
            "SignatureNonce",
            "Timestamp",
        ] {
            assert!(value(&s.query, common).is_some(), "{common} sent");
        }
        assert_eq!(value(&s.query, "SecurityToken"), None);
        assert_eq!(value(&s.query, "AccessKeyId"), Some(KEY_ID));
    }
    let nonces: HashSet<_> = seen
        .iter()
        .map(|s| value(&s.query, "SignatureNonce").unwrap().to_owned())
        .collect();
    assert_eq!(nonces.len(), 2, "every request has a fresh nonce");
}

#[tokio::test]
async fn get_sends_everything_in_the_query_and_sts_token_is_sent() {
    let server = start(Arc::new(|_| {
        (200, "application/json", r#"{"RequestId":"g"}"#.into())
    }))
    .await;
    let c = Client::builder()
        .credentials(Credentials::with_security_token(
            KEY_ID,
            SECRET,
            "sts-token",
            None,
        ))
        .endpoint_url(format!("http://{}", server.addr))
        .build()
        .unwrap();
    let req = GenericRequest::new("Cdn", "2018-05-10", "DescribeRefreshQuota")
        .method(Method::Get)
        .body_param("Note", "x y");
    let tree = c.call(&req).await.unwrap();
    assert_eq!(tree["RequestId"], "g");
    let s = server.seen.lock().unwrap()[0].clone();
    assert_eq!(s.method, "GET");
    assert!(s.signature_ok);
    assert!(s.body.is_empty());
    assert_eq!(value(&s.query, "Note"), Some("x y"));
    assert_eq!(value(&s.query, "SecurityToken"), Some("sts-token"));
}

#[tokio::test]
async fn service_errors_carry_code_message_and_request_id() {
    let body = r#"{"RequestId":"E-1","HostId":"cdn.aliyuncs.com","Code":"InvalidDomain.NotFound","Message":"The domain does not exist.","Recommend":"https://example.invalid/diag"}"#;
    let server = start(Arc::new(move |_| (404, "application/json", body.into()))).await;
    let err = client(&server).send(&request()).await.unwrap_err();
    let service = err.as_service().expect("a service error");
    assert_eq!(service.status, 404);
    assert_eq!(service.code, "InvalidDomain.NotFound");
    assert_eq!(err.request_id(), Some("E-1"));
    assert_eq!(service.host_id.as_deref(), Some("cdn.aliyuncs.com"));
    let shown = err.to_string();
    assert!(
        shown.contains("InvalidDomain.NotFound") && shown.contains("E-1"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_huge_service_message_is_kept_whole_and_shown_cut() {
    let message = "é".repeat(3000);
    let body = format!(r#"{{"RequestId":"E-2","Code":"InternalError","Message":"{message}"}}"#);
    let server = start(Arc::new(move |_| (400, "application/json", body.clone()))).await;
    let err = client(&server).send(&request()).await.unwrap_err();
    assert_eq!(err.as_service().unwrap().message, message);
    let shown = err.to_string();
    // 1,024 characters of the message, then what was left out; the request
    // id after it still shows.
    let kept = format!("{}… ({} bytes more)", "é".repeat(1024), 2 * (3000 - 1024));
    assert!(shown.contains(&kept), "{shown}");
    assert!(shown.ends_with("[request id E-2]"), "{shown}");
    assert!(shown.len() < 2 * 1024 + 100, "{}", shown.len());
}

#[tokio::test]
async fn signature_mismatch_tells_a_wrong_secret_from_a_signing_bug() {
    // The server signs with its own secret and quotes its string to sign;
    // the client signed the same string with another secret.
    let server = start(Arc::new(|s: &Seen| {
        let all: Vec<(&str, &str)> = s.query.iter().chain(&s.body).map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let sts = string_to_sign("POST", all);
        let body = format!(
            r#"{{"RequestId":"S","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:{sts}"}}"#
        );
        (400, "application/json", body)
    }))
    .await;
    let c = Client::builder()
        .credentials(Credentials::with_security_token(
            KEY_ID,
            "wrong-secret",
            "tok-secret",
            None,
        ))
        .endpoint_url(format!("http://{}", server.addr))
        .build()
        .unwrap();
    let err = c.send(&request()).await.unwrap_err();
    assert_eq!(
        err.as_service().unwrap().signature,
        Some(SignatureDiagnosis::WrongSecret)
    );
    assert!(err.to_string().contains("secret is wrong"), "{err}");
    assert!(!format!("{err:?} {err}").contains("tok-secret"));

    // A server that signed something else: the strings differ.
    let server = start(Arc::new(|_| {
        (400, "application/json", r#"{"RequestId":"S","Code":"SignatureDoesNotMatch","Message":"x server string to sign is:POST&%2F&Other"}"#.into())
    }))
    .await;
    let err = client(&server).send(&request()).await.unwrap_err();
    match &err.as_service().unwrap().signature {
        Some(SignatureDiagnosis::StringToSignDiffers {
            server,
            first_difference,
            ..
        }) => {
            assert_eq!(server, "POST&%2F&Other");
            assert_eq!(*first_difference, "POST&%2F&".len());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_html_502_page_is_a_decode_error_with_the_status() {
    let server = start(Arc::new(|_| {
        (
            502,
            "text/html",
            "<html><head><title>502 Bad Gateway</title></head><body>bad gateway</body></html>"
                .into(),
        )
    }))
    .await;
    match client(&server).send(&request()).await.unwrap_err() {
        Error::Decode {
            status, body_start, ..
        } => {
            assert_eq!(status, 502);
            assert!(body_start.contains("502 Bad Gateway"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_truncated_body_is_an_error_not_a_panic() {
    let server = start(Arc::new(|_| {
        (
            200,
            "application/json",
            r#"{"RequestId":"t","Refresh"#.into(),
        )
    }))
    .await;
    let err = client(&server).send(&request()).await.unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
}

#[tokio::test]
async fn xml_answers_decode_into_the_same_types() {
    let server = start(Arc::new(|s: &Seen| {
        assert_eq!(value(&s.query, "Format"), Some("XML"));
        (200, "text/xml", "<?xml version='1.0'?><RefreshObjectCachesResponse><RequestId>x-1</RequestId><RefreshTaskId>7</RefreshTaskId><Total>9</Total></RefreshObjectCachesResponse>".into())
    }))
    .await;
    let c = Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .endpoint_url(format!("http://{}", server.addr))
        .format(Format::Xml)
        .build()
        .unwrap();
    let resp = c.send(&request()).await.unwrap();
    assert_eq!(resp.request_id.as_deref(), Some("x-1"));
    assert_eq!(resp.total, Some(9));
    let raw = c.send_raw(&request()).await.unwrap();
    assert_eq!(raw.request_id().as_deref(), Some("x-1"));
    assert!(
        std::str::from_utf8(raw.body())
            .unwrap()
            .contains("<RefreshTaskId>7")
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Bind then drop: the port is free and nothing listens.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let c = Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .endpoint_url(format!("http://{addr}"))
        .build()
        .unwrap();
    let err = c.send(&request()).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!format!("{err:?}").contains(SECRET));
}

#[tokio::test]
async fn no_credentials_fails_before_sending() {
    let server = start(Arc::new(|_| (200, "application/json", OK.into()))).await;
    let c = Client::builder()
        .endpoint_url(format!("http://{}", server.addr))
        .build()
        .unwrap();
    let err = c.send(&request()).await.unwrap_err();
    assert!(matches!(err, Error::Credentials(_)), "{err:?}");
    assert!(server.seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn unwritable_params_fail_before_sending() {
    struct Bad;
    impl RpcAction for Bad {
        const PRODUCT: &'static str = "Cdn";
        const VERSION: &'static str = "2018-05-10";
        const ACTION: &'static str = "X";
        const METHOD: Method = Method::Post;
        const ENDPOINT: EndpointRule = EndpointRule::central("cdn.aliyuncs.com");
        type Response = serde_json::Value;
        fn write_params(&self, out: &mut ParamWriter) -> Result<(), Error> {
            out.write("Ratio", Location::Query, Style::Plain, &f64::INFINITY)
        }
    }
    let server = start(Arc::new(|_| (200, "application/json", OK.into()))).await;
    let err = client(&server).send(&Bad).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidParam { param, .. } if param == "Ratio"),
        "{err:?}"
    );
    assert!(server.seen.lock().unwrap().is_empty());
}
