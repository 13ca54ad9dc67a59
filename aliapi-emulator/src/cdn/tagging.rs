//! Tags on CDN domains (resource type `DOMAIN`).

use serde_json::Map;

use super::domains::not_found;
use super::{CdnState, DOMAIN_TYPE};
use crate::params::Params;
use crate::product::Outcome;
use crate::product::args::{required, tags_to_set};
use crate::product::tags::list_tags;
use crate::reply::ApiError;

fn check_resource_type(p: &Params) -> Result<(), ApiError> {
    let kind = required(p, "ResourceType")?;
    if kind.eq_ignore_ascii_case(DOMAIN_TYPE) {
        Ok(())
    } else {
        Err(ApiError::invalid_param(
            "ResourceType",
            "the only resource type is DOMAIN",
        ))
    }
}

fn resource_ids(st: &CdnState, p: &Params, need_one: bool) -> Result<Vec<String>, ApiError> {
    let ids: Vec<String> = p
        .list("ResourceId")
        .into_iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    if need_one && ids.is_empty() {
        return Err(ApiError::missing_param("ResourceId.1"));
    }
    if let Some(missing) = ids.iter().find(|id| !st.domains.contains_key(*id)) {
        return Err(not_found(missing));
    }
    Ok(distinct(ids))
}

/// Each item once: a resource or key listed many times is worked on once,
/// so a long list of repeats cannot multiply the work under the state lock.
pub(super) fn distinct(mut items: Vec<String>) -> Vec<String> {
    items.sort_unstable();
    items.dedup();
    items
}

pub(super) fn tag_resources(st: &mut CdnState, p: &Params) -> Outcome {
    check_resource_type(p)?;
    let ids = resource_ids(st, p, true)?;
    let tags = tags_to_set(p)?;
    if tags.is_empty() {
        return Err(ApiError::missing_param("Tag.1.Key"));
    }
    for id in &ids {
        st.tags.add(DOMAIN_TYPE, id, &tags);
    }
    Ok(Map::new())
}

pub(super) fn untag_resources(st: &mut CdnState, p: &Params) -> Outcome {
    check_resource_type(p)?;
    let ids = resource_ids(st, p, true)?;
    let keys = distinct(p.list("TagKey"));
    let all = p.get("All").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    for id in &ids {
        if keys.is_empty() {
            if all {
                st.tags.remove(DOMAIN_TYPE, id, None);
            }
        } else {
            st.tags.remove(DOMAIN_TYPE, id, Some(&keys));
        }
    }
    Ok(Map::new())
}

pub(super) fn list_tag_resources(st: &CdnState, p: &Params) -> Outcome {
    check_resource_type(p)?;
    list_tags(&st.tags, DOMAIN_TYPE, p, 20)
}
