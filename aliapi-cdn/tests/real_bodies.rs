//! Bodies shaped like the ones the service really sends, decoded through the
//! client's lenient decoder: numbers and booleans as strings, missing fields,
//! a list of one given as a bare object, an empty list given as `""`.

use aliapi_cdn::*;
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
fn user_domains_with_numbers_as_strings_and_a_bare_source() {
    let body = r#"{
        "RequestId": "AA75AADB-5E25-4970-B480-EAA1F5658483",
        "PageNumber": "1",
        "PageSize": "20",
        "TotalCount": "2",
        "Domains": {"PageData": [
            {
                "DomainName": "example.com",
                "Cname": "example.com.w.kunlunsl.com",
                "CdnType": "web",
                "DomainStatus": "online",
                "DomainId": "11223344",
                "GmtCreated": "2015-10-28T09:32:51Z",
                "SslProtocol": "off",
                "Sources": {"Source": {"Content": "1.1.1.1", "Type": "ipaddr", "Port": "80", "Priority": "20", "Weight": "10"}}
            },
            {
                "DomainName": "static.example.com",
                "DomainStatus": "offline",
                "Sources": {"Source": ""}
            }
        ]}
    }"#;
    let r: DescribeUserDomainsResponse = decode(body);
    assert_eq!(
        r.request_id.as_deref(),
        Some("AA75AADB-5E25-4970-B480-EAA1F5658483")
    );
    assert_eq!(
        (r.page_number, r.page_size, r.total_count),
        (Some(1), Some(20), Some(2))
    );
    let pages = r.domains.expect("Domains").page_data;
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].domain_id, Some(11223344));
    assert_eq!(pages[0].description, None, "absent fields stay None");
    let sources = &pages[0].sources.as_ref().expect("Sources").source;
    assert_eq!(sources.len(), 1, "a bare object is a list of one");
    assert_eq!(sources[0].content.as_deref(), Some("1.1.1.1"));
    assert_eq!(sources[0].port, Some(80));
    assert_eq!(sources[0].priority.as_deref(), Some("20"));
    assert_eq!(pages[1].domain_id, None);
    assert!(
        pages[1]
            .sources
            .as_ref()
            .expect("Sources")
            .source
            .is_empty(),
        "\"\" is an empty list"
    );
}

#[test]
fn user_domains_with_no_domains_at_all() {
    let r: DescribeUserDomainsResponse =
        decode(r#"{"RequestId":"r","PageNumber":1,"PageSize":20,"TotalCount":0,"Domains":""}"#);
    assert_eq!(r.total_count, Some(0));
    assert!(r.domains.unwrap_or_default().page_data.is_empty());
    let r: DescribeUserDomainsResponse = decode(r#"{"RequestId":"r","Domains":{"PageData":[]}}"#);
    assert_eq!(r.page_number, None);
    assert!(r.domains.expect("Domains").page_data.is_empty());
}

#[test]
fn domain_detail_with_port_as_string_and_one_source_model() {
    let body = r#"{
        "RequestId": "09ABE829-6CD3-4FE0-AFEE-556113E29727",
        "GetDomainDetailModel": {
            "DomainName": "example.com",
            "Cname": "example.com.w.alikunlun.com",
            "CdnType": "web",
            "DomainStatus": "online",
            "Scope": "domestic",
            "GmtCreated": "2019-06-25T03:30:50Z",
            "ServerCertificateStatus": "on",
            "SourceModels": {"SourceModel": {
                "Content": "1.1.1.1", "Type": "ipaddr", "Port": "443",
                "Enabled": "online", "Priority": "20", "Weight": "10"
            }}
        }
    }"#;
    let r: DescribeCdnDomainDetailResponse = decode(body);
    let d = r.get_domain_detail_model.expect("GetDomainDetailModel");
    assert_eq!(d.domain_name.as_deref(), Some("example.com"));
    assert_eq!(d.scope.as_deref(), Some("domestic"));
    assert_eq!(d.gmt_modified, None);
    assert_eq!(d.https_cname, None);
    let models = d.source_models.expect("SourceModels").source_model;
    assert_eq!(models.len(), 1);
    assert_eq!(models[0].port, Some(443));
    assert_eq!(models[0].enabled.as_deref(), Some("online"));
}

#[test]
fn user_cdn_status_with_booleans_as_strings() {
    let r: DescribeUserCdnStatusResponse =
        decode(r#"{"RequestId":"r","Enabled":"true","InDebt":"false","OnService":true}"#);
    assert_eq!(r.enabled, Some(true));
    assert_eq!(r.in_debt, Some(false));
    assert_eq!(r.on_service, Some(true));
    assert_eq!(r.in_debt_overdue, None);
}

#[test]
fn bill_history_with_floats_as_strings() {
    let body = r#"{
        "RequestId": "r",
        "BillHistoryData": {"BillHistoryDataItem": [{
            "BillTime": "2018-09-01T00:00:00Z",
            "BillType": "month_95",
            "Dimension": "flow",
            "BillingData": {"BillingDataItem": [
                {"Bandwidth": "12.5", "CdnRegion": "CN", "ChargeType": "PayByBandwidth", "Count": "0", "Flow": 3}
            ]}
        }]}
    }"#;
    let r: DescribeCdnUserBillHistoryResponse = decode(body);
    let items = r
        .bill_history_data
        .expect("BillHistoryData")
        .bill_history_data_item;
    let data = &items[0]
        .billing_data
        .as_ref()
        .expect("BillingData")
        .billing_data_item;
    assert_eq!(data[0].bandwidth, Some(12.5));
    assert_eq!(data[0].count, Some(0.0));
    assert_eq!(data[0].flow, Some(3.0));
    assert_eq!(data[0].cdn_region.as_deref(), Some("CN"));
}
