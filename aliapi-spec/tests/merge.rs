//! The merge rule on the embedded files: every amendment applies, with the
//! effect its kind says, and nothing of the Tea spec is lost.

use aliapi_spec::facts::Amendment;
use aliapi_spec::{AmendmentKind, Product, Spec, Target, Type};
use serde_json::json;

/// The counts of `specs/official/README.md` ("Amendment kinds and counts").
const README_COUNTS: [(AmendmentKind, usize, usize); 10] = [
    (AmendmentKind::Required, 0, 3),
    (AmendmentKind::ParamAdded, 3, 6),
    (AmendmentKind::ResponseType, 4, 0),
    (AmendmentKind::ResponseKey, 1, 0),
    (AmendmentKind::ResponseFieldAdded, 0, 22),
    (AmendmentKind::OperationAdded, 5, 0),
    (AmendmentKind::OperationUndocumented, 11, 1),
    (AmendmentKind::ParamUndocumented, 0, 6),
    (AmendmentKind::Deprecated, 1, 3),
    (AmendmentKind::IntegerWidth, 3, 24),
];

fn readme_count(product: Product, kind: AmendmentKind) -> usize {
    let (_, cdn, cbn) = README_COUNTS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .expect("every kind is in the table");
    match product {
        Product::Cdn => *cdn,
        Product::Cbn => *cbn,
    }
}

#[test]
fn every_amendment_of_every_kind_is_applied() {
    for product in Product::ALL {
        let merged = product.merged();
        for kind in AmendmentKind::ALL {
            let records = merged.facts.amendments(kind).len();
            assert_eq!(
                records,
                readme_count(product, kind),
                "{product:?} {kind} records"
            );
            assert_eq!(
                merged.report.applied(kind),
                records,
                "{product:?} {kind} applied"
            );
        }
        assert_eq!(merged.report.shapes_added(), 5, "{product:?} new shapes");
        assert_eq!(
            merged.report.total(),
            merged
                .facts
                .amendments
                .values()
                .map(Vec::len)
                .sum::<usize>()
        );
    }
}

/// The type descriptor an amendment's target names, in a typed spec.
fn target_type<'s>(spec: &'s Spec, a: &Amendment) -> &'s Type {
    let ty = |t: &'s Type, items: bool| {
        if items {
            t.items().expect("a collection")
        } else {
            t
        }
    };
    match a.target.as_ref().expect("a target") {
        Target::Param { name, items } => ty(&param(spec, &a.operation, name).ty, *items),
        Target::Field {
            shape,
            field,
            items,
        } => ty(&field_of(spec, shape, field).ty, *items),
        other => panic!("no type at {other:?}"),
    }
}

fn param<'s>(spec: &'s Spec, op: &str, name: &str) -> &'s aliapi_spec::Param {
    spec.operation(op)
        .unwrap_or_else(|| panic!("no {op}"))
        .params
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no {op}.{name}"))
}

fn field_of<'s>(spec: &'s Spec, shape: &str, name: &str) -> &'s aliapi_spec::Field {
    spec.shape(shape)
        .unwrap_or_else(|| panic!("no {shape}"))
        .fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no {shape}.{name}"))
}

#[test]
fn each_kind_has_its_effect() {
    for product in Product::ALL {
        let (spec, tea, facts) = (product.spec(), product.tea(), product.facts());
        for a in facts.amendments(AmendmentKind::OperationAdded) {
            let op = spec.operation(&a.operation).expect("added operation");
            assert!(tea.operation(&a.operation).is_none());
            assert!(op.added && op.deprecated == a.deprecated, "{}", a.operation);
            let mut want = a.record.clone().expect("a record");
            want.added = true;
            want.deprecated |= a.deprecated;
            assert_eq!(op, &want, "{}", a.operation);
            assert!(spec.shape(&op.response).is_some());
        }
        for a in facts.amendments(AmendmentKind::ParamAdded) {
            let want = a.param.as_ref().expect("a param");
            let got = param(spec, &a.operation, &want.name);
            assert!(got.added && got.deprecated == a.deprecated);
            assert_eq!(
                (&got.ty, got.location, got.required, got.style),
                (&want.ty, want.location, want.required, want.style)
            );
            assert!(
                !tea.operation(&a.operation)
                    .expect("in tea")
                    .params
                    .iter()
                    .any(|p| p.name == want.name)
            );
        }
        for a in facts.amendments(AmendmentKind::ResponseFieldAdded) {
            let Some(Target::Shape(shape)) = &a.target else {
                panic!("{a:?}")
            };
            let want = a.field.as_ref().expect("a field");
            let got = field_of(spec, shape, &want.name);
            assert!(got.added);
            assert_eq!(got.ty, want.ty);
        }
        for a in facts.amendments(AmendmentKind::Required) {
            let required = match a.target.as_ref().expect("a target") {
                Target::Param { name, .. } => param(spec, &a.operation, name).required,
                Target::Field { shape, field, .. } => field_of(spec, shape, field).required,
                other => panic!("{other:?}"),
            };
            assert!(required, "{a:?}");
        }
        for a in facts.amendments(AmendmentKind::IntegerWidth) {
            let want = match a.set["type"].as_str() {
                Some("integer") => Type::Integer {
                    width_unknown: false,
                },
                Some("long") => Type::Long,
                other => panic!("{other:?}"),
            };
            assert_eq!(target_type(spec, a), &want, "{a:?}");
            assert_eq!(
                target_type(tea, a),
                &Type::Integer {
                    width_unknown: true
                }
            );
        }
        for kind in [
            AmendmentKind::Deprecated,
            AmendmentKind::OperationUndocumented,
            AmendmentKind::ParamUndocumented,
        ] {
            for a in facts.amendments(kind) {
                let (deprecated, undocumented) = match a.target.as_ref().expect("a target") {
                    Target::Operation(name) => {
                        let op = spec.operation(name).expect("kept");
                        (op.deprecated, op.undocumented)
                    }
                    Target::Param { name, .. } => {
                        let p = param(spec, &a.operation, name);
                        (p.deprecated, p.undocumented)
                    }
                    other => panic!("{other:?}"),
                };
                let flagged = if kind == AmendmentKind::Deprecated {
                    deprecated
                } else {
                    undocumented
                };
                assert!(flagged, "{kind} {a:?}");
            }
        }
        for a in facts.amendments(AmendmentKind::ResponseType) {
            let Some(Target::Field { shape, field, .. }) = &a.target else {
                panic!("{a:?}")
            };
            let got = field_of(spec, shape, field);
            assert!(got.is_json_text());
            assert_eq!(Some(&got.ty), a.parse_into.as_ref());
            assert_eq!(got.ty, field_of(tea, shape, field).ty, "the type stays");
        }
        for a in facts.amendments(AmendmentKind::ResponseKey) {
            let Some(Target::Field { shape, field, .. }) = &a.target else {
                panic!("{a:?}")
            };
            let got = field_of(spec, shape, field);
            let mut all = got.aliases.clone();
            all.push(got.name.clone());
            all.sort();
            let mut accept = a.accept.clone();
            accept.sort();
            assert_eq!(all, accept);
            assert!(!got.aliases.contains(&got.name));
        }
    }
}

#[test]
fn the_four_cdn_content_fields_decode_from_json_text() {
    let spec = aliapi_spec::cdn();
    for op in [
        "DescribeCdnSubList",
        "DescribeCdnDeliverList",
        "DescribeCdnReportList",
        "DescribeDomainVerifyData",
    ] {
        let body = spec
            .shape(&spec.operation(op).expect("op").response)
            .expect("body");
        let content = body
            .fields
            .iter()
            .find(|f| f.name == "Content")
            .expect("Content");
        assert!(content.is_json_text(), "{op}");
        assert!(matches!(content.ty, Type::Object(_)), "{op}");
    }
    let verify = field_of(
        spec,
        "DescribeDomainVerifyDataResponseBodyContent",
        "verifyCode",
    );
    assert_eq!(verify.aliases, ["verifiCode"]);
}

#[test]
fn nothing_of_the_tea_spec_is_dropped() {
    for (product, ops) in [(Product::Cdn, 184), (Product::Cbn, 150)] {
        let (spec, tea) = (product.spec(), product.tea());
        assert_eq!(spec.operations.len(), ops, "{product:?}");
        for op in &tea.operations {
            let merged = spec.operation(&op.name).expect("kept");
            assert_eq!(
                (merged.method, &merged.response, &merged.pagination),
                (op.method, &op.response, &op.pagination)
            );
            for p in &op.params {
                assert!(
                    merged.params.iter().any(|m| m.name == p.name
                        && m.location == p.location
                        && m.style == p.style),
                    "{}.{}",
                    op.name,
                    p.name
                );
            }
        }
        for (name, shape) in &tea.shapes {
            let merged = spec.shape(name).expect("kept");
            for f in &shape.fields {
                assert!(
                    merged.fields.iter().any(|m| m.name == f.name),
                    "{name}.{}",
                    f.name
                );
            }
        }
        // Every Tea name in spec order, then the added operations.
        let names: Vec<&str> = spec
            .operations
            .iter()
            .take(tea.operations.len())
            .map(|o| o.name.as_str())
            .collect();
        let tea_names: Vec<&str> = tea.operations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, tea_names);
    }
}

#[test]
fn flags_are_kept_and_counted() {
    let count = |spec: &Spec, f: fn(&aliapi_spec::Operation) -> bool| {
        spec.operations.iter().filter(|o| f(o)).count()
    };
    let cdn = aliapi_spec::cdn();
    assert_eq!(count(cdn, |o| o.undocumented), 11);
    assert_eq!(
        count(cdn, |o| o.deprecated),
        6,
        "one marked, five added back"
    );
    assert_eq!(count(cdn, |o| o.added), 5);
    let cbn = aliapi_spec::cbn();
    assert_eq!(count(cbn, |o| o.undocumented), 1);
    assert_eq!(count(cbn, |o| o.deprecated), 2);
    let deprecated_params = |spec: &Spec| {
        spec.operations
            .iter()
            .flat_map(|o| &o.params)
            .filter(|p| p.deprecated)
            .count()
    };
    assert_eq!(deprecated_params(cdn), 3);
    assert_eq!(deprecated_params(cbn), 7, "six added, one marked");
    let undocumented_params = cbn
        .operations
        .iter()
        .flat_map(|o| &o.params)
        .filter(|p| p.undocumented)
        .count();
    assert_eq!(undocumented_params, 6);
}

#[test]
fn enums_and_errors_are_carried_over() {
    // The README's "Other counts".
    for (spec, enums, codes, variants, refs) in [
        (aliapi_spec::cdn(), 108, 281, 336, 846),
        (aliapi_spec::cbn(), 172, 485, 563, 1281),
    ] {
        assert_eq!(spec.enums.len(), enums);
        assert_eq!(spec.errors.codes.len(), codes);
        assert_eq!(
            spec.errors
                .codes
                .values()
                .map(|c| c.variants.len())
                .sum::<usize>(),
            variants
        );
        // References are counted per variant: a code documented twice for one
        // operation (two messages) counts twice.
        assert_eq!(
            spec.errors
                .codes
                .values()
                .flat_map(|c| &c.variants)
                .map(|v| v.operations.len())
                .sum::<usize>(),
            refs
        );
    }
    assert_eq!(aliapi_spec::cbn().errors.common_codes, ["Unauthorized"]);
    // Messages are kept byte for byte, trailing whitespace included.
    assert!(
        aliapi_spec::cbn()
            .errors
            .codes
            .values()
            .flat_map(|c| &c.variants)
            .any(|v| v.message.ends_with('\t'))
    );
    // The Tea spec has neither.
    assert!(Product::Cdn.tea().enums.is_empty() && Product::Cdn.tea().errors.codes.is_empty());
}

fn tiny() -> serde_json::Value {
    json!({
        "product": "Demo", "version": "2020-01-01", "endpoint": "demo.aliyuncs.com",
        "operations": [{"name": "ListThings", "method": "POST", "response": "ListThingsResponseBody", "pagination": null,
            "params": [{"name": "Size", "location": "query", "type": "integer", "width_unknown": true, "required": false, "style": null}]}],
        "shapes": {"ListThingsResponseBody": {"fields": [{"name": "RequestId", "type": "string"}]}}
    })
}

fn facts(kind: &str, record: serde_json::Value) -> serde_json::Value {
    json!({"product": "Demo", "version": "2020-01-01", "shapes": {}, "amendments": {kind: [record]}})
}

#[test]
fn a_record_that_does_not_apply_fails_the_merge() {
    let merge = |f: serde_json::Value| {
        aliapi_spec::merge::merge_values(tiny(), &f)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let width = |param: &str, spec: serde_json::Value| {
        facts(
            "integer_width",
            json!({"operation": "ListThings", "target": {"param": param},
            "set": {"type": "long"}, "remove": ["width_unknown"], "spec": spec}),
        )
    };
    assert_eq!(
        merge(width(
            "Size",
            json!({"type": "integer", "width_unknown": true})
        )),
        Ok(())
    );
    let err = merge(width("Nope", json!({}))).unwrap_err();
    assert!(
        err.contains("integer_width") && err.contains("ListThings") && err.contains("Nope"),
        "{err}"
    );
    let err = merge(width("Size", json!({"type": "long"}))).unwrap_err();
    assert!(err.contains("expects"), "{err}");
    let err = merge(facts("param_added", json!({"operation": "ListThings",
        "param": {"name": "Size", "location": "query", "type": "string", "required": false, "style": null}}))).unwrap_err();
    assert!(err.contains("already"), "{err}");
    let err = merge(facts("response_key", json!({"operation": "ListThings",
        "target": {"shape": "ListThingsResponseBody", "field": "RequestId"}, "accept": ["requestId"]}))).unwrap_err();
    assert!(err.contains("own name"), "{err}");
    let err = merge(facts("shape_renamed", json!({"operation": "ListThings"}))).unwrap_err();
    assert!(err.contains("unknown amendment kind"), "{err}");
}

#[test]
fn a_small_merge_reads_back_typed() {
    let f = facts(
        "deprecated",
        json!({"operation": "ListThings", "target": {"param": "Size"}, "set": {"deprecated": true}}),
    );
    let merged = aliapi_spec::merge::merge(&tiny().to_string(), &f.to_string()).expect("merges");
    let p = &merged.spec.operations[0].params[0];
    assert!(p.deprecated && !p.undocumented && !p.added);
    assert_eq!(
        p.ty,
        Type::Integer {
            width_unknown: true
        }
    );
    assert_eq!(merged.report.applied(AmendmentKind::Deprecated), 1);
    assert_eq!(merged.report.total(), 1);
}
