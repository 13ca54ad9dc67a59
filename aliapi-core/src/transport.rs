//! The HTTP layer: one pooled `reqwest` client, and the mapping of its
//! failures onto [`Error`].

use std::time::Duration;

use crate::error::Error;

/// `aliapi/<version>`, sent as the user agent.
pub const USER_AGENT: &str = concat!("aliapi/", env!("CARGO_PKG_VERSION"), " (rust)");

/// Makes ring the process's TLS crypto provider unless one is installed.
///
/// reqwest is built without a provider of its own so that only one TLS
/// stack (rustls on ring) is compiled in; it panics when none is installed.
pub(crate) fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Err means another thread installed one first, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Settings of the HTTP client.
#[derive(Debug, Clone)]
pub(crate) struct HttpSettings {
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) user_agent: String,
    /// Extra trusted roots, PEM.
    pub(crate) ca_bundle: Option<Vec<u8>>,
}

pub(crate) fn build_http_client(s: &HttpSettings) -> Result<reqwest::Client, Error> {
    install_crypto_provider();
    // Proxies come from HTTP_PROXY, HTTPS_PROXY and NO_PROXY: reqwest reads
    // them unless told otherwise.
    let mut builder = reqwest::Client::builder()
        .connect_timeout(s.connect_timeout)
        .read_timeout(s.read_timeout)
        .user_agent(&s.user_agent)
        .pool_idle_timeout(Duration::from_secs(60));
    if let Some(pem) = &s.ca_bundle {
        let certs = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| Error::Config(format!("the CA bundle is not valid PEM: {e}")))?;
        if certs.is_empty() {
            return Err(Error::Config("the CA bundle holds no certificate".into()));
        }
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder.build().map_err(|e| {
        // A certificate that parsed as PEM but is not a certificate
        // surfaces only here.
        let hint = if s.ca_bundle.is_some() {
            " (is the CA bundle valid?)"
        } else {
            ""
        };
        Error::Config(format!(
            "cannot build the HTTP client{hint}: {}",
            error_chain(&e)
        ))
    })
}

/// Maps a reqwest failure; `timeouts` tells which limit applies.
pub(crate) fn map_error(e: reqwest::Error, s: &HttpSettings) -> Error {
    if e.is_timeout() {
        let (which, limit) = if e.is_connect() {
            ("connect", s.connect_timeout)
        } else {
            ("read", s.read_timeout)
        };
        return Error::Timeout {
            which,
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
    // reqwest's message can include the URL, whose query holds the key id
    // and the signature but never the secret; drop the URL all the same.
    let e = e.without_url();
    Error::Transport {
        message: format!("{what}: {}", error_chain(&e)),
        attempts: 1,
        not_sent: e.is_connect(),
        source: Some(Box::new(e)),
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
