//! Retries, timeouts and clock-skew correction against a loopback server.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::support::{KEY_ID, Reply, SECRET, Server, start_rich, value};
use aliapi_core::{Client, Credentials, Error, GenericRequest, RetryConfig, TimeoutKind};
use aliapi_wire::time::{format_http_date, parse_timestamp};

fn fast_retries() -> RetryConfig {
    RetryConfig::default()
        .with_base_delay(Duration::from_millis(1))
        .with_throttling_base_delay(Duration::from_millis(2))
}

fn client(server: &Server) -> Client {
    Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .endpoint_url(format!("http://{}", server.addr))
        .retry(fast_retries())
        .build()
        .unwrap()
}

fn read() -> GenericRequest {
    GenericRequest::new("Cdn", "2018-05-10", "DescribeUserDomains")
}

fn write() -> GenericRequest {
    GenericRequest::new("Cdn", "2018-05-10", "AddCdnDomain").param("DomainName", "a.com")
}

fn error_reply(status: u16, code: &str) -> Reply {
    (
        status,
        "application/json",
        format!(r#"{{"RequestId":"r","Code":"{code}","Message":"m"}}"#),
    )
        .into()
}

fn ok_reply() -> Reply {
    (200, "application/json", r#"{"RequestId":"ok"}"#.to_string()).into()
}

#[tokio::test]
async fn throttling_is_retried_with_fresh_nonces_until_success() {
    let server = start_rich(Arc::new(|_, n| {
        if n < 2 {
            error_reply(400, "Throttling.User")
        } else {
            ok_reply()
        }
    }))
    .await;
    // Throttling means the server did nothing: even a write is retried.
    let tree = client(&server).call(&write()).await.unwrap();
    assert_eq!(tree["RequestId"], "ok");
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    assert!(
        seen.iter().all(|s| s.signature_ok),
        "every attempt is signed anew"
    );
    let nonces: HashSet<_> = seen
        .iter()
        .map(|s| value(&s.query, "SignatureNonce").unwrap().to_owned())
        .collect();
    assert_eq!(nonces.len(), 3, "no nonce reused across attempts");
}

#[tokio::test]
async fn reads_are_retried_on_503_and_errors_count_attempts() {
    let server = start_rich(Arc::new(|_, _| error_reply(503, "ServiceUnavailable"))).await;
    let err = client(&server).call(&read()).await.unwrap_err();
    assert_eq!(err.code(), Some("ServiceUnavailable"));
    assert_eq!(err.attempts(), Some(3));
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    assert_eq!(server.seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_write_without_client_token_is_not_retried_once_it_may_have_applied() {
    let server = start_rich(Arc::new(|_, _| error_reply(503, "ServiceUnavailable"))).await;
    let err = client(&server).call(&write()).await.unwrap_err();
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.seen.lock().unwrap().len(), 1);

    // With a client token the same write is safe to repeat.
    let server = start_rich(Arc::new(|_, n| {
        if n == 0 {
            error_reply(503, "ServiceUnavailable")
        } else {
            ok_reply()
        }
    }))
    .await;
    client(&server)
        .call(&write().param("ClientToken", "t-1"))
        .await
        .unwrap();
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert!(
        seen.iter()
            .all(|s| value(&s.query, "ClientToken") == Some("t-1"))
    );
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = start_rich(Arc::new(|_, _| error_reply(404, "InvalidDomain.NotFound"))).await;
    let err = client(&server).call(&read()).await.unwrap_err();
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_writes() {
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let c = Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .endpoint_url(format!("http://{addr}"))
        .retry(fast_retries())
        .build()
        .unwrap();
    let err = c.call(&write()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                not_sent: true,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_retry_budget_stops_retries_during_an_outage() {
    let server = start_rich(Arc::new(|_, _| error_reply(503, "ServiceUnavailable"))).await;
    let c = Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .endpoint_url(format!("http://{}", server.addr))
        .retry(fast_retries().with_budget(10))
        .build()
        .unwrap();
    // 10 tokens pay for two retries (5 each): the first call uses both,
    // the second gets none.
    assert_eq!(c.call(&read()).await.unwrap_err().attempts(), Some(3));
    assert_eq!(c.call(&read()).await.unwrap_err().attempts(), Some(1));
    assert_eq!(server.seen.lock().unwrap().len(), 4);
}

#[tokio::test]
async fn attempt_and_operation_timeouts() {
    let server = start_rich(Arc::new(|_, _| Reply {
        delay: Duration::from_secs(5),
        ..ok_reply()
    }))
    .await;
    let c = client(&server).with_attempt_timeout(Duration::from_millis(100));
    let err = c.call(&read()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );

    let c = client(&server).with_operation_timeout(Duration::from_millis(150));
    let started = std::time::Instant::now();
    let err = c.call(&read()).await.unwrap_err();
    assert!(
        matches!(
            err,
            // The attempt in flight when the deadline struck is counted.
            Error::Timeout {
                kind: TimeoutKind::Operation,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the call did not wait for the server"
    );
}

#[tokio::test]
async fn a_skewed_clock_is_corrected_from_the_date_header() {
    // The server's clock runs an hour ahead of ours.
    let ahead = Duration::from_secs(3600);
    let server = start_rich(Arc::new(move |seen, _| {
        let server_now = SystemTime::now() + ahead;
        let sent = parse_timestamp(value(&seen.query, "Timestamp").unwrap()).unwrap();
        let skew = server_now.duration_since(sent).unwrap_or_default();
        let mut reply = if skew > Duration::from_secs(900) {
            error_reply(400, "InvalidTimeStamp.Expired")
        } else {
            ok_reply()
        };
        reply.headers.push(("date", format_http_date(server_now)));
        reply
    }))
    .await;
    // Even a write: a refused timestamp means nothing was applied.
    let c = client(&server).with_max_attempts(1);
    c.call(&write()).await.unwrap();
    assert_eq!(server.seen.lock().unwrap().len(), 2);
    // The offset is remembered: the next call is right the first time.
    c.call(&read()).await.unwrap();
    assert_eq!(server.seen.lock().unwrap().len(), 3);
}
