//! Property tests on the pure request-judging layer: whatever arrives, the
//! answer is a well-formed error document with a RequestId, never a panic.

use crate::common;

use aliapi_emulator::{Emulator, Incoming, Service};
use proptest::prelude::*;

fn service() -> Service {
    Emulator::builder().build_service().unwrap()
}

fn assert_error_document(reply: &aliapi_emulator::Reply) {
    assert!(reply.status >= 400, "{}", reply.body);
    assert!(!reply.request_id.is_empty());
    if reply.body.starts_with("<?xml") {
        assert!(
            reply
                .body
                .contains(&format!("<RequestId>{}</RequestId>", reply.request_id))
        );
        assert!(reply.body.contains("<Code>"));
    } else {
        let v: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON error body");
        assert_eq!(v["RequestId"], reply.request_id.as_str());
        assert!(v["Code"].is_string() && v["Message"].is_string() && v["HostId"].is_string());
    }
}

/// Names the gate looks at, mixed with noise, so that inputs get deep.
fn param_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Action".to_owned()),
        Just("Version".to_owned()),
        Just("Format".to_owned()),
        Just("AccessKeyId".to_owned()),
        Just("Signature".to_owned()),
        Just("SignatureNonce".to_owned()),
        Just("Timestamp".to_owned()),
        Just("Tag.1.Key".to_owned()),
        "[A-Za-z.%+0-9]{0,12}",
    ]
}

fn param_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("DescribeCens".to_owned()),
        Just("2017-09-12".to_owned()),
        Just("2018-05-10".to_owned()),
        Just("JSON".to_owned()),
        Just(aliapi_emulator::DEFAULT_ACCESS_KEY_ID.to_owned()),
        "\\PC{0,16}",
        "[%0-9A-Fa-f+&=]{0,10}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic(
        method in prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("")],
        query in "\\PC{0,80}",
        content_type in proptest::option::of("\\PC{0,30}"),
        body in proptest::collection::vec(any::<u8>(), 0..120),
    ) {
        let svc = service();
        let reply = svc.respond(
            &Incoming { method, query: &query, content_type: content_type.as_deref(), body: &body, headers: &[] },
            1_700_000_000_000,
        );
        assert_error_document(&reply);
    }

    #[test]
    fn arbitrary_v3_headers_never_panic(
        auth in "ACS3-HMAC-SHA256\\PC{0,60}",
        names in proptest::collection::vec(prop_oneof![
            Just("x-acs-action"), Just("x-acs-version"), Just("x-acs-date"),
            Just("x-acs-signature-nonce"), Just("x-acs-content-sha256"), Just("host"),
            Just("x-acs-security-token"), Just("accept"),
        ], 0..8),
        values in proptest::collection::vec(param_value(), 8),
        query in "\\PC{0,40}",
        body in "\\PC{0,40}",
    ) {
        let svc = service();
        let mut headers: Vec<(&str, &str)> = names.iter().zip(&values).map(|(n, v)| (*n, v.as_str())).collect();
        headers.push(("authorization", auth.as_str()));
        let reply = svc.respond(
            &Incoming { method: "POST", query: &query, content_type: None, body: body.as_bytes(), headers: &headers },
            1_700_000_000_000,
        );
        assert_error_document(&reply);
    }

    #[test]
    fn structured_params_never_panic(
        pairs in proptest::collection::vec((param_name(), param_value()), 0..12),
        in_body in any::<bool>(),
    ) {
        let svc = service();
        let encoded: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
        let text = encoded.join("&");
        let (query, body) = if in_body { ("", text.as_bytes()) } else { (text.as_str(), &b""[..]) };
        let reply = svc.respond(
            &Incoming { method: "POST", query, content_type: Some("application/x-www-form-urlencoded"), body, headers: &[] },
            1_700_000_000_000,
        );
        // Unsigned input can never be accepted.
        assert_error_document(&reply);
    }

    #[test]
    fn signed_requests_with_arbitrary_values_are_judged_cleanly(
        action in prop_oneof![Just("DescribeCens"), Just("CreateCen"), Just("DescribeUserDomains"), Just("AddCdnDomain")],
        extra in proptest::collection::vec((param_name(), param_value()), 0..6),
    ) {
        let svc = service();
        let now = 1_700_000_000;
        let signer = common::Signer { now, ..common::Signer::default() };
        let version = if action.contains("Cen") { common::CBN } else { common::CDN };
        let extra: Vec<(&str, &str)> = extra
            .iter()
            .filter(|(n, _)| !["Action", "Version", "Format", "AccessKeyId", "Signature", "SignatureNonce", "Timestamp"].contains(&n.as_str()))
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let pairs = common::signed(&signer, aliapi_core::Method::Get, version, action, &extra);
        let got = common::call_service(&svc, &pairs, now * 1000);
        prop_assert!(got.body["RequestId"].is_string(), "{:?}", got);
        if got.status != 200 {
            prop_assert!(got.body["Code"].is_string());
        }
    }
}

#[test]
fn nonce_memory_is_bounded_by_the_window() {
    let svc = service();
    let mut now = 1_700_000_000i64;
    for _ in 0..50 {
        let signer = common::Signer {
            now,
            ..common::Signer::default()
        };
        let pairs = common::signed(
            &signer,
            aliapi_core::Method::Get,
            common::CDN,
            "DescribeRefreshQuota",
            &[],
        );
        common::call_service(&svc, &pairs, now * 1000).assert_ok();
    }
    assert_eq!(svc.remembered_nonces(), 50);
    // Sixteen minutes later the old nonces are forgotten on the next request.
    now += 16 * 60;
    let signer = common::Signer {
        now,
        ..common::Signer::default()
    };
    let pairs = common::signed(
        &signer,
        aliapi_core::Method::Get,
        common::CDN,
        "DescribeRefreshQuota",
        &[],
    );
    common::call_service(&svc, &pairs, now * 1000).assert_ok();
    assert_eq!(svc.remembered_nonces(), 1);

    // And a hard cap holds however fast requests come.
    let capped = Emulator::builder()
        .nonce_capacity(10)
        .build_service()
        .unwrap();
    for _ in 0..30 {
        let signer = common::Signer {
            now,
            ..common::Signer::default()
        };
        let pairs = common::signed(
            &signer,
            aliapi_core::Method::Get,
            common::CDN,
            "DescribeRefreshQuota",
            &[],
        );
        common::call_service(&capped, &pairs, now * 1000).assert_ok();
    }
    assert_eq!(capped.remembered_nonces(), 10);
}
