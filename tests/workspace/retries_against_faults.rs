//! The client's retry policy against the emulator's injected faults:
//! reads ride out throttling and outages, writes that may have been applied
//! are not repeated unless a client token makes repeating them safe.

use crate::common;

use std::time::Duration;

use aliapi_cdn::{
    AddCdnDomain, DescribeCdnDomainDetail, DescribeRefreshQuota, DescribeUserDomains, StopCdnDomain,
};
use aliapi_cen::{CreateCen, DescribeCens};
use aliapi_core::{Client, Credentials, Error, GenericRequest, RetryConfig};
use aliapi_emulator::cdn::CdnState;
use aliapi_emulator::cen::CenState;
use aliapi_emulator::fault::{Fault, FaultPlan};
use aliapi_emulator::{
    DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, FaultConfig, RunningEmulator,
};
use common::{SOURCES, builder, quick_retry, start};

fn retrying_client(emu: &RunningEmulator, retry: RetryConfig) -> Client {
    Client::builder()
        .credentials(Credentials::new(
            DEFAULT_ACCESS_KEY_ID,
            DEFAULT_ACCESS_KEY_SECRET,
        ))
        .endpoint_url(emu.url())
        .retry(retry)
        .build()
        .expect("client")
}

async fn faulty(faults: FaultConfig) -> RunningEmulator {
    start(builder(Duration::ZERO).faults(faults)).await
}

fn only(rate: impl FnOnce(&mut FaultConfig)) -> FaultConfig {
    let mut config = FaultConfig::none();
    rate(&mut config);
    config
}

#[tokio::test]
async fn reads_ride_out_throttling_and_outages() {
    let faults = FaultConfig {
        throttle_rate: 0.3,
        unavailable_rate: 0.2,
        seed: 11,
        ..FaultConfig::none()
    };
    const CALLS: usize = 40;
    const MAX_ATTEMPTS: u32 = 8;

    // The calls are made one after another, so the emulator draws its faults
    // in this order: replay the plan to know what the run will meet.
    let mut plan = FaultPlan::new(faults.clone());
    let (mut injected, mut worst) = (0, 0);
    for _ in 0..CALLS {
        let mut attempts = 1;
        while plan.draw().0.is_some() {
            injected += 1;
            attempts += 1;
        }
        worst = worst.max(attempts);
    }
    assert!(injected >= 10, "the seed injects too little: {injected}");
    assert!(worst >= 3, "some call needs more than one retry");
    assert!(worst <= MAX_ATTEMPTS, "the seed needs {worst} attempts");

    let emu = faulty(faults).await;
    let client = retrying_client(&emu, quick_retry(MAX_ATTEMPTS));
    for i in 0..CALLS {
        if i % 2 == 0 {
            let page = client
                .send(&DescribeUserDomains::new().page_size(10))
                .await
                .unwrap_or_else(|e| panic!("call {i}: {e}"));
            assert_eq!(page.total_count, Some(0));
        } else {
            let quota = client
                .send(&DescribeRefreshQuota::new())
                .await
                .unwrap_or_else(|e| panic!("call {i}: {e}"));
            assert!(quota.request_id.is_some());
        }
    }
}

#[tokio::test]
async fn a_write_that_may_have_been_applied_is_not_repeated() {
    // Every request is answered 503: the service may or may not have acted.
    let emu = faulty(only(|c| c.unavailable_rate = 1.0)).await;
    let client = retrying_client(&emu, quick_retry(4));

    let err = client
        .send(&StopCdnDomain::new("www.example.com"))
        .await
        .expect_err("503");
    assert_eq!(err.code(), Some("ServiceUnavailable"));
    assert_eq!(err.as_service().map(|s| s.status), Some(503));
    assert_eq!(
        err.attempts(),
        Some(1),
        "a write without token is sent once"
    );

    let generic = GenericRequest::new("Cdn", "2018-05-10", "StopCdnDomain")
        .param("DomainName", "www.example.com");
    let err = client.call(&generic).await.expect_err("503");
    assert_eq!(err.code(), Some("ServiceUnavailable"));
    assert_eq!(err.attempts(), Some(1));

    // A read is repeated up to the limit...
    let err = client
        .send(&DescribeCdnDomainDetail::new("www.example.com"))
        .await
        .expect_err("503");
    assert_eq!(err.code(), Some("ServiceUnavailable"));
    assert_eq!(err.attempts(), Some(4));
    // ...and so is a create that carries a client token.
    let err = client
        .send(&CreateCen::new().name("x"))
        .await
        .expect_err("503");
    assert_eq!(err.attempts(), Some(4));
    assert!(
        emu.service()
            .state::<CenState>()
            .expect("CEN state")
            .cens
            .is_empty(),
        "503s act on nothing"
    );
}

#[tokio::test]
async fn a_throttled_write_is_repeated() {
    // Throttling means the service refused to act, so any call may retry.
    let emu = faulty(only(|c| c.throttle_rate = 1.0)).await;
    let client = retrying_client(&emu, quick_retry(3));
    let err = client
        .send(&StopCdnDomain::new("www.example.com"))
        .await
        .expect_err("throttled");
    assert_eq!(err.code(), Some("Throttling.User"));
    assert_eq!(err.as_service().map(|s| s.status), Some(400));
    assert_eq!(err.attempts(), Some(3));
}

#[tokio::test]
async fn a_write_cut_off_mid_answer_is_applied_once_and_not_repeated() {
    let emu = faulty(only(|c| c.disconnect_rate = 1.0)).await;
    let client = retrying_client(&emu, quick_retry(4));
    let err = client
        .send(&AddCdnDomain::new("web", "cut.example.com", SOURCES))
        .await
        .expect_err("the answer is cut off");
    assert!(
        matches!(
            err,
            Error::Transport {
                not_sent: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.attempts(), Some(1));
    // The service acted on it: the domain exists, once.
    let state = emu.service().state::<CdnState>().expect("CDN state");
    assert_eq!(state.domains.len(), 1);
    assert!(state.domains.contains_key("cut.example.com"));
}

#[tokio::test]
async fn create_cen_is_retried_and_creates_one_cen() {
    // Every answer cut off: each attempt reaches the service, yet the
    // repeated client token makes them one creation.
    let emu = faulty(only(|c| c.disconnect_rate = 1.0)).await;
    let client = retrying_client(&emu, quick_retry(3));
    let err = client
        .send(&CreateCen::new().name("once"))
        .await
        .expect_err("every answer is cut off");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(err.attempts(), Some(3), "retried to the limit");
    let state = emu.service().state::<CenState>().expect("CEN state");
    assert_eq!(state.cens.len(), 1, "three attempts, one CEN");
    assert_eq!(state.client_tokens.len(), 1, "one token for all attempts");
    emu.shutdown().await;

    // A run whose first two attempts fail (the first after the CEN was
    // made) and whose third gets through, followed by a clean listing.
    let base = FaultConfig {
        unavailable_rate: 0.25,
        disconnect_rate: 0.25,
        ..FaultConfig::none()
    };
    let seed = (0..10_000u64)
        .find(|&seed| {
            let mut plan = FaultPlan::new(FaultConfig {
                seed,
                ..base.clone()
            });
            let draws: Vec<Option<Fault>> = (0..4).map(|_| plan.draw().0).collect();
            draws
                == [
                    Some(Fault::Disconnect),
                    Some(Fault::Unavailable),
                    None,
                    None,
                ]
        })
        .expect("some seed gives that sequence");
    let emu = faulty(FaultConfig { seed, ..base }).await;
    let client = retrying_client(&emu, quick_retry(3));
    let created = client
        .send(&CreateCen::new().name("once"))
        .await
        .expect("the third attempt succeeds");
    let id = created.cen_id.expect("a CEN id");
    let listed = client
        .send(&DescribeCens::new())
        .await
        .expect("DescribeCens");
    assert_eq!(listed.total_count, Some(1));
    let cens = listed.cens;
    assert_eq!(cens.len(), 1);
    assert_eq!(cens[0].cen_id.as_deref(), Some(id.as_str()));
    assert_eq!(cens[0].name.as_deref(), Some("once"));
}

#[tokio::test]
async fn the_retry_budget_stops_retries_in_an_outage() {
    let emu = faulty(only(|c| c.unavailable_rate = 1.0)).await;
    // Room for two retries (five tokens each), then none.
    let client = retrying_client(&emu, quick_retry(3).with_budget(10));
    let first = client
        .send(&DescribeRefreshQuota::new())
        .await
        .expect_err("503");
    assert_eq!(first.attempts(), Some(3));
    let second = client
        .send(&DescribeRefreshQuota::new())
        .await
        .expect_err("503");
    assert_eq!(second.attempts(), Some(1), "the budget is spent");
    // Clones share the budget.
    let third = client
        .clone()
        .send(&DescribeRefreshQuota::new())
        .await
        .expect_err("503");
    assert_eq!(third.attempts(), Some(1));
}
