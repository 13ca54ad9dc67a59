//! Cache refresh and preload tasks, and the daily quotas they count
//! against.

use serde_json::{Value, json};

use super::domains::not_found;
use super::refusals::{
    OBJECT_PATH_MALFORMED, OBJECT_TYPE_MALFORMED, PRELOAD_QUOTA_EXCEEDED, REFRESH_QUOTA_EXCEEDED,
};
use super::{CacheTask, CdnState, QuotaUse, Store};
use crate::clock::format_timestamp;
use crate::params::Params;
use crate::product::args::{page_of, paging, required};
use crate::product::{Ctx, Outcome};
use crate::refusal::operation::missing_param;
use crate::reply::{ApiError, obj};

/// Daily quotas, as the service grants a new account.
const URL_QUOTA: i64 = 10_000;
const DIR_QUOTA: i64 = 100;
const REGEX_QUOTA: i64 = 20;
const IGNORE_PARAMS_QUOTA: i64 = 10_000;
const PRELOAD_QUOTA: i64 = 1_000;
const BLOCK_QUOTA: i64 = 100;

/// How many tasks are kept, as the service keeps only recent ones.
const TASK_LOG: usize = 10_000;

/// Splits an `ObjectPath` list (one per line) into each path and its host.
fn object_paths(p: &Params) -> Result<Vec<(String, String)>, ApiError> {
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
            return Err(OBJECT_PATH_MALFORMED.with(&[line]));
        }
        out.push((line.to_owned(), host));
    }
    if out.is_empty() {
        return Err(missing_param("ObjectPath"));
    }
    Ok(out)
}

/// Refuses the first path whose host is neither a domain nor under a
/// wildcard domain (`*.example.com`) of this account.
fn check_known(st: &CdnState, paths: &[(String, String)]) -> Result<(), ApiError> {
    for (_, host) in paths {
        // A lookup per label of the host, not a scan of every domain.
        let known = st.domains.contains_key(host)
            || host
                .match_indices('.')
                .any(|(i, _)| st.domains.contains_key(&format!("*{}", &host[i..])));
        if !known {
            return Err(not_found(host));
        }
    }
    Ok(())
}

fn roll_quota_day(st: &mut CdnState, ctx: &Ctx) {
    let day = ctx.now().div_euclid(86_400);
    if st.quota.day != day {
        st.quota = QuotaUse {
            day,
            ..Default::default()
        };
    }
}

fn add_tasks(st: &mut CdnState, paths: Vec<(String, String)>, kind: &str, ctx: &Ctx) -> String {
    let task_id = (st.serial.bump() + 17_000_000_000).to_string();
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
    let excess = st.tasks.len().saturating_sub(TASK_LOG);
    st.tasks.drain(..excess);
    task_id
}

pub(super) fn refresh(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let kind = p.get("ObjectType").unwrap_or("File").to_ascii_lowercase();
    let paths = object_paths(p)?;
    let mut st = store.lock();
    let st = &mut *st;
    check_known(st, &paths)?;
    roll_quota_day(st, ctx);
    let n = paths.len() as i64;
    let (used, quota) = match kind.as_str() {
        "file" => (&mut st.quota.url, URL_QUOTA),
        "directory" => (&mut st.quota.dir, DIR_QUOTA),
        "regex" => (&mut st.quota.regex, REGEX_QUOTA),
        "ignoreparams" => (&mut st.quota.ignore_params, IGNORE_PARAMS_QUOTA),
        _ => {
            return Err(OBJECT_TYPE_MALFORMED.with(&[&kind]));
        }
    };
    if *used + n > quota {
        return Err(REFRESH_QUOTA_EXCEEDED.with(&[&kind, &quota.to_string()]));
    }
    *used += n;
    let id = add_tasks(st, paths, &kind, ctx);
    Ok(obj(json!({"RefreshTaskId": id})))
}

pub(super) fn push(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let paths = object_paths(p)?;
    let mut st = store.lock();
    let st = &mut *st;
    check_known(st, &paths)?;
    roll_quota_day(st, ctx);
    let n = paths.len() as i64;
    if st.quota.preload + n > PRELOAD_QUOTA {
        return Err(PRELOAD_QUOTA_EXCEEDED.with(&[&PRELOAD_QUOTA.to_string()]));
    }
    st.quota.preload += n;
    let id = add_tasks(st, paths, "preload", ctx);
    Ok(obj(json!({"PushTaskId": id})))
}

pub(super) fn describe_tasks(store: &Store<'_>, p: &Params, ctx: &Ctx) -> Outcome {
    let (number, size) = paging(p, 20, 100)?;
    let status_of = |t: &CacheTask| {
        if ctx.now_ms >= t.done_at_ms {
            "Complete"
        } else {
            "Refreshing"
        }
    };
    let kind = p.get("ObjectType").map(str::to_ascii_lowercase);
    let st = store.lock();
    let st = &*st;
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

pub(super) fn describe_quota(store: &Store<'_>, ctx: &Ctx) -> Outcome {
    let mut st = store.lock();
    let st = &mut *st;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cdn::Domain;

    #[test]
    fn paths_are_known_by_exact_or_wildcard_domain() {
        let mut st = CdnState::default();
        for name in ["*.example.com", "exact.org"] {
            st.domains.insert(name.into(), Domain::default());
        }
        let paths = |hosts: &[&str]| -> Vec<(String, String)> {
            hosts
                .iter()
                .map(|h| (format!("http://{h}/x"), (*h).to_owned()))
                .collect()
        };
        assert_eq!(
            check_known(
                &st,
                &paths(&["a.example.com", "b.a.example.com", "exact.org"])
            ),
            Ok(())
        );
        for unknown in ["example.com", "x.exact.org", "example.com.evil"] {
            let err = check_known(&st, &paths(&[unknown])).unwrap_err();
            assert_eq!(err.code, "InvalidDomain.NotFound", "{unknown}");
        }
        let p = Params::from_pairs([(
            "ObjectPath",
            "https://A.example.com/1\r\n\n  b.example.com/2?q ",
        )]);
        let parsed = object_paths(&p).unwrap();
        assert_eq!(parsed[0].1, "a.example.com");
        assert_eq!(
            parsed[1],
            ("b.example.com/2?q".to_owned(), "b.example.com".to_owned())
        );
        let bad = Params::from_pairs([("ObjectPath", "http:///nohost")]);
        assert_eq!(
            object_paths(&bad).unwrap_err().code,
            "InvalidObjectPath.Malformed"
        );
    }
}
