//! EcsRamRoleProvider against a loopback fake metadata service.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::credentials_support::{
    FakeServer, Request, Response, expiration_in, keys_json, provider_config,
};
use aliapi_core::providers::{EcsRamRoleProvider, Env};
use aliapi_core::{CredentialsError, ProvideCredentials};

const TOKEN_PATH: &str = "/latest/api/token";
const ROLES: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN: &str = "imds-session-token";

fn no_env() -> Env {
    Env::from_vars::<&str, &str>([])
}

fn success(id: &str) -> String {
    let keys = keys_json(id, "ecs-secret", "ecs-token", &expiration_in(6 * 3600));
    format!(
        r#"{{"Code":"Success","LastUpdated":"2026-01-01T00:00:00Z",{}"#,
        &keys[1..]
    )
}

/// A metadata service that requires the IMDSv2 token (403 otherwise).
fn imdsv2(req: &Request) -> Response {
    match (req.method.as_str(), req.path.as_str()) {
        ("PUT", TOKEN_PATH) => {
            if req
                .header("x-aliyun-ecs-metadata-token-ttl-seconds")
                .is_some()
            {
                Response::ok(TOKEN)
            } else {
                Response::status(400, "ttl missing")
            }
        }
        ("GET", p) if req.header("x-aliyun-ecs-metadata-token") != Some(TOKEN) => {
            Response::status(403, format!("no token for {p}"))
        }
        ("GET", ROLES) => Response::ok("EcsRole\n"),
        ("GET", p) if p == format!("{ROLES}EcsRole") => Response::ok(success("ecs-id")),
        _ => Response::status(404, "not found"),
    }
}

/// A metadata service of old: no token endpoint, no token needed.
fn imdsv1_only(req: &Request) -> Response {
    match (req.method.as_str(), req.path.as_str()) {
        ("PUT", TOKEN_PATH) => Response::status(404, "not found"),
        ("GET", ROLES) => Response::ok("OldRole"),
        ("GET", p) if p == format!("{ROLES}OldRole") => Response::ok(success("v1-id")),
        _ => Response::status(404, "not found"),
    }
}

fn provider(url: &str) -> EcsRamRoleProvider {
    EcsRamRoleProvider::builder()
        .configure(&provider_config(no_env()))
        .endpoint(url)
        .build()
}

#[tokio::test]
async fn imdsv2_token_then_role_then_keys() {
    let md = FakeServer::start(imdsv2).await;
    let c = provider(&md.url).provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id(), "ecs-id");
    assert_eq!(c.access_key_secret(), "ecs-secret");
    assert_eq!(c.security_token(), Some("ecs-token"));
    assert_eq!(c.provider_name(), "ecs_ram_role");
    assert!(c.expiration().is_some());
    let reqs = md.requests();
    let seen: Vec<(&str, &str)> = reqs
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("PUT", TOKEN_PATH),
            ("GET", ROLES),
            ("GET", "/latest/meta-data/ram/security-credentials/EcsRole")
        ]
    );
    assert_eq!(
        reqs[0].header("x-aliyun-ecs-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert!(
        reqs[1..]
            .iter()
            .all(|r| r.header("x-aliyun-ecs-metadata-token") == Some(TOKEN))
    );
}

#[tokio::test]
async fn falls_back_to_imdsv1_when_no_token_is_given() {
    let md = FakeServer::start(imdsv1_only).await;
    let c = provider(&md.url).provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id(), "v1-id");
    let reqs = md.requests();
    assert_eq!(reqs.len(), 3);
    assert!(
        reqs[1..]
            .iter()
            .all(|r| r.header("x-aliyun-ecs-metadata-token").is_none())
    );
}

#[tokio::test]
async fn imdsv1_disabled_stops_at_a_missing_token() {
    for env in [
        Env::from_vars([("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")]),
        no_env(),
    ] {
        let md = FakeServer::start(imdsv1_only).await;
        let mut b = EcsRamRoleProvider::builder()
            .configure(&provider_config(env.clone()))
            .endpoint(&md.url);
        if env.get("ALIBABA_CLOUD_IMDSV1_DISABLED").is_none() {
            b = b.imdsv1_disabled(true);
        }
        let err = b.build().provide_credentials().await.unwrap_err();
        assert!(matches!(err, CredentialsError::Failed { .. }), "{err:?}");
        assert!(
            err.to_string().contains("ALIBABA_CLOUD_IMDSV1_DISABLED"),
            "{err}"
        );
        assert_eq!(md.requests().len(), 1, "only the token request");
    }
}

#[tokio::test]
async fn role_name_from_env_skips_the_listing() {
    let md = FakeServer::start(imdsv2).await;
    let env = Env::from_vars([("ALIBABA_CLOUD_ECS_METADATA", "EcsRole")]);
    let p = EcsRamRoleProvider::builder()
        .configure(&provider_config(env))
        .endpoint(&md.url)
        .build();
    assert_eq!(
        p.provide_credentials().await.unwrap().access_key_id(),
        "ecs-id"
    );
    assert_eq!(md.count(|r| r.path == ROLES), 0);
    // And set by the builder.
    let md = FakeServer::start(imdsv2).await;
    let p = EcsRamRoleProvider::builder()
        .configure(&provider_config(no_env()))
        .role_name("EcsRole")
        .endpoint(&md.url)
        .build();
    p.provide_credentials().await.unwrap();
    assert_eq!(md.count(|r| r.path == ROLES), 0);
}

#[tokio::test]
async fn disabled_by_env_asks_nothing() {
    let md = FakeServer::start(imdsv2).await;
    let env = Env::from_vars([("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]);
    let err = EcsRamRoleProvider::builder()
        .configure(&provider_config(env))
        .endpoint(&md.url)
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("ALIBABA_CLOUD_ECS_METADATA_DISABLED")
    );
    assert!(md.requests().is_empty());
}

#[tokio::test]
async fn no_role_attached_is_not_found() {
    let md = FakeServer::start(|req| match req.method.as_str() {
        "PUT" => Response::ok(TOKEN),
        _ => Response::status(404, "no role"),
    })
    .await;
    let err = provider(&md.url).provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("no RAM role"), "{err}");
}

#[tokio::test]
async fn bad_answers_fail_without_echoing_them() {
    let cases = [
        ("{not json", "not the expected JSON"),
        (r#"{"Code":"Failed","AccessKeyId":"a"}"#, "Failed"),
        (
            r#"{"Code":"Success","AccessKeyId":"a","AccessKeySecret":"LEAKME","Expiration":"2030-01-01T00:00:00Z"}"#,
            "SecurityToken",
        ),
        (
            r#"{"Code":"Success","AccessKeyId":"a","AccessKeySecret":"LEAKME","SecurityToken":"t"}"#,
            "Expiration",
        ),
    ];
    for (body, expect) in cases {
        let md = FakeServer::start(move |req| match (req.method.as_str(), req.path.as_str()) {
            ("PUT", _) => Response::ok(TOKEN),
            ("GET", ROLES) => Response::ok("R"),
            _ => Response::ok(body),
        })
        .await;
        let err = provider(&md.url).provide_credentials().await.unwrap_err();
        assert!(
            matches!(err, CredentialsError::Failed { .. }),
            "{body}: {err:?}"
        );
        let text = err.to_string();
        assert!(text.contains(expect), "{body}: {text}");
        assert!(!text.contains("LEAKME"), "{text}");
    }
}

#[tokio::test]
async fn server_error_on_keys_is_a_failure() {
    let md = FakeServer::start(|req| match (req.method.as_str(), req.path.as_str()) {
        ("PUT", _) => Response::ok(TOKEN),
        ("GET", ROLES) => Response::ok("R"),
        _ => Response::status(500, "SECRET-DEBUG-DUMP"),
    })
    .await;
    let err = provider(&md.url).provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::Failed { .. }), "{err:?}");
    assert!(
        err.to_string().contains("500") && !err.to_string().contains("SECRET-DEBUG-DUMP"),
        "{err}"
    );
}

#[tokio::test]
async fn a_hanging_metadata_service_times_out_in_about_a_second() {
    let md = FakeServer::start(|_| Response::hang()).await;
    let started = Instant::now();
    let err = provider(&md.url).provide_credentials().await.unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(took >= Duration::from_millis(900), "took {took:?}");
    assert!(matches!(err, CredentialsError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
}

#[tokio::test]
async fn nothing_listening_is_not_found() {
    let url = crate::credentials_support::closed_port_url().await;
    let err = provider(&url).provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundred_callers_one_fetch() {
    let md = FakeServer::start(|req| {
        let mut r = imdsv2(req);
        r.delay = Duration::from_millis(50);
        r
    })
    .await;
    let p = Arc::new(provider(&md.url));
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let p = p.clone();
            tokio::spawn(async move { p.provide_credentials().await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().access_key_id(), "ecs-id");
    }
    assert_eq!(md.count(|r| r.path.ends_with("/EcsRole")), 1);
    assert_eq!(md.count(|r| r.method == "PUT"), 1);
}

#[test]
fn debug_shows_no_keys() {
    let p = EcsRamRoleProvider::builder()
        .configure(&provider_config(no_env()))
        .role_name("R")
        .build();
    let shown = format!("{p:?}");
    assert!(
        shown.contains("100.100.100.200") && shown.contains("\"R\""),
        "{shown}"
    );
}
