//! The HTTP/1 server around [`Service`](crate::Service).

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::{Body, Frame, Incoming as HyperBody, SizeHint};
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};
use tokio::task::JoinSet;

use crate::incoming::Incoming;
use crate::refusal::{Refusal, gateway};
use crate::reply::{Format, error_reply};
use crate::service::{Answer, Service};

/// Larger request bodies are refused.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// How long a request body may take to arrive; a client that drips it
/// cannot hold a connection task forever.
const BODY_DEADLINE: Duration = Duration::from_secs(30);

/// The most header lines a request may carry (hyper answers 431 past it).
const MAX_HEADERS: usize = 100;

/// The most bytes of request line and headers hyper buffers (its default,
/// stated here so the bound is visible; past it hyper answers 431).
const MAX_HEAD_BYTES: usize = 400 * 1024;

/// Requests with more bytes of params than this are judged on the blocking
/// pool rather than on the connection's worker thread.
const INLINE_LIMIT: usize = 64 * 1024;

/// The most connections served at once; more wait to be accepted.
const MAX_CONNECTIONS: usize = 1024;

/// A response body that is either whole or cut off halfway with an error,
/// which makes hyper drop the connection.
pub(crate) struct ReplyBody {
    chunk: Option<Bytes>,
    fail: bool,
    exact: Option<u64>,
}

impl Body for ReplyBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if let Some(chunk) = this.chunk.take() {
            return Poll::Ready(Some(Ok(Frame::data(chunk))));
        }
        if this.fail {
            this.fail = false;
            return Poll::Ready(Some(Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "connection closed by fault injection",
            ))));
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        self.chunk.is_none() && !self.fail
    }

    fn size_hint(&self) -> SizeHint {
        match self.exact {
            Some(n) => SizeHint::with_exact(n),
            None => SizeHint::default(),
        }
    }
}

/// A refusal made before the request reaches the service.
fn refused(refusal: Refusal) -> Answer {
    Answer {
        reply: error_reply(&refusal.error(), Format::Json, "aliyuncs.com", None),
        disconnect: false,
        delay: Duration::ZERO,
    }
}

/// Runs the service on a request read off the wire. Every header line is
/// passed on, a repeated header once per value, so that the V3 check sees
/// what was signed; a value that is not UTF-8 is passed on with its bad
/// bytes replaced (it can then match no signature).
fn judge(service: &Service, parts: &hyper::http::request::Parts, body: &[u8]) -> Answer {
    let values: Vec<(&str, std::borrow::Cow<'_, str>)> = parts
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), String::from_utf8_lossy(v.as_bytes())))
        .collect();
    let headers: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_ref())).collect();
    let mut incoming = Incoming {
        headers: &headers,
        method: parts.method.as_str(),
        query: parts.uri.query().unwrap_or(""),
        content_type: None,
        body,
    };
    let content_type = incoming.header("content-type");
    incoming.content_type = content_type.as_deref();
    service.handle(&incoming, service.clock_ms())
}

async fn answer(
    service: Arc<Service>,
    req: Request<HyperBody>,
) -> Result<Response<ReplyBody>, Infallible> {
    let (parts, body) = req.into_parts();
    let collected =
        tokio::time::timeout(BODY_DEADLINE, Limited::new(body, MAX_BODY).collect()).await;
    let answer = match collected {
        Ok(Ok(collected)) => {
            let body = collected.to_bytes();
            if parts.uri.query().map_or(0, str::len) + body.len() > INLINE_LIMIT {
                // A large request takes long enough to judge that it should
                // not hold up the connections sharing this worker thread.
                let service = service.clone();
                let judged =
                    tokio::task::spawn_blocking(move || judge(&service, &parts, &body)).await;
                judged.unwrap_or_else(|_| refused(gateway::NOT_PROCESSED))
            } else {
                judge(&service, &parts, &body)
            }
        }
        Ok(Err(_)) => refused(gateway::BODY_TOO_LARGE),
        Err(_) => refused(gateway::BODY_TIMEOUT),
    };
    if !answer.delay.is_zero() {
        tokio::time::sleep(answer.delay).await;
    }
    let bytes = Bytes::from(answer.reply.body);
    let len = bytes.len();
    let body = if answer.disconnect {
        ReplyBody {
            chunk: Some(bytes.slice(..len / 2)),
            fail: true,
            exact: None,
        }
    } else {
        ReplyBody {
            chunk: Some(bytes),
            fail: false,
            exact: Some(len as u64),
        }
    };
    let mut response = Response::new(body);
    *response.status_mut() =
        StatusCode::from_u16(answer.reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(answer.reply.content_type),
    );
    headers.insert(CONTENT_LENGTH, HeaderValue::from(len));
    // Written here rather than by hyper so that a skewed emulator clock
    // shows, as a client correcting its clock would see it.
    let date = crate::clock::format_http_date(service.clock_ms().div_euclid(1000));
    if let Ok(date) = HeaderValue::from_str(&date) {
        headers.insert(hyper::header::DATE, date);
    }
    if let Ok(id) = HeaderValue::from_str(&answer.reply.request_id) {
        headers.insert("x-acs-request-id", id);
    }
    Ok(response)
}

/// The next connection, once a connection slot is free.
async fn accept(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
) -> Option<(tokio::net::TcpStream, OwnedSemaphorePermit)> {
    let slot = slots.clone().acquire_owned().await.ok()?;
    let (stream, _) = listener.accept().await.ok()?;
    Some((stream, slot))
}

/// Accepts connections until `shutdown` fires; open connections are
/// dropped when it does.
pub(crate) async fn serve(
    listener: TcpListener,
    service: Arc<Service>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = accept(&listener, &slots) => {
                let Some((stream, slot)) = accepted else {
                    // Out of descriptors or similar: back off briefly.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let service = service.clone();
                connections.spawn(async move {
                    let handler = service_fn(move |req| answer(service.clone(), req));
                    let _ = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .max_headers(MAX_HEADERS)
                        .max_buf_size(MAX_HEAD_BYTES)
                        .serve_connection(TokioIo::new(stream), handler)
                        .await;
                    drop(slot);
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.abort_all();
}
