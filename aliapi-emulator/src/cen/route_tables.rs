//! Transit router route tables: the system table each router comes with,
//! and custom ones.

use serde_json::{Map, Value, json};

use super::instances::{remember_token, replayed};
use super::refusals::{
    DRY_RUN, MAX_RESULTS_ILLEGAL, NEXT_TOKEN_ILLEGAL, ROUTE_TABLE_NOT_FOUND, ROUTE_TABLE_SCOPE,
    ROUTE_TABLE_SYSTEM, TRANSIT_ROUTER_STATUS,
};
use super::transit_routers::router;
use super::transitions::{self, CREATED};
use super::{ROUTE_TABLE_TYPE, RouteTable, Store, dry_run};
use crate::clock::format_timestamp;
use crate::params::Params;
use crate::product::args::{BadToken, required, tags_param, tags_to_set, token_request};
use crate::product::lifecycle::Lifecycle;
use crate::product::{Ctx, Outcome};
use crate::reply::{ApiError, obj};

/// `NextToken` / `MaxResults` of the transit router listings.
pub(super) fn token_page(p: &Params) -> Result<crate::product::args::TokenPage, ApiError> {
    token_request(p, 20, 100).map_err(|bad| match bad {
        BadToken::Token => NEXT_TOKEN_ILLEGAL.with(&[p.get("NextToken").unwrap_or("")]),
        BadToken::Size { max } => MAX_RESULTS_ILLEGAL.with(&[&max.to_string()]),
    })
}

pub(super) fn create(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let router_id = required(p, "TransitRouterId")?;
    let name = p.get("TransitRouterRouteTableName").unwrap_or("");
    let tags = tags_to_set(p)?;
    let ecmp = p
        .get("RouteTableOptions.MultiRegionECMP")
        .unwrap_or("disable");
    let mut st = store.lock();
    let st = &mut *st;
    if let Some(id) = replayed(st, "CreateTransitRouterRouteTable", p) {
        return Ok(obj(json!({"TransitRouterRouteTableId": id})));
    }
    if router(st, router_id)?.lifecycle.is_leaving() {
        return Err(TRANSIT_ROUTER_STATUS.with(&[router_id]));
    }
    if dry_run(p) {
        return Err(DRY_RUN.error());
    }
    let id = st.serial.new_id("vtb");
    let mut lifecycle = Lifecycle::default();
    transitions::created(&mut lifecycle, CREATED, name, ctx);
    st.route_tables.insert(
        id.clone(),
        RouteTable {
            id: id.clone(),
            transit_router_id: router_id.to_owned(),
            name: name.to_owned(),
            description: p
                .get("TransitRouterRouteTableDescription")
                .unwrap_or("")
                .to_owned(),
            system: false,
            multi_region_ecmp: ecmp.to_owned(),
            created: ctx.now(),
            lifecycle,
        },
    );
    st.tags.add(ROUTE_TABLE_TYPE, &id, &tags);
    remember_token(st, "CreateTransitRouterRouteTable", p, &id);
    Ok(obj(json!({"TransitRouterRouteTableId": id})))
}

pub(super) fn list(store: &Store<'_>, p: &Params) -> Outcome {
    let page = token_page(p)?;
    let tag_filter = tags_param(p)?;
    let router_id = p.get("TransitRouterId").filter(|v| !v.is_empty());
    let ids = p.list("TransitRouterRouteTableIds");
    let names = p.list("TransitRouterRouteTableNames");
    if router_id.is_none() && ids.is_empty() {
        return Err(ROUTE_TABLE_SCOPE.error());
    }
    let status = p.get("TransitRouterRouteTableStatus");
    let kind = p.get("TransitRouterRouteTableType");
    let st = store.lock();
    let st = &*st;
    if let Some(r) = router_id {
        router(st, r)?;
    }
    let matching: Vec<&RouteTable> = st
        .route_tables
        .values()
        .filter(|t| router_id.is_none_or(|r| r == t.transit_router_id))
        .filter(|t| ids.is_empty() || ids.contains(&t.id))
        .filter(|t| names.is_empty() || names.contains(&t.name))
        .filter(|t| status.is_none_or(|s| s == t.lifecycle.status))
        .filter(|t| kind.is_none_or(|k| k == table_type(t)))
        .filter(|t| st.tags.matches(ROUTE_TABLE_TYPE, &t.id, &tag_filter))
        .collect();
    let (items, next) = page
        .of(&matching)
        .ok_or_else(|| NEXT_TOKEN_ILLEGAL.with(&[p.get("NextToken").unwrap_or("")]))?;
    let items: Vec<Value> = items
        .iter()
        .map(|t| {
            let region = st
                .transit_routers
                .get(&t.transit_router_id)
                .map_or("", |r| r.region.as_str());
            json!({
                "TransitRouterId": t.transit_router_id, "TransitRouterRouteTableId": t.id,
                "TransitRouterRouteTableName": t.name,
                "TransitRouterRouteTableDescription": t.description,
                "TransitRouterRouteTableStatus": t.lifecycle.status,
                "TransitRouterRouteTableType": table_type(t), "RegionId": region,
                "CreateTime": format_timestamp(t.created),
                "RouteTableOptions": {"MultiRegionECMP": t.multi_region_ecmp},
                "Tags": st.tags.key_values(ROUTE_TABLE_TYPE, &t.id),
            })
        })
        .collect();
    Ok(obj(json!({
        "TransitRouterRouteTables": items,
        "NextToken": next,
        "MaxResults": page.size,
        "TotalCount": matching.len(),
    })))
}

fn table_type(t: &RouteTable) -> &'static str {
    if t.system { "System" } else { "Custom" }
}

/// The table goes once `Deleting` is over; deleting it again meanwhile
/// changes nothing. A router's system table goes only with the router.
pub(super) fn delete(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let id = required(p, "TransitRouterRouteTableId")?;
    let mut st = store.lock();
    let st = &mut *st;
    let table = st
        .route_tables
        .get(id)
        .ok_or_else(|| ROUTE_TABLE_NOT_FOUND.with(&[id]))?;
    if table.system {
        return Err(ROUTE_TABLE_SYSTEM.with(&[id]));
    }
    if dry_run(p) {
        return Err(DRY_RUN.error());
    }
    if let Some(table) = st.route_tables.get_mut(id) {
        transitions::deleted(&mut table.lifecycle, CREATED, ctx);
    }
    Ok(Map::new())
}
