//! Heap use, counted by a wrapping global allocator: an idle `Client`, each
//! call in flight, and the peak while answers past the size cap arrive (a
//! 100 MiB body, an endless one), against a loopback server.
//!
//! `cargo bench -p aliapi-core --bench memory` prints bytes; BENCHMARKS.md
//! reports them.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use std::time::Duration;

use aliapi_core::{Client, Credentials, GenericRequest, RetryConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is to the system allocator.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now =
                LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed) + layout.size() as isize;
            PEAK.fetch_max(now, Ordering::Relaxed);
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is to the system allocator.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// A server answering every request after `delay` with `body`, or with a
/// body of `huge` bytes (chunked when `chunked`).
async fn serve(delay: Duration, huge: Option<(u64, bool)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                loop {
                    let Ok(n) = stream.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    tokio::time::sleep(delay).await;
                    let result = match huge {
                        None => {
                            let body = r#"{"RequestId":"R","TotalCount":0}"#;
                            let head = format!(
                                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                                body.len()
                            );
                            stream.write_all(format!("{head}{body}").as_bytes()).await
                        }
                        Some((len, chunked)) => {
                            let head = if chunked {
                                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_owned()
                            } else {
                                format!("HTTP/1.1 200 OK\r\ncontent-length: {len}\r\n\r\n")
                            };
                            let _ = stream.write_all(head.as_bytes()).await;
                            let block = vec![b' '; 64 * 1024];
                            let mut left = len;
                            let mut r = Ok(());
                            while left > 0 && r.is_ok() {
                                let n = left.min(block.len() as u64) as usize;
                                r = if chunked {
                                    let mut piece = format!("{n:x}\r\n").into_bytes();
                                    piece.extend_from_slice(&block[..n]);
                                    piece.extend_from_slice(b"\r\n");
                                    stream.write_all(&piece).await
                                } else {
                                    stream.write_all(&block[..n]).await
                                };
                                left -= n as u64;
                            }
                            r
                        }
                    };
                    if result.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

fn client(url: &str) -> Client {
    Client::builder()
        .credentials(Credentials::new("memory-key-id", "memory-secret"))
        .endpoint_url(url)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let read = GenericRequest::new("Cdn", "2018-05-10", "DescribeUserDomains");

        // An idle client: built, then one call to open its pool and warm
        // its caches, so what stays is what a long-lived client keeps.
        let url = serve(Duration::ZERO, None).await;
        let before = live();
        let c = client(&url);
        let built = live() - before;
        c.call(&read).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let warm = live() - before;
        println!("idle client: {built} bytes when built, {warm} bytes after one call (pool and one connection)");

        // Calls in flight: the server holds every answer for 300 ms.
        for in_flight in [1usize, 64, 256] {
            let url = serve(Duration::from_millis(300), None).await;
            let c = Arc::new(client(&url));
            c.call(&read).await.unwrap();
            let base = live();
            PEAK.store(base, Ordering::Relaxed);
            let tasks: Vec<_> = (0..in_flight)
                .map(|_| {
                    let (c, read) = (c.clone(), read.clone());
                    tokio::spawn(async move { c.call(&read).await.map(|_| ()) })
                })
                .collect();
            for t in tasks {
                t.await.unwrap().unwrap();
            }
            let peak = PEAK.load(Ordering::Relaxed) - base;
            println!(
                "{in_flight:>3} calls in flight: peak {peak} bytes above the warm client, {} per call (connections included)",
                peak / in_flight as isize
            );
        }

        // Answers past the cap: the peak stays near the cap (16 MiB).
        for (what, len, chunked) in [
            ("100 MiB announced", 100 << 20, false),
            ("100 MiB chunked", 100 << 20, true),
            ("1 GiB chunked", 1 << 30, true),
        ] {
            let url = serve(Duration::ZERO, Some((len, chunked))).await;
            let c = client(&url);
            let base = live();
            PEAK.store(base, Ordering::Relaxed);
            let e = c.call(&read).await.unwrap_err();
            let peak = PEAK.load(Ordering::Relaxed) - base;
            println!("{what}: {e}; peak {:.1} MiB above before", peak as f64 / (1 << 20) as f64);
        }
        println!("allocations counted: {}", ALLOCATIONS.load(Ordering::Relaxed));
    });
}
