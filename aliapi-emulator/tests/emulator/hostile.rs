//! What a hostile client can send is bounded and judged correctly: huge
//! nonces are refused and never stored, requests with tens of thousands of
//! params are read exactly, and the HTTP layer bounds headers and bodies.
//! (How such a request affects other requests' latency is a bench figure,
//! `benches/hostile.rs`, not a timed assertion.)

use crate::common;

use aliapi_core::Method;
use aliapi_emulator::cdn::CdnState;
use aliapi_emulator::clock::{format_timestamp, unix_now};
use aliapi_emulator::nonce::{MAX_NONCE_BYTES, NONCE_ENTRY_OVERHEAD};
use aliapi_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator, Incoming};
use aliapi_wire::v3;
use common::*;

const MIB: usize = 1024 * 1024;
const SOURCES: &str = r#"[{"content":"1.1.1.1","type":"ipaddr"}]"#;

/// Signed params for `action` whose nonce is `nonce`.
fn signed_with_nonce(nonce: &str, action: &str, op: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs = common(&Signer::default(), CDN, action, op);
    for (n, v) in &mut pairs {
        if n == "SignatureNonce" {
            *v = nonce.to_owned();
        }
    }
    sign(Method::Post, pairs, DEFAULT_ACCESS_KEY_SECRET)
}

fn all_names(pairs: &[(String, String)]) -> Vec<&str> {
    pairs.iter().map(|(n, _)| n.as_str()).collect()
}

#[tokio::test]
async fn a_one_mib_nonce_is_refused_and_nothing_of_it_is_stored() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = http_client();
    let pairs = signed_with_nonce(&"n".repeat(MIB), "DescribeRefreshQuota", &[]);
    // In the form body: a 1 MiB query would not fit the request head.
    let got = post(&c, &emu.url(), &pairs, &all_names(&pairs)).await;
    let msg = got.assert_err(400, "InvalidParameter");
    assert!(
        msg.contains("SignatureNonce") && msg.contains("128"),
        "{msg}"
    );
    assert_eq!(emu.service().remembered_nonces(), 0);
    assert_eq!(emu.service().nonce_memory(), 0);

    // The longest nonce allowed is accepted, and counted once.
    let longest = "n".repeat(MAX_NONCE_BYTES);
    let pairs = signed_with_nonce(&longest, "DescribeRefreshQuota", &[]);
    post(&c, &emu.url(), &pairs, &all_names(&pairs))
        .await
        .assert_ok();
    assert_eq!(emu.service().remembered_nonces(), 1);
    assert_eq!(
        emu.service().nonce_memory(),
        DEFAULT_ACCESS_KEY_ID.len() + 1 + MAX_NONCE_BYTES + NONCE_ENTRY_OVERHEAD
    );
}

#[test]
fn a_stream_of_huge_nonces_leaves_no_memory_behind() {
    // The issue's case was 150 signed requests with 1 MiB nonces, which
    // kept 318 MiB; twenty show the same in a debug build's time. Straight
    // to the service, which is where the store lives.
    let svc = Emulator::builder().build_service().unwrap();
    let now = unix_now();
    let body = form_encode(&signed_with_nonce(
        &"n".repeat(MIB),
        "DescribeRefreshQuota",
        &[],
    ));
    for _ in 0..20 {
        let reply = svc.respond(
            &Incoming {
                method: "POST",
                query: "",
                content_type: Some("application/x-www-form-urlencoded"),
                body: body.as_bytes(),
                headers: &[],
            },
            now * 1000,
        );
        assert_eq!(
            reply.status,
            400,
            "{}",
            &reply.body[..reply.body.len().min(300)]
        );
    }
    assert_eq!(svc.remembered_nonces(), 0);
    assert_eq!(svc.nonce_memory(), 0);
}

#[test]
fn the_nonce_memory_is_bounded_in_bytes() {
    let budget = 20 * (DEFAULT_ACCESS_KEY_ID.len() + 1 + MAX_NONCE_BYTES + NONCE_ENTRY_OVERHEAD);
    let svc = Emulator::builder()
        .nonce_memory(budget)
        .build_service()
        .unwrap();
    let now = unix_now();
    for i in 0..100 {
        let nonce = format!("{i:0>width$}", width = MAX_NONCE_BYTES);
        let pairs = signed_with_nonce(&nonce, "DescribeRefreshQuota", &[]);
        let body = form_encode(&pairs);
        let reply = svc.respond(
            &Incoming {
                method: "POST",
                query: "",
                content_type: Some("application/x-www-form-urlencoded"),
                body: body.as_bytes(),
                headers: &[],
            },
            now * 1000,
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert!(svc.nonce_memory() <= budget);
    }
    assert_eq!(svc.remembered_nonces(), 20);
}

#[test]
fn a_one_mib_v3_nonce_header_is_refused() {
    let svc = Emulator::builder().build_service().unwrap();
    let nonce = "n".repeat(MIB);
    let date = format_timestamp(unix_now());
    let mut headers: Vec<(&str, &str)> = vec![
        ("host", "127.0.0.1"),
        ("x-acs-action", "DescribeRefreshQuota"),
        ("x-acs-version", CDN),
        ("x-acs-date", &date),
        ("x-acs-signature-nonce", &nonce),
    ];
    let payload = v3::hashed_payload(b"");
    headers.push(("x-acs-content-sha256", &payload));
    let auth = v3::authorization(
        DEFAULT_ACCESS_KEY_ID,
        DEFAULT_ACCESS_KEY_SECRET,
        "POST",
        &[],
        &headers,
        b"",
    );
    headers.push(("authorization", &auth));
    let reply = svc.respond(
        &Incoming {
            method: "POST",
            query: "",
            content_type: None,
            body: b"",
            headers: &headers,
        },
        unix_now() * 1000,
    );
    assert_eq!(reply.status, 400);
    let v: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(v["Code"], "InvalidParameter");
    assert!(
        v["Message"]
            .as_str()
            .unwrap()
            .contains("x-acs-signature-nonce")
    );
    assert_eq!(svc.remembered_nonces(), 0);
}

#[tokio::test]
async fn a_request_with_twenty_thousand_params_is_read_exactly() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = http_client();
    let tags: Vec<(String, String)> = (1..=10_000)
        .flat_map(|i| {
            [
                (format!("Tag.{i}.Key"), format!("key {i}")),
                (format!("Tag.{i}.Value"), format!("value+{i}=&")),
            ]
        })
        .collect();
    let mut op: Vec<(&str, &str)> = vec![
        ("DomainName", "many.example.com"),
        ("CdnType", "web"),
        ("Sources", SOURCES),
    ];
    op.extend(tags.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    assert_eq!(op.len(), 20_003);
    let pairs = signed(&Signer::default(), Method::Post, CDN, "AddCdnDomain", &op);
    post(&c, &emu.url(), &pairs, &all_names(&pairs))
        .await
        .assert_ok();

    let state = emu.service().state::<CdnState>().unwrap();
    let stored = state.tags.of("DOMAIN", "many.example.com");
    assert_eq!(stored.len(), 10_000);
    for i in [1, 2, 10, 999, 5_000, 10_000] {
        assert_eq!(
            stored[&format!("key {i}")],
            format!("value+{i}=&"),
            "tag {i}"
        );
    }

    // The same 10,000 tags as a filter, the last value changed: the
    // filter reads every one of them, so the domain no longer matches.
    let mut filter: Vec<(&str, &str)> =
        tags.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    filter[19_999].1 = "another value";
    let list = signed(
        &Signer::default(),
        Method::Post,
        CDN,
        "DescribeUserDomains",
        &filter,
    );
    let got = post(&c, &emu.url(), &list, &all_names(&list)).await;
    assert_eq!(got.assert_ok()["TotalCount"], 0);
}

#[tokio::test]
async fn too_many_params_are_refused() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = http_client();
    let resp = c
        .post(format!("{}/?Format=JSON", emu.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("a&".repeat(60_000))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let v: serde_json::Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(v["Code"], "InvalidParameter");
    assert!(v["Message"].as_str().unwrap().contains("50000"), "{v}");
}

#[tokio::test]
async fn bodies_and_headers_are_bounded() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = http_client();
    let resp = c
        .post(format!("{}/", emu.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; 5 * MIB])
        .send()
        .await;
    // The server may answer before reading the whole body, or close the
    // connection while the client is still sending it.
    if let Ok(resp) = resp {
        assert_eq!(resp.status().as_u16(), 413);
        let v: serde_json::Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
        assert_eq!(v["Code"], "RequestEntityTooLarge");
    }

    let mut req = c.get(format!("{}/", emu.url()));
    for i in 0..150 {
        req = req.header(format!("x-flood-{i}"), "1");
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 431);

    // The server still answers afterwards.
    let pairs = signed(
        &Signer::default(),
        Method::Get,
        CDN,
        "DescribeRefreshQuota",
        &[],
    );
    get(&c, &emu.url(), &pairs).await.assert_ok();
}
