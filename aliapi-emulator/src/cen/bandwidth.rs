//! CEN bandwidth packages and their association with CEN instances.

use serde_json::{Map, Value, json};

use super::instances::{cen_mut, cen_not_found, filters, remember_token, replayed};
use super::refusals::{
    PACKAGE_ALREADY_ASSOCIATED, PACKAGE_IN_USE, PACKAGE_NOT_ASSOCIATED, PACKAGE_NOT_FOUND,
};
use super::{BWP_TYPE, BandwidthPackage, Store};
use crate::clock::format_timestamp;
use crate::params::Params;
use crate::product::args::{page_of, paging, required, tags_param, tags_to_set};
use crate::product::{Ctx, Outcome};
use crate::refusal::operation::invalid_param;
use crate::reply::{ApiError, obj};

const GEOGRAPHIC_REGIONS: [&str; 5] = [
    "China",
    "North-America",
    "Asia-Pacific",
    "Europe",
    "Australia",
];

pub(super) fn bwp_not_found(id: &str) -> ApiError {
    PACKAGE_NOT_FOUND.with(&[id])
}

/// A new bandwidth package's arguments.
struct NewPackage<'p> {
    bandwidth: i64,
    region_a: &'p str,
    region_b: &'p str,
    charge: &'p str,
    tags: Vec<(String, String)>,
}

fn new_package(p: &Params) -> Result<NewPackage<'_>, ApiError> {
    let bandwidth: i64 = required(p, "Bandwidth")?
        .parse()
        .ok()
        .filter(|b| *b >= 1)
        .ok_or_else(|| invalid_param("Bandwidth", "it must be at least 1 Mbit/s"))?;
    let a = required(p, "GeographicRegionAId")?;
    let b = required(p, "GeographicRegionBId")?;
    for (name, v) in [("GeographicRegionAId", a), ("GeographicRegionBId", b)] {
        if !GEOGRAPHIC_REGIONS.contains(&v) {
            return Err(invalid_param(
                name,
                &format!("use one of {}", GEOGRAPHIC_REGIONS.join(", ")),
            ));
        }
    }
    let charge = p.get("BandwidthPackageChargeType").unwrap_or("PREPAY");
    if !matches!(charge, "PREPAY" | "POSTPAY") {
        return Err(invalid_param(
            "BandwidthPackageChargeType",
            "use PREPAY or POSTPAY",
        ));
    }
    Ok(NewPackage {
        bandwidth,
        region_a: a,
        region_b: b,
        charge,
        tags: tags_to_set(p)?,
    })
}

pub(super) fn create_bwp(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    // Read before locking; a replayed token answers before they are judged.
    let args = new_package(p);
    let mut st = store.lock();
    let st = &mut *st;
    if let Some(id) = replayed(st, "CreateCenBandwidthPackage", p) {
        return Ok(obj(
            json!({"CenBandwidthPackageId": id, "CenBandwidthPackageOrderId": ""}),
        ));
    }
    let NewPackage {
        bandwidth,
        region_a: a,
        region_b: b,
        charge,
        tags,
    } = args?;
    let bwp = BandwidthPackage {
        id: st.serial.new_id("cenbwp"),
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
    let order = (st.serial.bump() + 200_000_000_000).to_string();
    st.bandwidth_packages.insert(id.clone(), bwp);
    st.tags.add(BWP_TYPE, &id, &tags);
    remember_token(st, "CreateCenBandwidthPackage", p, &id);
    Ok(obj(
        json!({"CenBandwidthPackageId": id, "CenBandwidthPackageOrderId": order}),
    ))
}

pub(super) fn describe_bwps(store: &Store<'_>, p: &Params) -> Outcome {
    let (number, size) = paging(p, 10, 50)?;
    let filters = filters(p, &["CenBandwidthPackageId", "Name", "CenId", "Status"])?;
    let any_filter = p
        .get("IsOrKey")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let tag_filter = tags_param(p)?;
    let st = store.lock();
    let st = &*st;
    let hit = |b: &BandwidthPackage, key: &str, values: &[String]| {
        values.is_empty()
            || values.iter().any(|v| match key {
                "CenBandwidthPackageId" => *v == b.id,
                "Name" => *v == b.name,
                "CenId" => b.cen_ids.contains(v),
                _ => v == b.status(),
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
        .filter(|b| st.tags.matches(BWP_TYPE, &b.id, &tag_filter))
        .collect();
    let page: Vec<Value> = page_of(&matching, number, size)
        .into_iter()
        .map(|b| {
            let tags: Vec<Value> = st
                .tags
                .of(BWP_TYPE, &b.id)
                .into_iter()
                .map(|(k, v)| json!({"Key": k, "Value": v}))
                .collect();
            json!({
                "CenBandwidthPackageId": b.id, "Name": b.name, "Description": b.description,
                "Bandwidth": b.bandwidth, "BandwidthPackageChargeType": b.charge_type,
                "BusinessStatus": "Normal", "Status": b.status(),
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

pub(super) fn associate(store: &Store<'_>, p: &Params) -> Outcome {
    let cen_id = required(p, "CenId")?;
    let bwp_id = required(p, "CenBandwidthPackageId")?;
    let mut st = store.lock();
    let st = &mut *st;
    cen_mut(st, cen_id)?;
    let bwp = st
        .bandwidth_packages
        .get_mut(bwp_id)
        .ok_or_else(|| bwp_not_found(bwp_id))?;
    if let Some(other) = bwp.cen_ids.first() {
        return Err(PACKAGE_ALREADY_ASSOCIATED.with(&[bwp_id, other]));
    }
    bwp.cen_ids.push(cen_id.to_owned());
    Ok(Map::new())
}

pub(super) fn unassociate(store: &Store<'_>, p: &Params) -> Outcome {
    let cen_id = required(p, "CenId")?;
    let bwp_id = required(p, "CenBandwidthPackageId")?;
    let mut st = store.lock();
    let st = &mut *st;
    if !st.cens.contains_key(cen_id) {
        return Err(cen_not_found(cen_id));
    }
    let bwp = st
        .bandwidth_packages
        .get_mut(bwp_id)
        .ok_or_else(|| bwp_not_found(bwp_id))?;
    if !bwp.cen_ids.iter().any(|c| c == cen_id) {
        return Err(PACKAGE_NOT_ASSOCIATED.with(&[bwp_id, cen_id]));
    }
    bwp.cen_ids.retain(|c| c != cen_id);
    Ok(Map::new())
}

pub(super) fn delete_bwp(store: &Store<'_>, p: &Params) -> Outcome {
    let bwp_id = required(p, "CenBandwidthPackageId")?;
    let mut st = store.lock();
    let st = &mut *st;
    let bwp = st
        .bandwidth_packages
        .get(bwp_id)
        .ok_or_else(|| bwp_not_found(bwp_id))?;
    if !bwp.cen_ids.is_empty() {
        return Err(PACKAGE_IN_USE.with(&[bwp_id]));
    }
    st.bandwidth_packages.remove(bwp_id);
    st.tags.remove(BWP_TYPE, bwp_id, None);
    Ok(Map::new())
}
