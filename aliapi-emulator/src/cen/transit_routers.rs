//! Transit routers: one per CEN instance and region, each with the system
//! route table it comes with.

use serde_json::{Map, Value, json};

use super::instances::{remember_token, replayed};
use super::refusals::{
    CEN_STATUS, DRY_RUN, TR_CEN_NOT_FOUND, TRANSIT_ROUTER_EXISTS, TRANSIT_ROUTER_IN_USE,
    TRANSIT_ROUTER_NOT_FOUND, TRANSIT_ROUTER_SCOPE,
};
use super::transitions::{self, CREATED};
use super::{ACCOUNT_ID, CenState, RouteTable, Store, TRANSIT_ROUTER_TYPE, TransitRouter, dry_run};
use crate::clock::format_timestamp;
use crate::params::Params;
use crate::product::args::{page_of, paging, required, tags_param, tags_to_set};
use crate::product::lifecycle::Lifecycle;
use crate::product::{Ctx, Outcome};
use crate::reply::{ApiError, obj};

/// A transit router that exists, or `InvalidTransitRouterId.NotFound`.
pub(super) fn router<'a>(st: &'a CenState, id: &str) -> Result<&'a TransitRouter, ApiError> {
    st.transit_routers
        .get(id)
        .ok_or_else(|| TRANSIT_ROUTER_NOT_FOUND.with(&[id]))
}

pub(super) fn create(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let cen_id = required(p, "CenId")?;
    let region = required(p, "RegionId")?;
    let name = p.get("TransitRouterName").unwrap_or("");
    let tags = tags_to_set(p)?;
    let multicast = p
        .get("SupportMulticast")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let mut st = store.lock();
    let st = &mut *st;
    if let Some(id) = replayed(st, "CreateTransitRouter", p) {
        return Ok(obj(json!({"TransitRouterId": id})));
    }
    let cen = st
        .cens
        .get(cen_id)
        .ok_or_else(|| TR_CEN_NOT_FOUND.with(&[cen_id]))?;
    if cen.lifecycle.is_leaving() {
        return Err(CEN_STATUS.with(&[cen_id]));
    }
    if st
        .transit_routers
        .values()
        .any(|t| t.cen_id == cen_id && t.region == region)
    {
        return Err(TRANSIT_ROUTER_EXISTS.with(&[cen_id, region]));
    }
    if dry_run(p) {
        return Err(DRY_RUN.error());
    }
    let id = st.serial.new_id("tr");
    let mut lifecycle = Lifecycle::default();
    transitions::created(&mut lifecycle, CREATED, name, ctx);
    // The system table comes and goes with its router.
    let table_id = st.serial.new_id("vtb");
    st.route_tables.insert(
        table_id.clone(),
        RouteTable {
            id: table_id,
            transit_router_id: id.clone(),
            system: true,
            multi_region_ecmp: "disable".into(),
            created: ctx.now(),
            lifecycle: lifecycle.clone(),
            ..RouteTable::default()
        },
    );
    st.transit_routers.insert(
        id.clone(),
        TransitRouter {
            id: id.clone(),
            cen_id: cen_id.to_owned(),
            region: region.to_owned(),
            name: name.to_owned(),
            description: p.get("TransitRouterDescription").unwrap_or("").to_owned(),
            support_multicast: multicast,
            created: ctx.now(),
            lifecycle,
        },
    );
    st.tags.add(TRANSIT_ROUTER_TYPE, &id, &tags);
    remember_token(st, "CreateTransitRouter", p, &id);
    Ok(obj(json!({"TransitRouterId": id})))
}

pub(super) fn list(store: &Store<'_>, p: &Params) -> Outcome {
    let (number, size) = paging(p, 10, 50)?;
    let tag_filter = tags_param(p)?;
    let by = |name: &str| p.get(name).filter(|v| !v.is_empty());
    if by("CenId").is_none() && by("TransitRouterId").is_none() && by("RegionId").is_none() {
        return Err(TRANSIT_ROUTER_SCOPE.error());
    }
    let st = store.lock();
    let st = &*st;
    let matching: Vec<&TransitRouter> = st
        .transit_routers
        .values()
        .filter(|t| by("CenId").is_none_or(|v| v == t.cen_id))
        .filter(|t| by("TransitRouterId").is_none_or(|v| v == t.id))
        .filter(|t| by("RegionId").is_none_or(|v| v == t.region))
        .filter(|t| by("TransitRouterName").is_none_or(|v| v == t.name))
        .filter(|t| by("Status").is_none_or(|v| v == t.lifecycle.status))
        // Every emulated transit router is of the enterprise edition.
        .filter(|_| by("Type").is_none_or(|v| v == "Enterprise"))
        .filter(|t| st.tags.matches(TRANSIT_ROUTER_TYPE, &t.id, &tag_filter))
        .collect();
    let page: Vec<Value> = page_of(&matching, number, size)
        .into_iter()
        .map(|t| {
            json!({
                "AliUid": ACCOUNT_ID, "CenId": t.cen_id, "RegionId": t.region,
                "CreationTime": format_timestamp(t.created), "Status": t.lifecycle.status,
                "SupportMulticast": t.support_multicast, "TransitRouterId": t.id,
                "TransitRouterName": t.name, "TransitRouterDescription": t.description,
                "Type": "Enterprise", "ServiceMode": "Managed", "TransitRouterCidrList": [],
                "Tags": st.tags.key_values(TRANSIT_ROUTER_TYPE, &t.id),
            })
        })
        .collect();
    Ok(obj(json!({
        "TransitRouters": page,
        "PageNumber": number,
        "PageSize": size,
        "TotalCount": matching.len(),
    })))
}

/// Refused while attachments or custom route tables remain; the router
/// and its system table go once `Deleting` is over.
pub(super) fn delete(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let id = required(p, "TransitRouterId")?;
    let mut st = store.lock();
    let st = &mut *st;
    if router(st, id)?.lifecycle.is_leaving() {
        return Ok(Map::new());
    }
    let in_use = st.attachments.values().any(|a| a.transit_router_id == id)
        || st
            .route_tables
            .values()
            .any(|t| t.transit_router_id == id && !t.system);
    if in_use {
        return Err(TRANSIT_ROUTER_IN_USE.with(&[id]));
    }
    if dry_run(p) {
        return Err(DRY_RUN.error());
    }
    for table in st.route_tables.values_mut() {
        if table.transit_router_id == id {
            transitions::deleted(&mut table.lifecycle, CREATED, ctx);
        }
    }
    if let Some(t) = st.transit_routers.get_mut(id) {
        transitions::deleted(&mut t.lifecycle, CREATED, ctx);
    }
    Ok(Map::new())
}
