//! Decoding answers into their generated types: aliapi's lenient reader
//! next to `serde_json`'s strict deserializer on the same bytes and type.
//!
//! `cargo bench --bench decode`; BENCHMARKS.md reports each case as a
//! ratio to `serde_json` measured in the same run. The bodies are ones
//! both accept (numbers as numbers, lists as the service wraps them), so
//! the comparison is of the readers alone: the coercions aliapi allows on
//! top cost nothing when they are not needed. Cases are measured in turns
//! (`aliapi-core/benches/turns`); `--quick` and `--only <case>` as there.

#[path = "../aliapi-core/benches/turns/mod.rs"]
mod turns;

use std::hint::black_box;

use aliapi::cdn::DescribeUserDomainsResponse as Page;
use aliapi_core::__private::decode_body;
use aliapi_core::Format;
use turns::Case;

/// A page of `n` domains as CDN's `DescribeUserDomains` writes it.
fn page_body(n: usize) -> String {
    let domains: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"DomainName":"img{i}.example.com","Cname":"img{i}.example.com.w.kunlunaq.com","CdnType":"web","DomainStatus":"online","GmtCreated":"2026-10-28T09:32:51Z","GmtModified":"2026-11-02T11:04:09Z","Description":"images, region {i}","SslProtocol":"on","ResourceGroupId":"rg-acfmz6wcqo{i:05}","Sandbox":"normal","Coverage":"domestic","Sources":{{"Source":[{{"Type":"ipaddr","Content":"192.0.2.{}","Port":443,"Priority":"20","Weight":"10"}},{{"Type":"domain","Content":"origin{i}.example.net","Port":80,"Priority":"30","Weight":"10"}}]}}}}"#,
                i % 250
            )
        })
        .collect();
    format!(
        r#"{{"RequestId":"AA75AADB-5E25-4970-B480-EAA1F5658483","PageNumber":1,"PageSize":{n},"TotalCount":{n},"Domains":{{"PageData":[{}]}}}}"#,
        domains.join(",")
    )
}

/// The answer `throughput` serves: what a small call decodes.
const SMALL: &str = r#"{"RequestId":"5C7F1E2D-0000-4000-8000-000000000000","TotalCount":0,"PageNumber":1,"PageSize":20,"Domains":{"PageData":[]}}"#;

fn main() {
    let page = page_body(50);
    let (page, small) = (page.as_bytes(), SMALL.as_bytes());
    // Both readers must read the same thing, or the comparison is void.
    for body in [page, small] {
        let ours: Page = decode_body(body, Format::Json).unwrap();
        let theirs: Page = serde_json::from_slice(body).unwrap();
        assert_eq!(ours, theirs);
    }
    let first: Page = decode_body(page, Format::Json).unwrap();
    assert_eq!(first.domains.len(), 50);
    assert_eq!(first.domains[49].sources.len(), 2);
    println!("page of 50 domains: {} bytes", page.len());

    const PAGE_BASE: &str = "page of 50 domains: serde_json, strict";
    const SMALL_BASE: &str = "small answer: serde_json, strict";
    let cases = vec![
        Case::new(PAGE_BASE, PAGE_BASE, || {
            serde_json::from_slice::<Page>(black_box(page)).unwrap()
        }),
        Case::new("page of 50 domains: aliapi, lenient", PAGE_BASE, || {
            decode_body::<Page>(black_box(page), Format::Json).unwrap()
        }),
        Case::new("page of 50 domains: serde_json::Value", PAGE_BASE, || {
            serde_json::from_slice::<serde_json::Value>(black_box(page)).unwrap()
        }),
        Case::new(SMALL_BASE, SMALL_BASE, || {
            serde_json::from_slice::<Page>(black_box(small)).unwrap()
        }),
        Case::new("small answer: aliapi, lenient", SMALL_BASE, || {
            decode_body::<Page>(black_box(small), Format::Json).unwrap()
        }),
    ];
    turns::run(cases);
}
