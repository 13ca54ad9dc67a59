//! Tests of the generator on small hand-written specs, and of the committed
//! output against the real specs.

use aliapi_spec::Spec;
use serde_json::{Value, json};

use crate::Target;
use crate::emit;
use crate::plan::Plan;

const TARGET: Target = Target {
    product: aliapi_spec::Product::Cdn,
    crate_dir: "aliapi-demo",
    crate_ident: "aliapi_demo",
    title: "Demo",
    example: "ListThings",
};

fn demo_spec() -> Value {
    json!({
        "product": "Demo",
        "version": "2020-01-01",
        "endpoint": "demo.aliyuncs.com",
        "regional_endpoints": {},
        "operations": [{
            "name": "ListThings",
            "method": "GET",
            "params": [
                {"name": "PageNumber", "location": "query", "type": "integer", "required": false, "style": null},
                {"name": "PageSize", "location": "query", "type": "long", "required": false, "style": null},
                {"name": "SecurityToken", "location": "query", "type": "string", "required": false, "style": null},
                {"name": "Type", "location": "body", "type": "string", "required": true, "style": null},
                {"name": "SSLProtocol", "location": "query", "type": "string", "required": false, "style": null},
                {"name": "Tag", "location": "query", "type": "array", "required": false, "style": "repeatList",
                 "items": {"type": "object", "shape": "ListThingsRequestTag"}}
            ],
            "response": "ListThingsResponseBody",
            "pagination": {"style": "page", "page_number": "PageNumber", "page_size": "PageSize",
                "response_page_number": "PageNumber", "response_page_size": null,
                "total": "Things.Total", "items": "Things.Thing"}
        }, {
            "name": "TagThings",
            "method": "POST",
            "deprecated": true,
            "params": [
                {"name": "Tag", "location": "query", "type": "array", "required": true, "style": "repeatList",
                 "items": {"type": "object", "shape": "TagThingsRequestTag"}}
            ],
            "response": "TagThingsResponseBody",
            "pagination": null
        }, {
            "name": "DescribeThingText",
            "method": "POST",
            "undocumented": true,
            "params": [],
            "response": "DescribeThingTextResponseBody",
            "pagination": null
        }],
        "shapes": {
            "ListThingsRequestTag": {"fields": [
                {"name": "Key", "type": "string"},
                {"name": "Value", "type": "string"}
            ]},
            "TagThingsRequestTag": {"fields": [
                {"name": "Key", "type": "string"},
                {"name": "Value", "type": "string"}
            ]},
            "ListThingsResponseBody": {"fields": [
                {"name": "PageNumber", "type": "string"},
                {"name": "Things", "type": "object", "shape": "ListThingsResponseBodyThings"},
                {"name": "Owners", "type": "object", "shape": "ListThingsResponseBodyOwners"}
            ]},
            "ListThingsResponseBodyThings": {"fields": [
                {"name": "Total", "type": "integer", "width_unknown": true},
                {"name": "Thing", "type": "array", "items": {"type": "object", "shape": "ListThingsResponseBodyThingsThing"}}
            ]},
            "ListThingsResponseBodyThingsThing": {"fields": [
                {"name": "ThingId", "type": "string"},
                {"name": "Tags", "type": "object", "shape": "ListThingsResponseBodyThingsThingTags"}
            ]},
            "ListThingsResponseBodyThingsThingTags": {"fields": [
                {"name": "Tag", "type": "array", "items": {"type": "object", "shape": "ListThingsResponseBodyThingsThingTagsTag"}}
            ]},
            "ListThingsResponseBodyThingsThingTagsTag": {"fields": [
                {"name": "TagKey", "type": "string"}
            ]},
            "ListThingsResponseBodyOwners": {"fields": [
                {"name": "PageData", "type": "array", "items": {"type": "object", "shape": "ListThingsResponseBodyOwnersPageData"}}
            ]},
            "ListThingsResponseBodyOwnersPageData": {"fields": [
                {"name": "ownerId", "type": "long"},
                {"name": "createTime", "type": "string"}
            ]},
            "TagThingsResponseBody": {"fields": [{"name": "RequestId", "type": "string"}]},
            "DescribeThingTextResponseBody": {"fields": [
                {"name": "Content", "type": "object", "shape": "DescribeThingTextResponseBodyContent", "encoding": "json"}
            ]},
            "DescribeThingTextResponseBodyContent": {"fields": [
                {"name": "verifyCode", "type": "string", "aliases": ["verifiCode"]}
            ]}
        }
    })
}

fn parse(v: Value) -> Spec {
    Spec::from_value(v).expect("demo spec parses")
}

fn files(spec: &Spec) -> Result<(String, String, String, String), String> {
    let plan = Plan::new(spec)?;
    Ok((
        emit::operation_rs(&plan, &TARGET, 0)?,
        emit::operation_rs(&plan, &TARGET, 1)?,
        emit::operation_rs(&plan, &TARGET, 2)?,
        emit::types_rs(&plan, &TARGET)?,
    ))
}

#[track_caller]
fn has(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn wrappers_collapse_and_names_come_from_fields() {
    let spec = parse(demo_spec());
    let (list, _, _, _) = files(&spec).unwrap();
    assert!(list.starts_with("// @generated by `cargo xtask codegen`"));
    has(
        &list,
        &[
            "#[aliapi_core::rpc_action(product = \"Demo\", version = \"2020-01-01\", method = \"GET\", endpoint = \"crate::ENDPOINT\")]",
            // Renames only where the default casing does not give the wire name.
            "pub page_number: Option<i32>,",
            "#[rpc(location = \"body\")]\npub r#type: String,",
            "#[rpc(rename = \"SSLProtocol\")]\n#[cfg_attr(feature = \"__registry\", serde(rename = \"SSLProtocol\"))]\npub ssl_protocol: Option<String>,",
            "#[rpc(style = \"repeatList\")]\npub tag: Vec<Tag>,",
            // `Things` has two fields: a struct; `Owners` only a list: collapsed.
            "pub things: Option<Things>,",
            "pub owners: Vec<Owner>,",
            "\"Owners\" => self.owners = map.next_value::<crate::de::WrappedList<_>>()?.0,",
            "pub thing: Vec<Thing>,",
            // Answers: no serde attributes; their decoder matches wire names.
            "#[derive(Debug, Clone, Default, PartialEq)]\n#[non_exhaustive]\npub struct Owner {",
            "pub owner_id: Option<i64>,",
            "impl<'de> serde::Deserialize<'de> for Owner {",
            "\"ownerId\" => self.owner_id = map.next_value()?,",
            "#[cfg(feature = \"serialize\")]\nimpl serde::Serialize for Owner {",
            "out.serialize_field(\"ownerId\", &self.owner_id)?;",
            "pub struct ListThingsResponse {",
            "impl aliapi_core::paginate::Paginated for ListThings {",
            "type Item = Thing;",
            "fn requested_page(&self) -> Option<i64> { self.page_number.map(i64::from) }",
            "PageInfo::new(response.things.as_ref().map_or(0, |v| v.thing.len()))",
            ".with_page_number(response.page_number.as_deref().and_then(|v| v.trim().parse().ok()))",
            ".with_total(response.things.as_ref().and_then(|v| v.total))\n}",
            "fn items(response: ListThingsResponse) -> Vec<Thing> { response.things.map(|v| v.thing).unwrap_or_default() }",
            "Required param: `Type`, the argument of [`ListThings::new`]. Then the setters",
            "https://api.aliyun.com/api/Demo/2020-01-01/ListThings",
            "let request = ListThings::new(\"type\");",
            "let response = client.send(&request).await?;",
        ],
    );
    // The client fills in the token; no rename is spelled out needlessly.
    assert!(!list.contains("security_token"));
    assert!(!list.contains("rename = \"PageNumber\""), "{list}");
    assert!(!list.contains("rename = \"ownerId\""), "{list}");
    assert!(
        !list.contains("derive(serde::Deserialize)]\n#[non_exhaustive]"),
        "{list}"
    );
}

#[test]
fn identical_shapes_are_one_type_and_clashes_are_qualified() {
    let spec = parse(demo_spec());
    let (list, tag, _, types) = files(&spec).unwrap();
    // Both requests' `Tag` shapes are the crate's one `Tag`.
    has(
        &types,
        &["pub struct Tag {", "Part of the requests of 2 operations"],
    );
    has(&list, &["pub use crate::Tag;"]);
    has(&tag, &["pub use crate::Tag;", "pub tag: Vec<Tag>,"]);
    // The answer's own `Tag` (another shape) clashes with it in the module.
    has(
        &list,
        &["pub tags: Vec<ThingTag>,", "pub struct ThingTag {"],
    );
    assert!(!list.contains("pub struct Tag {"));
}

#[test]
fn flags_and_json_text() {
    let spec = parse(demo_spec());
    let (_, tag, text, _) = files(&spec).unwrap();
    has(
        &tag,
        &[
            "#![allow(deprecated)]",
            "#[deprecated(note = ",
            "#[rpc(style = \"repeatList\", required)]",
            "# #[allow(deprecated)]",
            "let request = TagThings::new(vec![Tag::default()]);",
        ],
    );
    has(
        &text,
        &[
            "**Undocumented:**",
            "pub content: Option<Content>,",
            "\"Content\" => self.content = map.next_value::<crate::de::JsonText<_>>()?.0,",
            "\"verifyCode\" | \"verifiCode\" => self.verify_code = map.next_value()?,",
            "It takes no params",
        ],
    );
}

#[test]
fn output_is_deterministic() {
    let spec = parse(demo_spec());
    assert_eq!(files(&spec).unwrap(), files(&spec).unwrap());
}

#[test]
fn long_names_are_refused() {
    let mut v = demo_spec();
    let long = "ThisFieldNameIsFarTooLongToNameAnyTypeByIt";
    v["shapes"]["ListThingsResponseBody"]["fields"][1]["name"] = json!(long);
    v["operations"][0]["pagination"]["total"] = json!(format!("{long}.Total"));
    v["operations"][0]["pagination"]["items"] = json!(format!("{long}.Thing"));
    let err = Plan::new(&parse(v))
        .err()
        .expect("a 42-character name is refused");
    assert!(err.contains("at most 40 characters"), "{err}");
}

#[test]
fn bad_specs_are_refused_with_the_culprit_named() {
    let mut v = demo_spec();
    v["operations"][0]["pagination"]["items"] = json!("Things.Nope");
    let spec = parse(v);
    let plan = Plan::new(&spec).unwrap();
    let err = emit::operation_rs(&plan, &TARGET, 0).unwrap_err();
    assert!(err.contains("Nope"), "{err}");

    let mut v = demo_spec();
    v["shapes"]["ListThingsRequestTag"]["fields"][1]["name"] = json!("key");
    let err = Plan::new(&parse(v)).err().expect("a name clash is refused");
    assert!(err.contains("`key`"), "{err}");

    let mut v = demo_spec();
    v["operations"][0]["params"][5]["style"] = json!("flat");
    let err = Plan::new(&parse(v)).err().expect("a flat list is refused");
    assert!(err.contains("Flat"), "{err}");

    let mut v = demo_spec();
    v["operations"][0]["params"][3]["style"] = json!("csv");
    assert!(
        Spec::from_value(v).is_err(),
        "an unknown style is not a spec"
    );
}

#[test]
fn enum_names_say_whose_values_they_are() {
    // A clash of the plain name (`Status`) falls back on a qualified one,
    // shortened to fit, and never on a number: `Status6` says nothing of
    // the operation it belongs to.
    for target in crate::TARGETS {
        let plan = Plan::new(target.product.spec()).expect("the spec plans");
        assert!(!plan.enums.is_empty());
        for e in &plan.enums {
            assert!(
                !e.name.ends_with(|c: char| c.is_ascii_digit()),
                "{}: enum `{}` is numbered",
                target.crate_dir,
                e.name
            );
        }
    }
    // A set shared by a resource and by answers that mention it is named
    // after the resource: `Cen.Status` and `PrivateZoneInfo.Status` share
    // one, which is `CenStatus`, not `PrivateZoneInfoStatus`.
    let cen = Plan::new(crate::TARGETS[1].product.spec()).expect("the CEN spec plans");
    let names: Vec<&str> = cen.enums.iter().map(|e| e.name.as_str()).collect();
    for want in ["CenStatus", "TransitRouterStatus", "TransitRouterType"] {
        assert!(names.contains(&want), "no `{want}` among {names:?}");
    }
    assert!(!names.contains(&"PrivateZoneInfoStatus"), "{names:?}");
    // One value of a list, in the singular.
    assert!(
        names.contains(&"RouteType") && !names.contains(&"RouteTypes"),
        "{names:?}"
    );
}

#[test]
fn no_alias_shadows_a_shared_type_of_another_shape() {
    // `describe_x::UsageData` naming one type while `crate::UsageData` is
    // another would make the same name mean two things.
    for target in crate::TARGETS {
        let plan = Plan::new(target.product.spec()).expect("the spec plans");
        let shared: std::collections::HashSet<&str> = plan
            .shared()
            .into_iter()
            .map(|id| plan.ty(id).name.as_str())
            .collect();
        assert!(!shared.is_empty());
        for op in &plan.ops {
            for (alias, id) in &op.aliases {
                assert!(
                    !shared.contains(alias.as_str()),
                    "{}: {} names `{}` `{alias}`, a shared type's name",
                    target.crate_dir,
                    op.op.name,
                    plan.ty(*id).name
                );
            }
        }
    }
}

#[test]
fn committed_crates_match_the_specs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    assert!(
        crate::codegen::run(root, true).expect("codegen runs"),
        "generated crates are out of date: run `cargo run -p xtask -- codegen`"
    );
}
