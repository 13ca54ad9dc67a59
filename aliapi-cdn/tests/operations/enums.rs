//! Documented value sets as open enums: known and unknown values decode,
//! and an enum param goes on the wire under its wire name as its value.

use aliapi_cdn::{AddCdnDomain, CdnType, DescribeCdnDomainDetailResponse, DomainStatus};
use aliapi_core::{ParamWriter, RpcAction};

fn status(body: &str) -> Option<DomainStatus> {
    let r: DescribeCdnDomainDetailResponse = serde_json::from_str(body).expect("decodes");
    r.get_domain_detail_model.and_then(|m| m.domain_status)
}

#[test]
fn known_and_unknown_values_decode() {
    let known = status(r#"{"GetDomainDetailModel":{"DomainStatus":"online"}}"#);
    assert_eq!(known, Some(DomainStatus::Online));
    let unknown = status(r#"{"GetDomainDetailModel":{"DomainStatus":"frozen"}}"#);
    assert_eq!(unknown, Some(DomainStatus::Unknown("frozen".into())));
    assert_eq!(unknown.as_deref(), Some("frozen"));
    assert_eq!(status(r#"{"GetDomainDetailModel":{}}"#), None);
}

#[test]
fn an_enum_param_is_written_under_its_wire_name_as_its_value() {
    for (cdn_type, wire) in [
        (CdnType::Web, "web"),
        (CdnType::LiveStream, "liveStream"),
        (CdnType::from("edge"), "edge"),
    ] {
        let request = AddCdnDomain::new(cdn_type, "example.com", "[]");
        let mut params = ParamWriter::new();
        request.write_params(&mut params).expect("written");
        assert_eq!(params.get("CdnType").as_deref(), Some(wire));
    }
}
