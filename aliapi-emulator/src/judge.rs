//! The gatekeeper: parses a raw request and decides, as the service's
//! gateway would, whether it may reach an operation.
//!
//! Everything here is synchronous and free of I/O, so it can be driven
//! directly by tests (including property tests) without a server.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use aliapi_wire::encode::percent_decode;
use aliapi_wire::v1::{signature, string_to_sign};
use aliapi_wire::v3;

use crate::clock::parse_timestamp;
use crate::reply::{ApiError, Format};
use crate::spec::{self, Operation, ParamSpec, Product, TypeDesc, WireStyle};

/// The two methods the RPC protocol allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Post,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// How far a request's `Timestamp` may be from the server's clock, and how
/// long a used `SignatureNonce` is remembered past its timestamp.
pub const TIMESTAMP_WINDOW_SECS: i64 = 15 * 60;

/// How many nonces are remembered at most, by default.
pub const DEFAULT_NONCE_CAPACITY: usize = 200_000;

/// A request as it came off the wire.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// The HTTP method, e.g. `GET` or `POST`.
    pub method: &'a str,
    /// The raw query string, without the `?`.
    pub query: &'a str,
    /// The `Content-Type` header, if any.
    pub content_type: Option<&'a str>,
    /// The raw body.
    pub body: &'a [u8],
    /// The headers, names in any case (only V3-signed requests need them).
    pub headers: &'a [(&'a str, &'a str)],
}

impl<'a> Incoming<'a> {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// The decoded params of a request, query and form body together, in the
/// order they arrived.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Params from already decoded pairs.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Params {
        Params { pairs }
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every pair, in arrival order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Whether any param is named `name` or starts with `name.`.
    pub fn has_tree(&self, name: &str) -> bool {
        self.pairs.iter().any(|(n, _)| is_in_tree(n, name))
    }

    /// The distinct next path segments under `prefix.` (e.g. the indices
    /// `1`, `2` under `Tag`), in first-seen order.
    pub fn children(&self, prefix: &str) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for (n, _) in &self.pairs {
            if let Some(rest) = n.strip_prefix(prefix).and_then(|r| r.strip_prefix('.')) {
                let seg = rest.split('.').next().unwrap_or(rest);
                if !seen.contains(&seg) {
                    seen.push(seg);
                }
            }
        }
        seen
    }

    /// A `repeatList` of scalars, `Name.1`, `Name.2`, … in index order.
    pub fn list(&self, name: &str) -> Vec<String> {
        let mut idx: Vec<usize> = self
            .children(name)
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect();
        idx.sort_unstable();
        idx.dedup();
        idx.iter()
            .filter_map(|i| self.get(&format!("{name}.{i}")).map(str::to_owned))
            .collect()
    }

    /// A `repeatList` of objects: for each index in order, its fields.
    pub fn object_list(&self, name: &str) -> Vec<HashMap<String, String>> {
        let mut idx: Vec<usize> = self
            .children(name)
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect();
        idx.sort_unstable();
        idx.dedup();
        idx.iter()
            .map(|i| {
                let prefix = format!("{name}.{i}.");
                self.pairs
                    .iter()
                    .filter_map(|(n, v)| Some((n.strip_prefix(&prefix)?.to_owned(), v.clone())))
                    .collect()
            })
            .collect()
    }
}

fn is_in_tree(name: &str, root: &str) -> bool {
    name == root
        || name
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Splits and decodes `a=1&b=2`. `+` is read as a space: RFC 3986 clients
/// never send a bare `+` (they write `%2B`), and form encoders write a space
/// as `+`, so this reading is right for both.
fn decode_pairs(raw: &str, out: &mut Vec<(String, String)>) -> Result<(), ApiError> {
    for part in raw.split('&').filter(|p| !p.is_empty()) {
        let (n, v) = part.split_once('=').unwrap_or((part, ""));
        let name = percent_decode(n, true);
        let value = percent_decode(v, true);
        match (name, value) {
            (Some(name), Some(value)) if !name.is_empty() => out.push((name, value)),
            (Some(name), _) if name.is_empty() => continue,
            _ => {
                return Err(ApiError::new(
                    400,
                    "InvalidParameter",
                    "The request carries a malformed percent-encoded name or value.",
                ));
            }
        }
    }
    Ok(())
}

/// Decodes the query and, for a form body, the body into one param list.
pub fn parse_params(req: &Incoming<'_>) -> Result<Params, ApiError> {
    let mut pairs = Vec::new();
    decode_pairs(req.query, &mut pairs)?;
    let is_form = req.content_type.is_none_or(|ct| {
        ct.trim()
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    });
    if !req.method.eq_ignore_ascii_case("GET") && is_form && !req.body.is_empty() {
        let body = std::str::from_utf8(req.body).map_err(|_| {
            ApiError::new(400, "InvalidParameter", "The request body is not UTF-8.")
        })?;
        decode_pairs(body, &mut pairs)?;
    }
    Ok(Params { pairs })
}

/// One access key the emulator accepts.
#[derive(Clone)]
struct KeyEntry {
    secret: String,
    token: Option<String>,
}

/// The access keys the emulator accepts. Secrets never appear in `Debug`.
#[derive(Clone, Default)]
pub struct KeyRing {
    keys: HashMap<String, KeyEntry>,
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ids: Vec<&String> = self.keys.keys().collect();
        ids.sort();
        f.debug_struct("KeyRing").field("ids", &ids).finish()
    }
}

impl KeyRing {
    /// An empty ring, which refuses every key.
    pub fn new() -> KeyRing {
        KeyRing::default()
    }

    /// Accepts the long-lived key `id` with `secret`.
    pub fn insert(&mut self, id: impl Into<String>, secret: impl Into<String>) {
        self.keys.insert(
            id.into(),
            KeyEntry {
                secret: secret.into(),
                token: None,
            },
        );
    }

    /// Accepts the temporary (STS) key `id`, which must come with `token`.
    pub fn insert_sts(
        &mut self,
        id: impl Into<String>,
        secret: impl Into<String>,
        token: impl Into<String>,
    ) {
        self.keys.insert(
            id.into(),
            KeyEntry {
                secret: secret.into(),
                token: Some(token.into()),
            },
        );
    }

    /// The key ids, sorted.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.keys.keys().cloned().collect();
        ids.sort();
        ids
    }

    /// Whether no key is accepted.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// Remembers used nonces until their request's timestamp leaves the window,
/// after which a replay would be refused for its timestamp anyway. Memory is
/// bounded by the request rate times the window, and by a hard capacity.
#[derive(Debug)]
pub struct NonceStore {
    expiry_of: HashMap<String, i64>,
    by_expiry: BTreeSet<(i64, String)>,
    capacity: usize,
}

impl Default for NonceStore {
    fn default() -> NonceStore {
        NonceStore::with_capacity(DEFAULT_NONCE_CAPACITY)
    }
}

impl NonceStore {
    /// A store that holds at most `capacity` nonces (at least 1); past that
    /// the soonest to expire is forgotten first.
    pub fn with_capacity(capacity: usize) -> NonceStore {
        NonceStore {
            expiry_of: HashMap::new(),
            by_expiry: BTreeSet::new(),
            capacity: capacity.max(1),
        }
    }

    /// How many nonces are remembered now.
    pub fn len(&self) -> usize {
        self.expiry_of.len()
    }

    /// Whether no nonce is remembered.
    pub fn is_empty(&self) -> bool {
        self.expiry_of.is_empty()
    }

    /// Forgets every nonce whose window closed before `now`.
    pub fn purge(&mut self, now: i64) {
        while let Some(first) = self.by_expiry.first() {
            if first.0 >= now {
                break;
            }
            if let Some((_, key)) = self.by_expiry.pop_first() {
                self.expiry_of.remove(&key);
            }
        }
    }

    /// Records `nonce` for key `id`, sent with timestamp `ts`; `false` when
    /// it was already used.
    pub fn use_nonce(&mut self, id: &str, nonce: &str, ts: i64, now: i64) -> bool {
        self.purge(now);
        let key = format!("{id}\n{nonce}");
        if self.expiry_of.contains_key(&key) {
            return false;
        }
        while self.expiry_of.len() >= self.capacity {
            match self.by_expiry.pop_first() {
                Some((_, old)) => {
                    self.expiry_of.remove(&old);
                }
                None => break,
            }
        }
        let expiry = ts.max(now) + TIMESTAMP_WINDOW_SECS;
        self.expiry_of.insert(key.clone(), expiry);
        self.by_expiry.insert((expiry, key));
        true
    }
}

/// A request that passed every check.
#[derive(Debug, Clone)]
pub struct Accepted {
    /// The product it is for.
    pub product: &'static Product,
    /// The operation it calls.
    pub operation: &'static Operation,
    /// Its decoded params.
    pub params: Params,
    /// The answer format it asked for.
    pub format: Format,
    /// The key id that signed it.
    pub access_key_id: String,
}

/// A refused request: the error, and what is known for rendering it.
#[derive(Debug, Clone)]
pub struct Rejection {
    /// Why it was refused.
    pub error: ApiError,
    /// The answer format it asked for.
    pub format: Format,
    /// The product, when the `Version` named one.
    pub product: Option<&'static Product>,
}

/// The gateway: keys, the nonce memory, and the checks.
#[derive(Debug, Default)]
pub struct Gate {
    keys: KeyRing,
    nonces: NonceStore,
}

impl Gate {
    /// A gate accepting `keys`, remembering at most `nonce_capacity` nonces.
    pub fn new(keys: KeyRing, nonce_capacity: usize) -> Gate {
        Gate {
            keys,
            nonces: NonceStore::with_capacity(nonce_capacity),
        }
    }

    /// The nonce memory (to observe its size).
    pub fn nonces(&self) -> &NonceStore {
        &self.nonces
    }

    /// Judges `req` at `now` (seconds since the epoch).
    ///
    /// Both signature schemes are understood: v1 (`Signature` param,
    /// HMAC-SHA1) and V3 (`Authorization: ACS3-HMAC-SHA256 …` header, with
    /// the action, version, date and nonce in `x-acs-*` headers).
    pub fn judge(&mut self, req: &Incoming<'_>, now: i64) -> Result<Accepted, Rejection> {
        let v3_auth = req
            .header("authorization")
            .filter(|a| a.starts_with(v3::ALGORITHM));
        let params = parse_params(req).map_err(|error| Rejection {
            error,
            format: Format::from_param(format_hint(req.query)),
            product: None,
        })?;
        let format = match params.get("Format") {
            Some(f) => Format::from_param(Some(f)),
            // V3 callers send no `Format`; they are answered in JSON, as are
            // callers that ask for it in `Accept`.
            None if v3_auth.is_some()
                || req.header("accept").is_some_and(|a| a.contains("json")) =>
            {
                Format::Json
            }
            None => Format::Xml,
        };
        let reject = |error: ApiError, product: Option<&'static Product>| Rejection {
            error,
            format,
            product,
        };

        // Where each common value comes from depends on the scheme.
        let v3 = match v3_auth {
            Some(auth) => Some(parse_v3_authorization(auth).ok_or_else(|| {
                reject(
                    ApiError::new(
                        400,
                        "IncompleteSignature",
                        "The Authorization header is not of the form ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=….",
                    ),
                    None,
                )
            })?),
            None => None,
        };
        let common = |param: &str, header: &str| -> Option<String> {
            let v = if v3.is_some() {
                req.header(header).or_else(|| params.get(param))
            } else {
                params.get(param)
            };
            v.filter(|v| !v.is_empty()).map(str::to_owned)
        };

        let Some(action) = common("Action", "x-acs-action") else {
            return Err(reject(ApiError::missing_common("Action"), None));
        };
        let Some(version) = common("Version", "x-acs-version") else {
            return Err(reject(ApiError::missing_common("Version"), None));
        };
        let Some(product) = spec::product_by_version(&version) else {
            return Err(reject(
                ApiError::new(
                    400,
                    "InvalidVersion",
                    format!(
                        "Specified parameter Version is not valid: no product has version {version}."
                    ),
                ),
                None,
            ));
        };
        let some = Some(product);
        let Some(operation) = product.operation(&action) else {
            return Err(reject(
                ApiError::new(
                    404,
                    "InvalidAction.NotFound",
                    "Specified api is not found, please check your url and method.",
                ),
                some,
            ));
        };

        let method = if req.method.eq_ignore_ascii_case("GET") {
            Method::Get
        } else if req.method.eq_ignore_ascii_case("POST") {
            Method::Post
        } else {
            return Err(reject(
                ApiError::new(
                    400,
                    "UnsupportedHTTPMethod",
                    format!("Specified HTTP method {} is not supported.", req.method),
                ),
                some,
            ));
        };

        let key_id = match &v3 {
            Some(auth) => Some(auth.credential.clone()),
            None => common("AccessKeyId", ""),
        };
        let Some(key_id) = key_id.filter(|k| !k.is_empty()) else {
            return Err(reject(ApiError::missing_common("AccessKeyId"), some));
        };
        let Some(key) = self.keys.keys.get(&key_id) else {
            return Err(reject(
                ApiError::new(
                    404,
                    "InvalidAccessKeyId.NotFound",
                    "Specified access key is not found.",
                ),
                some,
            ));
        };
        if let Some(expected) = &key.token {
            match common("SecurityToken", "x-acs-security-token") {
                None => {
                    return Err(reject(
                        ApiError::new(
                            400,
                            "MissingSecurityToken",
                            "SecurityToken is mandatory for this action.",
                        ),
                        some,
                    ));
                }
                Some(token) if token != *expected => {
                    return Err(reject(
                        ApiError::new(
                            400,
                            "InvalidSecurityToken.MismatchWithAccessKey",
                            "Specified SecurityToken mismatch with the AccessKey.",
                        ),
                        some,
                    ));
                }
                Some(_) => {}
            }
        }

        if v3.is_none() {
            match params.get("SignatureMethod") {
                None | Some("") => {
                    return Err(reject(ApiError::missing_common("SignatureMethod"), some));
                }
                Some("HMAC-SHA1") => {}
                Some(other) => {
                    return Err(reject(
                        ApiError::new(
                            400,
                            "InvalidSignatureMethod",
                            format!("Specified signature method {other} is not supported."),
                        ),
                        some,
                    ));
                }
            }
            match params.get("SignatureVersion") {
                None | Some("") => {
                    return Err(reject(ApiError::missing_common("SignatureVersion"), some));
                }
                Some("1.0") => {}
                Some(other) => {
                    return Err(reject(
                        ApiError::new(
                            400,
                            "InvalidSignatureVersion",
                            format!("Specified signature version {other} is not supported."),
                        ),
                        some,
                    ));
                }
            }
        }

        let Some(ts_text) = common("Timestamp", "x-acs-date") else {
            return Err(reject(ApiError::missing_common("Timestamp"), some));
        };
        let Some(ts) = parse_timestamp(&ts_text) else {
            return Err(reject(
                ApiError::new(
                    400,
                    "InvalidTimeStamp.Format",
                    "Specified time stamp or date value is not well formatted.",
                ),
                some,
            ));
        };
        if (now - ts).abs() > TIMESTAMP_WINDOW_SECS {
            return Err(reject(
                ApiError::new(
                    400,
                    "InvalidTimeStamp.Expired",
                    "Specified time stamp or date value is expired.",
                ),
                some,
            ));
        }
        let Some(nonce) = common("SignatureNonce", "x-acs-signature-nonce") else {
            return Err(reject(ApiError::missing_common("SignatureNonce"), some));
        };

        let checked = match &v3 {
            Some(auth) => check_v3(req, auth, &key.secret),
            None => check_v1(method, &params, &key.secret),
        };
        checked.map_err(|e| reject(e, some))?;

        // Only a correctly signed request uses up its nonce, so a forged
        // request cannot burn someone else's.
        if !self.nonces.use_nonce(&key_id, &nonce, ts, now) {
            return Err(reject(
                ApiError::new(
                    400,
                    "SignatureNonceUsed",
                    "Specified signature nonce was used already.",
                ),
                some,
            ));
        }

        check_operation_params(product, operation, &params).map_err(|e| reject(e, some))?;

        Ok(Accepted {
            product,
            operation,
            access_key_id: key_id,
            params,
            format,
        })
    }
}

fn signature_mismatch(string_to_sign: &str) -> ApiError {
    ApiError::new(
        400,
        "SignatureDoesNotMatch",
        format!(
            "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
        ),
    )
}

fn check_v1(method: Method, params: &Params, secret: &str) -> Result<(), ApiError> {
    let Some(given) = params.get("Signature").filter(|v| !v.is_empty()) else {
        return Err(ApiError::missing_common("Signature"));
    };
    let sts = string_to_sign(
        method.as_str(),
        params.pairs().iter().map(|(n, v)| (n.as_str(), v.as_str())),
    );
    if constant_time_eq(signature(secret, &sts).as_bytes(), given.as_bytes()) {
        Ok(())
    } else {
        Err(signature_mismatch(&sts))
    }
}

/// The parts of a V3 `Authorization` header.
#[derive(Debug)]
struct V3Authorization {
    credential: String,
    signed_headers: Vec<String>,
    signature: String,
}

fn parse_v3_authorization(value: &str) -> Option<V3Authorization> {
    let rest = value.strip_prefix(v3::ALGORITHM)?.trim_start();
    let (mut credential, mut signed, mut sig) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => credential = Some(v.to_owned()),
            "SignedHeaders" => {
                signed = Some(
                    v.split(';')
                        .map(|h| h.trim().to_ascii_lowercase())
                        .collect(),
                )
            }
            "Signature" => sig = Some(v.to_owned()),
            _ => {}
        }
    }
    Some(V3Authorization {
        credential: credential?,
        signed_headers: signed?,
        signature: sig?,
    })
}

fn check_v3(req: &Incoming<'_>, auth: &V3Authorization, secret: &str) -> Result<(), ApiError> {
    let payload = v3::hashed_payload(req.body);
    if req.header("x-acs-content-sha256") != Some(payload.as_str()) {
        return Err(ApiError::new(
            400,
            "SignatureDoesNotMatch",
            "The x-acs-content-sha256 header does not match the SHA-256 of the body.",
        ));
    }
    for required in ["host", "x-acs-date", "x-acs-signature-nonce"] {
        if !auth.signed_headers.iter().any(|h| h == required) {
            return Err(ApiError::new(
                400,
                "IncompleteSignature",
                format!("The header {required} must be signed."),
            ));
        }
    }
    let mut headers: Vec<(&str, &str)> = Vec::new();
    for name in &auth.signed_headers {
        let before = headers.len();
        headers.extend(
            req.headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(n, v)| (*n, *v)),
        );
        if headers.len() == before {
            return Err(ApiError::new(
                400,
                "IncompleteSignature",
                format!("The signed header {name} is not in the request."),
            ));
        }
    }
    let mut query = Vec::new();
    decode_pairs(req.query, &mut query)?;
    let query: Vec<(&str, &str)> = query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let method = if req.method.eq_ignore_ascii_case("GET") {
        Method::Get
    } else {
        Method::Post
    };
    let (canonical, _) = v3::canonical_request(method.as_str(), &query, &headers, req.body);
    let sts = v3::string_to_sign(&canonical);
    if constant_time_eq(
        v3::signature(secret, &sts).as_bytes(),
        auth.signature.as_bytes(),
    ) {
        Ok(())
    } else {
        Err(signature_mismatch(&sts))
    }
}

/// A best-effort look at `Format` in a query that failed to decode, so the
/// error comes back in the format the caller reads.
fn format_hint(query: &str) -> Option<&str> {
    query.split('&').find_map(|p| p.strip_prefix("Format="))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks the operation's own params: every required one present, every
/// value typed as the spec says.
pub fn check_operation_params(
    product: &Product,
    operation: &Operation,
    params: &Params,
) -> Result<(), ApiError> {
    for p in &operation.params {
        check_param(product, p, params)?;
    }
    Ok(())
}

fn check_param(product: &Product, p: &ParamSpec, params: &Params) -> Result<(), ApiError> {
    let present = match p.style {
        WireStyle::Plain | WireStyle::Json => params.get(&p.name).is_some_and(|v| !v.is_empty()),
        WireStyle::RepeatList | WireStyle::Flat => params.has_tree(&p.name),
    };
    if !present {
        return if p.required {
            Err(ApiError::missing_param(&p.name))
        } else {
            Ok(())
        };
    }
    match p.style {
        WireStyle::Json => {
            let text = params.get(&p.name).unwrap_or_default();
            serde_json::from_str::<serde_json::Value>(text)
                .map(|_| ())
                .map_err(|_| ApiError::invalid_param(&p.name, "it must be a JSON document"))
        }
        _ => check_tree(product, &p.name, &p.ty, params, 0),
    }
}

fn check_tree(
    product: &Product,
    path: &str,
    ty: &TypeDesc,
    params: &Params,
    depth: usize,
) -> Result<(), ApiError> {
    if depth > 8 {
        return Ok(());
    }
    match ty {
        TypeDesc::String | TypeDesc::Any => Ok(()),
        TypeDesc::Integer | TypeDesc::Boolean | TypeDesc::Float => match params.get(path) {
            Some(v) => check_scalar(path, ty, v),
            None => Ok(()),
        },
        TypeDesc::Array(inner) => {
            for seg in params.children(path) {
                let ok = seg.parse::<usize>().is_ok_and(|i| i >= 1) && !seg.starts_with('0');
                if !ok {
                    return Err(ApiError::invalid_param(
                        &format!("{path}.{seg}"),
                        "list items are numbered from 1",
                    ));
                }
                check_tree(product, &format!("{path}.{seg}"), inner, params, depth + 1)?;
            }
            Ok(())
        }
        TypeDesc::Map(inner) => {
            for seg in params.children(path) {
                check_tree(product, &format!("{path}.{seg}"), inner, params, depth + 1)?;
            }
            Ok(())
        }
        TypeDesc::Object(shape) => {
            for f in product.shape(shape).unwrap_or_default() {
                let sub = format!("{path}.{}", f.name);
                if f.required && !params.has_tree(&sub) {
                    return Err(ApiError::missing_param(&sub));
                }
                check_tree(product, &sub, &f.ty, params, depth + 1)?;
            }
            Ok(())
        }
    }
}

fn check_scalar(name: &str, ty: &TypeDesc, value: &str) -> Result<(), ApiError> {
    let ok = match ty {
        TypeDesc::Integer => value.parse::<i64>().is_ok(),
        TypeDesc::Boolean => {
            value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false")
        }
        TypeDesc::Float => value.parse::<f64>().is_ok_and(f64::is_finite),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        let what = match ty {
            TypeDesc::Integer => "it must be an integer",
            TypeDesc::Boolean => "it must be true or false",
            _ => "it must be a number",
        };
        Err(ApiError::invalid_param(name, what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_memory_forgets_after_the_window() {
        let mut store = NonceStore::with_capacity(10);
        assert!(store.use_nonce("k", "a", 1000, 1000));
        assert!(!store.use_nonce("k", "a", 1000, 1001));
        assert!(store.use_nonce("other", "a", 1000, 1001));
        store.purge(1000 + TIMESTAMP_WINDOW_SECS);
        assert_eq!(
            store.len(),
            2,
            "kept while a replay could still pass the timestamp check"
        );
        store.purge(1002 + TIMESTAMP_WINDOW_SECS);
        assert!(store.is_empty());
        for i in 0..25 {
            store.use_nonce("k", &i.to_string(), 5000, 5000);
        }
        assert_eq!(store.len(), 10);
    }

    #[test]
    fn params_helpers() {
        let p = Params::from_pairs(vec![
            ("Tag.2.Key".into(), "b".into()),
            ("Tag.1.Key".into(), "a".into()),
            ("Tag.1.Value".into(), "x".into()),
            ("Id.1".into(), "i1".into()),
            ("Id.10".into(), "i10".into()),
            ("Id.2".into(), "i2".into()),
        ]);
        assert_eq!(p.list("Id"), ["i1", "i2", "i10"]);
        let tags = p.object_list("Tag");
        assert_eq!(tags[0]["Key"], "a");
        assert_eq!(tags[0]["Value"], "x");
        assert_eq!(tags[1]["Key"], "b");
        assert!(p.has_tree("Tag"));
        assert!(!p.has_tree("Ta"));
    }
}
