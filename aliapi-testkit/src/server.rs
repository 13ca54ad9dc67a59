//! A loopback server that records what arrives, checks every request's v1
//! signature as the service would, and answers with canned bodies.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use aliapi_wire::encode::percent_decode;
use aliapi_wire::v1::{signature, string_to_sign};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::task::JoinHandle;

/// The key pair the test clients sign with.
pub const KEY_ID: &str = "testkit-key-id";
pub const SECRET: &str = "testkit-secret";

/// Where a param arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum At {
    Query,
    Body,
}

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub content_type: Option<String>,
    /// Every param, decoded, with where it came; an error when the query or
    /// body was not validly encoded.
    pub params: Result<Vec<(String, String, At)>, String>,
    /// Whether the `Signature` param verifies over the other params with the
    /// method the request came with; the reason when it does not.
    pub signature: Result<(), String>,
}

impl Seen {
    /// The value of a param, if it arrived once.
    pub fn param(&self, name: &str) -> Option<&str> {
        let all = self.params.as_ref().ok()?;
        let mut found = all.iter().filter(|p| p.0 == name);
        let first = found.next()?;
        found.next().is_none().then_some(first.1.as_str())
    }
}

/// A canned answer: status, content type, body.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

#[derive(Default)]
struct State {
    answers: VecDeque<Canned>,
    seen: Vec<Seen>,
}

/// The running server; stopped when dropped.
pub struct Server {
    pub url: String,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    /// Binds 127.0.0.1 on a free port and serves on the current runtime.
    pub async fn start() -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| handle(request, state.clone()));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Server {
            url: format!("http://{addr}"),
            state,
            task,
        }
    }

    /// Queues answers for the next requests; past them, the server answers
    /// `{"RequestId": "<the action>"}`.
    pub fn answer(&self, answers: impl IntoIterator<Item = Canned>) {
        self.state
            .lock()
            .expect("server lock")
            .answers
            .extend(answers);
    }

    /// The requests seen since the last call, and drops any answer left.
    pub fn take(&self) -> Vec<Seen> {
        let mut state = self.state.lock().expect("server lock");
        state.answers.clear();
        std::mem::take(&mut state.seen)
    }
}

/// Splits and decodes `a=b&c=d`.
fn pairs(s: &str, plus_as_space: bool, at: At) -> Result<Vec<(String, String, At)>, String> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            let d = |x: &str| {
                percent_decode(x, plus_as_space)
                    .ok_or_else(|| format!("bad percent-encoding in `{p}`"))
            };
            Ok((d(n)?, d(v)?, at))
        })
        .collect()
}

fn verify(method: &str, params: &[(String, String, At)]) -> Result<(), String> {
    let sent = params
        .iter()
        .find(|p| p.0 == "Signature")
        .map(|p| p.1.as_str());
    let string = string_to_sign(method, params.iter().map(|p| (p.0.as_str(), p.1.as_str())));
    let expected = signature(SECRET, &string);
    if sent == Some(expected.as_str()) {
        Ok(())
    } else {
        Err(format!(
            "signature {sent:?} does not verify (want {expected:?} over {string})"
        ))
    }
}

async fn handle(
    request: Request<Incoming>,
    state: Arc<Mutex<State>>,
) -> Result<Response<Full<Bytes>>, hyper::Error> {
    let method = request.method().as_str().to_owned();
    let content_type = request
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let query = request.uri().query().unwrap_or("").to_owned();
    let body = request.into_body().collect().await?.to_bytes();
    let params = pairs(&query, false, At::Query).and_then(|mut all| {
        let body =
            std::str::from_utf8(&body).map_err(|e| format!("form body is not UTF-8: {e}"))?;
        all.extend(pairs(body, true, At::Body)?);
        Ok(all)
    });
    let signature = match &params {
        Ok(all) => verify(&method, all),
        Err(e) => Err(e.clone()),
    };
    let seen = Seen {
        method,
        content_type,
        params,
        signature,
    };
    let action = seen.param("Action").unwrap_or("").to_owned();
    let canned = {
        let mut state = state.lock().expect("server lock");
        state.seen.push(seen);
        state.answers.pop_front()
    };
    let canned = canned.unwrap_or_else(|| Canned {
        status: 200,
        content_type: "application/json",
        body: serde_json::json!({ "RequestId": action }).to_string(),
    });
    Ok(Response::builder()
        .status(canned.status)
        .header(hyper::header::CONTENT_TYPE, canned.content_type)
        .body(Full::new(Bytes::from(canned.body)))
        .expect("a valid response"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(signature: &str) -> Vec<(String, String, At)> {
        [
            ("AccessKeyId", KEY_ID),
            ("Action", "DescribeThings"),
            ("Name", "a b+c&d=é"),
            ("Signature", signature),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned(), At::Query))
        .collect()
    }

    #[test]
    fn signatures_verify_only_over_what_was_signed() {
        let unsigned: Vec<(String, String, At)> = params("")
            .into_iter()
            .filter(|p| p.0 != "Signature")
            .collect();
        let string = string_to_sign(
            "POST",
            unsigned.iter().map(|p| (p.0.as_str(), p.1.as_str())),
        );
        let good = signature(SECRET, &string);
        assert_eq!(verify("POST", &params(&good)), Ok(()));
        // Another method, another value or another secret's signature fails.
        assert!(verify("GET", &params(&good)).is_err());
        let mut changed = params(&good);
        changed[2].1.push('!');
        assert!(verify("POST", &changed).is_err());
        assert!(verify("POST", &params(&signature("other", &string))).is_err());
    }

    #[test]
    fn form_bodies_read_plus_as_space_and_queries_do_not() {
        assert_eq!(pairs("a=b%20c+d", false, At::Query).unwrap()[0].1, "b c+d");
        assert_eq!(pairs("a=b%20c+d", true, At::Body).unwrap()[0].1, "b c d");
        assert!(pairs("a=%zz", false, At::Query).is_err());
    }
}
