//! State survives restarts, and a write cut short never corrupts it.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use aliapi_emulator::state::{self, State};
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
        !state::temp_path(&file).exists(),
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
    let mut good = State::default();
    good.new_id("cen");
    good.cens.insert(
        "cen-1".into(),
        state::Cen {
            id: "cen-1".into(),
            name: "survivor".into(),
            ..Default::default()
        },
    );
    state::save(&file, &good).unwrap();

    // A crash in the middle of the next save: the temp file holds half a
    // document and the rename never happened.
    let mut next = good.clone();
    next.cens.clear();
    let bytes = serde_json::to_vec_pretty(&next).unwrap();
    std::fs::write(state::temp_path(&file), &bytes[..bytes.len() / 2]).unwrap();

    let loaded = state::load(&file).unwrap();
    assert_eq!(loaded, good);
    // The emulator starts from it too, and its next save replaces the
    // stale temp file.
    let svc = Emulator::builder()
        .state_file(&file)
        .build_service()
        .unwrap();
    assert_eq!(svc.state(), good);
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
    assert!(!state::temp_path(&file).exists());
    assert_eq!(state::load(&file).unwrap().cens.len(), 2);
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
    // A missing file is simply an empty state.
    let fresh = Emulator::builder()
        .state_file(dir.join("absent.json"))
        .build_service()
        .unwrap();
    assert_eq!(fresh.state(), State::default());
    let _ = std::fs::remove_dir_all(&dir);
}
