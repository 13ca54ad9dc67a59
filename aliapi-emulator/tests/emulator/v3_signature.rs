//! Requests signed with the V3 scheme (`ACS3-HMAC-SHA256` in the
//! `Authorization` header), as the newest official SDKs send them.

use crate::common;

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
    send(&c, &emu.url(), &missing).await.assert_documented(
        Product::Cbn,
        "DeleteCen",
        "MissingParameter",
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

/// A V3 request whose headers on the wire are `sent` while its signature
/// was computed over `signed` (the same list unless a test says otherwise).
fn signed_over(
    host: &str,
    body: &str,
    nonce: &str,
    extra_sent: &[(&str, &[u8])],
    extra_signed: &[(&str, &str)],
) -> (Vec<(String, Vec<u8>)>, String) {
    let base: Vec<(String, String)> = vec![
        ("host".into(), host.into()),
        ("x-acs-action".into(), "CreateCen".into()),
        ("x-acs-version".into(), CBN.into()),
        ("x-acs-date".into(), format_timestamp(unix_now())),
        ("x-acs-signature-nonce".into(), nonce.into()),
        (
            "x-acs-content-sha256".into(),
            v3::hashed_payload(body.as_bytes()),
        ),
    ];
    let mut signed: Vec<(&str, &str)> =
        base.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    signed.extend_from_slice(extra_signed);
    let auth = v3::authorization(
        DEFAULT_ACCESS_KEY_ID,
        DEFAULT_ACCESS_KEY_SECRET,
        "POST",
        &[],
        &signed,
        body.as_bytes(),
    );
    let mut sent: Vec<(String, Vec<u8>)> =
        base.into_iter().map(|(n, v)| (n, v.into_bytes())).collect();
    sent.extend(extra_sent.iter().map(|(n, v)| (n.to_string(), v.to_vec())));
    sent.push(("authorization".into(), auth.into_bytes()));
    (sent, body.to_owned())
}

/// Sends every header line as given, a repeated name once per line.
async fn send_lines(
    c: &reqwest::Client,
    url: &str,
    headers: &[(String, Vec<u8>)],
    body: &str,
) -> Got {
    let mut b = c.post(format!("{url}/")).body(body.to_owned());
    for (n, v) in headers {
        let value = reqwest::header::HeaderValue::from_bytes(v).expect("a header value");
        b = b.header(n.as_str(), value);
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
async fn every_value_of_a_repeated_header_is_signed() {
    let emu = Emulator::builder().start().await.unwrap();
    let host = emu.addr().to_string();
    let c = http_client();
    let form = "application/x-www-form-urlencoded";
    let body = "Name=twice";

    // Content-Type sent twice, the signature computed over one value: what
    // the client did before issue 10, and what the service refuses.
    let (sent, body) = signed_over(
        &host,
        body,
        "dup-1",
        &[
            ("content-type", form.as_bytes()),
            ("content-type", form.as_bytes()),
        ],
        &[("content-type", form)],
    );
    let got = send_lines(&c, &emu.url(), &sent, &body).await;
    let msg = got.assert_err(400, "SignatureDoesNotMatch");
    assert!(msg.contains("server string to sign is:"), "{msg}");
    assert_eq!(emu.service().remembered_nonces(), 0);

    // Signed over both values, joined as the official signer joins them.
    let (sent, body) = signed_over(
        &host,
        &body,
        "dup-2",
        &[
            ("content-type", form.as_bytes()),
            ("content-type", form.as_bytes()),
        ],
        &[("content-type", form), ("content-type", form)],
    );
    let got = send_lines(&c, &emu.url(), &sent, &body).await;
    assert!(got.assert_ok()["CenId"].is_string());
    let cens = emu.service().state::<CenState>().unwrap().cens;
    assert!(
        cens.values().any(|c| c.name == "twice"),
        "the body was read"
    );

    // A signed header whose value is not ASCII reaches the check whole.
    let note = "café ☕";
    let (sent, body) = signed_over(
        &host,
        "",
        "utf8-1",
        &[("x-acs-note", note.as_bytes())],
        &[("x-acs-note", note)],
    );
    send_lines(&c, &emu.url(), &sent, &body).await.assert_ok();
}
