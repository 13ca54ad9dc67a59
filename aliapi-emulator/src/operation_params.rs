//! An operation's own params checked against its spec: every required one
//! present, every value typed as the spec says.
//!
//! The walk follows the spec, not the request: it visits the list items
//! and fields a request actually sent under each spec'd param, and each
//! visit is an indexed lookup in [`Params`], so a request with thousands
//! of list items costs about as much as its bytes.

use crate::params::Params;
use crate::reply::ApiError;
use crate::spec::{Catalog, Operation, ParamSpec, TypeDesc, WireStyle};

/// How deep nested lists and objects are followed; the specs nest at most
/// a few levels, and a hostile request cannot make the walk recurse further.
const MAX_DEPTH: usize = 8;

/// Checks `params` against `operation` of the spec `catalog`.
pub(crate) fn check_operation_params(
    catalog: &dyn Catalog,
    operation: &Operation,
    params: &Params,
) -> Result<(), ApiError> {
    for p in &operation.params {
        check_param(catalog, p, params)?;
    }
    Ok(())
}

fn check_param(catalog: &dyn Catalog, p: &ParamSpec, params: &Params) -> Result<(), ApiError> {
    let present = match p.style {
        WireStyle::Plain | WireStyle::Json => params.get(&p.name).is_some_and(|v| !v.is_empty()),
        WireStyle::RepeatList | WireStyle::Flat => params.has_tree(&p.name),
    };
    if !present {
        return if p.required {
            Err(ApiError::missing_param(&p.name))
        } else {
            Ok(())
        };
    }
    match p.style {
        WireStyle::Json => {
            let text = params.get(&p.name).unwrap_or_default();
            serde_json::from_str::<serde::de::IgnoredAny>(text)
                .map(|_| ())
                .map_err(|_| ApiError::invalid_param(&p.name, "it must be a JSON document"))
        }
        _ => check_tree(catalog, &p.name, &p.ty, params, 0),
    }
}

fn check_tree(
    catalog: &dyn Catalog,
    path: &str,
    ty: &TypeDesc,
    params: &Params,
    depth: usize,
) -> Result<(), ApiError> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    match ty {
        TypeDesc::String | TypeDesc::Any => Ok(()),
        TypeDesc::Integer | TypeDesc::Boolean | TypeDesc::Float => match params.get(path) {
            Some(v) => check_scalar(path, ty, v),
            None => Ok(()),
        },
        TypeDesc::Array(inner) => {
            for seg in params.children(path) {
                let ok = seg.parse::<usize>().is_ok_and(|i| i >= 1) && !seg.starts_with('0');
                if !ok {
                    return Err(ApiError::invalid_param(
                        &format!("{path}.{seg}"),
                        "list items are numbered from 1",
                    ));
                }
                check_tree(catalog, &format!("{path}.{seg}"), inner, params, depth + 1)?;
            }
            Ok(())
        }
        TypeDesc::Map(inner) => {
            for seg in params.children(path) {
                check_tree(catalog, &format!("{path}.{seg}"), inner, params, depth + 1)?;
            }
            Ok(())
        }
        TypeDesc::Object(shape) => {
            for f in catalog.shape(shape).unwrap_or_default() {
                let sub = format!("{path}.{}", f.name);
                if f.required && !params.has_tree(&sub) {
                    return Err(ApiError::missing_param(&sub));
                }
                check_tree(catalog, &sub, &f.ty, params, depth + 1)?;
            }
            Ok(())
        }
    }
}

fn check_scalar(name: &str, ty: &TypeDesc, value: &str) -> Result<(), ApiError> {
    let ok = match ty {
        TypeDesc::Integer => value.parse::<i64>().is_ok(),
        TypeDesc::Boolean => {
            value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false")
        }
        TypeDesc::Float => value.parse::<f64>().is_ok_and(f64::is_finite),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        let what = match ty {
            TypeDesc::Integer => "it must be an integer",
            TypeDesc::Boolean => "it must be true or false",
            _ => "it must be a number",
        };
        Err(ApiError::invalid_param(name, what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec;

    fn check(action: &str, pairs: &[(&str, &str)]) -> Result<(), ApiError> {
        let cdn = spec::cdn();
        let op = cdn.operation(action).expect("a CDN operation");
        check_operation_params(cdn, op, &Params::from_pairs(pairs.iter().copied()))
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
    fn twenty_thousand_list_params_are_checked_item_by_item() {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for i in 1..=10_000 {
            pairs.push((format!("Tag.{i}.Key"), format!("k{i}")));
            pairs.push((format!("Tag.{i}.Value"), format!("v{i}")));
        }
        let cdn = spec::cdn();
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
