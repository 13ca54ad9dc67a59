//! Requests signed with the V3 scheme (`ACS3-HMAC-SHA256` in the
//! `Authorization` header), as the newest official SDKs send them.

mod common;

use aliapi_emulator::cen::CenState;
use aliapi_emulator::clock::{format_timestamp, unix_now};
use aliapi_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator};
use aliapi_wire::v3;
use common::*;

struct V3Request {
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: String,
}

fn build(
    host: &str,
    action: &str,
    version: &str,
    query: &[(&str, &str)],
    body: &str,
    secret: &str,
    nonce: &str,
) -> V3Request {
    let mut headers: Vec<(String, String)> = vec![
        ("host".into(), host.into()),
        ("x-acs-action".into(), action.into()),
        ("x-acs-version".into(), version.into()),
        ("x-acs-date".into(), format_timestamp(unix_now())),
        ("x-acs-signature-nonce".into(), nonce.into()),
        (
            "x-acs-content-sha256".into(),
            v3::hashed_payload(body.as_bytes()),
        ),
    ];
    if !body.is_empty() {
        headers.push((
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        ));
    }
    let h: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let auth = v3::authorization(
        DEFAULT_ACCESS_KEY_ID,
        secret,
        "POST",
        query,
        &h,
        body.as_bytes(),
    );
    headers.push(("authorization".into(), auth));
    V3Request {
        query: query
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        headers,
        body: body.into(),
    }
}

async fn send(client: &reqwest::Client, url: &str, req: &V3Request) -> Got {
    let mut b = client
        .post(format!("{url}/?{}", encode(&req.query)))
        .body(req.body.clone());
    for (n, v) in &req.headers {
        b = b.header(n.as_str(), v.as_str());
    }
    let resp = b.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    Got {
        status,
        body: serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    }
}

#[tokio::test]
async fn v3_requests_are_verified() {
    let emu = Emulator::builder().start().await.unwrap();
    let host = emu.addr().to_string();
    let c = http_client();

    let ok = build(
        &host,
        "CreateCen",
        CBN,
        &[("Name", "v3 net")],
        "",
        DEFAULT_ACCESS_KEY_SECRET,
        "n-1",
    );
    let got = send(&c, &emu.url(), &ok).await;
    assert!(
        got.assert_ok()["CenId"]
            .as_str()
            .unwrap()
            .starts_with("cen-")
    );
    send(&c, &emu.url(), &ok)
        .await
        .assert_err(400, "SignatureNonceUsed");

    // Params in a form body are covered through the payload hash.
    let body = "Description=from+the+body";
    let ok = build(
        &host,
        "CreateCen",
        CBN,
        &[("Name", "b")],
        body,
        DEFAULT_ACCESS_KEY_SECRET,
        "n-2",
    );
    send(&c, &emu.url(), &ok).await.assert_ok();
    let cens = emu.service().state::<CenState>().unwrap().cens;
    assert!(cens.values().any(|c| c.description == "from the body"));

    let mut tampered = build(
        &host,
        "CreateCen",
        CBN,
        &[("Name", "b")],
        body,
        DEFAULT_ACCESS_KEY_SECRET,
        "n-3",
    );
    tampered.body = "Description=changed".into();
    send(&c, &emu.url(), &tampered)
        .await
        .assert_err(400, "SignatureDoesNotMatch");

    let mut query_changed = build(
        &host,
        "CreateCen",
        CBN,
        &[("Name", "b")],
        "",
        DEFAULT_ACCESS_KEY_SECRET,
        "n-4",
    );
    query_changed.query[0].1 = "c".into();
    let got = send(&c, &emu.url(), &query_changed).await;
    let msg = got.assert_err(400, "SignatureDoesNotMatch");
    assert!(
        msg.contains("server string to sign is:ACS3-HMAC-SHA256\n"),
        "{msg}"
    );

    let wrong_secret = build(&host, "CreateCen", CBN, &[], "", "nope", "n-5");
    send(&c, &emu.url(), &wrong_secret)
        .await
        .assert_err(400, "SignatureDoesNotMatch");

    let unknown_action = build(
        &host,
        "Nope",
        CBN,
        &[],
        "",
        DEFAULT_ACCESS_KEY_SECRET,
        "n-6",
    );
    send(&c, &emu.url(), &unknown_action)
        .await
        .assert_err(404, "InvalidAction.NotFound");

    let missing = build(
        &host,
        "DeleteCen",
        CBN,
        &[],
        "",
        DEFAULT_ACCESS_KEY_SECRET,
        "n-7",
    );
    assert!(
        send(&c, &emu.url(), &missing)
            .await
            .assert_err(400, "MissingParameter")
            .contains("CenId")
    );

    let mut broken = build(
        &host,
        "CreateCen",
        CBN,
        &[],
        "",
        DEFAULT_ACCESS_KEY_SECRET,
        "n-8",
    );
    for (n, v) in &mut broken.headers {
        if n == "authorization" {
            *v = "ACS3-HMAC-SHA256 garbage".into();
        }
    }
    send(&c, &emu.url(), &broken)
        .await
        .assert_err(400, "IncompleteSignature");
}
