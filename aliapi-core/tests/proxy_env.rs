//! HTTP_PROXY and NO_PROXY are honoured. This binary holds one test only,
//! because it sets process environment variables.

#[path = "core/support.rs"]
mod support;

use std::sync::Arc;

use aliapi_core::providers::RamRoleArnProvider;
use aliapi_core::{Client, Credentials, GenericRequest, ProvideCredentials};
use support::{KEY_ID, SECRET, start, value};

#[tokio::test]
async fn requests_go_through_the_proxy_unless_no_proxy_names_the_host() {
    let proxy = start(Arc::new(|seen| {
        let action = value(&seen.query, "Action").or(value(&seen.body, "Action"));
        if action == Some("AssumeRole") {
            let keys = r#"{"RequestId":"sts","Credentials":{"AccessKeyId":"STS.id","AccessKeySecret":"sts-secret","SecurityToken":"sts-token","Expiration":"2099-01-01T00:00:00Z"}}"#;
            (200, "application/json", keys.into())
        } else {
            (200, "application/json", r#"{"RequestId":"via-proxy"}"#.into())
        }
    }))
    .await;
    let direct = start(Arc::new(|_| {
        (200, "application/json", r#"{"RequestId":"direct"}"#.into())
    }))
    .await;
    // SAFETY: this test binary runs this one test, before any other thread
    // reads the environment.
    unsafe {
        std::env::set_var("HTTP_PROXY", format!("http://{}", proxy.addr));
        std::env::set_var("NO_PROXY", "127.0.0.1");
    }
    let client = |endpoint: String| {
        Client::builder()
            .credentials(Credentials::new(KEY_ID, SECRET))
            .endpoint_url(endpoint)
            .build()
            .unwrap()
    };
    let request = GenericRequest::new("Cdn", "2018-05-10", "DescribeUserDomains");

    // A host that is not exempt goes to the proxy, which answers for it:
    // the name is never resolved, nothing leaves the machine.
    let via = client("http://cdn.proxied.invalid".into())
        .call(&request)
        .await
        .unwrap();
    assert_eq!(via["RequestId"], "via-proxy");
    let seen = proxy.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].signature_ok,
        "the proxy received the signed request as sent"
    );

    // 127.0.0.1 is in NO_PROXY: straight to the server.
    let direct_answer = client(format!("http://{}", direct.addr))
        .call(&request)
        .await
        .unwrap();
    assert_eq!(direct_answer["RequestId"], "direct");
    assert_eq!(proxy.seen.lock().unwrap().len(), 1);

    // STS is a public endpoint, reached through the proxy like the APIs.
    let role = RamRoleArnProvider::builder(Credentials::new(KEY_ID, SECRET), "acs:ram::1:role/r")
        .sts_endpoint("http://sts.proxied.invalid")
        .build()
        .unwrap();
    let keys = role.provide_credentials().await.unwrap();
    assert_eq!(keys.access_key_id(), "STS.id");
    assert_eq!(
        proxy.seen.lock().unwrap().len(),
        2,
        "AssumeRole went through the proxy"
    );
}
