//! Every refusal the gate makes, sent over HTTP as raw signed requests.

use crate::common;

use aliapi_core::Method;
use aliapi_emulator::Emulator;
use common::*;

const ID: &str = "test-id";
const SECRET: &str = "test-secret";

async fn emulator() -> aliapi_emulator::RunningEmulator {
    Emulator::builder()
        .key(ID, SECRET)
        .sts_key("STS.temp-id", "temp-secret", "the-token")
        .start()
        .await
        .expect("start")
}

fn signer() -> Signer {
    Signer {
        id: ID.into(),
        secret: SECRET.into(),
        ..Signer::default()
    }
}

const START: &[(&str, &str)] = &[("DomainName", "example.com")];

#[tokio::test]
async fn a_correct_request_passes_the_gate() {
    let emu = emulator().await;
    let c = http_client();
    // The domain does not exist, so the request got past every gate check.
    let got = get(
        &c,
        &emu.url(),
        &signed(&signer(), Method::Get, CDN, "StartCdnDomain", START),
    )
    .await;
    got.assert_documented(Product::Cdn, "StartCdnDomain", "InvalidDomain.NotFound");
    let got = get(
        &c,
        &emu.url(),
        &signed(&signer(), Method::Get, CDN, "DescribeRefreshQuota", &[]),
    )
    .await;
    got.assert_ok();
}

#[tokio::test]
async fn unknown_key_and_wrong_secret() {
    let emu = emulator().await;
    let c = http_client();
    let stranger = Signer {
        id: "nobody".into(),
        ..signer()
    };
    let got = get(
        &c,
        &emu.url(),
        &signed(&stranger, Method::Get, CDN, "StartCdnDomain", START),
    )
    .await;
    got.assert_err(404, "InvalidAccessKeyId.NotFound");

    // The default pair is not accepted once keys are configured.
    let got = get(
        &c,
        &emu.url(),
        &signed(
            &Signer::default(),
            Method::Get,
            CDN,
            "StartCdnDomain",
            START,
        ),
    )
    .await;
    got.assert_err(404, "InvalidAccessKeyId.NotFound");

    let wrong = Signer {
        secret: "not-the-secret".into(),
        ..signer()
    };
    let pairs = signed(&wrong, Method::Get, CDN, "StartCdnDomain", START);
    let got = get(&c, &emu.url(), &pairs).await;
    let msg = got.assert_err(400, "SignatureDoesNotMatch");
    let expected_sts =
        aliapi_wire::v1::string_to_sign("GET", pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    assert_eq!(
        msg,
        format!(
            "Specified signature is not matched with our calculation. server string to sign is:{expected_sts}"
        )
    );
}

#[tokio::test]
async fn signature_covers_method_and_body() {
    let emu = emulator().await;
    let c = http_client();
    // Signed as GET but sent as POST.
    let pairs = signed(&signer(), Method::Get, CDN, "DescribeRefreshQuota", &[]);
    post(&c, &emu.url(), &pairs, &[])
        .await
        .assert_err(400, "SignatureDoesNotMatch");

    // A body param changed after signing.
    let mut pairs = signed(
        &signer(),
        Method::Post,
        CDN,
        "DescribeRefreshTasks",
        &[("ObjectPath", "a b")],
    );
    for (n, v) in &mut pairs {
        if n == "ObjectPath" {
            *v = "a c".into();
        }
    }
    post(&c, &emu.url(), &pairs, &["ObjectPath"])
        .await
        .assert_err(400, "SignatureDoesNotMatch");

    // Signed correctly with a `+`-encoded form body and lower-case format, as
    // the Python SDK sends it.
    let mut s = common(
        &signer(),
        CDN,
        "DescribeRefreshTasks",
        &[("ObjectPath", "a b")],
    );
    for (n, v) in &mut s {
        if n == "Format" {
            *v = "json".into();
        }
    }
    let pairs = sign(Method::Post, s, SECRET);
    post(
        &c,
        &emu.url(),
        &pairs,
        &["ObjectPath", "Timestamp", "Signature"],
    )
    .await
    .assert_ok();
}

#[tokio::test]
async fn sts_keys_need_their_token() {
    let emu = emulator().await;
    let c = http_client();
    let base = Signer {
        id: "STS.temp-id".into(),
        secret: "temp-secret".into(),
        ..signer()
    };
    let got = get(
        &c,
        &emu.url(),
        &signed(&base, Method::Get, CDN, "DescribeRefreshQuota", &[]),
    )
    .await;
    got.assert_err(400, "MissingSecurityToken");
    let wrong = Signer {
        token: Some("another".into()),
        ..base.clone()
    };
    let got = get(
        &c,
        &emu.url(),
        &signed(&wrong, Method::Get, CDN, "DescribeRefreshQuota", &[]),
    )
    .await;
    got.assert_err(400, "InvalidSecurityToken.MismatchWithAccessKey");
    let right = Signer {
        token: Some("the-token".into()),
        ..base
    };
    get(
        &c,
        &emu.url(),
        &signed(&right, Method::Get, CDN, "DescribeRefreshQuota", &[]),
    )
    .await
    .assert_ok();
}

#[tokio::test]
async fn timestamps_outside_the_window_or_malformed() {
    let emu = emulator().await;
    let c = http_client();
    for skew in [-16 * 60, 16 * 60] {
        let s = Signer {
            now: signer().now + skew,
            ..signer()
        };
        let got = get(
            &c,
            &emu.url(),
            &signed(&s, Method::Get, CDN, "DescribeRefreshQuota", &[]),
        )
        .await;
        got.assert_err(400, "InvalidTimeStamp.Expired");
    }
    let s = Signer {
        now: signer().now - 14 * 60,
        ..signer()
    };
    get(
        &c,
        &emu.url(),
        &signed(&s, Method::Get, CDN, "DescribeRefreshQuota", &[]),
    )
    .await
    .assert_ok();

    let mut pairs = common(&signer(), CDN, "DescribeRefreshQuota", &[]);
    for (n, v) in &mut pairs {
        if n == "Timestamp" {
            *v = "2024-01-01 10:00:00".into();
        }
    }
    let got = get(&c, &emu.url(), &sign(Method::Get, pairs, SECRET)).await;
    got.assert_err(400, "InvalidTimeStamp.Format");
}

#[tokio::test]
async fn a_nonce_is_used_once() {
    let emu = emulator().await;
    let c = http_client();
    let pairs = signed(&signer(), Method::Get, CDN, "DescribeRefreshQuota", &[]);
    get(&c, &emu.url(), &pairs).await.assert_ok();
    get(&c, &emu.url(), &pairs)
        .await
        .assert_err(400, "SignatureNonceUsed");
}

#[tokio::test]
async fn missing_common_params() {
    let emu = emulator().await;
    let c = http_client();
    for name in [
        "AccessKeyId",
        "Timestamp",
        "SignatureNonce",
        "SignatureMethod",
        "SignatureVersion",
        "Action",
        "Version",
    ] {
        let pairs: Vec<_> = common(&signer(), CDN, "DescribeRefreshQuota", &[])
            .into_iter()
            .filter(|(n, _)| n != name)
            .collect();
        let got = get(&c, &emu.url(), &sign(Method::Get, pairs, SECRET)).await;
        let msg = got.assert_err(400, &format!("Missing{name}"));
        assert!(msg.contains(name), "{msg}");
    }
    let pairs = common(&signer(), CDN, "DescribeRefreshQuota", &[]);
    get(&c, &emu.url(), &pairs)
        .await
        .assert_err(400, "MissingSignature");
}

#[tokio::test]
async fn version_and_action_must_match_a_product() {
    let emu = emulator().await;
    let c = http_client();
    let got = get(
        &c,
        &emu.url(),
        &signed(
            &signer(),
            Method::Get,
            "2014-05-26",
            "StartCdnDomain",
            START,
        ),
    )
    .await;
    got.assert_err(400, "InvalidVersion");
    // A CEN action with the CDN version.
    let got = get(
        &c,
        &emu.url(),
        &signed(&signer(), Method::Get, CDN, "DescribeCens", &[]),
    )
    .await;
    got.assert_err(404, "InvalidAction.NotFound");
    assert_eq!(got.body["HostId"], "cdn.aliyuncs.com");
    let got = get(
        &c,
        &emu.url(),
        &signed(&signer(), Method::Get, CBN, "NoSuchThing", &[]),
    )
    .await;
    got.assert_err(404, "InvalidAction.NotFound");
    assert_eq!(got.body["HostId"], "cbn.aliyuncs.com");
}

#[tokio::test]
async fn operation_params_required_and_typed() {
    let emu = emulator().await;
    let c = http_client();
    let got = get(
        &c,
        &emu.url(),
        &signed(&signer(), Method::Get, CDN, "StartCdnDomain", &[]),
    )
    .await;
    // The catalogue's answer, whichever param is missing.
    got.assert_documented(Product::Cdn, "StartCdnDomain", "MissingParameter");

    let got = get(
        &c,
        &emu.url(),
        &signed(
            &signer(),
            Method::Get,
            CDN,
            "DescribeUserDomains",
            &[("PageSize", "ten")],
        ),
    )
    .await;
    got.assert_documented(Product::Cdn, "DescribeUserDomains", "InvalidParameter");

    let got = get(
        &c,
        &emu.url(),
        &signed(
            &signer(),
            Method::Get,
            CDN,
            "DescribeUserDomains",
            &[("CheckDomainShow", "maybe")],
        ),
    )
    .await;
    got.assert_err(400, "InvalidParameter");

    // A required list with a required field inside its objects.
    let got = get(
        &c,
        &emu.url(),
        &signed(
            &signer(),
            Method::Get,
            CDN,
            "TagResources",
            &[("ResourceType", "DOMAIN"), ("ResourceId.1", "x.com")],
        ),
    )
    .await;
    got.assert_documented(Product::Cdn, "TagResources", "MissingParameter");
    let got = get(
        &c,
        &emu.url(),
        &signed(
            &signer(),
            Method::Get,
            CDN,
            "TagResources",
            &[
                ("ResourceType", "DOMAIN"),
                ("ResourceId.1", "x.com"),
                ("Tag.1.Value", "v"),
            ],
        ),
    )
    .await;
    got.assert_documented(Product::Cdn, "TagResources", "MissingParameter");
    let got = get(
        &c,
        &emu.url(),
        &signed(
            &signer(),
            Method::Get,
            CBN,
            "DescribeCens",
            &[("Filter.0.Key", "CenId")],
        ),
    )
    .await;
    got.assert_err(400, "InvalidParameter");
}

#[tokio::test]
async fn xml_when_asked_or_by_default() {
    let emu = emulator().await;
    let c = http_client();
    let pairs: Vec<_> = common(&signer(), CDN, "StartCdnDomain", START)
        .into_iter()
        .filter(|(n, _)| n != "Format")
        .collect();
    let url = format!(
        "{}/?{}",
        emu.url(),
        encode(&sign(Method::Get, pairs, SECRET))
    );
    let resp = c.get(url).send().await.unwrap();
    let (status, _) = documented(Product::Cdn, "StartCdnDomain", "InvalidDomain.NotFound").unwrap();
    assert_eq!(resp.status().as_u16(), status);
    let text = resp.text().await.unwrap();
    assert!(text.starts_with("<?xml"), "{text}");
    assert!(
        text.contains("<Code>InvalidDomain.NotFound</Code>"),
        "{text}"
    );
    assert!(text.contains("<RequestId>"), "{text}");
}

#[tokio::test]
async fn malformed_wire_input_is_refused_not_crashed() {
    let emu = emulator().await;
    let c = http_client();
    let resp = c
        .get(format!("{}/?Action=%ZZ&Format=JSON", emu.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let v: serde_json::Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(v["Code"], "InvalidParameter");
    assert!(v["RequestId"].is_string());
    let resp = c
        .put(format!("{}/", emu.url()))
        .body("\u{1}\u{2}")
        .send()
        .await
        .unwrap();
    assert!(resp.status().as_u16() >= 400);
}

#[tokio::test]
async fn a_skewed_emulator_clock_shows_in_refusals_and_the_date_header() {
    let emu = Emulator::builder()
        .clock_skew_secs(3600)
        .start()
        .await
        .unwrap();
    let c = http_client();
    let pairs = signed(
        &Signer::default(),
        Method::Get,
        CDN,
        "DescribeRefreshQuota",
        &[],
    );
    let resp = c
        .get(format!("{}/?{}", emu.url(), encode(&pairs)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let date = resp.headers()["date"].to_str().unwrap().to_owned();
    let server = aliapi_wire::time::parse_http_date(&date).expect("an HTTP date");
    let ahead = server
        .duration_since(std::time::SystemTime::now())
        .expect("ahead")
        .as_secs();
    assert!((3590..=3610).contains(&ahead), "{date}");
    let v: serde_json::Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(v["Code"], "InvalidTimeStamp.Expired");
    // Signed with the emulator's clock, the same call passes.
    let ahead = Signer {
        now: Signer::default().now + 3600,
        ..Signer::default()
    };
    get(
        &c,
        &emu.url(),
        &signed(&ahead, Method::Get, CDN, "DescribeRefreshQuota", &[]),
    )
    .await
    .assert_ok();
}
