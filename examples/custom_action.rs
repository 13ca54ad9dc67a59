//! An operation of your own: annotate a struct with `#[rpc_action]` and send
//! it through the shared client, as the product crates do for theirs.
//!
//! With `ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET` set,
//! this calls the real CDN API (or `ALIBABA_CLOUD_ENDPOINT_URL[_CDN]`);
//! without them it starts the built-in emulator and calls that.
//!
//! `cargo run --example custom_action`

use aliapi::core::{Client, Credentials, rpc_action};
use aliapi_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator};
use serde::Deserialize;

/// CDN `DescribeRefreshQuota`: how many refresh and prefetch requests are
/// left today. Typed here by hand to show the attribute at work.
#[rpc_action(product = "Cdn", version = "2018-05-10", method = "GET")]
#[derive(Debug, Clone)]
pub struct DescribeRefreshQuota {
    /// Sent as `OwnerId` when set.
    pub owner_id: Option<i64>,
}

/// What `DescribeRefreshQuota` answers; fields the service adds later are
/// ignored, numbers sent as strings are accepted.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DescribeRefreshQuotaResponse {
    /// Id of the request, for support.
    pub request_id: Option<String>,
    /// URL refreshes allowed per day.
    pub url_quota: Option<i64>,
    /// URL refreshes left today.
    pub url_remain: Option<i64>,
    /// Directory refreshes allowed per day.
    pub dir_quota: Option<i64>,
    /// Directory refreshes left today.
    pub dir_remain: Option<i64>,
    /// Prefetches allowed per day.
    pub preload_quota: Option<i64>,
    /// Prefetches left today.
    pub preload_remain: Option<i64>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let has_keys = std::env::var_os("ALIBABA_CLOUD_ACCESS_KEY_ID").is_some();
    let (client, _emulator) = if has_keys {
        (Client::from_env()?, None)
    } else {
        let emulator = Emulator::builder().start().await?;
        println!(
            "no credentials in the environment: using the emulator at {}",
            emulator.url()
        );
        let client = Client::builder()
            .credentials(Credentials::new(
                DEFAULT_ACCESS_KEY_ID,
                DEFAULT_ACCESS_KEY_SECRET,
            ))
            .endpoint_url(emulator.url())
            .build()?;
        (client, Some(emulator))
    };

    let quota = client.send(&DescribeRefreshQuota::new()).await?;
    println!(
        "refresh quota: {} of {} URL refreshes left, {} of {} directory refreshes, {} of {} prefetches [request {}]",
        show(quota.url_remain),
        show(quota.url_quota),
        show(quota.dir_remain),
        show(quota.dir_quota),
        show(quota.preload_remain),
        show(quota.preload_quota),
        quota.request_id.as_deref().unwrap_or("?"),
    );
    Ok(())
}

fn show(n: Option<i64>) -> String {
    n.map_or_else(|| "?".to_owned(), |n| n.to_string())
}
