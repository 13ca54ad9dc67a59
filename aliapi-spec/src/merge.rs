//! The merge rule: the official facts applied to a Tea spec, in one place.
//!
//! The rule is the one `specs/official/README.md` gives, applied to the JSON
//! trees before they are read into the typed model, so that "set every key
//! of `set`, then delete every key of `remove`" means exactly that:
//!
//! 1. Start from the Tea spec and add every shape of the facts (a name the
//!    spec already has is refused).
//! 2. Additions, then corrections, in [`AmendmentKind::ALL`] order:
//!    - `operation_added`: append `record` (flagged `added`);
//!    - `param_added`: append `param` to its operation (flagged `added`, and
//!      `deprecated` when the record says so);
//!    - `response_field_added`: append `field` to the target shape (`added`);
//!    - `required`, `integer_width`, `deprecated`, `operation_undocumented`,
//!      `param_undocumented`: at the target, check the values the record says
//!      the spec had (`spec`), set every key of `set`, delete every key of
//!      `remove`.
//! 3. `response_type`: the field keeps its type (which must be `parse_into`)
//!    and gets `encoding: "json"`: it decodes from a string holding JSON, and
//!    from the value itself.
//! 4. `response_key`: the field gets `aliases`, every name of `accept` other
//!    than its own.
//! 5. Nothing is dropped: undocumented and deprecated operations and params
//!    stay, with their flags.
//! 6. and 7. The enum records and the error catalogue are carried over as
//!    they are.
//!
//! Every record must apply: a target that does not exist, an addition that
//! already exists, or a `spec` value that no longer matches fails the whole
//! merge, naming the record. No record is skipped for its evidence; each
//! carries its `agree` and `evidence` for whoever wants to.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::Error;
use crate::facts::{AmendmentKind, Facts};
use crate::model::Spec;

/// How many records of each kind a merge applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    applied: BTreeMap<AmendmentKind, usize>,
    shapes_added: usize,
}

impl MergeReport {
    /// How many records of `kind` were applied.
    pub fn applied(&self, kind: AmendmentKind) -> usize {
        self.applied.get(&kind).copied().unwrap_or(0)
    }

    /// How many shapes of the facts were added.
    pub fn shapes_added(&self) -> usize {
        self.shapes_added
    }

    /// All records applied, of every kind.
    pub fn total(&self) -> usize {
        self.applied.values().sum()
    }
}

/// The outcome of a merge: the merged spec and what went into it.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The Tea spec with the facts applied.
    pub spec: Spec,
    /// The facts, typed.
    pub facts: Facts,
    /// What was applied.
    pub report: MergeReport,
}

/// Merges a facts file into a Tea spec, both given as JSON text.
pub fn merge(tea: &str, facts: &str) -> Result<Merged, Error> {
    let tea: Value =
        serde_json::from_str(tea).map_err(|e| Error::new(format!("spec: invalid JSON: {e}")))?;
    let raw_facts: Value =
        serde_json::from_str(facts).map_err(|e| Error::new(format!("facts: invalid JSON: {e}")))?;
    let typed = Facts::from_json(facts)?;
    let (merged, report) = merge_values(tea, &raw_facts)?;
    let spec = Spec::from_value(merged)?;
    Ok(Merged {
        spec,
        facts: typed,
        report,
    })
}

/// Merges the JSON tree of a facts file into that of a Tea spec.
pub fn merge_values(mut spec: Value, facts: &Value) -> Result<(Value, MergeReport), Error> {
    let mut report = MergeReport::default();
    for key in ["product", "version"] {
        if spec.get(key) != facts.get(key) {
            return Err(Error::new(format!(
                "the facts are for {} {}, the spec for {} {}",
                facts["product"], facts["version"], spec["product"], spec["version"]
            )));
        }
    }

    // 1. New shapes.
    let shapes = object_mut(&mut spec, "shapes")?;
    for (name, shape) in facts
        .get("shapes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if shapes.insert(name.clone(), shape.clone()).is_some() {
            return Err(Error::new(format!(
                "facts shape `{name}` is already in the spec"
            )));
        }
        report.shapes_added += 1;
    }

    let amendments = facts
        .get("amendments")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::new("facts without `amendments`"))?;
    for key in amendments.keys() {
        if !AmendmentKind::ALL.iter().any(|k| k.as_str() == key) {
            return Err(Error::new(format!("unknown amendment kind `{key}`")));
        }
    }
    // 2. to 4., kind by kind.
    for kind in AmendmentKind::ALL {
        let records = match amendments.get(kind.as_str()) {
            None => continue,
            Some(Value::Array(records)) => records,
            Some(_) => return Err(Error::new(format!("`{kind}` is not a list"))),
        };
        for record in records {
            let op = record
                .get("operation")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_owned();
            apply(&mut spec, kind, record)
                .map_err(|e| Error::new(format!("{kind} record for {op}: {e}")))?;
            *report.applied.entry(kind).or_default() += 1;
        }
    }

    // 6. and 7.
    let root = spec
        .as_object_mut()
        .ok_or_else(|| Error::new("the spec is not an object"))?;
    for key in ["enums", "errors"] {
        if let Some(v) = facts.get(key) {
            root.insert(key.to_owned(), v.clone());
        }
    }
    Ok((spec, report))
}

fn apply(spec: &mut Value, kind: AmendmentKind, record: &Value) -> Result<(), String> {
    let operation = record
        .get("operation")
        .and_then(Value::as_str)
        .ok_or("no `operation`")?;
    match kind {
        AmendmentKind::OperationAdded => {
            let mut op = record.get("record").cloned().ok_or("no `record`")?;
            let name = op
                .get("name")
                .and_then(Value::as_str)
                .ok_or("a record without `name`")?;
            if name != operation {
                return Err(format!("the record is named `{name}`"));
            }
            if find_operation(spec, name).is_ok() {
                return Err("the operation is already in the spec".into());
            }
            flag(&mut op, "added")?;
            if truthy(record, "deprecated") {
                flag(&mut op, "deprecated")?;
            }
            array_mut(spec, "operations")?.push(op);
        }
        AmendmentKind::ParamAdded => {
            let mut param = record.get("param").cloned().ok_or("no `param`")?;
            let name = param
                .get("name")
                .and_then(Value::as_str)
                .ok_or("a param without `name`")?
                .to_owned();
            flag(&mut param, "added")?;
            if truthy(record, "deprecated") {
                flag(&mut param, "deprecated")?;
            }
            let params = array_mut(find_operation(spec, operation)?, "params")?;
            if params
                .iter()
                .any(|p| p.get("name").and_then(Value::as_str) == Some(&name))
            {
                return Err(format!("param `{name}` is already in the spec"));
            }
            params.push(param);
        }
        AmendmentKind::ResponseFieldAdded => {
            let mut field = record.get("field").cloned().ok_or("no `field`")?;
            let name = field
                .get("name")
                .and_then(Value::as_str)
                .ok_or("a field without `name`")?
                .to_owned();
            flag(&mut field, "added")?;
            let shape = match target(record)? {
                Target::Shape(shape) => shape,
                _ => return Err("the target is not a shape".into()),
            };
            let fields = array_mut(find_shape(spec, shape)?, "fields")?;
            if fields
                .iter()
                .any(|f| f.get("name").and_then(Value::as_str) == Some(&name))
            {
                return Err(format!("field `{name}` is already in `{shape}`"));
            }
            fields.push(field);
        }
        AmendmentKind::Required
        | AmendmentKind::IntegerWidth
        | AmendmentKind::Deprecated
        | AmendmentKind::OperationUndocumented
        | AmendmentKind::ParamUndocumented => {
            let at = locate(spec, operation, target(record)?)?;
            let at = at.as_object_mut().ok_or("the target is not an object")?;
            // What the record says the spec holds must still hold.
            for (key, want) in record
                .get("spec")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let got = at.get(key).cloned().unwrap_or(Value::Null);
                let absent_false = got.is_null() && *want == Value::Bool(false);
                if got != *want && !absent_false {
                    return Err(format!(
                        "the spec has `{key}` = {got}, the record expects {want}"
                    ));
                }
            }
            let set = record
                .get("set")
                .and_then(Value::as_object)
                .ok_or("no `set`")?;
            for (key, value) in set {
                at.insert(key.clone(), value.clone());
            }
            for key in record
                .get("remove")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let key = key.as_str().ok_or("`remove` holds a non-string")?;
                if at.remove(key).is_none() {
                    return Err(format!("`{key}` to remove is not there"));
                }
            }
        }
        AmendmentKind::ResponseType => {
            let encoding = record
                .get("encoding")
                .and_then(Value::as_str)
                .ok_or("no `encoding`")?;
            if encoding != "json" {
                return Err(format!("unknown encoding `{encoding}`"));
            }
            if record.pointer("/wire/type").and_then(Value::as_str) != Some("string") {
                return Err("the wire type is not a string".into());
            }
            let parse_into = record
                .get("parse_into")
                .and_then(Value::as_object)
                .ok_or("no `parse_into`")?;
            let at = locate(spec, operation, target(record)?)?;
            let at = at.as_object_mut().ok_or("the target is not an object")?;
            for (key, want) in parse_into {
                if at.get(key) != Some(want) {
                    return Err(format!(
                        "the field's `{key}` is not {want} as `parse_into` says"
                    ));
                }
            }
            at.insert("encoding".into(), Value::String(encoding.to_owned()));
        }
        AmendmentKind::ResponseKey => {
            let accept: Vec<&str> = record
                .get("accept")
                .and_then(Value::as_array)
                .ok_or("no `accept`")?
                .iter()
                .map(|v| v.as_str().ok_or("`accept` holds a non-string"))
                .collect::<Result<_, _>>()?;
            let at = locate(spec, operation, target(record)?)?;
            let at = at.as_object_mut().ok_or("the target is not an object")?;
            let name = at
                .get("name")
                .and_then(Value::as_str)
                .ok_or("a field without `name`")?
                .to_owned();
            if !accept.contains(&name.as_str()) {
                return Err(format!("`accept` leaves out the field's own name `{name}`"));
            }
            let aliases = accept
                .iter()
                .filter(|a| **a != name)
                .map(|a| Value::String((*a).to_owned()))
                .collect();
            at.insert("aliases".into(), Value::Array(aliases));
        }
    }
    Ok(())
}

/// A target, borrowed from the record's JSON.
enum Target<'a> {
    Operation(&'a str),
    Param(&'a str, bool),
    Field(&'a str, &'a str, bool),
    Shape(&'a str),
}

fn target(record: &Value) -> Result<Target<'_>, String> {
    let t = record
        .get("target")
        .and_then(Value::as_object)
        .ok_or("no `target`")?;
    let s = |k: &str| t.get(k).and_then(Value::as_str);
    let items = t.get("items").and_then(Value::as_bool).unwrap_or(false);
    Ok(match (s("operation"), s("param"), s("shape"), s("field")) {
        (Some(op), None, None, None) if !items => Target::Operation(op),
        (None, Some(p), None, None) => Target::Param(p, items),
        (None, None, Some(shape), Some(field)) => Target::Field(shape, field, items),
        (None, None, Some(shape), None) if !items => Target::Shape(shape),
        _ => return Err(format!("unreadable target {}", Value::Object(t.clone()))),
    })
}

/// The JSON object a target names.
fn locate<'s>(
    spec: &'s mut Value,
    operation: &str,
    target: Target<'_>,
) -> Result<&'s mut Value, String> {
    let (at, items) = match target {
        Target::Operation(name) => return find_operation(spec, name),
        Target::Shape(name) => return find_shape(spec, name),
        Target::Param(name, items) => {
            let params = array_mut(find_operation(spec, operation)?, "params")?;
            let p = params
                .iter_mut()
                .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
                .ok_or_else(|| format!("no param `{name}`"))?;
            (p, items)
        }
        Target::Field(shape, name, items) => {
            let fields = array_mut(find_shape(spec, shape)?, "fields")?;
            let f = fields
                .iter_mut()
                .find(|f| f.get("name").and_then(Value::as_str) == Some(name))
                .ok_or_else(|| format!("no field `{name}` in `{shape}`"))?;
            (f, items)
        }
    };
    if items {
        at.get_mut("items")
            .ok_or_else(|| "the target has no `items`".to_string())
    } else {
        Ok(at)
    }
}

fn find_operation<'s>(spec: &'s mut Value, name: &str) -> Result<&'s mut Value, String> {
    array_mut(spec, "operations")?
        .iter_mut()
        .find(|op| op.get("name").and_then(Value::as_str) == Some(name))
        .ok_or_else(|| format!("no operation `{name}`"))
}

fn find_shape<'s>(spec: &'s mut Value, name: &str) -> Result<&'s mut Value, String> {
    object_mut(spec, "shapes")
        .map_err(|e| e.to_string())?
        .get_mut(name)
        .ok_or_else(|| format!("no shape `{name}`"))
}

fn array_mut<'s>(v: &'s mut Value, key: &str) -> Result<&'s mut Vec<Value>, String> {
    v.get_mut(key)
        .and_then(Value::as_array_mut)
        .ok_or_else(|| format!("no `{key}` list"))
}

fn object_mut<'s>(v: &'s mut Value, key: &str) -> Result<&'s mut Map<String, Value>, Error> {
    v.get_mut(key)
        .and_then(Value::as_object_mut)
        .ok_or_else(|| Error::new(format!("no `{key}` object")))
}

fn flag(v: &mut Value, key: &str) -> Result<(), String> {
    v.as_object_mut()
        .ok_or("not an object")?
        .insert(key.to_owned(), Value::Bool(true));
    Ok(())
}

fn truthy(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}
