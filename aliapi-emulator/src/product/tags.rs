//! Resource tags, kept per product and resource type, and the listing both
//! products answer `ListTagResources` with.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Outcome;
use super::args::tags_param;
use crate::params::Params;
use crate::refusal::operation::invalid_param;
use crate::reply::{ApiError, obj};

/// One resource's tags, key to value.
pub type Tags = BTreeMap<String, String>;

/// The tags of every resource of one type, by resource id.
pub type TagsById = BTreeMap<String, Tags>;

/// The tags of one product's resources: resource type (lower case) →
/// resource id → key → value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TagStore(pub BTreeMap<String, TagsById>);

impl TagStore {
    /// The tags of every resource of type `kind` (any case).
    pub fn of_type(&self, kind: &str) -> Option<&TagsById> {
        self.0.get(&kind.to_ascii_lowercase())
    }

    /// The tags of one resource.
    pub fn of(&self, kind: &str, id: &str) -> Tags {
        self.of_type(kind)
            .and_then(|t| t.get(id))
            .cloned()
            .unwrap_or_default()
    }

    /// Sets tags on one resource.
    pub fn add(&mut self, kind: &str, id: &str, tags: &[(String, String)]) {
        if tags.is_empty() {
            return;
        }
        let slot = self
            .0
            .entry(kind.to_ascii_lowercase())
            .or_default()
            .entry(id.to_owned())
            .or_default();
        for (k, v) in tags {
            slot.insert(k.clone(), v.clone());
        }
    }

    /// Removes some (`keys`) or all (`None`) tags of one resource.
    pub fn remove(&mut self, kind: &str, id: &str, keys: Option<&[String]>) {
        let Some(by_id) = self.0.get_mut(&kind.to_ascii_lowercase()) else {
            return;
        };
        match keys {
            None => {
                by_id.remove(id);
            }
            Some(keys) => {
                if let Some(slot) = by_id.get_mut(id) {
                    for k in keys {
                        slot.remove(k);
                    }
                    if slot.is_empty() {
                        by_id.remove(id);
                    }
                }
            }
        }
    }

    /// One resource's tags as answers list them: `[{"Key", "Value"}]`.
    pub fn key_values(&self, kind: &str, id: &str) -> Vec<serde_json::Value> {
        self.of(kind, id)
            .into_iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect()
    }

    /// Removes every tag of resource `id`, whatever its type.
    pub fn remove_everywhere(&mut self, id: &str) {
        for by_id in self.0.values_mut() {
            by_id.remove(id);
        }
    }

    /// Whether a resource carries every `(key, optional value)` in `filter`.
    pub fn matches(&self, kind: &str, id: &str, filter: &[(String, Option<String>)]) -> bool {
        if filter.is_empty() {
            return true;
        }
        let tags = self.of_type(kind).and_then(|t| t.get(id));
        filter
            .iter()
            .all(|(k, v)| match (tags.and_then(|t| t.get(k)), v) {
                (Some(_), None) => true,
                (Some(have), Some(want)) => have == want,
                (None, _) => false,
            })
    }
}

/// A `ListTagResources` call's arguments, read before the state is locked.
#[derive(Debug, Clone)]
pub struct TagListing {
    ids: HashSet<String>,
    filter: Vec<(String, Option<String>)>,
    next_token: Option<String>,
    page_size: i64,
}

impl TagListing {
    /// Reads `ResourceId.N`, `Tag.N` and `NextToken`; pages of `page_size`.
    pub fn parse(p: &Params, page_size: i64) -> Result<TagListing, ApiError> {
        Ok(TagListing {
            ids: p
                .list("ResourceId")
                .iter()
                .map(|i| i.to_ascii_lowercase())
                .collect(),
            filter: tags_param(p)?,
            next_token: p
                .get("NextToken")
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
            page_size,
        })
    }

    /// `(resource, key, value)` rows of one resource type, only of the
    /// listed resources (if any) and those matching the tag filter, paged
    /// by `NextToken`.
    pub fn run(&self, store: &TagStore, kind: &str) -> Outcome {
        list(store, kind, self)
    }
}

/// `ListTagResources` in one step, for callers that hold no lock.
pub fn list_tags(store: &TagStore, kind: &str, p: &Params, page_size: i64) -> Outcome {
    TagListing::parse(p, page_size)?.run(store, kind)
}

fn list(store: &TagStore, kind: &str, args: &TagListing) -> Outcome {
    let (ids, filter) = (&args.ids, &args.filter);
    let mut rows = Vec::new();
    if let Some(by_id) = store.of_type(kind) {
        for (id, tags) in by_id {
            if !ids.is_empty() && !ids.contains(&id.to_ascii_lowercase()) {
                continue;
            }
            if !store.matches(kind, id, filter) {
                continue;
            }
            for (k, v) in tags {
                rows.push(
                    json!({"ResourceId": id, "ResourceType": kind, "TagKey": k, "TagValue": v}),
                );
            }
        }
    }
    let start = match &args.next_token {
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|s| *s <= rows.len())
            .ok_or_else(|| invalid_param("NextToken", "it was not returned by this service"))?,
        None => 0,
    };
    let end = (start + args.page_size as usize).min(rows.len());
    let next = if end < rows.len() {
        end.to_string()
    } else {
        String::new()
    };
    Ok(obj(json!({
        "TagResources": {"TagResource": rows[start..end].to_vec()},
        "NextToken": next,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_match_remove() {
        let mut store = TagStore::default();
        store.add(
            "DOMAIN",
            "a.com",
            &[("env".into(), "test".into()), ("team".into(), "x".into())],
        );
        assert_eq!(store.of("domain", "a.com").len(), 2);
        assert!(store.matches("Domain", "a.com", &[("env".into(), Some("test".into()))]));
        assert!(store.matches("Domain", "a.com", &[("team".into(), None)]));
        assert!(!store.matches("Domain", "a.com", &[("env".into(), Some("prod".into()))]));
        assert!(!store.matches("Domain", "b.com", &[("env".into(), None)]));
        store.remove("DOMAIN", "a.com", Some(&["env".to_owned()]));
        assert_eq!(store.of("DOMAIN", "a.com").len(), 1);
        store.remove("DOMAIN", "a.com", Some(&["team".to_owned()]));
        assert!(
            store.of_type("DOMAIN").unwrap().is_empty(),
            "an untagged resource is dropped"
        );
    }

    #[test]
    fn listing_pages_by_next_token() {
        let mut store = TagStore::default();
        for i in 0..3 {
            store.add("cen", &format!("cen-{i}"), &[("k".into(), format!("v{i}"))]);
        }
        let first = list_tags(&store, "cen", &Params::default(), 2).unwrap();
        assert_eq!(
            first["TagResources"]["TagResource"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(first["NextToken"], "2");
        let rest = list_tags(&store, "cen", &Params::from_pairs([("NextToken", "2")]), 2).unwrap();
        assert_eq!(
            rest["TagResources"]["TagResource"][0]["ResourceId"],
            "cen-2"
        );
        assert_eq!(rest["NextToken"], "");
        let only = list_tags(
            &store,
            "cen",
            &Params::from_pairs([("ResourceId.1", "CEN-1")]),
            9,
        )
        .unwrap();
        assert_eq!(only["TagResources"]["TagResource"][0]["TagValue"], "v1");
        let bad = list_tags(&store, "cen", &Params::from_pairs([("NextToken", "9")]), 2);
        assert_eq!(bad.unwrap_err().code, "InvalidParameter");
    }
}
