//! Shared setup of the workspace integration tests: an in-process emulator
//! on a loopback port and a client pointed at it.

// Each test file uses its own subset of these helpers.
#![allow(dead_code)]

use std::time::Duration;

use aliapi_core::{Client, Credentials, Error, RetryConfig};
use aliapi_emulator::{
    DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator, EmulatorBuilder, RunningEmulator,
};

/// One origin server, in the JSON the `Sources` param takes.
pub const SOURCES: &str =
    r#"[{"content":"1.1.1.1","type":"ipaddr","priority":"20","port":80,"weight":"10"}]"#;

/// An emulator builder with the given settle time (no faults, default key).
pub fn builder(settle: Duration) -> EmulatorBuilder {
    Emulator::builder().settle_time(settle)
}

/// Starts an emulator on a free loopback port.
pub async fn start(builder: EmulatorBuilder) -> RunningEmulator {
    builder.start().await.expect("the emulator starts")
}

/// Retries that wait milliseconds rather than seconds, so that fault tests
/// stay fast; otherwise the default policy.
pub fn quick_retry(max_attempts: u32) -> RetryConfig {
    RetryConfig::default()
        .with_max_attempts(max_attempts)
        .with_base_delay(Duration::from_millis(5))
        .with_throttling_base_delay(Duration::from_millis(10))
        .with_max_delay(Duration::from_millis(40))
}

/// A client with the emulator's default key, quick retries (3 attempts).
pub fn client(emu: &RunningEmulator) -> Client {
    client_with(
        emu,
        Credentials::new(DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET),
    )
}

/// A client signing with `credentials`, pointed at `emu`.
pub fn client_with(emu: &RunningEmulator, credentials: Credentials) -> Client {
    Client::builder()
        .credentials(credentials)
        .region("cn-hangzhou")
        .endpoint_url(emu.url())
        .retry(quick_retry(3))
        .build()
        .expect("the client builds")
}

/// Asserts that `result` failed with service error `code` at HTTP `status`
/// and that the answer carried a request id; returns the error.
#[track_caller]
pub fn expect_service_error<T: std::fmt::Debug>(
    result: Result<T, Error>,
    status: u16,
    code: &str,
) -> Error {
    let err = match result {
        Ok(v) => panic!("expected {code} (HTTP {status}), got a success: {v:?}"),
        Err(e) => e,
    };
    assert_eq!(err.code(), Some(code), "unexpected error: {err}");
    let service = err.as_service().expect("a service error");
    assert_eq!(service.status, status, "unexpected status: {err}");
    assert!(
        err.request_id().is_some_and(|id| !id.is_empty()),
        "no request id in {err}"
    );
    err
}

/// The HTTP status the emulator answers CDN's `code` with for
/// `operation`: the one the official error catalogue documents.
pub fn cdn_status(operation: &str, code: &str) -> u16 {
    aliapi_emulator::catalogue::documented_variant(aliapi_emulator::spec::cdn(), operation, code)
        .map(|v| v.http)
        .unwrap_or_else(|| panic!("{code} is not in CDN's error catalogue"))
}

/// Asserts that a response's request id is present and not empty.
#[track_caller]
pub fn assert_request_id(id: &Option<String>) {
    assert!(
        id.as_deref().is_some_and(|id| !id.is_empty()),
        "no request id: {id:?}"
    );
}
