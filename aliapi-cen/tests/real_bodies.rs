//! Bodies shaped like the ones the service really sends, decoded through the
//! client's lenient decoder: numbers and booleans as strings, missing fields,
//! a list of one given as a bare object, an empty list given as `""`.

use aliapi_cen::*;
use aliapi_core::__private::decode_body;
use aliapi_core::Format;

#[track_caller]
fn decode<T: serde::de::DeserializeOwned>(body: &str) -> T {
    match decode_body(body.as_bytes(), Format::Json) {
        Ok(value) => value,
        Err(reason) => panic!("the body does not decode: {reason}\n{body}"),
    }
}

#[test]
fn cens_with_numbers_as_strings_one_bare_cen_and_empty_lists() {
    let body = r#"{
        "RequestId": "9A0E7B6C-2E1F-4F3B-A0D3-1F1C4B0A2C11",
        "PageNumber": "1",
        "PageSize": "10",
        "TotalCount": "1",
        "Cens": {"Cen": {
            "CenId": "cen-7qthudw0ll6jmc****",
            "Name": "test",
            "Status": "Active",
            "ProtectionLevel": "REDUCED",
            "CreationTime": "2021-10-20T08:12Z",
            "CenBandwidthPackageIds": {"CenBandwidthPackageId": "cenbwp-4c2zaavbvh5fx****"},
            "Tags": ""
        }}
    }"#;
    let r: DescribeCensResponse = decode(body);
    assert_eq!(
        (r.page_number, r.page_size, r.total_count),
        (Some(1), Some(10), Some(1))
    );
    let cens = &r.cens;
    assert_eq!(cens.len(), 1, "a bare object is a list of one");
    let cen = &cens[0];
    assert_eq!(cen.cen_id.as_deref(), Some("cen-7qthudw0ll6jmc****"));
    assert_eq!(cen.description, None, "absent fields stay None");
    assert_eq!(cen.cen_bandwidth_package_ids, ["cenbwp-4c2zaavbvh5fx****"]);
    assert!(cen.tags.is_empty(), "\"\" is an empty list");
}

#[test]
fn cens_with_an_empty_page() {
    let r: DescribeCensResponse = decode(
        r#"{"RequestId":"r","PageNumber":2,"PageSize":10,"TotalCount":"0","Cens":{"Cen":[]}}"#,
    );
    assert_eq!(r.total_count, Some(0));
    assert!(r.cens.is_empty());
    let r: DescribeCensResponse = decode(r#"{"RequestId":"r","Cens":""}"#);
    assert!(r.cens.is_empty());
    assert_eq!(r.page_number, None);
}

#[test]
fn attached_child_instances_with_owner_id_as_string() {
    let body = r#"{
        "RequestId": "r",
        "PageNumber": 1,
        "PageSize": 10,
        "TotalCount": "2",
        "ChildInstances": {"ChildInstance": [
            {
                "CenId": "cen-7qthudw0ll6jmc****",
                "ChildInstanceId": "vpc-p0w9alkte4w2htrqe****",
                "ChildInstanceType": "VPC",
                "ChildInstanceRegionId": "cn-hangzhou",
                "ChildInstanceOwnerId": "1250123456123456",
                "Status": "Attached",
                "ChildInstanceAttachTime": "2021-10-20T08:12Z"
            },
            {
                "ChildInstanceId": "vbr-bp1nydbpn4z9xjgk8****",
                "ChildInstanceType": "VBR",
                "ChildInstanceOwnerId": 1250123456123457
            }
        ]}
    }"#;
    let r: DescribeCenAttachedChildInstancesResponse = decode(body);
    assert_eq!(r.total_count, Some(2));
    let children = &r.child_instances;
    assert_eq!(children.len(), 2);
    assert_eq!(children[0].child_instance_owner_id, Some(1250123456123456));
    assert_eq!(
        children[0].status.as_ref().map(|s| s.as_str()),
        Some("Attached")
    );
    assert_eq!(children[0].managed_service, None);
    assert_eq!(children[1].child_instance_owner_id, Some(1250123456123457));
    assert_eq!(children[1].cen_id, None);
    assert_eq!(
        children[1].child_instance_type.as_ref().map(|s| s.as_str()),
        Some("VBR")
    );
}

#[test]
fn bandwidth_packages_with_booleans_and_numbers_as_strings() {
    let body = r#"{
        "RequestId": "r",
        "TotalCount": 1,
        "CenBandwidthPackages": {"CenBandwidthPackage": [{
            "CenBandwidthPackageId": "cenbwp-4c2zaavbvh5fx****",
            "Bandwidth": "20",
            "IsCrossBorder": "true",
            "HasReservationData": "false",
            "BandwidthPackageChargeType": "PREPAY",
            "CenIds": {"CenId": "cen-7qthudw0ll6jmc****"},
            "Tags": {"Tag": {"Key": "env", "Value": "prod"}}
        }]}
    }"#;
    let r: DescribeCenBandwidthPackagesResponse = decode(body);
    let p = &r.cen_bandwidth_packages[0];
    assert_eq!(p.bandwidth, Some(20));
    assert_eq!(p.is_cross_border, Some(true));
    assert_eq!(
        p.has_reservation_data.as_ref().map(|s| s.as_str()),
        Some("false")
    );
    assert_eq!(p.cen_ids, ["cen-7qthudw0ll6jmc****"]);
    let tags: &[aliapi_cen::Tag] = &p.tags;
    assert_eq!(
        tags.len(),
        1,
        "one shared `Tag` type for requests and answers"
    );
    assert_eq!(tags[0].key.as_deref(), Some("env"));
    assert_eq!(tags[0].value.as_deref(), Some("prod"));
}

#[test]
fn cens_in_xml_with_scalar_lists() {
    let body = "<DescribeCensResponse><RequestId>r</RequestId><TotalCount>2</TotalCount><Cens>\
        <Cen><CenId>cen-1</CenId><CenBandwidthPackageIds><CenBandwidthPackageId>bwp-1</CenBandwidthPackageId>\
        <CenBandwidthPackageId>bwp-2</CenBandwidthPackageId></CenBandwidthPackageIds>\
        <Tags><Tag><Key>env</Key><Value>prod</Value></Tag></Tags></Cen>\
        <Cen><CenId>cen-2</CenId><CenBandwidthPackageIds/></Cen>\
        </Cens></DescribeCensResponse>";
    let r: DescribeCensResponse = decode_body(body.as_bytes(), Format::Xml).expect("decodes");
    assert_eq!(r.total_count, Some(2));
    assert_eq!(r.cens.len(), 2);
    assert_eq!(r.cens[0].cen_bandwidth_package_ids, ["bwp-1", "bwp-2"]);
    assert_eq!(r.cens[0].tags.len(), 1);
    assert_eq!(r.cens[0].tags[0].value.as_deref(), Some("prod"));
    assert!(r.cens[1].cen_bandwidth_package_ids.is_empty());
}
