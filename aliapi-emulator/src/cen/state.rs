//! What CEN remembers between calls.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::product::Settle;
use crate::product::ids::Serial;
use crate::product::lifecycle::{Lifecycle, Settled};
use crate::product::tags::TagStore;

/// CEN's state: instances with their attached network instances,
/// bandwidth packages, transit routers with their attachments and route
/// tables, tags and the `ClientToken`s already used.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CenState {
    /// The counter CEN's ids are derived from.
    pub serial: Serial,
    /// CEN instances by id.
    pub cens: BTreeMap<String, Cen>,
    /// Bandwidth packages by id.
    pub bandwidth_packages: BTreeMap<String, BandwidthPackage>,
    /// Transit routers by id.
    pub transit_routers: BTreeMap<String, TransitRouter>,
    /// Transit router attachments of every kind, by id.
    pub attachments: BTreeMap<String, Attachment>,
    /// Transit router route tables, by id.
    pub route_tables: BTreeMap<String, RouteTable>,
    /// Tags of every resource type.
    pub tags: TagStore,
    /// `ClientToken`s already seen (`Action:token`), with the id they
    /// created.
    pub client_tokens: BTreeMap<String, String>,
}

/// Takes the due steps of every record of `records`, removing those that
/// go; returns the ids removed.
fn settle_all<T>(
    records: &mut BTreeMap<String, T>,
    now_ms: i64,
    lifecycle: impl Fn(&mut T) -> &mut Lifecycle,
) -> Vec<String> {
    let mut gone = Vec::new();
    for (id, r) in records.iter_mut() {
        if lifecycle(r).settle(now_ms) == Settled::Gone {
            gone.push(id.clone());
        }
    }
    for id in &gone {
        records.remove(id);
    }
    gone
}

impl Settle for CenState {
    /// Moves every resource whose next status is due. What goes takes its
    /// tags along; a transit router takes its system route table.
    fn settle(&mut self, now_ms: i64) {
        for c in self.cens.values_mut() {
            c.lifecycle.upgrade("Creating", "Active");
            c.children.retain_mut(|ch| {
                ch.lifecycle.upgrade("Attaching", "Attached");
                ch.lifecycle.settle(now_ms) == Settled::Here
            });
        }
        for id in settle_all(&mut self.cens, now_ms, |c| &mut c.lifecycle) {
            self.tags.remove(super::CEN_TYPE, &id, None);
        }
        for id in settle_all(&mut self.attachments, now_ms, |a| &mut a.lifecycle) {
            self.tags.remove_everywhere(&id);
        }
        let routers = settle_all(&mut self.transit_routers, now_ms, |t| &mut t.lifecycle);
        for id in &routers {
            self.tags.remove(super::TRANSIT_ROUTER_TYPE, id, None);
        }
        let orphans: Vec<String> = self
            .route_tables
            .values()
            .filter(|t| routers.contains(&t.transit_router_id))
            .map(|t| t.id.clone())
            .collect();
        for id in orphans {
            self.route_tables.remove(&id);
            self.tags.remove(super::ROUTE_TABLE_TYPE, &id, None);
        }
        for id in settle_all(&mut self.route_tables, now_ms, |t| &mut t.lifecycle) {
            self.tags.remove(super::ROUTE_TABLE_TYPE, &id, None);
        }
    }
}

impl CenState {
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
            ..CenState::default()
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
    /// `Creating`, `Active` or `Deleting`, and the steps still to come.
    #[serde(flatten)]
    pub lifecycle: Lifecycle,
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
    /// `Attaching`, `Attached` or `Detaching`, and the steps still to come.
    #[serde(flatten)]
    pub lifecycle: Lifecycle,
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

impl BandwidthPackage {
    /// `Idle` or `InUse`: a package is in use while it is associated.
    pub fn status(&self) -> &'static str {
        if self.cen_ids.is_empty() {
            "Idle"
        } else {
            "InUse"
        }
    }
}

/// A transit router of a CEN instance, one per region.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct TransitRouter {
    /// `tr-…`.
    pub id: String,
    /// The CEN instance it belongs to.
    pub cen_id: String,
    /// Its region.
    pub region: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Whether multicast is on.
    pub support_multicast: bool,
    /// Creation time (seconds since the epoch).
    pub created: i64,
    /// `Creating`, `Active` or `Deleting`, and the steps still to come.
    #[serde(flatten)]
    pub lifecycle: Lifecycle,
}

/// The network a transit router attachment connects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttachmentKind {
    /// A VPC.
    #[default]
    Vpc,
    /// A virtual border router.
    Vbr,
    /// Another transit router.
    Peer,
    /// A VPN connection.
    Vpn,
    /// An Express Connect router.
    Ecr,
}

/// One zone of a VPC attachment.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ZoneMapping {
    /// The zone.
    pub zone_id: String,
    /// The vSwitch in it.
    pub vswitch_id: String,
}

/// A transit router attachment: a network connected to a transit router.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Attachment {
    /// `tr-attach-…`.
    pub id: String,
    /// What it connects.
    pub kind: AttachmentKind,
    /// The CEN instance of its transit router.
    pub cen_id: String,
    /// Its transit router.
    pub transit_router_id: String,
    /// Its transit router's region.
    pub region: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// What it connects: the VPC, VBR, VPN, ECR or peer transit router id.
    pub resource_id: String,
    /// The account that owns the connected resource.
    pub resource_owner_id: i64,
    /// The region of the connected resource.
    pub resource_region: String,
    /// Whether routes are published to the connected network.
    pub auto_publish: bool,
    /// `POSTPAY` (and for VPN, `PREPAY` too).
    pub charge_type: String,
    /// A VPC attachment's zones.
    pub zones: Vec<ZoneMapping>,
    /// A peer attachment's bandwidth (Mbit/s).
    pub bandwidth: i64,
    /// A peer attachment's bandwidth type.
    pub bandwidth_type: String,
    /// A peer attachment's bandwidth package.
    pub bandwidth_package_id: String,
    /// A peer attachment's link type.
    pub default_link_type: String,
    /// Creation time (seconds since the epoch).
    pub created: i64,
    /// `Attaching`, `Attached` or `Detaching`, and the steps still to come.
    #[serde(flatten)]
    pub lifecycle: Lifecycle,
}

/// A transit router route table.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RouteTable {
    /// `vtb-…`.
    pub id: String,
    /// Its transit router.
    pub transit_router_id: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// The table a transit router comes with (`System`) rather than one
    /// created (`Custom`).
    pub system: bool,
    /// `enable` or `disable`.
    pub multi_region_ecmp: String,
    /// Creation time (seconds since the epoch).
    pub created: i64,
    /// `Creating`, `Active` or `Deleting`, and the steps still to come.
    #[serde(flatten)]
    pub lifecycle: Lifecycle,
}
