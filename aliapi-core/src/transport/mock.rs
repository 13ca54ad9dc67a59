//! The transport of the test doubles: answers a signed request from the
//! first matching rule instead of the network, and records it. The rules
//! and the records are built by [`crate::test_util`]; this half only knows
//! how to match and answer.

use std::any::{Any, TypeId};
use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use super::{HttpRequest, HttpResponse};
use crate::action::Call;
use crate::error::Error;

/// What a rule answers: a status and a JSON body.
pub(crate) struct Canned {
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// Answers a typed request; gets it as `Any`, downcast by whoever made it.
pub(crate) type AnswerFn = Box<dyn Fn(&(dyn Any + Send + Sync)) -> Canned + Send + Sync>;
/// Whether a rule applies to a typed request.
pub(crate) type WhenFn = Box<dyn Fn(&(dyn Any + Send + Sync)) -> bool + Send + Sync>;
/// Copies a typed request for the record.
pub(crate) type CloneFn = fn(&(dyn Any + Send + Sync)) -> Arc<dyn Any + Send + Sync>;

/// One rule: an operation type, an optional condition, an answer.
pub(crate) struct Rule {
    pub(crate) product: &'static str,
    pub(crate) action: &'static str,
    pub(crate) type_id: TypeId,
    pub(crate) when: Option<WhenFn>,
    pub(crate) answer: AnswerFn,
    pub(crate) clone: CloneFn,
}

/// One request as the test double received it.
#[derive(Clone)]
pub(crate) struct Record {
    pub(crate) product: String,
    pub(crate) action: String,
    pub(crate) method: &'static str,
    /// Query and form body, decoded, in wire order.
    pub(crate) params: Vec<(String, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) typed: Option<Arc<dyn Any + Send + Sync>>,
}

/// The rules and what was received.
#[derive(Default)]
pub(crate) struct MockTransport {
    pub(crate) rules: Mutex<Vec<Rule>>,
    pub(crate) records: Mutex<Vec<Record>>,
}

impl fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        f.debug_struct("MockClient")
            .field(
                "rules",
                &rules
                    .iter()
                    .map(|r| format!("{} {}", r.product, r.action))
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl MockTransport {
    /// Answers `request` by the first rule for `call`'s operation type whose
    /// condition holds, and records it either way.
    pub(crate) fn answer(
        &self,
        request: HttpRequest<'_>,
        call: &Call<'_>,
    ) -> Result<HttpResponse, Error> {
        let rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let typed = call.typed;
        let rule = typed.and_then(|t| {
            let id = (*t).type_id();
            rules
                .iter()
                .find(|r| r.type_id == id && r.when.as_ref().is_none_or(|when| when(t)))
        });
        let record = Record {
            product: call.product.to_owned(),
            action: call.action.to_owned(),
            method: call.method.as_str(),
            params: wire_params(&request),
            headers: request.headers.to_vec(),
            typed: match (rule, typed) {
                (Some(r), Some(t)) => Some((r.clone)(t)),
                _ => None,
            },
        };
        self.records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(record);
        let Some(rule) = rule else {
            let known: Vec<String> = rules
                .iter()
                .map(|r| format!("{} {}", r.product, r.action))
                .collect();
            return Err(Error::Config(format!(
                "the test double has no rule for {} {}{}; its rules are for: {}",
                call.product,
                call.action,
                if typed.is_none() {
                    " (a generic request, which no rule matches)"
                } else {
                    ""
                },
                if known.is_empty() {
                    "nothing yet".to_owned()
                } else {
                    known.join(", ")
                },
            )));
        };
        let canned = (rule.answer)(typed.expect("a rule matched a typed request"));
        Ok(HttpResponse {
            status: canned.status,
            xml: false,
            date: None,
            retry_after: None,
            location: None,
            body: Bytes::from(canned.body),
        })
    }
}

/// The params of the request as a server would decode them.
fn wire_params(request: &HttpRequest<'_>) -> Vec<(String, String)> {
    let query = request.url.split_once('?').map_or("", |(_, q)| q);
    let body = request.body.as_deref().unwrap_or("");
    [query, body]
        .into_iter()
        .flat_map(|text| text.split('&'))
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| aliapi_wire::encode::percent_decode(s, true).unwrap_or_default();
            (decode(n), decode(v))
        })
        .collect()
}
