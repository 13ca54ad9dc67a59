//! Tags on CEN resources (`cen`, `bandwidthpackage`; other types are kept
//! without checking that the resource exists).

use serde_json::Map;

use super::bandwidth::bwp_not_found;
use super::instances::cen_not_found;
use super::{BWP_TYPE, CEN_TYPE, CenState};
use crate::params::Params;
use crate::product::Outcome;
use crate::product::args::{required, tags_to_set};
use crate::product::tags::list_tags;
use crate::reply::ApiError;

/// The resource type in canonical lower case, checking that every listed
/// resource of a known kind exists.
fn tag_target(
    st: &CenState,
    p: &Params,
    need_ids: bool,
) -> Result<(String, Vec<String>), ApiError> {
    let kind = required(p, "ResourceType")?.to_ascii_lowercase();
    let mut ids = p.list("ResourceId");
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
    ids.sort_unstable();
    ids.dedup();
    Ok((kind, ids))
}

pub(super) fn tag_resources(st: &mut CenState, p: &Params) -> Outcome {
    let (kind, ids) = tag_target(st, p, true)?;
    let tags = tags_to_set(p)?;
    if tags.is_empty() {
        return Err(ApiError::missing_param("Tag.1.Key"));
    }
    for id in &ids {
        st.tags.add(&kind, id, &tags);
    }
    Ok(Map::new())
}

pub(super) fn untag_resources(st: &mut CenState, p: &Params) -> Outcome {
    let (kind, ids) = tag_target(st, p, true)?;
    let mut keys = p.list("TagKey");
    // Each key once, so a list of repeats cannot multiply the work.
    keys.sort_unstable();
    keys.dedup();
    let all = p.get("All").is_some_and(|v| v.eq_ignore_ascii_case("true"));
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

pub(super) fn list_tag_resources(st: &CenState, p: &Params) -> Outcome {
    let (kind, _) = tag_target(st, p, false)?;
    let size = match p.get("PageSize") {
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=50).contains(n))
            .ok_or_else(|| ApiError::invalid_param("PageSize", "it must be from 1 to 50"))?,
        None => 50,
    };
    list_tags(&st.tags, &kind, p, size)
}
