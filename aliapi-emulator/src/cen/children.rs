//! Network instances (VPCs, VBRs, CCNs) attached to CEN instances.

use serde_json::{Map, Value, json};

use super::instances::{cen_mut, cen_not_found};
use super::refusals::{CHILD_ALREADY_ATTACHED, CHILD_NOT_FOUND};
use super::transitions::{self, ATTACHED};
use super::{ACCOUNT_ID, ChildInstance, Store};
use crate::clock::format_timestamp;
use crate::params::Params;
use crate::product::args::{page_of, paging, required};
use crate::product::lifecycle::Lifecycle;
use crate::product::{Ctx, Outcome};
use crate::refusal::operation::invalid_param;
use crate::reply::obj;

fn child_type(p: &Params) -> Result<&str, crate::reply::ApiError> {
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
    let owner_id = p
        .get("ChildInstanceOwnerId")
        .and_then(|v| v.parse().ok())
        .unwrap_or(ACCOUNT_ID);
    let mut st = store.lock();
    let st = &mut *st;
    cen_mut(st, &cen_id)?;
    if let Some(owner) = st
        .cens
        .values()
        .find(|c| c.children.iter().any(|ch| ch.id == child_id))
    {
        return Err(CHILD_ALREADY_ATTACHED.with(&[&child_id, &owner.id]));
    }
    let mut lifecycle = Lifecycle::default();
    transitions::created(&mut lifecycle, ATTACHED, &child_id, ctx);
    cen_mut(st, &cen_id)?.children.push(ChildInstance {
        id: child_id,
        kind,
        region,
        owner_id,
        attached: ctx.now(),
        lifecycle,
    });
    Ok(Map::new())
}

/// The network instance goes once `Detaching` is over; detaching it again
/// meanwhile changes nothing.
pub(super) fn detach(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let cen_id = required(p, "CenId")?;
    let child_id = required(p, "ChildInstanceId")?;
    child_type(p)?;
    let mut st = store.lock();
    let cen = st
        .cens
        .get_mut(cen_id)
        .ok_or_else(|| cen_not_found(cen_id))?;
    let child = cen
        .children
        .iter_mut()
        .find(|c| c.id == child_id)
        .ok_or_else(|| CHILD_NOT_FOUND.with(&[child_id, cen_id]))?;
    transitions::deleted(&mut child.lifecycle, ATTACHED, ctx);
    Ok(Map::new())
}

fn child_json(cen_id: &str, c: &ChildInstance) -> Value {
    json!({
        "CenId": cen_id, "ChildInstanceId": c.id, "ChildInstanceType": c.kind,
        "ChildInstanceRegionId": c.region, "ChildInstanceOwnerId": c.owner_id,
        "ChildInstanceAttachTime": format_timestamp(c.attached), "Status": c.lifecycle.status,
        "ManagedService": "",
    })
}

pub(super) fn describe_children(store: &Store<'_>, p: &Params) -> Outcome {
    let (number, size) = paging(p, 10, 50)?;
    let cen_id = required(p, "CenId")?;
    let st = store.lock();
    let cen = st.cens.get(cen_id).ok_or_else(|| cen_not_found(cen_id))?;
    let matching: Vec<&ChildInstance> = cen
        .children
        .iter()
        .filter(|c| p.get("ChildInstanceRegionId").is_none_or(|r| r == c.region))
        .filter(|c| p.get("ChildInstanceType").is_none_or(|t| t == c.kind))
        .collect();
    let page: Vec<Value> = page_of(&matching, number, size)
        .into_iter()
        .map(|c| child_json(&cen.id, c))
        .collect();
    Ok(obj(json!({
        "ChildInstances": {"ChildInstance": page},
        "PageNumber": number,
        "PageSize": size,
        "TotalCount": matching.len(),
    })))
}

/// One attached network instance, named by its CEN instance, id, type and
/// region; one that is not attached (or has gone) is refused with
/// `InvalidChildInstanceId.NotFound`.
pub(super) fn describe_child(store: &Store<'_>, p: &Params) -> Outcome {
    let cen_id = required(p, "CenId")?;
    let child_id = required(p, "ChildInstanceId")?;
    let kind = child_type(p)?;
    let region = required(p, "ChildInstanceRegionId")?;
    let st = store.lock();
    let cen = st.cens.get(cen_id).ok_or_else(|| cen_not_found(cen_id))?;
    let child = cen
        .children
        .iter()
        .find(|c| c.id == child_id && c.kind == kind && c.region == region)
        .ok_or_else(|| CHILD_NOT_FOUND.with(&[child_id, cen_id]))?;
    let mut body = obj(child_json(&cen.id, child));
    body.insert("ChildInstanceName".into(), Value::String(child.id.clone()));
    Ok(body)
}
