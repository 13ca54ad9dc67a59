//! Every resource family moves through the states `specs/waiters.md`
//! names, by a state clock the tests move: each transition, the failure
//! path of the `fail-` names, gone after delete (as the waiters' poll
//! sees it), and a change under way surviving a restart through the
//! state file. Nothing here sleeps.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use aliapi_core::Method;
use aliapi_emulator::{Emulator, EmulatorBuilder, Service};
use common::*;
use serde_json::Value;

/// The settle time of these tests; the clock is moved, never waited for.
const SETTLE: Duration = Duration::from_secs(100);

/// A service with a manual state clock, called directly.
struct Cloud {
    svc: Service,
}

impl Cloud {
    fn new() -> Cloud {
        Cloud::from(Emulator::builder())
    }

    fn from(builder: EmulatorBuilder) -> Cloud {
        let svc = builder
            .settle_time(SETTLE)
            .manual_clock()
            .build_service()
            .expect("the service builds");
        assert!(svc.has_manual_clock());
        Cloud { svc }
    }

    fn with_state_file(path: &Path) -> Cloud {
        Cloud::from(Emulator::builder().state_file(path))
    }

    fn call(&self, version: &str, action: &str, params: &[(&str, &str)]) -> Got {
        let now = aliapi_emulator::clock::unix_now();
        let signer = Signer {
            now,
            ..Signer::default()
        };
        let pairs = signed(&signer, Method::Get, version, action, params);
        call_service(&self.svc, &pairs, now * 1000)
    }

    fn cdn(&self, action: &str, params: &[(&str, &str)]) -> Got {
        self.call(CDN, action, params)
    }

    fn cen(&self, action: &str, params: &[(&str, &str)]) -> Got {
        self.call(CBN, action, params)
    }

    fn ok(&self, version: &str, action: &str, params: &[(&str, &str)]) -> Value {
        self.call(version, action, params).assert_ok().clone()
    }

    fn advance(&self, by: Duration) {
        self.svc.advance(by);
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "aliapi-emulator-transitions-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const SOURCES: &str = r#"[{"content":"1.1.1.1","type":"ipaddr"}]"#;

// ----------------------------------------------------------------- CDN

/// The domain's status as `DescribeCdnDomainDetail` shows it, or `gone`.
fn domain(cloud: &Cloud, name: &str) -> String {
    let got = cloud.cdn("DescribeCdnDomainDetail", &[("DomainName", name)]);
    if got.status != 200 {
        got.assert_documented(
            Product::Cdn,
            "DescribeCdnDomainDetail",
            "InvalidDomain.NotFound",
        );
        return "gone".into();
    }
    got.body["GetDomainDetailModel"]["DomainStatus"]
        .as_str()
        .expect("a status")
        .to_owned()
}

fn add_domain(cloud: &Cloud, name: &str) {
    cloud.ok(
        CDN,
        "AddCdnDomain",
        &[
            ("DomainName", name),
            ("CdnType", "web"),
            ("Sources", SOURCES),
        ],
    );
}

#[test]
fn a_domain_is_checked_configured_stopped_started_and_deleted() {
    let cloud = Cloud::new();
    let name = "www.example.com";
    add_domain(&cloud, name);
    assert_eq!(domain(&cloud, name), "checking");
    cloud.advance(SETTLE / 2 - Duration::from_millis(1));
    assert_eq!(domain(&cloud, name), "checking");
    cloud.advance(Duration::from_millis(1));
    assert_eq!(domain(&cloud, name), "configuring");
    cloud.advance(SETTLE / 2);
    assert_eq!(domain(&cloud, name), "online");

    cloud.ok(CDN, "StopCdnDomain", &[("DomainName", name)]);
    assert_eq!(domain(&cloud, name), "stopping");
    cloud.advance(SETTLE);
    assert_eq!(domain(&cloud, name), "offline");

    cloud.ok(CDN, "StartCdnDomain", &[("DomainName", name)]);
    assert_eq!(domain(&cloud, name), "configuring");
    cloud.advance(SETTLE);
    assert_eq!(domain(&cloud, name), "online");

    cloud.ok(CDN, "DeleteCdnDomain", &[("DomainName", name)]);
    assert_eq!(domain(&cloud, name), "deleting");
    // Listed as deleting, too, until it is gone.
    let listed = cloud.ok(CDN, "DescribeUserDomains", &[("DomainStatus", "deleting")]);
    assert_eq!(listed["TotalCount"], 1);
    cloud.advance(SETTLE);
    assert_eq!(domain(&cloud, name), "gone");
    let listed = cloud.ok(CDN, "DescribeUserDomains", &[]);
    assert_eq!(listed["TotalCount"], 0);
}

#[test]
fn failing_domain_names_end_in_the_failure_states() {
    let cloud = Cloud::new();
    add_domain(&cloud, "fail-config.example.com");
    add_domain(&cloud, "fail-check.example.com");
    assert_eq!(domain(&cloud, "fail-config.example.com"), "checking");
    cloud.advance(SETTLE / 2);
    assert_eq!(domain(&cloud, "fail-config.example.com"), "configuring");
    assert_eq!(domain(&cloud, "fail-check.example.com"), "checking");
    cloud.advance(SETTLE / 2);
    assert_eq!(
        domain(&cloud, "fail-config.example.com"),
        "configure_failed"
    );
    assert_eq!(domain(&cloud, "fail-check.example.com"), "check_failed");
    // It stays failed, and a start fails again.
    cloud.advance(SETTLE * 10);
    assert_eq!(
        domain(&cloud, "fail-config.example.com"),
        "configure_failed"
    );
    cloud.ok(
        CDN,
        "StartCdnDomain",
        &[("DomainName", "fail-config.example.com")],
    );
    assert_eq!(domain(&cloud, "fail-config.example.com"), "configuring");
    cloud.advance(SETTLE);
    assert_eq!(
        domain(&cloud, "fail-config.example.com"),
        "configure_failed"
    );
    // A failed domain can still be stopped and deleted.
    cloud.ok(
        CDN,
        "StopCdnDomain",
        &[("DomainName", "fail-check.example.com")],
    );
    cloud.advance(SETTLE);
    assert_eq!(domain(&cloud, "fail-check.example.com"), "offline");
}

#[test]
fn a_domain_change_under_way_survives_a_restart() {
    let dir = temp_dir("domain");
    let file = dir.join("state.json");
    {
        let cloud = Cloud::with_state_file(&file);
        add_domain(&cloud, "keep.example.com");
        cloud.advance(SETTLE / 2);
        assert_eq!(domain(&cloud, "keep.example.com"), "configuring");
    }
    let cloud = Cloud::with_state_file(&file);
    assert_eq!(domain(&cloud, "keep.example.com"), "configuring");
    cloud.advance(SETTLE);
    assert_eq!(domain(&cloud, "keep.example.com"), "online");
    cloud.ok(
        CDN,
        "DeleteCdnDomain",
        &[("DomainName", "keep.example.com")],
    );
    drop(cloud);
    let cloud = Cloud::with_state_file(&file);
    assert_eq!(domain(&cloud, "keep.example.com"), "deleting");
    cloud.advance(SETTLE);
    assert_eq!(domain(&cloud, "keep.example.com"), "gone");
    let _ = std::fs::remove_dir_all(&dir);
}

// ----------------------------------------------------------------- CEN

/// The CEN instance's status as `DescribeCens` by id shows it, or `gone`
/// (an empty list).
fn cen(cloud: &Cloud, id: &str) -> String {
    let got = cloud.ok(
        CBN,
        "DescribeCens",
        &[("Filter.1.Key", "CenId"), ("Filter.1.Value.1", id)],
    );
    match got["Cens"]["Cen"].as_array().map(Vec::as_slice) {
        Some([]) => "gone".into(),
        Some([one]) => one["Status"].as_str().expect("a status").to_owned(),
        other => panic!("one CEN or none: {other:?}"),
    }
}

fn create_cen(cloud: &Cloud, name: &str) -> String {
    cloud.ok(CBN, "CreateCen", &[("Name", name)])["CenId"]
        .as_str()
        .expect("an id")
        .to_owned()
}

#[test]
fn a_cen_instance_is_created_and_deleted() {
    let cloud = Cloud::new();
    let id = create_cen(&cloud, "net");
    assert_eq!(cen(&cloud, &id), "Creating");
    cloud.advance(SETTLE);
    assert_eq!(cen(&cloud, &id), "Active");
    cloud.ok(CBN, "DeleteCen", &[("CenId", &id)]);
    assert_eq!(cen(&cloud, &id), "Deleting");
    // Being deleted, it takes no other change.
    cloud
        .cen("ModifyCenAttribute", &[("CenId", &id), ("Name", "x")])
        .assert_documented(
            Product::Cbn,
            "ModifyCenAttribute",
            "InvalidOperation.CenInstanceStatus",
        );
    cloud.ok(CBN, "DeleteCen", &[("CenId", &id)]);
    cloud.advance(SETTLE);
    assert_eq!(cen(&cloud, &id), "gone");
}

#[test]
fn a_failing_cen_instance_is_deleting_then_gone() {
    let cloud = Cloud::new();
    let id = create_cen(&cloud, "fail-net");
    assert_eq!(cen(&cloud, &id), "Creating");
    cloud.advance(SETTLE);
    assert_eq!(cen(&cloud, &id), "Deleting");
    cloud.advance(SETTLE);
    assert_eq!(cen(&cloud, &id), "gone");
}

/// A CEN instance that is active.
fn active_cen(cloud: &Cloud) -> String {
    let id = create_cen(cloud, "net");
    cloud.advance(SETTLE);
    id
}

/// The child's status as `DescribeCenAttachedChildInstanceAttribute`
/// shows it, or `gone` (`InvalidChildInstanceId.NotFound`).
fn child(cloud: &Cloud, child: &[(&str, &str)]) -> String {
    let action = "DescribeCenAttachedChildInstanceAttribute";
    let got = cloud.cen(action, child);
    if got.status != 200 {
        got.assert_documented(Product::Cbn, action, "InvalidChildInstanceId.NotFound");
        return "gone".into();
    }
    got.body["Status"].as_str().expect("a status").to_owned()
}

#[test]
fn a_network_instance_is_attached_and_detached() {
    let cloud = Cloud::new();
    let cen_id = active_cen(&cloud);
    let vpc = [
        ("CenId", cen_id.as_str()),
        ("ChildInstanceId", "vpc-1"),
        ("ChildInstanceRegionId", "cn-hangzhou"),
        ("ChildInstanceType", "VPC"),
    ];
    assert_eq!(child(&cloud, &vpc), "gone");
    cloud.ok(CBN, "AttachCenChildInstance", &vpc);
    assert_eq!(child(&cloud, &vpc), "Attaching");
    cloud.advance(SETTLE);
    assert_eq!(child(&cloud, &vpc), "Attached");
    let attr = cloud.ok(CBN, "DescribeCenAttachedChildInstanceAttribute", &vpc);
    assert_eq!(attr["ChildInstanceId"], "vpc-1");
    assert_eq!(attr["CenId"], cen_id.as_str());
    // Another region is another instance.
    let mut elsewhere = vpc;
    elsewhere[2].1 = "cn-beijing";
    assert_eq!(child(&cloud, &elsewhere), "gone");

    cloud.ok(CBN, "DetachCenChildInstance", &vpc);
    assert_eq!(child(&cloud, &vpc), "Detaching");
    cloud.ok(CBN, "DetachCenChildInstance", &vpc);
    cloud.advance(SETTLE);
    assert_eq!(child(&cloud, &vpc), "gone");
    // Nothing holds the CEN instance any more.
    cloud.ok(CBN, "DeleteCen", &[("CenId", &cen_id)]);
}

#[test]
fn a_failing_network_instance_detaches_then_goes() {
    let cloud = Cloud::new();
    let cen_id = active_cen(&cloud);
    let vpc = [
        ("CenId", cen_id.as_str()),
        ("ChildInstanceId", "fail-vpc"),
        ("ChildInstanceRegionId", "cn-hangzhou"),
        ("ChildInstanceType", "VPC"),
    ];
    cloud.ok(CBN, "AttachCenChildInstance", &vpc);
    assert_eq!(child(&cloud, &vpc), "Attaching");
    cloud.advance(SETTLE);
    assert_eq!(child(&cloud, &vpc), "Detaching");
    cloud.advance(SETTLE);
    assert_eq!(child(&cloud, &vpc), "gone");
}

// ------------------------------------------------------ transit routers

/// The transit router's status as `ListTransitRouters` by CEN and id
/// shows it, or `gone` (an empty list).
fn router(cloud: &Cloud, cen_id: &str, id: &str) -> String {
    let got = cloud.ok(
        CBN,
        "ListTransitRouters",
        &[("CenId", cen_id), ("TransitRouterId", id)],
    );
    match got["TransitRouters"].as_array().map(Vec::as_slice) {
        Some([]) => "gone".into(),
        Some([one]) => one["Status"].as_str().expect("a status").to_owned(),
        other => panic!("one transit router or none: {other:?}"),
    }
}

fn create_router(cloud: &Cloud, cen_id: &str, region: &str, name: &str) -> String {
    let got = cloud.ok(
        CBN,
        "CreateTransitRouter",
        &[
            ("CenId", cen_id),
            ("RegionId", region),
            ("TransitRouterName", name),
        ],
    );
    got["TransitRouterId"].as_str().expect("an id").to_owned()
}

#[test]
fn a_transit_router_is_created_and_deleted() {
    let cloud = Cloud::new();
    let cen_id = active_cen(&cloud);
    let id = create_router(&cloud, &cen_id, "cn-hangzhou", "tr-a");
    assert!(
        id.starts_with("tr-") && !id.starts_with("tr-attach-"),
        "{id}"
    );
    assert_eq!(router(&cloud, &cen_id, &id), "Creating");
    cloud.advance(SETTLE);
    assert_eq!(router(&cloud, &cen_id, &id), "Active");
    let listed = cloud.ok(CBN, "ListTransitRouters", &[("RegionId", "cn-hangzhou")]);
    let one = &listed["TransitRouters"][0];
    assert_eq!(one["TransitRouterName"], "tr-a");
    assert_eq!(one["CenId"], cen_id.as_str());
    assert!(
        one.get("ServiceMode").is_some(),
        "a field the official metadata adds"
    );

    // One per CEN instance and region.
    cloud
        .cen(
            "CreateTransitRouter",
            &[("CenId", &cen_id), ("RegionId", "cn-hangzhou")],
        )
        .assert_documented(
            Product::Cbn,
            "CreateTransitRouter",
            "InstanceExist.TransitRouterInstance",
        );
    // A CEN instance with a transit router cannot be deleted.
    cloud
        .cen("DeleteCen", &[("CenId", &cen_id)])
        .assert_err(400, "Forbidden.CenInstance.TransitRouterExists");

    cloud.ok(CBN, "DeleteTransitRouter", &[("TransitRouterId", &id)]);
    assert_eq!(router(&cloud, &cen_id, &id), "Deleting");
    cloud.ok(CBN, "DeleteTransitRouter", &[("TransitRouterId", &id)]);
    cloud.advance(SETTLE);
    assert_eq!(router(&cloud, &cen_id, &id), "gone");
    cloud
        .cen("DeleteTransitRouter", &[("TransitRouterId", &id)])
        .assert_documented(
            Product::Cbn,
            "DeleteTransitRouter",
            "InvalidTransitRouterId.NotFound",
        );
    cloud.ok(CBN, "DeleteCen", &[("CenId", &cen_id)]);
}

#[test]
fn transit_router_refusals_and_paging() {
    let cloud = Cloud::new();
    let cen_id = active_cen(&cloud);
    cloud.cen("ListTransitRouters", &[]).assert_documented(
        Product::Cbn,
        "ListTransitRouters",
        "InvalidParameterCombination.TransitRouter",
    );
    cloud
        .cen(
            "CreateTransitRouter",
            &[("CenId", "cen-none"), ("RegionId", "cn-hangzhou")],
        )
        .assert_documented(Product::Cbn, "CreateTransitRouter", "InvalidCenId.NotFound");
    let dry = [
        ("CenId", cen_id.as_str()),
        ("RegionId", "cn-hangzhou"),
        ("DryRun", "true"),
    ];
    cloud.cen("CreateTransitRouter", &dry).assert_documented(
        Product::Cbn,
        "CreateTransitRouter",
        "DryRunOperation",
    );
    let regions = ["cn-hangzhou", "cn-shanghai", "cn-beijing"];
    for region in regions {
        create_router(&cloud, &cen_id, region, region);
    }
    let first = cloud.ok(
        CBN,
        "ListTransitRouters",
        &[("CenId", &cen_id), ("PageSize", "2")],
    );
    assert_eq!(first["TotalCount"], 3);
    assert_eq!(first["TransitRouters"].as_array().unwrap().len(), 2);
    let second = cloud.ok(
        CBN,
        "ListTransitRouters",
        &[("CenId", &cen_id), ("PageSize", "2"), ("PageNumber", "2")],
    );
    assert_eq!(second["TransitRouters"].as_array().unwrap().len(), 1);
    let creating = cloud.ok(
        CBN,
        "ListTransitRouters",
        &[("CenId", &cen_id), ("Status", "Creating")],
    );
    assert_eq!(creating["TotalCount"], 3);
}

#[test]
fn a_failing_transit_router_is_deleting_then_gone() {
    let cloud = Cloud::new();
    let cen_id = active_cen(&cloud);
    let id = create_router(&cloud, &cen_id, "cn-hangzhou", "fail-tr");
    assert_eq!(router(&cloud, &cen_id, &id), "Creating");
    cloud.advance(SETTLE);
    assert_eq!(router(&cloud, &cen_id, &id), "Deleting");
    cloud.advance(SETTLE);
    assert_eq!(router(&cloud, &cen_id, &id), "gone");
}

/// An active transit router of a new active CEN instance.
fn active_router(cloud: &Cloud) -> (String, String) {
    let cen_id = active_cen(cloud);
    let id = create_router(cloud, &cen_id, "cn-hangzhou", "tr");
    cloud.advance(SETTLE);
    (cen_id, id)
}

// ---------------------------------------------------------- attachments

/// One kind of attachment: its operations and what it attaches.
struct Kind {
    create: &'static str,
    list: &'static str,
    delete: &'static str,
    extra: &'static [(&'static str, &'static str)],
}

const KINDS: [Kind; 5] = [
    Kind {
        create: "CreateTransitRouterVpcAttachment",
        list: "ListTransitRouterVpcAttachments",
        delete: "DeleteTransitRouterVpcAttachment",
        extra: &[
            ("VpcId", "vpc-1"),
            ("ZoneMappings.1.ZoneId", "cn-hangzhou-h"),
            ("ZoneMappings.1.VSwitchId", "vsw-1"),
        ],
    },
    Kind {
        create: "CreateTransitRouterVbrAttachment",
        list: "ListTransitRouterVbrAttachments",
        delete: "DeleteTransitRouterVbrAttachment",
        extra: &[("VbrId", "vbr-1")],
    },
    Kind {
        create: "CreateTransitRouterPeerAttachment",
        list: "ListTransitRouterPeerAttachments",
        delete: "DeleteTransitRouterPeerAttachment",
        // The peer's id is added by the test: it must exist.
        extra: &[],
    },
    Kind {
        create: "CreateTransitRouterVpnAttachment",
        list: "ListTransitRouterVpnAttachments",
        delete: "DeleteTransitRouterVpnAttachment",
        extra: &[("VpnId", "vco-1")],
    },
    Kind {
        create: "CreateTransitRouterEcrAttachment",
        list: "ListTransitRouterEcrAttachments",
        delete: "DeleteTransitRouterEcrAttachment",
        extra: &[("EcrId", "ecr-1")],
    },
];

/// The attachment's status as its list operation by id shows it, or
/// `gone` (an empty list).
fn attachment(cloud: &Cloud, kind: &Kind, id: &str) -> String {
    let got = cloud.ok(CBN, kind.list, &[("TransitRouterAttachmentId", id)]);
    match got["TransitRouterAttachments"]
        .as_array()
        .map(Vec::as_slice)
    {
        Some([]) => "gone".into(),
        Some([one]) => one["Status"].as_str().expect("a status").to_owned(),
        other => panic!("one attachment or none: {other:?}"),
    }
}

/// Creates an attachment of `kind` on `router`; the peer of a peer
/// attachment is `peer`.
fn attach(cloud: &Cloud, kind: &Kind, router: &str, peer: &str, name: &str) -> String {
    let mut params = vec![
        ("TransitRouterId", router),
        ("TransitRouterAttachmentName", name),
    ];
    params.extend_from_slice(kind.extra);
    if kind.extra.is_empty() {
        params.push(("PeerTransitRouterId", peer));
    }
    cloud.ok(CBN, kind.create, &params)["TransitRouterAttachmentId"]
        .as_str()
        .expect("an id")
        .to_owned()
}

#[test]
fn every_attachment_kind_is_attached_and_detached() {
    let cloud = Cloud::new();
    let (cen_id, tr) = active_router(&cloud);
    let peer = create_router(&cloud, &cen_id, "cn-shanghai", "peer");
    cloud.advance(SETTLE);
    for kind in &KINDS {
        let id = attach(&cloud, kind, &tr, &peer, "link");
        assert!(id.starts_with("tr-attach-"), "{id}");
        assert_eq!(
            attachment(&cloud, kind, &id),
            "Attaching",
            "{}",
            kind.create
        );
        cloud.advance(SETTLE);
        assert_eq!(attachment(&cloud, kind, &id), "Attached", "{}", kind.create);
        let listed = cloud.ok(CBN, kind.list, &[("TransitRouterId", &tr)]);
        let one = &listed["TransitRouterAttachments"][0];
        assert_eq!(one["TransitRouterAttachmentName"], "link");
        assert_eq!(one["CenId"], cen_id.as_str());
        // A transit router with an attachment cannot be deleted.
        cloud
            .cen("DeleteTransitRouter", &[("TransitRouterId", &tr)])
            .assert_documented(
                Product::Cbn,
                "DeleteTransitRouter",
                "OperationFailed.DeleteTransitRouter",
            );
        // Each kind deletes only its own.
        let other = KINDS.iter().find(|k| k.delete != kind.delete).unwrap();
        cloud
            .cen(other.delete, &[("TransitRouterAttachmentId", &id)])
            .assert_documented(
                Product::Cbn,
                other.delete,
                "InvalidTransitRouterAttachmentId.NotFound",
            );
        cloud.ok(CBN, kind.delete, &[("TransitRouterAttachmentId", &id)]);
        assert_eq!(
            attachment(&cloud, kind, &id),
            "Detaching",
            "{}",
            kind.create
        );
        cloud.ok(CBN, kind.delete, &[("TransitRouterAttachmentId", &id)]);
        cloud.advance(SETTLE);
        assert_eq!(attachment(&cloud, kind, &id), "gone", "{}", kind.create);
        cloud
            .cen(kind.delete, &[("TransitRouterAttachmentId", &id)])
            .assert_documented(
                Product::Cbn,
                kind.delete,
                "InvalidTransitRouterAttachmentId.NotFound",
            );
    }
    // Nothing is attached any more: the routers go.
    for id in [&tr, &peer] {
        cloud.ok(CBN, "DeleteTransitRouter", &[("TransitRouterId", id)]);
    }
}

#[test]
fn every_failing_attachment_kind_detaches_then_goes() {
    let cloud = Cloud::new();
    let (cen_id, tr) = active_router(&cloud);
    let peer = create_router(&cloud, &cen_id, "cn-shanghai", "peer");
    let ids: Vec<String> = KINDS
        .iter()
        .map(|kind| attach(&cloud, kind, &tr, &peer, "fail-link"))
        .collect();
    cloud.advance(SETTLE);
    for (kind, id) in KINDS.iter().zip(&ids) {
        assert_eq!(attachment(&cloud, kind, id), "Detaching", "{}", kind.create);
    }
    cloud.advance(SETTLE);
    for (kind, id) in KINDS.iter().zip(&ids) {
        assert_eq!(attachment(&cloud, kind, id), "gone", "{}", kind.create);
    }
}

#[test]
fn attachments_need_a_transit_router_and_page_by_token() {
    let cloud = Cloud::new();
    let (cen_id, tr) = active_router(&cloud);
    let vpc = &KINDS[0];
    let mut params = vec![("CenId", cen_id.as_str())];
    params.extend_from_slice(vpc.extra);
    cloud.cen(vpc.create, &params).assert_documented(
        Product::Cbn,
        vpc.create,
        "MissingParam.CenIdOrRegionId",
    );
    // A CEN instance and region name its transit router.
    params.push(("RegionId", "cn-hangzhou"));
    let by_region = cloud.ok(CBN, vpc.create, &params);
    let id = by_region["TransitRouterAttachmentId"]
        .as_str()
        .unwrap()
        .to_owned();
    let listed = cloud.ok(CBN, vpc.list, &[("TransitRouterAttachmentId", &id)]);
    assert_eq!(
        listed["TransitRouterAttachments"][0]["TransitRouterId"],
        tr.as_str()
    );
    let mut unknown = vec![("TransitRouterId", "tr-none")];
    unknown.extend_from_slice(vpc.extra);
    cloud.cen(vpc.create, &unknown).assert_documented(
        Product::Cbn,
        vpc.create,
        "InvalidTransitRouterId.NotFound",
    );
    let peer = &KINDS[2];
    cloud
        .cen(
            peer.create,
            &[("TransitRouterId", &tr), ("PeerTransitRouterId", "tr-none")],
        )
        .assert_documented(
            Product::Cbn,
            peer.create,
            "InvalidPeerTransitRouterId.NotFound",
        );

    for i in 0..4 {
        attach(&cloud, vpc, &tr, "", &format!("vpc-{i}"));
    }
    let mut token = String::new();
    let mut seen = Vec::new();
    loop {
        let mut page = vec![("TransitRouterId", tr.as_str()), ("MaxResults", "2")];
        if !token.is_empty() {
            page.push(("NextToken", token.as_str()));
        }
        let got = cloud.ok(CBN, vpc.list, &page);
        assert_eq!(got["TotalCount"], 5);
        for a in got["TransitRouterAttachments"].as_array().unwrap() {
            seen.push(a["TransitRouterAttachmentId"].as_str().unwrap().to_owned());
        }
        token = got["NextToken"].as_str().unwrap().to_owned();
        if token.is_empty() {
            break;
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 5);
    cloud
        .cen(vpc.list, &[("NextToken", "not-a-token")])
        .assert_documented(Product::Cbn, vpc.list, "IllegalParam.NextToken");
}

// --------------------------------------------------------- route tables

/// The route table's status as `ListTransitRouterRouteTables` by router
/// and id shows it, or `gone` (an empty list).
fn table(cloud: &Cloud, tr: &str, id: &str) -> String {
    let got = cloud.ok(
        CBN,
        "ListTransitRouterRouteTables",
        &[
            ("TransitRouterId", tr),
            ("TransitRouterRouteTableIds.1", id),
        ],
    );
    match got["TransitRouterRouteTables"]
        .as_array()
        .map(Vec::as_slice)
    {
        Some([]) => "gone".into(),
        Some([one]) => one["TransitRouterRouteTableStatus"]
            .as_str()
            .expect("a status")
            .to_owned(),
        other => panic!("one route table or none: {other:?}"),
    }
}

fn create_table(cloud: &Cloud, tr: &str, name: &str) -> String {
    let got = cloud.ok(
        CBN,
        "CreateTransitRouterRouteTable",
        &[
            ("TransitRouterId", tr),
            ("TransitRouterRouteTableName", name),
        ],
    );
    got["TransitRouterRouteTableId"]
        .as_str()
        .expect("an id")
        .to_owned()
}

#[test]
fn a_route_table_is_created_and_deleted() {
    let cloud = Cloud::new();
    let (_, tr) = active_router(&cloud);
    let id = create_table(&cloud, &tr, "custom");
    assert!(id.starts_with("vtb-"), "{id}");
    assert_eq!(table(&cloud, &tr, &id), "Creating");
    cloud.advance(SETTLE);
    assert_eq!(table(&cloud, &tr, &id), "Active");
    // The router came with its system table.
    let all = cloud.ok(
        CBN,
        "ListTransitRouterRouteTables",
        &[("TransitRouterId", &tr)],
    );
    let types: Vec<&str> = all["TransitRouterRouteTables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["TransitRouterRouteTableType"].as_str().unwrap())
        .collect();
    assert_eq!(
        types.iter().filter(|t| **t == "System").count(),
        1,
        "{types:?}"
    );
    assert_eq!(types.len(), 2);
    let system = all["TransitRouterRouteTables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["TransitRouterRouteTableType"] == "System")
        .unwrap()["TransitRouterRouteTableId"]
        .as_str()
        .unwrap()
        .to_owned();
    cloud
        .cen(
            "DeleteTransitRouterRouteTable",
            &[("TransitRouterRouteTableId", &system)],
        )
        .assert_documented(
            Product::Cbn,
            "DeleteTransitRouterRouteTable",
            "OperationFailed.DeleteSystemRouteTable",
        );
    // A custom table holds its router.
    cloud
        .cen("DeleteTransitRouter", &[("TransitRouterId", &tr)])
        .assert_documented(
            Product::Cbn,
            "DeleteTransitRouter",
            "OperationFailed.DeleteTransitRouter",
        );

    cloud.ok(
        CBN,
        "DeleteTransitRouterRouteTable",
        &[("TransitRouterRouteTableId", &id)],
    );
    assert_eq!(table(&cloud, &tr, &id), "Deleting");
    cloud.advance(SETTLE);
    assert_eq!(table(&cloud, &tr, &id), "gone");
    cloud
        .cen(
            "DeleteTransitRouterRouteTable",
            &[("TransitRouterRouteTableId", &id)],
        )
        .assert_documented(
            Product::Cbn,
            "DeleteTransitRouterRouteTable",
            "InvalidTransitRouterRouteTableId.NotFound",
        );

    // The router goes with its system table.
    cloud.ok(CBN, "DeleteTransitRouter", &[("TransitRouterId", &tr)]);
    let leaving = cloud.ok(
        CBN,
        "ListTransitRouterRouteTables",
        &[("TransitRouterRouteTableIds.1", &system)],
    );
    assert_eq!(
        leaving["TransitRouterRouteTables"][0]["TransitRouterRouteTableStatus"],
        "Deleting"
    );
    cloud.advance(SETTLE);
    let gone = cloud.ok(
        CBN,
        "ListTransitRouterRouteTables",
        &[("TransitRouterRouteTableIds.1", &system)],
    );
    assert_eq!(gone["TotalCount"], 0);
}

#[test]
fn route_table_refusals_and_the_failure_path() {
    let cloud = Cloud::new();
    let (_, tr) = active_router(&cloud);
    cloud
        .cen("ListTransitRouterRouteTables", &[])
        .assert_documented(
            Product::Cbn,
            "ListTransitRouterRouteTables",
            "MissingParam.TransitRouterIdOrTransitRouterRouteTables",
        );
    cloud
        .cen(
            "CreateTransitRouterRouteTable",
            &[("TransitRouterId", "tr-none")],
        )
        .assert_documented(
            Product::Cbn,
            "CreateTransitRouterRouteTable",
            "InvalidTransitRouterId.NotFound",
        );
    let id = create_table(&cloud, &tr, "fail-table");
    assert_eq!(table(&cloud, &tr, &id), "Creating");
    cloud.advance(SETTLE);
    assert_eq!(table(&cloud, &tr, &id), "Deleting");
    cloud.advance(SETTLE);
    assert_eq!(table(&cloud, &tr, &id), "gone");
}

// ---------------------------------------------------- bandwidth packages

/// The package's status as `DescribeCenBandwidthPackages` by id shows it,
/// or `gone` (an empty list).
fn package(cloud: &Cloud, id: &str) -> String {
    let got = cloud.ok(
        CBN,
        "DescribeCenBandwidthPackages",
        &[
            ("Filter.1.Key", "CenBandwidthPackageId"),
            ("Filter.1.Value.1", id),
        ],
    );
    match got["CenBandwidthPackages"]["CenBandwidthPackage"]
        .as_array()
        .map(Vec::as_slice)
    {
        Some([]) => "gone".into(),
        Some([one]) => one["Status"].as_str().expect("a status").to_owned(),
        other => panic!("one package or none: {other:?}"),
    }
}

#[test]
fn a_bandwidth_package_is_idle_in_use_idle_and_gone() {
    let cloud = Cloud::new();
    let cen_id = active_cen(&cloud);
    let created = cloud.ok(
        CBN,
        "CreateCenBandwidthPackage",
        &[
            ("Bandwidth", "10"),
            ("GeographicRegionAId", "China"),
            ("GeographicRegionBId", "China"),
        ],
    );
    let id = created["CenBandwidthPackageId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(id.starts_with("cenbwp-"), "{id}");
    assert_eq!(package(&cloud, &id), "Idle");
    let pair = [
        ("CenId", cen_id.as_str()),
        ("CenBandwidthPackageId", id.as_str()),
    ];
    cloud.ok(CBN, "AssociateCenBandwidthPackage", &pair);
    assert_eq!(package(&cloud, &id), "InUse");
    cloud.advance(SETTLE);
    assert_eq!(package(&cloud, &id), "InUse", "no status of its own moves");
    cloud.ok(CBN, "UnassociateCenBandwidthPackage", &pair);
    assert_eq!(package(&cloud, &id), "Idle");
    cloud.ok(
        CBN,
        "DeleteCenBandwidthPackage",
        &[("CenBandwidthPackageId", &id)],
    );
    assert_eq!(package(&cloud, &id), "gone");
}

// --------------------------------------------------------------- restart

#[test]
fn cen_changes_under_way_survive_a_restart() {
    let dir = temp_dir("cen");
    let file = dir.join("state.json");
    let (cen_id, tr, table_id, attachment_id, vpc);
    {
        let cloud = Cloud::with_state_file(&file);
        cen_id = create_cen(&cloud, "net");
        cloud.advance(SETTLE);
        tr = create_router(&cloud, &cen_id, "cn-hangzhou", "tr");
        cloud.advance(SETTLE);
        table_id = create_table(&cloud, &tr, "custom");
        attachment_id = attach(&cloud, &KINDS[0], &tr, "", "link");
        vpc = [
            ("CenId", cen_id.clone()),
            ("ChildInstanceId", "vpc-9".to_owned()),
            ("ChildInstanceRegionId", "cn-hangzhou".to_owned()),
            ("ChildInstanceType", "VPC".to_owned()),
        ];
        let pairs: Vec<(&str, &str)> = vpc.iter().map(|(k, v)| (*k, v.as_str())).collect();
        cloud.ok(CBN, "AttachCenChildInstance", &pairs);
    }
    let cloud = Cloud::with_state_file(&file);
    let vpc: Vec<(&str, &str)> = vpc.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(cen(&cloud, &cen_id), "Active");
    assert_eq!(router(&cloud, &cen_id, &tr), "Active");
    assert_eq!(table(&cloud, &tr, &table_id), "Creating");
    assert_eq!(attachment(&cloud, &KINDS[0], &attachment_id), "Attaching");
    assert_eq!(child(&cloud, &vpc), "Attaching");
    cloud.advance(SETTLE);
    assert_eq!(table(&cloud, &tr, &table_id), "Active");
    assert_eq!(attachment(&cloud, &KINDS[0], &attachment_id), "Attached");
    assert_eq!(child(&cloud, &vpc), "Attached");

    cloud.ok(
        CBN,
        KINDS[0].delete,
        &[("TransitRouterAttachmentId", &attachment_id)],
    );
    cloud.ok(
        CBN,
        "DeleteTransitRouterRouteTable",
        &[("TransitRouterRouteTableId", &table_id)],
    );
    cloud.ok(CBN, "DetachCenChildInstance", &vpc);
    drop(cloud);
    let cloud = Cloud::with_state_file(&file);
    assert_eq!(attachment(&cloud, &KINDS[0], &attachment_id), "Detaching");
    assert_eq!(table(&cloud, &tr, &table_id), "Deleting");
    assert_eq!(child(&cloud, &vpc), "Detaching");
    cloud.advance(SETTLE);
    assert_eq!(attachment(&cloud, &KINDS[0], &attachment_id), "gone");
    assert_eq!(table(&cloud, &tr, &table_id), "gone");
    assert_eq!(child(&cloud, &vpc), "gone");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_timestamp_is_judged_by_the_real_clock_not_the_state_clock() {
    let cloud = Cloud::new();
    // A day on the state clock: requests signed now still pass, and a
    // domain added now is created at the state clock's time.
    cloud.advance(Duration::from_secs(86_400));
    add_domain(&cloud, "later.example.com");
    let listed = cloud.ok(CDN, "DescribeUserDomains", &[]);
    let created = listed["Domains"]["PageData"][0]["GmtCreated"]
        .as_str()
        .unwrap()
        .to_owned();
    let created = aliapi_emulator::clock::parse_timestamp(&created).unwrap();
    let real = aliapi_emulator::clock::unix_now();
    assert!(created >= real + 86_000, "{created} vs {real}");
    assert!(cloud.svc.state_clock_ms() / 1000 >= real + 86_000);
}
