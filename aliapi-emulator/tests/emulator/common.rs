//! Helpers shared by the emulator's integration tests: signing requests the
//! way a client does, and sending them raw.

#![allow(dead_code)]

use aliapi_core::Method;
use aliapi_emulator::clock::format_timestamp;
use aliapi_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Incoming, Service};
use aliapi_wire::encode::percent_encode;
use aliapi_wire::v1::{signature, string_to_sign};
use serde_json::Value;
use std::sync::OnceLock;

pub use aliapi_emulator::spec::Product;

pub const CDN: &str = "2018-05-10";
pub const CBN: &str = "2017-09-12";

/// Who signs, and with which clock.
#[derive(Clone)]
pub struct Signer {
    pub id: String,
    pub secret: String,
    pub token: Option<String>,
    pub now: i64,
}

impl Default for Signer {
    fn default() -> Self {
        Signer {
            id: DEFAULT_ACCESS_KEY_ID.into(),
            secret: DEFAULT_ACCESS_KEY_SECRET.into(),
            token: None,
            now: aliapi_emulator::clock::unix_now(),
        }
    }
}

/// The common params plus `op`, unsigned.
pub fn common(
    signer: &Signer,
    version: &str,
    action: &str,
    op: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = vec![
        ("Action".into(), action.into()),
        ("Version".into(), version.into()),
        ("Format".into(), "JSON".into()),
        ("AccessKeyId".into(), signer.id.clone()),
        ("SignatureMethod".into(), "HMAC-SHA1".into()),
        ("SignatureVersion".into(), "1.0".into()),
        (
            "SignatureNonce".into(),
            aliapi_wire::nonce::uuid_v4().to_string(),
        ),
        ("Timestamp".into(), format_timestamp(signer.now)),
    ];
    if let Some(t) = &signer.token {
        pairs.push(("SecurityToken".into(), t.clone()));
    }
    pairs.extend(op.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    pairs
}

/// Adds `Signature` computed over `pairs` with `secret`.
pub fn sign(
    method: Method,
    mut pairs: Vec<(String, String)>,
    secret: &str,
) -> Vec<(String, String)> {
    let sts = string_to_sign(
        method.as_str(),
        pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())),
    );
    pairs.push(("Signature".into(), signature(secret, &sts)));
    pairs
}

/// A signed param list for `action`.
pub fn signed(
    signer: &Signer,
    method: Method,
    version: &str,
    action: &str,
    op: &[(&str, &str)],
) -> Vec<(String, String)> {
    sign(method, common(signer, version, action, op), &signer.secret)
}

/// RFC 3986 `a=b&c=d`.
pub fn encode(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Form encoding as Python's `urlencode` writes it: spaces as `+`.
pub fn form_encode(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| {
            format!(
                "{}={}",
                percent_encode(n),
                percent_encode(v).replace("%20", "+")
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// An answer: status and parsed JSON body.
#[derive(Debug)]
pub struct Got {
    pub status: u16,
    pub body: Value,
}

impl Got {
    pub fn code(&self) -> &str {
        self.body["Code"].as_str().unwrap_or("")
    }
    pub fn assert_ok(&self) -> &Value {
        assert_eq!(self.status, 200, "{:#}", self.body);
        assert!(
            self.body["RequestId"]
                .as_str()
                .is_some_and(|s| !s.is_empty())
        );
        &self.body
    }
    /// Asserts a refusal with `code`, answered with the status and message
    /// the official catalogue of `product` documents for `operation`.
    pub fn assert_documented(&self, product: Product, operation: &str, code: &str) -> &str {
        let (status, message) = documented(product, operation, code)
            .unwrap_or_else(|| panic!("{code} is not in the {product:?} catalogue"));
        let got = self.assert_err(status, code);
        assert_eq!(got, message, "{code} for {operation}");
        got
    }

    pub fn assert_err(&self, status: u16, code: &str) -> &str {
        assert_eq!(
            (self.status, self.code()),
            (status, code),
            "{:#}",
            self.body
        );
        assert!(
            self.body["RequestId"]
                .as_str()
                .is_some_and(|s| !s.is_empty())
        );
        assert!(self.body["HostId"].is_string());
        assert!(self.body["Recommend"].is_string());
        self.body["Message"].as_str().unwrap_or("")
    }
}

/// Sends a GET with every param in the query, straight to the service.
pub fn call_service(svc: &Service, pairs: &[(String, String)], now_ms: i64) -> Got {
    let q = encode(pairs);
    let reply = svc.respond(
        &Incoming {
            method: "GET",
            query: &q,
            content_type: None,
            body: b"",
            headers: &[],
        },
        now_ms,
    );
    Got {
        status: reply.status,
        body: serde_json::from_str(&reply.body).unwrap_or(Value::Null),
    }
}

pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

/// GET with every param in the query.
pub async fn get(client: &reqwest::Client, url: &str, pairs: &[(String, String)]) -> Got {
    let resp = client
        .get(format!("{url}/?{}", encode(pairs)))
        .send()
        .await
        .expect("send");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    Got {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

/// POST with the params in `body_names` in a `+`-style form body, the rest
/// in the query.
pub async fn post(
    client: &reqwest::Client,
    url: &str,
    pairs: &[(String, String)],
    body_names: &[&str],
) -> Got {
    let (body, query): (Vec<_>, Vec<_>) = pairs
        .iter()
        .cloned()
        .partition(|(n, _)| body_names.contains(&n.as_str()));
    let resp = client
        .post(format!("{url}/?{}", encode(&query)))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_encode(&body))
        .send()
        .await
        .expect("send");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    Got {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

/// A small client bound to one emulator and one signer.
pub struct Api {
    pub client: reqwest::Client,
    pub url: String,
    pub signer: Signer,
}

impl Api {
    pub fn new(url: String) -> Api {
        Api {
            client: http_client(),
            url,
            signer: Signer::default(),
        }
    }

    pub async fn call(&self, version: &str, action: &str, op: &[(&str, &str)]) -> Got {
        let mut s = self.signer.clone();
        s.now = aliapi_emulator::clock::unix_now();
        let pairs = signed(&s, Method::Post, version, action, op);
        let names: Vec<&str> = op.iter().map(|(n, _)| *n).collect();
        post(&self.client, &self.url, &pairs, &names).await
    }

    pub async fn cdn(&self, action: &str, op: &[(&str, &str)]) -> Got {
        self.call(CDN, action, op).await
    }

    pub async fn cen(&self, action: &str, op: &[(&str, &str)]) -> Got {
        self.call(CBN, action, op).await
    }
}

/// The status and message the official catalogue of `product` documents
/// for `code` on `operation`: the variant that operation documents, else
/// the code's first. Read from the facts file itself, not through the
/// emulator.
pub fn documented(product: Product, operation: &str, code: &str) -> Option<(u16, String)> {
    static FACTS: OnceLock<[Value; 2]> = OnceLock::new();
    let facts = FACTS.get_or_init(|| {
        Product::ALL.map(|p| serde_json::from_str(p.facts_json()).expect("a facts file"))
    });
    let index = Product::ALL.iter().position(|p| *p == product)?;
    let variants = facts[index]["errors"]["codes"].get(code)?["variants"].as_array()?;
    let documents = |v: &&Value| {
        v["operations"]
            .as_array()
            .is_some_and(|ops| ops.iter().any(|op| op == operation))
    };
    let v = variants.iter().find(documents).or(variants.first())?;
    Some((
        v["http"].as_u64()? as u16,
        v["message"].as_str()?.to_owned(),
    ))
}
