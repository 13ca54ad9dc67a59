//! CDN domains: adding, listing, describing, starting, stopping and
//! deleting them.

use serde_json::{Map, Value, json};

use super::refusals::{
    CDN_TYPE_MALFORMED, DOMAIN_EXISTS, DOMAIN_NAME_MALFORMED, DOMAIN_NOT_FOUND,
    DOMAIN_STATUS_UNSUPPORTED, PAGE_NUMBER_UNSUPPORTED, PAGE_SIZE_UNSUPPORTED, SCOPE_MALFORMED,
    SEARCH_TYPE_UNSUPPORTED, SOURCES_MALFORMED,
};
use super::{CdnState, DOMAIN_TYPE, Domain, Origin, Store, transitions};
use crate::clock::format_timestamp;
use crate::params::Params;
use crate::product::args::{BadPage, page_of, page_request, required, tags_param, tags_to_set};
use crate::product::lifecycle::Lifecycle;
use crate::product::{Ctx, Outcome};
use crate::refusal::operation::missing_param;
use crate::reply::{ApiError, obj};

/// Every status a domain can have, as the service names them.
const DOMAIN_STATUSES: [&str; 8] = [
    "online",
    "offline",
    "configuring",
    "configure_failed",
    "checking",
    "check_failed",
    "stopping",
    "deleting",
];

pub(super) fn not_found(name: &str) -> ApiError {
    DOMAIN_NOT_FOUND.with(&[name])
}

/// A domain a write may change: one that exists and is not being
/// deleted (the service forgets a domain once its deletion starts).
pub(super) fn domain_mut<'a>(st: &'a mut CdnState, name: &str) -> Result<&'a mut Domain, ApiError> {
    st.domains
        .get_mut(name)
        .filter(|d| !d.lifecycle.is_leaving())
        .ok_or_else(|| not_found(name))
}

fn valid_domain_name(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    name.len() <= 253
        && labels.len() >= 2
        && labels.iter().enumerate().all(|(i, l)| {
            (i == 0 && *l == "*")
                || (!l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        })
}

fn parse_sources(text: &str) -> Result<Vec<Origin>, ApiError> {
    let bad = || SOURCES_MALFORMED.error();
    let v: Value = serde_json::from_str(text).map_err(|_| bad())?;
    let items = v.as_array().filter(|a| !a.is_empty()).ok_or_else(bad)?;
    let text_of = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    items
        .iter()
        .map(|item| {
            let content = item
                .get("content")
                .and_then(text_of)
                .filter(|s| !s.is_empty())
                .ok_or_else(bad)?;
            let kind = item
                .get("type")
                .and_then(text_of)
                .filter(|s| !s.is_empty())
                .ok_or_else(bad)?;
            let port = match item.get("port").and_then(text_of) {
                Some(p) => p
                    .parse::<i64>()
                    .ok()
                    .filter(|p| (1..=65_535).contains(p))
                    .ok_or_else(bad)?,
                None => 80,
            };
            Ok(Origin {
                content,
                kind,
                port,
                priority: item
                    .get("priority")
                    .and_then(text_of)
                    .unwrap_or_else(|| "20".into()),
                weight: item
                    .get("weight")
                    .and_then(text_of)
                    .unwrap_or_else(|| "10".into()),
            })
        })
        .collect()
}

pub(super) fn add_domain(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let name = required(p, "DomainName")?.to_ascii_lowercase();
    if !valid_domain_name(&name) {
        return Err(DOMAIN_NAME_MALFORMED.with(&[&name]));
    }
    let cdn_type = required(p, "CdnType")?;
    if !matches!(cdn_type, "web" | "download" | "video") {
        return Err(CDN_TYPE_MALFORMED.with(&[cdn_type]));
    }
    let scope = p.get("Scope").unwrap_or("domestic");
    if !matches!(scope, "domestic" | "overseas" | "global") {
        return Err(SCOPE_MALFORMED.with(&[scope]));
    }
    let sources = parse_sources(required(p, "Sources")?)?;
    let tags = tags_to_set(p)?;
    let mut st = store.lock();
    let st = &mut *st;
    if st.domains.contains_key(&name) {
        return Err(DOMAIN_EXISTS.with(&[&name]));
    }
    let id = st.serial.bump() as i64 + 10_000_000;
    let now = ctx.now();
    st.domains.insert(
        name.clone(),
        Domain {
            name: name.clone(),
            id,
            cdn_type: cdn_type.to_owned(),
            scope: scope.to_owned(),
            sources,
            resource_group_id: p
                .get("ResourceGroupId")
                .unwrap_or("rg-acfmyuji4b6r4ry")
                .to_owned(),
            lifecycle: Lifecycle::default(),
            created: now,
            modified: now,
            configs: Vec::new(),
        },
    );
    if let Some(d) = st.domains.get_mut(&name) {
        transitions::added(&mut d.lifecycle, &name, ctx);
    }
    st.tags.add(DOMAIN_TYPE, &name, &tags);
    Ok(Map::new())
}

fn cname(d: &Domain) -> String {
    format!("{}.w.kunlunsl.com", d.name)
}

pub(super) fn describe_user_domains(store: &Store<'_>, p: &Params) -> Outcome {
    let (number, size) = page_request(p, 20, 500).map_err(|bad| match bad {
        BadPage::Number => PAGE_NUMBER_UNSUPPORTED.error(),
        BadPage::Size { max } => PAGE_SIZE_UNSUPPORTED.with(&[&max.to_string()]),
    })?;
    if let Some(status) = p.get("DomainStatus")
        && !DOMAIN_STATUSES.contains(&status)
    {
        return Err(DOMAIN_STATUS_UNSUPPORTED.with(&[status]));
    }
    let search = p.get("DomainName").unwrap_or("").to_ascii_lowercase();
    let search_type = p.get("DomainSearchType").unwrap_or("fuzzy_match");
    if !matches!(
        search_type,
        "fuzzy_match" | "pre_match" | "suf_match" | "full_match"
    ) {
        return Err(SEARCH_TYPE_UNSUPPORTED.with(&[search_type]));
    }
    let tag_filter = tags_param(p)?;
    let st = store.lock();
    let st = &*st;
    let matching: Vec<&Domain> = st
        .domains
        .values()
        .filter(|d| {
            search.is_empty()
                || match search_type {
                    "pre_match" => d.name.starts_with(&search),
                    "suf_match" => d.name.ends_with(&search),
                    "full_match" => d.name == search,
                    _ => d.name.contains(&search),
                }
        })
        .filter(|d| p.get("DomainStatus").is_none_or(|s| s == d.status()))
        .filter(|d| p.get("CdnType").is_none_or(|t| t == d.cdn_type))
        .filter(|d| {
            p.get("ResourceGroupId")
                .is_none_or(|g| g == d.resource_group_id)
        })
        .filter(|d| p.get("Coverage").is_none_or(|c| c == d.scope))
        .filter(|d| st.tags.matches(DOMAIN_TYPE, &d.name, &tag_filter))
        .collect();
    let page: Vec<Value> = page_of(&matching, number, size)
        .into_iter()
        .map(|d| {
            let sources: Vec<Value> = d
                .sources
                .iter()
                .map(|s| {
                    json!({"Content": s.content, "Type": s.kind, "Port": s.port,
                           "Priority": s.priority, "Weight": s.weight})
                })
                .collect();
            json!({
                "DomainName": d.name, "DomainId": d.id, "Cname": cname(d), "CdnType": d.cdn_type,
                "DomainStatus": d.status(), "GmtCreated": format_timestamp(d.created),
                "GmtModified": format_timestamp(d.modified), "Description": "",
                "Coverage": d.scope, "ResourceGroupId": d.resource_group_id, "Sandbox": "normal",
                "SslProtocol": "off", "Sources": {"Source": sources},
            })
        })
        .collect();
    Ok(obj(json!({
        "Domains": {"PageData": page},
        "PageNumber": number,
        "PageSize": size,
        "TotalCount": matching.len(),
    })))
}

pub(super) fn describe_domain_detail(store: &Store<'_>, p: &Params) -> Outcome {
    let name = required(p, "DomainName")?.to_ascii_lowercase();
    let st = store.lock();
    let st = &*st;
    let d = st.domains.get(&name).ok_or_else(|| not_found(&name))?;
    let sources: Vec<Value> = d
        .sources
        .iter()
        .map(|s| {
            json!({"Content": s.content, "Type": s.kind, "Port": s.port, "Priority": s.priority,
                   "Weight": s.weight, "Enabled": "online"})
        })
        .collect();
    Ok(obj(json!({
        "GetDomainDetailModel": {
            "DomainName": d.name, "Cname": cname(d), "HttpsCname": cname(d), "CdnType": d.cdn_type,
            "DomainStatus": d.status(), "Scope": d.scope, "Description": "",
            "GmtCreated": format_timestamp(d.created), "GmtModified": format_timestamp(d.modified),
            "ResourceGroupId": d.resource_group_id, "ServerCertificateStatus": "off",
            "SourceModels": {"SourceModel": sources},
        }
    })))
}

pub(super) fn start_domain(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let name = required(p, "DomainName")?.to_ascii_lowercase();
    let mut st = store.lock();
    let d = domain_mut(&mut st, &name)?;
    if transitions::started(&mut d.lifecycle, &name, ctx) {
        d.modified = ctx.now();
    }
    Ok(Map::new())
}

pub(super) fn stop_domain(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let name = required(p, "DomainName")?.to_ascii_lowercase();
    let mut st = store.lock();
    let d = domain_mut(&mut st, &name)?;
    if transitions::stopped(&mut d.lifecycle, ctx) {
        d.modified = ctx.now();
    }
    Ok(Map::new())
}

/// The domain goes once `deleting` is over; deleting it again meanwhile
/// changes nothing.
pub(super) fn delete_domain(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let name = required(p, "DomainName")?.to_ascii_lowercase();
    let mut st = store.lock();
    let d = st.domains.get_mut(&name).ok_or_else(|| not_found(&name))?;
    if transitions::deleted(&mut d.lifecycle, ctx) {
        d.modified = ctx.now();
    }
    Ok(Map::new())
}

pub(super) fn domain_list(p: &Params, name: &str) -> Result<Vec<String>, ApiError> {
    let list: Vec<String> = required(p, name)?
        .split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    if list.is_empty() {
        return Err(missing_param(name));
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_names() {
        for ok in [
            "example.com",
            "a-b.example.com",
            "*.example.com",
            "x_y.example.org",
        ] {
            assert!(valid_domain_name(ok), "{ok}");
        }
        for bad in ["", "com", "-a.com", "a..com", "a b.com", "a.*.com"] {
            assert!(!valid_domain_name(bad), "{bad}");
        }
    }

    #[test]
    fn sources_parse_with_defaults() {
        let s = parse_sources(r#"[{"content":"1.1.1.1","type":"ipaddr","port":"443"}]"#).unwrap();
        assert_eq!(s[0].port, 443);
        assert_eq!(s[0].priority, "20");
        assert!(parse_sources("[]").is_err());
        assert!(parse_sources("nope").is_err());
    }
}
