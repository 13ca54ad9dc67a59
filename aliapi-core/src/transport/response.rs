//! An answer off the wire: its status, the few headers the layers above
//! read, and its body, read up to a cap.

use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};

use super::HttpClient;
use crate::error::Error;

/// An answer as the transport read it.
#[derive(Debug, Clone)]
pub(crate) struct HttpResponse {
    pub(crate) status: u16,
    /// Whether `Content-Type` names XML.
    pub(crate) xml: bool,
    /// `Date`, for answers with an error status (clock-skew correction).
    pub(crate) date: Option<SystemTime>,
    /// How long the server asks to wait before a retry (`x-acs-retry-after`
    /// in milliseconds, or `Retry-After` in seconds or as a date), for
    /// answers with an error status.
    pub(crate) retry_after: Option<Duration>,
    /// `Location`, for redirects.
    pub(crate) location: Option<String>,
    /// The body; empty for redirects, which are not read.
    pub(crate) body: Bytes,
}

impl HttpResponse {
    /// Reads `response`, refusing bodies longer than `max` bytes while they
    /// stream, and before that when `Content-Length` announces one.
    pub(super) async fn read(
        mut response: reqwest::Response,
        max: u64,
        http: &HttpClient,
    ) -> Result<HttpResponse, Error> {
        let status = response.status().as_u16();
        let headers = response.headers();
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let xml = text("content-type").is_some_and(|t| t.contains("xml"));
        let failed = status >= 400;
        let date = failed
            .then(|| text("date"))
            .flatten()
            .and_then(aliapi_wire::time::parse_http_date);
        let retry_after = if failed {
            retry_after(text("x-acs-retry-after"), text("retry-after"))
        } else {
            None
        };
        if (300..400).contains(&status) {
            return Ok(HttpResponse {
                status,
                xml,
                date,
                retry_after,
                location: text("location").map(str::to_owned),
                body: Bytes::new(),
            });
        }
        let too_large = || Error::ResponseTooLarge {
            status,
            limit: max,
            attempts: 1,
        };
        if response.content_length().is_some_and(|n| n > max) {
            return Err(too_large());
        }
        // Chunks are kept as they come (no copy while the body streams) and
        // joined once at the end into a buffer of the exact size, so the
        // most a body ever holds is the cap and one copy of it; most answers
        // arrive in one chunk, which is returned as it is.
        let mut chunks: Vec<Bytes> = Vec::new();
        let mut total: u64 = 0;
        while let Some(chunk) = response.chunk().await.map_err(|e| http.map_error(e))? {
            total += chunk.len() as u64;
            if total > max {
                return Err(too_large());
            }
            chunks.push(chunk);
        }
        let body = match chunks.len() {
            0 => Bytes::new(),
            1 => chunks.pop().unwrap_or_default(),
            _ => {
                let mut joined = BytesMut::with_capacity(total as usize);
                for c in &chunks {
                    joined.extend_from_slice(c);
                }
                joined.freeze()
            }
        };
        Ok(HttpResponse {
            status,
            xml,
            date,
            retry_after,
            location: None,
            body,
        })
    }
}

/// The server's requested wait: `x-acs-retry-after` (milliseconds, as
/// Alibaba Cloud's gateways send it) wins over the standard `Retry-After`
/// (seconds, or an HTTP date).
fn retry_after(acs: Option<&str>, standard: Option<&str>) -> Option<Duration> {
    if let Some(ms) = acs.and_then(|v| v.trim().parse::<u64>().ok()) {
        return (ms > 0).then(|| Duration::from_millis(ms));
    }
    let v = standard?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return (secs > 0).then(|| Duration::from_secs(secs));
    }
    let at = aliapi_wire::time::parse_http_date(v)?;
    at.duration_since(SystemTime::now()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_spellings() {
        assert_eq!(
            retry_after(Some(" 1500 "), Some("9")),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(retry_after(None, Some("3")), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(Some("0"), Some("3")), None);
        assert_eq!(retry_after(None, Some("soon")), None);
        assert_eq!(retry_after(None, None), None);
        let later =
            aliapi_wire::time::format_http_date(SystemTime::now() + Duration::from_secs(90));
        let wait = retry_after(None, Some(&later)).unwrap();
        assert!(wait > Duration::from_secs(80) && wait <= Duration::from_secs(90));
    }
}
