//! Transit router attachments of every kind (VPC, VBR, peer transit
//! router, VPN, ECR): one record type, one set of handlers, and a
//! [`Kind`] per kind naming what differs.

use serde_json::{Map, Value, json};

use super::instances::{remember_token, replayed};
use super::refusals::{
    ATTACHMENT_NOT_FOUND, ATTACHMENT_SCOPE, DRY_RUN, NEXT_TOKEN_ILLEGAL, PEER_NOT_FOUND,
    TR_CEN_NOT_FOUND, TRANSIT_ROUTER_NOT_FOUND, TRANSIT_ROUTER_STATUS,
};
use super::route_tables::token_page;
use super::transit_routers::router;
use super::transitions::{self, ATTACHED};
use super::{
    ACCOUNT_ID, Attachment, AttachmentKind, CenState, Store, TransitRouter, ZoneMapping, dry_run,
};
use crate::clock::format_timestamp;
use crate::params::Params;
use crate::product::args::{required, tags_param, tags_to_set};
use crate::product::lifecycle::Lifecycle;
use crate::product::{Ctx, Outcome};
use crate::reply::{ApiError, obj};

/// What differs between the kinds of attachment.
#[derive(Debug)]
pub(super) struct Kind {
    kind: AttachmentKind,
    /// The create action, which the `ClientToken`s are kept under.
    create_action: &'static str,
    /// The param naming what is attached, e.g. `VpcId`.
    resource_param: &'static str,
    /// The answers' name stem of what is attached (`Vpc` for `VpcId`,
    /// `VpcOwnerId`, `VpcRegionId`).
    stem: &'static str,
    /// The answers' `ResourceType`.
    resource_type: &'static str,
    /// The tag resource type, lower case.
    tag_type: &'static str,
}

/// VPC attachments.
pub(super) const VPC: Kind = Kind {
    kind: AttachmentKind::Vpc,
    create_action: "CreateTransitRouterVpcAttachment",
    resource_param: "VpcId",
    stem: "Vpc",
    resource_type: "VPC",
    tag_type: "transitroutervpcattachment",
};

/// VBR attachments.
pub(super) const VBR: Kind = Kind {
    kind: AttachmentKind::Vbr,
    create_action: "CreateTransitRouterVbrAttachment",
    resource_param: "VbrId",
    stem: "Vbr",
    resource_type: "VBR",
    tag_type: "transitroutervbrattachment",
};

/// Peer attachments, between two transit routers.
pub(super) const PEER: Kind = Kind {
    kind: AttachmentKind::Peer,
    create_action: "CreateTransitRouterPeerAttachment",
    resource_param: "PeerTransitRouterId",
    stem: "PeerTransitRouter",
    resource_type: "TR",
    tag_type: "transitrouterpeerattachment",
};

/// VPN attachments.
pub(super) const VPN: Kind = Kind {
    kind: AttachmentKind::Vpn,
    create_action: "CreateTransitRouterVpnAttachment",
    resource_param: "VpnId",
    stem: "Vpn",
    resource_type: "VPN",
    tag_type: "transitroutervpnattachment",
};

/// ECR attachments.
pub(super) const ECR: Kind = Kind {
    kind: AttachmentKind::Ecr,
    create_action: "CreateTransitRouterEcrAttachment",
    resource_param: "EcrId",
    stem: "Ecr",
    resource_type: "ECR",
    tag_type: "transitrouterecrattachment",
};

/// The transit router an attachment is made on: `TransitRouterId`, else
/// the one of `CenId` in `RegionId`.
fn target_router<'a>(st: &'a CenState, p: &Params) -> Result<&'a TransitRouter, ApiError> {
    let given = |name: &str| p.get(name).filter(|v| !v.is_empty());
    if let Some(cen) = given("CenId")
        && !st.cens.contains_key(cen)
    {
        return Err(TR_CEN_NOT_FOUND.with(&[cen]));
    }
    match (given("TransitRouterId"), given("CenId"), given("RegionId")) {
        (Some(id), _, _) => router(st, id),
        (None, Some(cen), Some(region)) => st
            .transit_routers
            .values()
            .find(|t| t.cen_id == cen && t.region == region)
            .ok_or_else(|| TRANSIT_ROUTER_NOT_FOUND.with(&[&format!("of {cen} in {region}")])),
        _ => Err(ATTACHMENT_SCOPE.error()),
    }
}

pub(super) fn create(store: &Store<'_>, p: &Params, ctx: &Ctx, kind: &Kind) -> Outcome {
    let resource = required(p, kind.resource_param)?.to_owned();
    let name = p.get("TransitRouterAttachmentName").unwrap_or("");
    let tags = tags_to_set(p)?;
    let owner = p
        .get(&format!("{}OwnerId", kind.stem))
        .and_then(|v| v.parse().ok())
        .unwrap_or(ACCOUNT_ID);
    let zones: Vec<ZoneMapping> = p
        .object_list("ZoneMappings")
        .into_iter()
        .map(|mut z| ZoneMapping {
            zone_id: z.remove("ZoneId").unwrap_or_default(),
            vswitch_id: z.remove("VSwitchId").unwrap_or_default(),
        })
        .collect();
    let mut st = store.lock();
    let st = &mut *st;
    if let Some(id) = replayed(st, kind.create_action, p) {
        return Ok(obj(json!({"TransitRouterAttachmentId": id})));
    }
    let tr = target_router(st, p)?;
    if tr.lifecycle.is_leaving() {
        return Err(TRANSIT_ROUTER_STATUS.with(&[&tr.id]));
    }
    let resource_region = match kind.kind {
        AttachmentKind::Peer => {
            let peer = st
                .transit_routers
                .get(&resource)
                .ok_or_else(|| PEER_NOT_FOUND.with(&[&resource]))?;
            p.get("PeerTransitRouterRegionId")
                .unwrap_or(&peer.region)
                .to_owned()
        }
        AttachmentKind::Ecr => tr.region.clone(),
        _ => p.get("RegionId").unwrap_or(&tr.region).to_owned(),
    };
    if dry_run(p) {
        return Err(DRY_RUN.error());
    }
    let (cen_id, router_id, region) = (tr.cen_id.clone(), tr.id.clone(), tr.region.clone());
    let id = st.serial.new_id("tr-attach");
    let mut lifecycle = Lifecycle::default();
    transitions::created(&mut lifecycle, ATTACHED, name, ctx);
    let text = |name: &str, default: &str| p.get(name).unwrap_or(default).to_owned();
    st.attachments.insert(
        id.clone(),
        Attachment {
            id: id.clone(),
            kind: kind.kind,
            cen_id,
            transit_router_id: router_id,
            region,
            name: name.to_owned(),
            description: text("TransitRouterAttachmentDescription", ""),
            resource_id: resource,
            resource_owner_id: owner,
            resource_region,
            auto_publish: p
                .get("AutoPublishRouteEnabled")
                .is_some_and(|v| v.eq_ignore_ascii_case("true")),
            charge_type: text("ChargeType", "POSTPAY"),
            zones,
            bandwidth: p.get("Bandwidth").and_then(|v| v.parse().ok()).unwrap_or(0),
            bandwidth_type: text("BandwidthType", "BandwidthPackage"),
            bandwidth_package_id: text("CenBandwidthPackageId", ""),
            default_link_type: text("DefaultLinkType", "Gold"),
            created: ctx.now(),
            lifecycle,
        },
    );
    st.tags.add(kind.tag_type, &id, &tags);
    remember_token(st, kind.create_action, p, &id);
    Ok(obj(json!({"TransitRouterAttachmentId": id})))
}

/// An attachment as `List…Attachments` shows it.
fn item(st: &CenState, a: &Attachment, kind: &Kind) -> Value {
    let mut v = json!({
        "CenId": a.cen_id, "TransitRouterId": a.transit_router_id,
        "TransitRouterAttachmentId": a.id, "TransitRouterAttachmentName": a.name,
        "TransitRouterAttachmentDescription": a.description, "Status": a.lifecycle.status,
        "CreationTime": format_timestamp(a.created), "ResourceType": kind.resource_type,
        "AutoPublishRouteEnabled": a.auto_publish,
        "Tags": st.tags.key_values(kind.tag_type, &a.id),
    });
    let Value::Object(m) = &mut v else {
        return v;
    };
    let stem = kind.stem;
    m.insert(format!("{stem}Id"), json!(a.resource_id));
    m.insert(format!("{stem}OwnerId"), json!(a.resource_owner_id));
    match a.kind {
        AttachmentKind::Ecr => {
            m.insert("TransitRouterRegionId".into(), json!(a.region));
        }
        _ => {
            m.insert(format!("{stem}RegionId"), json!(a.resource_region));
        }
    }
    match a.kind {
        AttachmentKind::Vpc => {
            let zones: Vec<Value> = a
                .zones
                .iter()
                .map(|z| json!({"ZoneId": z.zone_id, "VSwitchId": z.vswitch_id}))
                .collect();
            m.insert("ZoneMappings".into(), Value::Array(zones));
            m.insert("ChargeType".into(), json!(a.charge_type));
        }
        AttachmentKind::Vpn => {
            m.insert("ChargeType".into(), json!(a.charge_type));
        }
        AttachmentKind::Peer => {
            m.insert("RegionId".into(), json!(a.region));
            m.insert("Bandwidth".into(), json!(a.bandwidth));
            m.insert("BandwidthType".into(), json!(a.bandwidth_type));
            m.insert(
                "CenBandwidthPackageId".into(),
                json!(a.bandwidth_package_id),
            );
            m.insert("DefaultLinkType".into(), json!(a.default_link_type));
        }
        AttachmentKind::Vbr | AttachmentKind::Ecr => {}
    }
    v
}

pub(super) fn list(store: &Store<'_>, p: &Params, kind: &Kind) -> Outcome {
    let page = token_page(p)?;
    let tag_filter = tags_param(p)?;
    let by = |name: &str| p.get(name).filter(|v| !v.is_empty());
    let st = store.lock();
    let st = &*st;
    let matching: Vec<&Attachment> = st
        .attachments
        .values()
        .filter(|a| a.kind == kind.kind)
        .filter(|a| by("TransitRouterAttachmentId").is_none_or(|v| v == a.id))
        .filter(|a| by("TransitRouterId").is_none_or(|v| v == a.transit_router_id))
        .filter(|a| by("CenId").is_none_or(|v| v == a.cen_id))
        .filter(|a| by("RegionId").is_none_or(|v| v == a.region))
        .filter(|a| by(kind.resource_param).is_none_or(|v| v == a.resource_id))
        .filter(|a| by("Status").is_none_or(|v| v == a.lifecycle.status))
        .filter(|a| st.tags.matches(kind.tag_type, &a.id, &tag_filter))
        .collect();
    let (items, next) = page
        .of(&matching)
        .ok_or_else(|| NEXT_TOKEN_ILLEGAL.with(&[p.get("NextToken").unwrap_or("")]))?;
    let items: Vec<Value> = items.iter().map(|a| item(st, a, kind)).collect();
    Ok(obj(json!({
        "TransitRouterAttachments": items,
        "NextToken": next,
        "MaxResults": page.size,
        "TotalCount": matching.len(),
    })))
}

/// The attachment goes once `Detaching` is over; deleting it again
/// meanwhile changes nothing.
pub(super) fn delete(store: &Store<'_>, p: &Params, ctx: &Ctx, kind: &Kind) -> Outcome {
    let id = required(p, "TransitRouterAttachmentId")?;
    let mut st = store.lock();
    let a = st
        .attachments
        .get_mut(id)
        .filter(|a| a.kind == kind.kind)
        .ok_or_else(|| ATTACHMENT_NOT_FOUND.with(&[id]))?;
    if dry_run(p) {
        return Err(DRY_RUN.error());
    }
    transitions::deleted(&mut a.lifecycle, ATTACHED, ctx);
    Ok(Map::new())
}
