//! What CDN remembers between calls.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::product::Settle;
use crate::product::ids::Serial;
use crate::product::lifecycle::{Lifecycle, Settled};
use crate::product::tags::TagStore;

/// CDN's state: domains with their configs, cache tasks, quota use and
/// tags.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CdnState {
    /// The counter CDN's ids are derived from.
    pub serial: Serial,
    /// Domains by name.
    pub domains: BTreeMap<String, Domain>,
    /// Refresh and preload tasks, oldest first.
    pub tasks: Vec<CacheTask>,
    /// Today's use of the refresh and preload quotas.
    pub quota: QuotaUse,
    /// Tags of domains (resource type `domain`).
    pub tags: TagStore,
}

impl Settle for CdnState {
    /// Moves every domain whose next status is due; a deleted domain goes,
    /// with its tags.
    fn settle(&mut self, now_ms: i64) {
        let mut gone = Vec::new();
        for (name, d) in &mut self.domains {
            d.lifecycle.upgrade("configuring", "online");
            if d.lifecycle.settle(now_ms) == Settled::Gone {
                gone.push(name.clone());
            }
        }
        for name in gone {
            self.domains.remove(&name);
            self.tags.remove(super::DOMAIN_TYPE, &name, None);
        }
    }
}

impl CdnState {
    /// Whether domain `name` exists and is not being deleted: the domains
    /// a write may change.
    pub fn is_writable(&self, name: &str) -> bool {
        self.domains
            .get(name)
            .is_some_and(|d| !d.lifecycle.is_leaving())
    }

    /// CDN's part of a state file from before products had sections.
    pub(super) fn from_legacy(document: &Value) -> Result<CdnState, String> {
        /// The fields of the old flat document that were CDN's.
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Legacy {
            serial: Serial,
            domains: BTreeMap<String, Domain>,
            tasks: Vec<CacheTask>,
            quota: QuotaUse,
            tags: BTreeMap<String, TagStore>,
        }
        let mut old = Legacy::deserialize(document).map_err(|e| e.to_string())?;
        Ok(CdnState {
            serial: old.serial,
            domains: old.domains,
            tasks: old.tasks,
            quota: old.quota,
            tags: old.tags.remove(super::CODE).unwrap_or_default(),
        })
    }
}

/// A CDN domain.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Domain {
    /// The domain name.
    pub name: String,
    /// Its numeric id.
    pub id: i64,
    /// `web`, `download` or `video`.
    pub cdn_type: String,
    /// `domestic`, `overseas` or `global`.
    pub scope: String,
    /// Its origins.
    pub sources: Vec<Origin>,
    /// The resource group it belongs to.
    pub resource_group_id: String,
    /// Its status (`checking`, `configuring`, `online`, `stopping`,
    /// `offline`, `deleting`, `configure_failed`, `check_failed`) and the
    /// steps it will still take.
    #[serde(flatten)]
    pub lifecycle: Lifecycle,
    /// Creation time (seconds since the epoch).
    pub created: i64,
    /// Last change (seconds since the epoch).
    pub modified: i64,
    /// Its feature configs.
    pub configs: Vec<DomainConfig>,
}

impl Domain {
    /// Its status now.
    pub fn status(&self) -> &str {
        &self.lifecycle.status
    }
}

/// One origin of a domain.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Origin {
    /// Address or host name.
    pub content: String,
    /// `ipaddr`, `domain`, `oss`, …
    pub kind: String,
    /// Port, 80 unless given.
    pub port: i64,
    /// Priority as text (`20` primary, `30` backup).
    pub priority: String,
    /// Weight as text.
    pub weight: String,
}

/// One feature config of a domain.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct DomainConfig {
    /// Its id.
    pub id: i64,
    /// The feature, e.g. `referer_white_list_set`.
    pub function_name: String,
    /// Its arguments, in the order given.
    pub args: Vec<(String, String)>,
    /// The parent config id, or empty.
    pub parent_id: String,
}

/// A refresh or preload task.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CacheTask {
    /// The task id shared by all paths of one request.
    pub task_id: String,
    /// One URL or directory.
    pub object_path: String,
    /// `file`, `directory`, `regex`, `ignoreparams` or `preload`.
    pub object_type: String,
    /// The domain the path belongs to.
    pub domain: String,
    /// Creation time (seconds since the epoch).
    pub created: i64,
    /// When it completes (ms since the epoch, state clock).
    pub done_at_ms: i64,
}

/// Quota use on one UTC day.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct QuotaUse {
    /// Days since the epoch the counts are for.
    pub day: i64,
    /// URLs refreshed.
    pub url: i64,
    /// Directories refreshed.
    pub dir: i64,
    /// Regular expressions refreshed.
    pub regex: i64,
    /// URLs refreshed ignoring params.
    pub ignore_params: i64,
    /// URLs preloaded.
    pub preload: i64,
}
