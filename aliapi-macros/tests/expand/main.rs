//! What `#[rpc_action]` generates, observed from the outside: the consts,
//! the params `write_params` writes, the constructor and the setters.

mod full_use;

use std::collections::{BTreeMap, HashMap};

use aliapi_core::{EndpointRule, Location, Method, ParamWriter, RpcAction, rpc_action};
use aliapi_wire::encode::percent_decode;
use serde::{Deserialize, Serialize};

/// The params of `action` as (decoded name, decoded value, location).
fn params<A: RpcAction>(action: &A) -> Vec<(String, String, Location)> {
    let mut out = ParamWriter::new();
    action.write_params(&mut out).expect("params are writable");
    out.iter()
        .map(|p| {
            (
                percent_decode(p.name, false).expect("name decodes"),
                percent_decode(p.value, false).expect("value decodes"),
                p.location,
            )
        })
        .collect()
}

fn q(name: &str, value: &str) -> (String, String, Location) {
    (name.to_owned(), value.to_owned(), Location::Query)
}

fn b(name: &str, value: &str) -> (String, String, Location) {
    (name.to_owned(), value.to_owned(), Location::Body)
}

/// Compiles only when `A::Response` is `R`.
fn response_is<A: RpcAction<Response = R>, R>() {}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    key: String,
    value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Filter {
    key: String,
    value: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Options {
    enable: bool,
    ttl: u32,
}

#[derive(Debug, Deserialize)]
pub struct StartCdnDomainResponse {
    #[serde(rename = "RequestId")]
    pub request_id: String,
}

/// Every style and location, defaults for everything struct-wide.
#[rpc_action(product = "Cdn", version = "2018-05-10")]
#[derive(Debug, Clone, PartialEq)]
pub struct StartCdnDomain {
    /// A user doc comment survives.
    pub domain_name: String,
    #[rpc(rename = "OwnerId")]
    pub owner_id: Option<i64>,
    #[rpc(style = "repeatList")]
    pub tag: Vec<Tag>,
    #[rpc(style = "repeatList")]
    pub filter: Vec<Filter>,
    #[rpc(style = "json")]
    pub options: Option<Options>,
    #[rpc(location = "body")]
    pub object_path: String,
    #[rpc(style = "flat", location = "query")]
    pub labels: BTreeMap<String, String>,
    #[rpc(style = "repeatList", rename = "Ids")]
    pub ids: Option<Vec<u32>>,
    #[rpc(style = "plain")]
    pub r#type: Option<String>,
    #[rpc(location = "body", style = "flat")]
    pub extra: HashMap<String, u8>,
    #[rpc(style = "json", location = "body")]
    pub settings: Option<Vec<Options>>,
}

#[test]
fn default_consts() {
    assert_eq!(StartCdnDomain::PRODUCT, "Cdn");
    assert_eq!(StartCdnDomain::VERSION, "2018-05-10");
    assert_eq!(StartCdnDomain::ACTION, "StartCdnDomain");
    assert_eq!(StartCdnDomain::METHOD, Method::Post);
    assert_eq!(
        StartCdnDomain::ENDPOINT,
        EndpointRule::central("cdn.aliyuncs.com")
    );
    response_is::<StartCdnDomain, StartCdnDomainResponse>();
}

#[test]
fn new_takes_required_fields_and_leaves_the_rest_unset() {
    let req = StartCdnDomain::new("example.com", String::from("/a/b"));
    assert_eq!(
        req,
        StartCdnDomain {
            domain_name: "example.com".into(),
            owner_id: None,
            tag: Vec::new(),
            filter: Vec::new(),
            options: None,
            object_path: "/a/b".into(),
            labels: BTreeMap::new(),
            ids: None,
            r#type: None,
            extra: HashMap::new(),
            settings: None,
        }
    );
    assert_eq!(
        params(&req),
        vec![q("DomainName", "example.com"), b("ObjectPath", "/a/b")]
    );
}

#[test]
fn every_style_and_location_on_the_wire() {
    let req = StartCdnDomain::new("example.com", "/a b")
        .owner_id(42i32)
        .tag([
            Tag {
                key: "env".into(),
                value: Some("prod".into()),
            },
            Tag {
                key: "team".into(),
                value: None,
            },
        ])
        .filter(vec![Filter {
            key: "Zone".into(),
            value: vec!["a".into(), "b".into()],
        }])
        .options(Options {
            enable: true,
            ttl: 60,
        })
        .labels([("k1", "v1"), ("k0", "v0")])
        .ids(vec![7, 8])
        .r#type("full")
        .extra([("x", 1u8)])
        .settings([Options {
            enable: false,
            ttl: 1,
        }]);
    assert_eq!(
        params(&req),
        vec![
            q("DomainName", "example.com"),
            q("OwnerId", "42"),
            q("Tag.1.Key", "env"),
            q("Tag.1.Value", "prod"),
            q("Tag.2.Key", "team"),
            q("Filter.1.Key", "Zone"),
            q("Filter.1.Value.1", "a"),
            q("Filter.1.Value.2", "b"),
            q("Options", r#"{"Enable":true,"Ttl":60}"#),
            b("ObjectPath", "/a b"),
            q("Labels.k0", "v0"),
            q("Labels.k1", "v1"),
            q("Ids.1", "7"),
            q("Ids.2", "8"),
            q("Type", "full"),
            b("Extra.x", "1"),
            b("Settings", r#"[{"Enable":false,"Ttl":1}]"#),
        ]
    );
}

#[test]
fn setters_replace_earlier_values() {
    let req = StartCdnDomain::new("d", "p")
        .owner_id(1)
        .owner_id(2)
        .tag([Tag {
            key: "a".into(),
            value: None,
        }])
        .tag(Vec::<Tag>::new())
        .labels([("a", "1")])
        .labels([("b", "2")]);
    assert_eq!(req.owner_id, Some(2));
    assert!(req.tag.is_empty());
    assert_eq!(req.labels.len(), 1);
    assert_eq!(req.labels["b"], "2");
}

mod overrides {
    use super::*;

    pub mod replies {
        #[derive(Debug, serde::Deserialize)]
        pub struct Answer {}
    }

    pub const EDGE: EndpointRule = EndpointRule::regional(
        "edge.example.test",
        &[("ap-southeast-1", "edge-sg.example.test")],
    );

    /// Every struct-wide key overridden.
    #[rpc_action(
        product = "Cbn",
        version = "2017-09-12",
        action = "DescribeThings",
        method = "GET",
        response = "replies::Answer",
        endpoint = "crate::overrides::EDGE"
    )]
    #[derive(Debug, Default)]
    pub struct ListThings {
        #[rpc(rename = "Page-Size")]
        pub page_size: Option<u16>,
        #[rpc(location = "body", style = "repeatList")]
        pub names: [String; 2],
        #[rpc(style = "repeatList")]
        pub set: Option<std::collections::BTreeSet<u8>>,
        #[rpc(style = "repeatList")]
        pub boxed: Box<[i8]>,
    }

    #[test]
    fn consts_follow_the_attribute() {
        assert_eq!(ListThings::PRODUCT, "Cbn");
        assert_eq!(ListThings::VERSION, "2017-09-12");
        assert_eq!(ListThings::ACTION, "DescribeThings");
        assert_eq!(ListThings::METHOD, Method::Get);
        assert_eq!(ListThings::ENDPOINT, EDGE);
        assert_eq!(
            ListThings::ENDPOINT.host_for(Some("ap-southeast-1")),
            "edge-sg.example.test"
        );
        response_is::<ListThings, replies::Answer>();
    }

    #[test]
    fn arrays_sets_and_boxed_slices_are_lists() {
        let req = ListThings::new(["a".to_owned(), "b".to_owned()], vec![-1i8])
            .page_size(10u8)
            .set(
                [3u8, 1]
                    .into_iter()
                    .collect::<std::collections::BTreeSet<u8>>(),
            );
        assert_eq!(
            params(&req),
            vec![
                q("Page-Size", "10"),
                b("Names.1", "a"),
                b("Names.2", "b"),
                q("Set.1", "1"),
                q("Set.2", "3"),
                q("Boxed.1", "-1"),
            ]
        );
    }

    #[test]
    fn a_struct_literal_still_works() {
        // The user's own derives still apply to the emitted struct.
        let req = ListThings {
            page_size: Some(5),
            ..ListThings::default()
        };
        assert_eq!(
            params(&req),
            vec![q("Page-Size", "5"), b("Names.1", ""), b("Names.2", "")]
        );
    }
}

#[derive(Debug, Deserialize)]
pub struct PingResponse {}

/// An action without params of its own.
#[rpc_action(product = "Cdn", version = "2018-05-10", method = "GET")]
#[derive(Debug)]
pub struct Ping {}

#[test]
fn an_action_without_params() {
    assert!(params(&Ping::new()).is_empty());
    assert_eq!(Ping::ACTION, "Ping");
    assert_eq!(Ping::METHOD, Method::Get);
}

/// The generated code names nothing the caller has to import, and no
/// shadowing in the caller's module changes what it means.
mod bare {
    #![no_implicit_prelude]
    #![allow(dead_code, non_snake_case, non_camel_case_types)]

    type Result = ();
    type Option = ();
    type Vec = ();
    type Box = ();
    struct Into;
    struct Default;
    struct IntoIterator;
    struct Iterator;
    struct Self_;
    fn Ok() {}
    fn Some() {}
    fn None() {}
    mod core {}
    mod aliapi_core {}
    mod std {}

    #[derive(::serde::Deserialize)]
    pub struct ShadowedResponse {}

    #[::aliapi_core::rpc_action(product = "Cdn", version = "2018-05-10")]
    #[derive(::core::fmt::Debug)]
    pub struct Shadowed {
        pub name: ::std::string::String,
        pub count: ::core::option::Option<u32>,
        #[rpc(style = "repeatList")]
        pub items: ::std::vec::Vec<::std::string::String>,
        pub map: ::std::collections::BTreeMap<::std::string::String, u8>,
    }

    #[test]
    fn expands_without_imports() {
        let req = Shadowed::new("n")
            .count(3u8)
            .items(["a", "b"])
            .map([("k", 1u8)]);
        let got = super::params(&req);
        let want: ::std::vec::Vec<_> = ::std::vec![
            super::q("Name", "n"),
            super::q("Count", "3"),
            super::q("Items.1", "a"),
            super::q("Items.2", "b"),
            super::q("Map.k", "1"),
        ];
        ::std::assert_eq!(got, want);
    }
}

mod required_lists_and_client_tokens {
    use aliapi_core::{Error, ParamWriter, RpcAction, rpc_action};

    #[rpc_action(product = "Cbn", version = "2017-09-12")]
    #[derive(Debug, Clone)]
    pub struct UntagThings {
        #[rpc(style = "repeatList", required)]
        pub resource_id: Vec<String>,
        pub resource_type: String,
        pub client_token: Option<String>,
    }

    #[derive(Debug, serde::Deserialize)]
    pub struct UntagThingsResponse {}

    #[rpc_action(product = "Cbn", version = "2017-09-12")]
    pub struct NoToken {
        pub name: Option<String>,
    }

    #[derive(Debug, serde::Deserialize)]
    pub struct NoTokenResponse {}

    #[test]
    fn a_required_list_is_a_constructor_argument_and_must_not_be_empty() {
        let req = UntagThings::new(vec!["cen-1".to_owned()], "cen");
        let mut out = ParamWriter::new();
        req.write_params(&mut out).unwrap();
        assert_eq!(out.get("ResourceId.1").as_deref(), Some("cen-1"));

        let empty = UntagThings::new(Vec::<String>::new(), "cen");
        let mut out = ParamWriter::new();
        match empty.write_params(&mut out) {
            Err(Error::InvalidParam { param, .. }) => assert_eq!(param, "ResourceId"),
            other => panic!("{other:?}"),
        }
        assert!(out.is_empty(), "nothing written before the refusal");
    }

    #[test]
    fn client_token_support_is_declared() {
        const { assert!(<UntagThings as RpcAction>::ACCEPTS_CLIENT_TOKEN) };
        const { assert!(!<NoToken as RpcAction>::ACCEPTS_CLIENT_TOKEN) };
    }

    #[aliapi_core::rpc_action(product = "Sts", version = "2015-04-01", idempotent)]
    pub struct AssumeSomething {}
    #[derive(serde::Deserialize)]
    pub struct AssumeSomethingResponse {}

    #[test]
    fn idempotence_is_declared() {
        const { assert!(<AssumeSomething as RpcAction>::IDEMPOTENT) };
        const { assert!(!<NoToken as RpcAction>::IDEMPOTENT) };
    }
}
