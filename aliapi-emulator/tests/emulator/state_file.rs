//! State survives restarts, and a write cut short never corrupts it.

use crate::common;

use std::path::PathBuf;
use std::time::Duration;

use aliapi_emulator::cdn::{self, CdnState};
use aliapi_emulator::cen::{self, CenState};
use aliapi_emulator::state::{StateDocument, temp_path};
use aliapi_emulator::{Emulator, EmulatorError};
use common::*;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("aliapi-emulator-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const SOURCES: &str = r#"[{"content":"origin.example.net","type":"domain"}]"#;

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = temp_dir("restart");
    let file = dir.join("state.json");
    let cen_id;
    {
        let emu = Emulator::builder()
            .state_file(&file)
            .settle_time(Duration::ZERO)
            .start()
            .await
            .unwrap();
        let api = Api::new(emu.url());
        api.cdn(
            "AddCdnDomain",
            &[
                ("DomainName", "keep.example.com"),
                ("CdnType", "web"),
                ("Sources", SOURCES),
            ],
        )
        .await
        .assert_ok();
        let got = api.cen("CreateCen", &[("Name", "kept")]).await;
        cen_id = got.assert_ok()["CenId"].as_str().unwrap().to_owned();
        emu.shutdown().await;
    }
    assert!(
        !temp_path(&file).exists(),
        "no temp file left after clean saves"
    );
    let emu = Emulator::builder().state_file(&file).start().await.unwrap();
    let api = Api::new(emu.url());
    let d = api
        .cdn(
            "DescribeCdnDomainDetail",
            &[("DomainName", "keep.example.com")],
        )
        .await;
    assert_eq!(
        d.assert_ok()["GetDomainDetailModel"]["SourceModels"]["SourceModel"][0]["Content"],
        "origin.example.net"
    );
    let c = api
        .cen(
            "DescribeCens",
            &[("Filter.1.Key", "CenId"), ("Filter.1.Value.1", &cen_id)],
        )
        .await;
    assert_eq!(c.assert_ok()["Cens"]["Cen"][0]["Name"], "kept");
    // Ids keep counting from where they were, so a new one is different.
    let other = api.cen("CreateCen", &[]).await;
    assert_ne!(other.assert_ok()["CenId"], cen_id.as_str());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_interrupted_write_leaves_the_last_good_state() {
    let dir = temp_dir("crash");
    let file = dir.join("state.json");
    let mut good = CenState::default();
    good.serial.new_id("cen");
    good.cens.insert(
        "cen-1".into(),
        cen::Cen {
            id: "cen-1".into(),
            name: "survivor".into(),
            ..Default::default()
        },
    );
    let mut doc = StateDocument::new();
    doc.set_section(cen::CODE, &good).unwrap();
    doc.save(&file).unwrap();

    // A crash in the middle of the next save: the temp file holds half a
    // document and the rename never happened.
    let mut next = doc.clone();
    next.set_section(cen::CODE, &CenState::default()).unwrap();
    let scratch = dir.join("scratch.json");
    next.save(&scratch).unwrap();
    let bytes = std::fs::read(&scratch).unwrap();
    std::fs::write(temp_path(&file), &bytes[..bytes.len() / 2]).unwrap();

    let loaded = StateDocument::load(&file).unwrap();
    assert_eq!(
        loaded.section::<CenState>(cen::CODE).unwrap(),
        Some(good.clone())
    );
    // The emulator starts from it too, and its next save replaces the
    // stale temp file.
    let svc = Emulator::builder()
        .state_file(&file)
        .build_service()
        .unwrap();
    assert_eq!(svc.state::<CenState>(), Some(good));
    assert_eq!(svc.state::<CdnState>(), Some(CdnState::default()));
    let now = aliapi_emulator::clock::unix_now();
    let signer = Signer {
        now,
        ..Signer::default()
    };
    let got = call_service(
        &svc,
        &signed(&signer, aliapi_core::Method::Get, CBN, "CreateCen", &[]),
        now * 1000,
    );
    got.assert_ok();
    assert!(!temp_path(&file).exists());
    let saved: CenState = StateDocument::load(&file)
        .unwrap()
        .section(cen::CODE)
        .unwrap()
        .unwrap();
    assert_eq!(saved.cens.len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_corrupt_state_file_is_reported_not_replaced() {
    let dir = temp_dir("corrupt");
    let file = dir.join("state.json");
    std::fs::write(&file, b"{ not json").unwrap();
    let err = Emulator::builder()
        .state_file(&file)
        .build_service()
        .unwrap_err();
    assert!(matches!(err, EmulatorError::StateFile { .. }), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), b"{ not json");
    // A section that does not fit its product's state is reported too,
    // naming the product.
    std::fs::write(
        &file,
        br#"{"format": 2, "products": {"Cdn": {"domains": 7}}}"#,
    )
    .unwrap();
    let err = Emulator::builder()
        .state_file(&file)
        .build_service()
        .unwrap_err();
    assert!(err.to_string().contains("section Cdn"), "{err}");
    // A missing file is simply an empty state.
    let fresh = Emulator::builder()
        .state_file(dir.join("absent.json"))
        .build_service()
        .unwrap();
    assert_eq!(fresh.state::<CdnState>(), Some(CdnState::default()));
    assert_eq!(fresh.state::<CenState>(), Some(CenState::default()));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A state file as the emulator wrote it before each product had a section
/// of its own: one flat document with both products' fields.
const OLD_FORMAT: &str = r#"{
  "serial": 7,
  "domains": {"old.example.com": {"name": "old.example.com", "id": 10000003,
    "cdn_type": "web", "scope": "domestic", "status": "online",
    "sources": [{"content": "1.1.1.1", "kind": "ipaddr", "port": 80, "priority": "20", "weight": "10"}]}},
  "tasks": [],
  "quota": {"day": 1, "url": 3},
  "cens": {"cen-old": {"id": "cen-old", "name": "kept", "status": "Active"}},
  "bandwidth_packages": {},
  "tags": {"Cdn": {"domain": {"old.example.com": {"env": "prod"}}},
           "Cbn": {"cen": {"cen-old": {"team": "net"}}}},
  "client_tokens": {"CreateCen:t-1": "cen-old"}
}"#;

#[test]
fn a_state_file_of_the_old_format_is_read_and_rewritten_in_sections() {
    let dir = temp_dir("old-format");
    let file = dir.join("state.json");
    std::fs::write(&file, OLD_FORMAT).unwrap();
    let svc = Emulator::builder()
        .state_file(&file)
        .build_service()
        .unwrap();
    let cdn_state = svc.state::<CdnState>().unwrap();
    assert_eq!(
        cdn_state.domains["old.example.com"].sources[0].content,
        "1.1.1.1"
    );
    assert_eq!(
        cdn_state.tags.of("domain", "old.example.com")["env"],
        "prod"
    );
    assert_eq!(cdn_state.quota.url, 3);
    let cen_state = svc.state::<CenState>().unwrap();
    assert_eq!(cen_state.cens["cen-old"].name, "kept");
    assert_eq!(cen_state.tags.of("cen", "cen-old")["team"], "net");
    assert_eq!(cen_state.client_tokens["CreateCen:t-1"], "cen-old");
    assert_eq!(
        cen_state.serial.0, 7,
        "ids keep counting from the old counter"
    );

    let now = aliapi_emulator::clock::unix_now();
    let signer = Signer {
        now,
        ..Signer::default()
    };
    let got = call_service(
        &svc,
        &signed(&signer, aliapi_core::Method::Get, CBN, "CreateCen", &[]),
        now * 1000,
    );
    assert_ne!(got.assert_ok()["CenId"], "cen-old");
    let doc = StateDocument::load(&file).unwrap();
    assert!(!doc.is_legacy(), "the first save writes sections");
    let cdn_saved: CdnState = doc.section(cdn::CODE).unwrap().unwrap();
    assert_eq!(
        cdn_saved, cdn_state,
        "CDN's part is kept though only CEN changed"
    );
    let cen_saved: CenState = doc.section(cen::CODE).unwrap().unwrap();
    assert_eq!(cen_saved.cens.len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_section_of_an_unregistered_product_is_kept() {
    let dir = temp_dir("unknown-section");
    let file = dir.join("state.json");
    std::fs::write(
        &file,
        br#"{"format": 2, "products": {"Ecs": {"instances": ["i-1"]}}}"#,
    )
    .unwrap();
    let svc = Emulator::builder()
        .state_file(&file)
        .build_service()
        .unwrap();
    let now = aliapi_emulator::clock::unix_now();
    let signer = Signer {
        now,
        ..Signer::default()
    };
    call_service(
        &svc,
        &signed(&signer, aliapi_core::Method::Get, CBN, "CreateCen", &[]),
        now * 1000,
    )
    .assert_ok();
    let doc = StateDocument::load(&file).unwrap();
    assert_eq!(
        doc.raw_section("Ecs"),
        Some(&serde_json::json!({"instances": ["i-1"]}))
    );
    assert!(doc.raw_section(cen::CODE).is_some());
    let _ = std::fs::remove_dir_all(&dir);
}
