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

/// A read that fails with 503 and carries the call's number in `CallId`.
/// A builder for `server` whose backoff waits up to `delay`.
fn slow_retries(server: &Server, delay: Duration) -> aliapi_core::ClientBuilder {
    Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .endpoint_url(format!("http://{}", server.addr))
        .retry(
            RetryConfig::default()
                .with_base_delay(delay)
                .with_max_delay(delay),
        )
}

fn numbered_read(i: usize) -> GenericRequest {
    read().param("CallId", i.to_string())
}

#[tokio::test]
async fn a_retry_the_operation_deadline_would_cut_off_is_not_waited_for() {
    let server = start_rich(Arc::new(|_, _| error_reply(503, "ServiceUnavailable"))).await;
    let client = slow_retries(&server, Duration::from_secs(2))
        .operation_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    // Jitter draws the wait between 0 and 2 s: try until one would end
    // past the deadline, which is most of them.
    let mut cut = None;
    for _ in 0..20 {
        let started = std::time::Instant::now();
        let err = client.call(&read()).await.unwrap_err();
        if err.attempts() == Some(1) {
            cut = Some((err, started.elapsed()));
            break;
        }
    }
    let (err, took) = cut.expect("a wait past the deadline among 20 draws");
    // The service's answer, at once, rather than the operation timeout.
    assert_eq!(err.code(), Some("ServiceUnavailable"), "{err}");
    assert!(took < Duration::from_millis(300), "{took:?}");
}

#[tokio::test]
async fn calls_dropped_while_they_wait_to_retry_give_their_tokens_back() {
    // Phase 0: every request fails. Phase 1: each call's first request
    // fails and asks for a retry after 1 ms; its second succeeds.
    let phase = Arc::new(std::sync::atomic::AtomicU8::new(0));
    let seen_calls = Arc::new(std::sync::Mutex::new(HashSet::new()));
    let (p, calls) = (phase.clone(), seen_calls.clone());
    let server = start_rich(Arc::new(move |s, _| {
        let id = value(&s.query, "CallId").unwrap_or_default().to_owned();
        let first = calls.lock().unwrap().insert(id);
        if p.load(std::sync::atomic::Ordering::SeqCst) == 0 || first {
            let mut reply = error_reply(503, "ServiceUnavailable");
            reply.headers.push(("x-acs-retry-after", "1".into()));
            if p.load(std::sync::atomic::Ordering::SeqCst) == 0 {
                reply.headers.clear();
            }
            reply
        } else {
            ok_reply()
        }
    }))
    .await;
    let client = slow_retries(&server, Duration::from_secs(10))
        .build()
        .unwrap();
    // Three waves of 80 calls at once, each dropped by its caller while it
    // waits to retry: 240 retries' worth of tokens, more than twice the
    // budget's 100, none of them sent. A wave alone fits in the budget, so
    // every call of every wave waits, if the tokens come back.
    for wave in 0..3 {
        let mut waiting = tokio::task::JoinSet::new();
        for i in 0..80 {
            let client = client.clone();
            waiting.spawn(async move {
                let request = numbered_read(wave * 100 + i);
                tokio::time::timeout(Duration::from_millis(300), client.call(&request)).await
            });
        }
        while let Some(ended) = waiting.join_next().await {
            let ended = ended.unwrap();
            assert!(
                ended.is_err(),
                "wave {wave}: not waiting to retry: {ended:?}"
            );
        }
    }
    phase.store(1, std::sync::atomic::Ordering::SeqCst);
    for i in 1000..1020 {
        let answer = client.call(&numbered_read(i)).await;
        assert_eq!(answer.unwrap()["RequestId"], "ok", "call {i} is retried");
    }
}

/// Keys that take `delay` to come, counting how often they are asked for.
#[derive(Debug)]
struct SlowKeys {
    delay: Duration,
    asked: std::sync::atomic::AtomicUsize,
}

impl aliapi_core::ProvideCredentials for SlowKeys {
    fn provide_credentials(&self) -> aliapi_core::credentials::ProvideFuture<'_> {
        self.asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(async move {
            tokio::time::sleep(self.delay).await;
            Ok(Credentials::new(KEY_ID, SECRET))
        })
    }
}

#[tokio::test]
async fn the_attempt_timeout_is_for_the_exchange_not_for_getting_the_keys() {
    let server = start_rich(Arc::new(|_, _| ok_reply())).await;
    let keys = Arc::new(SlowKeys {
        delay: Duration::from_millis(200),
        asked: Default::default(),
    });
    let client = Client::builder()
        .credentials(keys.clone())
        .endpoint_url(format!("http://{}", server.addr))
        .retry(fast_retries())
        .attempt_timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    // A write, which a timed-out attempt would leave unretried: the keys
    // are slower than the attempt's limit, and nothing was sent meanwhile.
    let answer = client.call(&write()).await.unwrap();
    assert_eq!(answer["RequestId"], "ok");
    assert_eq!(keys.asked.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(server.seen.lock().unwrap().len(), 1);
}
