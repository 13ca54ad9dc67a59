//! Resource lifecycles through raw signed requests over HTTP, with a
//! state clock the tests move.

use crate::common;

use std::time::Duration;

use aliapi_emulator::Emulator;
use common::*;

/// How long changes take in these tests; nothing waits for it.
const SETTLE: Duration = Duration::from_secs(60);

async fn start(settle: Duration) -> (aliapi_emulator::RunningEmulator, Api) {
    let emu = Emulator::builder()
        .settle_time(settle)
        .manual_clock()
        .start()
        .await
        .expect("start");
    let api = Api::new(emu.url());
    (emu, api)
}

/// The status `DescribeCdnDomainDetail` shows.
async fn domain_status(api: &Api, name: &str) -> String {
    let detail = api
        .cdn("DescribeCdnDomainDetail", &[("DomainName", name)])
        .await;
    detail.assert_ok()["GetDomainDetailModel"]["DomainStatus"]
        .as_str()
        .expect("a status")
        .to_owned()
}

const SOURCES: &str =
    r#"[{"content":"1.1.1.1","type":"ipaddr","priority":"20","port":80,"weight":"10"}]"#;

#[tokio::test]
async fn cdn_domain_lifecycle() {
    let (emu, api) = start(SETTLE).await;
    let add = [
        ("DomainName", "www.example.com"),
        ("CdnType", "web"),
        ("Sources", SOURCES),
        ("Tag.1.Key", "env"),
        ("Tag.1.Value", "test"),
    ];
    api.cdn("AddCdnDomain", &add).await.assert_ok();
    api.cdn("AddCdnDomain", &add)
        .await
        .assert_err(400, "DomainAlreadyExist");

    let detail = api
        .cdn(
            "DescribeCdnDomainDetail",
            &[("DomainName", "www.example.com")],
        )
        .await;
    let model = &detail.assert_ok()["GetDomainDetailModel"];
    assert_eq!(model["DomainStatus"], "checking");
    assert_eq!(
        model["SourceModels"]["SourceModel"][0]["Content"],
        "1.1.1.1"
    );
    assert_eq!(model["Cname"], "www.example.com.w.kunlunsl.com");

    emu.advance(SETTLE / 2);
    assert_eq!(domain_status(&api, "www.example.com").await, "configuring");
    emu.advance(SETTLE / 2);
    assert_eq!(domain_status(&api, "www.example.com").await, "online");

    api.cdn("StopCdnDomain", &[("DomainName", "www.example.com")])
        .await
        .assert_ok();
    assert_eq!(domain_status(&api, "www.example.com").await, "stopping");
    emu.advance(SETTLE);
    let list = api
        .cdn("DescribeUserDomains", &[("DomainStatus", "offline")])
        .await;
    assert_eq!(list.assert_ok()["TotalCount"], 1);
    api.cdn("StartCdnDomain", &[("DomainName", "www.example.com")])
        .await
        .assert_ok();
    assert_eq!(domain_status(&api, "www.example.com").await, "configuring");
    emu.advance(SETTLE);
    let list = api
        .cdn(
            "DescribeUserDomains",
            &[
                ("DomainName", "example"),
                ("Tag.1.Key", "env"),
                ("Tag.1.Value", "test"),
            ],
        )
        .await;
    let body = list.assert_ok();
    assert_eq!(body["Domains"]["PageData"][0]["DomainStatus"], "online");
    assert_eq!(
        body["Domains"]["PageData"][0]["Sources"]["Source"][0]["Port"],
        80
    );

    // Configs.
    let functions =
        r#"[{"functionArgs":[{"argName":"enable","argValue":"on"}],"functionName":"ipv6"}]"#;
    let set = api
        .cdn(
            "BatchSetCdnDomainConfig",
            &[("DomainNames", "www.example.com"), ("Functions", functions)],
        )
        .await;
    let config_id = set.assert_ok()["DomainConfigList"]["DomainConfigModel"][0]["ConfigId"].clone();
    let configs = api
        .cdn(
            "DescribeCdnDomainConfigs",
            &[("DomainName", "www.example.com"), ("FunctionNames", "ipv6")],
        )
        .await;
    let cfg = &configs.assert_ok()["DomainConfigs"]["DomainConfig"][0];
    assert_eq!(cfg["ConfigId"], config_id.to_string());
    assert_eq!(cfg["FunctionArgs"]["FunctionArg"][0]["ArgValue"], "on");
    api.cdn(
        "BatchSetCdnDomainConfig",
        &[
            ("DomainNames", "nope.example.com"),
            ("Functions", functions),
        ],
    )
    .await
    .assert_documented(
        Product::Cdn,
        "BatchSetCdnDomainConfig",
        "InvalidDomain.NotFound",
    );
    api.cdn(
        "BatchDeleteCdnDomainConfig",
        &[
            ("DomainNames", "www.example.com"),
            ("FunctionNames", "ipv6"),
        ],
    )
    .await
    .assert_ok();
    let configs = api
        .cdn(
            "DescribeCdnDomainConfigs",
            &[("DomainName", "www.example.com")],
        )
        .await;
    assert_eq!(
        configs.assert_ok()["DomainConfigs"]["DomainConfig"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // Refresh and preload, with the quota counting down.
    let quota = api.cdn("DescribeRefreshQuota", &[]).await;
    assert_eq!(quota.assert_ok()["UrlRemain"], "10000");
    let paths = "http://www.example.com/a.txt\nhttp://www.example.com/b.txt";
    let refresh = api
        .cdn(
            "RefreshObjectCaches",
            &[("ObjectPath", paths), ("ObjectType", "File")],
        )
        .await;
    let task_id = refresh.assert_ok()["RefreshTaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    api.cdn(
        "PushObjectCache",
        &[("ObjectPath", "http://www.example.com/c.txt")],
    )
    .await
    .assert_ok();
    api.cdn(
        "RefreshObjectCaches",
        &[("ObjectPath", "http://other.example.org/a")],
    )
    .await
    .assert_documented(
        Product::Cdn,
        "RefreshObjectCaches",
        "InvalidDomain.NotFound",
    );
    let quota = api.cdn("DescribeRefreshQuota", &[]).await;
    let q = quota.assert_ok();
    assert_eq!(q["UrlRemain"], "9998");
    assert_eq!(q["PreloadRemain"], "999");
    let tasks = api
        .cdn("DescribeRefreshTasks", &[("TaskId", &task_id)])
        .await;
    let t = tasks.assert_ok();
    assert_eq!(t["TotalCount"], 2);
    assert_eq!(t["Tasks"]["CDNTask"][0]["Status"], "Refreshing");
    emu.advance(SETTLE);
    let tasks = api
        .cdn(
            "DescribeRefreshTasks",
            &[("TaskId", &task_id), ("Status", "Complete")],
        )
        .await;
    assert_eq!(tasks.assert_ok()["TotalCount"], 2);

    // Tags.
    api.cdn(
        "TagResources",
        &[
            ("ResourceType", "DOMAIN"),
            ("ResourceId.1", "www.example.com"),
            ("Tag.1.Key", "team"),
            ("Tag.1.Value", "web"),
        ],
    )
    .await
    .assert_ok();
    let tags = api
        .cdn(
            "ListTagResources",
            &[
                ("ResourceType", "DOMAIN"),
                ("ResourceId.1", "www.example.com"),
            ],
        )
        .await;
    assert_eq!(
        tags.assert_ok()["TagResources"]["TagResource"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    api.cdn(
        "UntagResources",
        &[
            ("ResourceType", "DOMAIN"),
            ("ResourceId.1", "www.example.com"),
            ("TagKey.1", "env"),
        ],
    )
    .await
    .assert_ok();
    let tags = api
        .cdn(
            "ListTagResources",
            &[
                ("ResourceType", "DOMAIN"),
                ("ResourceId.1", "www.example.com"),
            ],
        )
        .await;
    let rows = tags.assert_ok()["TagResources"]["TagResource"].clone();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["TagKey"], "team");
    api.cdn(
        "TagResources",
        &[
            ("ResourceType", "DOMAIN"),
            ("ResourceId.1", "ghost.example.com"),
            ("Tag.1.Key", "k"),
        ],
    )
    .await
    .assert_documented(Product::Cdn, "TagResources", "InvalidDomain.NotFound");

    api.cdn("DeleteCdnDomain", &[("DomainName", "www.example.com")])
        .await
        .assert_ok();
    assert_eq!(domain_status(&api, "www.example.com").await, "deleting");
    // Being deleted, it takes no other write, and deleting it again
    // changes nothing.
    api.cdn("StartCdnDomain", &[("DomainName", "www.example.com")])
        .await
        .assert_documented(Product::Cdn, "StartCdnDomain", "InvalidDomain.NotFound");
    api.cdn("DeleteCdnDomain", &[("DomainName", "www.example.com")])
        .await
        .assert_ok();
    emu.advance(SETTLE);
    api.cdn(
        "DescribeCdnDomainDetail",
        &[("DomainName", "www.example.com")],
    )
    .await
    .assert_documented(
        Product::Cdn,
        "DescribeCdnDomainDetail",
        "InvalidDomain.NotFound",
    );
    api.cdn("DeleteCdnDomain", &[("DomainName", "www.example.com")])
        .await
        .assert_documented(Product::Cdn, "DeleteCdnDomain", "InvalidDomain.NotFound");
}

#[tokio::test]
async fn describe_user_domains_pages_and_filters() {
    let (_emu, api) = start(Duration::ZERO).await;
    for i in 0..7 {
        let name = format!("d{i}.example.com");
        let kind = if i % 2 == 0 { "web" } else { "download" };
        api.cdn(
            "AddCdnDomain",
            &[
                ("DomainName", &name),
                ("CdnType", kind),
                ("Sources", SOURCES),
            ],
        )
        .await
        .assert_ok();
    }
    let page = api
        .cdn(
            "DescribeUserDomains",
            &[("PageSize", "3"), ("PageNumber", "3")],
        )
        .await;
    let body = page.assert_ok();
    assert_eq!(body["TotalCount"], 7);
    assert_eq!(body["PageNumber"], 3);
    assert_eq!(body["Domains"]["PageData"].as_array().unwrap().len(), 1);
    let web = api.cdn("DescribeUserDomains", &[("CdnType", "web")]).await;
    assert_eq!(web.assert_ok()["TotalCount"], 4);
    let exact = api
        .cdn(
            "DescribeUserDomains",
            &[
                ("DomainName", "d3.example.com"),
                ("DomainSearchType", "full_match"),
            ],
        )
        .await;
    assert_eq!(exact.assert_ok()["TotalCount"], 1);
    let prefix = api
        .cdn(
            "DescribeUserDomains",
            &[("DomainName", "d1"), ("DomainSearchType", "pre_match")],
        )
        .await;
    assert_eq!(prefix.assert_ok()["TotalCount"], 1);
    api.cdn("DescribeUserDomains", &[("PageSize", "501")])
        .await
        .assert_documented(
            Product::Cdn,
            "DescribeUserDomains",
            "InvalidPageSize.ValueNotSupported",
        );
}

#[tokio::test]
async fn cen_lifecycle() {
    let (emu, api) = start(SETTLE).await;
    let created = api
        .cen(
            "CreateCen",
            &[
                ("Name", "net-a"),
                ("Description", "first"),
                ("ClientToken", "tok-1"),
            ],
        )
        .await;
    let cen_id = created.assert_ok()["CenId"].as_str().unwrap().to_owned();
    assert!(cen_id.starts_with("cen-"));
    // The same ClientToken gives back the same instance.
    let again = api
        .cen("CreateCen", &[("Name", "net-a"), ("ClientToken", "tok-1")])
        .await;
    assert_eq!(again.assert_ok()["CenId"], cen_id.as_str());
    api.cen("CreateCen", &[("Name", "net-b")]).await.assert_ok();

    let by_id = api
        .cen(
            "DescribeCens",
            &[("Filter.1.Key", "CenId"), ("Filter.1.Value.1", &cen_id)],
        )
        .await;
    let body = by_id.assert_ok();
    assert_eq!(body["TotalCount"], 1);
    assert_eq!(body["Cens"]["Cen"][0]["Status"], "Creating");
    assert_eq!(body["Cens"]["Cen"][0]["Name"], "net-a");
    let all = api.cen("DescribeCens", &[("PageSize", "1")]).await;
    let body = all.assert_ok();
    assert_eq!(body["TotalCount"], 2);
    assert_eq!(body["Cens"]["Cen"].as_array().unwrap().len(), 1);
    let by_names = api
        .cen(
            "DescribeCens",
            &[
                ("Filter.1.Key", "Name"),
                ("Filter.1.Value.1", "net-b"),
                ("Filter.1.Value.2", "net-a"),
            ],
        )
        .await;
    assert_eq!(by_names.assert_ok()["TotalCount"], 2);

    api.cen(
        "ModifyCenAttribute",
        &[("CenId", &cen_id), ("Name", "renamed")],
    )
    .await
    .assert_ok();
    api.cen(
        "ModifyCenAttribute",
        &[("CenId", "cen-doesnotexist"), ("Name", "x")],
    )
    .await
    .assert_err(400, "ParameterCenInstanceId");
    emu.advance(SETTLE);
    let one = api
        .cen(
            "DescribeCens",
            &[("Filter.1.Key", "CenId"), ("Filter.1.Value.1", &cen_id)],
        )
        .await;
    let cen = &one.assert_ok()["Cens"]["Cen"][0];
    assert_eq!(cen["Name"], "renamed");
    assert_eq!(cen["Status"], "Active");

    // Children.
    let attach = [
        ("CenId", cen_id.as_str()),
        ("ChildInstanceId", "vpc-abc"),
        ("ChildInstanceRegionId", "cn-hangzhou"),
        ("ChildInstanceType", "VPC"),
    ];
    api.cen("AttachCenChildInstance", &attach).await.assert_ok();
    let status = || async {
        let children = api
            .cen("DescribeCenAttachedChildInstances", &[("CenId", &cen_id)])
            .await;
        children.assert_ok()["ChildInstances"]["ChildInstance"][0]["Status"].clone()
    };
    assert_eq!(status().await, "Attaching");
    emu.advance(SETTLE);
    assert_eq!(status().await, "Attached");
    api.cen("AttachCenChildInstance", &attach)
        .await
        .assert_documented(
            Product::Cbn,
            "AttachCenChildInstance",
            "InvalidOperation.ChildInstanceAlreadyAttached",
        );
    let children = api
        .cen("DescribeCenAttachedChildInstances", &[("CenId", &cen_id)])
        .await;
    let body = children.assert_ok();
    assert_eq!(body["TotalCount"], 1);
    assert_eq!(
        body["ChildInstances"]["ChildInstance"][0]["ChildInstanceId"],
        "vpc-abc"
    );
    api.cen("DeleteCen", &[("CenId", &cen_id)])
        .await
        .assert_err(400, "Forbidden.CenInstance.ChildInstanceAttached");
    api.cen("DetachCenChildInstance", &attach).await.assert_ok();
    assert_eq!(status().await, "Detaching");
    api.cen("DeleteCen", &[("CenId", &cen_id)])
        .await
        .assert_err(400, "Forbidden.CenInstance.ChildInstanceAttached");
    emu.advance(SETTLE);
    api.cen("DetachCenChildInstance", &attach)
        .await
        .assert_documented(
            Product::Cbn,
            "DetachCenChildInstance",
            "InvalidChildInstanceId.NotFound",
        );

    // Bandwidth packages.
    let bwp = api
        .cen(
            "CreateCenBandwidthPackage",
            &[
                ("Bandwidth", "10"),
                ("GeographicRegionAId", "China"),
                ("GeographicRegionBId", "China"),
            ],
        )
        .await;
    let bwp_id = bwp.assert_ok()["CenBandwidthPackageId"]
        .as_str()
        .unwrap()
        .to_owned();
    let pair = [
        ("CenId", cen_id.as_str()),
        ("CenBandwidthPackageId", bwp_id.as_str()),
    ];
    api.cen("AssociateCenBandwidthPackage", &pair)
        .await
        .assert_ok();
    let pkgs = api
        .cen(
            "DescribeCenBandwidthPackages",
            &[("Filter.1.Key", "CenId"), ("Filter.1.Value.1", &cen_id)],
        )
        .await;
    let body = pkgs.assert_ok();
    assert_eq!(body["TotalCount"], 1);
    assert_eq!(
        body["CenBandwidthPackages"]["CenBandwidthPackage"][0]["Status"],
        "InUse"
    );
    let cens = api
        .cen(
            "DescribeCens",
            &[("Filter.1.Key", "CenId"), ("Filter.1.Value.1", &cen_id)],
        )
        .await;
    assert_eq!(
        cens.assert_ok()["Cens"]["Cen"][0]["CenBandwidthPackageIds"]["CenBandwidthPackageId"][0],
        bwp_id.as_str()
    );
    api.cen("DeleteCen", &[("CenId", &cen_id)])
        .await
        .assert_err(400, "Forbidden.CenInstance.BandwidthPackageAssociated");
    api.cen(
        "DeleteCenBandwidthPackage",
        &[("CenBandwidthPackageId", &bwp_id)],
    )
    .await
    .assert_documented(
        Product::Cbn,
        "DeleteCenBandwidthPackage",
        "InvalidOperation.BwpInstanceStatus",
    );
    api.cen("UnassociateCenBandwidthPackage", &pair)
        .await
        .assert_ok();
    api.cen(
        "DeleteCenBandwidthPackage",
        &[("CenBandwidthPackageId", &bwp_id)],
    )
    .await
    .assert_ok();

    api.cen("DeleteCen", &[("CenId", &cen_id)])
        .await
        .assert_ok();
    let one = api
        .cen(
            "DescribeCens",
            &[("Filter.1.Key", "CenId"), ("Filter.1.Value.1", &cen_id)],
        )
        .await;
    assert_eq!(one.assert_ok()["Cens"]["Cen"][0]["Status"], "Deleting");
    emu.advance(SETTLE);
    let none = api
        .cen(
            "DescribeCens",
            &[("Filter.1.Key", "CenId"), ("Filter.1.Value.1", &cen_id)],
        )
        .await;
    assert_eq!(none.assert_ok()["TotalCount"], 0);
    api.cen("DeleteCen", &[("CenId", &cen_id)])
        .await
        .assert_err(400, "ParameterCenInstanceId");
    api.cen("DescribeCenAttachedChildInstances", &[("CenId", &cen_id)])
        .await
        .assert_err(400, "ParameterCenInstanceId");
}

#[tokio::test]
async fn other_operations_answer_their_shape() {
    let (_emu, api) = start(Duration::ZERO).await;
    let got = api
        .cdn(
            "DescribeDomainBpsData",
            &[
                ("DomainName", "example.com"),
                ("StartTime", "2024-01-01T00:00:00Z"),
            ],
        )
        .await;
    let body = got.assert_ok();
    assert!(body["BpsDataPerInterval"]["DataModule"].is_array());
    let got = api.cen("DescribeCenGeographicSpans", &[]).await;
    let body = got.assert_ok();
    assert!(body["GeographicSpanModels"].is_object(), "{body:#}");
}
