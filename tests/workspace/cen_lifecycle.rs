//! CEN lifecycles through the typed `aliapi_cen` requests and the real
//! client, against the in-process emulator.

use crate::common;

use std::time::Duration;

use aliapi_cen::describe_cens::Cen;
use aliapi_cen::{
    AssociateCenBandwidthPackage, AttachCenChildInstance, CreateCen, CreateCenBandwidthPackage,
    DeleteCen, DeleteCenBandwidthPackage, DescribeCenAttachedChildInstances,
    DescribeCenBandwidthPackages, DescribeCens, DetachCenChildInstance, Filter, ModifyCenAttribute,
    Tag, UnassociateCenBandwidthPackage,
};
use aliapi_core::Client;
use aliapi_core::paginate::{items, pages};
use aliapi_emulator::cen::CenState;
use common::{assert_request_id, builder, client, expect_service_error, start};
use futures_util::TryStreamExt;

fn filter(key: &str, values: &[&str]) -> Filter {
    Filter {
        key: Some(key.to_owned()),
        value: values.iter().map(|v| v.to_string()).collect(),
    }
}

async fn cens(client: &Client, request: DescribeCens) -> Vec<Cen> {
    items(client, request)
        .try_collect()
        .await
        .expect("DescribeCens pages")
}

async fn cen(client: &Client, id: &str) -> Option<Cen> {
    let mut found = cens(client, DescribeCens::new().filter([filter("CenId", &[id])])).await;
    assert!(found.len() <= 1);
    found.pop()
}

async fn create(client: &Client, name: &str) -> String {
    let created = client
        .send(&CreateCen::new().name(name))
        .await
        .expect("CreateCen");
    assert_request_id(&created.request_id);
    created.cen_id.expect("a CEN id")
}

#[tokio::test]
async fn cen_is_created_listed_filtered_and_modified() {
    let settle = Duration::from_millis(300);
    let emu = start(builder(settle)).await;
    let client = client(&emu);

    let created = client
        .send(
            &CreateCen::new()
                .name("cen-a")
                .description("the first")
                .protection_level("REDUCED")
                .tag([Tag {
                    key: Some("env".into()),
                    value: Some("test".into()),
                }]),
        )
        .await
        .expect("CreateCen");
    assert_request_id(&created.request_id);
    let id = created.cen_id.expect("a CEN id");
    assert!(id.starts_with("cen-"), "{id}");

    let fresh = cen(&client, &id).await.expect("the new CEN");
    assert_eq!(fresh.status.as_deref(), Some("Creating"));
    assert_eq!(fresh.name.as_deref(), Some("cen-a"));
    assert_eq!(fresh.description.as_deref(), Some("the first"));
    assert_eq!(fresh.protection_level.as_deref(), Some("REDUCED"));
    let tags = fresh.tags;
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].key.as_deref(), Some("env"));
    assert_eq!(tags[0].value.as_deref(), Some("test"));

    let mut others = Vec::new();
    for i in 1..=5 {
        others.push(create(&client, &format!("batch-{i}")).await);
    }

    tokio::time::sleep(settle + Duration::from_millis(100)).await;
    assert_eq!(
        cen(&client, &id).await.and_then(|c| c.status).as_deref(),
        Some("Active")
    );

    // Six CENs, two a page: three pages.
    let paged: Vec<_> = pages(&client, DescribeCens::new().page_size(2))
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(paged.len(), 3);
    for (i, page) in paged.iter().enumerate() {
        assert_request_id(&page.request_id);
        assert_eq!(page.page_number, Some(i as i64 + 1));
        assert_eq!(page.total_count, Some(6));
        assert_eq!(page.cens.len(), 2);
    }
    let all = cens(&client, DescribeCens::new().page_size(4)).await;
    let mut listed: Vec<String> = all.into_iter().filter_map(|c| c.cen_id).collect();
    let mut expected = others.clone();
    expected.push(id.clone());
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);

    // Filters: values of one filter are alternatives, filters combine.
    let by_name = cens(
        &client,
        DescribeCens::new().filter([filter("Name", &["cen-a", "batch-2"])]),
    )
    .await;
    assert_eq!(by_name.len(), 2);
    let both = cens(
        &client,
        DescribeCens::new().filter([
            filter("Name", &["cen-a", "batch-2"]),
            filter("CenId", &[others[1].as_str()]),
        ]),
    )
    .await;
    assert_eq!(both.len(), 1);
    assert_eq!(both[0].name.as_deref(), Some("batch-2"));
    let tagged = cens(
        &client,
        DescribeCens::new().tag([Tag {
            key: Some("env".into()),
            value: Some("test".into()),
        }]),
    )
    .await;
    assert_eq!(tagged.len(), 1);
    assert_eq!(tagged[0].cen_id.as_deref(), Some(id.as_str()));
    expect_service_error(
        client
            .send(&DescribeCens::new().filter([filter("Colour", &["red"])]))
            .await,
        400,
        "InvalidParameter",
    );

    let modified = client
        .send(
            &ModifyCenAttribute::new(id.as_str())
                .name("renamed")
                .description("changed")
                .protection_level("FULL"),
        )
        .await
        .expect("ModifyCenAttribute");
    assert_request_id(&modified.request_id);
    let after = cen(&client, &id).await.expect("the CEN");
    assert_eq!(after.name.as_deref(), Some("renamed"));
    assert_eq!(after.description.as_deref(), Some("changed"));
    assert_eq!(after.protection_level.as_deref(), Some("FULL"));
    expect_service_error(
        client
            .send(&ModifyCenAttribute::new(id.as_str()).protection_level("MAXIMUM"))
            .await,
        400,
        "InvalidParameter",
    );

    // Unknown CEN ids.
    expect_service_error(
        client
            .send(&ModifyCenAttribute::new("cen-doesnotexist").name("x"))
            .await,
        400,
        "ParameterCenInstanceId",
    );
    expect_service_error(
        client.send(&DeleteCen::new("cen-doesnotexist")).await,
        400,
        "ParameterCenInstanceId",
    );
    expect_service_error(
        client
            .send(&DescribeCenAttachedChildInstances::new("cen-doesnotexist"))
            .await,
        400,
        "ParameterCenInstanceId",
    );
    assert!(cen(&client, "cen-doesnotexist").await.is_none());
}

#[tokio::test]
async fn children_and_bandwidth_packages_guard_deletion() {
    let emu = start(builder(Duration::ZERO)).await;
    let client = client(&emu);
    let id = create(&client, "guarded").await;

    // Two VPCs and a VBR in two regions.
    let children = [
        ("vpc-hz-1", "cn-hangzhou", "VPC"),
        ("vpc-sh-1", "cn-shanghai", "VPC"),
        ("vbr-hz-1", "cn-hangzhou", "VBR"),
    ];
    for (child, region, kind) in children {
        let attached = client
            .send(&AttachCenChildInstance::new(
                id.as_str(),
                child,
                region,
                kind,
            ))
            .await
            .expect("AttachCenChildInstance");
        assert_request_id(&attached.request_id);
    }
    expect_service_error(
        client
            .send(&AttachCenChildInstance::new(
                id.as_str(),
                "vpc-hz-1",
                "cn-hangzhou",
                "VPC",
            ))
            .await,
        409,
        "InvalidOperation.ChildInstanceAlreadyAttached",
    );

    let listed = client
        .send(&DescribeCenAttachedChildInstances::new(id.as_str()))
        .await
        .expect("DescribeCenAttachedChildInstances");
    assert_request_id(&listed.request_id);
    assert_eq!(listed.total_count, Some(3));
    let listed = listed.child_instances;
    assert!(listed.iter().all(
        |c| c.status.as_deref() == Some("Attached") && c.cen_id.as_deref() == Some(id.as_str())
    ));
    let walked: Vec<_> = items(
        &client,
        DescribeCenAttachedChildInstances::new(id.as_str()).page_size(1),
    )
    .try_collect()
    .await
    .expect("children, one a page");
    assert_eq!(walked.len(), 3);
    let hangzhou_vpcs = client
        .send(
            &DescribeCenAttachedChildInstances::new(id.as_str())
                .child_instance_region_id("cn-hangzhou")
                .child_instance_type("VPC"),
        )
        .await
        .expect("filtered children");
    let hangzhou_vpcs = hangzhou_vpcs.child_instances;
    assert_eq!(hangzhou_vpcs.len(), 1);
    assert_eq!(
        hangzhou_vpcs[0].child_instance_id.as_deref(),
        Some("vpc-hz-1")
    );

    // A CEN with attached instances cannot be deleted.
    expect_service_error(
        client.send(&DeleteCen::new(id.as_str())).await,
        400,
        "Forbidden.CenInstance.ChildInstanceAttached",
    );
    for (child, region, kind) in children {
        let detached = client
            .send(&DetachCenChildInstance::new(
                id.as_str(),
                child,
                region,
                kind,
            ))
            .await
            .expect("DetachCenChildInstance");
        assert_request_id(&detached.request_id);
    }
    expect_service_error(
        client
            .send(&DetachCenChildInstance::new(
                id.as_str(),
                "vpc-hz-1",
                "cn-hangzhou",
                "VPC",
            ))
            .await,
        404,
        "InvalidChildInstanceId.NotFound",
    );
    let none = client
        .send(&DescribeCenAttachedChildInstances::new(id.as_str()))
        .await
        .expect("DescribeCenAttachedChildInstances");
    assert_eq!(none.total_count, Some(0));

    // A bandwidth package from creation to deletion.
    let created = client
        .send(
            &CreateCenBandwidthPackage::new(10, "China", "Asia-Pacific")
                .name("bwp-1")
                .bandwidth_package_charge_type("POSTPAY"),
        )
        .await
        .expect("CreateCenBandwidthPackage");
    assert_request_id(&created.request_id);
    let bwp = created.cen_bandwidth_package_id.expect("a package id");
    let describe = |bwp: &str| {
        let client = client.clone();
        let request = DescribeCenBandwidthPackages::new().filter([Filter {
            key: Some("CenBandwidthPackageId".into()),
            value: vec![bwp.to_owned()],
        }]);
        async move {
            let answer = client
                .send(&request)
                .await
                .expect("DescribeCenBandwidthPackages");
            assert_request_id(&answer.request_id);
            answer.cen_bandwidth_packages
        }
    };
    let fresh = describe(&bwp).await;
    assert_eq!(fresh.len(), 1);
    assert_eq!(fresh[0].name.as_deref(), Some("bwp-1"));
    assert_eq!(fresh[0].bandwidth, Some(10));
    assert_eq!(fresh[0].status.as_deref(), Some("Idle"));
    assert_eq!(fresh[0].is_cross_border, Some(true));
    assert_eq!(
        fresh[0].bandwidth_package_charge_type.as_deref(),
        Some("POSTPAY")
    );

    let associated = client
        .send(&AssociateCenBandwidthPackage::new(
            bwp.as_str(),
            id.as_str(),
        ))
        .await
        .expect("AssociateCenBandwidthPackage");
    assert_request_id(&associated.request_id);
    let in_use = describe(&bwp).await;
    assert_eq!(in_use[0].status.as_deref(), Some("InUse"));
    assert_eq!(in_use[0].cen_ids, [id.as_str()]);
    let with_package = cen(&client, &id).await.expect("the CEN");
    assert_eq!(with_package.cen_bandwidth_package_ids, [bwp.as_str()]);
    expect_service_error(
        client
            .send(&AssociateCenBandwidthPackage::new(
                bwp.as_str(),
                id.as_str(),
            ))
            .await,
        400,
        "Forbidden.BandwidthPackageAlreadyAssociated",
    );
    expect_service_error(
        client.send(&DeleteCen::new(id.as_str())).await,
        400,
        "Forbidden.CenInstance.BandwidthPackageAssociated",
    );
    expect_service_error(
        client
            .send(&DeleteCenBandwidthPackage::new(bwp.as_str()))
            .await,
        403,
        "InvalidOperation.BwpInstanceStatus",
    );

    let unassociated = client
        .send(&UnassociateCenBandwidthPackage::new(
            bwp.as_str(),
            id.as_str(),
        ))
        .await
        .expect("UnassociateCenBandwidthPackage");
    assert_request_id(&unassociated.request_id);
    assert_eq!(describe(&bwp).await[0].status.as_deref(), Some("Idle"));
    expect_service_error(
        client
            .send(&UnassociateCenBandwidthPackage::new(
                bwp.as_str(),
                id.as_str(),
            ))
            .await,
        400,
        "InvalidOperation.BandwidthPackageNotAssociated",
    );

    let deleted = client
        .send(&DeleteCenBandwidthPackage::new(bwp.as_str()))
        .await
        .expect("DeleteCenBandwidthPackage");
    assert_request_id(&deleted.request_id);
    assert!(describe(&bwp).await.is_empty());
    expect_service_error(
        client
            .send(&DeleteCenBandwidthPackage::new(bwp.as_str()))
            .await,
        400,
        "InvalidCenBandwidthPackageId.NotFound",
    );
    expect_service_error(
        client
            .send(&AssociateCenBandwidthPackage::new(
                bwp.as_str(),
                id.as_str(),
            ))
            .await,
        400,
        "InvalidCenBandwidthPackageId.NotFound",
    );

    // Nothing holds the CEN any more: it goes.
    let deleted = client
        .send(&DeleteCen::new(id.as_str()))
        .await
        .expect("DeleteCen");
    assert_request_id(&deleted.request_id);
    assert!(cen(&client, &id).await.is_none());
    let err = expect_service_error(
        client.send(&DeleteCen::new(id.as_str())).await,
        400,
        "ParameterCenInstanceId",
    );
    assert_eq!(err.attempts(), Some(1));
    expect_service_error(
        client
            .send(&AttachCenChildInstance::new(
                id.as_str(),
                "vpc-hz-1",
                "cn-hangzhou",
                "VPC",
            ))
            .await,
        400,
        "ParameterCenInstanceId",
    );
}

#[tokio::test]
async fn create_cen_sends_a_client_token() {
    let emu = start(builder(Duration::ZERO)).await;
    let client = client(&emu);
    // The client fills ClientToken in; the emulator remembers it.
    create(&client, "one").await;
    create(&client, "two").await;
    let state = emu.service().state::<CenState>().expect("CEN state");
    assert_eq!(state.cens.len(), 2);
    assert_eq!(state.client_tokens.len(), 2, "one token per call");

    // An explicit token makes a repeated create return the first id.
    let first = client
        .send(&CreateCen::new().name("three").client_token("my-token-1"))
        .await
        .expect("CreateCen");
    let second = client
        .send(&CreateCen::new().name("three").client_token("my-token-1"))
        .await
        .expect("CreateCen again");
    assert!(first.cen_id.is_some());
    assert_eq!(first.cen_id, second.cen_id);
    let all = cens(&client, DescribeCens::new()).await;
    assert_eq!(all.len(), 3);
}
