//! CDN operations with state: domains, their configs, cache refresh and
//! preload tasks, and tags.

use serde_json::{Map, Value, json};

use crate::clock::format_timestamp;
use crate::judge::Params;
use crate::reply::{ApiError, obj};
use crate::state::Domain;
use crate::state::{
    CacheTask, Ctx, DomainConfig, Origin, State, page_of, paging, required, tags_param,
};

const PRODUCT: &str = "Cdn";
const DOMAIN_TYPE: &str = "DOMAIN";

/// Daily quotas, as the service grants a new account.
const URL_QUOTA: i64 = 10_000;
const DIR_QUOTA: i64 = 100;
const REGEX_QUOTA: i64 = 20;
const IGNORE_PARAMS_QUOTA: i64 = 10_000;
const PRELOAD_QUOTA: i64 = 1_000;
const BLOCK_QUOTA: i64 = 100;

type Answer = Result<Map<String, Value>, ApiError>;

/// Runs `action` if it is one the emulator keeps state for; `None` otherwise.
pub(crate) fn handle(st: &mut State, action: &str, p: &Params, ctx: &Ctx) -> Option<Answer> {
    let answer = match action {
        "AddCdnDomain" => add_domain(st, p, ctx),
        "DescribeUserDomains" => describe_user_domains(st, p),
        "DescribeCdnDomainDetail" => describe_domain_detail(st, p),
        "StartCdnDomain" => set_status(st, p, ctx, "online"),
        "StopCdnDomain" => set_status(st, p, ctx, "offline"),
        "DeleteCdnDomain" => delete_domain(st, p),
        "BatchSetCdnDomainConfig" => batch_set_config(st, p, ctx),
        "DescribeCdnDomainConfigs" => describe_configs(st, p),
        "BatchDeleteCdnDomainConfig" => batch_delete_config(st, p, ctx),
        "RefreshObjectCaches" => refresh(st, p, ctx),
        "PushObjectCache" => push(st, p, ctx),
        "DescribeRefreshTasks" => describe_tasks(st, p, ctx),
        "DescribeRefreshQuota" => describe_quota(st, ctx),
        "TagResources" => tag_resources(st, p),
        "UntagResources" => untag_resources(st, p),
        "ListTagResources" => list_tag_resources(st, p),
        _ => return None,
    };
    Some(answer)
}

fn not_found(name: &str) -> ApiError {
    ApiError::new(
        404,
        "InvalidDomain.NotFound",
        format!("The domain {name} does not exist or does not belong to you."),
    )
}

fn domain_mut<'a>(st: &'a mut State, name: &str) -> Result<&'a mut Domain, ApiError> {
    st.domains.get_mut(name).ok_or_else(|| not_found(name))
}

fn valid_domain_name(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    name.len() <= 253
        && labels.len() >= 2
        && labels.iter().enumerate().all(|(i, l)| {
            (i == 0 && *l == "*")
                || (!l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        })
}

fn parse_sources(text: &str) -> Result<Vec<Origin>, ApiError> {
    let bad = || {
        ApiError::new(
            400,
            "InvalidSources.Malformed",
            "The Sources parameter must be a JSON list of origins, each with content and type.",
        )
    };
    let v: Value = serde_json::from_str(text).map_err(|_| bad())?;
    let items = v.as_array().filter(|a| !a.is_empty()).ok_or_else(bad)?;
    let text_of = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    items
        .iter()
        .map(|item| {
            let content = item
                .get("content")
                .and_then(text_of)
                .filter(|s| !s.is_empty())
                .ok_or_else(bad)?;
            let kind = item
                .get("type")
                .and_then(text_of)
                .filter(|s| !s.is_empty())
                .ok_or_else(bad)?;
            let port = match item.get("port").and_then(text_of) {
                Some(p) => p
                    .parse::<i64>()
                    .ok()
                    .filter(|p| (1..=65_535).contains(p))
                    .ok_or_else(bad)?,
                None => 80,
            };
            Ok(Origin {
                content,
                kind,
                port,
                priority: item
                    .get("priority")
                    .and_then(text_of)
                    .unwrap_or_else(|| "20".into()),
                weight: item
                    .get("weight")
                    .and_then(text_of)
                    .unwrap_or_else(|| "10".into()),
            })
        })
        .collect()
}

fn add_domain(st: &mut State, p: &Params, ctx: &Ctx) -> Answer {
    let name = required(p, "DomainName")?.to_ascii_lowercase();
    if !valid_domain_name(&name) {
        return Err(ApiError::new(
            400,
            "InvalidDomainName.Malformed",
            format!("The domain name {name} is not valid."),
        ));
    }
    let cdn_type = required(p, "CdnType")?;
    if !matches!(cdn_type, "web" | "download" | "video") {
        return Err(ApiError::new(
            400,
            "InvalidCdnType.ValueNotSupported",
            format!("CdnType {cdn_type} is not supported; use web, download or video."),
        ));
    }
    let scope = p.get("Scope").unwrap_or("domestic");
    if !matches!(scope, "domestic" | "overseas" | "global") {
        return Err(ApiError::invalid_param(
            "Scope",
            "use domestic, overseas or global",
        ));
    }
    let sources = parse_sources(required(p, "Sources")?)?;
    let tags = tags_param(p)?;
    if st.domains.contains_key(&name) {
        return Err(ApiError::new(
            400,
            "DomainAlreadyExist",
            format!("The domain {name} has already been added."),
        ));
    }
    let id = st.next_serial() as i64 + 10_000_000;
    let now = ctx.now();
    st.domains.insert(
        name.clone(),
        Domain {
            name: name.clone(),
            id,
            cdn_type: cdn_type.to_owned(),
            scope: scope.to_owned(),
            sources,
            resource_group_id: p
                .get("ResourceGroupId")
                .unwrap_or("rg-acfmyuji4b6r4ry")
                .to_owned(),
            status: "configuring".into(),
            settles_at_ms: ctx.now_ms + ctx.settle_ms,
            created: now,
            modified: now,
            configs: Vec::new(),
        },
    );
    let tags: Vec<(String, String)> = tags
        .into_iter()
        .map(|(k, v)| (k, v.unwrap_or_default()))
        .collect();
    st.add_tags(PRODUCT, DOMAIN_TYPE, &name, &tags);
    st.settle(ctx.now_ms);
    Ok(Map::new())
}

fn cname(d: &Domain) -> String {
    format!("{}.w.kunlunsl.com", d.name)
}

fn describe_user_domains(st: &State, p: &Params) -> Answer {
    let (number, size) = paging(p, 20, 500)?;
    let search = p.get("DomainName").unwrap_or("").to_ascii_lowercase();
    let search_type = p.get("DomainSearchType").unwrap_or("fuzzy_match");
    if !matches!(
        search_type,
        "fuzzy_match" | "pre_match" | "suf_match" | "full_match"
    ) {
        return Err(ApiError::invalid_param(
            "DomainSearchType",
            "use fuzzy_match, pre_match, suf_match or full_match",
        ));
    }
    let tag_filter = tags_param(p)?;
    let matching: Vec<&Domain> = st
        .domains
        .values()
        .filter(|d| {
            search.is_empty()
                || match search_type {
                    "pre_match" => d.name.starts_with(&search),
                    "suf_match" => d.name.ends_with(&search),
                    "full_match" => d.name == search,
                    _ => d.name.contains(&search),
                }
        })
        .filter(|d| p.get("DomainStatus").is_none_or(|s| s == d.status))
        .filter(|d| p.get("CdnType").is_none_or(|t| t == d.cdn_type))
        .filter(|d| {
            p.get("ResourceGroupId")
                .is_none_or(|g| g == d.resource_group_id)
        })
        .filter(|d| p.get("Coverage").is_none_or(|c| c == d.scope))
        .filter(|d| st.matches_tags(PRODUCT, DOMAIN_TYPE, &d.name, &tag_filter))
        .collect();
    let page: Vec<Value> = page_of(&matching, number, size)
        .into_iter()
        .map(|d| {
            let sources: Vec<Value> = d
                .sources
                .iter()
                .map(|s| {
                    json!({"Content": s.content, "Type": s.kind, "Port": s.port,
                           "Priority": s.priority, "Weight": s.weight})
                })
                .collect();
            json!({
                "DomainName": d.name, "DomainId": d.id, "Cname": cname(d), "CdnType": d.cdn_type,
                "DomainStatus": d.status, "GmtCreated": format_timestamp(d.created),
                "GmtModified": format_timestamp(d.modified), "Description": "",
                "Coverage": d.scope, "ResourceGroupId": d.resource_group_id, "Sandbox": "normal",
                "SslProtocol": "off", "Sources": {"Source": sources},
            })
        })
        .collect();
    Ok(obj(json!({
        "Domains": {"PageData": page},
        "PageNumber": number,
        "PageSize": size,
        "TotalCount": matching.len(),
    })))
}

fn describe_domain_detail(st: &State, p: &Params) -> Answer {
    let name = required(p, "DomainName")?.to_ascii_lowercase();
    let d = st.domains.get(&name).ok_or_else(|| not_found(&name))?;
    let sources: Vec<Value> = d
        .sources
        .iter()
        .map(|s| {
            json!({"Content": s.content, "Type": s.kind, "Port": s.port, "Priority": s.priority,
                   "Weight": s.weight, "Enabled": "online"})
        })
        .collect();
    Ok(obj(json!({
        "GetDomainDetailModel": {
            "DomainName": d.name, "Cname": cname(d), "HttpsCname": cname(d), "CdnType": d.cdn_type,
            "DomainStatus": d.status, "Scope": d.scope, "Description": "",
            "GmtCreated": format_timestamp(d.created), "GmtModified": format_timestamp(d.modified),
            "ResourceGroupId": d.resource_group_id, "ServerCertificateStatus": "off",
            "SourceModels": {"SourceModel": sources},
        }
    })))
}

fn set_status(st: &mut State, p: &Params, ctx: &Ctx, target: &str) -> Answer {
    let name = required(p, "DomainName")?.to_ascii_lowercase();
    let d = domain_mut(st, &name)?;
    // Starting a domain that is still being configured leaves it to finish;
    // otherwise the change is immediate.
    if !(target == "online" && d.status == "configuring") {
        d.status = target.to_owned();
    }
    d.modified = ctx.now();
    Ok(Map::new())
}

fn delete_domain(st: &mut State, p: &Params) -> Answer {
    let name = required(p, "DomainName")?.to_ascii_lowercase();
    if st.domains.remove(&name).is_none() {
        return Err(not_found(&name));
    }
    st.remove_tags(PRODUCT, DOMAIN_TYPE, &name, None);
    Ok(Map::new())
}

fn domain_list(p: &Params, name: &str) -> Result<Vec<String>, ApiError> {
    let list: Vec<String> = required(p, name)?
        .split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    if list.is_empty() {
        return Err(ApiError::missing_param(name));
    }
    Ok(list)
}

/// One entry of the `Functions` param.
struct FunctionSpec {
    name: String,
    args: Vec<(String, String)>,
    parent: String,
}

fn parse_functions(text: &str) -> Result<Vec<FunctionSpec>, ApiError> {
    let bad = || {
        ApiError::new(
            400,
            "InvalidFunctions.Malformed",
            "The Functions parameter must be a JSON list of {functionName, functionArgs} objects.",
        )
    };
    let v: Value = serde_json::from_str(text).map_err(|_| bad())?;
    let items = v.as_array().filter(|a| !a.is_empty()).ok_or_else(bad)?;
    let text_of = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    };
    items
        .iter()
        .map(|f| {
            let name = f
                .get("functionName")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or_else(bad)?;
            let args = f
                .get("functionArgs")
                .and_then(Value::as_array)
                .ok_or_else(bad)?
                .iter()
                .map(|a| {
                    let n = a.get("argName").and_then(Value::as_str).ok_or_else(bad)?;
                    let v = a.get("argValue").and_then(text_of).unwrap_or_default();
                    Ok((n.to_owned(), v))
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            let parent = f.get("parentId").and_then(text_of).unwrap_or_default();
            Ok(FunctionSpec {
                name: name.to_owned(),
                args,
                parent,
            })
        })
        .collect()
}

fn batch_set_config(st: &mut State, p: &Params, ctx: &Ctx) -> Answer {
    let names = domain_list(p, "DomainNames")?;
    let functions = parse_functions(required(p, "Functions")?)?;
    if let Some(missing) = names.iter().find(|n| !st.domains.contains_key(*n)) {
        return Err(not_found(missing));
    }
    let mut models = Vec::new();
    for name in &names {
        for FunctionSpec {
            name: function,
            args,
            parent,
        } in &functions
        {
            let fresh_id = st.next_serial() as i64 + 5_000_000;
            let Some(d) = st.domains.get_mut(name) else {
                continue;
            };
            let id = match d.configs.iter_mut().find(|c| &c.function_name == function) {
                Some(existing) => {
                    existing.args = args.clone();
                    existing.parent_id = parent.clone();
                    existing.id
                }
                None => {
                    d.configs.push(DomainConfig {
                        id: fresh_id,
                        function_name: function.clone(),
                        args: args.clone(),
                        parent_id: parent.clone(),
                    });
                    fresh_id
                }
            };
            d.modified = ctx.now();
            models.push(json!({"ConfigId": id, "DomainName": name, "FunctionName": function}));
        }
    }
    Ok(obj(
        json!({"DomainConfigList": {"DomainConfigModel": models}}),
    ))
}

fn describe_configs(st: &State, p: &Params) -> Answer {
    let name = required(p, "DomainName")?.to_ascii_lowercase();
    let d = st.domains.get(&name).ok_or_else(|| not_found(&name))?;
    let wanted: Vec<&str> = p
        .get("FunctionNames")
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let configs: Vec<Value> = d
        .configs
        .iter()
        .filter(|c| wanted.is_empty() || wanted.contains(&c.function_name.as_str()))
        .filter(|c| p.get("ConfigId").is_none_or(|id| id == c.id.to_string()))
        .map(|c| {
            let args: Vec<Value> = c
                .args
                .iter()
                .map(|(n, v)| json!({"ArgName": n, "ArgValue": v}))
                .collect();
            json!({"ConfigId": c.id.to_string(), "FunctionName": c.function_name,
                   "ParentId": c.parent_id, "Status": "success",
                   "FunctionArgs": {"FunctionArg": args}})
        })
        .collect();
    Ok(obj(json!({"DomainConfigs": {"DomainConfig": configs}})))
}

fn batch_delete_config(st: &mut State, p: &Params, ctx: &Ctx) -> Answer {
    let names = domain_list(p, "DomainNames")?;
    let functions: Vec<String> = required(p, "FunctionNames")?
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(missing) = names.iter().find(|n| !st.domains.contains_key(*n)) {
        return Err(not_found(missing));
    }
    for name in &names {
        if let Some(d) = st.domains.get_mut(name) {
            d.configs.retain(|c| !functions.contains(&c.function_name));
            d.modified = ctx.now();
        }
    }
    Ok(Map::new())
}

/// Splits an `ObjectPath` list (one per line) and finds each path's domain.
fn object_paths(st: &State, p: &Params) -> Result<Vec<(String, String)>, ApiError> {
    let text = required(p, "ObjectPath")?;
    let mut out = Vec::new();
    for line in text
        .split('\n')
        .map(|l| l.trim_end_matches('\r').trim())
        .filter(|l| !l.is_empty())
    {
        let rest = line
            .strip_prefix("http://")
            .or_else(|| line.strip_prefix("https://"))
            .unwrap_or(line);
        let host = rest
            .split(['/', '?', ':'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if host.is_empty() {
            return Err(ApiError::new(
                400,
                "InvalidObjectPath.Malformed",
                format!("The object path {line} does not name a domain."),
            ));
        }
        let known = st.domains.contains_key(&host)
            || st.domains.keys().any(|d| {
                d.strip_prefix("*.")
                    .is_some_and(|base| host.ends_with(&format!(".{base}")))
            });
        if !known {
            return Err(not_found(&host));
        }
        out.push((line.to_owned(), host));
    }
    if out.is_empty() {
        return Err(ApiError::missing_param("ObjectPath"));
    }
    Ok(out)
}

fn roll_quota_day(st: &mut State, ctx: &Ctx) {
    let day = ctx.now().div_euclid(86_400);
    if st.quota.day != day {
        st.quota = crate::state::QuotaUse {
            day,
            ..Default::default()
        };
    }
}

fn add_tasks(st: &mut State, paths: Vec<(String, String)>, kind: &str, ctx: &Ctx) -> String {
    let task_id = (st.next_serial() + 17_000_000_000).to_string();
    for (path, domain) in paths {
        st.tasks.push(CacheTask {
            task_id: task_id.clone(),
            object_path: path,
            object_type: kind.to_owned(),
            domain,
            created: ctx.now(),
            done_at_ms: ctx.now_ms + ctx.settle_ms,
        });
    }
    // Keep the task log bounded, as the service keeps only recent tasks.
    let excess = st.tasks.len().saturating_sub(10_000);
    st.tasks.drain(..excess);
    task_id
}

fn refresh(st: &mut State, p: &Params, ctx: &Ctx) -> Answer {
    let kind = p.get("ObjectType").unwrap_or("File").to_ascii_lowercase();
    let paths = object_paths(st, p)?;
    roll_quota_day(st, ctx);
    let n = paths.len() as i64;
    let (used, quota) = match kind.as_str() {
        "file" => (&mut st.quota.url, URL_QUOTA),
        "directory" => (&mut st.quota.dir, DIR_QUOTA),
        "regex" => (&mut st.quota.regex, REGEX_QUOTA),
        "ignoreparams" => (&mut st.quota.ignore_params, IGNORE_PARAMS_QUOTA),
        _ => {
            return Err(ApiError::invalid_param(
                "ObjectType",
                "use File, Directory, Regex or IgnoreParams",
            ));
        }
    };
    if *used + n > quota {
        return Err(ApiError::new(
            400,
            "QuotaExceeded.Refresh",
            format!("The refresh quota for {kind} is exhausted for today ({quota} a day)."),
        ));
    }
    *used += n;
    let id = add_tasks(st, paths, &kind, ctx);
    Ok(obj(json!({"RefreshTaskId": id})))
}

fn push(st: &mut State, p: &Params, ctx: &Ctx) -> Answer {
    let paths = object_paths(st, p)?;
    roll_quota_day(st, ctx);
    let n = paths.len() as i64;
    if st.quota.preload + n > PRELOAD_QUOTA {
        return Err(ApiError::new(
            400,
            "QuotaExceeded.Preload",
            format!("The preload quota is exhausted for today ({PRELOAD_QUOTA} a day)."),
        ));
    }
    st.quota.preload += n;
    let id = add_tasks(st, paths, "preload", ctx);
    Ok(obj(json!({"PushTaskId": id})))
}

fn describe_tasks(st: &State, p: &Params, ctx: &Ctx) -> Answer {
    let (number, size) = paging(p, 20, 100)?;
    let status_of = |t: &CacheTask| {
        if ctx.now_ms >= t.done_at_ms {
            "Complete"
        } else {
            "Refreshing"
        }
    };
    let kind = p.get("ObjectType").map(str::to_ascii_lowercase);
    let mut matching: Vec<&CacheTask> = st
        .tasks
        .iter()
        .filter(|t| p.get("TaskId").is_none_or(|id| id == t.task_id))
        .filter(|t| {
            p.get("ObjectPath")
                .is_none_or(|o| t.object_path.contains(o))
        })
        .filter(|t| {
            p.get("DomainName")
                .is_none_or(|d| d.eq_ignore_ascii_case(&t.domain))
        })
        .filter(|t| p.get("Status").is_none_or(|s| s == status_of(t)))
        .filter(|t| kind.as_deref().is_none_or(|k| k == t.object_type))
        .collect();
    matching.reverse();
    let page: Vec<Value> = page_of(&matching, number, size)
        .into_iter()
        .map(|t| {
            let done = status_of(t) == "Complete";
            json!({
                "TaskId": t.task_id, "ObjectPath": t.object_path, "ObjectType": t.object_type,
                "Status": status_of(t), "Process": if done { "100%" } else { "0%" },
                "CreationTime": format_timestamp(t.created), "Description": "",
            })
        })
        .collect();
    Ok(obj(json!({
        "Tasks": {"CDNTask": page},
        "PageNumber": number,
        "PageSize": size,
        "TotalCount": matching.len(),
    })))
}

fn describe_quota(st: &mut State, ctx: &Ctx) -> Answer {
    roll_quota_day(st, ctx);
    let q = &st.quota;
    let s = |n: i64| n.to_string();
    Ok(obj(json!({
        "UrlQuota": s(URL_QUOTA), "UrlRemain": s(URL_QUOTA - q.url),
        "DirQuota": s(DIR_QUOTA), "DirRemain": s(DIR_QUOTA - q.dir),
        "RegexQuota": s(REGEX_QUOTA), "RegexRemain": s(REGEX_QUOTA - q.regex),
        "IgnoreParamsQuota": s(IGNORE_PARAMS_QUOTA), "IgnoreParamsRemain": s(IGNORE_PARAMS_QUOTA - q.ignore_params),
        "PreloadQuota": s(PRELOAD_QUOTA), "PreloadRemain": s(PRELOAD_QUOTA - q.preload),
        "PreloadEdgeQuota": s(PRELOAD_QUOTA), "PreloadEdgeRemain": s(PRELOAD_QUOTA - q.preload),
        "BlockQuota": s(BLOCK_QUOTA), "BlockRemain": s(BLOCK_QUOTA),
    })))
}

fn check_resource_type(p: &Params) -> Result<(), ApiError> {
    let kind = required(p, "ResourceType")?;
    if kind.eq_ignore_ascii_case(DOMAIN_TYPE) {
        Ok(())
    } else {
        Err(ApiError::invalid_param(
            "ResourceType",
            "the only resource type is DOMAIN",
        ))
    }
}

fn resource_ids(st: &State, p: &Params, need_one: bool) -> Result<Vec<String>, ApiError> {
    let ids: Vec<String> = p
        .list("ResourceId")
        .into_iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    if need_one && ids.is_empty() {
        return Err(ApiError::missing_param("ResourceId.1"));
    }
    if let Some(missing) = ids.iter().find(|id| !st.domains.contains_key(*id)) {
        return Err(not_found(missing));
    }
    Ok(ids)
}

fn tag_resources(st: &mut State, p: &Params) -> Answer {
    check_resource_type(p)?;
    let ids = resource_ids(st, p, true)?;
    let tags: Vec<(String, String)> = tags_param(p)?
        .into_iter()
        .map(|(k, v)| (k, v.unwrap_or_default()))
        .collect();
    if tags.is_empty() {
        return Err(ApiError::missing_param("Tag.1.Key"));
    }
    for id in &ids {
        st.add_tags(PRODUCT, DOMAIN_TYPE, id, &tags);
    }
    Ok(Map::new())
}

fn untag_resources(st: &mut State, p: &Params) -> Answer {
    check_resource_type(p)?;
    let ids = resource_ids(st, p, true)?;
    let keys = p.list("TagKey");
    let all = p.get("All").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    for id in &ids {
        if keys.is_empty() {
            if all {
                st.remove_tags(PRODUCT, DOMAIN_TYPE, id, None);
            }
        } else {
            st.remove_tags(PRODUCT, DOMAIN_TYPE, id, Some(&keys));
        }
    }
    Ok(Map::new())
}

/// Lists `(resource, key, value)` rows of one product and resource type;
/// shared with CEN, whose answer has the same shape.
pub(crate) fn list_tags(
    st: &State,
    product: &str,
    kind: &str,
    p: &Params,
    page_size: i64,
) -> Answer {
    let ids = p.list("ResourceId");
    let filter = tags_param(p)?;
    let mut rows = Vec::new();
    if let Some(by_id) = st
        .tags
        .get(product)
        .and_then(|t| t.get(&kind.to_ascii_lowercase()))
    {
        for (id, tags) in by_id {
            if !ids.is_empty() && !ids.iter().any(|i| i.eq_ignore_ascii_case(id)) {
                continue;
            }
            if !st.matches_tags(product, kind, id, &filter) {
                continue;
            }
            for (k, v) in tags {
                rows.push(
                    json!({"ResourceId": id, "ResourceType": kind, "TagKey": k, "TagValue": v}),
                );
            }
        }
    }
    let start = match p.get("NextToken").filter(|t| !t.is_empty()) {
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|s| *s <= rows.len())
            .ok_or_else(|| {
                ApiError::invalid_param("NextToken", "it was not returned by this service")
            })?,
        None => 0,
    };
    let end = (start + page_size as usize).min(rows.len());
    let next = if end < rows.len() {
        end.to_string()
    } else {
        String::new()
    };
    Ok(obj(json!({
        "TagResources": {"TagResource": rows[start..end].to_vec()},
        "NextToken": next,
    })))
}

fn list_tag_resources(st: &State, p: &Params) -> Answer {
    check_resource_type(p)?;
    list_tags(st, PRODUCT, DOMAIN_TYPE, p, 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_names() {
        for ok in [
            "example.com",
            "a-b.example.com",
            "*.example.com",
            "x_y.example.org",
        ] {
            assert!(valid_domain_name(ok), "{ok}");
        }
        for bad in ["", "com", "-a.com", "a..com", "a b.com", "a.*.com"] {
            assert!(!valid_domain_name(bad), "{bad}");
        }
    }

    #[test]
    fn sources_parse_with_defaults() {
        let s = parse_sources(r#"[{"content":"1.1.1.1","type":"ipaddr","port":"443"}]"#).unwrap();
        assert_eq!(s[0].port, 443);
        assert_eq!(s[0].priority, "20");
        assert!(parse_sources("[]").is_err());
        assert!(parse_sources("nope").is_err());
    }
}
