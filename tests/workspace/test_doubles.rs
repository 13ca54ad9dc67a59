//! The test doubles as a user's tests meet them: rules per operation type,
//! a condition on the typed request, a closure answer, a service error, the
//! record of what was sent, and the error of a call no rule matches. The
//! requests go through the real param writing and decoding.

use aliapi_core::test_util::{Failure, MockClient};
use aliapi_core::{Error, GenericRequest, rpc_action};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub key: String,
    pub value: String,
}

#[rpc_action(product = "Cdn", version = "2018-05-10", method = "GET")]
#[derive(Debug, Clone, PartialEq)]
pub struct DescribeDomains {
    pub page_number: Option<i32>,
    #[rpc(style = "repeatList")]
    pub tag: Vec<Tag>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DescribeDomainsResponse {
    pub request_id: Option<String>,
    pub total_count: Option<i64>,
    #[serde(deserialize_with = "aliapi_core::__private::wrapped_list")]
    pub domains: Vec<Domain>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Domain {
    pub domain_name: Option<String>,
}

#[rpc_action(product = "Cdn", version = "2018-05-10")]
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteDomain {
    pub domain_name: String,
    #[rpc(required)]
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DeleteDomainResponse {
    pub request_id: Option<String>,
}

fn page(names: &[&str]) -> DescribeDomainsResponse {
    DescribeDomainsResponse {
        request_id: Some("R".into()),
        total_count: Some(names.len() as i64),
        domains: names
            .iter()
            .map(|n| Domain {
                domain_name: Some((*n).into()),
            })
            .collect(),
    }
}

#[tokio::test]
async fn rules_answer_by_type_and_condition_and_record_everything() {
    let mock = MockClient::new();
    mock.on::<DescribeDomains>()
        .matching(|r| r.page_number == Some(2))
        .respond(page(&[]));
    mock.on::<DescribeDomains>()
        .respond(page(&["a.com", "b.com"]));
    mock.on::<DeleteDomain>().answer(|r| {
        if r.domain_name == "b.com" {
            Err(Failure::new(403, "Forbidden.DomainLocked", "locked"))
        } else {
            Ok(DeleteDomainResponse {
                request_id: Some(format!("deleted {}", r.domain_name)),
            })
        }
    });
    let client = mock.client();

    let first = client
        .send(&DescribeDomains::new().tag([Tag {
            key: "env".into(),
            value: "prod".into(),
        }]))
        .await
        .unwrap();
    assert_eq!(
        first,
        page(&["a.com", "b.com"]),
        "decoded through the real types"
    );
    let second = client
        .send(&DescribeDomains::new().page_number(2))
        .await
        .unwrap();
    assert!(
        second.domains.is_empty(),
        "the condition picked the other rule"
    );

    let ok = client
        .send(&DeleteDomain::new("a.com", vec!["unused".to_owned()]))
        .await
        .unwrap();
    assert_eq!(ok.request_id.as_deref(), Some("deleted a.com"));
    let e = client
        .send(&DeleteDomain::new("b.com", vec!["unused".to_owned()]))
        .await
        .unwrap_err();
    assert!(e.is("Forbidden.DomainLocked"), "{e:?}");
    assert_eq!(e.as_service().unwrap().status, 403);

    let sent = mock.requests();
    assert_eq!(sent.len(), 4);
    assert_eq!(sent[0].action(), "DescribeDomains");
    assert_eq!(sent[0].method(), "GET");
    assert_eq!(
        sent[0].param("Tag.1.Key"),
        Some("env"),
        "the wire form, flattened"
    );
    assert_eq!(sent[0].param("Action"), Some("DescribeDomains"));
    assert!(
        sent[0].param("Signature").is_some(),
        "signed like a real call"
    );
    assert_eq!(sent[1].param("PageNumber"), Some("2"));
    assert_eq!(
        mock.requests_of::<DeleteDomain>()
            .iter()
            .map(|r| r.domain_name.as_str())
            .collect::<Vec<_>>(),
        ["a.com", "b.com"]
    );
    assert_eq!(
        sent[1].request::<DescribeDomains>(),
        Some(&DescribeDomains::new().page_number(2))
    );
}

#[tokio::test]
async fn a_rule_can_answer_json_as_the_service_spells_it() {
    let mock = MockClient::new();
    // A count as a string and a list of one written bare, as the service
    // writes them at times: decoded as a real answer would be.
    mock.on::<DescribeDomains>()
        .respond_json(r#"{"TotalCount":"1","Domains":{"Domain":{"DomainName":"only.com"}}}"#);
    let page = mock.client().send(&DescribeDomains::new()).await.unwrap();
    assert_eq!(page.total_count, Some(1));
    assert_eq!(page.domains.len(), 1);
    assert_eq!(page.domains[0].domain_name.as_deref(), Some("only.com"));
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn a_call_no_rule_matches_says_so() {
    let mock = MockClient::new();
    mock.on::<DescribeDomains>().respond(page(&[]));
    let client = mock.client();
    let e = client
        .send(&DeleteDomain::new("a.com", vec!["x".to_owned()]))
        .await
        .unwrap_err();
    let Error::Config(message) = &e else {
        panic!("{e:?}");
    };
    assert!(
        message.contains("no rule for Cdn DeleteDomain"),
        "{message}"
    );
    assert!(message.contains("Cdn DescribeDomains"), "{message}");
    let e = client
        .call(&GenericRequest::new("Cdn", "2018-05-10", "DescribeDomains"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("generic request"), "{e}");
    assert_eq!(
        mock.requests().len(),
        2,
        "unanswered calls are recorded too"
    );
}

#[tokio::test]
async fn bad_params_fail_before_anything_is_sent() {
    let mock = MockClient::new();
    mock.on::<DeleteDomain>()
        .respond(DeleteDomainResponse::default());
    let e = mock
        .client()
        .send(&DeleteDomain::new("a.com", Vec::<String>::new()))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidParam { .. }), "{e:?}");
    assert!(mock.requests().is_empty());
}
