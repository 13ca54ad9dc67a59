//! The HTTP layer, and the only module that touches `reqwest`: one pooled
//! client per [`HttpClient`], requests sent exactly as the signer wrote
//! them, answers read with a size cap, failures mapped onto [`Error`].
//!
//! What it guarantees whoever sends through it, the API client and the
//! credential providers alike:
//!
//! - no redirect is ever followed and no `Referer` is ever sent: a request
//!   carries credentials meant for its endpoint alone, so a 3xx answer comes
//!   back as it is and the caller turns it into [`Error::Redirect`];
//! - no answer is read past its cap, whether it announces its length or
//!   streams without end ([`Error::ResponseTooLarge`]);
//! - the headers sent are the ones given, each once; the only ones added
//!   are the user agent, `host` and the body's length.

mod config;
#[cfg(feature = "test-util")]
pub(crate) mod mock;
mod response;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::action::{Call, Method};
use crate::error::{Error, TimeoutKind};

pub use config::HttpClientBuilder;
pub(crate) use response::HttpResponse;

/// `aliapi/<version> (rust)`, sent as the user agent.
pub const USER_AGENT: &str = concat!("aliapi/", env!("CARGO_PKG_VERSION"), " (rust)");

/// How much of an answer is read by default before giving up: far more
/// than any answer of these APIs, far less than would hurt a process.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// A pooled HTTP client, cheap to clone: clones share one connection pool.
///
/// A [`Client`](crate::Client) builds one from its own settings unless it is
/// given one ([`ClientBuilder::http_client`](crate::ClientBuilder::http_client));
/// handing the same `HttpClient` to a
/// [`ProviderConfig`](crate::providers::ProviderConfig) makes credential
/// providers that call STS share the client's connections, proxy and CA
/// bundle.
///
/// ```
/// use std::time::Duration;
/// use aliapi_core::HttpClient;
///
/// let http = HttpClient::builder()
///     .connect_timeout(Duration::from_secs(3))
///     .proxy("http://proxy.internal:3128")
///     .no_proxy("localhost,.internal")
///     .build()?;
/// let client = aliapi_core::Client::builder().http_client(http).build()?;
/// # let _ = client;
/// # Ok::<(), aliapi_core::Error>(())
/// ```
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    client: reqwest::Client,
    /// The limits the client was built with, to name them in errors
    /// (unknown for a `reqwest::Client` handed in).
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    /// What the configuration said about proxies, for `Debug`.
    proxy: &'static str,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("read_timeout", &self.inner.read_timeout)
            .field("proxy", &self.inner.proxy)
            .finish_non_exhaustive()
    }
}

/// What a client sends through: the network, or a test double.
#[derive(Clone, Debug)]
pub(crate) enum Transport {
    /// HTTP, through a pooled client.
    Http(HttpClient),
    /// Rules instead of the network (the `test-util` feature).
    #[cfg(feature = "test-util")]
    Mock(Arc<mock::MockTransport>),
}

impl Transport {
    /// Sends one request of `call`.
    pub(crate) async fn send(
        &self,
        request: HttpRequest<'_>,
        call: &Call<'_>,
    ) -> Result<HttpResponse, Error> {
        match self {
            Transport::Http(http) => {
                let _ = call;
                http.send(request).await
            }
            #[cfg(feature = "test-util")]
            Transport::Mock(mock) => mock.answer(request, call),
        }
    }
}

/// The HTTP methods anything in this crate sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verb {
    Get,
    Post,
    /// The metadata service's session token is asked for with `PUT`.
    Put,
}

impl From<Method> for Verb {
    fn from(m: Method) -> Verb {
        match m {
            Method::Get => Verb::Get,
            Method::Post => Verb::Post,
        }
    }
}

/// One request as the signer wrote it.
#[derive(Debug)]
pub(crate) struct HttpRequest<'a> {
    pub(crate) verb: Verb,
    /// The full URL, query included.
    pub(crate) url: String,
    /// Every header to send (lower-case names), each exactly once.
    pub(crate) headers: &'a [(&'static str, String)],
    pub(crate) body: Option<String>,
    /// The most bytes of the answer to read.
    pub(crate) max_response_bytes: u64,
    /// A limit on the whole exchange, besides the client's own limits.
    pub(crate) timeout: Option<Duration>,
}

impl HttpClient {
    /// A builder with the defaults: 5 s to connect, 10 s per read, proxies
    /// from `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY`.
    pub fn builder() -> HttpClientBuilder {
        HttpClientBuilder::default()
    }

    /// Sends through a `reqwest::Client` of your own (for a resolver, a
    /// connector or pool settings this crate does not offer).
    ///
    /// Its settings are used as they are, so configure it as this crate
    /// configures its own: `redirect(reqwest::redirect::Policy::none())` and
    /// `referer(false)`. A client that follows redirects would follow them
    /// before aliapi sees the answer, sending the request's credentials to
    /// wherever the redirect points.
    pub fn from_reqwest(client: reqwest::Client) -> HttpClient {
        HttpClient {
            inner: Arc::new(Inner {
                client,
                connect_timeout: None,
                read_timeout: None,
                proxy: "as configured on the reqwest client",
            }),
        }
    }

    /// Sends one request and reads its answer, up to its size cap.
    pub(crate) async fn send(&self, request: HttpRequest<'_>) -> Result<HttpResponse, Error> {
        let method = match request.verb {
            Verb::Get => reqwest::Method::GET,
            Verb::Post => reqwest::Method::POST,
            Verb::Put => reqwest::Method::PUT,
        };
        let mut builder = self.inner.client.request(method, request.url);
        if let Some(limit) = request.timeout {
            builder = builder.timeout(limit);
        }
        for (name, value) in request.headers {
            builder = builder.header(*name, value);
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        let response = builder.send().await.map_err(|e| self.map_error(e))?;
        HttpResponse::read(response, request.max_response_bytes, self).await
    }

    /// Maps a reqwest failure onto [`Error`].
    pub(crate) fn map_error(&self, e: reqwest::Error) -> Error {
        if e.is_timeout() {
            let (kind, limit) = if e.is_connect() {
                (TimeoutKind::Connect, self.inner.connect_timeout)
            } else {
                (TimeoutKind::Read, self.inner.read_timeout)
            };
            return Error::Timeout {
                kind,
                limit,
                attempts: 1,
            };
        }
        let what = if e.is_connect() {
            "could not connect"
        } else if e.is_body() || e.is_decode() {
            "the response body was cut short or unreadable"
        } else if e.is_request() {
            "the request could not be sent"
        } else {
            "HTTP failure"
        };
        // reqwest's message can include the URL, whose query holds the key
        // id, the signature and any STS token: drop it.
        let e = e.without_url();
        Error::Transport {
            message: format!("{what}: {}", error_chain(&e)),
            attempts: 1,
            not_sent: e.is_connect(),
            source: Some(Arc::new(e)),
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        out.push_str(": ");
        out.push_str(&inner.to_string());
        cur = inner.source();
    }
    out
}
