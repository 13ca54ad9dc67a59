//! Building and signing one request versus the bare HMAC-SHA1 under it.
//!
//! `cargo bench -p aliapi-core --bench sign`; BENCHMARKS.md reports the
//! ratio of the two, which is stable across noisy machines where absolute
//! times are not.

use std::hint::black_box;
use std::time::SystemTime;

use aliapi_core::sign::Presigner;
use aliapi_core::{
    Credentials, EndpointRule, Error, Location, Method, ParamWriter, RpcAction, Style,
};
use criterion::{Criterion, criterion_group, criterion_main};
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

fn bench(c: &mut Criterion) {
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
    let signed = Presigner::new(credentials.clone())
        .time(now)
        .presign(&request)
        .unwrap();
    let string_to_sign = signed.string_to_sign().to_owned();

    let mut group = c.benchmark_group("sign");
    group.bench_function("build_and_sign_describe_user_domains", |b| {
        let presigner = Presigner::new(credentials.clone()).time(now);
        b.iter(|| presigner.presign(black_box(&request)).unwrap())
    });
    group.bench_function("write_params_only", |b| {
        b.iter(|| {
            let mut params = ParamWriter::with_capacity(16, 512);
            black_box(&request).write_params(&mut params).unwrap();
            params
        })
    });
    group.bench_function("bare_hmac_sha1_same_string", |b| {
        b.iter(|| {
            let mut key = Vec::with_capacity(40);
            key.extend_from_slice(credentials.access_key_secret().as_bytes());
            key.push(b'&');
            let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(&key).unwrap();
            mac.update(black_box(string_to_sign.as_bytes()));
            mac.finalize().into_bytes()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
