//! The error constants against the official catalogue, read at run time,
//! and a refusal of the emulator matched by its constant.

use std::collections::{BTreeMap, BTreeSet};

use aliapi_cdn::errors;
use aliapi_core::{Client, Credentials};
use aliapi_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator};

#[test]
fn every_catalogue_code_has_a_constant_with_its_statuses() {
    // Spellings with trailing whitespace are the trimmed code; templates
    // (`Invalid%s.Malformed`), which the service never sends as written,
    // have no constant.
    let mut want: BTreeMap<&str, BTreeSet<u16>> = BTreeMap::new();
    for (code, entry) in &aliapi_spec::cdn().errors.codes {
        if code.contains("%s") {
            continue;
        }
        want.entry(code.trim())
            .or_default()
            .extend(entry.variants.iter().map(|v| v.http));
    }
    let got: BTreeMap<&str, BTreeSet<u16>> = errors::ALL
        .iter()
        .map(|c| (c.code(), c.statuses().iter().copied().collect()))
        .collect();
    assert_eq!(got.len(), errors::ALL.len(), "one constant per code");
    assert_eq!(got, want);
    for c in errors::ALL {
        let statuses = c.statuses();
        assert!(
            statuses.windows(2).all(|w| w[0] < w[1]),
            "{c}: {statuses:?}"
        );
    }
}

#[tokio::test]
async fn a_refusal_carries_a_catalogue_status_and_matches_its_constant() {
    let emulator = Emulator::builder()
        .start()
        .await
        .expect("the emulator starts");
    let client = Client::builder()
        .credentials(Credentials::new(
            DEFAULT_ACCESS_KEY_ID,
            DEFAULT_ACCESS_KEY_SECRET,
        ))
        .endpoint_url(emulator.url())
        .build()
        .expect("the client builds");
    let err = client
        .send(&aliapi_cdn::DescribeCdnDomainDetail::new(
            "none.example.com",
        ))
        .await
        .expect_err("refused");
    assert!(err.is(errors::INVALID_DOMAIN_NOT_FOUND), "{err}");
    let status = err.as_service().expect("a service error").status;
    assert!(
        errors::INVALID_DOMAIN_NOT_FOUND
            .statuses()
            .contains(&status),
        "{status}"
    );
    emulator.shutdown().await;
}
