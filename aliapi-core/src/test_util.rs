//! Test doubles for your own code's tests (feature `test-util`): a
//! [`Client`] that answers from rules instead of the network, and records
//! every request it is sent.
//!
//! Only the transport is replaced. A call through the double writes its
//! params, signs and decodes exactly as a real call does, so a test of your
//! code exercises the real request and response types: a required param
//! left out fails before anything is "sent", and a rule's answer is turned
//! into JSON and decoded by the same code that decodes the service's.
//!
//! Rules are per operation type, tried in the order they were added; the
//! first whose condition holds answers. A call that matches no rule fails
//! with an [`Error::Config`](crate::Error::Config) naming the operation and the rules there are.
//!
//! ```
//! use aliapi_core::test_util::{Failure, MockClient};
//! use aliapi_core::{Client, Error, rpc_action};
//! # use serde::{Deserialize, Serialize};
//!
//! #[rpc_action(product = "Cdn", version = "2018-05-10")]
//! #[derive(Debug, Clone)]
//! pub struct StopCdnDomain {
//!     pub domain_name: String,
//! }
//! #[derive(Debug, Default, Deserialize, Serialize)]
//! #[serde(default, rename_all = "PascalCase")]
//! pub struct StopCdnDomainResponse {
//!     pub request_id: Option<String>,
//! }
//!
//! /// The code under test: stops every domain it is given, skipping the
//! /// ones that are gone.
//! async fn stop_all(client: &Client, domains: &[&str]) -> Result<usize, Error> {
//!     let mut stopped = 0;
//!     for d in domains {
//!         match client.send(&StopCdnDomain::new(*d)).await {
//!             Ok(_) => stopped += 1,
//!             Err(e) if e.is("InvalidDomain.NotFound") => {}
//!             Err(e) => return Err(e),
//!         }
//!     }
//!     Ok(stopped)
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let mock = MockClient::new();
//! mock.on::<StopCdnDomain>()
//!     .matching(|req| req.domain_name == "gone.example.com")
//!     .fail(Failure::new(404, "InvalidDomain.NotFound", "The domain does not exist."));
//! mock.on::<StopCdnDomain>().respond(StopCdnDomainResponse {
//!     request_id: Some("R-1".into()),
//! });
//!
//! let stopped = stop_all(&mock.client(), &["a.example.com", "gone.example.com"]).await?;
//! assert_eq!(stopped, 1);
//! let sent = mock.requests_of::<StopCdnDomain>();
//! assert_eq!(sent.len(), 2);
//! assert_eq!(mock.requests()[0].param("DomainName"), Some("a.example.com"));
//! # Ok::<(), Error>(()) }).unwrap();
//! ```

use std::any::{Any, TypeId};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::Serialize;

use crate::action::RpcAction;
use crate::client::{Client, ClientBuilder};
use crate::credentials::Credentials;
use crate::retry::RetryConfig;
use crate::transport::mock::{Canned, MockTransport, Record, Rule, WhenFn};

/// A test double of the service: rules that answer, and the record of what
/// was asked. Cheap to clone; clones share rules and record.
#[derive(Clone, Default)]
pub struct MockClient {
    transport: Arc<MockTransport>,
}

impl fmt::Debug for MockClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.transport.fmt(f)
    }
}

/// A service error for a rule to answer with.
#[derive(Debug, Clone)]
pub struct Failure {
    status: u16,
    code: String,
    message: String,
}

impl Failure {
    /// An error answer with HTTP `status`, error `code` and `message`.
    pub fn new(status: u16, code: impl AsRef<str>, message: impl Into<String>) -> Self {
        Failure {
            status,
            code: code.as_ref().to_owned(),
            message: message.into(),
        }
    }

    fn canned(&self) -> Canned {
        Canned {
            status: self.status,
            body: serde_json::json!({
                "RequestId": "mock-request-id",
                "HostId": "mock.aliyuncs.com",
                "Code": self.code,
                "Message": self.message,
            })
            .to_string(),
        }
    }
}

/// Builds one rule for operation `A`; see [`MockClient::on`].
#[must_use = "a rule is added by respond, fail or answer"]
pub struct RuleFor<'m, A> {
    mock: &'m MockClient,
    when: Option<WhenFn>,
    _op: PhantomData<fn(&A)>,
}

impl<A: RpcAction + Clone> RuleFor<'_, A> {
    /// Applies the rule only to requests for which `condition` holds.
    pub fn matching(mut self, condition: impl Fn(&A) -> bool + Send + Sync + 'static) -> Self {
        self.when = Some(Box::new(move |any| {
            any.downcast_ref::<A>().is_some_and(&condition)
        }));
        self
    }

    /// Answers with `response`, every time.
    pub fn respond(self, response: A::Response)
    where
        A::Response: Serialize,
    {
        self.respond_json(
            serde_json::to_string(&response).expect("a response type serializes to JSON"),
        );
    }

    /// Answers with `body`, a JSON answer as the service would write it,
    /// every time: for a response type that is not `Serialize`, or an
    /// answer spelled as the service spells it (numbers as strings, a list
    /// of one written bare), which is decoded as the service's would be.
    pub fn respond_json(self, body: impl Into<String>) {
        let body = body.into();
        self.add(Box::new(move |_| Canned {
            status: 200,
            body: body.clone(),
        }));
    }

    /// Answers with a service error, every time.
    pub fn fail(self, failure: Failure) {
        self.add(Box::new(move |_| failure.canned()));
    }

    /// Answers with what `answer` makes of the typed request.
    pub fn answer(self, answer: impl Fn(&A) -> Result<A::Response, Failure> + Send + Sync + 'static)
    where
        A::Response: Serialize,
    {
        self.add(Box::new(move |any| {
            let request = any.downcast_ref::<A>().expect("rules are matched by type");
            match answer(request) {
                Ok(response) => Canned {
                    status: 200,
                    body: serde_json::to_string(&response)
                        .expect("a response type serializes to JSON"),
                },
                Err(failure) => failure.canned(),
            }
        }));
    }

    fn add(self, answer: crate::transport::mock::AnswerFn) {
        fn copy<A: Clone + Send + Sync + 'static>(
            any: &(dyn Any + Send + Sync),
        ) -> Arc<dyn Any + Send + Sync> {
            Arc::new(
                any.downcast_ref::<A>()
                    .expect("rules are matched by type")
                    .clone(),
            )
        }
        self.mock
            .transport
            .rules
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Rule {
                product: A::PRODUCT,
                action: A::ACTION,
                type_id: TypeId::of::<A>(),
                when: self.when,
                answer,
                clone: copy::<A>,
            });
    }
}

/// One request the double received: what went on the wire, decoded, and
/// the typed request when a rule answered it.
#[derive(Clone)]
pub struct RecordedRequest(Record);

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("product", &self.0.product)
            .field("action", &self.0.action)
            .field("method", &self.0.method)
            .field("params", &self.0.params)
            .finish_non_exhaustive()
    }
}

impl RecordedRequest {
    /// The product code, e.g. `Cdn`.
    pub fn product(&self) -> &str {
        &self.0.product
    }

    /// The action, e.g. `DescribeUserDomains`.
    pub fn action(&self) -> &str {
        &self.0.action
    }

    /// `GET` or `POST`.
    pub fn method(&self) -> &str {
        self.0.method
    }

    /// Every param sent, query and form body, decoded, common params
    /// (`AccessKeyId`, `Signature`, …) included.
    pub fn params(&self) -> &[(String, String)] {
        &self.0.params
    }

    /// The value of param `name` (a wire name such as `Tag.1.Key`).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.0
            .params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of header `name` (lower case), e.g. `x-acs-action` for V3.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.0
            .headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The typed request, when it was an `A` that a rule answered.
    pub fn request<A: RpcAction>(&self) -> Option<&A> {
        self.0.typed.as_deref()?.downcast_ref::<A>()
    }
}

impl MockClient {
    /// A double with no rules.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a rule for operation `A`.
    pub fn on<A: RpcAction + Clone>(&self) -> RuleFor<'_, A> {
        RuleFor {
            mock: self,
            when: None,
            _op: PhantomData,
        }
    }

    /// A client that sends through this double, with placeholder keys and
    /// no retries.
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("a client over a test double builds")
    }

    /// A builder preset to send through this double (placeholder keys, no
    /// retries), for settings of your own: a retry policy, V3 signing, XML.
    pub fn client_builder(&self) -> ClientBuilder {
        let mut builder = Client::builder()
            .credentials(Credentials::new("mock-key-id", "mock-key-secret"))
            .retry(RetryConfig::disabled());
        builder.mock = Some(self.transport.clone());
        builder
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.transport
            .records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .map(RecordedRequest)
            .collect()
    }

    /// The typed requests of operation `A` that a rule answered, in order.
    pub fn requests_of<A: RpcAction + Clone>(&self) -> Vec<A> {
        self.requests()
            .iter()
            .filter_map(|r| r.request::<A>().cloned())
            .collect()
    }

    /// Forgets what was received (the rules stay).
    pub fn clear_requests(&self) {
        self.transport
            .records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}
