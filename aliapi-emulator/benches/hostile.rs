//! How much one hostile request slows everyone else down: the latency of a
//! simple signed call alone, and again while signed calls carrying 20,000
//! params (`Tag.1.Key` … `Tag.10000.Value`) are being handled back to back.
//!
//! `cargo bench -p aliapi-emulator --bench hostile` (add `-- --simple N
//! --tags N --heavy N` to vary: the number of simple calls measured alone,
//! the tags per heavy call, and how many heavy calls to run while
//! measuring). The emulator runs on a runtime of its own (two workers), the
//! client on another, over loopback HTTP. It prints figures; it asserts
//! nothing about time.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use aliapi_emulator::clock::{format_timestamp, unix_now};
use aliapi_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator};
use aliapi_wire::encode::percent_encode;
use aliapi_wire::v1::{signature, string_to_sign};

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A signed, encoded param list for `action` with the extra `op` params.
fn signed_form(action: &str, op: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> = vec![
        ("Action".into(), action.into()),
        ("Version".into(), "2018-05-10".into()),
        ("Format".into(), "JSON".into()),
        ("AccessKeyId".into(), DEFAULT_ACCESS_KEY_ID.into()),
        ("SignatureMethod".into(), "HMAC-SHA1".into()),
        ("SignatureVersion".into(), "1.0".into()),
        (
            "SignatureNonce".into(),
            aliapi_wire::nonce::uuid_v4().to_string(),
        ),
        ("Timestamp".into(), format_timestamp(unix_now())),
    ];
    pairs.extend(op.iter().cloned());
    let sts = string_to_sign("POST", pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    pairs.push((
        "Signature".into(),
        signature(DEFAULT_ACCESS_KEY_SECRET, &sts),
    ));
    pairs
        .iter()
        .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn heavy_body(tags: usize) -> String {
    let mut op = Vec::with_capacity(tags * 2);
    for i in 1..=tags {
        op.push((format!("Tag.{i}.Key"), format!("key-{i}")));
        op.push((format!("Tag.{i}.Value"), format!("value-{i}")));
    }
    signed_form("DescribeUserDomains", &op)
}

async fn post(client: &reqwest::Client, url: &str, body: String) -> (u16, Duration) {
    let started = Instant::now();
    let resp = client
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("the emulator answers");
    let status = resp.status().as_u16();
    let _ = resp.bytes().await.expect("a whole answer");
    (status, started.elapsed())
}

/// One simple call's latency, checking that it succeeded.
async fn simple(client: &reqwest::Client, url: &str) -> Duration {
    let (status, took) = post(client, url, signed_form("DescribeRefreshQuota", &[])).await;
    assert_eq!(status, 200, "the simple call must succeed");
    took
}

struct Summary {
    n: usize,
    median: Duration,
    p99: Duration,
    max: Duration,
}

fn summarize(mut xs: Vec<Duration>) -> Summary {
    xs.sort_unstable();
    let at = |q: f64| xs[((xs.len() - 1) as f64 * q).round() as usize];
    Summary {
        n: xs.len(),
        median: at(0.5),
        p99: at(0.99),
        max: xs[xs.len() - 1],
    }
}

fn show(label: &str, s: &Summary) {
    println!(
        "{label:<34} n={:<6} median {:>10.3?}  p99 {:>10.3?}  max {:>10.3?}",
        s.n, s.median, s.p99, s.max
    );
}

fn main() {
    let simple_n = arg("--simple", 300);
    let tags = arg("--tags", 10_000);
    let heavy_n = arg("--heavy", 3);

    // The server on its own two workers, so the client's work does not
    // compete with it for a worker thread.
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let emulator = server_rt
        .block_on(Emulator::builder().start())
        .expect("the emulator starts");
    let url = format!("{}/", emulator.url());

    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    client_rt.block_on(async move {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        // Warm up the connection pool and the spec catalog.
        for _ in 0..20 {
            simple(&client, &url).await;
        }

        let mut alone = Vec::with_capacity(simple_n);
        for _ in 0..simple_n {
            alone.push(simple(&client, &url).await);
        }
        let alone = summarize(alone);

        // Heavy calls back to back on a connection of their own, while
        // simple calls are timed one after another until they are done.
        let bodies: Vec<String> = (0..heavy_n).map(|_| heavy_body(tags)).collect();
        let body_len = bodies.first().map_or(0, String::len);
        let busy = Arc::new(AtomicBool::new(true));
        let heavy_client = reqwest::Client::builder().no_proxy().build().unwrap();
        let heavy_url = url.clone();
        let flag = busy.clone();
        let heavy = tokio::spawn(async move {
            let mut took = Vec::new();
            for body in bodies {
                let (status, t) = post(&heavy_client, &heavy_url, body).await;
                assert_eq!(status, 200, "the heavy call must be judged and answered");
                took.push(t);
            }
            flag.store(false, Ordering::SeqCst);
            took
        });
        let mut loaded = Vec::new();
        while busy.load(Ordering::SeqCst) {
            loaded.push(simple(&client, &url).await);
        }
        let heavy = summarize(heavy.await.unwrap());
        let loaded = summarize(loaded);

        println!(
            "heavy call: {} params ({tags} tags), body {} KiB",
            tags * 2,
            body_len / 1024
        );
        show("heavy call", &heavy);
        show("simple call alone", &alone);
        show("simple call during heavy calls", &loaded);
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        println!(
            "ratio under load / alone: median {:.2}x, p99 {:.2}x, max {:.2}x",
            ratio(loaded.median, alone.median),
            ratio(loaded.p99, alone.p99),
            ratio(loaded.max, alone.max)
        );
    });
    drop(emulator);
}
