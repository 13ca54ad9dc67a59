//! CEN (`Cbn` 2017-09-12) as one product handler: instances, attached
//! network instances, bandwidth packages and tags are kept as state; every
//! other operation answers a sample body shaped by its response spec.

mod bandwidth;
mod children;
mod instances;
pub mod refusals;
mod state;
mod tagging;

pub use state::{BandwidthPackage, Cen, CenState, ChildInstance};

use serde_json::Value;

use crate::product::{Call, Ctx, Outcome, ProductHandler, StateGuard, StateLock};
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

/// CEN's state as its operations get it: each operation reads its
/// arguments first and then locks, and every lock brings timed
/// transitions up to date.
pub(super) struct Store<'a> {
    state: &'a StateLock<'a, CenState>,
    now_ms: i64,
}

impl<'a> Store<'a> {
    pub(super) fn lock(&self) -> StateGuard<'a, CenState> {
        let mut st = self.state.lock();
        st.settle(self.now_ms);
        st
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
            "DeleteCen" => instances::delete_cen(st, p),
            "AttachCenChildInstance" => children::attach(st, p, ctx),
            "DetachCenChildInstance" => children::detach(st, p),
            "DescribeCenAttachedChildInstances" => children::describe_children(st, p, ctx),
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
