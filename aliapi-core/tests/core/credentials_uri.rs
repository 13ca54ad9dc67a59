//! CredentialsUriProvider against a loopback fake endpoint.

use std::sync::Arc;
use std::time::Duration;

use crate::credentials_support::{FakeServer, Response, expiration_in, keys_json, provider_config};
use aliapi_core::providers::{CredentialsUriProvider, Env};
use aliapi_core::{CredentialsError, ProvideCredentials};

#[tokio::test]
async fn fetches_keys_from_the_uri() {
    let srv = FakeServer::start(|_| {
        Response::ok(keys_json(
            "uri-id",
            "uri-secret",
            "uri-token",
            &expiration_in(3600),
        ))
    })
    .await;
    let p = CredentialsUriProvider::new(format!("{}/creds?sig=abc", srv.url));
    let c = p.provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id(), "uri-id");
    assert_eq!(c.access_key_secret(), "uri-secret");
    assert_eq!(c.security_token(), Some("uri-token"));
    assert_eq!(c.provider_name(), "credentials_uri");
    let r = &srv.requests()[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.query.as_str()),
        ("GET", "/creds", "sig=abc")
    );
}

#[tokio::test]
async fn reads_the_uri_from_the_env() {
    let srv = FakeServer::start(|_| {
        let keys = keys_json("env-id", "s", "t", &expiration_in(3600));
        Response::ok(format!(r#"{{"Code":"Success",{}"#, &keys[1..]))
    })
    .await;
    let env = Env::from_vars([("ALIBABA_CLOUD_CREDENTIALS_URI", format!("{}/c", srv.url))]);
    let c = CredentialsUriProvider::from_config(&provider_config(env))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "env-id");
}

#[tokio::test]
async fn unset_uri_is_not_found() {
    let err =
        CredentialsUriProvider::from_config(&provider_config(Env::from_vars::<&str, &str>([])))
            .provide_credentials()
            .await
            .unwrap_err();
    assert_eq!(
        err,
        CredentialsError::NotFound {
            provider: "credentials_uri",
            reason: "ALIBABA_CLOUD_CREDENTIALS_URI not set".into()
        }
    );
}

#[tokio::test]
async fn bad_answers_fail() {
    let cases: [(u16, &str, &str); 5] = [
        (200, "nope", "not the expected JSON"),
        (200, r#"{"Code":"Error","Message":"x"}"#, "Code"),
        (
            200,
            r#"{"AccessKeyId":"a","SecurityToken":"t","Expiration":"2030-01-01T00:00:00Z"}"#,
            "AccessKeySecret",
        ),
        (500, "oops", "500"),
        (200, r#"[1,2]"#, "not the expected JSON"),
    ];
    for (status, body, expect) in cases {
        let srv = FakeServer::start(move |_| Response::status(status, body)).await;
        let err = CredentialsUriProvider::new(format!("{}/c?token=PRIVATE", srv.url))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            matches!(err, CredentialsError::Failed { .. }),
            "{body}: {err:?}"
        );
        let text = err.to_string();
        assert!(text.contains(expect), "{body}: {text}");
        assert!(!text.contains("PRIVATE"), "the query is not shown: {text}");
    }
}

#[tokio::test]
async fn hanging_endpoint_times_out() {
    let srv = FakeServer::start(|_| Response::hang()).await;
    let p = CredentialsUriProvider::new(&srv.url).with_timeout(Duration::from_millis(500));
    let started = std::time::Instant::now();
    let err = p.provide_credentials().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(err.to_string().contains("timed out"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cached_across_100_concurrent_calls() {
    let srv = FakeServer::start(|_| Response {
        delay: Duration::from_millis(50),
        ..Response::ok(keys_json("id", "s", "t", &expiration_in(3600)))
    })
    .await;
    let p = Arc::new(CredentialsUriProvider::new(&srv.url));
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let p = p.clone();
            tokio::spawn(async move {
                p.provide_credentials()
                    .await
                    .map(|c| c.access_key_id().to_owned())
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), "id");
    }
    assert_eq!(srv.requests().len(), 1);
}

#[tokio::test]
async fn a_fetch_slower_than_each_callers_deadline_still_ends() {
    // The endpoint takes 400 ms; each caller gives up after 150 ms. The
    // fetch the first one started is gone on with by the next ones, so the
    // endpoint is asked once and the keys arrive.
    let srv = FakeServer::start(|_| Response {
        delay: Duration::from_millis(400),
        ..Response::ok(keys_json("slow-id", "s", "t", &expiration_in(3600)))
    })
    .await;
    let p = CredentialsUriProvider::new(format!("{}/creds", srv.url));
    let mut gave_up = 0;
    let keys = loop {
        match tokio::time::timeout(Duration::from_millis(150), p.provide_credentials()).await {
            Ok(keys) => break keys.unwrap(),
            Err(_) => {
                gave_up += 1;
                assert!(gave_up < 20, "the fetch never ends");
            }
        }
    };
    assert_eq!(keys.access_key_id(), "slow-id");
    assert!(gave_up >= 2, "{gave_up}");
    assert_eq!(srv.requests().len(), 1, "one fetch, gone on with");
}
