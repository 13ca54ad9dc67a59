//! A client whose clock is off from the service's: the first attempt is
//! refused with `InvalidTimeStamp.Expired`, the client learns the offset
//! from the answer's `Date` header, and signs again with corrected time.

use crate::common;

use std::time::{Duration, SystemTime};

use aliapi_cdn::{AddCdnDomain, DescribeRefreshQuota, DescribeUserDomains};
use aliapi_core::sign::Presigner;
use aliapi_core::{Client, Credentials, Format, RetryConfig};
use aliapi_emulator::cdn::CdnState;
use aliapi_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, RunningEmulator};
use common::{SOURCES, builder, client, start};

/// Signs `action` as the client would at `time`, without sending it.
fn presign<A: aliapi_core::RpcAction>(
    action: &A,
    credentials: &Credentials,
    format: Format,
    time: SystemTime,
) -> Result<aliapi_core::sign::SignedRequest, aliapi_core::Error> {
    Presigner::new(credentials.clone())
        .format(format)
        .time(time)
        .presign(action)
}

fn credentials() -> Credentials {
    Credentials::new(DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
}

async fn skewed(secs: i64) -> RunningEmulator {
    start(builder(Duration::ZERO).clock_skew_secs(secs)).await
}

/// What the emulator says of a request signed with the host's clock.
async fn judge_host_clock(emu: &RunningEmulator) -> (u16, serde_json::Value) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let signed = presign(
        &DescribeRefreshQuota::new(),
        &credentials(),
        Format::Json,
        SystemTime::now(),
    )
    .expect("presign");
    let response = reqwest::Client::new()
        .post(format!("{}/?{}", emu.url(), signed.query()))
        .send()
        .await
        .expect("the emulator answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let json = serde_json::from_str(&text).expect("a JSON answer");
    (status, json)
}

#[tokio::test]
async fn an_hour_ahead_is_corrected_from_the_date_header() {
    let emu = skewed(3600).await;

    // The skew is real: the host's clock is out of the emulator's window.
    let (status, answer) = judge_host_clock(&emu).await;
    assert_eq!(status, 400);
    assert_eq!(answer["Code"], "InvalidTimeStamp.Expired");

    let client = client(&emu);
    let quota = client
        .send(&DescribeRefreshQuota::new())
        .await
        .expect("the client corrects its clock and succeeds");
    assert!(quota.request_id.is_some());
    // Later calls sign with the learned offset.
    for _ in 0..3 {
        client
            .send(&DescribeUserDomains::new())
            .await
            .expect("a later call");
    }
    assert_eq!(emu.service().remembered_nonces(), 4);
}

#[tokio::test]
async fn an_hour_behind_is_corrected_too() {
    let emu = skewed(-3600).await;
    let (status, answer) = judge_host_clock(&emu).await;
    assert_eq!(status, 400);
    assert_eq!(answer["Code"], "InvalidTimeStamp.Expired");
    let client = client(&emu);
    client
        .send(&DescribeRefreshQuota::new())
        .await
        .expect("corrected");
}

#[tokio::test]
async fn the_correction_ignores_the_retry_policy() {
    let emu = skewed(3600).await;
    // No retries at all, yet the one re-signing after learning the clock
    // offset still happens.
    let no_retries = Client::builder()
        .credentials(credentials())
        .endpoint_url(emu.url())
        .retry(RetryConfig::disabled())
        .build()
        .expect("client");
    no_retries
        .send(&DescribeRefreshQuota::new())
        .await
        .expect("corrected without retries");
    let once = client(&emu).with_max_attempts(1);
    once.send(&DescribeRefreshQuota::new())
        .await
        .expect("corrected with one attempt");
}

#[tokio::test]
async fn a_write_is_corrected_and_applied_once() {
    // A timestamp refusal comes before anything is done, so signing a write
    // again is safe.
    let emu = skewed(-3600).await;
    let client = client(&emu);
    let added = client
        .send(&AddCdnDomain::new("web", "skew.example.com", SOURCES))
        .await
        .expect("AddCdnDomain after correction");
    assert!(added.request_id.is_some());
    let state = emu.service().state::<CdnState>().expect("CDN state");
    assert_eq!(state.domains.len(), 1);
    let listed = client
        .send(&DescribeUserDomains::new())
        .await
        .expect("DescribeUserDomains");
    assert_eq!(listed.total_count, Some(1));
}

#[tokio::test]
async fn skew_inside_the_window_needs_no_correction() {
    let emu = skewed(600).await;
    let (status, answer) = judge_host_clock(&emu).await;
    assert_eq!(status, 200, "{answer}");
    client(&emu)
        .send(&DescribeRefreshQuota::new())
        .await
        .expect("ten minutes off is accepted");
}
