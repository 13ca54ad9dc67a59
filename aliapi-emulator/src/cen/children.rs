//! Network instances (VPCs, VBRs, CCNs) attached to CEN instances.

use serde_json::{Map, Value, json};

use super::instances::{cen_mut, cen_not_found};
use super::refusals::{CHILD_ALREADY_ATTACHED, CHILD_NOT_FOUND};
use super::{ChildInstance, Store};
use crate::clock::format_timestamp;
use crate::params::Params;
use crate::product::args::{page_of, paging, required};
use crate::product::{Ctx, Outcome};
use crate::refusal::operation::invalid_param;
use crate::reply::{ApiError, obj};

fn child_type(p: &Params) -> Result<&str, ApiError> {
    let kind = required(p, "ChildInstanceType")?;
    if matches!(kind, "VPC" | "VBR" | "CCN") {
        Ok(kind)
    } else {
        Err(invalid_param("ChildInstanceType", "use VPC, VBR or CCN"))
    }
}

pub(super) fn attach(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let cen_id = required(p, "CenId")?.to_owned();
    let child_id = required(p, "ChildInstanceId")?.to_owned();
    let region = required(p, "ChildInstanceRegionId")?.to_owned();
    let kind = child_type(p)?.to_owned();
    let mut st = store.lock();
    let st = &mut *st;
    if !st.cens.contains_key(&cen_id) {
        return Err(cen_not_found(&cen_id));
    }
    if let Some(owner) = st
        .cens
        .values()
        .find(|c| c.children.iter().any(|ch| ch.id == child_id))
    {
        return Err(CHILD_ALREADY_ATTACHED.with(&[&child_id, &owner.id]));
    }
    let owner_id = p
        .get("ChildInstanceOwnerId")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_234_567_890_123_456);
    let cen = cen_mut(st, &cen_id)?;
    cen.children.push(ChildInstance {
        id: child_id,
        kind,
        region,
        owner_id,
        attached: ctx.now(),
        settles_at_ms: ctx.now_ms + ctx.settle_ms,
    });
    Ok(Map::new())
}

pub(super) fn detach(store: &Store<'_>, p: &Params) -> Outcome {
    let cen_id = required(p, "CenId")?;
    let child_id = required(p, "ChildInstanceId")?;
    child_type(p)?;
    let mut st = store.lock();
    let st = &mut *st;
    let cen = cen_mut(st, cen_id)?;
    let before = cen.children.len();
    cen.children.retain(|c| c.id != child_id);
    if cen.children.len() == before {
        return Err(CHILD_NOT_FOUND.with(&[child_id, cen_id]));
    }
    Ok(Map::new())
}

pub(super) fn describe_children(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let (number, size) = paging(p, 10, 50)?;
    let cen_id = required(p, "CenId")?;
    let st = store.lock();
    let st = &*st;
    let cen = st.cens.get(cen_id).ok_or_else(|| cen_not_found(cen_id))?;
    let matching: Vec<&ChildInstance> = cen
        .children
        .iter()
        .filter(|c| p.get("ChildInstanceRegionId").is_none_or(|r| r == c.region))
        .filter(|c| p.get("ChildInstanceType").is_none_or(|t| t == c.kind))
        .collect();
    let page: Vec<Value> = page_of(&matching, number, size)
        .into_iter()
        .map(|c| {
            let status = if ctx.now_ms >= c.settles_at_ms {
                "Attached"
            } else {
                "Attaching"
            };
            json!({
                "CenId": cen.id, "ChildInstanceId": c.id, "ChildInstanceType": c.kind,
                "ChildInstanceRegionId": c.region, "ChildInstanceOwnerId": c.owner_id,
                "ChildInstanceAttachTime": format_timestamp(c.attached), "Status": status,
                "ManagedService": "",
            })
        })
        .collect();
    Ok(obj(json!({
        "ChildInstances": {"ChildInstance": page},
        "PageNumber": number,
        "PageSize": size,
        "TotalCount": matching.len(),
    })))
}
