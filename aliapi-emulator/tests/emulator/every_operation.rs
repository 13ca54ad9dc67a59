//! Every operation of both merged specs, called with just its required
//! params filled in, gets past the gate and answers a well-formed body or
//! one of its product's declared refusals.

use crate::common;

use aliapi_core::Method;
use aliapi_emulator::refusal::operation;
use aliapi_emulator::spec::{Spec, Style, Type};
use aliapi_emulator::{Emulator, Registry};
use common::*;

/// A value of the right type for a required param or field at `path`.
fn fill(product: &Spec, path: &str, ty: &Type, out: &mut Vec<(String, String)>, depth: usize) {
    match ty {
        Type::String | Type::Any => out.push((path.into(), "sample".into())),
        Type::Integer { .. } | Type::Long => out.push((path.into(), "1".into())),
        Type::Boolean => out.push((path.into(), "true".into())),
        Type::Float => out.push((path.into(), "1.5".into())),
        Type::Array(inner) => fill(product, &format!("{path}.1"), inner, out, depth + 1),
        Type::Map(inner) => fill(product, &format!("{path}.key"), inner, out, depth + 1),
        Type::Object(shape) => {
            let fields = product
                .shape(shape)
                .map_or(&[][..], |s| s.fields.as_slice());
            let required: Vec<_> = fields.iter().filter(|f| f.required).collect();
            // An object with no required field still needs one field to be sent.
            let chosen = if required.is_empty() {
                fields.iter().take(1).collect()
            } else {
                required
            };
            for f in chosen {
                if depth < 6 {
                    fill(
                        product,
                        &format!("{path}.{}", f.name),
                        &f.ty,
                        out,
                        depth + 1,
                    );
                }
            }
        }
    }
}

#[test]
fn every_operation_answers() {
    let svc = Emulator::builder().build_service().unwrap();
    let now = aliapi_emulator::clock::unix_now();
    let mut checked = 0;
    let mut expected = 0;
    let mut added = 0;
    for product in Registry::builtin().products() {
        let spec = product.spec();
        expected += spec.operations.len();
        for op in &spec.operations {
            let name = op.name.as_str();
            let mut params = Vec::new();
            for p in op.params.iter().filter(|p| p.required) {
                match p.style {
                    Some(Style::Json) => params.push((p.name.clone(), "{}".to_owned())),
                    _ => fill(spec, &p.name, &p.ty, &mut params, 0),
                }
            }
            let op_params: Vec<(&str, &str)> = params
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let signer = Signer {
                now,
                ..Signer::default()
            };
            let pairs = signed(&signer, Method::Get, product.version(), name, &op_params);
            let got = call_service(&svc, &pairs, now * 1000);
            assert!(got.body["RequestId"].is_string(), "{name}: {:?}", got.body);
            if got.status != 200 {
                // Operations with state refuse sample values for resources
                // that do not exist, with refusals their product declares;
                // the gateway refuses none of these calls.
                let code = got.code();
                let declared = operation::ALL
                    .iter()
                    .chain(product.refusals())
                    .any(|r| r.code == code);
                assert!(
                    declared,
                    "{} {name} with {params:?}: {} {:#}",
                    product.code(),
                    got.status,
                    got.body
                );
            }
            if op.added {
                // The operations the official metadata adds are answered
                // like the rest.
                assert_eq!(got.status, 200, "{name}: {:#}", got.body);
                added += 1;
            }
            checked += 1;
        }
    }
    assert_eq!(checked, expected);
    assert_eq!(
        added, 5,
        "the five operations only the official metadata has"
    );
    assert_eq!(expected, 184 + 150);
}
