//! Every refusal of the emulator, provoked through the real client where
//! the client can be made to send it, and through hand-sent presigned
//! requests where it cannot (replays, stale or missing timestamps).

use crate::common;

use std::time::{Duration, SystemTime};

use aliapi_cdn::tag_resources::Tag;
use aliapi_cdn::{DescribeRefreshQuota, StartCdnDomain, TagResources};
use aliapi_core::sign::{Presigner, SignedRequest};
use aliapi_core::{
    Client, Credentials, Error, Format, GenericRequest, Method, RpcAction, SignatureDiagnosis,
};
use aliapi_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, RunningEmulator};
use common::{builder, cdn_status, client, client_with, expect_service_error, start};
use serde_json::Value;

/// Signs `action` as the client would at `time`, without sending it.
fn presign<A: aliapi_core::RpcAction>(
    action: &A,
    credentials: &Credentials,
    format: Format,
    time: SystemTime,
) -> Result<aliapi_core::sign::SignedRequest, aliapi_core::Error> {
    Presigner::new(credentials.clone())
        .format(format)
        .time(time)
        .presign(action)
}

fn default_credentials() -> Credentials {
    Credentials::new(DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
}

/// Sends a presigned request as it is, with a plain HTTP client, and returns
/// the status and the JSON answer.
async fn send_presigned<A: RpcAction>(
    emu: &RunningEmulator,
    signed: &SignedRequest,
) -> (u16, Value) {
    send_query::<A>(emu, signed.query(), signed.body()).await
}

async fn send_query<A: RpcAction>(
    emu: &RunningEmulator,
    query: &str,
    body: Option<&str>,
) -> (u16, Value) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let method = match A::METHOD {
        Method::Get => reqwest::Method::GET,
        _ => reqwest::Method::POST,
    };
    let mut request = http.request(method, format!("{}/?{query}", emu.url()));
    if let Some(body) = body {
        request = request
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned());
    }
    let response = request.send().await.expect("the emulator answers");
    let status = response.status().as_u16();
    let header_id = response
        .headers()
        .get("x-acs-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.text().await.expect("a body");
    let json: Value = serde_json::from_str(&text).expect("a JSON answer");
    let id = json["RequestId"].as_str().expect("a RequestId");
    assert_eq!(header_id.as_deref(), Some(id));
    (status, json)
}

#[track_caller]
fn assert_refused(answer: &(u16, Value), status: u16, code: &str) {
    assert_eq!(answer.0, status, "{}", answer.1);
    assert_eq!(answer.1["Code"], code, "{}", answer.1);
}

#[tokio::test]
async fn wrong_secret_is_diagnosed() {
    let emu = start(builder(Duration::ZERO)).await;
    let secret = "definitely-not-the-secret-0123";
    let client = client_with(&emu, Credentials::new(DEFAULT_ACCESS_KEY_ID, secret));
    let err = expect_service_error(
        client.send(&DescribeRefreshQuota::new()).await,
        400,
        "SignatureDoesNotMatch",
    );
    let service = err.as_service().expect("a service error");
    assert_eq!(service.signature, Some(SignatureDiagnosis::WrongSecret));
    assert_eq!(err.attempts(), Some(1), "a signature failure is final");
    assert!(err.to_string().contains("secret is wrong"), "{err}");
    assert!(!err.to_string().contains(secret));
    assert!(!format!("{err:?}").contains(secret));
    // A refused request uses no nonce.
    assert_eq!(emu.service().remembered_nonces(), 0);
}

#[tokio::test]
async fn unknown_key_id() {
    let emu = start(builder(Duration::ZERO)).await;
    let client = client_with(&emu, Credentials::new("no-such-key", "whatever"));
    let err = expect_service_error(
        client.send(&DescribeRefreshQuota::new()).await,
        404,
        "InvalidAccessKeyId.NotFound",
    );
    assert_eq!(err.attempts(), Some(1));

    // The same refusal read from an XML answer.
    let xml = Client::builder()
        .credentials(Credentials::new("no-such-key", "whatever"))
        .endpoint_url(emu.url())
        .format(Format::Xml)
        .build()
        .expect("client");
    expect_service_error(
        xml.send(&DescribeRefreshQuota::new()).await,
        404,
        "InvalidAccessKeyId.NotFound",
    );
}

#[tokio::test]
async fn sts_keys_need_their_token() {
    let token = "sts-token-value-that-must-stay-secret";
    let emu = start(builder(Duration::ZERO).sts_key("STS.tmp-key", "tmp-secret", token)).await;

    let without = client_with(&emu, Credentials::new("STS.tmp-key", "tmp-secret"));
    expect_service_error(
        without.send(&DescribeRefreshQuota::new()).await,
        400,
        "MissingSecurityToken",
    );

    let wrong = "some-other-token-987";
    let mismatched = client_with(
        &emu,
        Credentials::with_security_token("STS.tmp-key", "tmp-secret", wrong, None),
    );
    let err = expect_service_error(
        mismatched.send(&DescribeRefreshQuota::new()).await,
        400,
        "InvalidSecurityToken.MismatchWithAccessKey",
    );
    assert!(!err.to_string().contains(wrong));
    assert!(!format!("{err:?}").contains(wrong));

    let right = client_with(
        &emu,
        Credentials::with_security_token("STS.tmp-key", "tmp-secret", token, None),
    );
    let quota = right
        .send(&DescribeRefreshQuota::new())
        .await
        .expect("the right token is accepted");
    assert!(quota.request_id.is_some());

    // Once keys are configured, the default pair is not among them.
    let default = client(&emu);
    expect_service_error(
        default.send(&DescribeRefreshQuota::new()).await,
        404,
        "InvalidAccessKeyId.NotFound",
    );
}

#[tokio::test]
async fn replayed_nonce_is_refused() {
    let emu = start(builder(Duration::ZERO)).await;
    let request = DescribeRefreshQuota::new();
    let signed = presign(
        &request,
        &default_credentials(),
        Format::Json,
        SystemTime::now(),
    )
    .expect("presign");
    let first = send_presigned::<DescribeRefreshQuota>(&emu, &signed).await;
    assert_eq!(first.0, 200, "{}", first.1);
    assert!(first.1["UrlQuota"].is_string());
    assert_eq!(emu.service().remembered_nonces(), 1);

    let replay = send_presigned::<DescribeRefreshQuota>(&emu, &signed).await;
    assert_refused(&replay, 400, "SignatureNonceUsed");

    // A fresh signature of the same request goes through.
    let again = presign(
        &request,
        &default_credentials(),
        Format::Json,
        SystemTime::now(),
    )
    .expect("presign");
    let third = send_presigned::<DescribeRefreshQuota>(&emu, &again).await;
    assert_eq!(third.0, 200, "{}", third.1);
}

#[tokio::test]
async fn stale_and_missing_timestamps_are_refused() {
    let emu = start(builder(Duration::ZERO)).await;
    let request = DescribeRefreshQuota::new();
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let stale = presign(&request, &default_credentials(), Format::Json, hour_ago).expect("presign");
    let answer = send_presigned::<DescribeRefreshQuota>(&emu, &stale).await;
    assert_refused(&answer, 400, "InvalidTimeStamp.Expired");

    let hour_ahead = SystemTime::now() + Duration::from_secs(3600);
    let early =
        presign(&request, &default_credentials(), Format::Json, hour_ahead).expect("presign");
    let answer = send_presigned::<DescribeRefreshQuota>(&emu, &early).await;
    assert_refused(&answer, 400, "InvalidTimeStamp.Expired");

    // Five minutes off is inside the window.
    let five = SystemTime::now() - Duration::from_secs(300);
    let recent = presign(&request, &default_credentials(), Format::Json, five).expect("presign");
    let answer = send_presigned::<DescribeRefreshQuota>(&emu, &recent).await;
    assert_eq!(answer.0, 200, "{}", answer.1);

    // Without its Timestamp, the request lacks a common param.
    let signed = presign(
        &request,
        &default_credentials(),
        Format::Json,
        SystemTime::now(),
    )
    .expect("presign");
    let query: Vec<&str> = signed
        .query()
        .split('&')
        .filter(|p| !p.starts_with("Timestamp="))
        .collect();
    assert!(query.len() < signed.query().split('&').count());
    let answer = send_query::<DescribeRefreshQuota>(&emu, &query.join("&"), signed.body()).await;
    assert_refused(&answer, 400, "MissingTimestamp");

    // A tampered param breaks the signature.
    let tampered = signed.query().replace("Format=JSON", "Format=json");
    let answer = send_query::<DescribeRefreshQuota>(&emu, &tampered, signed.body()).await;
    assert_refused(&answer, 400, "SignatureDoesNotMatch");
}

#[tokio::test]
async fn missing_param_wrong_version_and_unknown_action() {
    let emu = start(builder(Duration::ZERO)).await;
    let client = client(&emu);

    let err = expect_service_error(
        client
            .call(&GenericRequest::new("Cdn", "2018-05-10", "StartCdnDomain"))
            .await,
        400,
        "MissingParameter",
    );
    assert!(
        err.as_service()
            .is_some_and(|s| s.message.contains("DomainName")),
        "{err}"
    );
    assert_eq!(err.attempts(), Some(1), "a write refusal is not retried");

    let err = expect_service_error(
        client
            .call(&GenericRequest::new(
                "Cdn",
                "2014-11-11",
                "DescribeRefreshQuota",
            ))
            .await,
        400,
        "InvalidVersion",
    );
    assert_eq!(err.attempts(), Some(1));

    let err = expect_service_error(
        client
            .call(&GenericRequest::new(
                "Cdn",
                "2018-05-10",
                "DescribeNoSuchThing",
            ))
            .await,
        404,
        "InvalidAction.NotFound",
    );
    assert_eq!(err.attempts(), Some(1), "a 404 is final even for a read");

    // A CDN action under the CEN version is unknown to that product.
    expect_service_error(
        client
            .call(
                &GenericRequest::new("Cbn", "2017-09-12", "StartCdnDomain")
                    .param("DomainName", "www.example.com"),
            )
            .await,
        404,
        "InvalidAction.NotFound",
    );

    // A wrongly typed param.
    expect_service_error(
        client
            .call(
                &GenericRequest::new("Cdn", "2018-05-10", "DescribeUserDomains")
                    .param("PageSize", "many"),
            )
            .await,
        400,
        "InvalidParameter",
    );

    // With the param, the same generic call reaches the operation.
    expect_service_error(
        client
            .call(
                &GenericRequest::new("Cdn", "2018-05-10", "StartCdnDomain")
                    .param("DomainName", "www.example.com"),
            )
            .await,
        cdn_status("StartCdnDomain", "InvalidDomain.NotFound"),
        "InvalidDomain.NotFound",
    );
    let typed = client.send(&StartCdnDomain::new("www.example.com")).await;
    expect_service_error(
        typed,
        cdn_status("StartCdnDomain", "InvalidDomain.NotFound"),
        "InvalidDomain.NotFound",
    );
}

#[tokio::test]
async fn empty_required_list_is_refused_before_sending() {
    let emu = start(builder(Duration::ZERO)).await;
    let client = client(&emu);
    let tag = Tag {
        key: "env".into(),
        value: Some("prod".into()),
    };

    let no_ids = TagResources::new(Vec::<String>::new(), "DOMAIN", vec![tag.clone()]);
    match client.send(&no_ids).await {
        Err(Error::InvalidParam { param, reason, .. }) => {
            assert_eq!(param, "ResourceId");
            assert!(reason.contains("required"), "{reason}");
        }
        other => panic!("expected InvalidParam, got {other:?}"),
    }
    let no_tags = TagResources::new(
        vec!["www.example.com".to_owned()],
        "DOMAIN",
        Vec::<Tag>::new(),
    );
    match client.send(&no_tags).await {
        Err(Error::InvalidParam { param, .. }) => assert_eq!(param, "Tag"),
        other => panic!("expected InvalidParam, got {other:?}"),
    }
    // presign refuses it the same way.
    assert!(matches!(
        presign(
            &no_ids,
            &default_credentials(),
            Format::Json,
            SystemTime::now()
        ),
        Err(Error::InvalidParam { .. })
    ));

    // The emulator saw nothing: no nonce was used up...
    assert_eq!(emu.service().remembered_nonces(), 0);
    // ...while any request that reaches it, even a refused one, uses one.
    let sent = TagResources::new(vec!["www.example.com".to_owned()], "DOMAIN", vec![tag]);
    expect_service_error(
        client.send(&sent).await,
        cdn_status("TagResources", "InvalidDomain.NotFound"),
        "InvalidDomain.NotFound",
    );
    assert_eq!(emu.service().remembered_nonces(), 1);
}
