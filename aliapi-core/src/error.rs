//! The one error type of aliapi.

use std::fmt;
use std::time::Duration;

use crate::credentials::CredentialsError;

/// Everything that can go wrong with a call, matchable by kind.
///
/// No variant ever holds an access key secret or an STS token: every text
/// that came from an answer or a request is redacted first.
///
/// ```no_run
/// use std::time::Duration;
/// use aliapi_core::{Client, Error, GenericRequest, TimeoutKind};
///
/// # async fn run(client: Client) -> Result<(), Error> {
/// let request = GenericRequest::new("Cdn", "2018-05-10", "DescribeCdnDomainDetail")
///     .param("DomainName", "example.com");
/// match client.call(&request).await {
///     Ok(answer) => println!("{answer}"),
///     // A code of the service's catalogue (see the product crates' `errors`).
///     Err(e) if e.is("InvalidDomain.NotFound") => println!("no such domain"),
///     Err(Error::Service(s)) if s.is_throttling() => println!("throttled, request {:?}", s.request_id),
///     Err(Error::Timeout { kind: TimeoutKind::Operation, .. }) => println!("gave up in time"),
///     Err(e @ Error::Credentials(_)) => return Err(e),
///     Err(other) => println!("failed after {:?} attempts: {other}", other.attempts()),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error body (`Code`, `Message`, …).
    #[error("{0}")]
    Service(Box<ServiceError>),

    /// The request never got a complete answer: connection refused or reset,
    /// TLS failure, a body cut short.
    #[non_exhaustive]
    #[error("request failed after {}: {message}", Attempts(*attempts))]
    Transport {
        /// What failed, in the transport's words.
        message: String,
        /// How many attempts were made.
        attempts: u32,
        /// Whether the request surely never reached the server (the
        /// connection could not be made), so sending it again is safe.
        not_sent: bool,
        /// The transport's own error.
        #[source]
        source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
    },

    /// No answer in time.
    #[non_exhaustive]
    #[error(
        "request timed out ({}) after {}",
        timeout_text(*kind, *limit),
        Attempts(*attempts)
    )]
    Timeout {
        /// Which limit ran out.
        kind: TimeoutKind,
        /// The limit that ran out, when known (it is not for the limits of a
        /// `reqwest::Client` handed in with
        /// [`HttpClient::from_reqwest`](crate::HttpClient::from_reqwest)).
        limit: Option<Duration>,
        /// How many attempts were made, the one cut short included.
        attempts: u32,
    },

    /// The endpoint answered with a redirect (HTTP 3xx). Redirects are never
    /// followed: the request carries credentials that belong to the endpoint
    /// alone. A redirect usually means a wrong endpoint or a proxy in the way.
    #[non_exhaustive]
    #[error(
        "the endpoint answered HTTP {status}, a redirect to {}, which is not followed; check the endpoint (after {})",
        location.as_deref().unwrap_or("nowhere"),
        Attempts(*attempts)
    )]
    Redirect {
        /// The HTTP status, 300 to 399.
        status: u16,
        /// The `Location` header, credentials redacted, if there was one.
        location: Option<String>,
        /// How many attempts were made.
        attempts: u32,
    },

    /// The answer was longer than the client accepts
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes));
    /// reading stopped there.
    #[non_exhaustive]
    #[error(
        "the HTTP {status} answer is longer than the {limit} bytes this client accepts (after {})",
        Attempts(*attempts)
    )]
    ResponseTooLarge {
        /// The HTTP status of the answer.
        status: u16,
        /// The limit, in bytes.
        limit: u64,
        /// How many attempts were made.
        attempts: u32,
    },

    /// An answer came but could not be understood: not JSON or XML (an HTML
    /// error page from a proxy, say), or not of the expected shape.
    #[non_exhaustive]
    #[error(
        "could not decode the HTTP {status} response ({reason}); it starts with: {body_start:?}"
    )]
    Decode {
        /// The HTTP status of the answer.
        status: u16,
        /// Why decoding failed.
        reason: String,
        /// The first bytes of the body, lossily as UTF-8.
        body_start: String,
        /// How many attempts were made.
        attempts: u32,
    },

    /// No usable credentials.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),

    /// The request was refused before anything was sent.
    #[non_exhaustive]
    #[error("invalid request param {param}: {reason}")]
    InvalidParam {
        /// The wire name of the param.
        param: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The client could not be set up (bad endpoint URL, TLS setup).
    #[error("client configuration: {0}")]
    Config(String),
}

/// "1 attempt", "3 attempts": how every message counts them.
struct Attempts(u32);

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("1 attempt"),
            n => write!(f, "{n} attempts"),
        }
    }
}

fn timeout_text(kind: TimeoutKind, limit: Option<Duration>) -> String {
    match limit {
        Some(limit) => format!("{kind} timeout of {limit:?}"),
        None => format!("{kind} timeout"),
    }
}

impl Error {
    pub(crate) fn invalid_param(param: &str, reason: impl Into<String>) -> Self {
        Error::InvalidParam {
            param: param.to_owned(),
            reason: reason.into(),
        }
    }

    /// The service error, when the service answered with one.
    pub fn as_service(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The service's error code (e.g. `InvalidDomain.NotFound`), if any.
    pub fn code(&self) -> Option<&str> {
        self.as_service().map(|e| e.code.as_str())
    }

    /// Whether the service answered with error `code` (an [`ErrorCode`] of
    /// a product crate's `errors` module, or the code as text).
    ///
    /// ```no_run
    /// # async fn run(client: aliapi_core::Client, req: aliapi_core::GenericRequest) -> Result<(), aliapi_core::Error> {
    /// match client.call(&req).await {
    ///     Err(e) if e.is("InvalidDomain.NotFound") => println!("no such domain"),
    ///     Err(e) => return Err(e),
    ///     Ok(answer) => println!("{answer}"),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is(&self, code: impl AsRef<str>) -> bool {
        self.as_service().is_some_and(|s| s.is(code))
    }

    /// The request id of the failed call, when the service gave one.
    pub fn request_id(&self) -> Option<&str> {
        self.as_service().and_then(|e| e.request_id.as_deref())
    }

    /// How many attempts were made before this error, when any was made.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Service(e) => Some(e.attempts),
            Error::Transport { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Redirect { attempts, .. }
            | Error::ResponseTooLarge { attempts, .. }
            | Error::Decode { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    pub(crate) fn set_attempts(&mut self, n: u32) {
        match self {
            Error::Service(e) => e.attempts = n,
            Error::Transport { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Redirect { attempts, .. }
            | Error::ResponseTooLarge { attempts, .. }
            | Error::Decode { attempts, .. } => *attempts = n,
            _ => {}
        }
    }
}

/// Which time limit ended a call; see [`Error::Timeout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Opening the connection took too long
    /// ([`ClientBuilder::connect_timeout`](crate::ClientBuilder::connect_timeout)):
    /// nothing was sent.
    Connect,
    /// One read of the answer took too long
    /// ([`ClientBuilder::read_timeout`](crate::ClientBuilder::read_timeout)).
    Read,
    /// One attempt, from connecting to the last byte of the answer, took too
    /// long ([`ClientBuilder::attempt_timeout`](crate::ClientBuilder::attempt_timeout)).
    Attempt,
    /// The whole call, retries and backoff included, took too long
    /// ([`ClientBuilder::operation_timeout`](crate::ClientBuilder::operation_timeout)).
    Operation,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connect",
            TimeoutKind::Read => "read",
            TimeoutKind::Attempt => "attempt",
            TimeoutKind::Operation => "operation",
        })
    }
}

/// An error answer from the service.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceError {
    /// HTTP status of the answer.
    pub status: u16,
    /// Error code, e.g. `Throttling.User`.
    pub code: String,
    /// The service's message.
    pub message: String,
    /// Request id, to quote to support.
    pub request_id: Option<String>,
    /// The host that answered.
    pub host_id: Option<String>,
    /// A link the service recommends for diagnosis.
    pub recommend: Option<String>,
    /// Why access was denied, for authorization failures.
    pub access_denied_detail: Option<String>,
    /// For `SignatureDoesNotMatch` and `IncompleteSignature`: what comparing
    /// the server's string to sign with ours found.
    pub signature: Option<SignatureDiagnosis>,
    /// How many attempts were made.
    pub attempts: u32,
}

/// What a signature failure means, found by comparing the server's string to
/// sign with the one aliapi signed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureDiagnosis {
    /// Both signed the same string: the access key secret is wrong.
    WrongSecret,
    /// The strings differ: a signing or encoding bug, or a proxy that changed
    /// the request. Tokens in both strings are redacted.
    #[non_exhaustive]
    StringToSignDiffers {
        /// What aliapi signed.
        client: String,
        /// What the server signed.
        server: String,
        /// Byte offset of the first difference.
        first_difference: usize,
    },
    /// The server did not say what it signed.
    Unknown,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (HTTP {}): {}",
            Capped(&self.code),
            self.status,
            Capped(&self.message)
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        match &self.signature {
            Some(SignatureDiagnosis::WrongSecret) => f.write_str(
                "; the server signed the same string as this client, so the access key secret is wrong",
            )?,
            Some(SignatureDiagnosis::StringToSignDiffers { first_difference, .. }) => write!(
                f,
                "; the server signed a different string than this client (first difference at byte {first_difference}): a signing bug or a proxy that rewrote the request"
            )?,
            _ => {}
        }
        if let Some(r) = &self.recommend {
            write!(f, "; see {}", Capped(r))?;
        }
        if self.attempts > 1 {
            write!(f, " (after {})", Attempts(self.attempts))?;
        }
        Ok(())
    }
}

/// A text from the server, shown up to [`Capped::LIMIT`] characters: a
/// message of megabytes would otherwise become a log line of megabytes.
/// The field keeps it whole.
struct Capped<'a>(&'a str);

impl Capped<'_> {
    const LIMIT: usize = 1024;
}

impl fmt::Display for Capped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(Self::LIMIT) {
            None => f.write_str(self.0),
            Some((cut, _)) => write!(f, "{}… ({} bytes more)", &self.0[..cut], self.0.len() - cut),
        }
    }
}

impl ServiceError {
    /// An error answer with `status` and `code` and nothing else, for the
    /// crate's own tests.
    #[cfg(test)]
    pub(crate) fn for_test(status: u16, code: &str) -> ServiceError {
        ServiceError {
            status,
            code: code.into(),
            message: String::new(),
            request_id: None,
            host_id: None,
            recommend: None,
            access_denied_detail: None,
            signature: None,
            attempts: 1,
        }
    }

    /// Whether this is error `code` (an [`ErrorCode`] or the code as text).
    pub fn is(&self, code: impl AsRef<str>) -> bool {
        self.code == code.as_ref()
    }

    /// Whether the error is a throttling refusal (`Throttling`, `Throttling.User`, …).
    pub fn is_throttling(&self) -> bool {
        self.code.starts_with("Throttling")
    }
}

/// An error code of a product's official error catalogue, with the HTTP
/// statuses the catalogue gives it. The product crates generate one constant
/// per code (`aliapi_cdn::errors::INVALID_DOMAIN_NOT_FOUND`); match an error
/// with [`Error::is`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorCode {
    code: &'static str,
    statuses: &'static [u16],
}

impl ErrorCode {
    /// The code `code`, answered with one of `statuses`.
    pub const fn new(code: &'static str, statuses: &'static [u16]) -> Self {
        ErrorCode { code, statuses }
    }

    /// The code as the service spells it, e.g. `InvalidDomain.NotFound`.
    pub const fn code(&self) -> &'static str {
        self.code
    }

    /// The HTTP statuses the catalogue documents for it.
    pub const fn statuses(&self) -> &'static [u16] {
        self.statuses
    }
}

impl AsRef<str> for ErrorCode {
    fn as_ref(&self) -> &str {
        self.code
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_are_counted_alike_in_every_message() {
        let timeout = |attempts| Error::Timeout {
            kind: TimeoutKind::Read,
            limit: None,
            attempts,
        };
        assert!(timeout(1).to_string().ends_with(" after 1 attempt"));
        assert!(timeout(3).to_string().ends_with(" after 3 attempts"));
        let mut service = ServiceError::for_test(503, "ServiceUnavailable");
        assert!(!service.to_string().contains("attempt"), "{service}");
        service.attempts = 3;
        assert!(
            service.to_string().ends_with(" (after 3 attempts)"),
            "{service}"
        );
    }
}
