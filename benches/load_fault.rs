//! Load and fault run: 10,000 calls, 256 in flight, through one `Client`
//! against the in-process emulator injecting faults into 5% of answers
//! (throttling, 503, connections cut mid-answer).
//!
//! `cargo bench --bench load_fault` (add `-- --calls N --in-flight M
//! --fault-rate R` to vary). It checks that every call ends in a success or
//! a typed error and that none hangs (each call is bounded by an operation
//! timeout), and prints counts, latency percentiles and peak memory.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use aliapi::core::{Client, Credentials, Error, GenericRequest, RetryConfig};
use aliapi_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator, FaultConfig};
use futures_util::stream::{self, StreamExt};

fn arg(name: &str, default: f64) -> f64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Peak resident memory of this process, from /proc (Linux only).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn kind(e: &Error) -> String {
    match e {
        Error::Service(s) => format!("service {}", s.code),
        Error::Transport { .. } => "transport".into(),
        Error::Timeout { kind, .. } => format!("timeout ({kind})"),
        Error::Decode { status, .. } => format!("decode (HTTP {status})"),
        other => format!("other: {other}"),
    }
}

fn main() {
    let calls = arg("--calls", 10_000.0) as usize;
    let in_flight = arg("--in-flight", 256.0) as usize;
    let rate = arg("--fault-rate", 0.05);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let emulator = Emulator::builder()
            .faults(FaultConfig::uniform(rate, 7))
            .start()
            .await
            .expect("emulator starts");
        let client = Client::builder()
            .credentials(Credentials::new(
                DEFAULT_ACCESS_KEY_ID,
                DEFAULT_ACCESS_KEY_SECRET,
            ))
            .endpoint_url(emulator.url())
            .retry(RetryConfig::default().with_base_delay(Duration::from_millis(20)))
            .operation_timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let rss_before = peak_rss_kib();
        let started = Instant::now();
        let outcomes: Vec<(Duration, Result<(), String>, u32)> = stream::iter(0..calls)
            .map(|i| {
                let client = client.clone();
                async move {
                    // Mostly reads, some idempotent writes (with a client token).
                    let request = if i % 10 == 0 {
                        GenericRequest::new("Cbn", "2017-09-12", "CreateCen")
                            .param("Name", format!("load-{i}"))
                            .param("ClientToken", format!("token-{i}"))
                    } else {
                        GenericRequest::new("Cdn", "2018-05-10", "DescribeUserDomains")
                            .param("PageSize", "20")
                    };
                    let t = Instant::now();
                    let result = client.call(&request).await;
                    let attempts = match &result {
                        Ok(_) => 0,
                        Err(e) => e.attempts().unwrap_or(0),
                    };
                    (
                        t.elapsed(),
                        result.map(|_| ()).map_err(|e| kind(&e)),
                        attempts,
                    )
                }
            })
            .buffer_unordered(in_flight)
            .collect()
            .await;
        let wall = started.elapsed();
        assert_eq!(outcomes.len(), calls, "every call ended");

        let mut latencies: Vec<Duration> = outcomes.iter().map(|(d, _, _)| *d).collect();
        latencies.sort();
        let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p) as usize];
        let ok = outcomes.iter().filter(|(_, r, _)| r.is_ok()).count();
        let mut errors: BTreeMap<String, usize> = BTreeMap::new();
        for (_, r, _) in &outcomes {
            if let Err(k) = r {
                *errors.entry(k.clone()).or_default() += 1;
            }
        }
        println!("calls {calls}, in flight {in_flight}, injected fault rate {rate}");
        println!(
            "wall {:.2} s, {:.0} calls/s",
            wall.as_secs_f64(),
            calls as f64 / wall.as_secs_f64()
        );
        println!("succeeded {ok}, failed with a typed error {}", calls - ok);
        for (k, n) in &errors {
            println!("  {k}: {n}");
        }
        println!(
            "latency p50 {:?}, p99 {:?}, max {:?}",
            pct(0.5),
            pct(0.99),
            latencies.last().unwrap()
        );
        if let (Some(before), Some(after)) = (rss_before, peak_rss_kib()) {
            println!(
                "peak RSS {} MiB (before the run {} MiB)",
                after / 1024,
                before / 1024
            );
        }
        emulator.shutdown().await;
    });
}
