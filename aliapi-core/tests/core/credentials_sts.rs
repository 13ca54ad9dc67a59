//! RamRoleArnProvider and OidcRoleArnProvider against a loopback fake STS.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use crate::credentials_support::{
    FakeServer, Request, Response, TempDir, expiration_in, provider_config, sts_answer,
};
use aliapi_core::clock::{ManualClock, TimeSource};
use aliapi_core::providers::{Env, OidcRoleArnProvider, ProviderConfig, RamRoleArnProvider};
use aliapi_core::{Credentials, CredentialsError, ProvideCredentials, RetryConfig};
use aliapi_wire::time::format_timestamp;
use aliapi_wire::v1::{signature, string_to_sign};

const ROLE: &str = "acs:ram::123456:role/deployer";
const SOURCE_SECRET: &str = "source-secret-value";

/// Whether `req` carries a valid v1 signature made with `secret`.
fn signature_ok(req: &Request, secret: &str) -> bool {
    let params = req.params();
    let Some(sig) = req.param("Signature") else {
        return false;
    };
    let sts = string_to_sign("POST", params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    signature(secret, &sts) == sig
}

/// A fake STS answering AssumeRole when signed with `secret`; each answer
/// is keyed `STS.<n>` and lives `lifetime` seconds.
async fn fake_sts(secret: &'static str, lifetime: u64) -> (FakeServer, Arc<AtomicUsize>) {
    let served = Arc::new(AtomicUsize::new(0));
    let counter = served.clone();
    let server = FakeServer::start(move |req| {
        if req.method != "POST" || req.param("Action").as_deref() != Some("AssumeRole") {
            return Response::status(400, r#"{"Code":"InvalidAction","Message":"unexpected"}"#);
        }
        if !signature_ok(req, secret) {
            return Response::status(
                400,
                r#"{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation."}"#,
            );
        }
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        Response::ok(sts_answer(&format!("STS.{n}"), &format!("secret-{n}"), &format!("token-{n}"), &expiration_in(lifetime)))
    })
    .await;
    (server, served)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assume_role_sends_a_valid_signed_request() {
    let (sts, _) = fake_sts(SOURCE_SECRET, 3600).await;
    let provider = RamRoleArnProvider::builder(Credentials::new("source-id", SOURCE_SECRET), ROLE)
        .role_session_name("my-session")
        .policy(
            r#"{"Statement":[{"Action":"cdn:*","Effect":"Allow","Resource":"*"}],"Version":"1"}"#,
        )
        .external_id("ext-123")
        .sts_endpoint(&sts.url)
        .build()
        .unwrap();
    let c = provider.provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id(), "STS.1");
    assert_eq!(c.access_key_secret(), "secret-1");
    assert_eq!(c.security_token(), Some("token-1"));
    assert_eq!(c.provider_name(), "ram_role_arn");
    let exp = c.expiration().expect("expiration parsed");
    let left = exp.duration_since(std::time::SystemTime::now()).unwrap();
    assert!(
        left > Duration::from_secs(3500) && left <= Duration::from_secs(3600),
        "{left:?}"
    );

    let reqs = sts.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.path, "/");
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    for (name, want) in [
        ("Version", "2015-04-01"),
        ("Format", "JSON"),
        ("AccessKeyId", "source-id"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("RoleArn", ROLE),
        ("RoleSessionName", "my-session"),
        ("DurationSeconds", "3600"),
        ("ExternalId", "ext-123"),
    ] {
        assert_eq!(r.param(name).as_deref(), Some(want), "{name}");
    }
    assert!(r.param("Policy").unwrap().contains("cdn:*"));
    assert!(r.param("SecurityToken").is_none());
    let nonce = r.param("SignatureNonce").unwrap();
    assert_eq!(nonce.len(), 36, "a uuid: {nonce}");
    let ts = r.param("Timestamp").unwrap();
    assert!(
        aliapi_wire::time::parse_timestamp(&ts).is_some() && ts.ends_with('Z'),
        "{ts}"
    );
    assert!(!r.body.contains(SOURCE_SECRET), "the secret is never sent");
}

#[tokio::test]
async fn temporary_source_keys_send_their_token() {
    let (sts, _) = fake_sts(SOURCE_SECRET, 3600).await;
    let source = Credentials::with_security_token("src", SOURCE_SECRET, "src-token", None);
    let provider = RamRoleArnProvider::builder(source, ROLE)
        .sts_endpoint(&sts.url)
        .build()
        .unwrap();
    provider.provide_credentials().await.unwrap();
    let r = &sts.requests()[0];
    assert_eq!(r.param("SecurityToken").as_deref(), Some("src-token"));
    let session = r.param("RoleSessionName").unwrap();
    assert!(session.starts_with("aliapi-"), "{session}");
}

#[tokio::test]
async fn sts_refusal_is_a_failure_naming_the_code() {
    let (sts, served) = fake_sts(SOURCE_SECRET, 3600).await;
    let provider = RamRoleArnProvider::builder(Credentials::new("src", "wrong-secret"), ROLE)
        .sts_endpoint(&sts.url)
        .build()
        .unwrap();
    let err = provider.provide_credentials().await.unwrap_err();
    let CredentialsError::Failed {
        provider: name,
        reason,
    } = &err
    else {
        panic!("expected Failed, got {err:?}");
    };
    assert_eq!(*name, "ram_role_arn");
    assert!(
        reason.contains("SignatureDoesNotMatch") && reason.contains("400"),
        "{reason}"
    );
    assert!(!reason.contains("wrong-secret"));
    assert_eq!(served.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn malformed_or_incomplete_sts_answers_fail() {
    for (body, expect) in [
        ("<html>oops</html>", "HTML page"),
        (r#"{"RequestId":"x"}"#, "without Credentials"),
        (
            r#"{"Credentials":{"AccessKeyId":"a","AccessKeySecret":"b","Expiration":"2030-01-01T00:00:00Z"}}"#,
            "SecurityToken",
        ),
        (
            r#"{"Credentials":{"AccessKeyId":"a","AccessKeySecret":"b","SecurityToken":"t","Expiration":"tomorrow"}}"#,
            "Expiration",
        ),
    ] {
        let sts = FakeServer::start(move |_| Response::ok(body)).await;
        let provider = RamRoleArnProvider::builder(Credentials::new("a", "b"), ROLE)
            .sts_endpoint(&sts.url)
            .build()
            .unwrap();
        let err = provider.provide_credentials().await.unwrap_err();
        assert!(
            matches!(err, CredentialsError::Failed { .. }),
            "{body}: {err:?}"
        );
        assert!(err.to_string().contains(expect), "{body}: {err}");
    }
}

#[tokio::test]
async fn unreachable_sts_fails_quickly() {
    let url = crate::credentials_support::closed_port_url().await;
    let provider = RamRoleArnProvider::builder(Credentials::new("a", "b"), ROLE)
        .sts_endpoint(url)
        .build()
        .unwrap();
    let err = provider.provide_credentials().await.unwrap_err();
    // Refused connections are retried (nothing was sent), then reported.
    assert!(err.to_string().contains("could not connect"), "{err}");
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

#[tokio::test]
async fn a_failing_source_is_reported() {
    let source = aliapi_core::providers::EnvironmentProvider::from_config(&provider_config(
        Env::from_vars::<&str, &str>([]),
    ));
    let provider = RamRoleArnProvider::builder(source, ROLE)
        .sts_endpoint("http://127.0.0.1:9")
        .build()
        .unwrap();
    let err = provider.provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("source credentials"), "{err}");
}

#[tokio::test]
async fn endpoint_follows_sts_region_variables() {
    let env = Env::from_vars([("ALIBABA_CLOUD_STS_REGION", "ap-southeast-1")]);
    let p = RamRoleArnProvider::builder(Credentials::new("a", "b"), ROLE)
        .configure(&provider_config(env))
        .build()
        .unwrap();
    assert_eq!(p.endpoint(), "https://sts.ap-southeast-1.aliyuncs.com");
    let env = Env::from_vars([
        ("ALIBABA_CLOUD_STS_REGION", "cn-hangzhou"),
        ("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true"),
    ]);
    let p = RamRoleArnProvider::builder(Credentials::new("a", "b"), ROLE)
        .configure(&provider_config(env))
        .build()
        .unwrap();
    assert_eq!(p.endpoint(), "https://sts-vpc.cn-hangzhou.aliyuncs.com");
    let p = RamRoleArnProvider::builder(Credentials::new("a", "b"), ROLE)
        .configure(&provider_config(Env::from_vars::<&str, &str>([])))
        .build()
        .unwrap();
    assert_eq!(p.endpoint(), "https://sts.aliyuncs.com");
}

/// 100 callers at once share one AssumeRole; when the keys come due one
/// refresh serves everybody; when a refresh fails the valid old keys are
/// served and STS is asked once (with its retries), not once per caller.
/// Time moves on a manual clock: the test never waits for keys to age.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_refresh_in_flight_under_100_concurrent_calls() {
    let failing = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let clock = ManualClock::new(SystemTime::now());
    let (f, s, c) = (failing.clone(), served.clone(), clock.clone());
    let sts = FakeServer::start(move |req| {
        if f.load(Ordering::SeqCst) {
            return Response::status(503, r#"{"Code":"ServiceUnavailable","Message":"down"}"#);
        }
        assert!(signature_ok(req, SOURCE_SECRET));
        let n = s.fetch_add(1, Ordering::SeqCst) + 1;
        // Keys living 6 s (5 to 6 once truncated to whole seconds), so
        // refreshed half their life ahead, i.e. after 2.5 to 3 s.
        let expiration = format_timestamp(c.now() + Duration::from_secs(6));
        let body = sts_answer(&format!("STS.{n}"), "s", "t", &expiration);
        Response {
            delay: Duration::from_millis(100),
            ..Response::ok(body)
        }
    })
    .await;
    let config = ProviderConfig::default()
        .with_time_source(clock.clone())
        .with_retry(RetryConfig::default().with_base_delay(Duration::from_millis(1)));
    let provider = Arc::new(
        RamRoleArnProvider::builder(Credentials::new("src", SOURCE_SECRET), ROLE)
            .configure(&config)
            .sts_endpoint(&sts.url)
            .refresh_before(Duration::from_secs(3))
            .build()
            .unwrap(),
    );
    let burst = |provider: Arc<RamRoleArnProvider>| async move {
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let p = provider.clone();
                tokio::spawn(async move { p.provide_credentials().await })
            })
            .collect();
        let mut ids = Vec::new();
        for t in tasks {
            ids.push(t.await.unwrap().unwrap().access_key_id().to_owned());
        }
        ids
    };

    let ids = burst(provider.clone()).await;
    assert!(ids.iter().all(|id| id == "STS.1"), "{ids:?}");
    assert_eq!(sts.requests().len(), 1, "one AssumeRole for 100 callers");

    clock.advance(Duration::from_millis(3200));
    let ids = burst(provider.clone()).await;
    assert!(ids.iter().all(|id| id == "STS.2"), "{ids:?}");
    assert_eq!(sts.requests().len(), 2, "one refresh for 100 callers");

    failing.store(true, Ordering::SeqCst);
    clock.advance(Duration::from_millis(3200));
    let ids = burst(provider.clone()).await;
    assert!(
        ids.iter().all(|id| id == "STS.2"),
        "old keys served while valid: {ids:?}"
    );
    // The failed refresh is one call of three attempts (503 is retried:
    // AssumeRole is idempotent), and the 100 callers share it.
    assert_eq!(sts.requests().len(), 5, "one failed refresh, then back-off");
}

#[tokio::test]
async fn expired_keys_and_failed_refresh_is_an_error() {
    let served = Arc::new(AtomicUsize::new(0));
    let s = served.clone();
    let sts = FakeServer::start(move |_| {
        if s.fetch_add(1, Ordering::SeqCst) == 0 {
            // Already expired when it arrives.
            Response::ok(sts_answer("STS.1", "s", "t", "2001-01-01T00:00:00Z"))
        } else {
            Response::status(500, r#"{"Code":"InternalError","Message":"boom"}"#)
        }
    })
    .await;
    let clock = ManualClock::new(SystemTime::now());
    let config = ProviderConfig::default()
        .with_time_source(clock.clone())
        .with_retry(RetryConfig::default().with_base_delay(Duration::from_millis(1)));
    let provider = RamRoleArnProvider::builder(Credentials::new("src", SOURCE_SECRET), ROLE)
        .configure(&config)
        .sts_endpoint(&sts.url)
        .build()
        .unwrap();
    let keys = || async { provider.provide_credentials().await };
    assert_eq!(keys().await.unwrap().access_key_id(), "STS.1");
    // Expired on arrival: used (the service judges them) and not fetched
    // again on every call, but only once the back-off has passed.
    assert_eq!(keys().await.unwrap().access_key_id(), "STS.1");
    assert_eq!(served.load(Ordering::SeqCst), 1);
    clock.advance(Duration::from_secs(11));
    let err = keys().await.unwrap_err();
    assert!(err.to_string().contains("InternalError"), "{err}");
}

#[test]
fn debug_never_shows_secrets() {
    let p = RamRoleArnProvider::builder(Credentials::new("src-id", "SRC-SECRET-XYZ"), ROLE)
        .external_id("EXTERNAL-XYZ")
        .build()
        .unwrap();
    let shown = format!("{p:?} {p:#?}");
    assert!(shown.contains(ROLE));
    assert!(
        !shown.contains("SRC-SECRET-XYZ") && !shown.contains("EXTERNAL-XYZ"),
        "{shown}"
    );
}

// ---- AssumeRoleWithOIDC ----

const OIDC_PROVIDER: &str = "acs:ram::123456:oidc-provider/ack-rrsa";

async fn fake_oidc_sts(lifetime: u64) -> FakeServer {
    FakeServer::start(move |req| {
        if req.param("Action").as_deref() != Some("AssumeRoleWithOIDC")
            || req.param("Signature").is_some()
        {
            return Response::status(400, r#"{"Code":"Bad","Message":"unexpected"}"#);
        }
        let token = req.param("OIDCToken").unwrap_or_default();
        Response::ok(sts_answer(
            &format!("STS.for.{token}"),
            "s",
            "t",
            &expiration_in(lifetime),
        ))
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_reads_the_token_file_again_at_each_refresh() {
    let sts = fake_oidc_sts(4).await;
    let dir = TempDir::new();
    let token_file = dir.write("token", "token-one\n");
    let clock = ManualClock::new(SystemTime::now());
    let provider = OidcRoleArnProvider::builder(ROLE, OIDC_PROVIDER, &token_file)
        .configure(&ProviderConfig::default().with_time_source(clock.clone()))
        .sts_endpoint(&sts.url)
        .role_session_name("pod-session")
        .refresh_before(Duration::from_secs(2))
        .build()
        .unwrap();
    let c = provider.provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id(), "STS.for.token-one");
    assert_eq!(c.provider_name(), "oidc_role_arn");
    let r = &sts.requests()[0];
    for (name, want) in [
        ("Version", "2015-04-01"),
        ("Format", "JSON"),
        ("RoleArn", ROLE),
        ("OIDCProviderArn", OIDC_PROVIDER),
        ("OIDCToken", "token-one"),
        ("RoleSessionName", "pod-session"),
        ("DurationSeconds", "3600"),
    ] {
        assert_eq!(r.param(name).as_deref(), Some(want), "{name}");
    }
    assert!(r.param("Timestamp").is_some());
    assert!(
        r.param("AccessKeyId").is_none() && r.param("Signature").is_none(),
        "unsigned"
    );

    // The kubelet rotates the token; the cached keys are still fresh.
    std::fs::write(&token_file, "token-two").unwrap();
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "STS.for.token-one"
    );
    assert_eq!(sts.requests().len(), 1);

    clock.advance(Duration::from_millis(2300));
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "STS.for.token-two"
    );
    assert_eq!(sts.requests().len(), 2);
}

#[tokio::test]
async fn oidc_from_env_uses_the_variables() {
    let sts = fake_oidc_sts(3600).await;
    let dir = TempDir::new();
    let token_file = dir.write("t", "tok");
    let env = Env::from_vars([
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", OIDC_PROVIDER),
        (
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
        ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "from-env"),
    ]);
    let provider =
        aliapi_core::providers::OidcRoleArnProviderBuilder::from_config(&provider_config(env))
            .unwrap()
            .sts_endpoint(&sts.url)
            .build()
            .unwrap();
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "STS.for.tok"
    );
    assert_eq!(
        sts.requests()[0].param("RoleSessionName").as_deref(),
        Some("from-env")
    );
}

#[tokio::test]
async fn oidc_missing_or_empty_token_file_fails_without_calling_sts() {
    let sts = fake_oidc_sts(3600).await;
    let dir = TempDir::new();
    let empty = dir.write("empty", "  \n");
    for file in [dir.path().join("absent"), empty] {
        let provider = OidcRoleArnProvider::builder(ROLE, OIDC_PROVIDER, &file)
            .sts_endpoint(&sts.url)
            .build()
            .unwrap();
        let err = provider.provide_credentials().await.unwrap_err();
        assert!(
            matches!(
                err,
                CredentialsError::Failed {
                    provider: "oidc_role_arn",
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("token file"), "{err}");
    }
    assert!(sts.requests().is_empty());
}

#[tokio::test]
async fn oidc_sts_error_never_echoes_the_token() {
    let sts = FakeServer::start(|req| {
        let token = req.param("OIDCToken").unwrap_or_default();
        Response::status(
            400,
            format!(
                r#"{{"Code":"InvalidParameter.OIDCToken","Message":"token {token} is expired"}}"#
            ),
        )
    })
    .await;
    let dir = TempDir::new();
    let file = dir.write("t", "VERY-PRIVATE-JWT");
    let provider = OidcRoleArnProvider::builder(ROLE, OIDC_PROVIDER, &file)
        .sts_endpoint(&sts.url)
        .build()
        .unwrap();
    let err = provider
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("InvalidParameter.OIDCToken"), "{err}");
    assert!(!err.contains("VERY-PRIVATE-JWT"), "{err}");
}
