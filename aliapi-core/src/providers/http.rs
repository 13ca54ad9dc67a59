//! HTTP for the providers that fetch keys from an endpoint of their own
//! (the ECS metadata service, a credentials URI): one request through the
//! config's direct client, its outcome in the terms those providers report.

use std::time::Duration;

use bytes::Bytes;

use crate::error::Error;
use crate::transport::{HttpClient, HttpRequest, Verb};

/// The most a credentials endpoint may answer: a few hundred bytes are
/// expected.
const MAX_ANSWER_BYTES: u64 = 64 * 1024;

/// How an exchange with a credentials endpoint went wrong.
#[derive(Debug)]
pub(crate) enum HttpFailure {
    /// Nothing usable answered: connection refused, a time limit hit, a
    /// redirect (never followed), an answer too long or cut short.
    Unreachable(String),
    /// Something answered, with a status other than 2xx.
    Status(u16),
}

impl HttpFailure {
    /// A short description; never the body (it may hold secrets).
    pub(crate) fn describe(&self, what: &str) -> String {
        match self {
            HttpFailure::Unreachable(why) => format!("{what}: {why}"),
            HttpFailure::Status(code) => format!("{what}: HTTP status {code}"),
        }
    }
}

/// Sends one request and returns the body of a 2xx answer.
pub(crate) async fn send(
    http: &HttpClient,
    verb: Verb,
    url: String,
    headers: &[(&'static str, String)],
    timeout: Duration,
) -> Result<Bytes, HttpFailure> {
    let response = http
        .send(HttpRequest {
            verb,
            url,
            headers,
            body: None,
            max_response_bytes: MAX_ANSWER_BYTES,
            timeout: Some(timeout),
        })
        .await
        .map_err(|e| HttpFailure::Unreachable(describe(&e)))?;
    match response.status {
        200..=299 => Ok(response.body),
        300..=399 => Err(HttpFailure::Unreachable(format!(
            "it answered a redirect (HTTP {}), which is not followed",
            response.status
        ))),
        status => Err(HttpFailure::Status(status)),
    }
}

/// The transport's error in a few words; it never holds the URL.
fn describe(e: &Error) -> String {
    match e {
        Error::Timeout { .. } => "timed out".to_owned(),
        Error::Transport { message, .. } => message.clone(),
        other => other.to_string(),
    }
}
