//! The data-driven tests of the product crates, written once.
//!
//! A product crate's registry (`__registry::visit`, behind its hidden
//! `__registry` feature) names every operation's request type. Its
//! `tests/operations.rs` turns each into an [`Operation`]: monomorphized
//! function pointers that build the request from JSON keyed by wire names,
//! write its params, send it through an `aliapi_core::Client`, decode an
//! answer, and walk its paginator. The checks below then drive every
//! operation against what the merged spec of `aliapi-spec` says, reading the
//! spec at run time and never the generated code:
//!
//! - [`check_registry`]: the registry lists every operation of the spec, in order;
//! - [`check_constants`]: each names its product, version, action, method,
//!   endpoints and paging style;
//! - [`check_params`]: with every param set (spaces, `+`, `&`, `=`,
//!   non-ASCII in every string), each param is written under its wire name,
//!   in its place, flattened in its style, and nothing else is;
//! - [`check_round_trip`]: each goes through the client to a loopback server
//!   that checks the method, the common params, every param and its place,
//!   and the v1 signature;
//! - [`check_answers`]: each answer type decodes a full body, in JSON and in
//!   XML, with lists of two and of one, JSON text as text or as a value,
//!   alternative keys, without losing a field; and an empty body;
//! - [`check_paging`]: each paginator reads the page facts and the items,
//!   points a request at another page, and walks three pages.
//!
//! Every check runs all operations and reports every failure at once.

mod sample;
mod server;
pub mod xml;

use std::future::Future;
use std::pin::Pin;

use aliapi_core::paginate::{PageInfo, PageStyle, Paginated};
use aliapi_core::{
    Client, Credentials, EndpointRule, Format, Method, ParamWriter, RetryConfig, RpcAction,
};
use aliapi_spec::{Location, Pagination, Spec, Type};
use futures_util::TryStreamExt;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use sample::{Answer, RequestSample, Spelling};
pub use server::{At, Canned, KEY_ID, SECRET, Seen, Server};

type Fut<T> = Pin<Box<dyn Future<Output = T>>>;

/// What a paginator reads of one answer: the page facts and the items.
pub type PageRead = Result<(PageInfo, Vec<Value>), String>;

/// What two walks of every page give: how many pages, how many items.
pub type Walked = Result<(usize, usize), String>;

/// A param as written by `write_params`: decoded name, decoded value, location.
pub type Written = (String, String, aliapi_core::Location);

/// One operation of a product crate, as function pointers over its types.
pub struct Operation {
    pub action: &'static str,
    pub product: &'static str,
    pub version: &'static str,
    pub method: Method,
    pub endpoint: EndpointRule,
    /// Builds the request from JSON and writes its params.
    pub write: fn(&Value) -> Result<Vec<Written>, String>,
    /// Builds the request from JSON and sends it, answer undecoded.
    pub send_raw: fn(Client, Value) -> Fut<Result<aliapi_core::RawResponse, String>>,
    /// Builds the request from JSON, sends it, and serializes the typed answer.
    pub send: fn(Client, Value) -> Fut<Result<Value, String>>,
    pub pager: Option<Pager>,
}

/// The paginator of a paged operation.
pub struct Pager {
    pub style: PageStyle,
    /// Sends the request and reads the page facts and the items of the answer.
    pub read: fn(Client, Value) -> Fut<PageRead>,
    /// Points the request at page 7 (or token `tok-3`) and writes its params.
    pub point: fn(&Value) -> Result<Pointed, String>,
    /// Walks every page twice, with `pages` and with `items`: how many
    /// pages, then how many items.
    pub walk: fn(Client, Value) -> Fut<Walked>,
}

/// A request pointed at another page.
pub struct Pointed {
    pub params: Vec<Written>,
    pub requested_page: Option<i64>,
    pub requested_page_size: Option<i64>,
}

fn build<A: DeserializeOwned>(json: &Value) -> Result<A, String> {
    serde_json::from_value(json.clone())
        .map_err(|e| format!("the request does not build from {json}: {e}"))
}

fn decode(s: &str) -> Result<String, String> {
    aliapi_wire::encode::percent_decode(s, false)
        .ok_or_else(|| format!("`{s}` is not validly encoded"))
}

fn written(out: &ParamWriter) -> Result<Vec<Written>, String> {
    out.iter()
        .map(|p| Ok((decode(p.name)?, decode(p.value)?, p.location)))
        .collect()
}

fn write<A: RpcAction + DeserializeOwned>(json: &Value) -> Result<Vec<Written>, String> {
    let request: A = build(json)?;
    let mut out = ParamWriter::new();
    request
        .write_params(&mut out)
        .map_err(|e| format!("write_params: {e}"))?;
    written(&out)
}

/// The one async piece each operation compiles: the typed request built
/// and sent, its answer undecoded. What `Client::send` adds to this is the
/// decode, which [`send`] and [`read`] do as plain functions after it, so
/// that an operation costs the test binary one future instead of three.
fn send_raw<A: RpcAction + DeserializeOwned + 'static>(
    client: Client,
    json: Value,
) -> Fut<Result<aliapi_core::RawResponse, String>> {
    Box::pin(async move {
        let request: A = build(&json)?;
        client.send_raw(&request).await.map_err(|e| e.to_string())
    })
}

/// Awaits `sent`, then reads its answer with `read`: shared by every
/// operation.
fn then<T: 'static>(
    sent: Fut<Result<aliapi_core::RawResponse, String>>,
    read: fn(aliapi_core::RawResponse) -> Result<T, String>,
) -> Fut<Result<T, String>> {
    Box::pin(async move { read(sent.await?) })
}

/// What `Client::send` returns, as `send_raw` and the decode it ends with.
fn typed<A: RpcAction>(raw: aliapi_core::RawResponse) -> Result<A::Response, String> {
    raw.decode().map_err(|e: aliapi_core::Error| e.to_string())
}

fn send<A>(client: Client, json: Value) -> Fut<Result<Value, String>>
where
    A: RpcAction + DeserializeOwned + 'static,
    A::Response: Serialize,
{
    then(send_raw::<A>(client, json), |raw| {
        serde_json::to_value(typed::<A>(raw)?).map_err(|e| e.to_string())
    })
}

fn read<A>(client: Client, json: Value) -> Fut<PageRead>
where
    A: Paginated + DeserializeOwned + 'static,
    A::Item: Serialize,
{
    then(send_raw::<A>(client, json), |raw| {
        let answer = typed::<A>(raw)?;
        let info = A::page_info(&answer);
        let items = A::items(answer)
            .iter()
            .map(serde_json::to_value)
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        Ok((info, items))
    })
}

fn point<A: Paginated + DeserializeOwned>(json: &Value) -> Result<Pointed, String> {
    let mut request: A = build(json)?;
    match A::STYLE {
        PageStyle::PageNumber => request.set_page_number(7),
        PageStyle::NextToken => request.set_next_token("tok-3".to_owned()),
        other => return Err(format!("page style {other:?} has no case here yet")),
    }
    let mut out = ParamWriter::new();
    request
        .write_params(&mut out)
        .map_err(|e| format!("write_params: {e}"))?;
    Ok(Pointed {
        params: written(&out)?,
        requested_page: request.requested_page(),
        requested_page_size: request.requested_page_size(),
    })
}

fn walk<A: Paginated + DeserializeOwned + 'static>(client: Client, json: Value) -> Fut<Walked> {
    Box::pin(async move {
        let request: A = build(&json)?;
        let pages: Vec<A::Response> = aliapi_core::paginate::pages(&client, request.clone())
            .try_collect()
            .await
            .map_err(|e| e.to_string())?;
        let items: Vec<A::Item> = aliapi_core::paginate::items(&client, request)
            .try_collect()
            .await
            .map_err(|e| e.to_string())?;
        Ok((pages.len(), items.len()))
    })
}

impl Operation {
    /// An operation that is not paged.
    pub fn plain<A>() -> Operation
    where
        A: RpcAction + DeserializeOwned + 'static,
        A::Response: Serialize,
    {
        Operation {
            action: A::ACTION,
            product: A::PRODUCT,
            version: A::VERSION,
            method: A::METHOD,
            endpoint: A::ENDPOINT,
            write: write::<A>,
            send_raw: send_raw::<A>,
            send: send::<A>,
            pager: None,
        }
    }

    /// A paged operation.
    pub fn paged<A>() -> Operation
    where
        A: Paginated + DeserializeOwned + 'static,
        A::Response: Serialize,
        A::Item: Serialize,
    {
        Operation {
            pager: Some(Pager {
                style: A::STYLE,
                read: read::<A>,
                point: point::<A>,
                walk: walk::<A>,
            }),
            ..Operation::plain::<A>()
        }
    }
}

/// Pairs each registry entry with its spec operation, by position (the
/// registry lists them in spec order; [`check_registry`] checks that).
fn each<'s, 'o>(
    spec: &'s Spec,
    ops: &'o [Operation],
) -> impl Iterator<Item = (&'s aliapi_spec::Operation, &'o Operation)> {
    spec.operations.iter().zip(ops)
}

fn report(what: &str, total: usize, failures: Vec<String>) -> Result<(), String> {
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{what}: {} of {total} operations went wrong:\n{}",
            failures.len(),
            failures.join("\n")
        ))
    }
}

/// The registry lists every operation of the spec once, in spec order.
pub fn check_registry(spec: &Spec, ops: &[Operation]) -> Result<(), String> {
    let want: Vec<&str> = spec.operations.iter().map(|o| o.name.as_str()).collect();
    let got: Vec<&str> = ops.iter().map(|o| o.action).collect();
    if want == got {
        Ok(())
    } else {
        Err(format!("the registry lists {got:?}, the spec {want:?}"))
    }
}

/// Product, version, action, method, endpoints and paging style.
pub fn check_constants(spec: &Spec, ops: &[Operation]) -> Result<(), String> {
    let mut failures = Vec::new();
    for (s, o) in each(spec, ops) {
        let mut wrong = Vec::new();
        let method = match s.method {
            aliapi_spec::Method::Get => Method::Get,
            aliapi_spec::Method::Post => Method::Post,
        };
        for (what, got, want) in [
            ("product", o.product, spec.product.as_str()),
            ("version", o.version, spec.version.as_str()),
            ("action", o.action, s.name.as_str()),
            ("method", o.method.as_str(), method.as_str()),
            (
                "central host",
                o.endpoint.host_for(None),
                spec.endpoint.as_str(),
            ),
        ] {
            if got != want {
                wrong.push(format!("{what} {got:?}, not {want:?}"));
            }
        }
        for (region, host) in &spec.regional_endpoints {
            if o.endpoint.host_for(Some(region)) != host {
                wrong.push(format!(
                    "region {region} goes to {}, not {host}",
                    o.endpoint.host_for(Some(region))
                ));
            }
        }
        for region in ["cn-hangzhou", "cn-beijing"]
            .into_iter()
            .filter(|r| !spec.regional_endpoints.contains_key(*r))
        {
            if o.endpoint.host_for(Some(region)) != spec.endpoint {
                wrong.push(format!(
                    "region {region} goes to {}",
                    o.endpoint.host_for(Some(region))
                ));
            }
        }
        let style = match &s.pagination {
            None => None,
            Some(Pagination::Page { .. }) => Some(PageStyle::PageNumber),
            Some(Pagination::Token { .. }) => Some(PageStyle::NextToken),
        };
        if o.pager.as_ref().map(|p| p.style) != style {
            wrong.push(format!(
                "paged as {:?}, not {style:?}",
                o.pager.as_ref().map(|p| p.style)
            ));
        }
        if !wrong.is_empty() {
            failures.push(format!("{}: {}", s.name, wrong.join("; ")));
        }
    }
    report("constants", ops.len(), failures)
}

fn core_location(l: Location) -> aliapi_core::Location {
    match l {
        Location::Query => aliapi_core::Location::Query,
        Location::Body => aliapi_core::Location::Body,
    }
}

/// Every param written under its wire name, in its place and style.
pub fn check_params(spec: &Spec, ops: &[Operation]) -> Result<(), String> {
    let mut failures = Vec::new();
    for (s, o) in each(spec, ops) {
        let result = (|| -> Result<(), String> {
            let sample = sample::request(spec, s)?;
            let got = (o.write)(&sample.json)?;
            let is_json = |name: &str| sample.json_params.iter().any(|p| p.0 == name);
            let mut got_plain: Vec<Written> =
                got.iter().filter(|p| !is_json(&p.0)).cloned().collect();
            let mut got_json = Vec::new();
            for (name, value, at) in got.iter().filter(|p| is_json(&p.0)) {
                let parsed: Value = serde_json::from_str(value)
                    .map_err(|e| format!("`{name}` does not hold JSON ({e}): {value}"))?;
                got_json.push((name.clone(), parsed, *at));
            }
            let mut want_plain: Vec<Written> = sample
                .plain
                .iter()
                .map(|(n, v, l)| (n.clone(), v.clone(), core_location(*l)))
                .collect();
            let mut want_json: Vec<(String, Value, aliapi_core::Location)> = sample
                .json_params
                .iter()
                .map(|(n, v, l)| (n.clone(), v.clone(), core_location(*l)))
                .collect();
            let key = |p: &Written| (p.0.clone(), p.1.clone());
            got_plain.sort_by_key(key);
            want_plain.sort_by_key(key);
            got_json.sort_by(|a, b| a.0.cmp(&b.0));
            want_json.sort_by(|a, b| a.0.cmp(&b.0));
            let mut wrong = Vec::new();
            for p in want_plain.iter().filter(|p| !got_plain.contains(p)) {
                wrong.push(format!("missing or changed: {p:?}"));
            }
            for p in got_plain.iter().filter(|p| !want_plain.contains(p)) {
                wrong.push(format!("unexpected: {p:?}"));
            }
            if got_plain.len() != want_plain.len() {
                wrong.push(format!(
                    "{} params written, {} expected",
                    got_plain.len(),
                    want_plain.len()
                ));
            }
            if got_json != want_json {
                wrong.push(format!("JSON params {got_json:?}, not {want_json:?}"));
            }
            if wrong.is_empty() {
                Ok(())
            } else {
                Err(wrong.join("\n    "))
            }
        })();
        if let Err(e) = result {
            failures.push(format!("{}:\n    {e}", s.name));
        }
    }
    report("params", ops.len(), failures)
}

/// A client of the loopback server, signing with the test key, no retries.
pub fn client(server: &Server, format: Format) -> Client {
    Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .endpoint_url(server.url.clone())
        .retry(RetryConfig::disabled())
        .format(format)
        .build()
        .expect("a client")
}

/// The params every signed request carries besides the operation's own.
const COMMON: [&str; 9] = [
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "Signature",
];

/// Every operation through the client to the loopback server.
pub async fn check_round_trip(spec: &Spec, ops: &[Operation]) -> Result<(), String> {
    let server = Server::start().await;
    let client = client(&server, Format::Json);
    let mut failures = Vec::new();
    for (s, o) in each(spec, ops) {
        let wrong = match sample::request(spec, s) {
            Ok(sample) => {
                let result = (o.send_raw)(client.clone(), sample.json.clone()).await;
                judge(spec, s, &sample, result, server.take())
            }
            Err(e) => vec![e],
        };
        if !wrong.is_empty() {
            failures.push(format!("{}:\n    {}", s.name, wrong.join("\n    ")));
        }
    }
    report("round trip", ops.len(), failures)
}

/// Everything wrong with how one operation's request arrived.
fn judge(
    spec: &Spec,
    op: &aliapi_spec::Operation,
    sample: &RequestSample,
    result: Result<aliapi_core::RawResponse, String>,
    mut seen: Vec<Seen>,
) -> Vec<String> {
    let mut wrong = Vec::new();
    match &result {
        Ok(raw) if raw.status() == 200 && raw.request_id().as_deref() == Some(op.name.as_str()) => {
        }
        Ok(raw) => wrong.push(format!(
            "answer {} with request id {:?}",
            raw.status(),
            raw.request_id()
        )),
        Err(e) => wrong.push(format!("the call failed: {e}")),
    }
    if seen.len() != 1 {
        wrong.push(format!("the server saw {} requests, not one", seen.len()));
        return wrong;
    }
    let seen = seen.remove(0);
    if seen.method != op.method.as_str() {
        wrong.push(format!(
            "method {}, not {}",
            seen.method,
            op.method.as_str()
        ));
    }
    if let Err(e) = &seen.signature {
        wrong.push(e.clone());
    }
    let all = match &seen.params {
        Ok(all) => all.clone(),
        Err(e) => {
            wrong.push(e.clone());
            return wrong;
        }
    };
    if all.iter().any(|p| p.2 == At::Body)
        && seen.content_type.as_deref() != Some("application/x-www-form-urlencoded")
    {
        wrong.push(format!("form body sent as {:?}", seen.content_type));
    }
    let mut names: Vec<&str> = all.iter().map(|p| p.0.as_str()).collect();
    names.sort_unstable();
    for w in names.windows(2) {
        if w[0] == w[1] {
            wrong.push(format!("`{}` arrived twice", w[0]));
        }
    }
    let common = |name: &str| all.iter().find(|p| p.0 == name);
    for name in COMMON {
        match common(name) {
            Some((_, _, At::Query)) => {}
            Some(_) => wrong.push(format!("`{name}` arrived in the body")),
            None => wrong.push(format!("`{name}` is missing")),
        }
    }
    let value = |name: &str| common(name).map(|p| p.1.as_str());
    for (name, want) in [
        ("Action", op.name.as_str()),
        ("Version", spec.version.as_str()),
        ("Format", "JSON"),
        ("AccessKeyId", KEY_ID),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
    ] {
        if let Some(got) = value(name)
            && got != want
        {
            wrong.push(format!("`{name}` is {got:?}, not {want:?}"));
        }
    }
    if value("SignatureNonce").is_some_and(str::is_empty) {
        wrong.push("empty `SignatureNonce`".into());
    }
    if let Some(t) = value("Timestamp")
        && aliapi_wire::time::parse_timestamp(t).is_none()
    {
        wrong.push(format!("`Timestamp` {t:?} is not ISO 8601 UTC"));
    }
    // A GET has no body: its body params travel in the query.
    let post = op.method == aliapi_spec::Method::Post;
    let place = |l: Location| {
        if post && l == Location::Body {
            At::Body
        } else {
            At::Query
        }
    };
    let is_json = |name: &str| sample.json_params.iter().any(|p| p.0 == name);
    let own = all.iter().filter(|p| !COMMON.contains(&p.0.as_str()));
    let mut got_plain: Vec<(String, String, At)> =
        own.clone().filter(|p| !is_json(&p.0)).cloned().collect();
    let mut got_json = Vec::new();
    for (name, v, at) in own.filter(|p| is_json(&p.0)) {
        match serde_json::from_str::<Value>(v) {
            Ok(parsed) => got_json.push((name.clone(), parsed, *at)),
            Err(e) => wrong.push(format!("`{name}` is not JSON ({e}): {v}")),
        }
    }
    let mut want_plain: Vec<(String, String, At)> = sample
        .plain
        .iter()
        .map(|(n, v, l)| (n.clone(), v.clone(), place(*l)))
        .collect();
    let mut want_json: Vec<(String, Value, At)> = sample
        .json_params
        .iter()
        .map(|(n, v, l)| (n.clone(), v.clone(), place(*l)))
        .collect();
    got_plain.sort();
    want_plain.sort();
    got_json.sort_by(|a, b| a.0.cmp(&b.0));
    want_json.sort_by(|a, b| a.0.cmp(&b.0));
    for p in want_plain.iter().filter(|p| !got_plain.contains(p)) {
        wrong.push(format!("missing or changed: {p:?}"));
    }
    for p in got_plain.iter().filter(|p| !want_plain.contains(p)) {
        wrong.push(format!("unexpected: {p:?}"));
    }
    if got_json != want_json {
        wrong.push(format!("JSON params {got_json:?}, not {want_json:?}"));
    }
    wrong
}

fn json(body: &Value) -> Canned {
    Canned {
        status: 200,
        content_type: "application/json",
        body: body.to_string(),
    }
}

fn xml(op: &aliapi_spec::Operation, body: &Value) -> Canned {
    Canned {
        status: 200,
        content_type: "text/xml",
        body: xml::answer(&format!("{}Response", op.name), body),
    }
}

/// Every answer type against full bodies in JSON and XML, and an empty one.
pub async fn check_answers(spec: &Spec, ops: &[Operation]) -> Result<(), String> {
    let server = Server::start().await;
    let by_json = client(&server, Format::Json);
    let by_xml = client(&server, Format::Xml);
    let mut failures = Vec::new();
    for (s, o) in each(spec, ops) {
        let mut wrong = Vec::new();
        let request = match sample::request(spec, s) {
            Ok(r) => r.json,
            Err(e) => {
                failures.push(format!("{}: {e}", s.name));
                continue;
            }
        };
        let cases = [
            ("JSON", Spelling::SERVICE, false),
            (
                "JSON, lists of one",
                Spelling {
                    list_len: 1,
                    ..Spelling::SERVICE
                },
                false,
            ),
            (
                "JSON, text as values, other keys",
                Spelling {
                    list_len: 2,
                    text_as_string: false,
                    aliases: true,
                },
                false,
            ),
            ("XML", Spelling::SERVICE, true),
            (
                "XML, lists of one",
                Spelling {
                    list_len: 1,
                    ..Spelling::SERVICE
                },
                true,
            ),
        ];
        for (what, how, in_xml) in cases {
            let answer = match sample::answer(spec, s, how) {
                Ok(a) => a,
                Err(e) => {
                    wrong.push(format!("{what}: {e}"));
                    continue;
                }
            };
            let (canned, client) = if in_xml {
                (xml(s, &answer.wire), &by_xml)
            } else {
                (json(&answer.wire), &by_json)
            };
            server.answer([canned]);
            match (o.send)(client.clone(), request.clone()).await {
                Ok(got) if got == answer.decoded => {}
                Ok(got) => wrong.push(format!(
                    "{what}: decoded {got}\n      from {}\n      not {}",
                    answer.wire, answer.decoded
                )),
                Err(e) => wrong.push(format!("{what}: {e}\n      body {}", answer.wire)),
            }
            server.take();
        }
        server.answer([json(&Value::Object(Default::default()))]);
        match (o.send)(by_json.clone(), request.clone()).await {
            Ok(got) => match sample::empty_answer(spec, s) {
                Ok(want) if got == want => {}
                Ok(want) => wrong.push(format!("empty body: decoded {got}, not {want}")),
                Err(e) => wrong.push(e),
            },
            Err(e) => wrong.push(format!("empty body: {e}")),
        }
        server.take();
        if !wrong.is_empty() {
            failures.push(format!("{}:\n    {}", s.name, wrong.join("\n    ")));
        }
    }
    report("answers", ops.len(), failures)
}

/// A page fact of the spec's type: text when the field is a string.
fn fact(spec: &Spec, op: &aliapi_spec::Operation, path: &str, n: i64) -> Result<Value, String> {
    Ok(match sample::type_at(spec, op, path)? {
        Type::String => Value::String(n.to_string()),
        _ => Value::from(n),
    })
}

/// Every paginator: page facts and items, pointing, and a walk of three pages.
pub async fn check_paging(spec: &Spec, ops: &[Operation]) -> Result<(), String> {
    let server = Server::start().await;
    let client = client(&server, Format::Json);
    let mut failures = Vec::new();
    let mut paged = 0;
    for (s, o) in each(spec, ops) {
        let (Some(p), Some(pager)) = (&s.pagination, &o.pager) else {
            continue;
        };
        paged += 1;
        if let Err(e) = check_pager(spec, s, p, pager, &server, &client).await {
            failures.push(format!("{}:\n    {e}", s.name));
        }
    }
    report("paging", paged, failures)
}

async fn check_pager(
    spec: &Spec,
    s: &aliapi_spec::Operation,
    p: &Pagination,
    pager: &Pager,
    server: &Server,
    client: &Client,
) -> Result<(), String> {
    let (page_number, page_size, rpn, rps, next_token, rnt) = match p {
        Pagination::Page {
            page_number,
            page_size,
            response_page_number,
            response_page_size,
            ..
        } => (
            Some(page_number),
            page_size.as_ref(),
            response_page_number.as_ref(),
            response_page_size.as_ref(),
            None,
            None,
        ),
        Pagination::Token {
            next_token,
            max_results,
            response_next_token,
            ..
        } => (
            None,
            max_results.as_ref(),
            None,
            None,
            Some(next_token),
            response_next_token.as_ref(),
        ),
    };
    let total = p.total();
    let grouped = [rpn.map(String::as_str), rps.map(String::as_str), total]
        .into_iter()
        .flatten()
        .any(|path| path.contains("[]"));
    let mut wrong = Vec::new();

    // The page facts and the items of one answer.
    let mut answer = sample::answer(spec, s, Spelling::SERVICE)?;
    let mut want = PageInfo::new(0).with_items_fill_page(!grouped);
    if let Some(path) = rpn {
        answer.set(spec, s, path, fact(spec, s, path, 2)?)?;
        want.page_number = Some(2);
    }
    if let Some(path) = rps {
        answer.set(spec, s, path, fact(spec, s, path, 10)?)?;
        want.page_size = Some(10);
    }
    if let Some(path) = total {
        answer.set(spec, s, path, fact(spec, s, path, 35)?)?;
        want.total = Some(35);
    }
    if let Some(path) = rnt {
        answer.set(spec, s, path, Value::String("tok-2".into()))?;
        want.next_token = Some("tok-2".into());
    }
    let items = answer
        .decoded_at(spec, s, p.items())?
        .and_then(Value::as_array)
        .cloned()
        .ok_or("no items in the sample")?;
    want.item_count = items.len();
    let request = sample::request(spec, s)?.json;
    server.answer([json(&answer.wire)]);
    match (pager.read)(client.clone(), request.clone()).await {
        Ok((info, got)) => {
            if info != want {
                wrong.push(format!("page facts {info:?}, not {want:?}"));
            }
            if got != items {
                wrong.push(format!("items {got:?}, not {items:?}"));
            }
        }
        Err(e) => wrong.push(e),
    }
    server.take();

    // Pointing at another page.
    let pointed = (pager.point)(&request)?;
    let param = |name: &str| {
        pointed
            .params
            .iter()
            .find(|w| w.0 == name)
            .map(|w| w.1.as_str())
    };
    if let Some(name) = page_number
        && (param(name) != Some("7") || pointed.requested_page != Some(7))
    {
        wrong.push(format!(
            "pointed at page 7: `{name}` is {:?}, requested page {:?}",
            param(name),
            pointed.requested_page
        ));
    }
    if let Some(name) = next_token
        && param(name) != Some("tok-3")
    {
        wrong.push(format!(
            "pointed at token tok-3: `{name}` is {:?}",
            param(name)
        ));
    }
    if let Some(name) = page_size {
        let numeric = !matches!(
            s.params.iter().find(|q| &q.name == name).map(|q| &q.ty),
            Some(Type::String)
        );
        if numeric && pointed.requested_page_size.is_none() {
            wrong.push(format!("`{name}` is set but no page size is read"));
        }
    }

    // Three pages of one item each, linked by page number (size 1, total 3)
    // or by tokens `t1`, `t2` and then none; walked twice.
    let mut start = request.clone();
    if let Some(name) = page_number {
        start[name] = number_param(s, name, 1);
        if let Some(size) = page_size {
            start[size] = number_param(s, size, 1);
        }
    }
    if let Some(name) = next_token {
        start[name] = Value::String("tok-3".into());
    }
    let one = Spelling {
        list_len: 1,
        ..Spelling::SERVICE
    };
    let mut bodies = Vec::new();
    for k in 1..=3i64 {
        let mut body = sample::answer(spec, s, one)?;
        if let Some(path) = total {
            body.set(spec, s, path, fact(spec, s, path, 3)?)?;
        }
        if let Some(path) = rnt {
            let token = if k < 3 {
                format!("t{k}")
            } else {
                String::new()
            };
            body.set(spec, s, path, Value::String(token))?;
        }
        if let Some(path) = rpn {
            body.set(spec, s, path, fact(spec, s, path, k)?)?;
        }
        if let Some(path) = rps {
            body.set(spec, s, path, fact(spec, s, path, 1)?)?;
        }
        body.truncate_list(spec, s, p.items(), 1)?;
        bodies.push(json(&body.wire));
    }
    server.answer(bodies.iter().chain(bodies.iter()).cloned());
    match (pager.walk)(client.clone(), start).await {
        Ok((3, 3)) => {}
        Ok((pages, items)) => wrong.push(format!(
            "the walk gave {pages} pages and {items} items, not 3 and 3"
        )),
        Err(e) => wrong.push(format!("the walk failed: {e}")),
    }
    let seen = server.take();
    let asked: Vec<Option<&str>> = seen
        .iter()
        .map(|r| r.param(page_number.or(next_token).map_or("", String::as_str)))
        .collect();
    let expected: Vec<Option<&str>> = match page_number {
        Some(_) => ["1", "2", "3", "1", "2", "3"].map(Some).to_vec(),
        None => ["tok-3", "t1", "t2", "tok-3", "t1", "t2"]
            .map(Some)
            .to_vec(),
    };
    if asked != expected {
        wrong.push(format!("the walks asked for {asked:?}, not {expected:?}"));
    }
    if let Some(bad) = seen.iter().find_map(|r| r.signature.as_ref().err()) {
        wrong.push(bad.clone());
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("\n    "))
    }
}

/// A page number or size in the JSON of a request, typed as its param.
fn number_param(op: &aliapi_spec::Operation, name: &str, n: i64) -> Value {
    match op.params.iter().find(|p| p.name == name).map(|p| &p.ty) {
        Some(Type::String) => Value::String(n.to_string()),
        _ => Value::from(n),
    }
}

/// Every operation with a param in the form body, sent with its sample
/// values through `client` (a V3-signing client of a running emulator, in
/// the product crates' tests). Each must get past the signature check: be
/// answered 200, or refused with a code of the product's official catalogue
/// (a sample value naming a resource that does not exist), never with a
/// signature or key refusal. Returns how many were
/// sent and the ones refused that way.
pub async fn check_form_body_calls(
    spec: &Spec,
    ops: &[Operation],
    client: &Client,
) -> Result<(usize, Vec<String>), String> {
    const GATE: [&str; 5] = ["Signature", "AccessKey", "TimeStamp", "Timestamp", "Nonce"];
    let mut failures = Vec::new();
    let mut refused = Vec::new();
    let mut sent = 0;
    for (s, o) in each(spec, ops) {
        if !s.params.iter().any(|p| p.location == Location::Body) {
            continue;
        }
        sent += 1;
        let wrong = match sample::request(spec, s) {
            Ok(sample) => match (o.send_raw)(client.clone(), sample.json).await {
                Ok(raw) if raw.status() == 200 => None,
                Ok(raw) => Some(format!(
                    "answered {}: {}",
                    raw.status(),
                    String::from_utf8_lossy(raw.body())
                )),
                Err(e) => {
                    // A service error displays as `Code (HTTP status): …`.
                    let code = e.split_once(" (HTTP ").map(|(c, _)| c.trim());
                    let documented = code.is_some_and(|code| {
                        spec.errors.codes.keys().any(|c| c.trim() == code)
                            && !GATE.iter().any(|g| code.contains(g))
                    });
                    if documented {
                        refused.push(format!("{}: {}", s.name, code.unwrap_or_default()));
                        None
                    } else {
                        Some(e)
                    }
                }
            },
            Err(e) => Some(e),
        };
        if let Some(wrong) = wrong {
            failures.push(format!("{}: {wrong}", s.name));
        }
    }
    report("form body calls", sent, failures).map(|()| (sent, refused))
}

/// The data-driven tests of one product crate, written once for both: the
/// product crates' `tests/operations.rs` call
/// `aliapi_testkit::operation_tests!(aliapi_cdn, aliapi_spec::cdn());`.
///
/// A macro rather than functions because each crate's registry has its own
/// `Visit` trait, which the collector must implement. It expands to the
/// collector, `operations()`, `spec()` and one `#[test]` per check above,
/// plus the V3 form-body check against the emulator; the calling crate
/// needs `tokio` (with `macros`), `serde`, `aliapi-core`, `aliapi-spec` and
/// `aliapi-emulator` as dev-dependencies.
#[macro_export]
macro_rules! operation_tests {
    ($product:ident, $spec:expr) => {
        /// Collects the registry's operations as the harness's records.
        struct Collect(::std::vec::Vec<$crate::Operation>);

        impl $product::__registry::Visit for Collect {
            fn operation<A>(&mut self)
            where
                A: ::aliapi_core::RpcAction + ::serde::de::DeserializeOwned + 'static,
                A::Response: ::serde::Serialize,
            {
                self.0.push($crate::Operation::plain::<A>());
            }

            fn paginated<A>(&mut self)
            where
                A: ::aliapi_core::paginate::Paginated + ::serde::de::DeserializeOwned + 'static,
                A::Response: ::serde::Serialize,
                A::Item: ::serde::Serialize,
            {
                self.0.push($crate::Operation::paged::<A>());
            }
        }

        fn operations() -> ::std::vec::Vec<$crate::Operation> {
            let mut all = Collect(::std::vec::Vec::new());
            $product::__registry::visit(&mut all);
            assert_eq!(all.0.len(), $product::__registry::OPERATIONS);
            all.0
        }

        fn spec() -> &'static ::aliapi_spec::Spec {
            $spec
        }

        #[track_caller]
        fn pass(result: ::std::result::Result<(), ::std::string::String>) {
            if let Err(failures) = result {
                panic!("{failures}");
            }
        }

        #[test]
        fn the_registry_lists_every_operation_of_the_spec() {
            pass($crate::check_registry(spec(), &operations()));
        }

        #[test]
        fn constants_name_product_version_action_method_and_endpoints() {
            pass($crate::check_constants(spec(), &operations()));
        }

        #[test]
        fn every_param_is_written_under_its_wire_name_in_place_and_style() {
            pass($crate::check_params(spec(), &operations()));
        }

        #[tokio::test]
        async fn every_operation_round_trips_through_the_client_and_verifies() {
            pass($crate::check_round_trip(spec(), &operations()).await);
        }

        #[tokio::test]
        async fn every_answer_decodes_in_json_and_xml_without_loss() {
            pass($crate::check_answers(spec(), &operations()).await);
        }

        #[tokio::test]
        async fn every_paginator_reads_points_and_walks() {
            pass($crate::check_paging(spec(), &operations()).await);
        }

        /// The operations with form-body params, signed with V3 (whose
        /// payload hash covers the body), are accepted by the emulator.
        #[tokio::test]
        async fn every_form_body_operation_signed_with_v3_is_accepted_by_the_emulator() {
            use ::aliapi_core::{Client, Credentials, RetryConfig, SignatureVersion};
            let emulator = ::aliapi_emulator::Emulator::builder()
                .start()
                .await
                .expect("the emulator starts");
            let client = Client::builder()
                .credentials(Credentials::new(
                    ::aliapi_emulator::DEFAULT_ACCESS_KEY_ID,
                    ::aliapi_emulator::DEFAULT_ACCESS_KEY_SECRET,
                ))
                .endpoint_url(emulator.url())
                .signature_version(SignatureVersion::V3)
                .retry(RetryConfig::disabled())
                .build()
                .expect("the client builds");
            let sent = $crate::check_form_body_calls(spec(), &operations(), &client).await;
            match sent {
                Ok((n, refused)) => {
                    assert!(n > 0, "no operation has form-body params");
                    // Most answer 200; a few refuse sample names of
                    // resources that do not exist, after the signature
                    // passed.
                    assert!(refused.len() * 4 < n, "{refused:?}");
                }
                Err(failures) => panic!("{failures}"),
            }
            emulator.shutdown().await;
        }
    };
}
