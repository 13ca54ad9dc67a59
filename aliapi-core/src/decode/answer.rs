//! An answer as the transport read it, turned into a [`RawResponse`] or an
//! [`Error`]: error bodies into [`ServiceError`]s (with the signature
//! diagnosis), redirects into [`Error::Redirect`], everything shown with the
//! attempt's secrets redacted.

use std::time::{Duration, SystemTime};

use super::{RawResponse, body_start, parse_tree, service_error};
use crate::error::{Error, ServiceError, SignatureDiagnosis};
use crate::redact::redact;
use crate::sign::SignedRequest;
use crate::transport::HttpResponse;

/// What a failed answer tells the retry loop besides its error.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Hints {
    /// The server's clock (`Date`), to correct a skewed local clock.
    pub(crate) server_date: Option<SystemTime>,
    /// How long the server asked to wait before another attempt.
    pub(crate) retry_after: Option<Duration>,
}

/// Reads one answer. `xml` says the call asked for XML; `signed` is the
/// attempt as sent, for the signature diagnosis; `secrets` makes the
/// attempt's token, signature and secret, never to be shown (called only
/// when an answer is not a success).
pub(crate) fn read_answer(
    response: HttpResponse,
    xml: bool,
    signed: &SignedRequest,
    secrets: impl FnOnce() -> Vec<String>,
) -> Result<RawResponse, (Error, Hints)> {
    let hints = Hints {
        server_date: response.date,
        retry_after: response.retry_after,
    };
    let xml = xml || response.xml;
    let status = response.status;
    if (200..300).contains(&status) {
        return Ok(RawResponse {
            status,
            body: response.body,
            xml,
        });
    }
    let owned = secrets();
    let secrets: Vec<&str> = owned.iter().map(String::as_str).collect();
    let secrets = secrets.as_slice();
    if (300..400).contains(&status) {
        // Redacted of the attempt's secrets, and of any password the
        // location's user info carries.
        let location = response
            .location
            .as_deref()
            .map(|l| crate::redact::without_password(&redact(l, secrets)).into_owned());
        return Err((
            Error::Redirect {
                status,
                location,
                attempts: 1,
            },
            hints,
        ));
    }
    Err((
        error_answer(status, &response.body, xml, signed, secrets),
        hints,
    ))
}

/// Classifies an answer with an error status.
fn error_answer(
    status: u16,
    body: &[u8],
    xml: bool,
    signed: &SignedRequest,
    secrets: &[&str],
) -> Error {
    let decode_error = |reason: String| Error::Decode {
        status,
        reason,
        body_start: body_start(body, secrets),
        attempts: 1,
    };
    let tree = match parse_tree(body, xml) {
        Ok(tree) => tree,
        Err(reason) => return decode_error(reason),
    };
    let Some(mut service) = service_error(status, &tree) else {
        return decode_error("an error status without an error code".into());
    };
    // Every text of the answer is shown: the code and the ids too, which a
    // hostile or broken server can fill with whatever it was sent.
    for text in [
        Some(&mut service.code),
        Some(&mut service.message),
        service.request_id.as_mut(),
        service.host_id.as_mut(),
        service.access_denied_detail.as_mut(),
        service.recommend.as_mut(),
    ]
    .into_iter()
    .flatten()
    {
        if let std::borrow::Cow::Owned(clean) = redact(text, secrets) {
            *text = clean;
        }
    }
    if matches!(
        service.code.as_str(),
        "SignatureDoesNotMatch" | "IncompleteSignature"
    ) {
        let ours = signed.string_to_sign();
        service.signature = Some(diagnose_signature(&service, &ours, secrets));
    }
    Error::Service(Box::new(service))
}

/// Compares the server's string to sign (quoted at the end of its message)
/// with ours.
fn diagnose_signature(service: &ServiceError, ours: &str, secrets: &[&str]) -> SignatureDiagnosis {
    const MARKER: &str = "server string to sign is:";
    let Some(at) = service.message.find(MARKER) else {
        return SignatureDiagnosis::Unknown;
    };
    // The message was redacted already; compare like with like.
    let theirs = service.message[at + MARKER.len()..].trim();
    let ours = redact(ours, secrets).into_owned();
    if theirs == ours {
        return SignatureDiagnosis::WrongSecret;
    }
    let first_difference = theirs
        .bytes()
        .zip(ours.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(theirs.len().min(ours.len()));
    SignatureDiagnosis::StringToSignDiffers {
        client: ours,
        server: theirs.to_owned(),
        first_difference,
    }
}
