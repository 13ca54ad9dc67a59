//! End-to-end throughput: calls through `Client` (params, common params,
//! signing, sending, decoding) against a minimal loopback server, next to a
//! bare `reqwest` loop sending pre-signed URLs to the same server, sequential
//! and with 32 calls in flight.
//!
//! `cargo bench -p aliapi-core --bench throughput` prints requests per
//! second of each and their ratio, on tokio's current-thread runtime and on
//! its multi-thread runtime; rounds alternate so that both sides see the
//! same machine noise. `--profile current-thread` (or `multi-thread`) runs
//! only the client's loop, 200,000 calls with 32 in flight, for `perf`.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use aliapi_core::sign::Presigner;
use aliapi_core::{
    Client, Credentials, EndpointRule, Error, Location, Method, ParamWriter, RpcAction, Style,
};
use futures_util::stream::{self, StreamExt};
use http_body_util::Full;
use hyper::body::Bytes;
use serde::Deserialize;

struct DescribeUserDomains {
    page_number: i32,
    page_size: i32,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct DescribeUserDomainsResponse {
    request_id: Option<String>,
    total_count: Option<i64>,
}

impl RpcAction for DescribeUserDomains {
    const PRODUCT: &'static str = "Cdn";
    const VERSION: &'static str = "2018-05-10";
    const ACTION: &'static str = "DescribeUserDomains";
    const METHOD: Method = Method::Post;
    const ENDPOINT: EndpointRule = EndpointRule::central("cdn.aliyuncs.com");
    type Response = DescribeUserDomainsResponse;
    fn write_params(&self, out: &mut ParamWriter) -> Result<(), Error> {
        out.write(
            "PageNumber",
            Location::Query,
            Style::Plain,
            &self.page_number,
        )?;
        out.write("PageSize", Location::Query, Style::Plain, &self.page_size)
    }
}

const BODY: &str = r#"{"RequestId":"5C7F1E2D-0000-4000-8000-000000000000","TotalCount":0,"PageNumber":1,"PageSize":20,"Domains":{"PageData":[]}}"#;

async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(|_req| async {
                    Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::from_static(
                        BODY.as_bytes(),
                    ))))
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

async fn run_client(client: &Client, n: usize, in_flight: usize) -> Duration {
    let start = Instant::now();
    stream::iter(0..n)
        .map(|i| async move {
            let r = client
                .send(&DescribeUserDomains {
                    page_number: (i % 7) as i32 + 1,
                    page_size: 20,
                })
                .await
                .unwrap();
            assert!(r.request_id.is_some() && r.total_count == Some(0));
        })
        .buffer_unordered(in_flight)
        .collect::<()>()
        .await;
    start.elapsed()
}

/// The bare loop plus signing each request: separates the cost of signing
/// from the cost of the client's own machinery.
async fn run_bare_signing(
    http: &reqwest::Client,
    base: &str,
    credentials: &Credentials,
    n: usize,
    in_flight: usize,
) -> Duration {
    let start = Instant::now();
    stream::iter(0..n)
        .map(|i| async move {
            let req = DescribeUserDomains {
                page_number: (i % 7) as i32 + 1,
                page_size: 20,
            };
            let signed = Presigner::new(credentials.clone())
                .time(SystemTime::now())
                .presign(&req)
                .unwrap();
            let body = http
                .post(format!("{base}/?{}", signed.query()))
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            assert!(!body.is_empty());
        })
        .buffer_unordered(in_flight)
        .collect::<()>()
        .await;
    start.elapsed()
}

async fn run_bare(http: &reqwest::Client, urls: &Arc<Vec<String>>, in_flight: usize) -> Duration {
    let start = Instant::now();
    stream::iter(0..urls.len())
        .map(|i| {
            let url = urls[i].clone();
            async move {
                let body = http.post(url).send().await.unwrap().bytes().await.unwrap();
                assert!(!body.is_empty());
            }
        })
        .buffer_unordered(in_flight)
        .collect::<()>()
        .await;
    start.elapsed()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let n = if quick { 500 } else { 4000 };
    let rounds = if quick { 2 } else { 5 };
    // `--profile <runtime>`: only the client's loop with 32 in flight on that
    // runtime, 200,000 calls, for `perf record`.
    if let Some(flavor) = args
        .iter()
        .position(|a| a == "--profile")
        .and_then(|i| args.get(i + 1))
    {
        runtime(flavor).block_on(profile_client(200_000));
        return;
    }
    for flavor in ["current-thread", "multi-thread"] {
        println!("runtime: {flavor}");
        runtime(flavor).block_on(measure(n, rounds));
    }
}

fn runtime(flavor: &str) -> tokio::runtime::Runtime {
    match flavor {
        "current-thread" => tokio::runtime::Builder::new_current_thread(),
        "multi-thread" => tokio::runtime::Builder::new_multi_thread(),
        other => panic!("no runtime {other:?}: current-thread or multi-thread"),
    }
    .enable_all()
    .build()
    .unwrap()
}

/// The client both the measured rounds and the profile run call through.
fn client(base: &str, credentials: Credentials) -> Client {
    Client::builder()
        .credentials(credentials)
        .endpoint_url(base)
        .build()
        .unwrap()
}

async fn profile_client(n: usize) {
    let base = serve().await;
    let client = client(&base, Credentials::new("bench-key-id", "bench-secret"));
    let took = run_client(&client, n, 32).await;
    println!("{:.0} req/s", n as f64 / took.as_secs_f64());
}

async fn measure(n: usize, rounds: usize) {
    {
        let base = serve().await;
        let credentials = Credentials::new("bench-key-id", "bench-secret");
        let client = client(&base, credentials.clone());
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .read_timeout(Duration::from_secs(10))
            .user_agent(aliapi_core::USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        // Pre-signed outside the timed loop: the bare side pays for nothing
        // but HTTP.
        let now = SystemTime::now();
        let urls: Arc<Vec<String>> = Arc::new(
            (0..n)
                .map(|i| {
                    let req = DescribeUserDomains {
                        page_number: (i % 7) as i32 + 1,
                        page_size: 20,
                    };
                    let signed = Presigner::new(credentials.clone())
                        .time(now)
                        .presign(&req)
                        .unwrap();
                    format!("{base}/?{}", signed.query())
                })
                .collect(),
        );
        println!("requests per round: {n}, rounds: {rounds}");
        for in_flight in [1usize, 32] {
            // Warm both pools.
            run_client(&client, 200, in_flight).await;
            run_bare(&http, &Arc::new(urls[..200].to_vec()), in_flight).await;
            let (mut t_client, mut t_bare, mut t_signing) = (Vec::new(), Vec::new(), Vec::new());
            for _ in 0..rounds {
                t_bare.push(run_bare(&http, &urls, in_flight).await);
                t_signing.push(run_bare_signing(&http, &base, &credentials, n, in_flight).await);
                t_client.push(run_client(&client, n, in_flight).await);
            }
            t_client.sort();
            t_bare.sort();
            t_signing.sort();
            let median = |v: &Vec<Duration>| v[v.len() / 2];
            let rps = |d: Duration| n as f64 / d.as_secs_f64();
            let (c, b) = (rps(median(&t_client)), rps(median(&t_bare)));
            let s = rps(median(&t_signing));
            println!(
                "in flight {in_flight:>2}: Client {c:>8.0} req/s, bare reqwest {b:>8.0} req/s, ratio {:.3} \
                 (bare reqwest signing each request: {s:>8.0} req/s, ratio {:.3})",
                c / b,
                s / b
            );
        }
    }
}
