//! DefaultCredentialsChain and CredentialsChain: order, exhaustion, and
//! stopping at a broken source.

use crate::credentials_support::{
    FakeServer, Response, TempDir, closed_port_url, expiration_in, keys_json, provider_config,
    sts_answer,
};
use aliapi_core::providers::{CredentialsChain, DefaultCredentialsChain, Env, EnvironmentProvider};
use aliapi_core::{Credentials, CredentialsError, ProvideCredentials};

const AK_ENV: [(&str, &str); 2] = [
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-ak"),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
];

/// Every source of the chain set up at once; `drop` removes the first n.
struct World {
    home: TempDir,
    token_dir: TempDir,
    sts: FakeServer,
    metadata: FakeServer,
    uri: FakeServer,
}

impl World {
    async fn new() -> World {
        let home = TempDir::new();
        home.write(
            ".aliyun/config.json",
            r#"{"current":"p","profiles":[{"name":"p","mode":"AK","access_key_id":"cli-ak","access_key_secret":"s"}]}"#,
        );
        home.write(
            ".alibabacloud/credentials",
            "[default]\ntype = access_key\naccess_key_id = ini-ak\naccess_key_secret = s\n",
        );
        let token_dir = TempDir::new();
        token_dir.write("token", "jwt");
        let sts = FakeServer::start(|_| {
            Response::ok(sts_answer("oidc-ak", "s", "t", &expiration_in(3600)))
        })
        .await;
        let metadata = FakeServer::start(|req| match req.method.as_str() {
            "PUT" => Response::ok("tok"),
            _ if req.path.ends_with("/security-credentials/") => Response::ok("R"),
            _ => Response::ok(keys_json("ecs-ak", "s", "t", &expiration_in(3600))),
        })
        .await;
        let uri = FakeServer::start(|_| {
            Response::ok(keys_json("uri-ak", "s", "t", &expiration_in(3600)))
        })
        .await;
        World {
            home,
            token_dir,
            sts,
            metadata,
            uri,
        }
    }

    /// Variables for every source from the `skip`-th on (0 = environment).
    fn env(&self, skip: usize) -> Env {
        let mut vars: Vec<(String, String)> = Vec::new();
        let mut add = |k: &str, v: &str| vars.push((k.to_owned(), v.to_owned()));
        if skip < 1 {
            AK_ENV.iter().for_each(|(k, v)| add(k, v));
        }
        if skip < 2 {
            add("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/o");
            add(
                "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
                "acs:ram::1:oidc-provider/p",
            );
            add(
                "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
                self.token_dir.path().join("token").to_str().unwrap(),
            );
        }
        if skip < 3 {
            add("HOME", self.home.path().to_str().unwrap());
        } else if skip < 4 {
            // Only the INI file remains, named explicitly.
            add(
                "ALIBABA_CLOUD_CREDENTIALS_FILE",
                self.home
                    .path()
                    .join(".alibabacloud/credentials")
                    .to_str()
                    .unwrap(),
            );
        }
        if skip >= 5 {
            add("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
        }
        add("ALIBABA_CLOUD_CREDENTIALS_URI", &self.uri.url);
        Env::from_vars(vars)
    }

    fn chain(&self, skip: usize) -> DefaultCredentialsChain {
        DefaultCredentialsChain::builder()
            .configure(
                &provider_config(self.env(skip))
                    .with_sts_endpoint(&self.sts.url)
                    .with_ecs_metadata_endpoint(&self.metadata.url),
            )
            .build()
    }
}

#[tokio::test]
async fn sources_are_asked_in_the_official_order() {
    let world = World::new().await;
    let expected = [
        ("env-ak", "environment"),
        ("oidc-ak", "oidc_role_arn"),
        ("cli-ak", "cli_profile"),
        ("ini-ak", "credentials_file"),
        ("ecs-ak", "ecs_ram_role"),
        ("uri-ak", "credentials_uri"),
    ];
    for (skip, (id, provider)) in expected.into_iter().enumerate() {
        let c = world.chain(skip).provide_credentials().await.unwrap();
        assert_eq!(
            (c.access_key_id(), c.provider_name()),
            (id, provider),
            "skipping {skip}"
        );
    }
    // Earlier sources were not bothered by later ones being present.
    assert_eq!(world.sts.requests().len(), 1);
    assert_eq!(world.uri.requests().len(), 1);
}

#[tokio::test]
async fn exhausted_chain_says_why_for_every_source() {
    let home = TempDir::new();
    let metadata = closed_port_url().await;
    let chain = DefaultCredentialsChain::builder()
        .configure(
            &provider_config(Env::from_vars([("HOME", home.path().to_str().unwrap())]))
                .with_ecs_metadata_endpoint(&metadata),
        )
        .build();
    let err = chain.provide_credentials().await.unwrap_err();
    let CredentialsError::ChainExhausted { tried } = &err else {
        panic!("expected ChainExhausted, got {err:?}");
    };
    assert_eq!(tried.len(), 6, "{tried:#?}");
    let starts = [
        "environment:",
        "oidc_role_arn:",
        "cli_profile:",
        "credentials_file:",
        "ecs_ram_role:",
        "credentials_uri:",
    ];
    for (line, start) in tried.iter().zip(starts) {
        assert!(line.starts_with(start), "{line} should start with {start}");
    }
    assert!(
        tried[0].contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
        "{}",
        tried[0]
    );
    assert!(tried[1].contains("ALIBABA_CLOUD_ROLE_ARN"), "{}", tried[1]);
    assert!(
        tried[2].contains("config.json") && tried[2].contains("does not exist"),
        "{}",
        tried[2]
    );
    assert!(
        tried[3].contains("credentials") && tried[3].contains("does not exist"),
        "{}",
        tried[3]
    );
    assert!(tried[4].contains("did not answer"), "{}", tried[4]);
    assert!(
        tried[5].contains("ALIBABA_CLOUD_CREDENTIALS_URI not set"),
        "{}",
        tried[5]
    );
    let text = err.to_string();
    assert!(text.starts_with("no credentials found; tried:\n"), "{text}");
    assert_eq!(text.lines().count(), 7, "{text}");
}

#[tokio::test]
async fn disabled_metadata_is_reported_as_such() {
    let home = TempDir::new();
    let chain = DefaultCredentialsChain::builder()
        .configure(&provider_config(Env::from_vars([
            ("HOME", home.path().to_str().unwrap()),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ])))
        .build();
    let err = chain.provide_credentials().await.unwrap_err();
    let CredentialsError::ChainExhausted { tried } = &err else {
        panic!("{err:?}");
    };
    assert!(
        tried[4].contains("ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"),
        "{}",
        tried[4]
    );
}

#[tokio::test]
async fn a_broken_source_stops_the_chain() {
    let world = World::new().await;
    // A malformed CLI file while the INI file and everything below are fine.
    world.home.write(".aliyun/config.json", "{ not json");
    let err = world.chain(2).provide_credentials().await.unwrap_err();
    assert!(
        matches!(
            err,
            CredentialsError::Failed {
                provider: "cli_profile",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(world.metadata.requests().is_empty() && world.uri.requests().is_empty());

    // Half-set environment keys are an error too.
    let chain = DefaultCredentialsChain::builder()
        .configure(&provider_config(Env::from_vars([(
            "ALIBABA_CLOUD_ACCESS_KEY_ID",
            "only-id",
        )])))
        .build();
    let err = chain.provide_credentials().await.unwrap_err();
    assert!(
        matches!(
            err,
            CredentialsError::Failed {
                provider: "environment",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_chain_sticks_to_the_source_that_answered() {
    let world = World::new().await;
    let chain = world.chain(4); // ECS first
    for _ in 0..3 {
        assert_eq!(
            chain.provide_credentials().await.unwrap().access_key_id(),
            "ecs-ak"
        );
    }
    // One fetch (token, role, keys): the keys are cached, and the chain does
    // not probe the earlier sources again.
    assert_eq!(world.metadata.requests().len(), 3);
}

#[tokio::test]
async fn custom_chain_moves_past_not_found() {
    let chain = CredentialsChain::new()
        .push(EnvironmentProvider::from_config(&provider_config(
            Env::from_vars::<&str, &str>([]),
        )))
        .push(Credentials::new("static-ak", "s"));
    assert_eq!(chain.len(), 2);
    let c = chain.provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id(), "static-ak");

    let empty = CredentialsChain::new();
    assert!(empty.is_empty());
    let err = empty.provide_credentials().await.unwrap_err();
    assert_eq!(err, CredentialsError::ChainExhausted { tried: vec![] });
}

#[test]
fn debug_of_the_chain_hides_secrets() {
    let chain = CredentialsChain::new().push(Credentials::new("visible-id", "HIDDEN-SECRET"));
    let shown = format!("{chain:?}");
    assert!(
        shown.contains("visible-id") && !shown.contains("HIDDEN-SECRET"),
        "{shown}"
    );
    let env = Env::from_vars([("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ENV-SECRET")]);
    let shown = format!(
        "{:?}",
        DefaultCredentialsChain::builder()
            .configure(&provider_config(env))
            .build()
    );
    assert!(!shown.contains("ENV-SECRET"), "{shown}");
}
