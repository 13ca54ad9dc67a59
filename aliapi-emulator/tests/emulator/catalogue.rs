//! The official error catalogue answers every refusal the emulator's
//! operations can make whose code it documents, with its status and its
//! message; the gateway's refusals are answered as they are. Driven by
//! the refusal tables the emulator declares, not by a hand list.

use crate::common;

use aliapi_core::Method;
use aliapi_emulator::refusal::{Refusal, gateway, operation};
use aliapi_emulator::{Emulator, Registry, catalogue};
use common::*;

/// The product of the spec a registered product answers with.
fn product_of(code: &str) -> Product {
    Product::ALL
        .into_iter()
        .find(|p| p.spec().product == code)
        .expect("a built-in product")
}

/// Every refusal a built-in product's operations can make.
fn operation_refusals(refusals: &[Refusal]) -> Vec<Refusal> {
    operation::ALL.iter().chain(refusals).copied().collect()
}

#[test]
fn every_documented_refusal_carries_the_catalogues_status_and_message() {
    let mut documented_codes = 0;
    for product in Registry::builtin().products() {
        let which = product_of(product.code());
        let spec = product.spec();
        let refusals = operation_refusals(product.refusals());
        assert!(refusals.len() > operation::ALL.len(), "{}", product.code());
        for refusal in refusals {
            if documented(which, "", refusal.code).is_none() {
                continue;
            }
            documented_codes += 1;
            // Whichever operation refuses with it.
            for op in &spec.operations {
                let answer = catalogue::official(spec, &op.name, refusal.error());
                let (status, message) = documented(which, &op.name, refusal.code).unwrap();
                assert_eq!(
                    (answer.status, answer.message.as_str(), answer.code.as_str()),
                    (status, message.as_str(), refusal.code),
                    "{} {}",
                    product.code(),
                    op.name
                );
            }
        }
    }
    assert!(documented_codes > 0);
}

#[test]
fn codes_the_catalogue_lacks_keep_their_answer_and_are_listed_in_the_docs() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs"))
        .expect("the crate docs");
    let listed = |code: &str| docs.contains(&format!("`{code}`"));
    for product in Registry::builtin().products() {
        let which = product_of(product.code());
        let spec = product.spec();
        for refusal in operation_refusals(product.refusals()) {
            if documented(which, "", refusal.code).is_some() {
                continue;
            }
            assert!(
                listed(refusal.code),
                "{} is not in the crate docs",
                refusal.code
            );
            let op = &spec.operations[0].name;
            let answer = catalogue::official(spec, op, refusal.error());
            assert_eq!(answer, refusal.error());
        }
    }
    for refusal in gateway::ALL {
        assert!(
            listed(refusal.code),
            "{} is not in the crate docs",
            refusal.code
        );
    }
}

#[test]
fn refusals_through_the_service_are_the_catalogues() {
    let svc = Emulator::builder().build_service().unwrap();
    let now = aliapi_emulator::clock::unix_now();
    let call = |version: &str, action: &str, params: &[(&str, &str)]| {
        let signer = Signer {
            now,
            ..Signer::default()
        };
        call_service(
            &svc,
            &signed(&signer, Method::Get, version, action, params),
            now * 1000,
        )
    };
    // A product's own refusal, documented for another operation only.
    call(
        CDN,
        "DescribeCdnDomainDetail",
        &[("DomainName", "nope.example.com")],
    )
    .assert_documented(
        Product::Cdn,
        "DescribeCdnDomainDetail",
        "InvalidDomain.NotFound",
    );
    // One documented for this very operation.
    let add = [
        ("DomainName", "a.example.com"),
        ("CdnType", "image"),
        ("Sources", r#"[{"content":"1.1.1.1","type":"ipaddr"}]"#),
    ];
    call(CDN, "AddCdnDomain", &add).assert_documented(
        Product::Cdn,
        "AddCdnDomain",
        "InvalidCdnType.Malformed",
    );
    // The gate's param check, in each product's words.
    call(CBN, "DeleteCen", &[]).assert_documented(Product::Cbn, "DeleteCen", "MissingParameter");
    call(CBN, "DescribeCens", &[("PageSize", "x")]).assert_documented(
        Product::Cbn,
        "DescribeCens",
        "InvalidParameter",
    );
    let cen = call(CBN, "CreateCen", &[]).assert_ok()["CenId"]
        .as_str()
        .unwrap()
        .to_owned();
    let child = [
        ("CenId", cen.as_str()),
        ("ChildInstanceId", "vpc-1"),
        ("ChildInstanceRegionId", "cn-hangzhou"),
        ("ChildInstanceType", "VPC"),
    ];
    call(CBN, "DetachCenChildInstance", &child).assert_documented(
        Product::Cbn,
        "DetachCenChildInstance",
        "InvalidChildInstanceId.NotFound",
    );
    // A code the catalogue lacks keeps the emulator's answer.
    let msg = call(CBN, "DeleteCen", &[("CenId", "cen-none")])
        .assert_err(400, "ParameterCenInstanceId")
        .to_owned();
    assert!(msg.contains("cen-none"), "{msg}");
}

#[test]
fn the_gateways_refusals_are_not_rewritten() {
    // CDN's catalogue documents SignatureDoesNotMatch (for certificates);
    // a request signature that does not match is still the gateway's
    // answer, with the string to sign the client's diagnosis reads.
    assert!(
        documented(
            Product::Cdn,
            "DescribeRefreshQuota",
            "SignatureDoesNotMatch"
        )
        .is_some()
    );
    let svc = Emulator::builder().build_service().unwrap();
    let now = aliapi_emulator::clock::unix_now();
    let signer = Signer {
        now,
        secret: "wrong".into(),
        ..Signer::default()
    };
    let got = call_service(
        &svc,
        &signed(&signer, Method::Get, CDN, "DescribeRefreshQuota", &[]),
        now * 1000,
    );
    let msg = got.assert_err(400, "SignatureDoesNotMatch");
    assert!(msg.contains("server string to sign is:GET&%2F&"), "{msg}");
}
