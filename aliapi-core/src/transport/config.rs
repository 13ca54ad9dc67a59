//! [`HttpClientBuilder`]: timeouts, proxies, trusted roots and the user agent
//! of an [`HttpClient`].

use std::sync::Arc;
use std::time::Duration;

use super::{HttpClient, Inner, USER_AGENT};
use crate::error::Error;

/// Configures an [`HttpClient`]. Every setting has a default; see
/// [`HttpClient::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct HttpClientBuilder {
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) user_agent: String,
    /// Extra trusted roots, PEM.
    pub(crate) ca_bundle: Option<Vec<u8>>,
    pub(crate) proxy: ProxySetting,
    /// Hosts never sent through a proxy, as `NO_PROXY` spells them.
    pub(crate) no_proxy: Option<String>,
}

/// Where requests go on their way to the endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProxySetting {
    /// `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` (and lower-case forms).
    FromEnvironment,
    /// This proxy for every request.
    Url(String),
    /// Straight to the endpoint, whatever the environment says.
    Direct,
}

impl Default for HttpClientBuilder {
    fn default() -> Self {
        HttpClientBuilder {
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(10),
            user_agent: USER_AGENT.to_owned(),
            ca_bundle: None,
            proxy: ProxySetting::FromEnvironment,
            no_proxy: None,
        }
    }
}

impl HttpClientBuilder {
    /// How long to wait for a connection (default 5 s).
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.connect_timeout = limit;
        self
    }

    /// How long to wait for each read of an answer (default 10 s). A whole
    /// attempt is limited by
    /// [`ClientBuilder::attempt_timeout`](crate::ClientBuilder::attempt_timeout).
    pub fn read_timeout(mut self, limit: Duration) -> Self {
        self.read_timeout = limit;
        self
    }

    /// Sends every request through the proxy at `url` (`http://host:port`,
    /// `https://…`, with credentials `http://user:pass@host:port`, or a
    /// SOCKS5 proxy: `socks5h://host:port` lets the proxy resolve the
    /// endpoint's name, `socks5://` resolves it here), instead of the
    /// proxies the environment names.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = ProxySetting::Url(url.into());
        self
    }

    /// Hosts reached directly, never through a proxy: a comma-separated list
    /// as `NO_PROXY` takes it (`localhost,.internal,10.0.0.0/8`). It adds to
    /// the environment's `NO_PROXY` when proxies come from the environment.
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.no_proxy = Some(hosts.into());
        self
    }

    /// Reaches every endpoint directly, ignoring proxy variables.
    pub fn direct(mut self) -> Self {
        self.proxy = ProxySetting::Direct;
        self
    }

    /// Trusts the certificates of a PEM bundle besides the system's roots,
    /// e.g. for a TLS-inspecting proxy.
    pub fn ca_bundle_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_bundle = Some(pem.into());
        self
    }

    /// Appends `suffix` to the user agent, to name your application.
    pub fn user_agent_suffix(mut self, suffix: &str) -> Self {
        self.user_agent = format!("{USER_AGENT} {suffix}");
        self
    }

    /// Builds the client; fails when the CA bundle or the proxy URL is not
    /// valid.
    pub fn build(&self) -> Result<HttpClient, Error> {
        install_crypto_provider();
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .user_agent(&self.user_agent)
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .pool_idle_timeout(Duration::from_secs(60));
        let no_proxy = || {
            let env = ["NO_PROXY", "no_proxy"]
                .iter()
                .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()));
            let list = match (env, &self.no_proxy) {
                (Some(e), Some(mine)) => format!("{e},{mine}"),
                (Some(e), None) => e,
                (None, Some(mine)) => mine.clone(),
                (None, None) => return None,
            };
            reqwest::NoProxy::from_string(&list)
        };
        // The URL may carry a password, and reqwest's reasons quote the
        // URL: it is shown without, and the password redacted wherever
        // else it shows.
        let bad_proxy = |url: &str, e: reqwest::Error| {
            let why = super::error_chain(&e.without_url())
                .replace(url, &crate::redact::without_password(url));
            let secrets: Vec<&str> = crate::redact::password_of(url).into_iter().collect();
            Error::Config(format!(
                "the proxy URL is not valid: {}",
                crate::redact::redact(&why, &secrets)
            ))
        };
        let proxy_label = match &self.proxy {
            ProxySetting::Direct => {
                builder = builder.no_proxy();
                "direct"
            }
            ProxySetting::Url(url) => {
                let p = reqwest::Proxy::all(url.as_str()).map_err(|e| bad_proxy(url, e))?;
                builder = builder.proxy(
                    p.no_proxy(
                        self.no_proxy
                            .as_deref()
                            .and_then(reqwest::NoProxy::from_string),
                    ),
                );
                "set in code"
            }
            ProxySetting::FromEnvironment if self.no_proxy.is_none() => "from the environment",
            ProxySetting::FromEnvironment => {
                // reqwest reads the environment's proxies only when none is
                // added in code; to add hosts to its NO_PROXY, the proxies
                // are read here instead.
                builder = builder.no_proxy();
                let var = |names: [&str; 2]| {
                    names
                        .iter()
                        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
                };
                type MakeProxy = fn(&str) -> reqwest::Result<reqwest::Proxy>;
                let kinds: [([&str; 2], MakeProxy); 3] = [
                    (["HTTPS_PROXY", "https_proxy"], |u| reqwest::Proxy::https(u)),
                    (["HTTP_PROXY", "http_proxy"], |u| reqwest::Proxy::http(u)),
                    (["ALL_PROXY", "all_proxy"], |u| reqwest::Proxy::all(u)),
                ];
                for (names, make) in kinds {
                    if let Some(url) = var(names) {
                        let p = make(&url).map_err(|e| bad_proxy(&url, e))?;
                        builder = builder.proxy(p.no_proxy(no_proxy()));
                    }
                }
                "from the environment, with hosts added in code"
            }
        };
        if let Some(pem) = &self.ca_bundle {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| Error::Config(format!("the CA bundle is not valid PEM: {e}")))?;
            if certs.is_empty() {
                return Err(Error::Config("the CA bundle holds no certificate".into()));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder.build().map_err(|e| {
            // A certificate that parsed as PEM but is not a certificate
            // surfaces only here.
            let hint = if self.ca_bundle.is_some() {
                " (is the CA bundle valid?)"
            } else {
                ""
            };
            Error::Config(format!(
                "cannot build the HTTP client{hint}: {}",
                super::error_chain(&e)
            ))
        })?;
        Ok(HttpClient {
            inner: Arc::new(Inner {
                client,
                connect_timeout: Some(self.connect_timeout),
                read_timeout: Some(self.read_timeout),
                proxy: proxy_label,
            }),
        })
    }
}

/// Makes ring the process's TLS crypto provider unless one is installed.
///
/// reqwest is built without a provider of its own so that only one TLS
/// stack (rustls on ring) is compiled in; it panics when none is installed.
fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Err means another thread installed one first, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
