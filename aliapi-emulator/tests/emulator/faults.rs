//! Fault injection: shares, reproducibility from the seed, latency and
//! broken connections.

use crate::common;

use std::time::{Duration, Instant};

use aliapi_emulator::cen::CenState;
use aliapi_emulator::{Emulator, FaultConfig};
use common::*;

/// Sends `n` requests one after another and records what came back:
/// `200`, an error code, or `cut` for a broken answer.
async fn outcomes(seed: u64, n: usize) -> Vec<String> {
    let emu = Emulator::builder()
        .faults(FaultConfig::uniform(0.6, seed))
        .start()
        .await
        .unwrap();
    let client = http_client();
    let mut out = Vec::new();
    for _ in 0..n {
        let pairs = signed(
            &Signer::default(),
            aliapi_core::Method::Get,
            CDN,
            "DescribeRefreshQuota",
            &[],
        );
        let sent = client
            .get(format!("{}/?{}", emu.url(), encode(&pairs)))
            .send()
            .await;
        let outcome = match sent {
            Err(_) => "cut".to_owned(),
            Ok(resp) => {
                let status = resp.status().as_u16();
                match resp.text().await {
                    Err(_) => "cut".to_owned(),
                    Ok(text) => {
                        let v: serde_json::Value =
                            serde_json::from_str(&text).expect("whole answers are JSON");
                        assert!(v["RequestId"].is_string());
                        match v["Code"].as_str() {
                            Some(code) => {
                                let want = if code == "ServiceUnavailable" {
                                    503
                                } else {
                                    400
                                };
                                assert_eq!(status, want, "{code}");
                                code.to_owned()
                            }
                            None => status.to_string(),
                        }
                    }
                }
            }
        };
        out.push(outcome);
    }
    emu.shutdown().await;
    out
}

#[tokio::test]
async fn faults_follow_the_seed() {
    let a = outcomes(7, 60).await;
    let b = outcomes(7, 60).await;
    assert_eq!(a, b, "same seed, same faults");
    for kind in ["200", "Throttling.User", "ServiceUnavailable", "cut"] {
        assert!(
            a.iter().any(|o| o == kind),
            "{kind} never happened in {a:?}"
        );
    }
    let c = outcomes(8, 60).await;
    assert_ne!(a, c, "another seed, other faults");
}

#[tokio::test]
async fn latency_is_added() {
    let emu = Emulator::builder()
        .faults(FaultConfig {
            latency: Duration::from_millis(150),
            ..FaultConfig::none()
        })
        .start()
        .await
        .unwrap();
    let api = Api::new(emu.url());
    let started = Instant::now();
    api.cdn("DescribeRefreshQuota", &[]).await.assert_ok();
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn a_cut_answer_still_changed_the_state() {
    let emu = Emulator::builder()
        .faults(FaultConfig {
            disconnect_rate: 1.0,
            ..FaultConfig::none()
        })
        .start()
        .await
        .unwrap();
    let client = http_client();
    let pairs = signed(
        &Signer::default(),
        aliapi_core::Method::Get,
        CBN,
        "CreateCen",
        &[("Name", "ghost")],
    );
    let sent = client
        .get(format!("{}/?{}", emu.url(), encode(&pairs)))
        .send()
        .await;
    let broken = match sent {
        Err(_) => true,
        Ok(resp) => resp.text().await.is_err(),
    };
    assert!(broken, "the answer should have been cut off");
    assert_eq!(emu.service().state::<CenState>().unwrap().cens.len(), 1);
}
