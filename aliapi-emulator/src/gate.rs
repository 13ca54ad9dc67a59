//! The gate: decides, as the service's gateway would, whether a request may
//! reach an operation, by composing the checks in the order the service
//! makes them (params, product and action, key, signature scheme,
//! timestamp, nonce, signature, then the operation's own params).
//!
//! Everything here runs without a lock but one: the nonce memory, held only
//! to record a nonce. Parsing, key lookup and signature checks of one
//! request never make another wait.

use std::borrow::Cow;
use std::sync::{Mutex, MutexGuard, PoisonError};

use aliapi_spec::Operation;
use aliapi_wire::v3::ALGORITHM;

use crate::catalogue::official;
use crate::incoming::{Incoming, Method};
use crate::keys::KeyRing;
use crate::nonce::{NonceStore, check_nonce_length};
use crate::operation_params::check_operation_params;
use crate::params::Params;
use crate::product::{Registry, Route};
use crate::refusal::gateway;
use crate::reply::{ApiError, Format};
use crate::signature::{self, v3::Authorization};
use crate::timestamp::check_timestamp;

/// A request that passed every check.
#[derive(Debug)]
pub(crate) struct Accepted<'r> {
    /// The index of its product in the registry.
    pub(crate) product: usize,
    /// The operation it calls.
    pub(crate) operation: &'r Operation,
    /// Its decoded params.
    pub(crate) params: Params,
    /// The answer format it asked for.
    pub(crate) format: Format,
}

/// A refused request: the error, and what is known for rendering it.
#[derive(Debug, Clone)]
pub(crate) struct Rejection {
    /// Why it was refused.
    pub(crate) error: ApiError,
    /// The answer format it asked for.
    pub(crate) format: Format,
    /// The index of its product in the registry, when known.
    pub(crate) product: Option<usize>,
}

/// The gateway: the accepted keys and the nonce memory.
#[derive(Debug)]
pub(crate) struct Gate {
    keys: KeyRing,
    nonces: Mutex<NonceStore>,
}

/// The refusal for a `Version` (or endpoint) no registered product answers.
/// The service answers a version its endpoint does not know, or a call to
/// one product's endpoint with another's version, with exactly this.
fn invalid_version() -> ApiError {
    gateway::INVALID_VERSION.error()
}

/// A best-effort look at `Format` in a query that failed to decode, so the
/// error comes back in the format the caller reads.
fn format_hint(query: &str) -> Option<&str> {
    query.split('&').find_map(|p| p.strip_prefix("Format="))
}

impl Gate {
    /// A gate accepting `keys` and remembering nonces in `nonces`.
    pub(crate) fn new(keys: KeyRing, nonces: NonceStore) -> Gate {
        Gate {
            keys,
            nonces: Mutex::new(nonces),
        }
    }

    pub(crate) fn nonces(&self) -> MutexGuard<'_, NonceStore> {
        // The store is consistent between statements, so a panic elsewhere
        // while it was held leaves nothing half done.
        self.nonces.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Judges `req` at `now` (seconds since the epoch), finding its product
    /// in `registry`.
    ///
    /// Both signature schemes are understood: v1 (`Signature` param,
    /// HMAC-SHA1) and V3 (`Authorization: ACS3-HMAC-SHA256 …` header, with
    /// the action, version, date and nonce in `x-acs-*` headers).
    pub(crate) fn judge<'r>(
        &self,
        req: &Incoming<'_>,
        now: i64,
        registry: &'r Registry,
    ) -> Result<Accepted<'r>, Rejection> {
        let authorization = req.header("authorization");
        let v3_auth = authorization
            .as_deref()
            .filter(|a| a.starts_with(ALGORITHM));
        let params = Params::parse(req).map_err(|error| Rejection {
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
        let reject = |error: ApiError, product: Option<usize>| Rejection {
            error,
            format,
            product,
        };

        // Where each common value comes from depends on the scheme.
        let v3 = match v3_auth {
            Some(auth) => Some(
                Authorization::parse(auth)
                    .ok_or_else(|| reject(gateway::MALFORMED_AUTHORIZATION.error(), None))?,
            ),
            None => None,
        };
        let common =
            |param: &str, header: &str| common_value(req, &params, v3.is_some(), param, header);

        let Some(action) = common("Action", "x-acs-action") else {
            return Err(reject(gateway::MISSING_ACTION.error(), None));
        };
        let Some(version) = common("Version", "x-acs-version") else {
            return Err(reject(gateway::MISSING_VERSION.error(), None));
        };
        let index = match registry.route(req.header("host").as_deref(), &version) {
            Route::Found(i) => i,
            Route::WrongVersion(i) => return Err(reject(invalid_version(), Some(i))),
            Route::Unknown => return Err(reject(invalid_version(), None)),
        };
        let some = Some(index);
        let product = registry.get(index);
        let Some(operation) = product.spec().operation(&action) else {
            return Err(reject(gateway::ACTION_NOT_FOUND.error(), some));
        };

        let Some(method) = Method::parse(req.method) else {
            return Err(reject(
                gateway::METHOD_UNSUPPORTED.with(&[req.method]),
                some,
            ));
        };

        let key_id = match &v3 {
            Some(auth) => Some(Cow::Borrowed(auth.credential.as_str())),
            None => common("AccessKeyId", ""),
        };
        let Some(key_id) = key_id.filter(|k| !k.is_empty()) else {
            return Err(reject(gateway::MISSING_ACCESS_KEY_ID.error(), some));
        };
        let Some(key) = self.keys.get(&key_id) else {
            return Err(reject(gateway::ACCESS_KEY_NOT_FOUND.error(), some));
        };
        if let Some(expected) = &key.token {
            match common("SecurityToken", "x-acs-security-token") {
                None => {
                    return Err(reject(gateway::MISSING_SECURITY_TOKEN.error(), some));
                }
                Some(token)
                    if signature::constant_time_eq(token.as_bytes(), expected.as_bytes()) => {}
                Some(_) => {
                    return Err(reject(gateway::SECURITY_TOKEN_MISMATCH.error(), some));
                }
            }
        }

        if v3.is_none() {
            check_v1_scheme(&params).map_err(|e| reject(e, some))?;
        }

        let Some(ts_text) = common("Timestamp", "x-acs-date") else {
            return Err(reject(gateway::MISSING_TIMESTAMP.error(), some));
        };
        let ts = check_timestamp(&ts_text, now).map_err(|e| reject(e, some))?;
        let Some(nonce) = common("SignatureNonce", "x-acs-signature-nonce") else {
            return Err(reject(gateway::MISSING_SIGNATURE_NONCE.error(), some));
        };
        let nonce_name = if v3.is_some() {
            "x-acs-signature-nonce"
        } else {
            "SignatureNonce"
        };
        check_nonce_length(nonce_name, &nonce).map_err(|e| reject(e, some))?;

        let checked = match &v3 {
            Some(auth) => signature::v3::check(req, &params, auth, &key.secret),
            None => signature::v1::check(method, &params, &key.secret),
        };
        checked.map_err(|e| reject(e, some))?;

        // Only a correctly signed request uses up its nonce, so a forged
        // request cannot burn someone else's.
        if !self.nonces().use_nonce(&key_id, &nonce, ts, now) {
            return Err(reject(gateway::NONCE_USED.error(), some));
        }

        // The operation's own refusals are answered as its product's
        // catalogue documents them.
        check_operation_params(product.spec(), operation, &params)
            .map_err(|e| reject(official(product.spec(), &operation.name, e), some))?;

        Ok(Accepted {
            product: index,
            operation,
            params,
            format,
        })
    }
}

/// A common value, from its `x-acs-*` header for a V3 request (falling
/// back to the param), from the param otherwise; an empty value is absent.
fn common_value<'p>(
    req: &Incoming<'p>,
    params: &'p Params,
    v3: bool,
    param: &str,
    header: &str,
) -> Option<Cow<'p, str>> {
    let from_param = || params.get(param).map(Cow::Borrowed);
    let v = if v3 {
        req.header(header).or_else(from_param)
    } else {
        from_param()
    };
    v.filter(|v| !v.is_empty())
}

/// The v1 scheme's own common params: `SignatureMethod=HMAC-SHA1` and
/// `SignatureVersion=1.0`.
fn check_v1_scheme(params: &Params) -> Result<(), ApiError> {
    match params.get("SignatureMethod") {
        None | Some("") => return Err(gateway::MISSING_SIGNATURE_METHOD.error()),
        Some("HMAC-SHA1") => {}
        Some(other) => return Err(gateway::SIGNATURE_METHOD_UNSUPPORTED.with(&[other])),
    }
    match params.get("SignatureVersion") {
        None | Some("") => Err(gateway::MISSING_SIGNATURE_VERSION.error()),
        Some("1.0") => Ok(()),
        Some(other) => Err(gateway::SIGNATURE_VERSION_UNSUPPORTED.with(&[other])),
    }
}
