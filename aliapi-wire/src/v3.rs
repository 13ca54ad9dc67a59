//! The V3 signature, `ACS3-HMAC-SHA256`: the newer scheme the official SDKs
//! default to, where the request is signed as a canonical request (method,
//! path, query, headers, body hash) and the result travels in an
//! `Authorization` header instead of a `Signature` param.
//!
//! These are pure functions; nothing here builds or sends a request. A caller
//! signing an RPC request with V3 sends the params in the query (and the form
//! body, if any) and at least these headers, all of which it passes here:
//! `host`, `x-acs-action`, `x-acs-version`, `x-acs-date`
//! (`YYYY-MM-DDThh:mm:ssZ`), `x-acs-signature-nonce`, `x-acs-content-sha256`
//! (see [`hashed_payload`]), `content-type` when there is a body, and
//! `x-acs-security-token` with STS credentials.
//!
//! # Which headers are signed
//!
//! Every header given to [`canonical_request`] or [`authorization`] is
//! signed, apart from `authorization` itself. This is what the official Python
//! SDK (`alibabacloud-tea-openapi`) does: it signs every header it sends,
//! `user-agent` and `accept` included. The server checks whichever headers the
//! `SignedHeaders` list names; Alibaba Cloud's V3 documentation requires
//! `host`, `content-type` and every `x-acs-*` header to be among them, and its
//! signing examples sign exactly that set. [`is_required_header`] tells whether
//! a header is in it, for callers that want to sign no more than needed.
//!
//! # Canonical form
//!
//! ```text
//! METHOD \n / \n canonical query \n canonical headers \n signed header names \n hex(sha256(body))
//! ```
//!
//! - canonical query: `name=value` pairs, both RFC 3986-encoded like the v1
//!   signature, sorted by encoded name (then value), joined by `&`;
//! - canonical headers: one `name:value\n` line per header name, names in
//!   lower case and sorted, values trimmed; the values of a repeated name are
//!   sorted and joined by `,`;
//! - signed header names: the same names joined by `;`.
//!
//! `StringToSign = "ACS3-HMAC-SHA256\n" + hex(sha256(canonical request))` and
//! the signature is `hex(HMAC-SHA256(secret, StringToSign))`, all hex in lower
//! case.

use ring::{digest, hmac};

use crate::encode::percent_encode_into;

/// The algorithm name that opens the string to sign and the `Authorization`
/// header.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The header that carries the signature; never signed itself.
pub const AUTHORIZATION_HEADER: &str = "authorization";

/// The lower-case hex form of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0x0f) as usize] as char);
    }
    out
}

/// The lower-case hex SHA-256 of the body exactly as sent (empty for no
/// body): the last line of the canonical request and the value of the
/// `x-acs-content-sha256` header.
pub fn hashed_payload(body: &[u8]) -> String {
    // Most calls have no body: the hash of nothing is known.
    const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    if body.is_empty() {
        return EMPTY.to_owned();
    }
    hex(digest::digest(&digest::SHA256, body).as_ref())
}

/// Whether Alibaba Cloud requires the header `name` (any case) to be signed:
/// `host`, `content-type` and every `x-acs-*` header.
pub fn is_required_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("host")
        || name.eq_ignore_ascii_case("content-type")
        || name
            .get(..6)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("x-acs-"))
}

/// The canonical query string of unencoded `(name, value)` pairs.
pub fn canonical_query(query: &[(&str, &str)]) -> String {
    let mut encoded: Vec<(String, String)> = query
        .iter()
        .map(|(n, v)| {
            let mut name = String::with_capacity(n.len());
            percent_encode_into(&mut name, n);
            let mut value = String::with_capacity(v.len());
            percent_encode_into(&mut value, v);
            (name, value)
        })
        .collect();
    encoded.sort_unstable();
    let mut out = String::with_capacity(encoded.iter().map(|(n, v)| n.len() + v.len() + 2).sum());
    for (i, (name, value)) in encoded.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// Trims the whitespace the official SDK trims from header values before
/// it signs them (Unicode white space and the ASCII separators
/// `0x1C..=0x1F`).
pub fn trim_value(value: &str) -> &str {
    value.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// The canonical headers block (each line ending in `\n`) and the
/// `;`-joined signed header names, for every header but `authorization`.
pub fn canonical_headers(headers: &[(&str, &str)]) -> (String, String) {
    let mut lowered: Vec<(String, &str)> = headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), trim_value(v)))
        .filter(|(n, _)| n != AUTHORIZATION_HEADER)
        .collect();
    lowered.sort_unstable();

    let mut block = String::new();
    let mut names = String::new();
    let mut i = 0;
    while i < lowered.len() {
        let name = &lowered[i].0;
        if !names.is_empty() {
            names.push(';');
        }
        names.push_str(name);
        block.push_str(name);
        block.push(':');
        // Values of one name are adjacent and already sorted.
        let mut first = true;
        while i < lowered.len() && &lowered[i].0 == name {
            if !first {
                block.push(',');
            }
            block.push_str(lowered[i].1);
            first = false;
            i += 1;
        }
        block.push('\n');
    }
    (block, names)
}

/// The canonical request of an RPC call (path `/`) and the `;`-joined names
/// of the headers it signs.
///
/// `query` holds unencoded pairs, `headers` the headers to sign (see the
/// module docs), `body` the body bytes exactly as sent.
pub fn canonical_request(
    method: &str,
    query: &[(&str, &str)],
    headers: &[(&str, &str)],
    body: &[u8],
) -> (String, String) {
    let query = canonical_query(query);
    let (header_block, signed) = canonical_headers(headers);
    let payload = hashed_payload(body);
    let mut out = String::with_capacity(
        method.len() + query.len() + header_block.len() + signed.len() + payload.len() + 8,
    );
    out.push_str(method);
    out.push_str("\n/\n");
    out.push_str(&query);
    out.push('\n');
    out.push_str(&header_block);
    out.push('\n');
    out.push_str(&signed);
    out.push('\n');
    out.push_str(&payload);
    (out, signed)
}

/// `"ACS3-HMAC-SHA256\n" + hex(sha256(canonical_request))`.
pub fn string_to_sign(canonical_request: &str) -> String {
    let hash = digest::digest(&digest::SHA256, canonical_request.as_bytes());
    let mut out = String::with_capacity(ALGORITHM.len() + 1 + 64);
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(&hex(hash.as_ref()));
    out
}

/// `hex(HMAC-SHA256(secret, string_to_sign))`; the key is the secret as is.
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    SigningKey::new(secret).sign(string_to_sign)
}

/// The V3 key, the secret, with HMAC-SHA256's key schedule already run:
/// a client signing many requests with one secret keeps it and skips two
/// block hashes per request. As secret as the secret: `Debug` shows
/// nothing of it.
///
/// ```
/// use aliapi_wire::v3::{SigningKey, signature};
/// let key = SigningKey::new("secret");
/// assert_eq!(key.sign("ACS3-HMAC-SHA256\nabc"), signature("secret", "ACS3-HMAC-SHA256\nabc"));
/// ```
#[derive(Clone)]
pub struct SigningKey(hmac::Key);

impl SigningKey {
    /// The key of `secret`.
    pub fn new(secret: &str) -> SigningKey {
        SigningKey(hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes()))
    }

    /// The signature of `string_to_sign`, in lower-case hex.
    pub fn sign(&self, string_to_sign: &str) -> String {
        hex(hmac::sign(&self.0, string_to_sign.as_bytes()).as_ref())
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(..)")
    }
}

/// The value of the `Authorization` header:
/// `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<names>,Signature=<hex>`.
pub fn authorization(
    access_key_id: &str,
    secret: &str,
    method: &str,
    query: &[(&str, &str)],
    headers: &[(&str, &str)],
    body: &[u8],
) -> String {
    let (canonical, signed) = canonical_request(method, query, headers, body);
    let sig = signature(secret, &string_to_sign(&canonical));
    format!("{ALGORITHM} Credential={access_key_id},SignedHeaders={signed},Signature={sig}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_empty_payload() {
        assert_eq!(hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(
            hashed_payload(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // The constant is the hash, not a guess at it.
        assert_eq!(
            hashed_payload(b""),
            hex(digest::digest(&digest::SHA256, b"").as_ref())
        );
        assert_eq!(
            hashed_payload(b"a=1"),
            hex(digest::digest(&digest::SHA256, b"a=1").as_ref())
        );
    }

    #[test]
    fn a_kept_key_signs_as_the_secret_does_and_shows_nothing() {
        let key = SigningKey::new("topsecret");
        let direct = hex(hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA256, b"topsecret"),
            b"ACS3-HMAC-SHA256\nabc",
        )
        .as_ref());
        for _ in 0..2 {
            assert_eq!(key.sign("ACS3-HMAC-SHA256\nabc"), direct);
        }
        assert!(!format!("{key:?}").contains("topsecret"));
    }

    #[test]
    fn required_headers() {
        assert!(is_required_header("Host"));
        assert!(is_required_header("content-type"));
        assert!(is_required_header("X-Acs-Date"));
        assert!(!is_required_header("x-acs"));
        assert!(!is_required_header("user-agent"));
        assert!(!is_required_header("é"));
    }

    #[test]
    fn headers_are_lowered_trimmed_grouped_and_sorted() {
        let (block, names) = canonical_headers(&[
            ("X-Acs-B", " 2 "),
            ("host", "h"),
            ("x-acs-b", "1"),
            ("Authorization", "never"),
        ]);
        assert_eq!(block, "host:h\nx-acs-b:1,2\n");
        assert_eq!(names, "host;x-acs-b");
    }

    #[test]
    fn query_is_encoded_and_sorted() {
        assert_eq!(
            canonical_query(&[("b", "x y*"), ("a", "~/"), ("B.10", ""), ("B.2", "中")]),
            "B.10=&B.2=%E4%B8%AD&a=~%2F&b=x%20y%2A"
        );
        assert_eq!(canonical_query(&[]), "");
    }
}
