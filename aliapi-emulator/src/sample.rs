//! Plausible success bodies for operations the emulator keeps no state for,
//! built from the response shape in the spec.

use serde_json::{Map, Value};

use crate::clock::format_timestamp;
use crate::spec::{Catalog, TypeDesc};

/// The fields of a successful answer with every field of `shape` filled with a sample value (lists get
/// one element). `RequestId` is left for the caller to set.
pub fn sample_body(catalog: &dyn Catalog, shape: &str, now: i64) -> Map<String, Value> {
    match sample_object(catalog, shape, now, 0) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn sample_object(catalog: &dyn Catalog, shape: &str, now: i64, depth: usize) -> Value {
    let mut out = Map::new();
    if depth > 10 {
        return Value::Object(out);
    }
    for f in catalog.shape(shape).unwrap_or_default() {
        if f.name == "RequestId" {
            continue;
        }
        out.insert(
            f.name.clone(),
            sample_value(catalog, &f.name, &f.ty, now, depth + 1),
        );
    }
    Value::Object(out)
}

fn sample_value(catalog: &dyn Catalog, name: &str, ty: &TypeDesc, now: i64, depth: usize) -> Value {
    match ty {
        TypeDesc::String | TypeDesc::Any => Value::String(sample_string(name, now)),
        TypeDesc::Integer => Value::from(sample_integer(name)),
        TypeDesc::Boolean => Value::Bool(true),
        TypeDesc::Float => Value::from(1.5),
        TypeDesc::Array(inner) => {
            Value::Array(vec![sample_value(catalog, name, inner, now, depth + 1)])
        }
        TypeDesc::Map(inner) => {
            let mut m = Map::new();
            m.insert(
                "key".into(),
                sample_value(catalog, name, inner, now, depth + 1),
            );
            Value::Object(m)
        }
        TypeDesc::Object(shape) => sample_object(catalog, shape, now, depth),
    }
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
    use crate::spec;

    #[test]
    fn fills_nested_lists() {
        let cdn = spec::cdn();
        let body = sample_body(cdn, "DescribeDomainBpsDataResponseBody", 0);
        let points = &body["BpsDataPerInterval"]["DataModule"];
        assert!(points.as_array().is_some_and(|a| a.len() == 1));
        assert!(!body.contains_key("RequestId"));
    }
}
