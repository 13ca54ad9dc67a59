//! The RPC v1 signature: `HMAC-SHA1` keyed with `secret + "&"` over
//! `METHOD&%2F&enc(sorted "name=value" pairs joined by "&")`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::time::SystemTime;

use aliapi_wire::encode::{is_unreserved, percent_encode_into};
use aliapi_wire::nonce;
use aliapi_wire::v1::{SIGNATURE_PARAM, SigningKey};

use super::SignedRequest;
use crate::action::{Call, Method};
use crate::credentials::Credentials;
use crate::decode::Format;
use crate::params::{Location, ParamWriter};

/// One param while signing: its encoded `name=value` text in two pieces
/// (an operation's param is all `head`; a common param is its constant
/// `name=` and its value), the length of the name, how the string to sign
/// spells it, where it travels.
#[derive(Clone, Copy)]
struct Pair<'a> {
    head: &'a str,
    tail: &'a str,
    again: Again<'a>,
    name_len: usize,
    /// The first eight bytes of the name as one integer ([`prefix_key`]),
    /// computed once: the sort and the merge compare it many times.
    key: u64,
    location: Location,
}

/// How a pair is spelled in the string to sign, which encodes it once more.
#[derive(Clone, Copy)]
enum Again<'a> {
    /// Given, in two pieces: a common param's constant `name%3D` and its
    /// value encoded again.
    Given(&'a str, &'a str),
    /// The text holds no `%`: the same, with `%3D` for the `=`.
    Plain,
    /// The text holds escapes: every `%` becomes `%25`, scanned for here.
    Escaped,
}

impl<'a> Pair<'a> {
    fn name(&self) -> &'a [u8] {
        &self.head.as_bytes()[..self.name_len]
    }

    /// Whether this param sorts before `other`: by the first eight bytes of
    /// the names as one integer (most names differ there), then by the rest.
    fn before(&self, other: &Pair<'_>) -> bool {
        let (a, b) = (self.name(), other.name());
        match self.key.cmp(&other.key) {
            std::cmp::Ordering::Equal => a <= b,
            order => order.is_lt(),
        }
    }

    const EMPTY: Pair<'static> = Pair {
        head: "",
        tail: "",
        again: Again::Given("", ""),
        name_len: 0,
        key: 0,
        location: Location::Query,
    };

    /// Whether the operation wrote it: a common param's second encoding
    /// is given with it, an operation's is derived from its text.
    fn is_own(&self) -> bool {
        !matches!(self.again, Again::Given(..))
    }

    /// Appends the pair as the string to sign spells it.
    fn write_again(&self, sts: &mut String) {
        match self.again {
            Again::Given(head, tail) => {
                sts.push_str(head);
                sts.push_str(tail);
            }
            Again::Plain => {
                sts.push_str(&self.head[..self.name_len]);
                sts.push_str("%3D");
                sts.push_str(&self.head[self.name_len + 1..]);
            }
            Again::Escaped => encode_pair_again(sts, self.head),
        }
    }
}

thread_local! {
    /// The string to sign is written here, then hashed: its memory is
    /// reused from one request to the next on each thread.
    static STRING_TO_SIGN: RefCell<String> = RefCell::new(String::with_capacity(1024));
}

/// A common param's name, as sent and as signed.
type Name = (&'static str, &'static str);

const ACCESS_KEY_ID: Name = ("AccessKeyId=", "AccessKeyId%3D");
const ACTION: Name = ("Action=", "Action%3D");
const FORMAT: Name = ("Format=", "Format%3D");
const SECURITY_TOKEN: Name = ("SecurityToken=", "SecurityToken%3D");
const SIGNATURE_METHOD: Name = ("SignatureMethod=", "SignatureMethod%3D");
const SIGNATURE_NONCE: Name = ("SignatureNonce=", "SignatureNonce%3D");
const SIGNATURE_VERSION: Name = ("SignatureVersion=", "SignatureVersion%3D");
const TIMESTAMP: Name = ("Timestamp=", "Timestamp%3D");
const VERSION: Name = ("Version=", "Version%3D");

/// Adds the common params to the operation's `params` and signs them with
/// a fresh nonce and timestamp: a new call to this for every attempt.
pub(crate) fn sign(
    call: &Call<'_>,
    params: &ParamWriter,
    credentials: &Credentials,
    format: Format,
    now: SystemTime,
) -> SignedRequest {
    let nonce = nonce::uuid_v4();
    let timestamp = Timestamp::new(now);
    let token = credentials.security_token().map(Encoded::new);
    let id = Encoded::new(credentials.access_key_id());
    let action = Encoded::new(call.action);
    let version = Encoded::new(call.version);
    let mut common = CommonParams::new();
    // In the byte order of their names, which is the order they are signed
    // in: the operation's own params are merged into this list, not sorted
    // together with it.
    common.push(ACCESS_KEY_ID, &id.once, &id.twice);
    common.push(ACTION, &action.once, &action.twice);
    common.push(FORMAT, format.as_str(), format.as_str());
    if let Some(token) = &token {
        common.push(SECURITY_TOKEN, &token.once, &token.twice);
    }
    common.push(SIGNATURE_METHOD, "HMAC-SHA1", "HMAC-SHA1");
    common.push(SIGNATURE_NONCE, nonce.as_str(), nonce.as_str());
    common.push(SIGNATURE_VERSION, "1.0", "1.0");
    common.push(TIMESTAMP, timestamp.once(), timestamp.twice());
    common.push(VERSION, &version.once, &version.twice);
    write_signed(
        call.method,
        params,
        common.pairs(),
        Some(credentials.v1_key()),
    )
}

/// The params of a call that is not signed at all (STS
/// `AssumeRoleWithOIDC`, which proves who is calling with a token param):
/// the common params that identify the call, and no key or signature.
pub(crate) fn unsigned(
    call: &Call<'_>,
    params: &ParamWriter,
    format: Format,
    now: SystemTime,
) -> SignedRequest {
    let nonce = nonce::uuid_v4();
    let timestamp = Timestamp::new(now);
    let action = Encoded::new(call.action);
    let version = Encoded::new(call.version);
    let mut common = CommonParams::new();
    common.push(ACTION, &action.once, &action.twice);
    common.push(FORMAT, format.as_str(), format.as_str());
    common.push(SIGNATURE_NONCE, nonce.as_str(), nonce.as_str());
    common.push(TIMESTAMP, timestamp.once(), timestamp.twice());
    common.push(VERSION, &version.once, &version.twice);
    write_signed(call.method, params, common.pairs(), None)
}

/// Signs `params` (operation params and the common params together,
/// `Signature` not among them) with `secret`.
#[cfg(test)]
pub(crate) fn sign_params(method: Method, params: &ParamWriter, secret: &str) -> SignedRequest {
    write_signed(method, params, &[], Some(&SigningKey::new(secret)))
}

/// A value RFC 3986-encoded once and twice, borrowed when it needs no
/// escape (the usual case for key ids, actions and versions).
struct Encoded<'a> {
    once: Cow<'a, str>,
    twice: Cow<'a, str>,
}

impl<'a> Encoded<'a> {
    fn new(text: &'a str) -> Self {
        if text.bytes().all(is_unreserved) {
            return Encoded {
                once: Cow::Borrowed(text),
                twice: Cow::Borrowed(text),
            };
        }
        let mut once = String::with_capacity(text.len() * 3 / 2);
        percent_encode_into(&mut once, text);
        let mut twice = String::with_capacity(once.len() * 3 / 2);
        percent_encode_into(&mut twice, &once);
        Encoded {
            once: Cow::Owned(once),
            twice: Cow::Owned(twice),
        }
    }
}

/// The timestamp as `YYYY-MM-DDThh%3Amm%3AssZ` and again encoded, on the
/// stack.
enum Timestamp {
    Stack([u8; 24], [u8; 28]),
    /// Years past 9999 or before 0, which the stack layout does not hold.
    Heap(String, String),
}

impl Timestamp {
    fn new(now: SystemTime) -> Self {
        match aliapi_wire::time::encoded_timestamp(now) {
            Some(once) => {
                // `%3A` → `%253A` at the two colons.
                let mut twice = [0u8; 28];
                twice[..13].copy_from_slice(&once[..13]);
                twice[13..18].copy_from_slice(b"%253A");
                twice[18..20].copy_from_slice(&once[16..18]);
                twice[20..25].copy_from_slice(b"%253A");
                twice[25..28].copy_from_slice(&once[21..24]);
                Timestamp::Stack(once, twice)
            }
            None => {
                let text = aliapi_wire::time::format_timestamp(now);
                let mut once = String::new();
                percent_encode_into(&mut once, &text);
                let mut twice = String::new();
                percent_encode_into(&mut twice, &once);
                Timestamp::Heap(once, twice)
            }
        }
    }

    fn once(&self) -> &str {
        match self {
            // ASCII by construction.
            Timestamp::Stack(once, _) => std::str::from_utf8(once).unwrap_or_default(),
            Timestamp::Heap(once, _) => once,
        }
    }

    fn twice(&self) -> &str {
        match self {
            Timestamp::Stack(_, twice) => std::str::from_utf8(twice).unwrap_or_default(),
            Timestamp::Heap(_, twice) => twice,
        }
    }
}

/// The common params of one attempt, in sorted order, on the stack.
struct CommonParams<'a> {
    pairs: [Pair<'a>; 9],
    len: usize,
}

impl<'a> CommonParams<'a> {
    fn new() -> Self {
        CommonParams {
            pairs: [Pair::EMPTY; 9],
            len: 0,
        }
    }

    /// Adds `name=` (with its `=`), the same name encoded again
    /// (`name%3D`), its encoded value and that value encoded again.
    fn push(&mut self, names: (&'static str, &'static str), value: &'a str, value_twice: &'a str) {
        self.pairs[self.len] = Pair {
            head: names.0,
            tail: value,
            again: Again::Given(names.1, value_twice),
            name_len: names.0.len() - 1,
            key: prefix_key(&names.0.as_bytes()[..names.0.len() - 1]),
            location: Location::Query,
        };
        self.len += 1;
    }

    fn pairs(&self) -> &[Pair<'a>] {
        &self.pairs[..self.len]
    }
}

/// Writes the query string, the form body and the string to sign in one
/// pass over the operation's params (sorted here) merged with the common
/// ones (sorted already), then signs with `key` (`None`: unsigned). The
/// string to sign is in name order; the query need not be, and takes the
/// operation's params in one copy when none of them goes in the body.
fn write_signed(
    method: Method,
    params: &ParamWriter,
    common: &[Pair<'_>],
    key: Option<&SigningKey>,
) -> SignedRequest {
    let mut own: Vec<Pair<'_>> = params
        .pairs()
        .map(|(text, name_len, escaped, location)| Pair {
            head: text,
            tail: "",
            again: if escaped {
                Again::Escaped
            } else {
                Again::Plain
            },
            name_len,
            key: prefix_key(&text.as_bytes()[..name_len]),
            location,
        })
        .collect();
    // Operations have a handful of params: an insertion sort by name beats
    // a general sort there, and keeps equal names in written order.
    for i in 1..own.len() {
        let mut j = i;
        while j > 0 && !own[j - 1].before(&own[j]) {
            own.swap(j - 1, j);
            j -= 1;
        }
    }
    let encoded_len: usize = own
        .iter()
        .chain(common)
        .map(|p| p.head.len() + p.tail.len() + 1)
        .sum();
    let in_body = |l: Location| method == Method::Post && l == Location::Body;
    // The signature, percent-encoded, is at most 3 × 28 bytes.
    let mut query = String::with_capacity(encoded_len + 96);
    let mut body = String::new();
    // When every operation param travels in the query, they go in as the
    // writer joined them, in one copy: only the string to sign has to be
    // in name order, and the merge below then adds the common params alone.
    let own_in_query = params.query_text(in_body);
    if let Some(text) = own_in_query {
        query.push_str(text);
    }
    STRING_TO_SIGN.with(|cell| {
        let mut sts = cell.borrow_mut();
        sts.clear();
        sts.reserve(16 + encoded_len + encoded_len / 4);
        sts.push_str(method.as_str());
        sts.push_str("&%2F&");
        let (mut a, mut b) = (own.iter().peekable(), common.iter().peekable());
        let mut first = true;
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x.before(y) => a.next(),
                (Some(_), Some(_)) | (None, Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, None) => break,
            };
            let Some(p) = next else { break };
            // An operation's param is in the query already when
            // `own_in_query`.
            if !(p.is_own() && own_in_query.is_some()) {
                let target = if in_body(p.location) {
                    &mut body
                } else {
                    &mut query
                };
                if !target.is_empty() {
                    target.push('&');
                }
                target.push_str(p.head);
                target.push_str(p.tail);
            }
            if !first {
                sts.push_str("%26");
            }
            first = false;
            p.write_again(&mut sts);
        }
        let Some(key) = key else {
            return;
        };
        let signature = key.sign(&sts);
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(SIGNATURE_PARAM);
        query.push('=');
        percent_encode_into(&mut query, signature.as_str());
    });
    SignedRequest::new(method, query, body)
}

/// The v1 string to sign of a request already written: its query (without
/// `Signature`) and form body pairs, merged in name order and encoded once
/// more. What the signer hashed, rebuilt when an error needs it shown.
pub(crate) fn string_to_sign_of(method: Method, query: &str, body: Option<&str>) -> String {
    let split = |text: &str| -> Vec<(String, usize)> {
        text.split('&')
            .filter(|p| !p.is_empty())
            .filter(|p| !p.starts_with("Signature="))
            .map(|p| (p.to_owned(), p.find('=').unwrap_or(p.len())))
            .collect()
    };
    let mut all = split(query);
    all.extend(split(body.unwrap_or("")));
    // Both halves are sorted; a stable sort of the whole keeps that order
    // for names the two share.
    all.sort_by(|a, b| a.0.as_bytes()[..a.1].cmp(&b.0.as_bytes()[..b.1]));
    let mut out = String::with_capacity(16 + query.len() * 5 / 4);
    out.push_str(method.as_str());
    out.push_str("&%2F&");
    for (i, (pair, _)) in all.iter().enumerate() {
        if i > 0 {
            out.push_str("%26");
        }
        encode_pair_again(&mut out, pair);
    }
    out
}

/// The signature a v1 query carries, decoded.
pub(crate) fn signature_of(query: &str) -> Option<String> {
    let v = query
        .rsplit('&')
        .find_map(|p| p.strip_prefix("Signature="))?;
    aliapi_wire::encode::percent_decode(v, false)
}

/// Appends the RFC 3986 encoding of an encoded `name=value` pair. Encoded
/// text holds only unreserved bytes and `%`, so only `%` (to `%25`) and the
/// `=` (to `%3D`) change: a cheap scan instead of a table-driven encode.
fn encode_pair_again(out: &mut String, pair: &str) {
    let bytes = pair.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = match b {
            b'%' => "%25",
            b'=' => "%3D",
            _ => continue,
        };
        out.push_str(&pair[start..i]);
        out.push_str(escape);
        start = i + 1;
    }
    out.push_str(&pair[start..]);
}

/// The first eight bytes of `name`, big-endian, zero-padded: ordering these
/// integers orders names by their first eight bytes.
fn prefix_key(name: &[u8]) -> u64 {
    let mut key = [0u8; 8];
    let n = name.len().min(8);
    key[..n].copy_from_slice(&name[..n]);
    u64::from_be_bytes(key)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    const VECTOR_STS: &str = "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26";

    #[test]
    fn the_reference_agrees_on_the_vector() {
        assert_eq!(aliapi_wire::v1::string_to_sign("GET", VECTOR), VECTOR_STS);
    }

    #[test]
    fn verified_vector_from_a_writer_and_the_wire_form() {
        let mut w = ParamWriter::new();
        for (n, v) in VECTOR {
            w.push(n, v, Location::Query);
        }
        let signed = sign_params(Method::Get, &w, "testsecret");
        assert_eq!(signed.string_to_sign(), VECTOR_STS);
        assert!(
            signed
                .query
                .ends_with("&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"),
            "{}",
            signed.query
        );
        assert!(signed.body.is_none());
    }

    #[test]
    fn body_params_are_signed_but_travel_in_the_body_for_post_only() {
        let mut w = ParamWriter::new();
        w.push("Action", "RefreshObjectCaches", Location::Query);
        w.push("ObjectPath", "a b/c", Location::Body);
        let post = sign_params(Method::Post, &w, "s");
        assert_eq!(post.body.as_deref(), Some("ObjectPath=a%20b%2Fc"));
        assert!(!post.query.contains("ObjectPath"));
        assert!(post.string_to_sign().starts_with("POST&%2F&"));
        assert!(post.string_to_sign().contains("ObjectPath%3Da%2520b%252Fc"));
        let get = sign_params(Method::Get, &w, "s");
        assert!(get.body.is_none());
        assert!(get.query.contains("ObjectPath=a%20b%2Fc"));
    }
}
