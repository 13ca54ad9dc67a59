//! Tags on CEN resources (`cen`, `bandwidthpackage`; other types are kept
//! without checking that the resource exists).

use serde_json::Map;

use super::bandwidth::bwp_not_found;
use super::instances::cen_not_found;
use super::{BWP_TYPE, CEN_TYPE, CenState, Store};
use crate::params::Params;
use crate::product::Outcome;
use crate::product::args::{required, tags_to_set};
use crate::product::tags::TagListing;
use crate::refusal::operation::{invalid_param, missing_param};
use crate::reply::ApiError;

/// The resource type in canonical lower case and the listed resources.
fn tag_target(p: &Params, need_ids: bool) -> Result<(String, Vec<String>), ApiError> {
    let kind = required(p, "ResourceType")?.to_ascii_lowercase();
    let ids = p.list("ResourceId");
    if need_ids && ids.is_empty() {
        return Err(missing_param("ResourceId.1"));
    }
    Ok((kind, ids))
}

/// The listed resources, each once (so a list of repeats cannot multiply
/// the work), refusing the first of a known kind that does not exist.
fn existing(st: &CenState, kind: &str, mut ids: Vec<String>) -> Result<Vec<String>, ApiError> {
    for id in &ids {
        match kind {
            CEN_TYPE if !st.cens.contains_key(id) => return Err(cen_not_found(id)),
            BWP_TYPE if !st.bandwidth_packages.contains_key(id) => return Err(bwp_not_found(id)),
            _ => {}
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

pub(super) fn tag_resources(store: &Store<'_>, p: &Params) -> Outcome {
    let (kind, ids) = tag_target(p, true)?;
    // Read now, refused only after the resources are checked.
    let tags = tags_to_set(p);
    let mut st = store.lock();
    let st = &mut *st;
    let ids = existing(st, &kind, ids)?;
    let tags = tags?;
    if tags.is_empty() {
        return Err(missing_param("Tag.1.Key"));
    }
    for id in &ids {
        st.tags.add(&kind, id, &tags);
    }
    Ok(Map::new())
}

pub(super) fn untag_resources(store: &Store<'_>, p: &Params) -> Outcome {
    let (kind, ids) = tag_target(p, true)?;
    let mut keys = p.list("TagKey");
    // Each key once, so a list of repeats cannot multiply the work.
    keys.sort_unstable();
    keys.dedup();
    let all = p.get("All").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let mut st = store.lock();
    let st = &mut *st;
    let ids = existing(st, &kind, ids)?;
    for id in &ids {
        if keys.is_empty() {
            if all {
                st.tags.remove(&kind, id, None);
            }
        } else {
            st.tags.remove(&kind, id, Some(&keys));
        }
    }
    Ok(Map::new())
}

pub(super) fn list_tag_resources(store: &Store<'_>, p: &Params) -> Outcome {
    let (kind, ids) = tag_target(p, false)?;
    // Read now, refused only after the resources are checked.
    let size = match p.get("PageSize") {
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=50).contains(n))
            .ok_or_else(|| invalid_param("PageSize", "it must be from 1 to 50")),
        None => Ok(50),
    };
    let listing = size.and_then(|size| TagListing::parse(p, size));
    let st = store.lock();
    existing(&st, &kind, ids)?;
    listing?.run(&st.tags, &kind)
}
