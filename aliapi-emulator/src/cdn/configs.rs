//! Feature configs of CDN domains (`BatchSetCdnDomainConfig` and friends).

use serde_json::{Map, Value, json};

use super::domains::{domain_list, not_found};
use super::refusals::FUNCTIONS_MALFORMED;
use super::{DomainConfig, Store};
use crate::params::Params;
use crate::product::args::required;
use crate::product::{Ctx, Outcome};
use crate::reply::{ApiError, obj};

/// One entry of the `Functions` param.
struct FunctionSpec {
    name: String,
    args: Vec<(String, String)>,
    parent: String,
}

fn parse_functions(text: &str) -> Result<Vec<FunctionSpec>, ApiError> {
    let bad = || FUNCTIONS_MALFORMED.error();
    let v: Value = serde_json::from_str(text).map_err(|_| bad())?;
    let items = v.as_array().filter(|a| !a.is_empty()).ok_or_else(bad)?;
    let text_of = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    };
    items
        .iter()
        .map(|f| {
            let name = f
                .get("functionName")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or_else(bad)?;
            let args = f
                .get("functionArgs")
                .and_then(Value::as_array)
                .ok_or_else(bad)?
                .iter()
                .map(|a| {
                    let n = a.get("argName").and_then(Value::as_str).ok_or_else(bad)?;
                    let v = a.get("argValue").and_then(text_of).unwrap_or_default();
                    Ok((n.to_owned(), v))
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            let parent = f.get("parentId").and_then(text_of).unwrap_or_default();
            Ok(FunctionSpec {
                name: name.to_owned(),
                args,
                parent,
            })
        })
        .collect()
}

pub(super) fn batch_set_config(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let names = domain_list(p, "DomainNames")?;
    let functions = parse_functions(required(p, "Functions")?)?;
    let mut st = store.lock();
    let st = &mut *st;
    if let Some(missing) = names.iter().find(|n| !st.is_writable(n)) {
        return Err(not_found(missing));
    }
    let mut models = Vec::new();
    for name in &names {
        for FunctionSpec {
            name: function,
            args,
            parent,
        } in &functions
        {
            let fresh_id = st.serial.bump() as i64 + 5_000_000;
            let Some(d) = st.domains.get_mut(name) else {
                continue;
            };
            let id = match d.configs.iter_mut().find(|c| &c.function_name == function) {
                Some(existing) => {
                    existing.args = args.clone();
                    existing.parent_id = parent.clone();
                    existing.id
                }
                None => {
                    d.configs.push(DomainConfig {
                        id: fresh_id,
                        function_name: function.clone(),
                        args: args.clone(),
                        parent_id: parent.clone(),
                    });
                    fresh_id
                }
            };
            d.modified = ctx.now();
            models.push(json!({"ConfigId": id, "DomainName": name, "FunctionName": function}));
        }
    }
    Ok(obj(
        json!({"DomainConfigList": {"DomainConfigModel": models}}),
    ))
}

pub(super) fn describe_configs(store: &Store<'_>, p: &Params) -> Outcome {
    let name = required(p, "DomainName")?.to_ascii_lowercase();
    let st = store.lock();
    let st = &*st;
    let d = st.domains.get(&name).ok_or_else(|| not_found(&name))?;
    let wanted: Vec<&str> = p
        .get("FunctionNames")
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let configs: Vec<Value> = d
        .configs
        .iter()
        .filter(|c| wanted.is_empty() || wanted.contains(&c.function_name.as_str()))
        .filter(|c| p.get("ConfigId").is_none_or(|id| id == c.id.to_string()))
        .map(|c| {
            let args: Vec<Value> = c
                .args
                .iter()
                .map(|(n, v)| json!({"ArgName": n, "ArgValue": v}))
                .collect();
            json!({"ConfigId": c.id.to_string(), "FunctionName": c.function_name,
                   "ParentId": c.parent_id, "Status": "success",
                   "FunctionArgs": {"FunctionArg": args}})
        })
        .collect();
    Ok(obj(json!({"DomainConfigs": {"DomainConfig": configs}})))
}

pub(super) fn batch_delete_config(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let names = domain_list(p, "DomainNames")?;
    let functions: Vec<String> = required(p, "FunctionNames")?
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    let mut st = store.lock();
    let st = &mut *st;
    if let Some(missing) = names.iter().find(|n| !st.is_writable(n)) {
        return Err(not_found(missing));
    }
    for name in &names {
        if let Some(d) = st.domains.get_mut(name) {
            d.configs.retain(|c| !functions.contains(&c.function_name));
            d.modified = ctx.now();
        }
    }
    Ok(Map::new())
}
