//! CEN (`Cbn`) operations with state: instances, attached network instances,
//! bandwidth packages and tags.

use serde_json::{Map, Value, json};

use crate::cdn::list_tags;
use crate::clock::format_timestamp;
use crate::judge::Params;
use crate::reply::{ApiError, obj};
use crate::state::{
    BandwidthPackage, Cen, ChildInstance, Ctx, State, page_of, paging, required, tags_param,
};

const PRODUCT: &str = "Cbn";
const CEN_TYPE: &str = "cen";
const BWP_TYPE: &str = "bandwidthpackage";
const GEOGRAPHIC_REGIONS: [&str; 5] = [
    "China",
    "North-America",
    "Asia-Pacific",
    "Europe",
    "Australia",
];

type Answer = Result<Map<String, Value>, ApiError>;

/// Runs `action` if it is one the emulator keeps state for; `None` otherwise.
pub(crate) fn handle(st: &mut State, action: &str, p: &Params, ctx: &Ctx) -> Option<Answer> {
    let answer = match action {
        "CreateCen" => create_cen(st, p, ctx),
        "DescribeCens" => describe_cens(st, p),
        "ModifyCenAttribute" => modify_cen(st, p),
        "DeleteCen" => delete_cen(st, p),
        "AttachCenChildInstance" => attach(st, p, ctx),
        "DetachCenChildInstance" => detach(st, p),
        "DescribeCenAttachedChildInstances" => describe_children(st, p, ctx),
        "CreateCenBandwidthPackage" => create_bwp(st, p, ctx),
        "DescribeCenBandwidthPackages" => describe_bwps(st, p),
        "AssociateCenBandwidthPackage" => associate(st, p),
        "UnassociateCenBandwidthPackage" => unassociate(st, p),
        "DeleteCenBandwidthPackage" => delete_bwp(st, p),
        "TagResources" => tag_resources(st, p),
        "UntagResources" => untag_resources(st, p),
        "ListTagResources" => list_tag_resources(st, p),
        _ => return None,
    };
    Some(answer)
}

fn cen_not_found(id: &str) -> ApiError {
    ApiError::new(
        400,
        "ParameterCenInstanceId",
        format!("The specified CEN instance {id} does not exist."),
    )
}

fn bwp_not_found(id: &str) -> ApiError {
    ApiError::new(
        400,
        "InvalidCenBandwidthPackageId.NotFound",
        format!("The specified bandwidth package {id} does not exist."),
    )
}

fn cen_mut<'a>(st: &'a mut State, id: &str) -> Result<&'a mut Cen, ApiError> {
    st.cens.get_mut(id).ok_or_else(|| cen_not_found(id))
}

/// A `ClientToken` seen before returns the id it created the first time,
/// so a retried create does not create twice.
fn replayed(st: &State, action: &str, p: &Params) -> Option<String> {
    let token = p.get("ClientToken").filter(|t| !t.is_empty())?;
    st.client_tokens.get(&format!("{action}:{token}")).cloned()
}

fn remember_token(st: &mut State, action: &str, p: &Params, id: &str) {
    if let Some(token) = p.get("ClientToken").filter(|t| !t.is_empty()) {
        st.client_tokens
            .insert(format!("{action}:{token}"), id.to_owned());
    }
}

fn check_protection_level(p: &Params) -> Result<(), ApiError> {
    match p.get("ProtectionLevel") {
        None | Some("REDUCED") | Some("FULL") => Ok(()),
        Some(_) => Err(ApiError::invalid_param(
            "ProtectionLevel",
            "use REDUCED or FULL",
        )),
    }
}

fn create_cen(st: &mut State, p: &Params, ctx: &Ctx) -> Answer {
    if let Some(id) = replayed(st, "CreateCen", p) {
        return Ok(obj(json!({"CenId": id})));
    }
    check_protection_level(p)?;
    let tags: Vec<(String, String)> = tags_param(p)?
        .into_iter()
        .map(|(k, v)| (k, v.unwrap_or_default()))
        .collect();
    let id = st.new_id("cen");
    st.cens.insert(
        id.clone(),
        Cen {
            id: id.clone(),
            name: p.get("Name").unwrap_or("").to_owned(),
            description: p.get("Description").unwrap_or("").to_owned(),
            protection_level: p.get("ProtectionLevel").unwrap_or("REDUCED").to_owned(),
            status: "Creating".into(),
            settles_at_ms: ctx.now_ms + ctx.settle_ms,
            created: ctx.now(),
            resource_group_id: "rg-acfmzs372yg2ary".into(),
            children: Vec::new(),
        },
    );
    st.add_tags(PRODUCT, CEN_TYPE, &id, &tags);
    remember_token(st, "CreateCen", p, &id);
    st.settle(ctx.now_ms);
    Ok(obj(json!({"CenId": id})))
}

/// `Filter.N.Key` with `Filter.N.Value.M`: each filter matches when any of
/// its values does.
fn filters(p: &Params, allowed: &[&str]) -> Result<Vec<(String, Vec<String>)>, ApiError> {
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
                .ok_or_else(|| ApiError::missing_param(&format!("Filter.{i}.Key")))?;
            if !allowed.contains(&key) {
                return Err(ApiError::invalid_param(
                    &format!("Filter.{i}.Key"),
                    &format!("use one of {}", allowed.join(", ")),
                ));
            }
            Ok((key.to_owned(), p.list(&format!("Filter.{i}.Value"))))
        })
        .collect()
}

fn describe_cens(st: &State, p: &Params) -> Answer {
    let (number, size) = paging(p, 10, 50)?;
    let filters = filters(p, &["CenId", "Name"])?;
    let tag_filter = tags_param(p)?;
    let matching: Vec<&Cen> = st
        .cens
        .values()
        .filter(|c| {
            filters.iter().all(|(key, values)| {
                let field = if key == "CenId" { &c.id } else { &c.name };
                values.is_empty() || values.iter().any(|v| v == field)
            })
        })
        .filter(|c| st.matches_tags(PRODUCT, CEN_TYPE, &c.id, &tag_filter))
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
            let tags: Vec<Value> = st
                .tags_of(PRODUCT, CEN_TYPE, &c.id)
                .into_iter()
                .map(|(k, v)| json!({"Key": k, "Value": v}))
                .collect();
            json!({
                "CenId": c.id, "Name": c.name, "Description": c.description, "Status": c.status,
                "ProtectionLevel": c.protection_level, "CreationTime": format_timestamp(c.created),
                "Ipv6Level": "DISABLED", "ResourceGroupId": c.resource_group_id,
                "CenBandwidthPackageIds": {"CenBandwidthPackageId": bwps},
                "Tags": {"Tag": tags},
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

fn modify_cen(st: &mut State, p: &Params) -> Answer {
    check_protection_level(p)?;
    let id = required(p, "CenId")?;
    let cen = cen_mut(st, id)?;
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

fn delete_cen(st: &mut State, p: &Params) -> Answer {
    let id = required(p, "CenId")?;
    let cen = st.cens.get(id).ok_or_else(|| cen_not_found(id))?;
    if !cen.children.is_empty() {
        return Err(ApiError::new(
            400,
            "Forbidden.CenInstance.ChildInstanceAttached",
            format!(
                "The CEN instance {id} still has network instances attached; detach them first."
            ),
        ));
    }
    if st
        .bandwidth_packages
        .values()
        .any(|b| b.cen_ids.iter().any(|c| c == id))
    {
        return Err(ApiError::new(
            400,
            "Forbidden.CenInstance.BandwidthPackageAssociated",
            format!(
                "The CEN instance {id} still has bandwidth packages associated; unassociate them first."
            ),
        ));
    }
    st.cens.remove(id);
    st.remove_tags(PRODUCT, CEN_TYPE, id, None);
    Ok(Map::new())
}

fn child_type(p: &Params) -> Result<&str, ApiError> {
    let kind = required(p, "ChildInstanceType")?;
    if matches!(kind, "VPC" | "VBR" | "CCN") {
        Ok(kind)
    } else {
        Err(ApiError::invalid_param(
            "ChildInstanceType",
            "use VPC, VBR or CCN",
        ))
    }
}

fn attach(st: &mut State, p: &Params, ctx: &Ctx) -> Answer {
    let cen_id = required(p, "CenId")?.to_owned();
    let child_id = required(p, "ChildInstanceId")?.to_owned();
    let region = required(p, "ChildInstanceRegionId")?.to_owned();
    let kind = child_type(p)?.to_owned();
    if !st.cens.contains_key(&cen_id) {
        return Err(cen_not_found(&cen_id));
    }
    if let Some(owner) = st
        .cens
        .values()
        .find(|c| c.children.iter().any(|ch| ch.id == child_id))
    {
        return Err(ApiError::new(
            400,
            "Forbidden.ChildInstanceAlreadyAttached",
            format!(
                "The network instance {child_id} is already attached to {}.",
                owner.id
            ),
        ));
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

fn detach(st: &mut State, p: &Params) -> Answer {
    let cen_id = required(p, "CenId")?;
    let child_id = required(p, "ChildInstanceId")?;
    child_type(p)?;
    let cen = cen_mut(st, cen_id)?;
    let before = cen.children.len();
    cen.children.retain(|c| c.id != child_id);
    if cen.children.len() == before {
        return Err(ApiError::new(
            400,
            "InvalidChildInstanceId.NotFound",
            format!("The network instance {child_id} is not attached to {cen_id}."),
        ));
    }
    Ok(Map::new())
}

fn describe_children(st: &State, p: &Params, ctx: &Ctx) -> Answer {
    let (number, size) = paging(p, 10, 50)?;
    let cen_id = required(p, "CenId")?;
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

fn create_bwp(st: &mut State, p: &Params, ctx: &Ctx) -> Answer {
    if let Some(id) = replayed(st, "CreateCenBandwidthPackage", p) {
        return Ok(obj(
            json!({"CenBandwidthPackageId": id, "CenBandwidthPackageOrderId": ""}),
        ));
    }
    let bandwidth: i64 = required(p, "Bandwidth")?
        .parse()
        .ok()
        .filter(|b| *b >= 1)
        .ok_or_else(|| ApiError::invalid_param("Bandwidth", "it must be at least 1 Mbit/s"))?;
    let a = required(p, "GeographicRegionAId")?;
    let b = required(p, "GeographicRegionBId")?;
    for (name, v) in [("GeographicRegionAId", a), ("GeographicRegionBId", b)] {
        if !GEOGRAPHIC_REGIONS.contains(&v) {
            return Err(ApiError::invalid_param(
                name,
                &format!("use one of {}", GEOGRAPHIC_REGIONS.join(", ")),
            ));
        }
    }
    let charge = p.get("BandwidthPackageChargeType").unwrap_or("PREPAY");
    if !matches!(charge, "PREPAY" | "POSTPAY") {
        return Err(ApiError::invalid_param(
            "BandwidthPackageChargeType",
            "use PREPAY or POSTPAY",
        ));
    }
    let tags: Vec<(String, String)> = tags_param(p)?
        .into_iter()
        .map(|(k, v)| (k, v.unwrap_or_default()))
        .collect();
    let bwp = BandwidthPackage {
        id: st.new_id("cenbwp"),
        name: p.get("Name").unwrap_or("").to_owned(),
        description: p.get("Description").unwrap_or("").to_owned(),
        bandwidth,
        region_a: a.to_owned(),
        region_b: b.to_owned(),
        charge_type: charge.to_owned(),
        created: ctx.now(),
        cen_ids: Vec::new(),
    };
    let id = bwp.id.clone();
    let order = (st.next_serial() + 200_000_000_000).to_string();
    st.bandwidth_packages.insert(id.clone(), bwp);
    st.add_tags(PRODUCT, BWP_TYPE, &id, &tags);
    remember_token(st, "CreateCenBandwidthPackage", p, &id);
    Ok(obj(
        json!({"CenBandwidthPackageId": id, "CenBandwidthPackageOrderId": order}),
    ))
}

fn describe_bwps(st: &State, p: &Params) -> Answer {
    let (number, size) = paging(p, 10, 50)?;
    let filters = filters(p, &["CenBandwidthPackageId", "Name", "CenId", "Status"])?;
    let any_filter = p
        .get("IsOrKey")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let tag_filter = tags_param(p)?;
    let status_of = |b: &BandwidthPackage| {
        if b.cen_ids.is_empty() {
            "Idle"
        } else {
            "InUse"
        }
    };
    let hit = |b: &BandwidthPackage, key: &str, values: &[String]| {
        values.is_empty()
            || values.iter().any(|v| match key {
                "CenBandwidthPackageId" => *v == b.id,
                "Name" => *v == b.name,
                "CenId" => b.cen_ids.contains(v),
                _ => v == status_of(b),
            })
    };
    let matching: Vec<&BandwidthPackage> = st
        .bandwidth_packages
        .values()
        .filter(|b| {
            filters.is_empty()
                || if any_filter {
                    filters.iter().any(|(k, v)| hit(b, k, v))
                } else {
                    filters.iter().all(|(k, v)| hit(b, k, v))
                }
        })
        .filter(|b| st.matches_tags(PRODUCT, BWP_TYPE, &b.id, &tag_filter))
        .collect();
    let page: Vec<Value> = page_of(&matching, number, size)
        .into_iter()
        .map(|b| {
            let tags: Vec<Value> = st
                .tags_of(PRODUCT, BWP_TYPE, &b.id)
                .into_iter()
                .map(|(k, v)| json!({"Key": k, "Value": v}))
                .collect();
            json!({
                "CenBandwidthPackageId": b.id, "Name": b.name, "Description": b.description,
                "Bandwidth": b.bandwidth, "BandwidthPackageChargeType": b.charge_type,
                "BusinessStatus": "Normal", "Status": status_of(b),
                "CenIds": {"CenId": b.cen_ids},
                "CreationTime": format_timestamp(b.created),
                "ExpiredTime": format_timestamp(b.created + 30 * 86_400),
                "GeographicRegionAId": b.region_a, "GeographicRegionBId": b.region_b,
                "GeographicSpanId": format!("{}_{}", b.region_a, b.region_b),
                "HasReservationData": "false", "IsCrossBorder": b.region_a != b.region_b,
                "OrginInterRegionBandwidthLimits": {"OrginInterRegionBandwidthLimit": []},
                "ReservationActiveTime": "", "ReservationBandwidth": "",
                "ReservationInternetChargeType": "", "ReservationOrderType": "",
                "ResourceGroupId": "rg-acfmzs372yg2ary",
                "Tags": {"Tag": tags},
            })
        })
        .collect();
    Ok(obj(json!({
        "CenBandwidthPackages": {"CenBandwidthPackage": page},
        "PageNumber": number,
        "PageSize": size,
        "TotalCount": matching.len(),
    })))
}

fn associate(st: &mut State, p: &Params) -> Answer {
    let cen_id = required(p, "CenId")?;
    let bwp_id = required(p, "CenBandwidthPackageId")?;
    if !st.cens.contains_key(cen_id) {
        return Err(cen_not_found(cen_id));
    }
    let bwp = st
        .bandwidth_packages
        .get_mut(bwp_id)
        .ok_or_else(|| bwp_not_found(bwp_id))?;
    if let Some(other) = bwp.cen_ids.first() {
        return Err(ApiError::new(
            400,
            "Forbidden.BandwidthPackageAlreadyAssociated",
            format!("The bandwidth package {bwp_id} is already associated with {other}."),
        ));
    }
    bwp.cen_ids.push(cen_id.to_owned());
    Ok(Map::new())
}

fn unassociate(st: &mut State, p: &Params) -> Answer {
    let cen_id = required(p, "CenId")?;
    let bwp_id = required(p, "CenBandwidthPackageId")?;
    if !st.cens.contains_key(cen_id) {
        return Err(cen_not_found(cen_id));
    }
    let bwp = st
        .bandwidth_packages
        .get_mut(bwp_id)
        .ok_or_else(|| bwp_not_found(bwp_id))?;
    if !bwp.cen_ids.iter().any(|c| c == cen_id) {
        return Err(ApiError::new(
            400,
            "InvalidOperation.BandwidthPackageNotAssociated",
            format!("The bandwidth package {bwp_id} is not associated with {cen_id}."),
        ));
    }
    bwp.cen_ids.retain(|c| c != cen_id);
    Ok(Map::new())
}

fn delete_bwp(st: &mut State, p: &Params) -> Answer {
    let bwp_id = required(p, "CenBandwidthPackageId")?;
    let bwp = st
        .bandwidth_packages
        .get(bwp_id)
        .ok_or_else(|| bwp_not_found(bwp_id))?;
    if !bwp.cen_ids.is_empty() {
        return Err(ApiError::new(
            400,
            "Forbidden.BandwidthPackageAssociated",
            format!("The bandwidth package {bwp_id} is still associated with a CEN instance."),
        ));
    }
    st.bandwidth_packages.remove(bwp_id);
    st.remove_tags(PRODUCT, BWP_TYPE, bwp_id, None);
    Ok(Map::new())
}

/// The resource type in canonical lower case, checking that every listed
/// resource of a known kind exists.
fn tag_target(st: &State, p: &Params, need_ids: bool) -> Result<(String, Vec<String>), ApiError> {
    let kind = required(p, "ResourceType")?.to_ascii_lowercase();
    let ids = p.list("ResourceId");
    if need_ids && ids.is_empty() {
        return Err(ApiError::missing_param("ResourceId.1"));
    }
    for id in &ids {
        match kind.as_str() {
            CEN_TYPE if !st.cens.contains_key(id) => return Err(cen_not_found(id)),
            BWP_TYPE if !st.bandwidth_packages.contains_key(id) => return Err(bwp_not_found(id)),
            _ => {}
        }
    }
    Ok((kind, ids))
}

fn tag_resources(st: &mut State, p: &Params) -> Answer {
    let (kind, ids) = tag_target(st, p, true)?;
    let tags: Vec<(String, String)> = tags_param(p)?
        .into_iter()
        .map(|(k, v)| (k, v.unwrap_or_default()))
        .collect();
    if tags.is_empty() {
        return Err(ApiError::missing_param("Tag.1.Key"));
    }
    for id in &ids {
        st.add_tags(PRODUCT, &kind, id, &tags);
    }
    Ok(Map::new())
}

fn untag_resources(st: &mut State, p: &Params) -> Answer {
    let (kind, ids) = tag_target(st, p, true)?;
    let keys = p.list("TagKey");
    let all = p.get("All").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    for id in &ids {
        if keys.is_empty() {
            if all {
                st.remove_tags(PRODUCT, &kind, id, None);
            }
        } else {
            st.remove_tags(PRODUCT, &kind, id, Some(&keys));
        }
    }
    Ok(Map::new())
}

fn list_tag_resources(st: &State, p: &Params) -> Answer {
    let (kind, _) = tag_target(st, p, false)?;
    let size = match p.get("PageSize") {
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=50).contains(n))
            .ok_or_else(|| ApiError::invalid_param("PageSize", "it must be from 1 to 50"))?,
        None => 50,
    };
    list_tags(st, PRODUCT, &kind, p, size)
}
