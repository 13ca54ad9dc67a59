//! Every generated waiter against the emulator: the state waited for, the
//! failure state, and the deadline. The emulator's states move by its manual
//! clock only, so a waiter sees the transitional state first, the test moves
//! the clock, and the next poll sees where the resource ended; nothing
//! sleeps longer than a waiter's few milliseconds between polls. The setup
//! calls are untyped (the names and params of `specs/waiters.md`); the
//! waiters are the generated ones.

use std::time::Duration;

use aliapi_cen::waiters;
use aliapi_core::waiter::{Observed, WaitError, WaitState, Waiter};
use aliapi_core::{Client, Credentials, GenericRequest, RpcAction};
use aliapi_emulator::{
    DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator, RunningEmulator,
};
use futures_util::StreamExt;
use serde_json::Value;

/// The emulator's settle time; its clock is moved, never waited for.
const SETTLE: Duration = Duration::from_secs(100);

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

    async fn ok(&self, action: &str, params: &[(&str, &str)]) -> Value {
        let mut request = GenericRequest::new("Cbn", "2017-09-12", action);
        for (k, v) in params {
            request = request.param(k, v);
        }
        match self.client.call(&request).await {
            Ok(v) => v,
            Err(e) => panic!("{action}: {e}"),
        }
    }

    async fn id(&self, action: &str, params: &[(&str, &str)], key: &str) -> String {
        self.ok(action, params).await[key]
            .as_str()
            .unwrap_or_else(|| panic!("{action} gives {key}"))
            .to_owned()
    }

    fn settle(&self) {
        self.emulator.advance(SETTLE);
    }

    /// A new CEN instance named `name`, `Creating` until the clock moves.
    async fn cen(&self, name: &str) -> String {
        self.id("CreateCen", &[("Name", name)], "CenId").await
    }

    async fn active_cen(&self) -> String {
        let id = self.cen("net").await;
        self.settle();
        id
    }

    /// A new transit router of `cen` in `region`, `Creating`.
    async fn router(&self, cen: &str, region: &str, name: &str) -> String {
        let params = [
            ("CenId", cen),
            ("RegionId", region),
            ("TransitRouterName", name),
        ];
        self.id("CreateTransitRouter", &params, "TransitRouterId")
            .await
    }

    /// An active transit router of a new active CEN instance, and the
    /// instance.
    async fn active_router(&self) -> (String, String) {
        let cen = self.active_cen().await;
        let tr = self.router(&cen, "cn-hangzhou", "tr").await;
        self.settle();
        (cen, tr)
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
    cloud.settle();
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
fn succeeded<R: std::fmt::Debug>(what: &str, ending: Ending<R>) {
    match ending {
        Ok(o) => assert_eq!(o.state, WaitState::Success, "{what}"),
        Err(e) => panic!("{what}: expected a success: {e}"),
    }
}

#[track_caller]
fn failed<R: std::fmt::Debug>(what: &str, ending: Ending<R>) {
    match ending {
        Err(WaitError::Failed { last }) => assert_eq!(last.state, WaitState::Failure, "{what}"),
        other => panic!("{what}: expected a failure state: {other:?}"),
    }
}

#[track_caller]
fn timed_out<R: std::fmt::Debug>(what: &str, ending: Ending<R>) {
    match ending {
        Err(WaitError::TimedOut { .. }) => {}
        other => panic!("{what}: expected the deadline: {other:?}"),
    }
}

#[tokio::test]
async fn cen_waiters() {
    let cloud = Cloud::new().await;
    let c = &cloud.client;
    let id = cloud.cen("net").await;
    succeeded(
        "active",
        across_a_settle(&cloud, waiters::cen_active(c, &id)).await,
    );
    // Active, so not deleted.
    failed("deleted", fast(waiters::cen_deleted(c, &id)).wait().await);
    cloud.ok("DeleteCen", &[("CenId", &id)]).await;
    // Deleting, so neither active (a failure) nor gone yet.
    failed("active", fast(waiters::cen_active(c, &id)).wait().await);
    timed_out("deleted", short(waiters::cen_deleted(c, &id)).wait().await);
    succeeded(
        "deleted",
        across_a_settle(&cloud, waiters::cen_deleted(c, &id)).await,
    );
    // Gone, so never active.
    failed("active", fast(waiters::cen_active(c, &id)).wait().await);

    let failing = cloud.cen("fail-net").await;
    failed(
        "active",
        across_a_settle(&cloud, waiters::cen_active(c, &failing)).await,
    );
    let slow = cloud.cen("slow").await;
    timed_out("active", short(waiters::cen_active(c, &slow)).wait().await);
}

#[tokio::test]
async fn child_instance_waiters() {
    let cloud = Cloud::new().await;
    let c = &cloud.client;
    let cen = cloud.active_cen().await;
    let call = async |action: &str, id: &str| {
        let params = [
            ("CenId", cen.as_str()),
            ("ChildInstanceId", id),
            ("ChildInstanceRegionId", "cn-hangzhou"),
            ("ChildInstanceType", "VPC"),
        ];
        cloud.ok(action, &params).await;
    };
    let attached = |id: &str| waiters::child_instance_attached(c, &cen, id, "cn-hangzhou", "VPC");
    let detached = |id: &str| waiters::child_instance_detached(c, &cen, id, "cn-hangzhou", "VPC");

    call("AttachCenChildInstance", "vpc-1").await;
    timed_out("attached", short(attached("vpc-1")).wait().await);
    succeeded("attached", across_a_settle(&cloud, attached("vpc-1")).await);
    failed("detached", fast(detached("vpc-1")).wait().await);
    call("DetachCenChildInstance", "vpc-1").await;
    failed("attached", fast(attached("vpc-1")).wait().await);
    timed_out("detached", short(detached("vpc-1")).wait().await);
    let ending = across_a_settle(&cloud, detached("vpc-1")).await;
    let gone = ending
        .expect("gone")
        .into_answer()
        .expect_err("answered NotFound");
    assert!(gone.is("InvalidChildInstanceId.NotFound"), "{gone}");
    failed("attached", fast(attached("vpc-1")).wait().await);

    call("AttachCenChildInstance", "fail-vpc").await;
    failed(
        "attached",
        across_a_settle(&cloud, attached("fail-vpc")).await,
    );
}

#[tokio::test]
async fn transit_router_waiters() {
    let cloud = Cloud::new().await;
    let c = &cloud.client;
    let cen = cloud.active_cen().await;
    let tr = cloud.router(&cen, "cn-hangzhou", "tr").await;
    timed_out(
        "active",
        short(waiters::transit_router_active(c, &cen, &tr))
            .wait()
            .await,
    );
    succeeded(
        "active",
        across_a_settle(&cloud, waiters::transit_router_active(c, &cen, &tr)).await,
    );
    failed(
        "deleted",
        fast(waiters::transit_router_deleted(c, &cen, &tr))
            .wait()
            .await,
    );
    cloud
        .ok("DeleteTransitRouter", &[("TransitRouterId", &tr)])
        .await;
    failed(
        "active",
        fast(waiters::transit_router_active(c, &cen, &tr))
            .wait()
            .await,
    );
    timed_out(
        "deleted",
        short(waiters::transit_router_deleted(c, &cen, &tr))
            .wait()
            .await,
    );
    succeeded(
        "deleted",
        across_a_settle(&cloud, waiters::transit_router_deleted(c, &cen, &tr)).await,
    );
    failed(
        "active",
        fast(waiters::transit_router_active(c, &cen, &tr))
            .wait()
            .await,
    );

    let failing = cloud.router(&cen, "cn-shanghai", "fail-tr").await;
    failed(
        "active",
        across_a_settle(&cloud, waiters::transit_router_active(c, &cen, &failing)).await,
    );
}

/// One attachment kind: how to make one, how to delete it, its waiters.
struct Kind<A: RpcAction, D: RpcAction> {
    create: &'static str,
    delete: &'static str,
    extra: &'static [(&'static str, &'static str)],
    attached: fn(&Client, String) -> Waiter<A>,
    deleted: fn(&Client, String) -> Waiter<D>,
}

/// Both waiters of one attachment kind: success, failure and deadline.
async fn attachment_waiters<A, D>(kind: Kind<A, D>)
where
    A: RpcAction + Clone,
    A::Response: Clone + std::fmt::Debug,
    D: RpcAction + Clone,
    D::Response: Clone + std::fmt::Debug,
{
    let cloud = Cloud::new().await;
    let c = &cloud.client;
    let (cen, tr) = cloud.active_router().await;
    let peer = cloud.router(&cen, "cn-shanghai", "peer").await;
    cloud.settle();
    let attach = async |name: &str| {
        let mut params = vec![
            ("TransitRouterId", tr.as_str()),
            ("TransitRouterAttachmentName", name),
        ];
        params.extend_from_slice(kind.extra);
        if kind.extra.is_empty() {
            params.push(("PeerTransitRouterId", peer.as_str()));
        }
        cloud
            .id(kind.create, &params, "TransitRouterAttachmentId")
            .await
    };
    let what = kind.create;
    let attached = |id: &str| (kind.attached)(c, id.to_owned());
    let deleted = |id: &str| (kind.deleted)(c, id.to_owned());

    let id = attach("link").await;
    timed_out(what, short(attached(&id)).wait().await);
    succeeded(what, across_a_settle(&cloud, attached(&id)).await);
    failed(what, fast(deleted(&id)).wait().await);
    cloud
        .ok(kind.delete, &[("TransitRouterAttachmentId", &id)])
        .await;
    failed(what, fast(attached(&id)).wait().await);
    timed_out(what, short(deleted(&id)).wait().await);
    succeeded(what, across_a_settle(&cloud, deleted(&id)).await);
    failed(what, fast(attached(&id)).wait().await);

    let failing = attach("fail-link").await;
    failed(what, across_a_settle(&cloud, attached(&failing)).await);
}

#[tokio::test]
async fn vpc_attachment_waiters() {
    attachment_waiters(Kind {
        create: "CreateTransitRouterVpcAttachment",
        delete: "DeleteTransitRouterVpcAttachment",
        extra: &[
            ("VpcId", "vpc-1"),
            ("ZoneMappings.1.ZoneId", "cn-hangzhou-h"),
            ("ZoneMappings.1.VSwitchId", "vsw-1"),
        ],
        attached: |c, id| waiters::vpc_attachment_attached(c, id),
        deleted: |c, id| waiters::vpc_attachment_deleted(c, id),
    })
    .await;
}

#[tokio::test]
async fn vbr_attachment_waiters() {
    attachment_waiters(Kind {
        create: "CreateTransitRouterVbrAttachment",
        delete: "DeleteTransitRouterVbrAttachment",
        extra: &[("VbrId", "vbr-1")],
        attached: |c, id| waiters::vbr_attachment_attached(c, id),
        deleted: |c, id| waiters::vbr_attachment_deleted(c, id),
    })
    .await;
}

#[tokio::test]
async fn peer_attachment_waiters() {
    attachment_waiters(Kind {
        create: "CreateTransitRouterPeerAttachment",
        delete: "DeleteTransitRouterPeerAttachment",
        // The peer is added by the harness: it must exist.
        extra: &[],
        attached: |c, id| waiters::peer_attachment_attached(c, id),
        deleted: |c, id| waiters::peer_attachment_deleted(c, id),
    })
    .await;
}

#[tokio::test]
async fn vpn_attachment_waiters() {
    attachment_waiters(Kind {
        create: "CreateTransitRouterVpnAttachment",
        delete: "DeleteTransitRouterVpnAttachment",
        extra: &[("VpnId", "vco-1")],
        attached: |c, id| waiters::vpn_attachment_attached(c, id),
        deleted: |c, id| waiters::vpn_attachment_deleted(c, id),
    })
    .await;
}

#[tokio::test]
async fn ecr_attachment_waiters() {
    attachment_waiters(Kind {
        create: "CreateTransitRouterEcrAttachment",
        delete: "DeleteTransitRouterEcrAttachment",
        extra: &[("EcrId", "ecr-1")],
        attached: |c, id| waiters::ecr_attachment_attached(c, id),
        deleted: |c, id| waiters::ecr_attachment_deleted(c, id),
    })
    .await;
}

#[tokio::test]
async fn route_table_waiters() {
    let cloud = Cloud::new().await;
    let c = &cloud.client;
    let (_, tr) = cloud.active_router().await;
    let table = async |name: &str| {
        let params = [
            ("TransitRouterId", tr.as_str()),
            ("TransitRouterRouteTableName", name),
        ];
        cloud
            .id(
                "CreateTransitRouterRouteTable",
                &params,
                "TransitRouterRouteTableId",
            )
            .await
    };
    let active = |id: &str| waiters::route_table_active(c, &tr, id);
    let deleted = |id: &str| waiters::route_table_deleted(c, &tr, id);

    let id = table("custom").await;
    timed_out("active", short(active(&id)).wait().await);
    succeeded("active", across_a_settle(&cloud, active(&id)).await);
    failed("deleted", fast(deleted(&id)).wait().await);
    cloud
        .ok(
            "DeleteTransitRouterRouteTable",
            &[("TransitRouterRouteTableId", &id)],
        )
        .await;
    failed("active", fast(active(&id)).wait().await);
    timed_out("deleted", short(deleted(&id)).wait().await);
    succeeded("deleted", across_a_settle(&cloud, deleted(&id)).await);
    failed("active", fast(active(&id)).wait().await);

    let failing = table("fail-table").await;
    failed("active", across_a_settle(&cloud, active(&failing)).await);
}

#[tokio::test]
async fn bandwidth_package_waiters() {
    // Packages change at once: no state between, and no settle.
    let cloud = Cloud::new().await;
    let c = &cloud.client;
    let cen = cloud.active_cen().await;
    let create = [
        ("Bandwidth", "10"),
        ("GeographicRegionAId", "China"),
        ("GeographicRegionBId", "China"),
    ];
    let id = cloud
        .id(
            "CreateCenBandwidthPackage",
            &create,
            "CenBandwidthPackageId",
        )
        .await;
    let pair = [
        ("CenId", cen.as_str()),
        ("CenBandwidthPackageId", id.as_str()),
    ];

    succeeded(
        "idle",
        fast(waiters::bandwidth_package_idle(c, &id)).wait().await,
    );
    timed_out(
        "in use",
        short(waiters::bandwidth_package_in_use(c, &id))
            .wait()
            .await,
    );
    failed(
        "deleted",
        fast(waiters::bandwidth_package_deleted(c, &id))
            .wait()
            .await,
    );
    cloud.ok("AssociateCenBandwidthPackage", &pair).await;
    succeeded(
        "in use",
        fast(waiters::bandwidth_package_in_use(c, &id)).wait().await,
    );
    timed_out(
        "idle",
        short(waiters::bandwidth_package_idle(c, &id)).wait().await,
    );
    failed(
        "deleted",
        fast(waiters::bandwidth_package_deleted(c, &id))
            .wait()
            .await,
    );
    cloud.ok("UnassociateCenBandwidthPackage", &pair).await;
    cloud
        .ok(
            "DeleteCenBandwidthPackage",
            &[("CenBandwidthPackageId", &id)],
        )
        .await;
    succeeded(
        "deleted",
        fast(waiters::bandwidth_package_deleted(c, &id))
            .wait()
            .await,
    );
    failed(
        "idle",
        fast(waiters::bandwidth_package_idle(c, &id)).wait().await,
    );
    failed(
        "in use",
        fast(waiters::bandwidth_package_in_use(c, &id)).wait().await,
    );
    // No state in between to wait through: the deadline ends the wait even
    // before the first answer.
    let ending = fast(waiters::bandwidth_package_deleted(c, &id))
        .timeout(Duration::ZERO)
        .wait()
        .await;
    timed_out("deleted", ending);
}
