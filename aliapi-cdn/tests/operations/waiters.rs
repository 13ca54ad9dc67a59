//! Every generated waiter against the emulator: the state waited for, the
//! failure state, and the deadline. The emulator's states move by its manual
//! clock only, so a waiter sees the transitional state first, the test moves
//! the clock, and the next poll sees where the resource ended; nothing
//! sleeps longer than a waiter's few milliseconds between polls.

use std::time::Duration;

use aliapi_cdn::waiters;
use aliapi_cdn::{AddCdnDomain, DeleteCdnDomain, StopCdnDomain};
use aliapi_core::waiter::{Observed, WaitError, WaitState, Waiter};
use aliapi_core::{Client, Credentials, RpcAction};
use aliapi_emulator::{
    DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator, RunningEmulator,
};
use futures_util::StreamExt;

/// The emulator's settle time; its clock is moved, never waited for.
const SETTLE: Duration = Duration::from_secs(100);

const SOURCES: &str = r#"[{"content":"1.1.1.1","type":"ipaddr"}]"#;

struct Cloud {
    emulator: RunningEmulator,
    client: Client,
}

impl Cloud {
    async fn new() -> Cloud {
        let emulator = Emulator::builder()
            .settle_time(SETTLE)
            .manual_clock()
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
        Cloud { emulator, client }
    }

    async fn send<A: RpcAction>(&self, request: A) -> A::Response {
        self.client.send(&request).await.expect("the call succeeds")
    }

    /// Adds a domain; it is `checking` until the clock moves.
    async fn add(&self, name: &str) {
        self.send(AddCdnDomain::new("web", name, SOURCES)).await;
    }

    /// Adds a domain and lets it go online.
    async fn online(&self, name: &str) {
        self.add(name).await;
        self.emulator.advance(SETTLE);
    }
}

type Ending<R> = Result<Observed<R>, WaitError<R>>;

/// Polls fast, with a deadline no test reaches unless it means to.
fn fast<A: RpcAction + Clone>(waiter: Waiter<A>) -> Waiter<A>
where
    A::Response: Clone + std::fmt::Debug,
{
    waiter
        .min_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(2))
        .timeout(Duration::from_secs(60))
}

/// Polls fast, until a deadline a few polls away.
fn short<A: RpcAction + Clone>(waiter: Waiter<A>) -> Waiter<A>
where
    A::Response: Clone + std::fmt::Debug,
{
    fast(waiter).timeout(Duration::from_millis(40))
}

/// Polls once (the resource is in between), moves the clock by a settle
/// time, and returns how the wait ends.
async fn across_a_settle<A: RpcAction + Clone>(
    cloud: &Cloud,
    waiter: Waiter<A>,
) -> Ending<A::Response>
where
    A::Response: Clone + std::fmt::Debug,
{
    let mut seen = std::pin::pin!(fast(waiter).observe());
    let first = seen.next().await.expect("a first poll").expect("not final");
    assert_eq!(first.state, WaitState::Retry, "{:?}", first.answer);
    cloud.emulator.advance(SETTLE);
    let mut last = None;
    while let Some(step) = seen.next().await {
        match step {
            Ok(o) if o.state == WaitState::Retry => continue,
            Ok(o) => last = Some(Ok(o)),
            Err(e) => return Err(e),
        }
    }
    last.expect("the stream ends after a success")
}

#[track_caller]
fn succeeded<R: std::fmt::Debug>(ending: Ending<R>) {
    match ending {
        Ok(o) => assert_eq!(o.state, WaitState::Success),
        Err(e) => panic!("expected a success: {e}"),
    }
}

#[track_caller]
fn failed<R: std::fmt::Debug>(ending: Ending<R>) {
    match ending {
        Err(WaitError::Failed { last }) => assert_eq!(last.state, WaitState::Failure),
        other => panic!("expected a failure state: {other:?}"),
    }
}

#[track_caller]
fn timed_out<R: std::fmt::Debug>(ending: Ending<R>) {
    match ending {
        Err(WaitError::TimedOut { polls, .. }) => assert!(polls >= 1),
        other => panic!("expected the deadline: {other:?}"),
    }
}

#[tokio::test]
async fn domain_online_succeeds_fails_and_times_out() {
    let cloud = Cloud::new().await;
    let c = &cloud.client;
    cloud.add("ok.example.com").await;
    succeeded(across_a_settle(&cloud, waiters::domain_online(c, "ok.example.com")).await);

    cloud.add("fail-config.example.com").await;
    let ending =
        across_a_settle(&cloud, waiters::domain_online(c, "fail-config.example.com")).await;
    failed(ending);
    // Gone is a failure too.
    failed(
        fast(waiters::domain_online(c, "none.example.com"))
            .wait()
            .await,
    );

    cloud.add("slow.example.com").await;
    timed_out(
        short(waiters::domain_online(c, "slow.example.com"))
            .wait()
            .await,
    );
}

#[tokio::test]
async fn domain_offline_succeeds_fails_and_times_out() {
    let cloud = Cloud::new().await;
    let c = &cloud.client;
    cloud.online("ok.example.com").await;
    cloud.send(StopCdnDomain::new("ok.example.com")).await;
    succeeded(across_a_settle(&cloud, waiters::domain_offline(c, "ok.example.com")).await);

    cloud.add("fail-config.example.com").await;
    let ending = across_a_settle(
        &cloud,
        waiters::domain_offline(c, "fail-config.example.com"),
    )
    .await;
    failed(ending);
    failed(
        fast(waiters::domain_offline(c, "none.example.com"))
            .wait()
            .await,
    );

    cloud.online("slow.example.com").await;
    cloud.send(StopCdnDomain::new("slow.example.com")).await;
    timed_out(
        short(waiters::domain_offline(c, "slow.example.com"))
            .wait()
            .await,
    );
}

#[tokio::test]
async fn domain_deleted_succeeds_fails_and_times_out() {
    let cloud = Cloud::new().await;
    let c = &cloud.client;
    cloud.online("ok.example.com").await;
    cloud.send(DeleteCdnDomain::new("ok.example.com")).await;
    let ending = across_a_settle(&cloud, waiters::domain_deleted(c, "ok.example.com")).await;
    let gone = ending
        .expect("gone")
        .into_answer()
        .expect_err("answered NotFound");
    assert!(gone.is("InvalidDomain.NotFound"), "{gone}");

    // Still online: the delete did not take.
    cloud.online("kept.example.com").await;
    failed(
        fast(waiters::domain_deleted(c, "kept.example.com"))
            .wait()
            .await,
    );

    cloud.online("slow.example.com").await;
    cloud.send(DeleteCdnDomain::new("slow.example.com")).await;
    timed_out(
        short(waiters::domain_deleted(c, "slow.example.com"))
            .wait()
            .await,
    );
}

#[test]
fn waiters_start_with_the_documented_defaults() {
    let client = Client::builder()
        .credentials(Credentials::new("id", "secret"))
        .build()
        .unwrap();
    let text = format!("{:?}", waiters::domain_online(&client, "example.com"));
    assert!(text.contains("min_delay: 2s"), "{text}");
    assert!(text.contains("max_delay: 30s"), "{text}");
    assert!(text.contains("timeout: 600s"), "{text}");
}
