//! What CEN remembers between calls.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::product::ids::Serial;
use crate::product::tags::TagStore;

/// CEN's state: instances with their attachments, bandwidth packages, tags
/// and the `ClientToken`s already used.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CenState {
    /// The counter CEN's ids are derived from.
    pub serial: Serial,
    /// CEN instances by id.
    pub cens: BTreeMap<String, Cen>,
    /// Bandwidth packages by id.
    pub bandwidth_packages: BTreeMap<String, BandwidthPackage>,
    /// Tags of instances, packages and other resource types.
    pub tags: TagStore,
    /// `ClientToken`s already seen (`Action:token`), with the id they
    /// created.
    pub client_tokens: BTreeMap<String, String>,
}

impl CenState {
    /// Moves every timed transition whose time has come: an instance that
    /// was being created becomes active.
    pub fn settle(&mut self, now_ms: i64) {
        for c in self.cens.values_mut() {
            if c.status == "Creating" && now_ms >= c.settles_at_ms {
                c.status = "Active".into();
            }
        }
    }

    /// CEN's part of a state file from before products had sections.
    pub(super) fn from_legacy(document: &Value) -> Result<CenState, String> {
        /// The fields of the old flat document that were CEN's.
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Legacy {
            serial: Serial,
            cens: BTreeMap<String, Cen>,
            bandwidth_packages: BTreeMap<String, BandwidthPackage>,
            tags: BTreeMap<String, TagStore>,
            client_tokens: BTreeMap<String, String>,
        }
        let mut old = Legacy::deserialize(document).map_err(|e| e.to_string())?;
        Ok(CenState {
            serial: old.serial,
            cens: old.cens,
            bandwidth_packages: old.bandwidth_packages,
            tags: old.tags.remove(super::CODE).unwrap_or_default(),
            client_tokens: old.client_tokens,
        })
    }
}

/// A CEN instance.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Cen {
    /// `cen-…`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// `REDUCED` or `FULL`.
    pub protection_level: String,
    /// `Creating` or `Active`.
    pub status: String,
    /// When a `Creating` instance becomes active (ms since the epoch).
    pub settles_at_ms: i64,
    /// Creation time (seconds since the epoch).
    pub created: i64,
    /// The resource group.
    pub resource_group_id: String,
    /// Attached network instances.
    pub children: Vec<ChildInstance>,
}

/// A network instance attached to a CEN instance.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ChildInstance {
    /// e.g. `vpc-…`.
    pub id: String,
    /// `VPC`, `VBR` or `CCN`.
    pub kind: String,
    /// Its region.
    pub region: String,
    /// Its owner's account id.
    pub owner_id: i64,
    /// Attach time (seconds since the epoch).
    pub attached: i64,
    /// When it is fully attached (ms since the epoch).
    pub settles_at_ms: i64,
}

/// A CEN bandwidth package.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct BandwidthPackage {
    /// `cenbwp-…`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Mbit/s.
    pub bandwidth: i64,
    /// One end of the span, e.g. `China`.
    pub region_a: String,
    /// The other end.
    pub region_b: String,
    /// `PREPAY` or `POSTPAY`.
    pub charge_type: String,
    /// Creation time (seconds since the epoch).
    pub created: i64,
    /// The CEN instances it is associated with.
    pub cen_ids: Vec<String>,
}
