//! A full, valid use: every key, every style and location, and the
//! generated constructor and setters. It compiles here, with the other
//! tests, rather than as a trybuild "pass" case: one pass case makes
//! trybuild build (not just check) the core's whole dependency tree a
//! second time.

// Some items exist only to be accepted by the macro.
#![allow(dead_code)]

use std::collections::BTreeMap;

use aliapi_core::{EndpointRule, Method, ParamWriter, RpcAction, rpc_action};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Options {
    pub enabled: bool,
}

#[derive(Debug, Deserialize)]
pub struct StartCdnDomainResponse {
    #[serde(rename = "RequestId")]
    pub request_id: String,
}

/// The example from the design notes.
#[rpc_action(product = "Cdn", version = "2018-05-10")]
#[derive(Debug, Clone)]
pub struct StartCdnDomain {
    /// The domain.
    pub domain_name: String,
    #[rpc(rename = "OwnerId")]
    pub owner_id: Option<i64>,
    #[rpc(style = "repeatList")]
    pub tag: Vec<Tag>,
    #[rpc(style = "json")]
    pub options: Option<Options>,
    #[rpc(location = "body")]
    pub object_path: String,
    #[rpc(style = "flat")]
    pub labels: BTreeMap<String, String>,
    pub r#type: Option<String>,
}

pub mod rules {
    pub const EDGE: aliapi_core::EndpointRule = aliapi_core::EndpointRule::central("edge.test");
}

#[rpc_action(
    product = "Cbn",
    version = "2017-09-12",
    action = "ListThings",
    method = "GET",
    response = "serde_json_free::Any",
    endpoint = "rules::EDGE"
)]
pub struct Things {
    #[rpc(style = "repeatList", location = "body", rename = "Id")]
    pub ids: Option<Vec<u64>>,
}

mod serde_json_free {
    #[derive(serde::Deserialize)]
    pub struct Any {}
}

#[test]
fn every_key_style_and_location_compiles_and_writes_its_params() {
    let req = StartCdnDomain::new("example.com", "/")
        .owner_id(7)
        .tag([Tag {
            key: "k".into(),
            value: "v".into(),
        }])
        .options(Options { enabled: true })
        .labels([("a", "b")])
        .r#type("x");
    let mut out = ParamWriter::new();
    req.write_params(&mut out).unwrap();
    assert_eq!(out.get("Tag.1.Key").as_deref(), Some("k"));
    assert_eq!(
        StartCdnDomain::ENDPOINT,
        EndpointRule::central("cdn.aliyuncs.com")
    );
    assert_eq!(Things::METHOD, Method::Get);
    let _ = Things::new().ids(vec![1, 2]);
}
