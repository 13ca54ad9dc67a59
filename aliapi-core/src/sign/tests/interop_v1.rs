//! RPC v1 signatures checked against the official Python SDK.
//!
//! `tests/vectors/v1_signatures.json` is produced by
//! `tools/interop/v1_vectors.py`, which signs each request with the signing
//! code of `aliyun-python-sdk-core` 2.16.1 (see `tools/interop/README.md`).
//! Every vector is checked twice: from plain unencoded pairs
//! (`sign::string_to_sign` + `sign::signature`, the way a server verifies),
//! and through a `ParamWriter` and the signer the client uses, including the
//! wire form it produces.

use crate::sign::v1::sign_params;
use crate::{Location, Method, ParamWriter};
use aliapi_wire::encode::{percent_decode, percent_encode};
use aliapi_wire::v1 as wire;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Vector {
    name: String,
    method: String,
    secret: String,
    query_params: Vec<(String, String)>,
    body_params: Vec<(String, String)>,
    string_to_sign: String,
    signature: String,
}

fn vectors() -> Vec<Vector> {
    let text = include_str!("../../../tests/vectors/v1_signatures.json");
    serde_json::from_str(text).expect("v1_signatures.json parses")
}

fn method(v: &Vector) -> Method {
    match v.method.as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        other => panic!("{}: unexpected method {other}", v.name),
    }
}

fn all_pairs(v: &Vector) -> impl Iterator<Item = (&str, &str)> {
    v.query_params
        .iter()
        .chain(&v.body_params)
        .map(|(n, val)| (n.as_str(), val.as_str()))
}

/// Splits `a=b&c=d` and decodes each side (no `+` for space: the signer
/// never writes one).
fn decode_pairs(s: &str) -> Vec<(String, String)> {
    if s.is_empty() {
        return Vec::new();
    }
    s.split('&')
        .map(|pair| {
            let (n, v) = pair.split_once('=').expect("name=value");
            (
                percent_decode(n, false).expect("name decodes"),
                percent_decode(v, false).expect("value decodes"),
            )
        })
        .collect()
}

fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

#[test]
fn there_are_enough_vectors_and_they_cover_the_cases() {
    let vs = vectors();
    assert!(vs.len() >= 60, "only {} vectors", vs.len());
    let has = |pred: &dyn Fn(&Vector) -> bool| vs.iter().any(pred);
    assert!(has(&|v| v.method == "GET"));
    assert!(has(&|v| v.method == "POST" && !v.body_params.is_empty()));
    assert!(has(&|v| all_pairs(v).any(|(n, _)| n == "SecurityToken")));
    assert!(has(&|v| all_pairs(v).any(|(n, _)| n == "Filter.1.Value.1")));
    assert!(has(&|v| all_pairs(v).any(|(n, _)| n == "Tag.1.Key")));
    assert!(has(&|v| all_pairs(v).any(|(n, _)| n == "DomainName.10")));
    for needle in [
        " ", "*", "~", "/", "+", "=", "&", "%", "'", "(", ")", "!", "中文", "é", "😀",
    ] {
        assert!(
            has(&|v| all_pairs(v).any(|(_, val)| val.contains(needle))),
            "no vector has {needle:?} in a value"
        );
    }
    assert!(has(&|v| all_pairs(v).any(|(_, val)| val.is_empty())));
}

#[test]
fn string_to_sign_and_signature_from_pairs_match_the_sdk() {
    for v in vectors() {
        let sts = wire::string_to_sign(method(&v).as_str(), all_pairs(&v));
        assert_eq!(sts, v.string_to_sign, "string to sign of {}", v.name);
        assert_eq!(
            wire::signature(&v.secret, &sts),
            v.signature,
            "signature of {}",
            v.name
        );
    }
}

#[test]
fn pair_order_does_not_matter() {
    for v in vectors() {
        let mut pairs: Vec<(&str, &str)> = all_pairs(&v).collect();
        pairs.reverse();
        let sts = wire::string_to_sign(method(&v).as_str(), pairs);
        assert_eq!(sts, v.string_to_sign, "reversed {}", v.name);
    }
}

#[test]
fn a_signature_pair_among_the_params_is_not_signed() {
    for v in vectors() {
        let pairs = all_pairs(&v).chain([("Signature", v.signature.as_str())]);
        assert_eq!(
            wire::string_to_sign(method(&v).as_str(), pairs),
            v.string_to_sign,
            "{}",
            v.name
        );
    }
}

#[test]
fn param_writer_signing_matches_the_sdk_and_the_wire_form_round_trips() {
    for v in vectors() {
        let m = method(&v);
        let mut w = ParamWriter::new();
        for (n, val) in &v.query_params {
            w.push(n, val, Location::Query);
        }
        for (n, val) in &v.body_params {
            w.push(n, val, Location::Body);
        }
        let signed = sign_params(m, &w, &v.secret);
        assert_eq!(
            signed.string_to_sign(),
            v.string_to_sign,
            "writer string to sign of {}",
            v.name
        );

        // The signature travels last in the query, RFC 3986-encoded.
        let suffix = format!("Signature={}", percent_encode(&v.signature));
        assert!(
            signed.query().ends_with(&suffix),
            "{}: query {:?} does not end with {suffix:?}",
            v.name,
            signed.query()
        );

        // Decoding what goes on the wire gives back exactly the params.
        let mut query = decode_pairs(signed.query());
        let sig = query.pop().expect("signature pair");
        assert_eq!(
            sig,
            ("Signature".to_owned(), v.signature.clone()),
            "{}",
            v.name
        );
        let body = decode_pairs(signed.body().unwrap_or(""));
        match m {
            Method::Post => {
                assert_eq!(
                    sorted(query),
                    sorted(v.query_params.clone()),
                    "query of {}",
                    v.name
                );
                assert_eq!(
                    sorted(body),
                    sorted(v.body_params.clone()),
                    "body of {}",
                    v.name
                );
                assert_eq!(
                    signed.body().is_some(),
                    !v.body_params.is_empty(),
                    "{}",
                    v.name
                );
            }
            Method::Get => {
                let all: Vec<(String, String)> = v
                    .query_params
                    .iter()
                    .chain(&v.body_params)
                    .cloned()
                    .collect();
                assert_eq!(sorted(query), sorted(all), "query of {}", v.name);
                assert!(signed.body().is_none(), "{}: a GET has no body", v.name);
            }
        }
    }
}

/// The verified vector of PROTOCOL.md section 2, spelled out here so that it
/// does not depend on the JSON file.
#[test]
fn protocol_md_verified_vector() {
    let params = [
        ("Action", "DescribeRegions"),
        ("Format", "XML"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
        ("Version", "2014-05-26"),
        ("AccessKeyId", "testid"),
    ];
    let expected = "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML\
                    %26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
                    %26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26";
    let sts = wire::string_to_sign("GET", params);
    assert_eq!(sts, expected);
    assert_eq!(
        wire::signature("testsecret", &sts),
        "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    );

    let mut w = ParamWriter::new();
    for (n, v) in params {
        w.push(n, v, Location::Query);
    }
    let signed = sign_params(Method::Get, &w, "testsecret");
    assert_eq!(signed.string_to_sign(), expected);
    assert!(
        signed
            .query()
            .ends_with("&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D")
    );

    // The SDK-generated file carries the same vector.
    let v = vectors()
        .into_iter()
        .find(|v| v.name == "protocol_md_verified_vector")
        .expect("vector present");
    assert_eq!(v.string_to_sign, expected);
    assert_eq!(v.signature, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
}

#[test]
fn a_wrong_secret_or_method_changes_the_signature() {
    for v in vectors().iter().take(10) {
        let sts = wire::string_to_sign(method(v).as_str(), all_pairs(v));
        let wrong = format!("{}x", v.secret);
        assert_ne!(wire::signature(&wrong, &sts), v.signature, "{}", v.name);
        let other = match method(v) {
            Method::Get => Method::Post,
            Method::Post => Method::Get,
        };
        assert_ne!(
            wire::string_to_sign(other.as_str(), all_pairs(v)),
            v.string_to_sign,
            "{}",
            v.name
        );
    }
}
