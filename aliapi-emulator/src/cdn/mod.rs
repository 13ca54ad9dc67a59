//! CDN (`Cdn` 2018-05-10) as one product handler: domains (their status
//! moving as [`transitions`] says), their configs, cache refresh and
//! preload tasks, and tags are kept as state; every other operation
//! answers a sample body shaped by its response spec.

mod cache;
mod configs;
mod domains;
pub mod refusals;
mod state;
mod tagging;
pub mod transitions;

pub use state::{CacheTask, CdnState, Domain, DomainConfig, Origin, QuotaUse};

use serde_json::Value;

use crate::product::{Call, Ctx, Outcome, ProductHandler, SettledGuard, StateLock};
use crate::refusal::Refusal;
use crate::sample::sample_body;
use aliapi_spec::Spec;

/// CDN's product code.
pub const CODE: &str = "Cdn";
/// The CDN API version the emulator answers.
pub const VERSION: &str = "2018-05-10";
/// CDN's central endpoint.
pub const HOST: &str = "cdn.aliyuncs.com";

/// The resource type of domains, for tags.
const DOMAIN_TYPE: &str = "DOMAIN";

/// CDN's state as its operations get it: each operation reads its
/// arguments first and then locks, and every lock brings timed
/// transitions up to date.
pub(super) struct Store<'a> {
    state: &'a StateLock<'a, CdnState>,
    now_ms: i64,
}

impl<'a> Store<'a> {
    pub(super) fn lock(&self) -> SettledGuard<'a, CdnState> {
        self.state.lock_at(self.now_ms)
    }
}

/// The CDN handler.
#[derive(Debug, Clone, Copy, Default)]
pub struct CdnHandler;

impl ProductHandler for CdnHandler {
    type State = CdnState;

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
        aliapi_spec::cdn()
    }

    fn refusals(&self) -> &[Refusal] {
        refusals::ALL
    }

    fn handle(&self, state: &StateLock<'_, CdnState>, call: &Call<'_>, ctx: &Ctx) -> Outcome {
        let st = &Store {
            state,
            now_ms: ctx.now_ms,
        };
        let p = call.params;
        match call.action() {
            "AddCdnDomain" => domains::add_domain(st, p, ctx),
            "DescribeUserDomains" => domains::describe_user_domains(st, p),
            "DescribeCdnDomainDetail" => domains::describe_domain_detail(st, p),
            "StartCdnDomain" => domains::start_domain(st, p, ctx),
            "StopCdnDomain" => domains::stop_domain(st, p, ctx),
            "DeleteCdnDomain" => domains::delete_domain(st, p, ctx),
            "BatchSetCdnDomainConfig" => configs::batch_set_config(st, p, ctx),
            "DescribeCdnDomainConfigs" => configs::describe_configs(st, p),
            "BatchDeleteCdnDomainConfig" => configs::batch_delete_config(st, p, ctx),
            "RefreshObjectCaches" => cache::refresh(st, p, ctx),
            "PushObjectCache" => cache::push(st, p, ctx),
            "DescribeRefreshTasks" => cache::describe_tasks(st, p, ctx),
            "DescribeRefreshQuota" => cache::describe_quota(st, ctx),
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

    fn legacy_state(&self, document: &Value) -> Result<CdnState, String> {
        CdnState::from_legacy(document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_its_spec() {
        let spec = aliapi_spec::cdn();
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
