//! The client against a server that misbehaves on purpose: every answer
//! ends in a typed [`Error`] and the process lives; no redirect is followed;
//! no answer is read past its cap; no call outlives its deadline; and no
//! spelling of the token, the secret or the signature ever shows in an
//! error or a log line. Memory growth is measured by `benches/hostile.rs`,
//! not asserted here.

use crate::server;

use std::time::Duration;

use aliapi_core::{
    Client, Credentials, Error, Format, GenericRequest, RetryConfig, SignatureVersion, TimeoutKind,
    rpc_action,
};
use aliapi_wire::encode::{percent_decode, percent_encode};
use server::{Answer, Hostile, Received};

const KEY_ID: &str = "hostile-key-id";
const SECRET: &str = "hostile-secret-value-0123";
const TOKEN: &str = "CAIS+hostile/sts-token==";

fn client_to(url: &str) -> Client {
    Client::builder()
        .credentials(Credentials::with_security_token(
            KEY_ID, SECRET, TOKEN, None,
        ))
        .endpoint_url(url)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

fn read() -> GenericRequest {
    GenericRequest::new("Cdn", "2018-05-10", "DescribeUserDomains")
}

/// A typed operation whose answer holds any JSON, so that depth reaches the
/// typed decoder too.
#[rpc_action(product = "Cdn", version = "2018-05-10")]
#[derive(Debug)]
pub struct DescribeAnything {}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DescribeAnythingResponse {
    pub data: Option<serde_json::Value>,
}

fn assert_decode_error(e: &Error, want: &str, context: &str) {
    match e {
        Error::Decode { reason, .. } => assert!(reason.contains(want), "{context}: {reason}"),
        other => panic!("{context}: expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn deep_xml_and_json_are_typed_errors() {
    for levels in [100_000usize, 1_000_000] {
        let xml = format!("{}x{}", "<a>".repeat(levels), "</a>".repeat(levels));
        let json = format!("{{\"Data\":{}{}}}", "[".repeat(levels), "]".repeat(levels));
        for status in [200, 400] {
            for (format, content_type) in [
                (Format::Json, "application/json"),
                (Format::Json, "text/xml"),
                (Format::Xml, "text/xml"),
            ] {
                let context = format!("{levels} levels, HTTP {status}, {format:?}, {content_type}");
                let server =
                    Hostile::always(Answer::typed(status, content_type, xml.clone())).await;
                let client = Client::builder()
                    .credentials(Credentials::new(KEY_ID, SECRET))
                    .endpoint_url(&server.url)
                    .format(format)
                    .retry(RetryConfig::disabled())
                    .build()
                    .unwrap();
                let e = client.call(&read()).await.unwrap_err();
                assert_decode_error(&e, "deeper than 128", &context);
                let e = client.send(&DescribeAnything::new()).await.unwrap_err();
                assert_decode_error(&e, "deeper than 128", &context);
            }
            let server = Hostile::always(Answer::json(status, json.clone())).await;
            let client = client_to(&server.url);
            let e = client.call(&read()).await.unwrap_err();
            assert_decode_error(&e, "recursion limit", &format!("JSON, HTTP {status}"));
            let e = client.send(&DescribeAnything::new()).await.unwrap_err();
            assert!(matches!(e, Error::Decode { .. }), "{e:?}");
        }
    }
}

#[tokio::test]
async fn json_answers_with_markup_are_not_taken_for_xml_unless_they_cannot_be_json() {
    // A JSON answer that merely mentions markup is JSON.
    let server = Hostile::always(Answer::json(
        200,
        r#"{"RequestId":"R","Data":"<b>bold</b>"}"#,
    ))
    .await;
    let answer = client_to(&server.url).call(&read()).await.unwrap();
    assert_eq!(answer["Data"], "<b>bold</b>");
    // An HTML page is said to be one.
    let server = Hostile::always(Answer::typed(
        502,
        "text/html",
        "<html><h1>Bad Gateway</h1></html>",
    ))
    .await;
    let e = client_to(&server.url).call(&read()).await.unwrap_err();
    assert_decode_error(&e, "HTML page", "html");
    // XML announced by its content type is read as XML.
    let server = Hostile::always(Answer::typed(
        200,
        "application/xml",
        "<R><RequestId>X</RequestId></R>",
    ))
    .await;
    let answer = client_to(&server.url).call(&read()).await.unwrap();
    assert_eq!(answer["RequestId"], "X");
}

#[tokio::test]
async fn redirects_are_not_followed_and_the_other_host_receives_nothing() {
    let elsewhere = Hostile::always(Answer::json(200, r#"{"RequestId":"stolen"}"#)).await;
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        for status in [301, 302, 303, 307, 308] {
            // The redirect echoes the request's query, credentials and all.
            let target = elsewhere.url.clone();
            let endpoint = Hostile::start(move |r: &Received| {
                Answer::redirect(status, format!("{target}{}", r.target()))
            })
            .await;
            let client = Client::builder()
                .credentials(Credentials::with_security_token(
                    KEY_ID, SECRET, TOKEN, None,
                ))
                .endpoint_url(&endpoint.url)
                .signature_version(version)
                .build()
                .unwrap();
            for e in [
                client.call(&read()).await.unwrap_err(),
                client
                    .call(
                        &read()
                            .method(aliapi_core::Method::Post)
                            .body_param("Body", "1"),
                    )
                    .await
                    .unwrap_err(),
            ] {
                let Error::Redirect {
                    status: got,
                    location: Some(location),
                    attempts,
                    ..
                } = &e
                else {
                    panic!("{version:?} {status}: expected a redirect error, got {e:?}");
                };
                assert_eq!(*got, status);
                assert_eq!(*attempts, 1, "a redirect is not retried");
                assert!(location.starts_with(&elsewhere.url), "{location}");
                assert_no_secret(&format!("{e} {e:?}"), &[], "redirect");
            }
            for r in endpoint.received() {
                assert!(
                    r.header_values("referer").is_empty(),
                    "no Referer is sent: {}",
                    r.head
                );
            }
        }
    }
    assert!(
        elsewhere.received().is_empty() && elsewhere.connections() == 0,
        "the redirect target was contacted"
    );
}

#[tokio::test]
async fn bodies_past_the_cap_are_refused_while_they_stream() {
    const MIB: u64 = 1024 * 1024;
    for (answer, what) in [
        (
            Answer::Huge {
                status: 200,
                len: 100 * MIB,
                chunked: false,
            },
            "100 MiB announced",
        ),
        (
            Answer::Huge {
                status: 200,
                len: 100 * MIB,
                chunked: true,
            },
            "100 MiB chunked",
        ),
        (
            Answer::Huge {
                status: 503,
                len: 100 * MIB,
                chunked: true,
            },
            "100 MiB on a 503",
        ),
        (Answer::Endless, "endless"),
    ] {
        let server = Hostile::always(answer).await;
        let e = client_to(&server.url).call(&read()).await.unwrap_err();
        let Error::ResponseTooLarge { limit, .. } = e else {
            panic!("{what}: expected ResponseTooLarge, got {e:?}");
        };
        assert_eq!(limit, aliapi_core::DEFAULT_MAX_RESPONSE_BYTES, "{what}");
    }
    // The cap is the builder's to set.
    let server = Hostile::always(Answer::json(
        200,
        format!(r#"{{"Pad":"{}"}}"#, "x".repeat(2000)),
    ))
    .await;
    let small = Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .endpoint_url(&server.url)
        .max_response_bytes(1000)
        .build()
        .unwrap();
    let e = small.call(&read()).await.unwrap_err();
    assert!(
        matches!(e, Error::ResponseTooLarge { limit: 1000, .. }),
        "{e:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_drip_ends_at_the_default_attempt_deadline() {
    let server = Hostile::always(Answer::Drip {
        every: Duration::from_secs(1),
    })
    .await;
    let client = Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .endpoint_url(&server.url)
        .build()
        .unwrap();
    // The clock is tokio's paused one: it moves only while everybody waits.
    let started = tokio::time::Instant::now();
    let e = client.with_max_attempts(1).call(&read()).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                attempts: 1,
                ..
            }
        ),
        "{e:?}"
    );
    let one = started.elapsed();
    assert!(
        one >= aliapi_core::DEFAULT_ATTEMPT_TIMEOUT && one < Duration::from_secs(31),
        "{one:?}"
    );
    // A read is retried twice more, each attempt cut at the deadline.
    let started = tokio::time::Instant::now();
    let e = client.call(&read()).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                attempts: 3,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(started.elapsed() >= 3 * aliapi_core::DEFAULT_ATTEMPT_TIMEOUT);
}

/// Every spelling a server could echo a secret in.
fn spellings(secret: &str) -> Vec<String> {
    let once = percent_encode(secret);
    let twice = percent_encode(&once);
    let lower = |s: &str| {
        let mut out = String::new();
        let mut hex = 0;
        for c in s.chars() {
            if c == '%' {
                hex = 2;
                out.push(c);
            } else if hex > 0 {
                hex -= 1;
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    };
    // And as a JSON string whose encoder escapes `/` (PHP's does).
    let json_escaped = secret.replace('/', "\\/");
    let mut all = vec![
        secret.to_owned(),
        lower(&once),
        lower(&twice),
        once,
        twice,
        json_escaped,
    ];
    all.sort();
    all.dedup();
    all
}

fn assert_no_secret(text: &str, extra: &[String], context: &str) {
    let mut secrets = spellings(TOKEN);
    secrets.extend(spellings(SECRET));
    secrets.extend(extra.iter().cloned());
    for s in &secrets {
        assert!(
            !text.contains(s.as_str()),
            "{context}: {s:?} shows in:\n{text}"
        );
    }
}

/// The signatures a request carried, in every spelling.
fn signatures_of(r: &Received) -> Vec<String> {
    let mut found = Vec::new();
    let query = r.target().split_once('?').map_or("", |(_, q)| q);
    for pair in query.split('&') {
        if let Some(v) = pair.strip_prefix("Signature=") {
            found.extend(spellings(&percent_decode(v, false).unwrap()));
        }
    }
    for auth in r.header_values("authorization") {
        if let Some((_, sig)) = auth.rsplit_once("Signature=") {
            found.extend(spellings(sig));
        }
    }
    found
}

/// What a server that echoes everything back says: the target (query,
/// once-encoded), the headers, the token decoded, and the v1 string to
/// sign it computed (the token twice-encoded).
fn echo(r: &Received) -> String {
    let query = r.target().split_once('?').map_or("", |(_, q)| q);
    let mut pairs = Vec::new();
    for text in [query, std::str::from_utf8(&r.body).unwrap_or("")] {
        for pair in text.split('&').filter(|p| !p.is_empty()) {
            let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
            pairs.push((
                percent_decode(n, true).unwrap_or_default(),
                percent_decode(v, true).unwrap_or_default(),
            ));
        }
    }
    let sts =
        aliapi_wire::v1::string_to_sign("GET", pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let token = pairs
        .iter()
        .find(|(n, _)| n == "SecurityToken")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let headers = r.head.replace(['\r', '\n'], " ");
    format!(
        "target {} token {token} headers {headers} server string to sign is:{sts}",
        r.target()
    )
}

/// A password in a redirect's location, which the client never knew.
const LOCATION_PASSWORD: &str = "location-pass";

#[tokio::test]
async fn no_spelling_of_a_secret_in_any_error_or_trace_of_the_client() {
    let captured = crate::traces::capture();
    let mut shown = String::new();
    let mut signatures = Vec::new();
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let answers = [
            "json", "html", "redirect", "xml", "ids", "portal", "escaped", "userinfo",
        ];
        for (i, answer) in answers.into_iter().enumerate() {
            let server = Hostile::start(move |r: &Received| {
                let text = echo(r);
                match answer {
                    "json" => Answer::json(
                        400,
                        serde_json::json!({
                            "RequestId": "R",
                            "Code": "SignatureDoesNotMatch",
                            "Message": text,
                            "Recommend": format!("https://example.test/?{}", r.target()),
                            "AccessDeniedDetail": text,
                        })
                        .to_string(),
                    ),
                    "html" => Answer::typed(502, "text/html", format!("<html>{text}</html>")),
                    "redirect" => Answer::redirect(302, format!("https://elsewhere{}", r.target())),
                    // A location whose user info carries a password.
                    "userinfo" => Answer::redirect(
                        307,
                        format!("https://user:{LOCATION_PASSWORD}@elsewhere{}", r.target()),
                    ),
                    // The code and the ids are shown too.
                    "ids" => Answer::json(
                        403,
                        serde_json::json!({
                            "Code": format!("Forbidden.{text}"),
                            "Message": "m",
                            "RequestId": text,
                            "HostId": text,
                        })
                        .to_string(),
                    ),
                    // A success that is no answer: a captive portal quoting
                    // the URL it intercepted.
                    "portal" => Answer::typed(
                        200,
                        "text/html",
                        format!("<html>Sign in to continue to {}</html>", r.target()),
                    ),
                    // No code, so the body is quoted; its encoder escapes `/`.
                    "escaped" => Answer::json(
                        400,
                        serde_json::json!({"RequestId": "r", "Message": text})
                            .to_string()
                            .replace('/', "\\/"),
                    ),
                    _ => Answer::typed(
                        403,
                        "text/xml",
                        format!(
                            "<Error><Code>Forbidden</Code><Message>{}</Message></Error>",
                            text.replace('&', "&amp;").replace('<', "&lt;")
                        ),
                    ),
                }
            })
            .await;
            let client = Client::builder()
                .credentials(Credentials::with_security_token(
                    KEY_ID, SECRET, TOKEN, None,
                ))
                .endpoint_url(&server.url)
                .signature_version(version)
                .retry(RetryConfig::default().with_base_delay(Duration::from_millis(1)))
                .build()
                .unwrap();
            let request = read()
                .method(if i % 2 == 0 {
                    aliapi_core::Method::Get
                } else {
                    aliapi_core::Method::Post
                })
                .body_param("Note", "a b");
            let e = client.call(&request).await.unwrap_err();
            shown.push_str(&format!("{e}\n{e:?}\n"));
            for r in server.received() {
                signatures.extend(signatures_of(&r));
            }
        }
    }
    assert!(!signatures.is_empty());
    assert!(
        shown.contains("https://user:*redacted*@elsewhere"),
        "{shown}"
    );
    signatures.push(LOCATION_PASSWORD.to_owned());
    let logs = captured.text();
    assert!(logs.contains("call failed"), "{logs}");
    assert_no_secret(&shown, &signatures, "errors");
    assert_no_secret(&logs, &signatures, "traces");
}

#[tokio::test]
async fn no_spelling_of_a_secret_in_any_error_or_trace_of_the_providers() {
    use aliapi_core::ProvideCredentials;
    use aliapi_core::providers::{
        CredentialsUriProvider, EcsRamRoleProvider, Fs, OidcRoleArnProvider, ProviderConfig,
        RamRoleArnProvider,
    };

    const OIDC_TOKEN: &str = "eyJhbGciOi.oidc+token/value==";
    let captured = crate::traces::capture();
    let mut shown = String::new();
    let mut signatures = Vec::new();
    let quick = ProviderConfig::default()
        .with_retry(RetryConfig::default().with_base_delay(Duration::from_millis(1)));

    // STS refuses AssumeRole quoting everything it was sent, the source
    // keys' token doubly encoded in the string to sign among it.
    let sts = Hostile::start(|r: &Received| {
        Answer::json(
            400,
            serde_json::json!({"RequestId": "R", "Code": "SignatureDoesNotMatch", "Message": echo(r)})
                .to_string(),
        )
    })
    .await;
    let role_at = |sts: &str, source: Credentials| {
        RamRoleArnProvider::builder(source, "acs:ram::1:role/r")
            .configure(&quick)
            .sts_endpoint(sts)
            .build()
            .unwrap()
    };
    let role = role_at(
        &sts.url,
        Credentials::with_security_token(KEY_ID, SECRET, TOKEN, None),
    );
    let e = role.provide_credentials().await.unwrap_err();
    assert!(e.to_string().contains("SignatureDoesNotMatch"), "{e}");
    shown.push_str(&format!("{e}\n{e:?}\n{role:?}\n"));
    let client = Client::builder()
        .credentials(role)
        .endpoint_url(&sts.url)
        .build()
        .unwrap();
    let e = client.call(&read()).await.unwrap_err();
    shown.push_str(&format!("{e}\n{e:?}\n{client:?}\n"));
    for r in sts.received() {
        signatures.extend(signatures_of(&r));
    }

    // STS issues keys in an answer that cannot be decoded (cut short, the
    // wrong shape, wrapped in a page): the body is quoted, the keys it
    // holds never are, though no one could have listed them.
    const NEW_SECRET: &str = "issued-secret/+=7777";
    const NEW_TOKEN: &str = "CAIS+issued/token==8888";
    let issued = format!(
        r#"{{"RequestId":"R","Credentials":{{"AccessKeyId":"STS.new","AccessKeySecret":"{NEW_SECRET}","SecurityToken":"{NEW_TOKEN}","Expiration":"2030-01-01T00:00:00Z"}}}}"#
    );
    for body in [
        issued[..issued.len() - 10].to_owned(),
        issued.replace(r#""Credentials":{"#, r#""Credentials":[{"#),
        format!("<html><pre>{issued}</pre></html>"),
    ] {
        let sts = Hostile::start(move |_| Answer::json(200, body.clone())).await;
        let role = role_at(&sts.url, Credentials::new(KEY_ID, SECRET));
        let e = role.provide_credentials().await.unwrap_err();
        assert!(e.to_string().contains("could not decode"), "{e}");
        shown.push_str(&format!("{e}\n{e:?}\n"));
    }

    // STS echoes the OIDC token it was given.
    let oidc_sts = Hostile::start(|r: &Received| {
        let body = String::from_utf8_lossy(&r.body).into_owned();
        let token = body
            .split('&')
            .find_map(|p| p.strip_prefix("OIDCToken="))
            .map(|t| percent_decode(t, true).unwrap())
            .unwrap_or_default();
        Answer::json(
            400,
            serde_json::json!({"RequestId": "R", "Code": "InvalidParameter.OIDCToken",
                "Message": format!("token {token} in {body} of {}", r.target())})
            .to_string(),
        )
    })
    .await;
    let token_path = std::path::PathBuf::from("/var/run/secrets/token");
    let oidc = OidcRoleArnProvider::builder(
        "acs:ram::1:role/r",
        "acs:ram::1:oidc-provider/p",
        &token_path,
    )
    .configure(
        &quick
            .clone()
            .with_fs(Fs::from_files([(token_path.clone(), OIDC_TOKEN)])),
    )
    .sts_endpoint(&oidc_sts.url)
    .build()
    .unwrap();
    let e = oidc.provide_credentials().await.unwrap_err();
    assert!(e.to_string().contains("InvalidParameter.OIDCToken"), "{e}");
    shown.push_str(&format!("{e}\n{e:?}\n{oidc:?}\n"));

    // The metadata service and a credentials URI answer keys that are not
    // quite right: the body holds the secret and the token, and must never
    // be quoted.
    let bad_keys = format!(
        r#"{{"Code":"Success","AccessKeyId":"{KEY_ID}","AccessKeySecret":"{SECRET}","SecurityToken":"{TOKEN}","Expiration":"soon {TOKEN}"}}"#
    );
    let keys = bad_keys.clone();
    let metadata = Hostile::start(move |r: &Received| {
        if r.target().contains("/latest/api/token") {
            Answer::typed(200, "text/plain", "session-token")
        } else if r.target().ends_with("/security-credentials/") {
            Answer::typed(200, "text/plain", "role")
        } else {
            Answer::json(200, keys.clone())
        }
    })
    .await;
    let ecs = EcsRamRoleProvider::builder()
        .configure(
            &quick
                .clone()
                .with_env(aliapi_core::providers::Env::from_vars::<&str, &str>([])),
        )
        .endpoint(&metadata.url)
        .build();
    let e = ecs.provide_credentials().await.unwrap_err();
    assert!(e.to_string().contains("Expiration"), "{e}");
    shown.push_str(&format!("{e}\n{e:?}\n{ecs:?}\n"));
    let keys = bad_keys.clone();
    let uri_server = Hostile::start(move |_| Answer::json(200, keys.clone())).await;
    let uri = CredentialsUriProvider::new(format!("{}/creds?token={TOKEN}", uri_server.url));
    let e = uri.provide_credentials().await.unwrap_err();
    shown.push_str(&format!("{e}\n{e:?}\n{uri:?}\n"));

    let logs = captured.text();
    let mut extra = signatures;
    extra.extend(spellings(OIDC_TOKEN));
    extra.extend(spellings(NEW_SECRET));
    extra.extend(spellings(NEW_TOKEN));
    assert_no_secret(&shown, &extra, "provider errors");
    assert_no_secret(&logs, &extra, "provider traces");
}
