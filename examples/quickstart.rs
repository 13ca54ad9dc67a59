//! The main job of aliapi in one program.
//!
//! With no credentials in the environment, it starts the built-in emulator on
//! a free loopback port and walks a CDN domain and a CEN instance through
//! their lifecycles, printing each step with its request id.
//!
//! With `ALIBABA_CLOUD_ACCESS_KEY_ID` and `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
//! set, it only reads: it lists your CDN domains and CEN instances from the
//! real endpoints, or from `ALIBABA_CLOUD_ENDPOINT_URL[_CDN|_CBN]` when set.
//!
//! `cargo run --example quickstart`

use std::error::Error;
use std::process::ExitCode;
use std::time::Duration;

use aliapi::cdn::{
    AddCdnDomain, DeleteCdnDomain, DescribeCdnDomainDetail, DescribeRefreshQuota,
    DescribeUserDomains, RefreshObjectCaches, StartCdnDomain, StopCdnDomain,
};
use aliapi::cen::{
    AttachCenChildInstance, CreateCen, DeleteCen, DescribeCenAttachedChildInstances, DescribeCens,
    DetachCenChildInstance, Filter,
};
use aliapi::core::{Client, Credentials};
use aliapi_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator};

#[tokio::main]
async fn main() -> ExitCode {
    let live = std::env::var_os("ALIBABA_CLOUD_ACCESS_KEY_ID").is_some();
    let result = if live {
        read_only().await
    } else {
        offline().await
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nerror: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

/// Prints one step of the walk-through.
fn step(what: &str, outcome: impl std::fmt::Display, request_id: Option<&str>) {
    println!(
        "  {what:<44} {outcome:<38} [request {}]",
        request_id.unwrap_or("?")
    );
}

async fn offline() -> Result {
    // Status changes take effect after a short delay, as on the service.
    let settle = Duration::from_millis(300);
    let emulator = Emulator::builder().settle_time(settle).start().await?;
    println!("aliapi quickstart");
    println!(
        "No credentials in the environment, so this runs against the built-in emulator at {}.",
        emulator.url()
    );
    println!(
        "Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET to read from the real APIs instead."
    );
    let client = Client::builder()
        .credentials(Credentials::new(
            DEFAULT_ACCESS_KEY_ID,
            DEFAULT_ACCESS_KEY_SECRET,
        ))
        .endpoint_url(emulator.url())
        .build()?;

    cdn_lifecycle(&client, settle).await?;
    cen_lifecycle(&client, settle).await?;

    emulator.shutdown().await;
    println!(
        "\nDone: every call above was signed, checked by the emulator and decoded into typed values."
    );
    Ok(())
}

async fn domain_status(client: &Client, domain: &str) -> Result<(String, Option<String>)> {
    let detail = client.send(&DescribeCdnDomainDetail::new(domain)).await?;
    let status = detail
        .get_domain_detail_model
        .and_then(|m| m.domain_status)
        .map(|s| s.to_string())
        .unwrap_or_else(|| "?".into());
    Ok((status, detail.request_id))
}

async fn cdn_lifecycle(client: &Client, settle: Duration) -> Result {
    let domain = "quickstart.example.com";
    println!("\nCDN (Cdn 2018-05-10): a domain from creation to deletion");

    let sources = r#"[{"content":"origin.example.com","type":"domain","priority":"20","port":80,"weight":"10"}]"#;
    let added = client
        .send(&AddCdnDomain::new("web", domain, sources))
        .await?;
    step(
        &format!("AddCdnDomain {domain}"),
        "added",
        added.request_id.as_deref(),
    );

    let (status, id) = domain_status(client, domain).await?;
    step(
        "DescribeCdnDomainDetail",
        format!("status {status}"),
        id.as_deref(),
    );

    tokio::time::sleep(settle * 2).await;
    let (status, id) = domain_status(client, domain).await?;
    step(
        "DescribeCdnDomainDetail, a moment later",
        format!("status {status}"),
        id.as_deref(),
    );

    let listed = client
        .send(&DescribeUserDomains::new().page_size(20))
        .await?;
    let names: Vec<String> = listed
        .domains
        .into_iter()
        .filter_map(|d| d.domain_name)
        .collect();
    step(
        "DescribeUserDomains",
        format!("{} domain(s): {}", names.len(), names.join(", ")),
        listed.request_id.as_deref(),
    );

    let stopped = client.send(&StopCdnDomain::new(domain)).await?;
    step("StopCdnDomain", "stopped", stopped.request_id.as_deref());
    let (status, id) = domain_status(client, domain).await?;
    step(
        "DescribeCdnDomainDetail",
        format!("status {status}"),
        id.as_deref(),
    );

    let started = client.send(&StartCdnDomain::new(domain)).await?;
    step("StartCdnDomain", "started", started.request_id.as_deref());
    let (status, id) = domain_status(client, domain).await?;
    step(
        "DescribeCdnDomainDetail",
        format!("status {status}"),
        id.as_deref(),
    );

    let refresh = client
        .send(&RefreshObjectCaches::new(format!("{domain}/index.html")).object_type("File"))
        .await?;
    step(
        "RefreshObjectCaches /index.html",
        format!("task {}", refresh.refresh_task_id.as_deref().unwrap_or("?")),
        refresh.request_id.as_deref(),
    );
    let quota = client.send(&DescribeRefreshQuota::new()).await?;
    step(
        "DescribeRefreshQuota",
        format!(
            "{} of {} URL refreshes left",
            quota.url_remain.as_deref().unwrap_or("?"),
            quota.url_quota.as_deref().unwrap_or("?")
        ),
        quota.request_id.as_deref(),
    );

    let deleted = client.send(&DeleteCdnDomain::new(domain)).await?;
    step("DeleteCdnDomain", "deleting", deleted.request_id.as_deref());
    // Deleting takes a while: the generated waiter polls until the domain
    // is gone (short delays here, as the emulator settles fast).
    let gone = aliapi::cdn::waiters::domain_deleted(client, domain)
        .min_delay(settle / 2)
        .max_delay(settle)
        .timeout(settle * 20)
        .wait()
        .await?;
    match gone.answer {
        Err(e) => step(
            "DescribeCdnDomainDetail, after deletion",
            format!("refused: {}", e.code().unwrap_or("?")),
            e.request_id(),
        ),
        Ok(_) => return Err("the deleted domain was still described".into()),
    }
    Ok(())
}

async fn cen_lifecycle(client: &Client, settle: Duration) -> Result {
    println!("\nCEN (Cbn 2017-09-12): an instance, a VPC attached and detached");

    let created = client
        .send(
            &CreateCen::new()
                .name("quickstart-cen")
                .description("made by the aliapi quickstart"),
        )
        .await?;
    let cen_id = created.cen_id.ok_or("CreateCen returned no CenId")?;
    step(
        "CreateCen quickstart-cen",
        &cen_id,
        created.request_id.as_deref(),
    );

    for when in [
        "DescribeCens, filtered by CenId",
        "DescribeCens, a moment later",
    ] {
        let filter = Filter {
            key: Some("CenId".into()),
            value: vec![cen_id.clone()],
        };
        let found = client.send(&DescribeCens::new().filter([filter])).await?;
        let status = found
            .cens
            .into_iter()
            .next()
            .and_then(|c| c.status)
            .map(|s| s.to_string())
            .unwrap_or_else(|| "?".into());
        step(
            when,
            format!("status {status}"),
            found.request_id.as_deref(),
        );
        tokio::time::sleep(settle * 2).await;
    }

    let vpc = "vpc-quickstart0001";
    let attached = client
        .send(&AttachCenChildInstance::new(
            &cen_id,
            vpc,
            "cn-hangzhou",
            "VPC",
        ))
        .await?;
    step(
        &format!("AttachCenChildInstance {vpc}"),
        "attached",
        attached.request_id.as_deref(),
    );

    let children = client
        .send(&DescribeCenAttachedChildInstances::new(&cen_id))
        .await?;
    let count = children.child_instances.len();
    step(
        "DescribeCenAttachedChildInstances",
        format!("{count} child instance(s)"),
        children.request_id.as_deref(),
    );

    match client.send(&DeleteCen::new(&cen_id)).await {
        Err(e) => step(
            "DeleteCen while a VPC is attached",
            format!("refused: {}", e.code().unwrap_or("?")),
            e.request_id(),
        ),
        Ok(_) => return Err("a CEN with children was deleted".into()),
    }

    let detached = client
        .send(&DetachCenChildInstance::new(
            &cen_id,
            vpc,
            "cn-hangzhou",
            "VPC",
        ))
        .await?;
    step(
        &format!("DetachCenChildInstance {vpc}"),
        "detaching",
        detached.request_id.as_deref(),
    );
    // Detaching takes a while too; the CEN can be deleted once the VPC is
    // gone from it.
    let gone =
        aliapi::cen::waiters::child_instance_detached(client, &cen_id, vpc, "cn-hangzhou", "VPC")
            .min_delay(settle / 2)
            .max_delay(settle)
            .timeout(settle * 20)
            .wait()
            .await?;
    step(
        "DescribeCenAttachedChildInstanceAttribute",
        format!("detached after {} poll(s)", gone.poll),
        gone.answer.as_ref().err().and_then(|e| e.request_id()),
    );

    let deleted = client.send(&DeleteCen::new(&cen_id)).await?;
    step("DeleteCen", "deleted", deleted.request_id.as_deref());
    Ok(())
}

/// With real credentials: list, never change.
async fn read_only() -> Result {
    let client = Client::from_env()?;
    println!(
        "aliapi quickstart: credentials found, reading (never changing) your CDN domains and CEN instances"
    );

    match client.send(&DescribeUserDomains::new().page_size(10)).await {
        Ok(page) => {
            println!(
                "\nCDN domains ({} in all) [request {}]",
                page.total_count.unwrap_or(0),
                page.request_id.as_deref().unwrap_or("?")
            );
            for d in page.domains {
                println!(
                    "  {:<40} {:<12} {}",
                    d.domain_name.unwrap_or_default(),
                    d.domain_status.map(|s| s.to_string()).unwrap_or_default(),
                    d.cname.unwrap_or_default()
                );
            }
        }
        Err(e) => println!("\nCDN: {e}"),
    }

    match client.send(&DescribeCens::new().page_size(10)).await {
        Ok(page) => {
            println!(
                "\nCEN instances ({} in all) [request {}]",
                page.total_count.unwrap_or(0),
                page.request_id.as_deref().unwrap_or("?")
            );
            for c in page.cens {
                println!(
                    "  {:<28} {:<24} {}",
                    c.cen_id.unwrap_or_default(),
                    c.name.unwrap_or_default(),
                    c.status.map(|s| s.to_string()).unwrap_or_default()
                );
            }
        }
        Err(e) => println!("\nCEN: {e}"),
    }
    Ok(())
}
