//! CDN lifecycles through the typed `aliapi_cdn` requests and the real
//! client, against the in-process emulator.

use crate::common;

use std::time::Duration;

use aliapi_cdn::{
    AddCdnDomain, BatchSetCdnDomainConfig, DeleteCdnDomain, DescribeCdnDomainConfigs,
    DescribeCdnDomainDetail, DescribeRefreshQuota, DescribeRefreshTasks, DescribeUserDomains,
    ListTagResources, PushObjectCache, RefreshObjectCaches, StartCdnDomain, StopCdnDomain, Tag,
    TagResources, UntagResources, tag_resources,
};
use aliapi_core::Client;
use aliapi_core::paginate::{items, pages};
use aliapi_emulator::cdn::CdnState;
use common::{
    SOURCES, assert_request_id, builder, cdn_status, client, expect_service_error, start,
};
use futures_util::TryStreamExt;

async fn status_of(client: &Client, name: &str) -> String {
    let detail = client
        .send(&DescribeCdnDomainDetail::new(name))
        .await
        .expect("DescribeCdnDomainDetail");
    assert_request_id(&detail.request_id);
    detail
        .get_domain_detail_model
        .and_then(|m| m.domain_status)
        .map(|s| s.to_string())
        .expect("a domain status")
}

async fn names(client: &Client, request: DescribeUserDomains) -> Vec<String> {
    let all: Vec<_> = items(client, request)
        .try_collect()
        .await
        .expect("DescribeUserDomains pages");
    all.into_iter()
        .map(|d| d.domain_name.expect("a domain name"))
        .collect()
}

#[tokio::test]
async fn domain_from_add_to_delete() {
    let settle = Duration::from_millis(300);
    let emu = start(builder(settle).manual_clock()).await;
    let client = client(&emu);
    let name = "www.example.com";

    let added = client
        .send(
            &AddCdnDomain::new("web", name, SOURCES)
                .scope("domestic")
                .tag([Tag {
                    key: Some("env".into()),
                    value: Some("test".into()),
                }]),
        )
        .await
        .expect("AddCdnDomain");
    assert_request_id(&added.request_id);

    // A new domain is being checked and configured until the settle time
    // has passed.
    let detail = client
        .send(&DescribeCdnDomainDetail::new(name))
        .await
        .expect("DescribeCdnDomainDetail");
    let model = detail.get_domain_detail_model.expect("a detail model");
    assert_eq!(model.domain_status.as_deref(), Some("checking"));
    assert_eq!(model.domain_name.as_deref(), Some(name));
    assert_eq!(model.cdn_type.as_deref(), Some("web"));
    assert_eq!(model.scope.as_deref(), Some("domestic"));
    assert_eq!(
        model.cname.as_deref(),
        Some("www.example.com.w.kunlunsl.com")
    );
    let origins = model.source_models;
    assert_eq!(origins.len(), 1);
    assert_eq!(origins[0].content.as_deref(), Some("1.1.1.1"));
    assert_eq!(origins[0].port, Some(80));

    // Adding it again is refused with the service's code.
    let again = client.send(&AddCdnDomain::new("web", name, SOURCES)).await;
    expect_service_error(again, 400, "DomainAlreadyExist");

    emu.advance(settle);
    assert_eq!(status_of(&client, name).await, "online");

    let stopped = client
        .send(&StopCdnDomain::new(name))
        .await
        .expect("StopCdnDomain");
    assert_request_id(&stopped.request_id);
    assert_eq!(status_of(&client, name).await, "stopping");
    emu.advance(settle);
    assert_eq!(status_of(&client, name).await, "offline");
    let offline = client
        .send(&DescribeUserDomains::new().domain_status("offline"))
        .await
        .expect("DescribeUserDomains");
    assert_eq!(offline.total_count, Some(1));

    let started = client
        .send(&StartCdnDomain::new(name))
        .await
        .expect("StartCdnDomain");
    assert_request_id(&started.request_id);
    assert_eq!(status_of(&client, name).await, "configuring");
    emu.advance(settle);
    assert_eq!(status_of(&client, name).await, "online");

    let deleted = client
        .send(&DeleteCdnDomain::new(name))
        .await
        .expect("DeleteCdnDomain");
    assert_request_id(&deleted.request_id);
    assert_eq!(status_of(&client, name).await, "deleting");
    emu.advance(settle);
    let gone = client.send(&DescribeCdnDomainDetail::new(name)).await;
    let not_found = |op| cdn_status(op, "InvalidDomain.NotFound");
    let err = expect_service_error(
        gone,
        not_found("DescribeCdnDomainDetail"),
        "InvalidDomain.NotFound",
    );
    assert_eq!(err.attempts(), Some(1), "a refusal is not retried");
    expect_service_error(
        client.send(&DeleteCdnDomain::new(name)).await,
        not_found("DeleteCdnDomain"),
        "InvalidDomain.NotFound",
    );
    expect_service_error(
        client.send(&StartCdnDomain::new(name)).await,
        not_found("StartCdnDomain"),
        "InvalidDomain.NotFound",
    );
    let none = client
        .send(&DescribeUserDomains::new())
        .await
        .expect("DescribeUserDomains");
    assert_eq!(none.total_count, Some(0));
    emu.shutdown().await;
}

#[tokio::test]
async fn add_refuses_bad_input_with_its_codes() {
    let emu = start(builder(Duration::ZERO)).await;
    let client = client(&emu);
    expect_service_error(
        client
            .send(&AddCdnDomain::new("web", "not a domain", SOURCES))
            .await,
        400,
        "InvalidDomainName.Malformed",
    );
    expect_service_error(
        client
            .send(&AddCdnDomain::new("web", "ok.example.com", "[]"))
            .await,
        400,
        "InvalidSources.Malformed",
    );
    expect_service_error(
        client
            .send(&AddCdnDomain::new("image", "ok.example.com", SOURCES))
            .await,
        400,
        "InvalidCdnType.Malformed",
    );
    // Nothing was added by the refused calls.
    assert!(
        emu.service()
            .state::<CdnState>()
            .expect("CDN state")
            .domains
            .is_empty()
    );
}

#[tokio::test]
async fn user_domains_filter_and_page() {
    let emu = start(builder(Duration::ZERO)).await;
    let client = client(&emu);
    let web: Vec<String> = (1..=5).map(|i| format!("a{i}.example.com")).collect();
    let download = ["b1.example.org", "b2.example.org"];
    for name in &web {
        client
            .send(&AddCdnDomain::new("web", name.as_str(), SOURCES))
            .await
            .expect("AddCdnDomain web");
    }
    for name in download {
        client
            .send(
                &AddCdnDomain::new("download", name, SOURCES)
                    .scope("overseas")
                    .tag([Tag {
                        key: Some("team".into()),
                        value: Some("media".into()),
                    }]),
            )
            .await
            .expect("AddCdnDomain download");
    }
    client
        .send(&StopCdnDomain::new("a3.example.com"))
        .await
        .expect("StopCdnDomain");

    // Every domain, two per page: four pages, seven domains, in name order.
    let paged: Vec<_> = pages(&client, DescribeUserDomains::new().page_size(2))
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(paged.len(), 4);
    for (i, page) in paged.iter().enumerate() {
        assert_eq!(page.page_number, Some(i as i64 + 1));
        assert_eq!(page.page_size, Some(2));
        assert_eq!(page.total_count, Some(7));
        assert_request_id(&page.request_id);
    }
    let all = names(&client, DescribeUserDomains::new().page_size(2)).await;
    let mut expected: Vec<String> = web.clone();
    expected.extend(download.iter().map(|s| s.to_string()));
    assert_eq!(all, expected);
    // One page is enough when it holds everything.
    let one_page: Vec<_> = pages(&client, DescribeUserDomains::new().page_size(50))
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(one_page.len(), 1);
    // One page at a time, as a loop over `next()` reads them: the stream is
    // `Unpin`, so no pinning first.
    let mut walk = pages(&client, DescribeUserDomains::new().page_size(3));
    let mut sizes = Vec::new();
    while let Some(page) = futures_util::StreamExt::next(&mut walk).await {
        sizes.push(page.expect("a page").domains.len());
    }
    assert_eq!(sizes, [3, 3, 1]);

    // Filters.
    let c = &client;
    let by = move |r: DescribeUserDomains| names(c, r.page_size(3));
    assert_eq!(
        by(DescribeUserDomains::new()
            .domain_name("example.org")
            .domain_search_type("suf_match"))
        .await,
        download
    );
    assert_eq!(
        by(DescribeUserDomains::new()
            .domain_name("a2")
            .domain_search_type("pre_match"))
        .await,
        ["a2.example.com"]
    );
    assert_eq!(
        by(DescribeUserDomains::new()
            .domain_name("a4.example.com")
            .domain_search_type("full_match"))
        .await,
        ["a4.example.com"]
    );
    assert_eq!(
        by(DescribeUserDomains::new().domain_name("example"))
            .await
            .len(),
        7,
        "fuzzy match by default"
    );
    assert_eq!(
        by(DescribeUserDomains::new().cdn_type("download")).await,
        download
    );
    assert_eq!(
        by(DescribeUserDomains::new().coverage("overseas")).await,
        download
    );
    assert_eq!(
        by(DescribeUserDomains::new().domain_status("offline")).await,
        ["a3.example.com"]
    );
    assert_eq!(
        by(DescribeUserDomains::new().domain_status("online"))
            .await
            .len(),
        6
    );
    assert_eq!(
        by(DescribeUserDomains::new().tag([Tag {
            key: Some("team".into()),
            value: Some("media".into()),
        }]))
        .await,
        download
    );
    assert!(
        by(DescribeUserDomains::new().domain_name("nothing-like-it"))
            .await
            .is_empty()
    );
    expect_service_error(
        client
            .send(&DescribeUserDomains::new().domain_search_type("sideways"))
            .await,
        400,
        "InvalidDomainSearchType.ValueNotSupported",
    );
}

#[tokio::test]
async fn domain_configs_are_set_and_described() {
    let emu = start(builder(Duration::ZERO)).await;
    let client = client(&emu);
    for name in ["c1.example.com", "c2.example.com"] {
        client
            .send(&AddCdnDomain::new("web", name, SOURCES))
            .await
            .expect("AddCdnDomain");
    }
    let functions = r#"[
        {"functionName":"referer_white_list_set","functionArgs":[{"argName":"refer_domain_allow_list","argValue":"example.com"}]},
        {"functionName":"https_force","functionArgs":[{"argName":"enable","argValue":"on"}]}
    ]"#;
    let set = client
        .send(&BatchSetCdnDomainConfig::new(
            "c1.example.com,c2.example.com",
            functions,
        ))
        .await
        .expect("BatchSetCdnDomainConfig");
    assert_request_id(&set.request_id);
    let models = set.domain_config_list;
    assert_eq!(models.len(), 4, "two functions on two domains");
    assert!(models.iter().all(|m| m.config_id.is_some()));

    let configs = client
        .send(&DescribeCdnDomainConfigs::new("c1.example.com"))
        .await
        .expect("DescribeCdnDomainConfigs");
    assert_request_id(&configs.request_id);
    let configs = configs.domain_configs;
    let mut set_names: Vec<&str> = configs
        .iter()
        .filter_map(|c| c.function_name.as_deref())
        .collect();
    set_names.sort_unstable();
    assert_eq!(set_names, ["https_force", "referer_white_list_set"]);

    let one = client
        .send(
            &DescribeCdnDomainConfigs::new("c2.example.com")
                .function_names("referer_white_list_set"),
        )
        .await
        .expect("DescribeCdnDomainConfigs");
    let one = one.domain_configs;
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].status.as_deref(), Some("success"));
    let args = one[0].function_args.clone();
    assert_eq!(args.len(), 1);
    assert_eq!(args[0].arg_name.as_deref(), Some("refer_domain_allow_list"));
    assert_eq!(args[0].arg_value.as_deref(), Some("example.com"));

    // Setting a function again replaces its args, keeping its id.
    let first_id = one[0].config_id.clone();
    client
        .send(&BatchSetCdnDomainConfig::new(
            "c2.example.com",
            r#"[{"functionName":"referer_white_list_set","functionArgs":[{"argName":"refer_domain_allow_list","argValue":"example.net"}]}]"#,
        ))
        .await
        .expect("BatchSetCdnDomainConfig again");
    let again = client
        .send(
            &DescribeCdnDomainConfigs::new("c2.example.com")
                .function_names("referer_white_list_set"),
        )
        .await
        .expect("DescribeCdnDomainConfigs");
    let again = again.domain_configs;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].config_id, first_id);
    let args = again[0].function_args.clone();
    assert_eq!(args[0].arg_value.as_deref(), Some("example.net"));

    expect_service_error(
        client
            .send(&BatchSetCdnDomainConfig::new("c1.example.com", "not json"))
            .await,
        400,
        "InvalidFunctions.Malformed",
    );
    expect_service_error(
        client
            .send(&BatchSetCdnDomainConfig::new("nope.example.com", functions))
            .await,
        cdn_status("BatchSetCdnDomainConfig", "InvalidDomain.NotFound"),
        "InvalidDomain.NotFound",
    );
}

#[tokio::test]
async fn refresh_and_push_count_down_the_quota() {
    let settle = Duration::from_millis(300);
    let emu = start(builder(settle)).await;
    let client = client(&emu);
    client
        .send(&AddCdnDomain::new("web", "r.example.com", SOURCES))
        .await
        .expect("AddCdnDomain");

    let quota = client
        .send(&DescribeRefreshQuota::new())
        .await
        .expect("DescribeRefreshQuota");
    assert_request_id(&quota.request_id);
    let num = |s: &Option<String>| -> i64 {
        s.as_deref()
            .expect("a quota field")
            .parse()
            .expect("a number")
    };
    let (url0, dir0, preload0) = (
        num(&quota.url_remain),
        num(&quota.dir_remain),
        num(&quota.preload_remain),
    );
    assert_eq!(num(&quota.url_quota), url0, "nothing used yet");
    assert_eq!(num(&quota.dir_quota), dir0);
    assert_eq!(num(&quota.preload_quota), preload0);

    let refreshed = client
        .send(&RefreshObjectCaches::new(
            "http://r.example.com/a.js\nhttp://r.example.com/b.css",
        ))
        .await
        .expect("RefreshObjectCaches");
    assert_request_id(&refreshed.request_id);
    let file_task = refreshed.refresh_task_id.expect("a task id");
    let dir_task = client
        .send(&RefreshObjectCaches::new("http://r.example.com/static/").object_type("Directory"))
        .await
        .expect("RefreshObjectCaches directory")
        .refresh_task_id
        .expect("a task id");
    let pushed = client
        .send(&PushObjectCache::new("http://r.example.com/big.bin"))
        .await
        .expect("PushObjectCache");
    assert_request_id(&pushed.request_id);
    let push_task = pushed.push_task_id.expect("a push task id");
    assert!(file_task != dir_task && dir_task != push_task);

    let quota = client
        .send(&DescribeRefreshQuota::new())
        .await
        .expect("DescribeRefreshQuota");
    assert_eq!(num(&quota.url_remain), url0 - 2);
    assert_eq!(num(&quota.dir_remain), dir0 - 1);
    assert_eq!(num(&quota.preload_remain), preload0 - 1);

    // The file task holds both paths and is still running.
    let tasks = client
        .send(&DescribeRefreshTasks::new().task_id(file_task.as_str()))
        .await
        .expect("DescribeRefreshTasks");
    assert_request_id(&tasks.request_id);
    assert_eq!(tasks.total_count, Some(2));
    let running = tasks.tasks;
    assert!(
        running
            .iter()
            .all(|t| t.status.as_deref() == Some("Refreshing"))
    );
    let mut paths: Vec<&str> = running
        .iter()
        .filter_map(|t| t.object_path.as_deref())
        .collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        ["http://r.example.com/a.js", "http://r.example.com/b.css"]
    );

    tokio::time::sleep(settle + Duration::from_millis(100)).await;
    let all: Vec<_> = items(
        &client,
        DescribeRefreshTasks::new()
            .domain_name("r.example.com")
            .page_size(1),
    )
    .try_collect()
    .await
    .expect("every task");
    assert_eq!(all.len(), 4, "two files, one directory, one preload");
    assert!(
        all.iter().all(
            |t| t.status.as_deref() == Some("Complete") && t.process.as_deref() == Some("100%")
        )
    );
    let done = client
        .send(
            &DescribeRefreshTasks::new()
                .status("Complete")
                .object_type("directory"),
        )
        .await
        .expect("DescribeRefreshTasks");
    assert_eq!(done.total_count, Some(1));

    expect_service_error(
        client
            .send(&RefreshObjectCaches::new("http://unknown.example.com/x"))
            .await,
        cdn_status("RefreshObjectCaches", "InvalidDomain.NotFound"),
        "InvalidDomain.NotFound",
    );
    // A refused refresh uses no quota.
    let quota = client
        .send(&DescribeRefreshQuota::new())
        .await
        .expect("DescribeRefreshQuota");
    assert_eq!(num(&quota.url_remain), url0 - 2);
}

#[tokio::test]
async fn tags_are_added_listed_and_removed() {
    let emu = start(builder(Duration::ZERO)).await;
    let client = client(&emu);
    let domains: Vec<String> = (1..=11).map(|i| format!("t{i:02}.example.com")).collect();
    for name in &domains {
        client
            .send(&AddCdnDomain::new("web", name.as_str(), SOURCES))
            .await
            .expect("AddCdnDomain");
    }
    let tag = |k: &str, v: &str| tag_resources::Tag {
        key: k.into(),
        value: Some(v.into()),
    };
    let tagged = client
        .send(&TagResources::new(
            domains.clone(),
            "DOMAIN",
            vec![tag("env", "prod"), tag("owner", "web-team")],
        ))
        .await
        .expect("TagResources");
    assert_request_id(&tagged.request_id);

    // 22 rows, 20 a page: the walk follows NextToken to the second page.
    let rows: Vec<_> = items(&client, ListTagResources::new("DOMAIN"))
        .try_collect()
        .await
        .expect("ListTagResources");
    assert_eq!(rows.len(), 22);
    let first = client
        .send(&ListTagResources::new("DOMAIN"))
        .await
        .expect("ListTagResources");
    assert_request_id(&first.request_id);
    assert!(first.next_token.as_deref().is_some_and(|t| !t.is_empty()));

    let one = client
        .send(&ListTagResources::new("DOMAIN").resource_id(["t01.example.com"]))
        .await
        .expect("ListTagResources");
    let mut pairs: Vec<(String, String)> = one
        .tag_resources
        .into_iter()
        .map(|r| {
            assert_eq!(r.resource_id.as_deref(), Some("t01.example.com"));
            (
                r.tag_key.unwrap_or_default(),
                r.tag_value.unwrap_or_default(),
            )
        })
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            ("env".to_owned(), "prod".to_owned()),
            ("owner".to_owned(), "web-team".to_owned())
        ]
    );

    let untagged = client
        .send(&UntagResources::new(vec!["t01.example.com".to_owned()], "DOMAIN").tag_key(["env"]))
        .await
        .expect("UntagResources");
    assert_request_id(&untagged.request_id);
    let left: Vec<_> = items(
        &client,
        ListTagResources::new("DOMAIN").resource_id(["t01.example.com"]),
    )
    .try_collect()
    .await
    .expect("ListTagResources");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].tag_key.as_deref(), Some("owner"));

    // The tag filter of DescribeUserDomains sees the change.
    let prod = names(
        &client,
        DescribeUserDomains::new().tag([Tag {
            key: Some("env".into()),
            value: Some("prod".into()),
        }]),
    )
    .await;
    assert_eq!(prod.len(), 10);
    assert!(!prod.contains(&"t01.example.com".to_owned()));

    client
        .send(&UntagResources::new(domains.clone(), "DOMAIN").all(true))
        .await
        .expect("UntagResources all");
    let rows: Vec<_> = items(&client, ListTagResources::new("DOMAIN"))
        .try_collect()
        .await
        .expect("ListTagResources");
    assert!(rows.is_empty());

    expect_service_error(
        client
            .send(&TagResources::new(
                vec!["missing.example.com".to_owned()],
                "DOMAIN",
                vec![tag("env", "x")],
            ))
            .await,
        cdn_status("TagResources", "InvalidDomain.NotFound"),
        "InvalidDomain.NotFound",
    );
    expect_service_error(
        client
            .send(&TagResources::new(
                vec!["t02.example.com".to_owned()],
                "INSTANCE",
                vec![tag("env", "x")],
            ))
            .await,
        400,
        "InvalidParameter",
    );
}
