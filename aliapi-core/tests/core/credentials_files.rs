//! CliProfileProvider (`~/.aliyun/config.json`) and CredentialsFileProvider
//! (`~/.alibabacloud/credentials`), with homes in temporary directories.

use crate::credentials_support::{
    FakeServer, Response, TempDir, expiration_in, keys_json, provider_config, sts_answer,
};
use aliapi_core::providers::{CliProfileProvider, CredentialsFileProvider, Env};
use aliapi_core::{CredentialsError, ProvideCredentials};

fn home_env(home: &TempDir, extra: &[(&str, &str)]) -> Env {
    let mut vars = vec![("HOME".to_owned(), home.path().to_str().unwrap().to_owned())];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_vars(vars)
}

const CLI_CONFIG: &str = r#"{
  "current": "main",
  "profiles": [
    {"name": "main", "mode": "AK", "access_key_id": "cli-ak", "access_key_secret": "cli-secret", "region_id": "cn-hangzhou", "output_format": "json"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "sts-ak", "access_key_secret": "sts-secret", "sts_token": "sts-tok"},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": "role-src", "access_key_secret": "role-src-secret",
     "ram_role_arn": "acs:ram::1:role/a", "ram_session_name": "cli-session", "expired_seconds": 900},
    {"name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "role", "ram_role_arn": "acs:ram::1:role/b"},
    {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "InstanceRole"},
    {"name": "oidc", "mode": "OIDC", "ram_role_arn": "acs:ram::1:role/c", "oidc_provider_arn": "acs:ram::1:oidc-provider/p", "oidc_token_file": "TOKEN_FILE"},
    {"name": "loop-a", "mode": "ChainableRamRoleArn", "source_profile": "loop-b", "ram_role_arn": "acs:ram::1:role/x"},
    {"name": "loop-b", "mode": "ChainableRamRoleArn", "source_profile": "loop-a", "ram_role_arn": "acs:ram::1:role/x"},
    {"name": "weird", "mode": "External"},
    {"name": "incomplete", "mode": "AK", "access_key_id": "only-id"}
  ]
}"#;

fn cli_home(token_file: &str) -> TempDir {
    let home = TempDir::new();
    home.write(
        ".aliyun/config.json",
        &CLI_CONFIG.replace("TOKEN_FILE", token_file),
    );
    home
}

/// A fake STS that answers any role (signed or OIDC) with keys naming the
/// role and the caller.
async fn any_sts() -> FakeServer {
    FakeServer::start(|req| {
        let role = req.param("RoleArn").unwrap_or_default();
        let who = req
            .param("AccessKeyId")
            .or_else(|| req.param("OIDCToken").map(|t| format!("oidc:{t}")))
            .unwrap_or_default();
        Response::ok(sts_answer(
            &format!("{role}|{who}"),
            "s",
            "t",
            &expiration_in(3600),
        ))
    })
    .await
}

#[tokio::test]
async fn cli_current_profile_ak() {
    let home = cli_home("");
    let p = CliProfileProvider::builder()
        .configure(&provider_config(home_env(&home, &[])))
        .build_cli();
    let c = p.provide_credentials().await.unwrap();
    assert_eq!(
        (c.access_key_id(), c.access_key_secret()),
        ("cli-ak", "cli-secret")
    );
    assert_eq!(c.security_token(), None);
    assert_eq!(c.provider_name(), "cli_profile");
    let shown = format!("{p:?}");
    assert!(!shown.contains("cli-secret"), "{shown}");
}

#[tokio::test]
async fn cli_profile_env_and_builder_choose_the_profile() {
    let home = cli_home("");
    let p = CliProfileProvider::builder()
        .configure(&provider_config(home_env(
            &home,
            &[("ALIBABA_CLOUD_PROFILE", "sts")],
        )))
        .build_cli();
    let c = p.provide_credentials().await.unwrap();
    assert_eq!(
        (c.access_key_id(), c.security_token()),
        ("sts-ak", Some("sts-tok"))
    );
    let p = CliProfileProvider::builder()
        .configure(&provider_config(home_env(
            &home,
            &[("ALIBABA_CLOUD_PROFILE", "sts")],
        )))
        .profile("main")
        .build_cli();
    assert_eq!(
        p.provide_credentials().await.unwrap().access_key_id(),
        "cli-ak"
    );
}

#[tokio::test]
async fn cli_role_modes_assume_roles_through_sts() {
    let sts = any_sts().await;
    let home = cli_home("");
    let build = |profile: &str| {
        CliProfileProvider::builder()
            .configure(&provider_config(home_env(&home, &[])).with_sts_endpoint(&sts.url))
            .profile(profile)
            .build_cli()
    };
    let c = build("role").provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id(), "acs:ram::1:role/a|role-src");
    let r = &sts.requests()[0];
    assert_eq!(r.param("RoleSessionName").as_deref(), Some("cli-session"));
    assert_eq!(r.param("DurationSeconds").as_deref(), Some("900"));

    // Role b assumed with the temporary keys of role a.
    let c = build("chained").provide_credentials().await.unwrap();
    assert_eq!(
        c.access_key_id(),
        "acs:ram::1:role/b|acs:ram::1:role/a|role-src"
    );
    let last = sts.requests().pop().unwrap();
    assert_eq!(last.param("SecurityToken").as_deref(), Some("t"));
}

#[tokio::test]
async fn cli_oidc_and_ecs_modes() {
    let sts = any_sts().await;
    let dir = TempDir::new();
    let token = dir.write("token", "jwt-1");
    let home = cli_home(token.to_str().unwrap());
    let p = CliProfileProvider::builder()
        .configure(&provider_config(home_env(&home, &[])).with_sts_endpoint(&sts.url))
        .profile("oidc")
        .build_cli();
    assert_eq!(
        p.provide_credentials().await.unwrap().access_key_id(),
        "acs:ram::1:role/c|oidc:jwt-1"
    );

    let md = FakeServer::start(|req| match req.method.as_str() {
        "PUT" => Response::ok("tok"),
        _ if req.path.ends_with("/InstanceRole") => {
            Response::ok(keys_json("ecs-from-cli", "s", "t", &expiration_in(3600)))
        }
        _ => Response::status(404, ""),
    })
    .await;
    let p = CliProfileProvider::builder()
        .configure(&provider_config(home_env(&home, &[])).with_ecs_metadata_endpoint(&md.url))
        .profile("ecs")
        .build_cli();
    assert_eq!(
        p.provide_credentials().await.unwrap().access_key_id(),
        "ecs-from-cli"
    );
    assert_eq!(
        md.count(|r| r.path.ends_with("/security-credentials/")),
        0,
        "role name from the profile"
    );
}

#[tokio::test]
async fn cli_broken_profiles_fail() {
    let home = cli_home("");
    for (profile, expect) in [
        ("loop-a", "loop"),
        ("weird", "not supported"),
        ("incomplete", "access_key_secret"),
    ] {
        let p = CliProfileProvider::builder()
            .configure(&provider_config(home_env(&home, &[])))
            .profile(profile)
            .build_cli();
        let err = p.provide_credentials().await.unwrap_err();
        assert!(
            matches!(
                err,
                CredentialsError::Failed {
                    provider: "cli_profile",
                    ..
                }
            ),
            "{profile}: {err:?}"
        );
        assert!(err.to_string().contains(expect), "{profile}: {err}");
    }
}

#[tokio::test]
async fn cli_missing_file_or_profile_is_not_found() {
    let empty_home = TempDir::new();
    let err = CliProfileProvider::builder()
        .configure(&provider_config(home_env(&empty_home, &[])))
        .build_cli()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("config.json"), "{err}");

    let home = cli_home("");
    let err = CliProfileProvider::builder()
        .configure(&provider_config(home_env(&home, &[])))
        .profile("nope")
        .build_cli()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }), "{err:?}");

    let err = CliProfileProvider::builder()
        .configure(&provider_config(Env::from_vars::<&str, &str>([])))
        .build_cli()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("home directory"), "{err}");

    let err = CliProfileProvider::builder()
        .configure(&provider_config(home_env(
            &home,
            &[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")],
        )))
        .build_cli()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::NotFound { .. }) && err.to_string().contains("disabled"),
        "{err}"
    );
}

#[tokio::test]
async fn cli_malformed_json_fails_without_quoting_the_file() {
    let home = TempDir::new();
    for text in [
        r#"{"current":"main","profiles":[{"name":"main","mode":"AK","access_key_secret":"TOPSECRET""#,
        r#"{"profiles": {"name": "TOPSECRET"}}"#,
        r#"{"profiles":[{"name":"main","expired_seconds":"TOPSECRET"}]}"#,
    ] {
        home.write(".aliyun/config.json", text);
        let err = CliProfileProvider::builder()
            .configure(&provider_config(home_env(&home, &[])))
            .build_cli()
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            matches!(err, CredentialsError::Failed { .. }),
            "{text}: {err:?}"
        );
        let msg = err.to_string();
        assert!(msg.contains("line"), "{msg}");
        assert!(!msg.contains("TOPSECRET"), "{msg}");
    }
}

// ---- INI file ----

const INI: &str = "\
# credentials of the team
[default]
type = access_key
access_key_id = ini-ak
access_key_secret = ini-secret

[temp]
type = sts
access_key_id = tmp-ak
access_key_secret = tmp-secret
security_token = tmp-token

[role]
type = ram_role_arn
access_key_id = role-src
access_key_secret = role-src-secret
role_arn = acs:ram::1:role/ini
role_session_name = ini-session
external_id = ext
duration_seconds = 1800

[instance]
type = ecs_ram_role
role_name = IniRole

[oidc]
type = oidc_role_arn
role_arn = acs:ram::1:role/o
oidc_provider_arn = acs:ram::1:oidc-provider/p
oidc_token_file_path = TOKEN_FILE

[off]
enable = false
type = access_key
access_key_id = x
access_key_secret = y

[odd]
type = bearer
bearer_token = b

[partial]
type = ram_role_arn
access_key_id = a
access_key_secret = SHOULD-NOT-LEAK
";

fn ini_home(token_file: &str) -> TempDir {
    let home = TempDir::new();
    home.write(
        ".alibabacloud/credentials",
        &INI.replace("TOKEN_FILE", token_file),
    );
    home
}

fn file_provider(env: Env) -> CredentialsFileProvider {
    CredentialsFileProvider::builder()
        .configure(&provider_config(env))
        .build_file()
}

#[tokio::test]
async fn ini_default_and_named_sections() {
    let home = ini_home("");
    let c = file_provider(home_env(&home, &[]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.access_key_secret()),
        ("ini-ak", "ini-secret")
    );
    assert_eq!(c.provider_name(), "credentials_file");
    let c = file_provider(home_env(&home, &[("ALIBABA_CLOUD_PROFILE", "temp")]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.security_token()),
        ("tmp-ak", Some("tmp-token"))
    );
}

#[tokio::test]
async fn ini_role_types() {
    let sts = any_sts().await;
    let dir = TempDir::new();
    let token = dir.write("t", "ini-jwt");
    let home = ini_home(token.to_str().unwrap());
    let build = |profile: &str| {
        CredentialsFileProvider::builder()
            .configure(&provider_config(home_env(&home, &[])).with_sts_endpoint(&sts.url))
            .profile(profile)
            .build_file()
    };
    let c = build("role").provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id(), "acs:ram::1:role/ini|role-src");
    let r = &sts.requests()[0];
    assert_eq!(r.param("RoleSessionName").as_deref(), Some("ini-session"));
    assert_eq!(r.param("ExternalId").as_deref(), Some("ext"));
    assert_eq!(r.param("DurationSeconds").as_deref(), Some("1800"));

    let c = build("oidc").provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id(), "acs:ram::1:role/o|oidc:ini-jwt");

    let md = FakeServer::start(|req| match req.method.as_str() {
        "PUT" => Response::ok("tok"),
        _ if req.path.ends_with("/IniRole") => {
            Response::ok(keys_json("ecs-ini", "s", "t", &expiration_in(3600)))
        }
        _ => Response::status(404, ""),
    })
    .await;
    let p = CredentialsFileProvider::builder()
        .configure(&provider_config(home_env(&home, &[])).with_ecs_metadata_endpoint(&md.url))
        .profile("instance")
        .build_file();
    assert_eq!(
        p.provide_credentials().await.unwrap().access_key_id(),
        "ecs-ini"
    );
}

#[tokio::test]
async fn ini_file_path_from_env() {
    let dir = TempDir::new();
    let path = dir.write(
        "elsewhere.ini",
        "[default]\ntype=access_key\naccess_key_id=moved\naccess_key_secret=s\n",
    );
    let env = Env::from_vars([("ALIBABA_CLOUD_CREDENTIALS_FILE", path.to_str().unwrap())]);
    assert_eq!(
        file_provider(env)
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "moved"
    );

    // Named explicitly but absent: a configuration error, not "nothing here".
    let env = Env::from_vars([(
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        dir.path().join("absent").to_str().unwrap(),
    )]);
    let err = file_provider(env).provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::Failed { .. }), "{err:?}");
}

#[tokio::test]
async fn ini_absent_things_are_not_found() {
    let empty = TempDir::new();
    let err = file_provider(home_env(&empty, &[]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }), "{err:?}");

    let home = ini_home("");
    for profile in ["missing", "off"] {
        let err = file_provider(home_env(&home, &[("ALIBABA_CLOUD_PROFILE", profile)]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            matches!(err, CredentialsError::NotFound { .. }),
            "{profile}: {err:?}"
        );
    }
}

#[tokio::test]
async fn ini_broken_sections_fail() {
    let home = ini_home("");
    for (profile, expect) in [("odd", "not supported"), ("partial", "role_arn")] {
        let err = file_provider(home_env(&home, &[("ALIBABA_CLOUD_PROFILE", profile)]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                CredentialsError::Failed {
                    provider: "credentials_file",
                    ..
                }
            ),
            "{err:?}"
        );
        let msg = err.to_string();
        assert!(msg.contains(expect), "{profile}: {msg}");
        assert!(!msg.contains("SHOULD-NOT-LEAK"), "{msg}");
    }
    let no_type = TempDir::new();
    no_type.write(
        ".alibabacloud/credentials",
        "[default]\naccess_key_id = a\n",
    );
    let err = file_provider(home_env(&no_type, &[]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no type"), "{err}");
}

#[tokio::test]
async fn ini_malformed_file_fails_with_the_line_number() {
    let home = TempDir::new();
    home.write(
        ".alibabacloud/credentials",
        "[default]\ntype = access_key\naccess_key_secret PRIVATE\n",
    );
    let err = file_provider(home_env(&home, &[]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::Failed { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("line 3"), "{msg}");
    assert!(!msg.contains("PRIVATE"), "{msg}");

    home.write(".alibabacloud/credentials", "[default\ntype = access_key\n");
    let err = file_provider(home_env(&home, &[]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("line 1"), "{err}");
}
