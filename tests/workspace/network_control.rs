//! Network control in code, and credential providers sharing the client's
//! network: a proxy (HTTP or SOCKS5) and its exceptions set on the builder, a per-call
//! endpoint, `Retry-After` honoured and capped, and STS reached through the
//! client's proxy and CA bundle, retried like any call, over one pool.

use crate::server;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aliapi_core::clock::{ManualClock, TimeSource};
use aliapi_core::providers::{Env, Fs, ProviderConfig, RamRoleArnProvider};
use aliapi_core::{
    Client, Credentials, CredentialsError, Error, GenericRequest, ProvideCredentials, RetryConfig,
};
use server::{Answer, Hostile, Received};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const KEY_ID: &str = "net-key-id";
const SECRET: &str = "net-secret-value";

fn read() -> GenericRequest {
    GenericRequest::new("Cdn", "2018-05-10", "DescribeUserDomains")
}

fn ok(id: &str) -> Answer {
    Answer::json(200, format!(r#"{{"RequestId":"{id}"}}"#))
}

/// An STS answer with keys that expire at `expiration`.
fn sts_keys(id: &str, expiration: SystemTime) -> Answer {
    Answer::json(
        200,
        format!(
            r#"{{"RequestId":"sts","Credentials":{{"AccessKeyId":"{id}","AccessKeySecret":"s","SecurityToken":"t","Expiration":"{}"}}}}"#,
            aliapi_wire::time::format_timestamp(expiration)
        ),
    )
}

/// The action a request carried, from its query or form body.
fn action(r: &Received) -> String {
    let query = r.target().split_once('?').map_or("", |(_, q)| q).to_owned();
    let body = String::from_utf8_lossy(&r.body).into_owned();
    [query, body]
        .iter()
        .flat_map(|t| t.split('&').map(str::to_owned).collect::<Vec<_>>())
        .find_map(|p| p.strip_prefix("Action=").map(str::to_owned))
        .unwrap_or_default()
}

#[tokio::test]
async fn a_proxy_and_its_exceptions_set_in_code() {
    // The proxy answers for whatever host it is asked for, so nothing ever
    // leaves the machine: `.invalid` names are never resolved.
    let proxy = Hostile::start(|r: &Received| {
        ok(if r.target().starts_with("http://") {
            "via-proxy"
        } else {
            "?"
        })
    })
    .await;
    let direct = Hostile::always(ok("direct")).await;
    let client = Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .proxy(&proxy.url)
        .no_proxy("127.0.0.1")
        .build()
        .unwrap();
    let via = client
        .with_endpoint_url("http://cdn.proxied.invalid")
        .call(&read())
        .await
        .unwrap();
    assert_eq!(via["RequestId"], "via-proxy");
    let seen = proxy.received();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].target().starts_with("http://cdn.proxied.invalid/?"),
        "a proxy is asked in absolute form: {}",
        seen[0].head
    );
    // 127.0.0.1 is exempt: straight there, the proxy not asked.
    let answer = client
        .with_endpoint_url(&direct.url)
        .call(&read())
        .await
        .unwrap();
    assert_eq!(answer["RequestId"], "direct");
    assert_eq!(proxy.received().len(), 1);
}

#[test]
fn a_proxy_url_that_is_not_one_is_refused_with_the_reason_and_without_its_password() {
    let e = Client::builder()
        .proxy("user:pa55word@:no-host")
        .build()
        .unwrap_err();
    let shown = e.to_string();
    assert!(matches!(e, Error::Config(_)), "{e:?}");
    assert!(shown.contains("the proxy URL is not valid: "), "{shown}");
    assert!(shown.contains("user:*redacted*@"), "{shown}");
    // Why, beyond reqwest's bare "builder error".
    assert!(
        shown.len() > "the proxy URL is not valid: builder error".len(),
        "{shown}"
    );
    assert!(!shown.contains("pa55word"), "{shown}");
}

/// A SOCKS5 proxy without authentication on loopback that tunnels every
/// CONNECT to `to`, whatever it is asked for (so nothing leaves the
/// machine), and records each destination asked: its URL and that record.
async fn socks5_proxy(to: SocketAddr) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("socks5h://{}", listener.local_addr().unwrap());
    let asked = Arc::new(Mutex::new(Vec::new()));
    let seen = asked.clone();
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                // Greeting: version 5, the methods offered; take "none".
                let mut head = [0u8; 2];
                conn.read_exact(&mut head).await?;
                let mut methods = vec![0u8; usize::from(head[1])];
                conn.read_exact(&mut methods).await?;
                conn.write_all(&[5, 0]).await?;
                // Request: version, CONNECT, reserved, address type, address, port.
                let mut request = [0u8; 4];
                conn.read_exact(&mut request).await?;
                let host = match request[3] {
                    3 => {
                        let mut len = [0u8; 1];
                        conn.read_exact(&mut len).await?;
                        let mut name = vec![0u8; usize::from(len[0])];
                        conn.read_exact(&mut name).await?;
                        String::from_utf8_lossy(&name).into_owned()
                    }
                    1 => {
                        let mut ip = [0u8; 4];
                        conn.read_exact(&mut ip).await?;
                        std::net::Ipv4Addr::from(ip).to_string()
                    }
                    _ => return Ok(()),
                };
                let mut port = [0u8; 2];
                conn.read_exact(&mut port).await?;
                seen.lock()
                    .unwrap()
                    .push(format!("{host}:{}", u16::from_be_bytes(port)));
                let mut upstream = TcpStream::connect(to).await?;
                conn.write_all(&[5, 0, 0, 1, 127, 0, 0, 1, 0, 0]).await?;
                tokio::io::copy_bidirectional(&mut conn, &mut upstream).await?;
                Ok::<(), std::io::Error>(())
            });
        }
    });
    (url, asked)
}

#[tokio::test]
async fn a_socks5_proxy_set_in_code() {
    let target = Hostile::always(ok("via-socks")).await;
    let addr: SocketAddr = target.url.trim_start_matches("http://").parse().unwrap();
    let (proxy, asked) = socks5_proxy(addr).await;
    let client = Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .endpoint_url("http://cdn.socks.invalid")
        .proxy(&proxy)
        .build()
        .unwrap();
    let answer = client.call(&read()).await.unwrap();
    assert_eq!(answer["RequestId"], "via-socks");
    // `socks5h`: the name went to the proxy unresolved.
    assert_eq!(*asked.lock().unwrap(), ["cdn.socks.invalid:80"]);
    let seen = target.received();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].target().starts_with("/?"),
        "through a tunnel, the request is in origin form: {}",
        seen[0].head
    );
}

#[tokio::test]
async fn a_per_call_endpoint_and_region() {
    let main = Hostile::always(ok("main")).await;
    let other = Hostile::always(ok("other")).await;
    let client = Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .endpoint_url(&main.url)
        .region("cn-hangzhou")
        .build()
        .unwrap();
    assert_eq!(client.call(&read()).await.unwrap()["RequestId"], "main");
    let moved = client.with_endpoint_url(&other.url);
    assert_eq!(moved.call(&read()).await.unwrap()["RequestId"], "other");
    // `Debug` shows what the clone's calls use.
    let shown = format!("{:?}", moved.with_max_attempts(1));
    assert!(
        shown.contains(&format!("endpoint_url: {:?}", other.url)),
        "{shown}"
    );
    assert!(shown.contains("max_attempts: 1,"), "{shown}");
    assert_eq!(
        client.call(&read()).await.unwrap()["RequestId"],
        "main",
        "the original is untouched"
    );
    assert_eq!(
        client.with_region("ap-southeast-1").region(),
        Some("ap-southeast-1")
    );
    assert_eq!(client.region(), Some("cn-hangzhou"));
    let bad = client
        .with_endpoint_url("other.example:80")
        .call(&read())
        .await
        .unwrap_err();
    assert!(matches!(bad, Error::Config(_)), "{bad:?}");
    // The value may have come from the environment: the message says so.
    assert!(
        bad.to_string().contains("ALIBABA_CLOUD_ENDPOINT_URL"),
        "{bad}"
    );
}

#[tokio::test]
async fn retry_after_is_honoured_and_capped() {
    // The wait the client chose is read from its "retrying" trace line,
    // which records it; the waits are short so that the test stays quick.
    let captured = crate::traces::capture();
    for (header, value, max_delay, want_ms) in [
        ("x-acs-retry-after", "300", Duration::from_secs(20), 300),
        ("retry-after", "1", Duration::from_secs(20), 1000),
        (
            "x-acs-retry-after",
            "60000",
            Duration::from_millis(200),
            200,
        ),
    ] {
        captured.clear();
        let calls = Arc::new(AtomicUsize::new(0));
        let n = calls.clone();
        let server = Hostile::start(move |_| {
            if n.fetch_add(1, Ordering::SeqCst) == 0 {
                Answer::Fixed {
                    status: 400,
                    headers: vec![
                        ("content-type", "application/json".into()),
                        (header, value.into()),
                    ],
                    body: br#"{"RequestId":"T","Code":"Throttling.User","Message":"slow down"}"#
                        .to_vec(),
                }
            } else {
                ok("after")
            }
        })
        .await;
        let client = Client::builder()
            .credentials(Credentials::new(KEY_ID, SECRET))
            .endpoint_url(&server.url)
            .retry(RetryConfig::default().with_max_delay(max_delay))
            .build()
            .unwrap();
        let answer = client.call(&read()).await.unwrap();
        assert_eq!(answer["RequestId"], "after");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        let logs = captured.text();
        assert!(
            logs.contains(&format!("delay_ms={want_ms}")),
            "{header}: {value}: expected a wait of {want_ms} ms:\n{logs}"
        );
    }
}

/// A provider config whose CLI profile assumes a role at `sts` with
/// static source keys.
fn role_profile(sts: &str) -> ProviderConfig {
    let cli = r#"{"current":"role","profiles":[{"name":"role","mode":"RamRoleArn",
        "access_key_id":"src-id","access_key_secret":"src-secret",
        "ram_role_arn":"acs:ram::1:role/r","region_id":"cn-shanghai"}]}"#;
    ProviderConfig::default()
        .with_env(Env::from_vars([("HOME", "/home/u")]))
        .with_fs(Fs::from_files([("/home/u/.aliyun/config.json", cli)]))
        .with_sts_endpoint(sts)
        .with_retry(RetryConfig::default().with_base_delay(Duration::from_millis(1)))
}

#[tokio::test]
async fn sts_goes_through_the_proxy_set_on_the_client() {
    let far = SystemTime::now() + Duration::from_secs(3600);
    let proxy = Hostile::start(move |r: &Received| match action(r).as_str() {
        "AssumeRole" => sts_keys("STS.via-proxy", far),
        _ => ok("api-via-proxy"),
    })
    .await;
    let client = Client::builder()
        .proxy(&proxy.url)
        .endpoint_url("http://cdn.proxied.invalid")
        .with_provider_config(&role_profile("http://sts.proxied.invalid"))
        .build()
        .unwrap();
    assert_eq!(
        client.region(),
        Some("cn-shanghai"),
        "the CLI profile's region"
    );
    let answer = client.call(&read()).await.unwrap();
    assert_eq!(answer["RequestId"], "api-via-proxy");
    let seen = proxy.received();
    assert_eq!(seen.len(), 2, "AssumeRole, then the call");
    assert!(
        seen[0].target().starts_with("http://sts.proxied.invalid/"),
        "{}",
        seen[0].head
    );
    assert_eq!(action(&seen[0]), "AssumeRole");
    assert!(
        seen[1].head.contains("AccessKeyId=STS.via-proxy"),
        "the call is signed with the role's keys: {}",
        seen[1].head
    );
}

#[tokio::test]
async fn sts_is_reached_with_the_ca_bundle_set_on_the_client() {
    let far = SystemTime::now() + Duration::from_secs(3600);
    let sts = Hostile::start_tls(move |_| sts_keys("STS.tls", far)).await;
    let api = Hostile::always(ok("api")).await;
    let ca = include_bytes!("../fixtures/tls/ca.pem").to_vec();
    let with_ca = Client::builder()
        .ca_bundle_pem(ca)
        .endpoint_url(&api.url)
        .with_provider_config(&role_profile(&sts.url))
        .build()
        .unwrap();
    with_ca.call(&read()).await.unwrap();
    assert_eq!(sts.received().len(), 1);
    assert!(api.received()[0].head.contains("AccessKeyId=STS.tls"));

    // Without the bundle the certificate is not trusted, and the call
    // fails before anything reaches the API.
    let without = Client::builder()
        .endpoint_url(&api.url)
        .with_provider_config(&role_profile(&sts.url))
        .build()
        .unwrap();
    let e = without.call(&read()).await.unwrap_err();
    assert!(
        matches!(e, Error::Credentials(CredentialsError::Failed { .. })),
        "{e:?}"
    );
    assert!(e.to_string().contains("certificate"), "{e}");
    assert_eq!(api.received().len(), 1);
}

#[tokio::test]
async fn throttled_and_cut_sts_answers_are_retried() {
    let far = SystemTime::now() + Duration::from_secs(3600);
    let calls = Arc::new(AtomicUsize::new(0));
    let n = calls.clone();
    let sts = Hostile::start(move |_| match n.fetch_add(1, Ordering::SeqCst) {
        0 => Answer::json(
            400,
            r#"{"RequestId":"1","Code":"Throttling","Message":"later"}"#,
        ),
        1 => Answer::Cut,
        _ => sts_keys("STS.third", far),
    })
    .await;
    let role =
        RamRoleArnProvider::builder(Credentials::new("src", "src-secret"), "acs:ram::1:role/r")
            .configure(
                &ProviderConfig::default().with_retry(
                    RetryConfig::default()
                        .with_base_delay(Duration::from_millis(1))
                        .with_throttling_base_delay(Duration::from_millis(1)),
                ),
            )
            .sts_endpoint(&sts.url)
            .build()
            .unwrap();
    let keys = role.provide_credentials().await.unwrap();
    assert_eq!(keys.access_key_id(), "STS.third");
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn refreshes_reuse_one_connection_pool() {
    let clock = ManualClock::new(SystemTime::now());
    let c = clock.clone();
    let served = Arc::new(AtomicUsize::new(0));
    let s = served.clone();
    let sts = Hostile::start(move |_| {
        let n = s.fetch_add(1, Ordering::SeqCst);
        // Keys for ten minutes of the manual clock.
        sts_keys(&format!("STS.{n}"), c.now() + Duration::from_secs(600))
    })
    .await;
    let role =
        RamRoleArnProvider::builder(Credentials::new("src", "src-secret"), "acs:ram::1:role/r")
            .configure(&ProviderConfig::default().with_time_source(clock.clone()))
            .sts_endpoint(&sts.url)
            .build()
            .unwrap();
    for i in 0..5 {
        let keys = role.provide_credentials().await.unwrap();
        assert_eq!(keys.access_key_id(), format!("STS.{i}"));
        // Past the refresh margin: the next call refreshes.
        clock.advance(Duration::from_secs(500));
    }
    assert_eq!(served.load(Ordering::SeqCst), 5);
    assert_eq!(
        sts.connections(),
        1,
        "five refreshes, one connection: no new client or pool per refresh"
    );
}
