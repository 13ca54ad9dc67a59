//! The one-pass signer against the plain reference of `aliapi-wire`: for
//! any params, of any names and values, in the query or the body, GET or
//! POST, with or without an STS token, the string the signer hashed is the
//! one a server computes from what was sent, and the signature verifies.

use std::time::{Duration, SystemTime};

use aliapi_core::sign::Presigner;
use aliapi_core::{Credentials, EndpointRule, Error, Location, Method, ParamWriter, RpcAction};
use aliapi_wire::encode::percent_decode;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Arbitrary {
    params: Vec<(String, String, bool)>,
}

struct Get(Arbitrary);
struct Post(Arbitrary);

macro_rules! action {
    ($ty:ident, $method:expr) => {
        impl RpcAction for $ty {
            const PRODUCT: &'static str = "Cdn";
            const VERSION: &'static str = "2018-05-10";
            const ACTION: &'static str = "Describe Anything";
            const METHOD: Method = $method;
            const ENDPOINT: EndpointRule = EndpointRule::central("cdn.aliyuncs.com");
            type Response = serde_json::Value;
            fn write_params(&self, out: &mut ParamWriter) -> Result<(), Error> {
                for (name, value, body) in &self.0.params {
                    let at = if *body {
                        Location::Body
                    } else {
                        Location::Query
                    };
                    out.push(name, value, at);
                }
                Ok(())
            }
        }
    };
}
action!(Get, Method::Get);
action!(Post, Method::Post);

fn pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap();
            (
                percent_decode(n, false).unwrap(),
                percent_decode(v, false).unwrap(),
            )
        })
        .collect()
}

fn params() -> impl Strategy<Value = Vec<(String, String, bool)>> {
    // Names unlike the common params', so that none is sent twice.
    let name = "[A-Za-z][A-Za-z0-9._~ -]{0,12}|Tag\\.[0-9]{1,2}\\.(Key|Value)|\\PC{1,6}";
    let value = "\\PC{0,24}";
    prop::collection::vec((name, value, any::<bool>()), 0..12).prop_map(|v| {
        let mut seen = std::collections::HashSet::new();
        v.into_iter()
            .filter(|(n, _, _)| !n.starts_with("Signature") && seen.insert(n.clone()))
            .collect()
    })
}

/// The keys every case signs with, with `token` as STS token when given.
fn credentials(token: &Option<String>) -> Credentials {
    match token {
        Some(t) => Credentials::with_security_token("key id+", "secret/value", t.as_str(), None),
        None => Credentials::new("key id+", "secret/value"),
    }
}

/// `arbitrary` signed by `presigner` as a POST or a GET operation.
fn presign(
    presigner: &Presigner,
    post: bool,
    arbitrary: &Arbitrary,
) -> aliapi_core::sign::SignedRequest {
    if post {
        presigner.presign(&Post(arbitrary.clone()))
    } else {
        presigner.presign(&Get(arbitrary.clone()))
    }
    .unwrap()
}

/// Every param of the operation arrived where it belongs: the body for a
/// body param of a POST, the query otherwise.
fn each_param_in_place(
    signed: &aliapi_core::sign::SignedRequest,
    arbitrary: &Arbitrary,
    post: bool,
) -> Result<(), TestCaseError> {
    for (name, value, body) in &arbitrary.params {
        let place = if *body && post {
            signed.body().unwrap_or("")
        } else {
            signed.query()
        };
        prop_assert!(
            pairs(place).iter().any(|(n, v)| n == name && v == value),
            "{name:?} not in place"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_signer_hashes_what_a_server_recomputes(
        params in params(),
        post in any::<bool>(),
        token in prop::option::of("[A-Za-z0-9+/=]{8,40}"),
        secs in 0u64..4_000_000_000,
    ) {
        let method = if post { Method::Post } else { Method::Get };
        let presigner = Presigner::new(credentials(&token))
            .time(SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
        let arbitrary = Arbitrary { params };
        let signed = presign(&presigner, post, &arbitrary);
        let mut sent = pairs(signed.query());
        sent.extend(pairs(signed.body().unwrap_or("")));
        let reference = aliapi_wire::v1::string_to_sign(
            method.as_str(),
            sent.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        );
        prop_assert_eq!(signed.string_to_sign(), reference.clone());
        let given = sent.iter().find(|(n, _)| n == "Signature").map(|(_, v)| v.clone());
        prop_assert_eq!(given, Some(aliapi_wire::v1::signature("secret/value", &reference)));
        // Every param of the operation arrived once, where it belongs.
        each_param_in_place(&signed, &arbitrary, post)?;
        let expected = arbitrary.params.len() + 9 + usize::from(token.is_some());
        prop_assert_eq!(sent.len(), expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// V3: the canonical request the one-pass signer hashed is the one
    /// `aliapi_wire::v3`'s reference builds from what was sent (query,
    /// headers, body), and the `Authorization` header is the reference's.
    #[test]
    fn the_v3_signer_hashes_what_a_server_recomputes(
        params in params(),
        post in any::<bool>(),
        token in prop::option::of("[A-Za-z0-9+/=]{8,40}"),
        secs in 0u64..4_000_000_000,
    ) {
        let method = if post { Method::Post } else { Method::Get };
        let presigner = Presigner::new(credentials(&token))
            .signature_version(aliapi_core::SignatureVersion::V3)
            .host("cdn.example.test:8443")
            .time(SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
        let arbitrary = Arbitrary { params };
        let signed = presign(&presigner, post, &arbitrary);
        let query = pairs(signed.query());
        let query: Vec<(&str, &str)> = query.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let mut headers: Vec<(&str, &str)> = signed
            .headers()
            .filter(|(n, _)| *n != "authorization")
            .collect();
        headers.push(("host", "cdn.example.test:8443"));
        let body = signed.body().unwrap_or("");
        let (canonical, _) = aliapi_wire::v3::canonical_request(method.as_str(), &query, &headers, body.as_bytes());
        prop_assert_eq!(signed.string_to_sign(), aliapi_wire::v3::string_to_sign(&canonical));
        let authorization = signed.headers().find(|(n, _)| *n == "authorization").map(|(_, v)| v.to_owned());
        let reference = aliapi_wire::v3::authorization("key id+", "secret/value", method.as_str(), &query, &headers, body.as_bytes());
        prop_assert_eq!(authorization, Some(reference));
        // Every param of the operation arrived once, where it belongs.
        each_param_in_place(&signed, &arbitrary, post)?;
    }
}
