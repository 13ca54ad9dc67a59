//! Bodies shaped like the ones the service really sends, decoded through the
//! client's lenient decoder: numbers and booleans as strings, missing fields,
//! a list of one given as a bare object, an empty list given as `""`, the
//! same answers in XML, and fields sent as JSON text.

use aliapi_cdn::*;
use aliapi_core::__private::decode_body;
use aliapi_core::Format;

#[track_caller]
fn decode<T: serde::de::DeserializeOwned>(body: &str) -> T {
    decode_as(body, Format::Json)
}

#[track_caller]
fn decode_as<T: serde::de::DeserializeOwned>(body: &str, format: Format) -> T {
    match decode_body(body.as_bytes(), format) {
        Ok(value) => value,
        Err(reason) => panic!("the body does not decode: {reason}\n{body}"),
    }
}

/// `DescribeUserDomains` as the service writes it in JSON: numbers as
/// strings, a list of one as a bare object, an empty list as `""`.
const USER_DOMAINS: &str = r#"{
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

/// `DescribeUserDomains` in XML, where every list of one is a bare element.
const USER_DOMAINS_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
        <DescribeUserDomainsResponse>
          <RequestId>r</RequestId><PageNumber>1</PageNumber><PageSize>20</PageSize><TotalCount>3</TotalCount>
          <Domains>
            <PageData>
              <DomainName>example.com</DomainName><DomainId>7</DomainId>
              <Sources><Source><Content>1.1.1.1</Content><Port>80</Port></Source></Sources>
            </PageData>
            <PageData>
              <DomainName>two.example.com</DomainName>
              <Sources>
                <Source><Content>2.2.2.2</Content><Port>443</Port></Source>
                <Source><Content>origin.example.com</Content><Type>domain</Type></Source>
              </Sources>
            </PageData>
            <PageData><DomainName>none.example.com</DomainName><Sources/></PageData>
          </Domains>
        </DescribeUserDomainsResponse>";

#[test]
fn user_domains_with_numbers_as_strings_and_a_bare_source() {
    let body = USER_DOMAINS;
    let r: DescribeUserDomainsResponse = decode(body);
    assert_eq!(
        r.request_id.as_deref(),
        Some("AA75AADB-5E25-4970-B480-EAA1F5658483")
    );
    assert_eq!(
        (r.page_number, r.page_size, r.total_count),
        (Some(1), Some(20), Some(2))
    );
    let domains = &r.domains;
    assert_eq!(domains.len(), 2);
    assert_eq!(domains[0].domain_id, Some(11223344));
    assert_eq!(domains[0].description, None, "absent fields stay None");
    let sources = &domains[0].sources;
    assert_eq!(sources.len(), 1, "a bare object is a list of one");
    assert_eq!(sources[0].content.as_deref(), Some("1.1.1.1"));
    assert_eq!(sources[0].port, Some(80));
    assert_eq!(sources[0].priority.as_deref(), Some("20"));
    assert_eq!(domains[1].domain_id, None);
    assert!(domains[1].sources.is_empty(), "\"\" is an empty list");
}

#[test]
fn user_domains_in_xml_with_lists_of_one_two_and_none() {
    let body = USER_DOMAINS_XML;
    let r: DescribeUserDomainsResponse = decode_as(body, Format::Xml);
    assert_eq!((r.page_number, r.total_count), (Some(1), Some(3)));
    let names: Vec<_> = r
        .domains
        .iter()
        .filter_map(|d| d.domain_name.as_deref())
        .collect();
    assert_eq!(
        names,
        ["example.com", "two.example.com", "none.example.com"]
    );
    assert_eq!(r.domains[0].domain_id, Some(7));
    assert_eq!(
        r.domains[0].sources.len(),
        1,
        "an XML list of one is a list"
    );
    assert_eq!(r.domains[0].sources[0].port, Some(80));
    let two: Vec<_> = r.domains[1]
        .sources
        .iter()
        .filter_map(|s| s.content.as_deref())
        .collect();
    assert_eq!(two, ["2.2.2.2", "origin.example.com"]);
    assert!(
        r.domains[2].sources.is_empty(),
        "an empty element is an empty list"
    );

    let one: DescribeUserDomainsResponse = decode_as(
        "<DescribeUserDomainsResponse><Domains><PageData><DomainName>a</DomainName></PageData></Domains></DescribeUserDomainsResponse>",
        Format::Xml,
    );
    assert_eq!(one.domains.len(), 1, "a page of one domain in XML");
}

#[test]
fn user_domains_with_no_domains_at_all() {
    let r: DescribeUserDomainsResponse =
        decode(r#"{"RequestId":"r","PageNumber":1,"PageSize":20,"TotalCount":0,"Domains":""}"#);
    assert_eq!(r.total_count, Some(0));
    assert!(r.domains.is_empty());
    let r: DescribeUserDomainsResponse = decode(r#"{"RequestId":"r","Domains":{"PageData":[]}}"#);
    assert_eq!(r.page_number, None);
    assert!(r.domains.is_empty());
    let r: DescribeUserDomainsResponse = decode(r#"{"RequestId":"r","Domains":null}"#);
    assert!(r.domains.is_empty());
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
    let models = d.source_models;
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
    let data = &r.bill_history_data[0].billing_data;
    assert_eq!(data[0].bandwidth, Some(12.5));
    assert_eq!(data[0].count, Some(0.0));
    assert_eq!(data[0].flow, Some(3.0));
    assert_eq!(data[0].cdn_region.as_ref().map(|r| r.as_str()), Some("CN"));
}

#[test]
fn sub_list_content_as_json_text_or_as_an_object() {
    // What the service sends: `Content` is a string that holds JSON.
    let text = r#"{
        "RequestId": "r",
        "Content": "{\"data\":[{\"subId\":5,\"reportId\":[1,3],\"domains\":[\"example.com\"],\"status\":\"enable\",\"createTime\":\"2021-05-01T00:00:00Z\"}]}"
    }"#;
    let r: DescribeCdnSubListResponse = decode(text);
    let content = r.content.expect("Content");
    assert_eq!(content.data.len(), 1);
    let sub = &content.data[0];
    assert_eq!(sub.sub_id, Some(5));
    assert_eq!(sub.report_id, [1, 3]);
    assert_eq!(sub.domains, ["example.com"]);
    assert_eq!(sub.create_time.as_deref(), Some("2021-05-01T00:00:00Z"));
    // The same value sent as an object decodes the same; numbers as strings too.
    let object: DescribeCdnSubListResponse = decode(
        r#"{"RequestId":"r","Content":{"data":[{"subId":"5","reportId":[1,3],"domains":["example.com"],"status":"enable","createTime":"2021-05-01T00:00:00Z"}]}}"#,
    );
    assert_eq!(object.content.expect("Content"), content);
    // An empty string is no content.
    let empty: DescribeCdnSubListResponse = decode(r#"{"RequestId":"r","Content":""}"#);
    assert_eq!(empty.content, None);
}

#[test]
fn deliver_list_content_as_json_text_in_xml() {
    let body = "<DescribeCdnDeliverListResponse><RequestId>r</RequestId>\
        <Content>{&quot;data&quot;:[{&quot;deliverId&quot;:9,&quot;name&quot;:&quot;weekly&quot;,\
        &quot;deliver&quot;:{&quot;email&quot;:{&quot;to&quot;:[&quot;ops@example.com&quot;]}}}]}</Content>\
        </DescribeCdnDeliverListResponse>";
    let r: DescribeCdnDeliverListResponse = decode_as(body, Format::Xml);
    let data = &r.content.expect("Content").data;
    assert_eq!(data[0].deliver_id, Some(9));
    assert_eq!(data[0].name.as_deref(), Some("weekly"));
    // Inside the text, a wrapped list is read as the list too.
    assert_eq!(
        data[0].deliver.as_ref().expect("deliver").email,
        ["ops@example.com"]
    );
}

#[test]
fn verify_data_accepts_both_spellings_of_its_key() {
    for key in ["verifiCode", "verifyCode"] {
        let body = format!(
            r#"{{"RequestId":"r","Content":"{{\"{key}\":\"c0de\",\"verifyKey\":\"k\",\"RootDomain\":\"example.com\"}}"}}"#
        );
        let r: DescribeDomainVerifyDataResponse = decode(&body);
        let content = r.content.expect("Content");
        assert_eq!(content.verify_code.as_deref(), Some("c0de"), "{key}");
        assert_eq!(content.verify_key.as_deref(), Some("k"));
        assert_eq!(content.root_domain.as_deref(), Some("example.com"));
    }
}

#[test]
fn every_cut_of_a_real_answer_is_an_error_and_never_a_panic() {
    // A connection cut mid-answer leaves a prefix: at every byte, in JSON
    // and XML alike, it must be refused as a whole, never half decoded.
    for (body, format) in [
        (USER_DOMAINS, Format::Json),
        (USER_DOMAINS_XML, Format::Xml),
    ] {
        let body = body.trim_end().as_bytes();
        assert!(decode_body::<DescribeUserDomainsResponse>(body, format).is_ok());
        for cut in 0..body.len() {
            let got = decode_body::<DescribeUserDomainsResponse>(&body[..cut], format);
            assert!(
                got.is_err(),
                "{format:?} cut after {cut} bytes decoded: {got:?}"
            );
        }
    }
}
