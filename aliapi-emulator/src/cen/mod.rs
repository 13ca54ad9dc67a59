//! CEN (`Cbn` 2017-09-12) as one product handler: instances, attached
//! network instances, bandwidth packages, transit routers with their
//! attachments and route tables, and tags are kept as state, their
//! statuses moving as [`transitions`] says; every other operation answers
//! a sample body shaped by its response spec.

mod attachments;
mod bandwidth;
mod children;
mod instances;
pub mod refusals;
mod route_tables;
mod state;
mod tagging;
mod transit_routers;
pub mod transitions;

pub use state::{
    Attachment, AttachmentKind, BandwidthPackage, Cen, CenState, ChildInstance, RouteTable,
    TransitRouter, ZoneMapping,
};

use serde_json::Value;

use crate::product::{Call, Ctx, Outcome, ProductHandler, SettledGuard, StateLock};
use crate::refusal::Refusal;
use crate::sample::sample_body;
use aliapi_spec::Spec;

/// CEN's product code.
pub const CODE: &str = "Cbn";
/// The CEN API version the emulator answers.
pub const VERSION: &str = "2017-09-12";
/// CEN's endpoint, the same in every region.
pub const HOST: &str = "cbn.aliyuncs.com";

/// The resource type of CEN instances, for tags.
const CEN_TYPE: &str = "cen";
/// The resource type of bandwidth packages, for tags.
const BWP_TYPE: &str = "bandwidthpackage";
/// The resource type of transit routers, for tags.
const TRANSIT_ROUTER_TYPE: &str = "transitrouter";
/// The resource type of transit router route tables, for tags.
const ROUTE_TABLE_TYPE: &str = "transitrouterroutetable";

/// The account that owns the emulated resources, where answers name one.
const ACCOUNT_ID: i64 = 1_234_567_890_123_456;

/// Whether the call only asks if it would be carried out (`DryRun=true`).
fn dry_run(p: &crate::params::Params) -> bool {
    p.get("DryRun")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// CEN's state as its operations get it: each operation reads its
/// arguments first and then locks, and every lock brings timed
/// transitions up to date.
pub(super) struct Store<'a> {
    state: &'a StateLock<'a, CenState>,
    now_ms: i64,
}

impl<'a> Store<'a> {
    pub(super) fn lock(&self) -> SettledGuard<'a, CenState> {
        self.state.lock_at(self.now_ms)
    }
}

/// The CEN handler.
#[derive(Debug, Clone, Copy, Default)]
pub struct CenHandler;

impl ProductHandler for CenHandler {
    type State = CenState;

    fn code(&self) -> &str {
        CODE
    }

    fn version(&self) -> &str {
        VERSION
    }

    fn host(&self) -> &str {
        HOST
    }

    fn spec(&self) -> &Spec {
        aliapi_spec::cbn()
    }

    fn refusals(&self) -> &[Refusal] {
        refusals::ALL
    }

    fn handle(&self, state: &StateLock<'_, CenState>, call: &Call<'_>, ctx: &Ctx) -> Outcome {
        let st = &Store {
            state,
            now_ms: ctx.now_ms,
        };
        let p = call.params;
        match call.action() {
            "CreateCen" => instances::create_cen(st, p, ctx),
            "DescribeCens" => instances::describe_cens(st, p),
            "ModifyCenAttribute" => instances::modify_cen(st, p),
            "DeleteCen" => instances::delete_cen(st, p, ctx),
            "AttachCenChildInstance" => children::attach(st, p, ctx),
            "DetachCenChildInstance" => children::detach(st, p, ctx),
            "DescribeCenAttachedChildInstances" => children::describe_children(st, p),
            "DescribeCenAttachedChildInstanceAttribute" => children::describe_child(st, p),
            "CreateTransitRouter" => transit_routers::create(st, p, ctx),
            "ListTransitRouters" => transit_routers::list(st, p),
            "DeleteTransitRouter" => transit_routers::delete(st, p, ctx),
            "CreateTransitRouterRouteTable" => route_tables::create(st, p, ctx),
            "ListTransitRouterRouteTables" => route_tables::list(st, p),
            "DeleteTransitRouterRouteTable" => route_tables::delete(st, p, ctx),
            "CreateTransitRouterVpcAttachment" => {
                attachments::create(st, p, ctx, &attachments::VPC)
            }
            "ListTransitRouterVpcAttachments" => attachments::list(st, p, &attachments::VPC),
            "DeleteTransitRouterVpcAttachment" => {
                attachments::delete(st, p, ctx, &attachments::VPC)
            }
            "CreateTransitRouterVbrAttachment" => {
                attachments::create(st, p, ctx, &attachments::VBR)
            }
            "ListTransitRouterVbrAttachments" => attachments::list(st, p, &attachments::VBR),
            "DeleteTransitRouterVbrAttachment" => {
                attachments::delete(st, p, ctx, &attachments::VBR)
            }
            "CreateTransitRouterPeerAttachment" => {
                attachments::create(st, p, ctx, &attachments::PEER)
            }
            "ListTransitRouterPeerAttachments" => attachments::list(st, p, &attachments::PEER),
            "DeleteTransitRouterPeerAttachment" => {
                attachments::delete(st, p, ctx, &attachments::PEER)
            }
            "CreateTransitRouterVpnAttachment" => {
                attachments::create(st, p, ctx, &attachments::VPN)
            }
            "ListTransitRouterVpnAttachments" => attachments::list(st, p, &attachments::VPN),
            "DeleteTransitRouterVpnAttachment" => {
                attachments::delete(st, p, ctx, &attachments::VPN)
            }
            "CreateTransitRouterEcrAttachment" => {
                attachments::create(st, p, ctx, &attachments::ECR)
            }
            "ListTransitRouterEcrAttachments" => attachments::list(st, p, &attachments::ECR),
            "DeleteTransitRouterEcrAttachment" => {
                attachments::delete(st, p, ctx, &attachments::ECR)
            }
            "CreateCenBandwidthPackage" => bandwidth::create_bwp(st, p, ctx),
            "DescribeCenBandwidthPackages" => bandwidth::describe_bwps(st, p),
            "AssociateCenBandwidthPackage" => bandwidth::associate(st, p),
            "UnassociateCenBandwidthPackage" => bandwidth::unassociate(st, p),
            "DeleteCenBandwidthPackage" => bandwidth::delete_bwp(st, p),
            "TagResources" => tagging::tag_resources(st, p),
            "UntagResources" => tagging::untag_resources(st, p),
            "ListTagResources" => tagging::list_tag_resources(st, p),
            _ => Ok(sample_body(
                self.spec(),
                &call.operation.response,
                ctx.now(),
            )),
        }
    }

    fn legacy_state(&self, document: &Value) -> Result<CenState, String> {
        CenState::from_legacy(document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_its_spec() {
        let spec = aliapi_spec::cbn();
        assert_eq!(
            (
                spec.product.as_str(),
                spec.version.as_str(),
                spec.endpoint.as_str()
            ),
            (CODE, VERSION, HOST)
        );
    }
}
