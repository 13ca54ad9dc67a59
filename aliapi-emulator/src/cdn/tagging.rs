//! Tags on CDN domains (resource type `DOMAIN`).

use serde_json::Map;

use super::domains::not_found;
use super::{CdnState, DOMAIN_TYPE, Store};
use crate::params::Params;
use crate::product::Outcome;
use crate::product::args::{required, tags_to_set};
use crate::product::tags::TagListing;
use crate::refusal::operation::{invalid_param, missing_param};
use crate::reply::ApiError;

fn check_resource_type(p: &Params) -> Result<(), ApiError> {
    let kind = required(p, "ResourceType")?;
    if kind.eq_ignore_ascii_case(DOMAIN_TYPE) {
        Ok(())
    } else {
        Err(invalid_param(
            "ResourceType",
            "the only resource type is DOMAIN",
        ))
    }
}

/// `ResourceId.N`, at least one, in lower case as domains are kept.
fn resource_ids(p: &Params) -> Result<Vec<String>, ApiError> {
    let ids: Vec<String> = p
        .list("ResourceId")
        .into_iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    if ids.is_empty() {
        return Err(missing_param("ResourceId.1"));
    }
    Ok(ids)
}

/// The listed domains, each once, refusing the first that does not exist.
fn existing(st: &CdnState, ids: Vec<String>) -> Result<Vec<String>, ApiError> {
    if let Some(missing) = ids.iter().find(|id| !st.is_writable(id)) {
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

pub(super) fn tag_resources(store: &Store<'_>, p: &Params) -> Outcome {
    check_resource_type(p)?;
    let ids = resource_ids(p)?;
    // Read now, refused only after the domains are checked, as before the
    // arguments were read outside the lock.
    let tags = tags_to_set(p);
    let mut st = store.lock();
    let st = &mut *st;
    let ids = existing(st, ids)?;
    let tags = tags?;
    if tags.is_empty() {
        return Err(missing_param("Tag.1.Key"));
    }
    for id in &ids {
        st.tags.add(DOMAIN_TYPE, id, &tags);
    }
    Ok(Map::new())
}

pub(super) fn untag_resources(store: &Store<'_>, p: &Params) -> Outcome {
    check_resource_type(p)?;
    let ids = resource_ids(p)?;
    let keys = distinct(p.list("TagKey"));
    let all = p.get("All").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let mut st = store.lock();
    let st = &mut *st;
    let ids = existing(st, ids)?;
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

pub(super) fn list_tag_resources(store: &Store<'_>, p: &Params) -> Outcome {
    check_resource_type(p)?;
    let listing = TagListing::parse(p, 20)?;
    listing.run(&store.lock().tags, DOMAIN_TYPE)
}
