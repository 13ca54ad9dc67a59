//! The HTTP/1 server around [`Service`](crate::Service).

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::{Body, Frame, Incoming as HyperBody, SizeHint};
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinSet;

use crate::incoming::Incoming;
use crate::reply::{ApiError, Format, error_reply};
use crate::service::Service;

/// Larger request bodies are refused.
const MAX_BODY: usize = 4 * 1024 * 1024;

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

async fn answer(
    service: Arc<Service>,
    req: Request<HyperBody>,
) -> Result<Response<ReplyBody>, Infallible> {
    let (parts, body) = req.into_parts();
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let query = parts.uri.query().unwrap_or("").to_owned();
    let answer = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => {
            let body = collected.to_bytes();
            let headers: Vec<(&str, &str)> = parts
                .headers
                .iter()
                .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?)))
                .collect();
            let incoming = Incoming {
                headers: &headers,
                method: parts.method.as_str(),
                query: &query,
                content_type: content_type.as_deref(),
                body: &body,
            };
            service.handle(&incoming, service.clock_ms())
        }
        Err(_) => crate::service::Answer {
            reply: error_reply(
                &ApiError::new(
                    413,
                    "RequestEntityTooLarge",
                    "The request body is too large.",
                ),
                Format::Json,
                "aliyuncs.com",
                None,
            ),
            disconnect: false,
            delay: std::time::Duration::ZERO,
        },
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

/// Accepts connections until `shutdown` fires; open connections are
/// dropped when it does.
pub(crate) async fn serve(
    listener: TcpListener,
    service: Arc<Service>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of descriptors or similar: back off briefly.
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let service = service.clone();
                connections.spawn(async move {
                    let handler = service_fn(move |req| answer(service.clone(), req));
                    let _ = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .serve_connection(TokioIo::new(stream), handler)
                        .await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.abort_all();
}
