//! What the generator derives from a spec before printing anything: Rust
//! names and types, which shapes belong to which operation, and where the
//! paging facts sit.

use std::collections::{BTreeSet, HashMap};

use crate::names;
use crate::spec::{Field, Operation, Param, Spec, TypeDesc};

/// The param every request may carry but the client fills in itself.
pub const CLIENT_PARAMS: &[&str] = &["SecurityToken"];

/// One spec plus the lookups the printers need.
pub struct Model<'a> {
    pub spec: &'a Spec,
    /// Response shape name → operation name.
    response_of: HashMap<&'a str, &'a str>,
}

/// A shape reached from an operation, with where it sits.
pub struct Reached<'a> {
    pub shape: &'a str,
    /// Dotted wire path from the param or from the response body, with `[]`
    /// after each list step.
    pub path: String,
}

impl<'a> Model<'a> {
    pub fn new(spec: &'a Spec) -> Result<Self, String> {
        let mut response_of = HashMap::new();
        let mut op_names = BTreeSet::new();
        for op in &spec.operations {
            names::check_ident(&names::snake(&op.name))?;
            if !op_names.insert(op.name.as_str()) {
                return Err(format!("operation `{}` is listed twice", op.name));
            }
            if response_of
                .insert(op.response.as_str(), op.name.as_str())
                .is_some()
            {
                return Err(format!("response shape `{}` is shared", op.response));
            }
        }
        let model = Model { spec, response_of };
        // Type names must be unique across the crate, since everything is
        // re-exported at its root.
        let mut seen = BTreeSet::new();
        for op in &spec.operations {
            for name in std::iter::once(op.name.clone()).chain(
                model
                    .shapes_of(op)?
                    .into_iter()
                    .map(|r| model.type_name(r.shape))
                    .collect::<Result<Vec<_>, _>>()?,
            ) {
                if !seen.insert(name.clone()) {
                    return Err(format!("type name `{name}` is generated twice"));
                }
            }
        }
        Ok(model)
    }

    /// The Rust type name of a shape: `<Op>Response` for a response body,
    /// the spec's own name otherwise.
    pub fn type_name(&self, shape: &str) -> Result<String, String> {
        match self.response_of.get(shape) {
            Some(op) => Ok(format!("{op}Response")),
            None => names::type_name(shape),
        }
    }

    /// The Rust type of a descriptor, without any `Option`.
    pub fn rust_type(&self, t: &TypeDesc) -> Result<String, String> {
        Ok(match t.kind.as_str() {
            "string" => "String".into(),
            "integer" if t.width_unknown => "i64".into(),
            "integer" => "i32".into(),
            "long" => "i64".into(),
            "boolean" => "bool".into(),
            "float" => "f64".into(),
            "array" => format!("Vec<{}>", self.rust_type(items(t)?)?),
            "map" => format!(
                "std::collections::BTreeMap<String, {}>",
                self.rust_type(items(t)?)?
            ),
            "object" => self.type_name(shape_of(t)?)?,
            "any" => "serde_json::Value".into(),
            other => return Err(format!("unknown type `{other}`")),
        })
    }

    /// The params that become fields (the client-filled ones left out).
    pub fn fields_of<'o>(&self, op: &'o Operation) -> Vec<&'o Param> {
        op.params
            .iter()
            .filter(|p| !CLIENT_PARAMS.contains(&p.name.as_str()))
            .collect()
    }

    /// Every shape an operation uses: request-side ones first (in param
    /// order, depth first), then the response body and its nested shapes.
    pub fn shapes_of(&self, op: &Operation) -> Result<Vec<Reached<'a>>, String> {
        let mut out = self.request_shapes(op)?;
        out.extend(self.response_shapes(op)?);
        Ok(out)
    }

    pub fn request_shapes(&self, op: &Operation) -> Result<Vec<Reached<'a>>, String> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for p in self.fields_of(op) {
            self.walk(&p.ty, p.name.clone(), &mut out, &mut seen)?;
        }
        Ok(out)
    }

    pub fn response_shapes(&self, op: &Operation) -> Result<Vec<Reached<'a>>, String> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        let body = TypeDesc {
            kind: "object".into(),
            items: None,
            shape: Some(op.response.clone()),
            width_unknown: false,
        };
        self.walk(&body, String::new(), &mut out, &mut seen)?;
        Ok(out)
    }

    fn walk(
        &self,
        t: &TypeDesc,
        path: String,
        out: &mut Vec<Reached<'a>>,
        seen: &mut BTreeSet<&'a str>,
    ) -> Result<(), String> {
        match t.kind.as_str() {
            "array" => self.walk(items(t)?, format!("{path}[]"), out, seen),
            "map" => self.walk(items(t)?, format!("{path}.*"), out, seen),
            "object" => {
                let name = shape_of(t)?;
                let (key, shape) = self
                    .spec
                    .shapes
                    .get_key_value(name)
                    .ok_or_else(|| format!("shape `{name}` is not defined"))?;
                if !seen.insert(key.as_str()) {
                    return Ok(());
                }
                out.push(Reached {
                    shape: key.as_str(),
                    path: path.clone(),
                });
                check_field_names(name, &shape.fields)?;
                for f in &shape.fields {
                    let sub = if path.is_empty() {
                        f.name.clone()
                    } else {
                        format!("{path}.{}", f.name)
                    };
                    self.walk(&f.ty, sub, out, seen)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

fn check_field_names(shape: &str, fields: &[Field]) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for f in fields {
        let ident = names::snake_ident(&f.name);
        names::check_ident(&ident)?;
        if !seen.insert(ident.clone()) {
            return Err(format!("two fields of `{shape}` map to `{ident}`"));
        }
    }
    Ok(())
}

pub fn items(t: &TypeDesc) -> Result<&TypeDesc, String> {
    t.items
        .as_deref()
        .ok_or_else(|| format!("`{}` descriptor without `items`", t.kind))
}

pub fn shape_of(t: &TypeDesc) -> Result<&str, String> {
    t.shape
        .as_deref()
        .ok_or_else(|| "`object` descriptor without `shape`".to_string())
}

/// How a field type reads in docs.
pub fn describe(t: &TypeDesc) -> String {
    match t.kind.as_str() {
        "string" => "string".into(),
        "integer" if t.width_unknown => "integer".into(),
        "integer" => "32-bit integer".into(),
        "long" => "64-bit integer".into(),
        "boolean" => "boolean".into(),
        "float" => "number".into(),
        "array" => match t.items.as_deref() {
            Some(i) => format!("list of {}", plural(&describe(i))),
            None => "list".into(),
        },
        "map" => match t.items.as_deref() {
            Some(i) => format!("map from string to {}", describe(i)),
            None => "map".into(),
        },
        "object" => "object".into(),
        "any" => "JSON value".into(),
        other => other.into(),
    }
}

fn plural(s: &str) -> String {
    match s {
        "JSON value" => "JSON values".into(),
        "map" => "maps".into(),
        _ if s.starts_with("list of") || s.starts_with("map from") => s.into(),
        _ => format!("{s}s"),
    }
}

/// Checks that a request param can be printed.
pub fn check_param(op: &Operation, p: &Param) -> Result<(), String> {
    names::check_ident(&names::snake_ident(&p.name))?;
    match p.location.as_str() {
        "query" | "body" => {}
        other => {
            return Err(format!(
                "{}.{}: unknown location `{other}`",
                op.name, p.name
            ));
        }
    }
    match p.style.as_deref() {
        None | Some("repeatList") | Some("flat") | Some("json") => Ok(()),
        Some(other) => Err(format!("{}.{}: unknown style `{other}`", op.name, p.name)),
    }
}
