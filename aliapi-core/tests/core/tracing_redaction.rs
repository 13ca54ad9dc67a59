//! Every log line of a call, at the most verbose level, holds no secret and
//! no STS token, while still saying what happened.

use std::sync::Arc;

use crate::support::{KEY_ID, start};
use aliapi_core::{Client, Credentials, GenericRequest, RetryConfig};
use aliapi_wire::v1::string_to_sign;

const SECRET: &str = "very-secret-value-123";
const TOKEN: &str = "sts-token/with+chars=";

#[tokio::test]
async fn no_secret_or_token_in_any_log_line() {
    let captured = crate::traces::capture();

    // First a signature refusal quoting the server's string to sign (which
    // holds the token), then a throttling refusal that is retried, then success.
    let server = start(Arc::new(|seen| {
        let n = seen.query.len();
        let all: Vec<(&str, &str)> = seen.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let sts = string_to_sign("POST", all);
        if crate::support::value(&seen.query, "Marker") == Some("sig") {
            (400, "application/json", format!(r#"{{"RequestId":"R1","Code":"SignatureDoesNotMatch","Message":"server string to sign is:{sts}"}}"#))
        } else if n % 2 == 0 {
            (200, "application/json", r#"{"RequestId":"R2"}"#.into())
        } else {
            (200, "application/json", r#"{"RequestId":"R3"}"#.into())
        }
    }))
    .await;
    let client = Client::builder()
        .credentials(Credentials::with_security_token(
            KEY_ID, SECRET, TOKEN, None,
        ))
        .endpoint_url(format!("http://{}", server.addr))
        .retry(RetryConfig::default())
        .build()
        .unwrap();
    let err = client
        .call(
            &GenericRequest::new("Cdn", "2018-05-10", "DescribeUserDomains").param("Marker", "sig"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"));
    client
        .call(&GenericRequest::new(
            "Cdn",
            "2018-05-10",
            "DescribeUserDomains",
        ))
        .await
        .unwrap();

    let logs = captured.text();
    assert!(
        logs.contains("aliapi.call"),
        "the call span is logged:\n{logs}"
    );
    assert!(logs.contains("DescribeUserDomains"), "{logs}");
    assert!(
        logs.contains("string_to_sign"),
        "the string to sign is logged at debug: {logs}"
    );
    assert!(logs.contains(KEY_ID), "the key id is not secret");
    let encoded_token = aliapi_wire::encode::percent_encode(TOKEN);
    for secret in [
        SECRET,
        TOKEN,
        encoded_token.as_str(),
        &aliapi_wire::encode::percent_encode(&encoded_token),
    ] {
        assert!(
            !logs.contains(secret),
            "{secret:?} leaked into the logs:\n{logs}"
        );
    }
    let shown = format!("{err} {err:?} {client:?}");
    for secret in [SECRET, TOKEN, encoded_token.as_str()] {
        assert!(
            !shown.contains(secret),
            "{secret:?} leaked into an error or Debug: {shown}"
        );
    }
}
