//! CEN instances: creating (idempotent by `ClientToken`), listing with
//! filters, renaming and deleting them.

use serde_json::{Map, Value, json};

use super::refusals::{
    CEN_HAS_CHILDREN, CEN_HAS_PACKAGES, CEN_HAS_TRANSIT_ROUTERS, CEN_NOT_FOUND, CEN_STATUS,
};
use super::transitions::{self, CREATED};
use super::{CEN_TYPE, Cen, CenState, Store};
use crate::clock::format_timestamp;
use crate::params::Params;
use crate::product::args::{page_of, paging, required, tags_param, tags_to_set};
use crate::product::lifecycle::Lifecycle;
use crate::product::{Ctx, Outcome};
use crate::refusal::operation::{invalid_param, missing_param};
use crate::reply::{ApiError, obj};

pub(super) fn cen_not_found(id: &str) -> ApiError {
    CEN_NOT_FOUND.with(&[id])
}

/// A CEN instance a write may change: one that exists and is not being
/// deleted.
pub(super) fn cen_mut<'a>(st: &'a mut CenState, id: &str) -> Result<&'a mut Cen, ApiError> {
    let cen = st.cens.get_mut(id).ok_or_else(|| cen_not_found(id))?;
    if cen.lifecycle.is_leaving() {
        return Err(CEN_STATUS.with(&[id]));
    }
    Ok(cen)
}

/// A `ClientToken` seen before returns the id it created the first time,
/// so a retried create does not create twice.
pub(super) fn replayed(st: &CenState, action: &str, p: &Params) -> Option<String> {
    let token = p.get("ClientToken").filter(|t| !t.is_empty())?;
    st.client_tokens.get(&format!("{action}:{token}")).cloned()
}

pub(super) fn remember_token(st: &mut CenState, action: &str, p: &Params, id: &str) {
    if let Some(token) = p.get("ClientToken").filter(|t| !t.is_empty()) {
        st.client_tokens
            .insert(format!("{action}:{token}"), id.to_owned());
    }
}

fn check_protection_level(p: &Params) -> Result<(), ApiError> {
    match p.get("ProtectionLevel") {
        None | Some("REDUCED") | Some("FULL") => Ok(()),
        Some(_) => Err(invalid_param("ProtectionLevel", "use REDUCED or FULL")),
    }
}

pub(super) fn create_cen(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    // Read before locking; a replayed token answers before either is judged.
    let level = check_protection_level(p);
    let tags = tags_to_set(p);
    let mut st = store.lock();
    let st = &mut *st;
    if let Some(id) = replayed(st, "CreateCen", p) {
        return Ok(obj(json!({"CenId": id})));
    }
    level?;
    let tags = tags?;
    let id = st.serial.new_id("cen");
    let name = p.get("Name").unwrap_or("");
    let mut lifecycle = Lifecycle::default();
    transitions::created(&mut lifecycle, CREATED, name, ctx);
    st.cens.insert(
        id.clone(),
        Cen {
            id: id.clone(),
            name: name.to_owned(),
            description: p.get("Description").unwrap_or("").to_owned(),
            protection_level: p.get("ProtectionLevel").unwrap_or("REDUCED").to_owned(),
            lifecycle,
            created: ctx.now(),
            resource_group_id: "rg-acfmzs372yg2ary".into(),
            children: Vec::new(),
        },
    );
    st.tags.add(CEN_TYPE, &id, &tags);
    remember_token(st, "CreateCen", p, &id);
    Ok(obj(json!({"CenId": id})))
}

/// `Filter.N.Key` with `Filter.N.Value.M`: each filter matches when any of
/// its values does.
pub(super) fn filters(
    p: &Params,
    allowed: &[&str],
) -> Result<Vec<(String, Vec<String>)>, ApiError> {
    let mut idx: Vec<usize> = p
        .children("Filter")
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    idx.sort_unstable();
    idx.dedup();
    idx.into_iter()
        .map(|i| {
            let key = p
                .get(&format!("Filter.{i}.Key"))
                .filter(|k| !k.is_empty())
                .ok_or_else(|| missing_param(&format!("Filter.{i}.Key")))?;
            if !allowed.contains(&key) {
                return Err(invalid_param(
                    &format!("Filter.{i}.Key"),
                    &format!("use one of {}", allowed.join(", ")),
                ));
            }
            Ok((key.to_owned(), p.list(&format!("Filter.{i}.Value"))))
        })
        .collect()
}

pub(super) fn describe_cens(store: &Store<'_>, p: &Params) -> Outcome {
    let (number, size) = paging(p, 10, 50)?;
    let filters = filters(p, &["CenId", "Name"])?;
    let tag_filter = tags_param(p)?;
    let st = store.lock();
    let st = &*st;
    let matching: Vec<&Cen> = st
        .cens
        .values()
        .filter(|c| {
            filters.iter().all(|(key, values)| {
                let field = if key == "CenId" { &c.id } else { &c.name };
                values.is_empty() || values.iter().any(|v| v == field)
            })
        })
        .filter(|c| st.tags.matches(CEN_TYPE, &c.id, &tag_filter))
        .collect();
    let page: Vec<Value> = page_of(&matching, number, size)
        .into_iter()
        .map(|c| {
            let bwps: Vec<&String> = st
                .bandwidth_packages
                .values()
                .filter(|b| b.cen_ids.contains(&c.id))
                .map(|b| &b.id)
                .collect();
            json!({
                "CenId": c.id, "Name": c.name, "Description": c.description,
                "Status": c.lifecycle.status,
                "ProtectionLevel": c.protection_level, "CreationTime": format_timestamp(c.created),
                "Ipv6Level": "DISABLED", "ResourceGroupId": c.resource_group_id,
                "CenBandwidthPackageIds": {"CenBandwidthPackageId": bwps},
                "Tags": {"Tag": st.tags.key_values(CEN_TYPE, &c.id)},
            })
        })
        .collect();
    Ok(obj(json!({
        "Cens": {"Cen": page},
        "PageNumber": number,
        "PageSize": size,
        "TotalCount": matching.len(),
    })))
}

pub(super) fn modify_cen(store: &Store<'_>, p: &Params) -> Outcome {
    check_protection_level(p)?;
    let id = required(p, "CenId")?;
    let mut st = store.lock();
    let cen = cen_mut(&mut st, id)?;
    if let Some(name) = p.get("Name") {
        cen.name = name.to_owned();
    }
    if let Some(d) = p.get("Description") {
        cen.description = d.to_owned();
    }
    if let Some(level) = p.get("ProtectionLevel") {
        cen.protection_level = level.to_owned();
    }
    Ok(Map::new())
}

/// Refused while anything still hangs off the instance; it goes once
/// `Deleting` is over, and deleting it again meanwhile changes nothing.
pub(super) fn delete_cen(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let id = required(p, "CenId")?;
    let mut st = store.lock();
    let st = &mut *st;
    let cen = st.cens.get(id).ok_or_else(|| cen_not_found(id))?;
    if cen.lifecycle.is_leaving() {
        return Ok(Map::new());
    }
    if !cen.children.is_empty() {
        return Err(CEN_HAS_CHILDREN.with(&[id]));
    }
    if st
        .bandwidth_packages
        .values()
        .any(|b| b.cen_ids.iter().any(|c| c == id))
    {
        return Err(CEN_HAS_PACKAGES.with(&[id]));
    }
    if st.transit_routers.values().any(|t| t.cen_id == id) {
        return Err(CEN_HAS_TRANSIT_ROUTERS.with(&[id]));
    }
    if let Some(cen) = st.cens.get_mut(id) {
        transitions::deleted(&mut cen.lifecycle, CREATED, ctx);
    }
    Ok(Map::new())
}
