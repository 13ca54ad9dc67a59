//! Products are handlers in a registry: a request reaches the product its
//! version (or its Alibaba Cloud endpoint host) names, or is refused with
//! the service's `InvalidVersion`; it is never handed to another product.

use crate::common;

use aliapi_core::Method;
use aliapi_emulator::product::{Call, Ctx, Outcome, ProductHandler, StateLock};
use aliapi_emulator::spec::{self, Spec};
use aliapi_emulator::{Emulator, EmulatorError, Incoming, RegistryError, Service};
use common::*;
use serde_json::json;

/// Sends a signed GET straight to the service with a `Host` header.
fn call_at(svc: &Service, host: &str, pairs: &[(String, String)]) -> Got {
    let q = encode(pairs);
    let now_ms = aliapi_emulator::clock::unix_now() * 1000;
    let reply = svc.respond(
        &Incoming {
            method: "GET",
            query: &q,
            content_type: None,
            body: b"",
            headers: &[("Host", host)],
        },
        now_ms,
    );
    Got {
        status: reply.status,
        body: serde_json::from_str(&reply.body).unwrap_or(serde_json::Value::Null),
    }
}

fn request(version: &str, action: &str) -> Vec<(String, String)> {
    signed(&Signer::default(), Method::Get, version, action, &[])
}

#[test]
fn a_version_no_product_has_is_refused_as_the_service_does() {
    let svc = Emulator::builder().build_service().unwrap();
    for version in ["2014-05-26", "2018-05-11", "latest"] {
        let got = call_at(
            &svc,
            "127.0.0.1:8080",
            &request(version, "DescribeRefreshQuota"),
        );
        let msg = got.assert_err(400, "InvalidVersion");
        assert_eq!(msg, "Specified parameter Version is not valid.");
        assert_eq!(got.body["HostId"], "aliyuncs.com");
    }
    // Refused before the signature: no nonce was used up.
    assert_eq!(svc.remembered_nonces(), 0);
}

#[test]
fn an_endpoint_host_picks_its_product() {
    let svc = Emulator::builder().build_service().unwrap();
    call_at(
        &svc,
        "cdn.aliyuncs.com",
        &request(CDN, "DescribeRefreshQuota"),
    )
    .assert_ok();
    call_at(
        &svc,
        "cdn.ap-southeast-1.aliyuncs.com:443",
        &request(CDN, "DescribeRefreshQuota"),
    )
    .assert_ok();
    call_at(&svc, "CBN.aliyuncs.com", &request(CBN, "DescribeCens")).assert_ok();

    // CEN's version and action sent to CDN's endpoint: CDN does not have
    // that version, whichever product does.
    let got = call_at(&svc, "cdn.aliyuncs.com", &request(CBN, "DescribeCens"));
    got.assert_err(400, "InvalidVersion");
    assert_eq!(got.body["HostId"], "cdn.aliyuncs.com");

    // An endpoint of a product the emulator does not have is not served by
    // the product whose version the request happens to carry.
    let got = call_at(
        &svc,
        "ecs.aliyuncs.com",
        &request(CDN, "DescribeRefreshQuota"),
    );
    got.assert_err(400, "InvalidVersion");
    assert_eq!(got.body["HostId"], "aliyuncs.com");
    assert_eq!(
        svc.remembered_nonces(),
        3,
        "only the accepted calls used nonces"
    );
}

/// A product that is not built in: a CDN look-alike under its own version
/// that counts the calls it answered.
struct Counter;

impl ProductHandler for Counter {
    type State = u64;

    fn code(&self) -> &str {
        "Counter"
    }

    fn version(&self) -> &str {
        "2099-01-01"
    }

    fn host(&self) -> &str {
        "counter.aliyuncs.com"
    }

    fn spec(&self) -> &Spec {
        spec::cdn()
    }

    fn handle(&self, state: &StateLock<'_, u64>, call: &Call<'_>, _ctx: &Ctx) -> Outcome {
        let mut calls = state.lock();
        *calls += 1;
        let mut body = serde_json::Map::new();
        body.insert("Calls".into(), json!(*calls));
        body.insert("Action".into(), json!(call.action()));
        Ok(body)
    }
}

#[test]
fn a_registered_product_is_one_handler_with_its_own_state() {
    let svc = Emulator::builder()
        .product(Counter)
        .build_service()
        .unwrap();
    let got = call_service(
        &svc,
        &request("2099-01-01", "DescribeRefreshQuota"),
        aliapi_emulator::clock::unix_now() * 1000,
    );
    assert_eq!(got.assert_ok()["Calls"], 1);
    assert_eq!(got.body["Action"], "DescribeRefreshQuota");
    let got = call_at(
        &svc,
        "counter.aliyuncs.com",
        &request("2099-01-01", "StartCdnDomain"),
    );
    // Its spec still applies: StartCdnDomain needs DomainName.
    got.assert_err(400, "MissingParameter");
    assert_eq!(got.body["HostId"], "counter.aliyuncs.com");
    assert_eq!(svc.state::<u64>(), Some(1));
    // CDN is untouched by the look-alike's calls.
    let cdn = svc.state::<aliapi_emulator::cdn::CdnState>().unwrap();
    assert_eq!(cdn.quota, Default::default());
    assert!(svc.products().product("Counter").is_some());
}

#[test]
fn a_product_whose_code_or_version_is_taken_is_refused() {
    let err = Emulator::builder()
        .product(aliapi_emulator::cdn::CdnHandler)
        .build_service()
        .unwrap_err();
    assert!(
        matches!(
            &err,
            EmulatorError::Product(RegistryError::DuplicateCode { code }) if code == "Cdn"
        ),
        "{err}"
    );

    struct SameVersion;
    impl ProductHandler for SameVersion {
        type State = ();
        fn code(&self) -> &str {
            "Other"
        }
        fn version(&self) -> &str {
            CBN
        }
        fn host(&self) -> &str {
            "other.aliyuncs.com"
        }
        fn spec(&self) -> &Spec {
            spec::cbn()
        }
        fn handle(&self, _: &StateLock<'_, ()>, _: &Call<'_>, _: &Ctx) -> Outcome {
            Ok(Default::default())
        }
    }
    let err = Emulator::builder()
        .product(SameVersion)
        .build_service()
        .unwrap_err();
    assert!(err.to_string().contains("2017-09-12"), "{err}");
}
