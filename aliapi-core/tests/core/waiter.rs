//! The waiter against a loopback server whose resource moves through a
//! scripted sequence of states: success, a failure state, success on an
//! error answer, the deadline with the last state in the error, and the
//! stream of observations. Delays are milliseconds: nothing here waits for
//! real time to pass beyond a few of them.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::{KEY_ID, SECRET, start};
use aliapi_core::waiter::{WaitError, WaitState, Waiter};
use aliapi_core::{Client, Credentials, Error, rpc_action};
use futures_util::StreamExt;

#[rpc_action(product = "Cdn", version = "2018-05-10", method = "GET")]
#[derive(Debug, Clone)]
pub struct DescribeThing {
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DescribeThingResponse {
    pub status: Option<String>,
}

/// A server answering the states of `script` in turn, the last forever; a
/// state `404` answers `InvalidThing.NotFound`.
async fn scripted(script: &'static [&'static str]) -> (crate::support::Server, Arc<AtomicUsize>) {
    let polls = Arc::new(AtomicUsize::new(0));
    let n = polls.clone();
    let server = start(Arc::new(move |_| {
        let i = n.fetch_add(1, Ordering::SeqCst).min(script.len() - 1);
        match script[i] {
            "404" => (
                404,
                "application/json",
                r#"{"RequestId":"R","Code":"InvalidThing.NotFound","Message":"gone"}"#.into(),
            ),
            state => (
                200,
                "application/json",
                format!(r#"{{"RequestId":"R","Status":"{state}"}}"#),
            ),
        }
    }))
    .await;
    (server, polls)
}

fn client(server: &crate::support::Server) -> Client {
    Client::builder()
        .credentials(Credentials::new(KEY_ID, SECRET))
        .endpoint_url(format!("http://{}", server.addr))
        .build()
        .unwrap()
}

fn online(answer: Result<&DescribeThingResponse, &Error>) -> WaitState {
    match answer {
        Ok(r) => match r.status.as_deref() {
            Some("online") => WaitState::Success,
            Some("failed") => WaitState::Failure,
            _ => WaitState::Retry,
        },
        Err(e) if e.is("InvalidThing.NotFound") => WaitState::Failure,
        Err(_) => WaitState::Retry,
    }
}

fn quick(waiter: Waiter<DescribeThing>) -> Waiter<DescribeThing> {
    waiter
        .min_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(4))
}

#[tokio::test]
async fn waits_until_success() {
    let (server, polls) = scripted(&["configuring", "configuring", "online"]).await;
    let waiter = Waiter::new(&client(&server), DescribeThing::new("a"), online);
    let done = quick(waiter).wait().await.unwrap();
    assert_eq!(done.poll, 3);
    assert_eq!(done.state, WaitState::Success);
    assert_eq!(
        done.into_answer().unwrap().status.as_deref(),
        Some("online")
    );
    assert_eq!(polls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_failure_state_ends_the_wait_with_it() {
    let (server, polls) = scripted(&["configuring", "failed", "online"]).await;
    let waiter = Waiter::new(&client(&server), DescribeThing::new("a"), online);
    let e = quick(waiter).wait().await.unwrap_err();
    let WaitError::Failed { last } = &e else {
        panic!("{e:?}");
    };
    assert_eq!(last.poll, 2);
    assert_eq!(
        e.last().unwrap().answer.as_ref().unwrap().status.as_deref(),
        Some("failed")
    );
    // The message is short: when, and where the answer is, not all of it.
    assert_eq!(
        e.to_string(),
        "the wait ended in a failure state at poll 2 (the last answer is in `WaitError::last`)"
    );
    assert!(std::error::Error::source(&e).is_none());
    assert_eq!(polls.load(Ordering::SeqCst), 2, "no poll after the failure");
}

#[tokio::test]
async fn an_error_answer_can_be_the_success() {
    let (server, _) = scripted(&["deleting", "404"]).await;
    let gone = |answer: Result<&DescribeThingResponse, &Error>| match answer {
        Err(e) if e.is("InvalidThing.NotFound") => WaitState::Success,
        Err(_) => WaitState::Failure,
        Ok(_) => WaitState::Retry,
    };
    let waiter = Waiter::new(&client(&server), DescribeThing::new("a"), gone);
    let done = quick(waiter).wait().await.unwrap();
    assert!(done.into_answer().unwrap_err().is("InvalidThing.NotFound"));
}

#[tokio::test]
async fn a_failed_call_that_ends_the_wait_is_its_message_and_its_source() {
    let (server, _) = scripted(&["deleting", "404"]).await;
    let waiter = Waiter::new(&client(&server), DescribeThing::new("a"), online);
    let e = quick(waiter).wait().await.unwrap_err();
    let shown = e.to_string();
    assert!(
        shown.starts_with("the wait ended in a failure state at poll 2; the last call failed: "),
        "{shown}"
    );
    assert!(shown.contains("InvalidThing.NotFound"), "{shown}");
    let source = std::error::Error::source(&e).expect("the call's error");
    let source = source.downcast_ref::<Error>().expect("an aliapi Error");
    assert!(source.is("InvalidThing.NotFound"), "{source}");
}

#[tokio::test(start_paused = true)]
async fn the_deadline_ends_the_wait_with_the_last_state() {
    let (server, polls) = scripted(&["configuring"]).await;
    let waiter = Waiter::new(&client(&server), DescribeThing::new("a"), online)
        .min_delay(Duration::from_secs(2))
        .max_delay(Duration::from_secs(8))
        .timeout(Duration::from_secs(60));
    // Tokio's clock is paused: the waiter's sleeps pass without waiting.
    let started = tokio::time::Instant::now();
    let e = waiter.wait().await.unwrap_err();
    let WaitError::TimedOut {
        last,
        elapsed,
        polls: made,
    } = &e
    else {
        panic!("{e:?}");
    };
    assert!(*elapsed >= Duration::from_secs(60) && started.elapsed() >= Duration::from_secs(60));
    assert_eq!(*made as usize, polls.load(Ordering::SeqCst));
    // At least one poll per 8 s, after the backoff grows from 2 s.
    assert!((8..=31).contains(made), "{made} polls");
    let last = last.as_ref().expect("a poll finished");
    assert_eq!(
        last.answer.as_ref().unwrap().status.as_deref(),
        Some("configuring")
    );
    assert!(e.to_string().contains("timed out"), "{e}");
}

#[tokio::test]
async fn every_state_is_observed_in_order() {
    let (server, _) = scripted(&["queued", "configuring", "online"]).await;
    let waiter = Waiter::new(&client(&server), DescribeThing::new("a"), online);
    let seen: Vec<_> = quick(waiter).observe().collect().await;
    let states: Vec<String> = seen
        .iter()
        .map(|s| {
            let s = s.as_ref().unwrap();
            format!(
                "{}:{:?}:{}",
                s.poll,
                s.state,
                s.answer.as_ref().unwrap().status.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        states,
        ["1:Retry:queued", "2:Retry:configuring", "3:Success:online"]
    );
}
