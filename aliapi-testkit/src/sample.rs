//! Sample values built from the spec alone, and what the wire and the
//! decoded answers must then hold. Nothing here reads the generated code.

use aliapi_spec::{Field, Location, Operation, Spec, Style, Type};
use serde_json::{Map, Value};

/// The params the client fills in itself, which requests have no field for.
pub const CLIENT_PARAMS: &[&str] = &["SecurityToken"];

/// A request with every param set: its JSON (keyed by wire names, as the
/// registry reads it), the flattened params it must write, and the params
/// sent as one JSON string.
#[derive(Debug, Clone)]
pub struct RequestSample {
    pub json: Value,
    pub plain: Vec<(String, String, Location)>,
    pub json_params: Vec<(String, Value, Location)>,
}

/// Hands out distinct numbers, so a value on the wire shows where it came from.
#[derive(Default)]
struct Counter(u64);

impl Counter {
    fn next(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }
}

/// Whether an integer type is 32-bit (`integer` of known width); every
/// other integer is 64-bit.
fn is_i32(t: &Type) -> bool {
    matches!(
        t,
        Type::Integer {
            width_unknown: false
        }
    )
}

/// The sample of an operation's request: strings with a space, `+`, `&`,
/// `=` and a non-ASCII letter (they test the encoding); distinct numbers,
/// 32-bit ones below 2^31 and 64-bit ones above; lists of two scalars or
/// one object; maps of one key.
pub fn request(spec: &Spec, op: &Operation) -> Result<RequestSample, String> {
    let mut n = Counter::default();
    let mut json = Map::new();
    let mut plain = Vec::new();
    let mut json_params = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| !CLIENT_PARAMS.contains(&p.name.as_str()))
    {
        let mut flat = Vec::new();
        let value = request_value(spec, &p.ty, &p.name, &mut n, &mut flat)?;
        if p.style == Some(Style::Json) {
            json_params.push((p.name.clone(), value.clone(), p.location));
        } else {
            plain.extend(flat.into_iter().map(|(k, v)| (k, v, p.location)));
        }
        json.insert(p.name.clone(), value);
    }
    Ok(RequestSample {
        json: Value::Object(json),
        plain,
        json_params,
    })
}

fn request_value(
    spec: &Spec,
    t: &Type,
    path: &str,
    n: &mut Counter,
    flat: &mut Vec<(String, String)>,
) -> Result<Value, String> {
    Ok(match t {
        Type::String => {
            let s = format!("v:{path} +&=é");
            flat.push((path.to_owned(), s.clone()));
            Value::String(s)
        }
        Type::Integer { .. } | Type::Long => {
            let v = if is_i32(t) {
                100 + n.next()
            } else {
                5_000_000_000 + n.next()
            };
            flat.push((path.to_owned(), v.to_string()));
            Value::from(v)
        }
        Type::Boolean => {
            flat.push((path.to_owned(), "true".into()));
            Value::Bool(true)
        }
        Type::Float => {
            let x = n.next() as f64 + 0.5;
            flat.push((path.to_owned(), format!("{x}")));
            Value::from(x)
        }
        Type::Array(item) => {
            let count = if matches!(**item, Type::Object(_)) {
                1
            } else {
                2
            };
            let mut out = Vec::new();
            for i in 1..=count {
                out.push(request_value(spec, item, &format!("{path}.{i}"), n, flat)?);
            }
            Value::Array(out)
        }
        Type::Map(item) => {
            let mut m = Map::new();
            m.insert(
                "k1".into(),
                request_value(spec, item, &format!("{path}.k1"), n, flat)?,
            );
            Value::Object(m)
        }
        Type::Object(shape) => {
            let shape = spec
                .shape(shape)
                .ok_or_else(|| format!("no shape `{shape}`"))?;
            let mut m = Map::new();
            for f in &shape.fields {
                m.insert(
                    f.name.clone(),
                    request_value(spec, &f.ty, &format!("{path}.{}", f.name), n, flat)?,
                );
            }
            Value::Object(m)
        }
        Type::Any => return Err(format!("no request sample for `any` at `{path}`")),
    })
}

/// How a sample answer is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spelling {
    /// Elements per list.
    pub list_len: usize,
    /// JSON-text fields sent as the string the service sends (else as the
    /// value itself).
    pub text_as_string: bool,
    /// Fields with other accepted keys sent under the first of them.
    pub aliases: bool,
}

impl Spelling {
    pub const SERVICE: Spelling = Spelling {
        list_len: 2,
        text_as_string: true,
        aliases: false,
    };
}

/// A sample answer: the body on the wire and the JSON the decoded value
/// serializes to (field names as on the wire, wrapped lists as plain lists,
/// JSON text as its value).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub wire: Value,
    pub decoded: Value,
}

/// Whether a response field holding `t` is a wrapper the types collapse:
/// an object whose only field is a list, unless sent as JSON text.
pub fn collapses(spec: &Spec, field: &Field) -> Option<String> {
    if field.is_json_text() {
        return None;
    }
    let shape = spec.shape(field.ty.shape()?)?;
    match shape.fields.as_slice() {
        [only] if matches!(only.ty, Type::Array(_)) => Some(only.name.clone()),
        _ => None,
    }
}

/// Every field of the response of `op` filled in.
pub fn answer(spec: &Spec, op: &Operation, how: Spelling) -> Result<Answer, String> {
    let mut n = Counter::default();
    response_value(spec, &Type::Object(op.response.clone()), how, &mut n)
}

fn response_value(spec: &Spec, t: &Type, how: Spelling, n: &mut Counter) -> Result<Answer, String> {
    let same = |v: Value| Answer {
        wire: v.clone(),
        decoded: v,
    };
    Ok(match t {
        Type::String => same(Value::String(format!("s{}", n.next()))),
        Type::Integer { .. } | Type::Long => same(Value::from(n.next())),
        Type::Boolean => same(Value::Bool(true)),
        Type::Float => same(Value::from(n.next() as f64 + 0.5)),
        // Text only, so that the XML tree gives the same value.
        Type::Any => same(serde_json::json!({ "any": format!("s{}", n.next()) })),
        Type::Array(item) => {
            let (mut wire, mut decoded) = (Vec::new(), Vec::new());
            for _ in 0..how.list_len {
                let a = response_value(spec, item, how, n)?;
                wire.push(a.wire);
                decoded.push(a.decoded);
            }
            Answer {
                wire: Value::Array(wire),
                decoded: Value::Array(decoded),
            }
        }
        Type::Map(item) => {
            let a = response_value(spec, item, how, n)?;
            Answer {
                wire: serde_json::json!({ "k1": a.wire }),
                decoded: serde_json::json!({ "k1": a.decoded }),
            }
        }
        Type::Object(name) => {
            let shape = spec
                .shape(name)
                .ok_or_else(|| format!("no shape `{name}`"))?;
            let (mut wire, mut decoded) = (Map::new(), Map::new());
            for f in &shape.fields {
                let mut a = response_value(spec, &f.ty, how, n)?;
                if let Some(inner) = collapses(spec, f) {
                    a.decoded = a.decoded.get(&inner).cloned().unwrap_or(Value::Null);
                }
                if f.is_json_text() && how.text_as_string {
                    a.wire = Value::String(a.wire.to_string());
                }
                let key = match f.aliases.first() {
                    Some(alias) if how.aliases => alias.clone(),
                    _ => f.name.clone(),
                };
                wire.insert(key, a.wire);
                decoded.insert(f.name.clone(), a.decoded);
            }
            Answer {
                wire: Value::Object(wire),
                decoded: Value::Object(decoded),
            }
        }
    })
}

/// What an empty body (`{}`) decodes to: lists and maps empty, the rest
/// absent.
pub fn empty_answer(spec: &Spec, op: &Operation) -> Result<Value, String> {
    let shape = spec.shape(&op.response).ok_or("no response shape")?;
    let mut out = Map::new();
    for f in &shape.fields {
        let v = if collapses(spec, f).is_some() || matches!(f.ty, Type::Array(_)) {
            Value::Array(Vec::new())
        } else if matches!(f.ty, Type::Map(_)) {
            Value::Object(Map::new())
        } else {
            Value::Null
        };
        out.insert(f.name.clone(), v);
    }
    Ok(Value::Object(out))
}

/// One step into a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    First,
}

/// The steps a spec path (`Domains.PageData`, `A.B[].C`) takes through the
/// wire body and through the decoded value.
fn steps(spec: &Spec, op: &Operation, path: &str) -> Result<(Vec<Step>, Vec<Step>), String> {
    let mut shape = op.response.clone();
    let (mut wire, mut decoded) = (Vec::new(), Vec::new());
    let segments: Vec<&str> = path.split('.').collect();
    let mut i = 0;
    while i < segments.len() {
        let (name, first) = split(segments[i]);
        let s = spec
            .shape(&shape)
            .ok_or_else(|| format!("no shape `{shape}`"))?;
        let field = s
            .fields
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| format!("{}: `{path}`: no field `{name}`", op.name))?;
        wire.push(Step::Key(name.to_owned()));
        decoded.push(Step::Key(name.to_owned()));
        let mut ty = &field.ty;
        let mut first = first;
        if let Some(inner) = collapses(spec, field) {
            // The wrapper and its list are one step of the decoded value.
            i += 1;
            let (next, next_first) =
                split(segments.get(i).ok_or("a path that stops at a wrapper")?);
            if next != inner {
                return Err(format!("`{path}`: the wrapper holds `{inner}`"));
            }
            wire.push(Step::Key(inner.clone()));
            let wrapper = spec
                .shape(ty.shape().unwrap_or_default())
                .ok_or("no wrapper shape")?;
            ty = &wrapper.fields[0].ty;
            first = next_first;
        }
        if first {
            wire.push(Step::First);
            decoded.push(Step::First);
            ty = ty
                .items()
                .ok_or_else(|| format!("`{path}`: `[]` on a scalar"))?;
        }
        if let Some(next) = ty.shape() {
            shape = next.to_owned();
        }
        i += 1;
    }
    Ok((wire, decoded))
}

fn split(seg: &str) -> (&str, bool) {
    match seg.strip_suffix("[]") {
        Some(name) => (name, true),
        None => (seg, false),
    }
}

fn at_mut<'v>(mut v: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    for s in steps {
        v = match s {
            Step::Key(k) => v.get_mut(k)?,
            Step::First => v.get_mut(0)?,
        };
    }
    Some(v)
}

fn at<'v>(mut v: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    for s in steps {
        v = match s {
            Step::Key(k) => v.get(k)?,
            Step::First => v.get(0)?,
        };
    }
    Some(v)
}

impl Answer {
    /// Sets the value at a spec path, in the body and in the decoded value.
    pub fn set(
        &mut self,
        spec: &Spec,
        op: &Operation,
        path: &str,
        value: Value,
    ) -> Result<(), String> {
        let (wire, decoded) = steps(spec, op, path)?;
        *at_mut(&mut self.wire, &wire).ok_or_else(|| format!("the sample has no `{path}`"))? =
            value.clone();
        *at_mut(&mut self.decoded, &decoded)
            .ok_or_else(|| format!("the decoded sample has no `{path}`"))? = value;
        Ok(())
    }

    /// The decoded value at a spec path.
    pub fn decoded_at(
        &self,
        spec: &Spec,
        op: &Operation,
        path: &str,
    ) -> Result<Option<&Value>, String> {
        let (_, decoded) = steps(spec, op, path)?;
        Ok(at(&self.decoded, &decoded))
    }

    /// Keeps one element in the list at a spec path (in both trees).
    pub fn truncate_list(
        &mut self,
        spec: &Spec,
        op: &Operation,
        path: &str,
        len: usize,
    ) -> Result<(), String> {
        let (wire, decoded) = steps(spec, op, path)?;
        for (tree, steps) in [(&mut self.wire, wire), (&mut self.decoded, decoded)] {
            if let Some(Value::Array(list)) = at_mut(tree, &steps) {
                list.truncate(len);
            }
        }
        Ok(())
    }
}

/// The spec type at the end of a response path (for page facts).
pub fn type_at<'s>(spec: &'s Spec, op: &Operation, path: &str) -> Result<&'s Type, String> {
    let mut shape = op.response.clone();
    let mut ty = None;
    for seg in path.split('.') {
        let (name, first) = split(seg);
        let s = spec
            .shape(&shape)
            .ok_or_else(|| format!("no shape `{shape}`"))?;
        let f = s
            .fields
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| format!("no field `{name}`"))?;
        let mut t = &f.ty;
        if first {
            t = t.items().ok_or("`[]` on a scalar")?;
        }
        if let Some(next) = t.shape() {
            shape = next.to_owned();
        }
        ty = Some(t);
    }
    ty.ok_or_else(|| "an empty path".into())
}
