//! Plausible answers built from the response shapes of the spec: whole
//! sample bodies for operations the emulator keeps no state for, and the
//! fields a stateful answer leaves out, so that every answer has every
//! field its shape names (those the official metadata added included).
//!
//! A string field with documented values gets the first of them, and a
//! field the service sends as JSON text gets its sample as JSON text, as
//! the service writes it.

use aliapi_spec::facts::Direction;
use aliapi_spec::{Field, Spec, Target, Type};
use serde_json::{Map, Value};

use crate::clock::format_timestamp;

/// How deep nested shapes are followed; the specs nest far less, and a
/// shape that names itself cannot make the walk loop.
const MAX_DEPTH: usize = 10;

/// The fields of a successful answer with every field of `shape` filled
/// with a sample value (lists get one element). `RequestId` is left for
/// the caller to set.
pub fn sample_body(spec: &Spec, shape: &str, now: i64) -> Map<String, Value> {
    let mut out = Map::new();
    fill_object(spec, shape, &mut out, Lists::OneSample, now, 0);
    out
}

/// Adds to `body` every field of `shape` it lacks, recursively through
/// the objects and list items it has: a scalar gets a sample value, an
/// object its own fields, a list or map nothing (an answer built from
/// state has no item it did not put there). Fields already there are
/// kept as they are.
pub fn complete_body(spec: &Spec, shape: &str, body: &mut Map<String, Value>, now: i64) {
    fill_object(spec, shape, body, Lists::Empty, now, 0);
}

/// What an absent list or map is filled with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lists {
    /// One sample element (a map: one sample entry).
    OneSample,
    /// Nothing.
    Empty,
}

fn fill_object(
    spec: &Spec,
    shape: &str,
    out: &mut Map<String, Value>,
    lists: Lists,
    now: i64,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(fields) = spec.shape(shape).map(|s| &s.fields) else {
        return;
    };
    for f in fields {
        if f.name == "RequestId" {
            continue;
        }
        match out.get_mut(&f.name) {
            Some(present) => complete_value(spec, &f.ty, present, now, depth + 1),
            None => {
                let at = Place { shape, field: f };
                let value = sample_value(spec, at, &f.ty, false, lists, now, depth + 1);
                out.insert(f.name.clone(), as_wire(f, value));
            }
        }
    }
}

/// Walks into a value a stateful answer put there, completing the objects
/// in it.
fn complete_value(spec: &Spec, ty: &Type, value: &mut Value, now: i64, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match (ty, value) {
        (Type::Object(shape), Value::Object(map)) => {
            fill_object(spec, shape, map, Lists::Empty, now, depth);
        }
        (Type::Array(inner), Value::Array(items)) => {
            for item in items {
                complete_value(spec, inner, item, now, depth + 1);
            }
        }
        (Type::Map(inner), Value::Object(map)) => {
            for item in map.values_mut() {
                complete_value(spec, inner, item, now, depth + 1);
            }
        }
        _ => {}
    }
}

/// The value as the service sends the field: JSON text for a field the
/// official metadata says is sent that way.
fn as_wire(field: &Field, value: Value) -> Value {
    if field.is_json_text() {
        Value::String(value.to_string())
    } else {
        value
    }
}

/// Where a value sits: the shape and the field, for documented values.
#[derive(Clone, Copy)]
struct Place<'a> {
    shape: &'a str,
    field: &'a Field,
}

fn sample_value(
    spec: &Spec,
    at: Place<'_>,
    ty: &Type,
    in_list: bool,
    lists: Lists,
    now: i64,
    depth: usize,
) -> Value {
    match ty {
        Type::String | Type::Any => Value::String(
            documented_value(spec, at, in_list)
                .map_or_else(|| sample_string(&at.field.name, now), str::to_owned),
        ),
        Type::Integer { .. } | Type::Long => Value::from(sample_integer(&at.field.name)),
        Type::Boolean => Value::Bool(true),
        Type::Float => Value::from(1.5),
        Type::Array(inner) => match lists {
            Lists::OneSample => Value::Array(vec![sample_value(
                spec,
                at,
                inner,
                true,
                lists,
                now,
                depth + 1,
            )]),
            Lists::Empty => Value::Array(Vec::new()),
        },
        Type::Map(inner) => {
            let mut m = Map::new();
            if lists == Lists::OneSample {
                m.insert(
                    "key".into(),
                    sample_value(spec, at, inner, true, lists, now, depth + 1),
                );
            }
            Value::Object(m)
        }
        Type::Object(shape) => {
            let mut m = Map::new();
            fill_object(spec, shape, &mut m, lists, now, depth);
            Value::Object(m)
        }
    }
}

/// The first documented value (not empty) of a response field, if the
/// official metadata enumerates its values.
fn documented_value<'s>(spec: &'s Spec, at: Place<'_>, in_list: bool) -> Option<&'s str> {
    spec.enums
        .iter()
        .filter(|e| e.direction == Direction::Response)
        .find(|e| match &e.target {
            Target::Field {
                shape,
                field,
                items,
            } => shape == at.shape && *field == at.field.name && *items == in_list,
            _ => false,
        })
        .and_then(|e| e.values.iter().find(|v| !v.is_empty()))
        .map(String::as_str)
}

fn sample_string(name: &str, now: i64) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with("time") || lower.starts_with("gmt") || lower.ends_with("date") {
        format_timestamp(now)
    } else if lower.contains("domain") && lower.ends_with("name") {
        "example.com".into()
    } else if lower.ends_with("regionid") {
        "cn-hangzhou".into()
    } else if lower.ends_with("status") {
        "Active".into()
    } else if lower.ends_with("id") {
        format!("{}-sample0001", lower.trim_end_matches("id"))
    } else if lower.ends_with("ip") {
        "192.0.2.1".into()
    } else {
        format!("sample-{lower}")
    }
}

fn sample_integer(name: &str) -> i64 {
    let lower = name.to_ascii_lowercase();
    if lower.contains("pagenumber") {
        1
    } else if lower.contains("pagesize") {
        10
    } else if lower.contains("total") || lower.contains("count") {
        1
    } else {
        100
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_nested_lists() {
        let body = sample_body(aliapi_spec::cdn(), "DescribeDomainBpsDataResponseBody", 0);
        let points = &body["BpsDataPerInterval"]["DataModule"];
        assert!(points.as_array().is_some_and(|a| a.len() == 1));
        assert!(!body.contains_key("RequestId"));
    }

    #[test]
    fn documented_values_and_json_text() {
        let cdn = aliapi_spec::cdn();
        // A documented status is one of its documented values.
        let body = sample_body(cdn, "DescribeCdnDomainDetailResponseBody", 0);
        assert_eq!(body["GetDomainDetailModel"]["DomainStatus"], "online");
        // The official metadata says this field is JSON text: it is sent
        // as a string that parses into the shape's object.
        let body = sample_body(cdn, "DescribeDomainVerifyDataResponseBody", 0);
        let text = body["Content"].as_str().expect("JSON text");
        let inner: Value = serde_json::from_str(text).expect("it parses");
        assert!(inner.is_object(), "{inner}");
    }

    #[test]
    fn completion_keeps_what_is_there_and_adds_what_is_not() {
        let cbn = aliapi_spec::cbn();
        let mut body: Map<String, Value> = serde_json::from_value(serde_json::json!({
            "TransitRouters": [{"TransitRouterId": "tr-1", "Status": "Creating"}],
            "TotalCount": 1,
        }))
        .unwrap();
        complete_body(cbn, "ListTransitRoutersResponseBody", &mut body, 0);
        let tr = &body["TransitRouters"][0];
        assert_eq!(tr["TransitRouterId"], "tr-1");
        assert_eq!(tr["Status"], "Creating");
        // A field the official metadata adds is there, and a list that
        // state did not fill stays empty.
        assert!(tr.get("ServiceMode").is_some(), "{tr}");
        assert_eq!(tr["Tags"], Value::Array(Vec::new()));
        assert_eq!(body["TotalCount"], 1);
        assert!(body.contains_key("PageNumber"));
        assert!(!body.contains_key("RequestId"));
    }
}
