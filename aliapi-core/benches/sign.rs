//! Building and signing one request versus the bare HMAC under it, for the
//! v1 signature (HMAC-SHA1) and for V3 (HMAC-SHA256).
//!
//! `cargo bench -p aliapi-core --bench sign`; BENCHMARKS.md reports the
//! ratio of each case to its bare HMAC, which is stable across noisy
//! machines where absolute times are not.
//!
//! The cases are measured in turns (`turns`); `--quick` and `--only <case>`
//! as there.

mod turns;

use std::hint::black_box;
use std::time::SystemTime;

use turns::Case;

use aliapi_core::SignatureVersion;
use aliapi_core::sign::Presigner;
use aliapi_core::{
    Credentials, EndpointRule, Error, Location, Method, ParamWriter, RpcAction, Style,
};
use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use sha1::Sha1;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Tag {
    key: &'static str,
    value: &'static str,
}

/// The params of CDN `DescribeUserDomains` as a user typically fills them,
/// written out by hand so that the bench measures the core alone.
struct DescribeUserDomains {
    domain_name: Option<String>,
    domain_status: Option<String>,
    page_number: Option<i32>,
    page_size: Option<i32>,
    check_domain_show: Option<bool>,
    tag: Vec<Tag>,
}

impl RpcAction for DescribeUserDomains {
    const PRODUCT: &'static str = "Cdn";
    const VERSION: &'static str = "2018-05-10";
    const ACTION: &'static str = "DescribeUserDomains";
    const METHOD: Method = Method::Post;
    const ENDPOINT: EndpointRule = EndpointRule::central("cdn.aliyuncs.com");
    type Response = serde_json::Value;

    fn write_params(&self, out: &mut ParamWriter) -> Result<(), Error> {
        out.write(
            "DomainName",
            Location::Query,
            Style::Plain,
            &self.domain_name,
        )?;
        out.write(
            "DomainStatus",
            Location::Query,
            Style::Plain,
            &self.domain_status,
        )?;
        out.write(
            "PageNumber",
            Location::Query,
            Style::Plain,
            &self.page_number,
        )?;
        out.write("PageSize", Location::Query, Style::Plain, &self.page_size)?;
        out.write(
            "CheckDomainShow",
            Location::Query,
            Style::Plain,
            &self.check_domain_show,
        )?;
        out.write("Tag", Location::Query, Style::RepeatList, &self.tag)?;
        Ok(())
    }
}

fn main() {
    let credentials =
        Credentials::new("LTAI5tExampleKeyId0000", "ExampleSecretValue0123456789abcd");
    let request = DescribeUserDomains {
        domain_name: Some("example.com".into()),
        domain_status: Some("online".into()),
        page_number: Some(1),
        page_size: Some(50),
        check_domain_show: Some(true),
        tag: vec![Tag {
            key: "env",
            value: "prod",
        }],
    };
    let now = SystemTime::now();
    let v1 = Presigner::new(credentials.clone()).time(now);
    let v1_string_to_sign = v1.presign(&request).unwrap().string_to_sign();
    // V3: the same request signed with ACS3-HMAC-SHA256; its baseline is the
    // bare HMAC-SHA256 (hex, as the header carries it) of its string to sign.
    let v3 = Presigner::new(credentials.clone())
        .signature_version(SignatureVersion::V3)
        .time(now);
    let v3_string_to_sign = v3.presign(&request).unwrap().string_to_sign();
    let secret = credentials.access_key_secret();

    const V1_BARE: &str = "v1: bare HMAC-SHA1 of the same string";
    const V3_BARE: &str = "V3: bare HMAC-SHA256 of the same string";
    let cases = vec![
        Case::new("v1: build and sign DescribeUserDomains", V1_BARE, || {
            v1.presign(black_box(&request)).unwrap()
        }),
        Case::new("v1: write the params only", V1_BARE, || {
            let mut params = ParamWriter::with_capacity(16, 512);
            black_box(&request).write_params(&mut params).unwrap();
            params
        }),
        Case::new(V1_BARE, V1_BARE, || {
            let mut key = Vec::with_capacity(40);
            key.extend_from_slice(secret.as_bytes());
            key.push(b'&');
            let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(&key).unwrap();
            mac.update(black_box(v1_string_to_sign.as_bytes()));
            mac.finalize().into_bytes()
        }),
        Case::new("V3: build and sign DescribeUserDomains", V3_BARE, || {
            v3.presign(black_box(&request)).unwrap()
        }),
        Case::new(V3_BARE, V3_BARE, || {
            aliapi_wire::v3::signature(secret, black_box(&v3_string_to_sign))
        }),
    ];
    turns::run(cases);
}
