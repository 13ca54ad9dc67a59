//! The small HTTP layer the credential providers share.

use std::time::Duration;

use super::CredentialsError;

/// Time limits of one provider's HTTP calls.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeouts {
    pub(crate) connect: Duration,
    /// The limit of a whole request, connection included.
    pub(crate) total: Duration,
}

/// Whether a credential endpoint may be reached through the proxies of
/// `HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// Always directly: the instance metadata service and local credential
    /// endpoints are never behind a proxy.
    Direct,
    /// Like every other API call: STS is a public endpoint that a corporate
    /// network may only reach through its proxy.
    ProxiesFromEnvironment,
}

/// A client for credential endpoints; redirects are not followed.
pub(crate) fn client(
    provider: &'static str,
    t: Timeouts,
    route: Route,
) -> Result<reqwest::Client, CredentialsError> {
    crate::transport::install_crypto_provider();
    let mut builder = reqwest::Client::builder()
        .connect_timeout(t.connect)
        .timeout(t.total);
    if route == Route::Direct {
        builder = builder.no_proxy();
    }
    builder
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(crate::USER_AGENT)
        .build()
        .map_err(|e| CredentialsError::Failed {
            provider,
            reason: format!("cannot build an HTTP client: {e}"),
        })
}

/// How an HTTP exchange with a credential endpoint went wrong.
#[derive(Debug)]
pub(crate) enum HttpFailure {
    /// Nothing answered: connection refused, DNS, or the time limit hit.
    Unreachable(String),
    /// Something answered, with a status other than 2xx.
    Status(u16, Vec<u8>),
}

impl HttpFailure {
    /// A short description without the response body (it may hold secrets).
    pub(crate) fn describe(&self, what: &str) -> String {
        match self {
            HttpFailure::Unreachable(why) => format!("{what}: {why}"),
            HttpFailure::Status(code, _) => format!("{what}: HTTP status {code}"),
        }
    }
}

/// Sends `req` and returns the body of a 2xx answer.
pub(crate) async fn send(req: reqwest::RequestBuilder) -> Result<Vec<u8>, HttpFailure> {
    let resp = req
        .send()
        .await
        .map_err(|e| HttpFailure::Unreachable(describe_error(&e)))?;
    let status = resp.status().as_u16();
    let body = resp
        .bytes()
        .await
        .map_err(|e| HttpFailure::Unreachable(describe_error(&e)))?
        .to_vec();
    if (200..300).contains(&status) {
        Ok(body)
    } else {
        Err(HttpFailure::Status(status, body))
    }
}

/// A reqwest failure in words, without the URL (it may carry a query with
/// a token) but with the kind of failure.
fn describe_error(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the response could not be read"
    } else {
        "the request failed"
    };
    let mut detail = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind} ({detail})")
    }
}

/// `application/x-www-form-urlencoded` text of unencoded pairs.
pub(crate) fn form_body<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        aliapi_wire::encode::percent_encode_into(&mut out, name);
        out.push('=');
        aliapi_wire::encode::percent_encode_into(&mut out, value);
    }
    out
}
