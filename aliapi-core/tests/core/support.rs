//! A fake RPC endpoint on 127.0.0.1 for the core's integration tests: it
//! records what it received, checks the signature like the service, and
//! answers as each test tells it.
#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aliapi_core::Method;
use aliapi_wire::encode::percent_decode;
use aliapi_wire::v1::{signature, string_to_sign};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use tokio::net::TcpListener;

pub const KEY_ID: &str = "test-key-id";
pub const SECRET: &str = "test-secret-value";

pub fn value<'a>(list: &'a [(String, String)], name: &str) -> Option<&'a str> {
    list.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// What the fake server saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub query: Vec<(String, String)>,
    pub body: Vec<(String, String)>,
    /// Headers as received, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body bytes as received.
    pub raw_body: Vec<u8>,
    pub signature_ok: bool,
}

/// How the fake server answers one request.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    pub headers: Vec<(&'static str, String)>,
    /// Wait this long before answering.
    pub delay: Duration,
}

impl From<(u16, &'static str, String)> for Reply {
    fn from((status, content_type, body): (u16, &'static str, String)) -> Self {
        Reply {
            status,
            content_type,
            body,
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }
}

/// Answers as a tuple `(status, content type, body)`.
pub type Answer = Arc<dyn Fn(&Seen) -> (u16, &'static str, String) + Send + Sync>;
/// Answers with a full [`Reply`]; also told the request's number (0-based).
pub type RichAnswer = Arc<dyn Fn(&Seen, usize) -> Reply + Send + Sync>;

pub struct Server {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

pub fn pairs(s: &str, plus_as_space: bool) -> Vec<(String, String)> {
    s.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (
                percent_decode(k, plus_as_space).expect("name decodes"),
                percent_decode(v, plus_as_space).expect("value decodes"),
            )
        })
        .collect()
}

pub async fn start(answer: Answer) -> Server {
    start_rich(Arc::new(move |seen, _| answer(seen).into())).await
}

pub async fn start_rich(answer: RichAnswer) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let (stream, _) = tokio::select! {
                conn = listener.accept() => conn.unwrap(),
                _ = &mut stopped => return,
            };
            let log = log.clone();
            let answer = answer.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                    let log = log.clone();
                    let answer = answer.clone();
                    async move {
                        let method = req.method().as_str().to_owned();
                        let headers: Vec<(String, String)> = req
                            .headers()
                            .iter()
                            .map(|(n, v)| {
                                (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())
                            })
                            .collect();
                        let query = pairs(req.uri().query().unwrap_or(""), false);
                        let raw = req.into_body().collect().await.unwrap().to_bytes();
                        let body = pairs(std::str::from_utf8(&raw).unwrap(), true);
                        let all: Vec<(&str, &str)> = query
                            .iter()
                            .chain(&body)
                            .map(|(k, v)| (k.as_str(), v.as_str()))
                            .collect();
                        let m = if method == "GET" {
                            Method::Get
                        } else {
                            Method::Post
                        };
                        let expected =
                            signature(SECRET, &string_to_sign(m.as_str(), all.iter().copied()));
                        let given = all.iter().find(|(k, _)| *k == "Signature").map(|(_, v)| *v);
                        let s = Seen {
                            signature_ok: given == Some(expected.as_str()),
                            method,
                            query: query.clone(),
                            body: body.clone(),
                            headers,
                            raw_body: raw.to_vec(),
                        };
                        let n = {
                            let mut log = log.lock().unwrap();
                            log.push(s.clone());
                            log.len() - 1
                        };
                        let reply = answer(&s, n);
                        tokio::time::sleep(reply.delay).await;
                        let mut resp = Response::new(Full::new(Bytes::from(reply.body)));
                        *resp.status_mut() = hyper::StatusCode::from_u16(reply.status).unwrap();
                        resp.headers_mut()
                            .insert("content-type", reply.content_type.parse().unwrap());
                        for (name, v) in reply.headers {
                            resp.headers_mut().insert(name, v.parse().unwrap());
                        }
                        Ok::<_, Infallible>(resp)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Server {
        addr,
        seen,
        _stop: stop,
    }
}
