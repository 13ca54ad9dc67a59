//! Documented value sets as open enums: known and unknown values decode,
//! and an enum param goes on the wire under its wire name as its value.

use aliapi_cen::{
    ChildInstanceType, DescribeCenAttachedChildInstanceAttribute,
    DescribeCenAttachedChildInstanceAttributeResponse, Status,
};
use aliapi_core::{ParamWriter, RpcAction};

fn status(body: &str) -> Option<Status> {
    let r: DescribeCenAttachedChildInstanceAttributeResponse =
        serde_json::from_str(body).expect("decodes");
    r.status
}

#[test]
fn known_and_unknown_values_decode() {
    assert_eq!(status(r#"{"Status":"Attached"}"#), Some(Status::Attached));
    let unknown = status(r#"{"Status":"Migrating"}"#);
    assert_eq!(unknown, Some(Status::Unknown("Migrating".into())));
    assert_eq!(unknown.as_deref(), Some("Migrating"));
}

#[test]
fn an_enum_param_is_written_under_its_wire_name_as_its_value() {
    for (kind, wire) in [
        (ChildInstanceType::Vpc, "VPC"),
        (ChildInstanceType::from("ECR"), "ECR"),
    ] {
        let request =
            DescribeCenAttachedChildInstanceAttribute::new("cen-1", "vpc-1", "cn-hangzhou", kind);
        let mut params = ParamWriter::new();
        request.write_params(&mut params).expect("written");
        assert_eq!(params.get("ChildInstanceType").as_deref(), Some(wire));
    }
}
