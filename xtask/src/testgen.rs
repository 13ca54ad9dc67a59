//! Prints the generated tests of a product crate: every operation's params
//! on the wire, every response shape through serde, every paginator's
//! reading of a page.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use aliapi_spec::{Operation, Type};

use crate::Target;
use crate::emit::header;
use crate::names;
use crate::paging::{self, Paging};
use crate::plan::{Plan, RType};

/// The four generated test files of a crate (kept only until the
/// data-driven tests replace them).
pub fn files(plan: &Plan, target: &Target) -> Result<Vec<(String, String)>, String> {
    Ok(vec![
        ("tests/params.rs".into(), params_rs(plan, target)?),
        ("tests/responses.rs".into(), responses_rs(plan, target)?),
        ("tests/pagination.rs".into(), pagination_rs(plan, target)?),
        ("tests/round_trip.rs".into(), round_trip_rs(plan, target)?),
    ])
}

struct Ctx<'p, 's> {
    plan: &'p Plan<'s>,
    krate: &'p str,
    module: String,
}

impl Ctx<'_, '_> {
    fn path(&self, id: usize) -> String {
        let t = self.plan.ty(id);
        if t.shared() {
            format!("{}::{}", self.krate, t.name)
        } else {
            format!("{}::{}::{}", self.krate, self.module, t.name)
        }
    }
}

/// Hands out distinct sample numbers, so that a value on the wire shows
/// which field it came from.
#[derive(Default)]
struct Sampler {
    n: u64,
}

/// A sample request value: the Rust expression, the flattened wire params
/// it becomes and its JSON form.
struct Sample {
    expr: String,
    flat: Vec<(String, String)>,
    json: Value,
}

impl Sampler {
    fn next(&mut self) -> u64 {
        self.n += 1;
        self.n
    }

    fn request_value(
        &mut self,
        cx: &Ctx,
        t: &Type,
        r: &RType,
        path: &str,
    ) -> Result<Sample, String> {
        let scalar = |expr: String, wire: String, json: Value| Sample {
            expr,
            flat: vec![(path.to_owned(), wire)],
            json,
        };
        Ok(match t {
            Type::String => {
                // Spaces, `+`, `&`, `=` and non-ASCII test the encoding.
                let s = format!("v:{path} +&=é");
                scalar(format!("{s:?}.to_owned()"), s.clone(), Value::String(s))
            }
            Type::Integer { .. } | Type::Long => {
                let n = if *r == RType::I32 {
                    100 + self.next()
                } else {
                    5_000_000_000 + self.next()
                };
                scalar(n.to_string(), n.to_string(), Value::from(n))
            }
            Type::Boolean => scalar("true".into(), "true".into(), Value::Bool(true)),
            Type::Float => {
                let x = self.next() as f64 + 0.5;
                scalar(format!("{x:?}"), format!("{x}"), Value::from(x))
            }
            Type::Array(item) => {
                let RType::Vec(ritem) = r else {
                    return Err(format!("{path}: not a Vec"));
                };
                let count = if matches!(**item, Type::Object(_)) {
                    1
                } else {
                    2
                };
                let mut exprs = Vec::new();
                let mut flat = Vec::new();
                let mut json = Vec::new();
                for i in 1..=count {
                    let s = self.request_value(cx, item, ritem, &format!("{path}.{i}"))?;
                    exprs.push(s.expr);
                    flat.extend(s.flat);
                    json.push(s.json);
                }
                Sample {
                    expr: format!("vec![{}]", exprs.join(", ")),
                    flat,
                    json: Value::Array(json),
                }
            }
            Type::Map(item) => {
                let RType::Map(ritem) = r else {
                    return Err(format!("{path}: not a map"));
                };
                let s = self.request_value(cx, item, ritem, &format!("{path}.k1"))?;
                let mut json = Map::new();
                json.insert("k1".into(), s.json);
                Sample {
                    expr: format!(
                        "std::collections::BTreeMap::from([(\"k1\".to_owned(), {})])",
                        s.expr
                    ),
                    flat: s.flat,
                    json: Value::Object(json),
                }
            }
            Type::Object(name) => {
                let RType::Def(id) = r else {
                    return Err(format!("{path}: not a struct"));
                };
                let shape = cx.plan.spec.shape(name).ok_or("no shape")?;
                let def = cx.plan.ty(*id);
                let mut fields = Vec::new();
                let mut flat = Vec::new();
                let mut json = Map::new();
                for (f, d) in shape.fields.iter().zip(&def.fields) {
                    let s = self.request_value(cx, &f.ty, &d.ty, &format!("{path}.{}", f.name))?;
                    let expr = if d.optional {
                        format!("Some({})", s.expr)
                    } else {
                        s.expr
                    };
                    fields.push(format!("{}: {expr}", names::snake_ident(&f.name)));
                    flat.extend(s.flat);
                    json.insert(f.name.clone(), s.json);
                }
                Sample {
                    expr: format!("{} {{ {} }}", cx.path(*id), fields.join(", ")),
                    flat,
                    json: Value::Object(json),
                }
            }
            other => {
                return Err(format!(
                    "no request sample for type `{}` at `{path}`",
                    other.kind()
                ));
            }
        })
    }

    fn response_value(&mut self, plan: &Plan, t: &Type) -> Result<Value, String> {
        Ok(match t {
            Type::String => Value::String(format!("s{}", self.next())),
            Type::Integer { .. } | Type::Long => Value::from(self.next()),
            Type::Boolean => Value::Bool(true),
            Type::Float => Value::from(self.next() as f64 + 0.5),
            Type::Array(item) => Value::Array(vec![self.response_value(plan, item)?]),
            Type::Map(item) => {
                let mut m = Map::new();
                m.insert("k1".into(), self.response_value(plan, item)?);
                Value::Object(m)
            }
            Type::Object(name) => {
                let shape = plan.spec.shape(name).ok_or("no shape")?;
                let mut m = Map::new();
                for f in &shape.fields {
                    m.insert(f.name.clone(), self.response_value(plan, &f.ty)?);
                }
                Value::Object(m)
            }
            Type::Any => serde_json::json!({ "any": [1, "two", { "three": true }] }),
        })
    }
}

fn object_of(shape: &str) -> Type {
    Type::Object(shape.to_owned())
}

/// The JSON a decoded answer serializes to: collapsed wrappers as lists.
fn rust_shape(plan: &Plan, r: &RType, v: &Value) -> Value {
    match (r, v) {
        (RType::Def(id), Value::Object(m)) => {
            let mut out = Map::new();
            for f in &plan.ty(*id).fields {
                let Some(x) = m.get(&f.wire) else { continue };
                let x = match &f.collapsed {
                    Some(inner) => x.get(inner).cloned().unwrap_or(Value::Null),
                    None => x.clone(),
                };
                out.insert(f.wire.clone(), rust_shape(plan, &f.ty, &x));
            }
            Value::Object(out)
        }
        (RType::Vec(t), Value::Array(a)) => {
            Value::Array(a.iter().map(|x| rust_shape(plan, t, x)).collect())
        }
        (RType::Map(t), Value::Object(m)) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), rust_shape(plan, t, x)))
                .collect(),
        ),
        (_, v) => v.clone(),
    }
}

/// The request of `op` with every param set, and what it must write:
/// (plain params, JSON params), each as (wire name, value, location).
type Written = Vec<(String, String, &'static str)>;

fn request_sample(
    plan: &Plan,
    krate: &str,
    i: usize,
) -> Result<(String, Written, Written), String> {
    let op = plan.ops[i].op;
    let cx = Ctx {
        plan,
        krate,
        module: plan.ops[i].module.clone(),
    };
    let mut sampler = Sampler::default();
    let mut fields = Vec::new();
    let mut plain = Vec::new();
    let mut json = Vec::new();
    for pf in &plan.ops[i].params {
        let p = pf.param;
        let s = sampler.request_value(&cx, &p.ty, &pf.field.ty, &p.name)?;
        let loc = if p.location == aliapi_spec::Location::Body {
            "B"
        } else {
            "Q"
        };
        let expr = if pf.field.optional {
            format!("Some({})", s.expr)
        } else {
            s.expr
        };
        fields.push(format!("{}: {expr}", names::snake_ident(&p.name)));
        if p.style == Some(aliapi_spec::Style::Json) {
            json.push((p.name.clone(), s.json.to_string(), loc));
        } else {
            plain.extend(s.flat.into_iter().map(|(n, v)| (n, v, loc)));
        }
    }
    Ok((
        format!("{} {{ {} }}", op.name, fields.join(", ")),
        plain,
        json,
    ))
}

fn written(list: &Written) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|(n, v, l)| format!("({n:?}, {}, {l})", raw(v)))
        .collect();
    format!("&[{}]", items.join(", "))
}

/// A raw string literal holding `s`.
fn raw(s: &str) -> String {
    if s.contains('"') || s.contains('\\') {
        format!("r##\"{s}\"##")
    } else {
        format!("{s:?}")
    }
}

pub fn params_rs(plan: &Plan, target: &Target) -> Result<String, String> {
    let spec = plan.spec;
    let mut o = header(target);
    let _ = write!(
        o,
        r#"//! Every operation, with every param set, writes each param under its wire
//! name, in its place (query or body) and flattened in its style; and its
//! constants name the right product, version, action and method.

#![allow(deprecated)]

use {krate}::*;
use aliapi_core::{{Location, Method, ParamWriter, RpcAction}};

const Q: Location = Location::Query;
const B: Location = Location::Body;

fn decode(s: &str) -> String {{
    aliapi_wire::encode::percent_decode(s, false).expect("params are validly encoded")
}}

type Params<V> = Vec<(String, V, Location)>;

#[track_caller]
fn check<A: RpcAction>(
    request: &A,
    action: &str,
    method: Method,
    plain: &[(&str, &str, Location)],
    json: &[(&str, &str, Location)],
) {{
    assert_eq!(A::PRODUCT, {product:?});
    assert_eq!(A::VERSION, {version:?});
    assert_eq!(A::ACTION, action);
    assert_eq!(A::METHOD, method);
    assert_eq!(A::ENDPOINT, ENDPOINT);
    let mut out = ParamWriter::new();
    request.write_params(&mut out).expect("every sample param is writable");
    let mut got_plain: Params<String> = Vec::new();
    let mut got_json: Params<serde_json::Value> = Vec::new();
    for p in out.iter() {{
        let (name, value) = (decode(p.name), decode(p.value));
        if json.iter().any(|(n, _, _)| *n == name) {{
            let parsed = serde_json::from_str(&value).expect("a JSON-style param holds JSON");
            got_json.push((name, parsed, p.location));
        }} else {{
            got_plain.push((name, value, p.location));
        }}
    }}
    let mut want_plain: Params<String> =
        plain.iter().map(|(n, v, l)| (n.to_string(), v.to_string(), *l)).collect();
    let mut want_json: Params<serde_json::Value> = json
        .iter()
        .map(|(n, v, l)| (n.to_string(), serde_json::from_str(v).expect("sample JSON"), *l))
        .collect();
    got_plain.sort_by(|a, b| a.0.cmp(&b.0));
    want_plain.sort_by(|a, b| a.0.cmp(&b.0));
    got_json.sort_by(|a, b| a.0.cmp(&b.0));
    want_json.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got_plain, want_plain);
    assert_eq!(got_json, want_json);
}}
"#,
        krate = target.crate_ident,
        product = spec.product,
        version = spec.version,
    );
    for (i, op) in spec.operations.iter().enumerate() {
        let (expr, plain, json) = request_sample(plan, target.crate_ident, i)?;
        let method = if op.method == aliapi_spec::Method::Get {
            "Get"
        } else {
            "Post"
        };
        let _ = writeln!(
            o,
            "\n#[test]\nfn {}() {{\ncheck(&{expr}, {:?}, Method::{method}, {}, {});\n}}",
            names::snake(&op.name),
            op.name,
            written(&plain),
            written(&json)
        );
    }
    Ok(o)
}

pub fn responses_rs(plan: &Plan, target: &Target) -> Result<String, String> {
    let mut o = header(target);
    let _ = write!(
        o,
        r#"//! Every response type, given a body with every field filled in, decodes
//! it through the client's lenient decoder and serializes back to the same
//! JSON; an empty body decodes too.

#![allow(deprecated)]

use {krate}::*;
use aliapi_core::Format;
use aliapi_core::decode::decode_body;

#[track_caller]
fn round_trip<T>(body: &str, want: &str)
where
    T: serde::de::DeserializeOwned + serde::Serialize + Default + PartialEq + std::fmt::Debug,
{{
    let value: serde_json::Value = serde_json::from_str(want).expect("sample JSON");
    let decoded: T = decode_body(body.as_bytes(), Format::Json).expect("the sample decodes");
    assert_eq!(serde_json::to_value(&decoded).expect("serializes"), value);
    assert_eq!(decode_body::<T>(b"{{}}", Format::Json).expect("an empty body decodes"), T::default());
}}
"#,
        krate = target.crate_ident,
    );
    for (i, op) in plan.spec.operations.iter().enumerate() {
        let body = Sampler::default().response_value(plan, &object_of(&op.response))?;
        let want = rust_shape(plan, &RType::Def(plan.ops[i].response), &body);
        let _ = writeln!(
            o,
            "\n#[test]\nfn {}() {{\nround_trip::<{}Response>(r##\"{}\"##, r##\"{}\"##);\n}}",
            names::snake(&op.name),
            op.name,
            body,
            want
        );
    }
    Ok(o)
}

/// Sets the value at a spec path (`A.B[].C`) in a sample body.
fn set_at(body: &mut Value, wire: &str, value: Value) -> Result<(), String> {
    let mut at = body;
    for seg in wire.split('.') {
        let (name, first) = match seg.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (seg, false),
        };
        at = at
            .get_mut(name)
            .ok_or_else(|| format!("sample has no `{wire}`"))?;
        if first {
            at = at
                .get_mut(0)
                .ok_or_else(|| format!("sample list at `{wire}` is empty"))?;
        }
    }
    *at = value;
    Ok(())
}

fn get_at<'v>(body: &'v Value, wire: &str) -> Option<&'v Value> {
    wire.split('.')
        .try_fold(body, |at, seg| match seg.strip_suffix("[]") {
            Some(n) => at.get(n)?.get(0),
            None => at.get(seg),
        })
}

pub fn pagination_rs(plan: &Plan, target: &Target) -> Result<String, String> {
    let mut o = header(target);
    let _ = write!(
        o,
        r#"//! Every paged operation reads the page facts and the items of an answer
//! from the right places, and points a request at another page.

#![allow(deprecated)]

use std::future::Future;
use std::task::{{Context, Poll, Waker}};

use {krate}::*;
use aliapi_core::paginate::{{PageInfo, PageStyle, Paginated, items_with, pages_with}};
use futures_util::TryStreamExt;

#[track_caller]
fn read<A: Paginated>(body: &str) -> (PageInfo, usize) {{
    let response: A::Response = serde_json::from_str(body).expect("the sample decodes");
    let info = A::page_info(&response);
    (info, A::items(response).len())
}}

/// Polls a future that never waits (every fetch below is ready at once).
fn block_on<F: Future>(future: F) -> F::Output {{
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {{
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {{
            return out;
        }}
    }}
}}

/// The canned answer to call number `call`, or an error past the third.
fn answer<R: serde::de::DeserializeOwned>(bodies: &[&str; 3], call: usize) -> std::future::Ready<Result<R, aliapi_core::Error>> {{
    std::future::ready(match bodies.get(call) {{
        Some(body) => Ok(serde_json::from_str(body).expect("the sample decodes")),
        None => Err(aliapi_core::Error::Config("the walk asked for a fourth page".into())),
    }})
}}

/// Walks `request` over three canned pages; returns the requests sent.
#[track_caller]
fn walk<A: Paginated>(request: A, bodies: [&str; 3]) -> Vec<A> {{
    let mut sent = Vec::new();
    let fetch = |request: A| {{
        let call = sent.len();
        sent.push(request);
        answer(&bodies, call)
    }};
    let pages: Vec<A::Response> = block_on(pages_with(request.clone(), fetch).try_collect()).expect("three pages, no more");
    assert_eq!(pages.len(), 3, "three pages");
    let mut calls = 0;
    let fetch = |_: A| {{
        calls += 1;
        answer(&bodies, calls - 1)
    }};
    let items: Vec<A::Item> = block_on(items_with(request, fetch).try_collect()).expect("three pages, no more");
    assert_eq!(items.len(), 3, "one item per page");
    sent
}}
"#,
        krate = target.crate_ident,
    );
    for (i, op) in plan.spec.operations.iter().enumerate() {
        let Some(p) = &op.pagination else { continue };
        let paging = paging::resolve(plan, i, p)?;
        let _ = writeln!(o, "\n#[test]\nfn {}() {{", names::snake(&op.name));
        o.push_str(&pagination_test(
            plan,
            target.crate_ident,
            i,
            op,
            p,
            &paging,
        )?);
        o.push_str("}\n");
    }
    Ok(o)
}

fn pagination_test(
    plan: &Plan,
    krate: &str,
    i: usize,
    op: &Operation,
    p: &aliapi_spec::Pagination,
    paging: &Paging,
) -> Result<String, String> {
    let mut body = Sampler::default().response_value(plan, &object_of(&op.response))?;
    let mut fact = |path: &Option<paging::Path>, n: i64| -> Result<String, String> {
        match path {
            None => Ok("None".into()),
            Some(path) => {
                let v = if matches!(path.field.spec_ty, Type::String) {
                    Value::String(n.to_string())
                } else {
                    Value::from(n)
                };
                set_at(&mut body, &path.wire, v)?;
                Ok(format!("Some({n})"))
            }
        }
    };
    let page_number = fact(&paging.response_page_number, 2)?;
    let page_size = fact(&paging.response_page_size, 10)?;
    let total = fact(&paging.total, 35)?;
    let next_token = match (&paging.response_next_token, paging.token) {
        (Some(path), true) => {
            set_at(&mut body, &path.wire, Value::String("tok-2".into()))?;
            "Some(\"tok-2\".to_owned())".to_string()
        }
        _ => "None".into(),
    };
    let count = get_at(&body, p.items())
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let (request, _, _) = request_sample(plan, krate, i)?;
    let mut o = format!(
        "let (info, items) = read::<{}>(r##\"{body}\"##);\nassert_eq!(info, PageInfo {{ page_number: {page_number}, page_size: {page_size}, total: {total}, next_token: {next_token}, item_count: {count}, items_fill_page: {} }});\nassert_eq!(items, {count});\n",
        op.name,
        !paging.grouped()
    );
    let _ = writeln!(o, "let mut request = {request};");
    if paging.token {
        let _ = writeln!(
            o,
            "assert_eq!({}::STYLE, PageStyle::NextToken);\nrequest.set_next_token(\"tok-3\".to_owned());\nassert_eq!(request.{}.as_deref(), Some(\"tok-3\"));",
            op.name,
            names::snake_ident(paging.next_token.map_or("NextToken", |t| t.name.as_str()))
        );
    } else {
        let _ = writeln!(
            o,
            "assert_eq!({}::STYLE, PageStyle::PageNumber);\nrequest.set_page_number(7);\nassert_eq!(request.requested_page(), Some(7));",
            op.name
        );
    }
    if let Some(size) = paging.page_size
        && !matches!(size.ty, Type::String)
    {
        let _ = writeln!(o, "assert!(request.requested_page_size().is_some());");
    }
    o.push_str(&walk_test(plan, op, paging)?);
    Ok(o)
}

/// Three pages of one item each, linked by page number (size 1, total 3)
/// or by tokens `t1`, `t2` and then none; the walk must ask for each once.
fn walk_test(plan: &Plan, op: &Operation, paging: &Paging) -> Result<String, String> {
    let sample = Sampler::default().response_value(plan, &object_of(&op.response))?;
    let number = |path: &paging::Path, n: i64| {
        if matches!(path.field.spec_ty, Type::String) {
            Value::String(n.to_string())
        } else {
            Value::from(n)
        }
    };
    let mut bodies = Vec::new();
    for k in 1..=3i64 {
        let mut body = sample.clone();
        if let Some(path) = &paging.total {
            set_at(&mut body, &path.wire, number(path, 3))?;
        }
        if paging.token {
            let token = if k < 3 {
                format!("t{k}")
            } else {
                String::new()
            };
            if let Some(path) = &paging.response_next_token {
                set_at(&mut body, &path.wire, Value::String(token))?;
            }
        } else {
            if let Some(path) = &paging.response_page_number {
                set_at(&mut body, &path.wire, number(path, k))?;
            }
            if let Some(path) = &paging.response_page_size {
                set_at(&mut body, &path.wire, number(path, 1))?;
            }
        }
        bodies.push(format!("r##\"{body}\"##"));
    }
    let mut o = String::new();
    if paging.token {
        let field = names::snake_ident(paging.next_token.map_or("NextToken", |t| t.name.as_str()));
        let _ = writeln!(
            o,
            "let sent = walk(request, [{}]);\nlet tokens: Vec<Option<&str>> = sent.iter().map(|r| r.{field}.as_deref()).collect();\nassert_eq!(tokens, [Some(\"tok-3\"), Some(\"t1\"), Some(\"t2\")]);",
            bodies.join(", ")
        );
    } else {
        o.push_str("request.set_page_number(1);\n");
        if let Some(size) = paging.page_size {
            let one = if matches!(size.ty, Type::String) {
                "\"1\""
            } else {
                "1"
            };
            let _ = writeln!(
                o,
                "let request = request.{}({one});",
                names::snake_ident(&size.name)
            );
        }
        let _ = writeln!(
            o,
            "let sent = walk(request, [{}]);\nlet pages: Vec<Option<i64>> = sent.iter().map(|r| r.requested_page()).collect();\nassert_eq!(pages, [Some(1), Some(2), Some(3)]);",
            bodies.join(", ")
        );
    }
    Ok(o)
}

/// One loopback test per product: every operation, with every param set,
/// goes through `aliapi_core::Client` to a server that records what arrived,
/// and is judged against what the spec says should have.
pub fn round_trip_rs(plan: &Plan, target: &Target) -> Result<String, String> {
    let spec = plan.spec;
    let mut o = header(target);
    let _ = write!(
        o,
        r#"//! Every operation, with every param set, goes through the client to a
//! loopback server, which checks the method, the action and version, that
//! each param arrived under its wire name, flattened, in its place (query or
//! form body), that nothing else came, and that the v1 signature verifies.
//! One test walks all operations, so one server and one client serve them.

#![allow(deprecated)]

use std::future::Future;
use std::pin::Pin;
use std::sync::{{Arc, Mutex}};

use {krate}::*;
use aliapi_wire::encode::percent_decode;
use aliapi_wire::v1::{{signature, string_to_sign}};
use aliapi_core::{{Client, Credentials, Error, Method, RawResponse, RetryConfig, RpcAction}};
use http_body_util::{{BodyExt, Full}};
use hyper::body::{{Bytes, Incoming}};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{{Request, Response}};
use hyper_util::rt::TokioIo;

const VERSION: &str = {version:?};
const KEY_ID: &str = "round-trip-key-id";
const SECRET: &str = "round-trip-secret";

/// Where a param travels: the query string or the form body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum At {{
    Query,
    Body,
}}

const Q: At = At::Query;
const B: At = At::Body;

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

/// What the server saw of one request.
#[derive(Debug)]
struct Seen {{
    method: String,
    content_type: Option<String>,
    params: Result<Vec<(String, String, At)>, String>,
}}

type Log = Arc<Mutex<Vec<Seen>>>;

/// Splits and decodes `a=b&c=d`.
fn pairs(s: &str, plus_as_space: bool, at: At) -> Result<Vec<(String, String, At)>, String> {{
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {{
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            let d = |x: &str| percent_decode(x, plus_as_space).ok_or_else(|| format!("bad percent-encoding in `{{p}}`"));
            Ok((d(n)?, d(v)?, at))
        }})
        .collect()
}}

async fn handle(request: Request<Incoming>, log: Log) -> Result<Response<Full<Bytes>>, hyper::Error> {{
    let method = request.method().as_str().to_owned();
    let content_type = request
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let query = request.uri().query().unwrap_or("").to_owned();
    let body = request.into_body().collect().await?.to_bytes();
    let params = pairs(&query, false, Q).and_then(|mut all| {{
        let body = std::str::from_utf8(&body).map_err(|e| format!("form body is not UTF-8: {{e}}"))?;
        all.extend(pairs(body, true, B)?);
        Ok(all)
    }});
    let action = params
        .as_ref()
        .ok()
        .and_then(|all| all.iter().find(|(n, _, _)| n == "Action"))
        .map_or(String::new(), |(_, v, _)| v.clone());
    log.lock().expect("log lock").push(Seen {{ method, content_type, params }});
    let answer = serde_json::json!({{ "RequestId": action }}).to_string();
    Ok(Response::builder()
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(answer)))
        .expect("a valid response"))
}}

/// Starts the loopback server; it lives as long as the test's runtime.
async fn start() -> (String, Log) {{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    let log = Log::default();
    let server_log = log.clone();
    tokio::spawn(async move {{
        while let Ok((stream, _)) = listener.accept().await {{
            let log = server_log.clone();
            tokio::spawn(async move {{
                let service = service_fn(move |request| handle(request, log.clone()));
                let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            }});
        }}
    }});
    (format!("http://{{addr}}"), log)
}}

type Sent = Pin<Box<dyn Future<Output = Result<RawResponse, Error>>>>;
type Expected = &'static [(&'static str, &'static str, At)];

type Sender = Box<dyn FnOnce(Client) -> Sent>;

/// What must arrive of one operation's request.
struct Case {{
    action: &'static str,
    method: Method,
    plain: Expected,
    json: Expected,
}}

/// An operation's request, ready to send, and what must arrive of it.
fn case<A: RpcAction + 'static>(request: A, action: &'static str, method: Method, plain: Expected, json: Expected) -> (Case, Sender) {{
    assert_eq!(A::ACTION, action);
    let send: Sender = Box::new(move |client| Box::pin(async move {{ client.send_raw(&request).await }}));
    (Case {{ action, method, plain, json }}, send)
}}

/// Everything wrong with how one operation's request arrived.
fn judge(case: &Case, result: Result<RawResponse, Error>, mut seen: Vec<Seen>) -> Vec<String> {{
    let mut wrong = Vec::new();
    match &result {{
        Ok(raw) if raw.status() == 200 && raw.request_id().as_deref() == Some(case.action) => {{}}
        Ok(raw) => wrong.push(format!("answer {{}} with request id {{:?}}", raw.status(), raw.request_id())),
        Err(e) => wrong.push(format!("the call failed: {{e}}")),
    }}
    if seen.len() != 1 {{
        wrong.push(format!("the server saw {{}} requests, not one", seen.len()));
        return wrong;
    }}
    let seen = seen.remove(0);
    if seen.method != case.method.as_str() {{
        wrong.push(format!("method {{}}, not {{}}", seen.method, case.method.as_str()));
    }}
    let all = match seen.params {{
        Ok(all) => all,
        Err(e) => {{
            wrong.push(e);
            return wrong;
        }}
    }};
    if all.iter().any(|p| p.2 == B) && seen.content_type.as_deref() != Some("application/x-www-form-urlencoded") {{
        wrong.push(format!("form body sent as {{:?}}", seen.content_type));
    }}
    let mut names: Vec<&str> = all.iter().map(|p| p.0.as_str()).collect();
    names.sort_unstable();
    for w in names.windows(2) {{
        if w[0] == w[1] {{
            wrong.push(format!("`{{}}` arrived twice", w[0]));
        }}
    }}
    let common = |name: &str| all.iter().find(|p| p.0 == name);
    for name in COMMON {{
        match common(name) {{
            Some((_, _, At::Query)) => {{}}
            Some(_) => wrong.push(format!("`{{name}}` arrived in the body")),
            None => wrong.push(format!("`{{name}}` is missing")),
        }}
    }}
    let value = |name: &str| common(name).map(|p| p.1.as_str());
    for (name, want) in [
        ("Action", case.action),
        ("Version", VERSION),
        ("Format", "JSON"),
        ("AccessKeyId", KEY_ID),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
    ] {{
        if let Some(got) = value(name)
            && got != want
        {{
            wrong.push(format!("`{{name}}` is {{got:?}}, not {{want:?}}"));
        }}
    }}
    if value("SignatureNonce").is_some_and(str::is_empty) {{
        wrong.push("empty `SignatureNonce`".into());
    }}
    if let Some(t) = value("Timestamp")
        && aliapi_wire::time::parse_timestamp(t).is_none()
    {{
        wrong.push(format!("`Timestamp` {{t:?}} is not ISO 8601 UTC"));
    }}
    // Verified as the server would: with the method the request came with.
    let method = if seen.method == "GET" {{ Method::Get }} else {{ Method::Post }};
    let string = string_to_sign(method.as_str(), all.iter().map(|p| (p.0.as_str(), p.1.as_str())));
    let expected = signature(SECRET, &string);
    if value("Signature") != Some(expected.as_str()) {{
        wrong.push(format!("signature {{:?}} does not verify (want {{expected:?}} over {{string}})", value("Signature")));
    }}

    let is_json = |name: &str| case.json.iter().any(|p| p.0 == name);
    let own = all.iter().filter(|p| !COMMON.contains(&p.0.as_str()));
    let mut got_plain: Vec<(String, String, At)> = own.clone().filter(|p| !is_json(&p.0)).cloned().collect();
    let mut got_json = Vec::new();
    for (name, v, at) in own.filter(|p| is_json(&p.0)) {{
        match serde_json::from_str::<serde_json::Value>(v) {{
            Ok(parsed) => got_json.push((name.clone(), parsed, *at)),
            Err(e) => wrong.push(format!("`{{name}}` is not JSON ({{e}}): {{v}}")),
        }}
    }}
    let mut want_plain: Vec<(String, String, At)> =
        case.plain.iter().map(|(n, v, at)| (n.to_string(), v.to_string(), *at)).collect();
    let mut want_json: Vec<(String, serde_json::Value, At)> = case
        .json
        .iter()
        .map(|(n, v, at)| (n.to_string(), serde_json::from_str(v).expect("sample JSON"), *at))
        .collect();
    got_plain.sort();
    want_plain.sort();
    got_json.sort_by(|a, b| a.0.cmp(&b.0));
    want_json.sort_by(|a, b| a.0.cmp(&b.0));
    for p in want_plain.iter().filter(|p| !got_plain.contains(p)) {{
        wrong.push(format!("missing or changed: {{p:?}}"));
    }}
    for p in got_plain.iter().filter(|p| !want_plain.contains(p)) {{
        wrong.push(format!("unexpected: {{p:?}}"));
    }}
    if got_json != want_json {{
        wrong.push(format!("JSON params {{got_json:?}}, not {{want_json:?}}"));
    }}
    wrong
}}

#[tokio::test]
async fn every_operation_round_trips_through_the_client() {{
    let (url, log) = start().await;
    let client = Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .endpoint_url(url)
        .retry(RetryConfig::disabled())
        .build()
        .expect("a client");
    let cases = cases();
    let total = cases.len();
    assert_eq!(total, {count});
    let mut failures = Vec::new();
    for (case, send) in cases {{
        let result = send(client.clone()).await;
        let seen = std::mem::take(&mut *log.lock().expect("log lock"));
        let wrong = judge(&case, result, seen);
        if !wrong.is_empty() {{
            failures.push(format!("{{}}:\n    {{}}", case.action, wrong.join("\n    ")));
        }}
    }}
    assert!(failures.is_empty(), "{{}} of {{total}} operations went wrong:\n{{}}", failures.len(), failures.join("\n"));
}}

fn cases() -> Vec<(Case, Sender)> {{
    vec![
"#,
        krate = target.crate_ident,
        version = spec.version,
        count = spec.operations.len(),
    );
    for (i, op) in spec.operations.iter().enumerate() {
        let (expr, plain, json) = request_sample(plan, target.crate_ident, i)?;
        let post = op.method == aliapi_spec::Method::Post;
        let place = |list: Written| -> Written {
            list.into_iter()
                .map(|(n, v, l)| (n, v, if post && l == "B" { "B" } else { "Q" }))
                .collect()
        };
        let method = if post { "Post" } else { "Get" };
        let _ = writeln!(
            o,
            "case({expr}, {:?}, Method::{method}, {}, {}),",
            op.name,
            written(&place(plain)),
            written(&place(json))
        );
    }
    o.push_str("]\n}\n");
    Ok(o)
}
