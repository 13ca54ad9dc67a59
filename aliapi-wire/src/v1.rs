//! The RPC v1 signature: `base64(HMAC-SHA1(secret + "&", StringToSign))`
//! where `StringToSign = METHOD + "&%2F&" + enc(sorted "name=value" pairs
//! joined by "&")`, every name and value RFC 3986-encoded first.
//!
//! [`string_to_sign`] is written for clarity, as a server computes the
//! string from the params it received; `aliapi-core` signs with a faster
//! one-pass version of the same rule and is tested against this one.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

use crate::encode::{percent_encode, percent_encode_into};

/// The param that carries the signature; it is never signed itself.
pub const SIGNATURE_PARAM: &str = "Signature";

/// The string to sign for unencoded `(name, value)` pairs sent with
/// `method` (`GET` or `POST`), query and form body together. A `Signature`
/// pair is left out.
///
/// ```
/// let s = aliapi_wire::v1::string_to_sign("POST", [("B", "x y"), ("A", "1")]);
/// assert_eq!(s, "POST&%2F&A%3D1%26B%3Dx%2520y");
/// ```
pub fn string_to_sign<'a>(
    method: &str,
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let mut encoded: Vec<(String, String)> = params
        .into_iter()
        .filter(|(name, _)| *name != SIGNATURE_PARAM)
        .map(|(n, v)| (percent_encode(n), percent_encode(v)))
        .collect();
    // Byte order of the encoded names; a repeated name (which no API sends)
    // is ordered by value so that the result never depends on arrival order.
    encoded.sort_unstable();
    let mut canonical = String::new();
    for (i, (name, value)) in encoded.iter().enumerate() {
        if i > 0 {
            canonical.push('&');
        }
        canonical.push_str(name);
        canonical.push('=');
        canonical.push_str(value);
    }
    let mut out = String::with_capacity(method.len() + 5 + canonical.len() * 5 / 4);
    out.push_str(method);
    out.push_str("&%2F&");
    percent_encode_into(&mut out, &canonical);
    out
}

/// `base64(HMAC-SHA1(secret + "&", string_to_sign))`.
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    signature_text(secret, string_to_sign).as_str().to_owned()
}

/// [`signature`] on the stack: a signer that writes it straight into a
/// query string needs no allocation for it.
pub fn signature_text(secret: &str, string_to_sign: &str) -> SignatureText {
    SigningKey::new(secret).sign(string_to_sign)
}

/// The v1 key, `secret&`, with HMAC-SHA1's key schedule already run.
///
/// Each HMAC starts by hashing the key into an inner and an outer block;
/// a client signing many requests with one secret keeps this and skips
/// those two block hashes on every request. It is as secret as the
/// secret itself: `Debug` shows nothing of it.
///
/// ```
/// use aliapi_wire::v1::{SigningKey, signature};
/// let key = SigningKey::new("testsecret");
/// assert_eq!(key.sign("GET&%2F&A%3D1").as_str(), signature("testsecret", "GET&%2F&A%3D1"));
/// ```
#[derive(Clone)]
pub struct SigningKey(Hmac<Sha1>);

impl SigningKey {
    /// The key of `secret`.
    pub fn new(secret: &str) -> SigningKey {
        // The key is `secret&`; on the stack for secrets of ordinary length.
        let mut stack = [0u8; 64];
        let heap;
        let key: &[u8] = if secret.len() < stack.len() {
            stack[..secret.len()].copy_from_slice(secret.as_bytes());
            stack[secret.len()] = b'&';
            &stack[..=secret.len()]
        } else {
            heap = [secret.as_bytes(), b"&"].concat();
            &heap
        };
        // RustCrypto's SHA-1 uses the CPU's SHA extensions where present,
        // which makes it several times faster than ring's portable SHA-1.
        SigningKey(
            <Hmac<Sha1> as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length"),
        )
    }

    /// The raw 20 bytes of the signature of `string_to_sign`.
    pub fn sign_bytes(&self, string_to_sign: &str) -> [u8; 20] {
        let mut mac = self.0.clone();
        mac.update(string_to_sign.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The signature of `string_to_sign`, base64 as the `Signature` param
    /// carries it.
    pub fn sign(&self, string_to_sign: &str) -> SignatureText {
        let mut out = [0u8; 28];
        let n = BASE64
            .encode_slice(self.sign_bytes(string_to_sign), &mut out)
            .unwrap_or(0);
        debug_assert_eq!(n, 28, "20 bytes are 28 in base64");
        SignatureText(out)
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(..)")
    }
}

/// A v1 signature's base64 text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SignatureText([u8; 28]);

impl SignatureText {
    /// The text (base64, so ASCII).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl std::fmt::Debug for SignatureText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A signature proves a request; it is not shown.
        f.write_str("SignatureText(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PROTOCOL.md §2, which every official SDK agrees with.
    const VECTOR: [(&str, &str); 8] = [
        ("Action", "DescribeRegions"),
        ("Format", "XML"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
        ("Version", "2014-05-26"),
        ("AccessKeyId", "testid"),
    ];

    #[test]
    fn verified_vector() {
        let sts = string_to_sign("GET", VECTOR);
        assert_eq!(
            sts,
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        assert_eq!(
            signature("testsecret", &sts),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
    }

    #[test]
    fn signature_param_is_never_signed() {
        let with = string_to_sign("POST", [("A", "1"), ("Signature", "x")]);
        assert_eq!(with, string_to_sign("POST", [("A", "1")]));
    }

    #[test]
    fn a_kept_key_signs_as_the_secret_does_and_shows_nothing() {
        let key = SigningKey::new("testsecret");
        let sts = string_to_sign("GET", VECTOR);
        for _ in 0..2 {
            assert_eq!(key.sign(&sts).as_str(), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
        }
        assert_eq!(
            BASE64.encode(key.sign_bytes(&sts)),
            signature("testsecret", &sts)
        );
        let shown = format!("{key:?}");
        assert!(!shown.contains("testsecret"), "{shown}");
    }

    #[test]
    fn long_secrets_sign_like_short_ones_would() {
        let long = "k".repeat(100);
        let a = signature(&long, "x");
        let b = signature(&long, "x");
        assert_eq!(a, b);
        assert_ne!(a, signature("k", "x"));
    }
}
