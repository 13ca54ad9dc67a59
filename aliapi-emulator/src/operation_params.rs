//! An operation's own params checked against its spec: every required one
//! present, every value typed as the spec says.
//!
//! The walk follows the spec, not the request: it visits the list items
//! and fields a request actually sent under each spec'd param, and each
//! visit is an indexed lookup in [`Params`], so a request with thousands
//! of list items costs about as much as its bytes.

use aliapi_spec::{Operation, Param, Spec, Style, Type};

use crate::params::Params;
use crate::refusal::operation::{invalid_param, missing_param};
use crate::reply::ApiError;

/// How deep nested lists and objects are followed; the specs nest at most
/// a few levels, and a hostile request cannot make the walk recurse further.
const MAX_DEPTH: usize = 8;

/// Checks `params` against `operation` of `spec`.
pub(crate) fn check_operation_params(
    spec: &Spec,
    operation: &Operation,
    params: &Params,
) -> Result<(), ApiError> {
    for p in &operation.params {
        check_param(spec, p, params)?;
    }
    Ok(())
}

fn check_param(spec: &Spec, p: &Param, params: &Params) -> Result<(), ApiError> {
    let present = match p.style {
        None | Some(Style::Json) => params.get(&p.name).is_some_and(|v| !v.is_empty()),
        Some(Style::RepeatList) | Some(Style::Flat) => params.has_tree(&p.name),
    };
    if !present {
        return if p.required {
            Err(missing_param(&p.name))
        } else {
            Ok(())
        };
    }
    match p.style {
        Some(Style::Json) => {
            let text = params.get(&p.name).unwrap_or_default();
            serde_json::from_str::<serde::de::IgnoredAny>(text)
                .map(|_| ())
                .map_err(|_| invalid_param(&p.name, "it must be a JSON document"))
        }
        _ => check_tree(spec, &p.name, &p.ty, params, 0),
    }
}

fn check_tree(
    spec: &Spec,
    path: &str,
    ty: &Type,
    params: &Params,
    depth: usize,
) -> Result<(), ApiError> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    match ty {
        Type::String | Type::Any => Ok(()),
        Type::Integer { .. } | Type::Long | Type::Boolean | Type::Float => match params.get(path) {
            Some(v) => check_scalar(path, ty, v),
            None => Ok(()),
        },
        Type::Array(inner) => {
            for seg in params.children(path) {
                let ok = seg.parse::<usize>().is_ok_and(|i| i >= 1) && !seg.starts_with('0');
                if !ok {
                    return Err(invalid_param(
                        &format!("{path}.{seg}"),
                        "list items are numbered from 1",
                    ));
                }
                check_tree(spec, &format!("{path}.{seg}"), inner, params, depth + 1)?;
            }
            Ok(())
        }
        Type::Map(inner) => {
            for seg in params.children(path) {
                check_tree(spec, &format!("{path}.{seg}"), inner, params, depth + 1)?;
            }
            Ok(())
        }
        Type::Object(shape) => {
            let fields = spec.shape(shape).map_or(&[][..], |s| s.fields.as_slice());
            for f in fields {
                let sub = format!("{path}.{}", f.name);
                if f.required && !params.has_tree(&sub) {
                    return Err(missing_param(&sub));
                }
                check_tree(spec, &sub, &f.ty, params, depth + 1)?;
            }
            Ok(())
        }
    }
}

fn check_scalar(name: &str, ty: &Type, value: &str) -> Result<(), ApiError> {
    let (ok, what) = match ty {
        // A width the spec knows is 32 bits, as the service's own typed
        // params are; an unknown width is read as 64 bits, which refuses
        // nothing a 32-bit param would take.
        Type::Integer {
            width_unknown: false,
        } => (
            value.parse::<i32>().is_ok(),
            "it must be an integer of 32 bits",
        ),
        Type::Integer {
            width_unknown: true,
        }
        | Type::Long => (value.parse::<i64>().is_ok(), "it must be an integer"),
        Type::Boolean => (
            value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false"),
            "it must be true or false",
        ),
        Type::Float => (
            value.parse::<f64>().is_ok_and(f64::is_finite),
            "it must be a number",
        ),
        _ => (true, ""),
    };
    if ok {
        Ok(())
    } else {
        Err(invalid_param(name, what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_in(spec: &Spec, action: &str, pairs: &[(&str, &str)]) -> Result<(), ApiError> {
        let op = spec.operation(action).expect("an operation of the spec");
        check_operation_params(spec, op, &Params::from_pairs(pairs.iter().copied()))
    }

    fn check(action: &str, pairs: &[(&str, &str)]) -> Result<(), ApiError> {
        check_in(aliapi_spec::cdn(), action, pairs)
    }

    #[test]
    fn required_typed_and_numbered() {
        assert_eq!(
            check("StartCdnDomain", &[]).unwrap_err().code,
            "MissingParameter"
        );
        assert_eq!(check("StartCdnDomain", &[("DomainName", "a.com")]), Ok(()));
        let err = check("DescribeUserDomains", &[("PageSize", "ten")]).unwrap_err();
        assert!(err.message.contains("PageSize"), "{}", err.message);
        let err = check("DescribeUserDomains", &[("Tag.0.Key", "k")]).unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
        let err = check(
            "TagResources",
            &[
                ("ResourceType", "DOMAIN"),
                ("ResourceId.1", "a.com"),
                ("Tag.1.Value", "v"),
            ],
        )
        .unwrap_err();
        assert!(err.message.contains("Tag.1.Key"), "{}", err.message);
    }

    #[test]
    fn integers_of_a_known_width_are_32_bits() {
        let page_size = aliapi_spec::cdn()
            .operation("DescribeUserDomains")
            .and_then(|op| op.params.iter().find(|p| p.name == "PageSize"))
            .map(|p| p.ty.clone());
        assert_eq!(
            page_size,
            Some(Type::Integer {
                width_unknown: false
            })
        );
        assert_eq!(
            check("DescribeUserDomains", &[("PageSize", "2147483647")]),
            Ok(())
        );
        let err = check("DescribeUserDomains", &[("PageSize", "2147483648")]).unwrap_err();
        assert!(err.message.contains("32 bits"), "{}", err.message);
        // A long takes 64 bits.
        assert_eq!(
            check(
                "StartCdnDomain",
                &[("DomainName", "a.com"), ("OwnerId", "9223372036854775807")]
            ),
            Ok(())
        );
    }

    #[test]
    fn the_merged_spec_is_what_is_checked() {
        // The official metadata makes both fields of a CEN tag required.
        let cbn = aliapi_spec::cbn();
        let base = [
            ("ResourceType", "cen"),
            ("RegionId", "cn-hangzhou"),
            ("ResourceId.1", "cen-1"),
            ("Tag.1.Key", "k"),
        ];
        let err = check_in(cbn, "TagResources", &base).unwrap_err();
        assert_eq!(err.code, "MissingParameter");
        assert!(err.message.contains("Tag.1.Value"), "{}", err.message);
        let mut full = base.to_vec();
        full.push(("Tag.1.Value", "v"));
        assert_eq!(check_in(cbn, "TagResources", &full), Ok(()));
        // An operation only the official metadata has is checked too.
        let added = aliapi_spec::cdn()
            .operations
            .iter()
            .find(|op| op.added && op.params.iter().any(|p| p.required))
            .expect("an added operation with a required param");
        let err = check(&added.name, &[]).unwrap_err();
        assert_eq!(err.code, "MissingParameter", "{}", added.name);
    }

    #[test]
    fn twenty_thousand_list_params_are_checked_item_by_item() {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for i in 1..=10_000 {
            pairs.push((format!("Tag.{i}.Key"), format!("k{i}")));
            pairs.push((format!("Tag.{i}.Value"), format!("v{i}")));
        }
        let cdn = aliapi_spec::cdn();
        let op = cdn.operation("DescribeUserDomains").unwrap();
        assert_eq!(
            check_operation_params(cdn, op, &Params::from_pairs(pairs.clone())),
            Ok(())
        );
        // One bad item among them is still found.
        pairs.push(("Tag.0.Key".into(), "k0".into()));
        let err = check_operation_params(cdn, op, &Params::from_pairs(pairs)).unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
        assert!(err.message.contains("Tag.0"), "{}", err.message);
    }
}
