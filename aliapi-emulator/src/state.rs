//! What the emulator remembers between calls, and how it is kept on disk.
//!
//! A state file is replaced atomically: the new content goes to a temporary
//! file in the same directory, is flushed to disk, and is then renamed over
//! the old file. A crash at any point leaves either the old or the new
//! content, never a mix.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::EmulatorError;
use crate::judge::Params;
use crate::reply::ApiError;
use crate::rng::mix;

/// Every resource the emulator keeps, for both products.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct State {
    /// A counter from which ids are derived, so ids never repeat.
    pub serial: u64,
    /// CDN domains by name.
    pub domains: BTreeMap<String, Domain>,
    /// CDN refresh and preload tasks, oldest first.
    pub tasks: Vec<CacheTask>,
    /// Today's use of the refresh and preload quotas.
    pub quota: QuotaUse,
    /// CEN instances by id.
    pub cens: BTreeMap<String, Cen>,
    /// CEN bandwidth packages by id.
    pub bandwidth_packages: BTreeMap<String, BandwidthPackage>,
    /// Tags: product code → resource type (lower case) → resource id → key → value.
    pub tags: BTreeMap<String, BTreeMap<String, TagsById>>,
    /// `ClientToken`s already seen, with the id they created.
    pub client_tokens: BTreeMap<String, String>,
}

/// One resource's tags, key to value.
pub type Tags = BTreeMap<String, String>;

/// The tags of every resource of one type, by resource id.
pub type TagsById = BTreeMap<String, Tags>;

/// A CDN domain.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Domain {
    /// The domain name.
    pub name: String,
    /// Its numeric id.
    pub id: i64,
    /// `web`, `download` or `video`.
    pub cdn_type: String,
    /// `domestic`, `overseas` or `global`.
    pub scope: String,
    /// Its origins.
    pub sources: Vec<Origin>,
    /// The resource group it belongs to.
    pub resource_group_id: String,
    /// `configuring`, `online` or `offline`.
    pub status: String,
    /// When a `configuring` domain goes online (ms since the epoch).
    pub settles_at_ms: i64,
    /// Creation time (seconds since the epoch).
    pub created: i64,
    /// Last change (seconds since the epoch).
    pub modified: i64,
    /// Its feature configs.
    pub configs: Vec<DomainConfig>,
}

/// One origin of a domain.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Origin {
    /// Address or host name.
    pub content: String,
    /// `ipaddr`, `domain`, `oss`, …
    pub kind: String,
    /// Port, 80 unless given.
    pub port: i64,
    /// Priority as text (`20` primary, `30` backup).
    pub priority: String,
    /// Weight as text.
    pub weight: String,
}

/// One feature config of a domain.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct DomainConfig {
    /// Its id.
    pub id: i64,
    /// The feature, e.g. `referer_white_list_set`.
    pub function_name: String,
    /// Its arguments, in the order given.
    pub args: Vec<(String, String)>,
    /// The parent config id, or empty.
    pub parent_id: String,
}

/// A refresh or preload task.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CacheTask {
    /// The task id shared by all paths of one request.
    pub task_id: String,
    /// One URL or directory.
    pub object_path: String,
    /// `file`, `directory`, `regex`, `ignoreparams` or `preload`.
    pub object_type: String,
    /// The domain the path belongs to.
    pub domain: String,
    /// Creation time (seconds since the epoch).
    pub created: i64,
    /// When it completes (ms since the epoch).
    pub done_at_ms: i64,
}

/// Quota use on one UTC day.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct QuotaUse {
    /// Days since the epoch the counts are for.
    pub day: i64,
    /// URLs refreshed.
    pub url: i64,
    /// Directories refreshed.
    pub dir: i64,
    /// Regular expressions refreshed.
    pub regex: i64,
    /// URLs refreshed ignoring params.
    pub ignore_params: i64,
    /// URLs preloaded.
    pub preload: i64,
}

/// A CEN instance.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Cen {
    /// `cen-…`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// `REDUCED` or `FULL`.
    pub protection_level: String,
    /// `Creating` or `Active`.
    pub status: String,
    /// When a `Creating` instance becomes active (ms since the epoch).
    pub settles_at_ms: i64,
    /// Creation time (seconds since the epoch).
    pub created: i64,
    /// The resource group.
    pub resource_group_id: String,
    /// Attached network instances.
    pub children: Vec<ChildInstance>,
}

/// A network instance attached to a CEN instance.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ChildInstance {
    /// e.g. `vpc-…`.
    pub id: String,
    /// `VPC`, `VBR` or `CCN`.
    pub kind: String,
    /// Its region.
    pub region: String,
    /// Its owner's account id.
    pub owner_id: i64,
    /// Attach time (seconds since the epoch).
    pub attached: i64,
    /// When it is fully attached (ms since the epoch).
    pub settles_at_ms: i64,
}

/// A CEN bandwidth package.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct BandwidthPackage {
    /// `cenbwp-…`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Mbit/s.
    pub bandwidth: i64,
    /// One end of the span, e.g. `China`.
    pub region_a: String,
    /// The other end.
    pub region_b: String,
    /// `PREPAY` or `POSTPAY`.
    pub charge_type: String,
    /// Creation time (seconds since the epoch).
    pub created: i64,
    /// The CEN instances it is associated with.
    pub cen_ids: Vec<String>,
}

impl State {
    /// The next value of the id counter.
    pub fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    /// A fresh id such as `cen-k2x9…`: a prefix and 18 base-36 characters
    /// scrambled from the counter, unique within this state.
    pub fn new_id(&mut self, prefix: &str) -> String {
        let n = self.next_serial();
        let mut unique = mix(n ^ 0x5EED_0F1D);
        let mut filler = mix(unique);
        let mut tail = String::with_capacity(18);
        let digit = |d: u64| {
            let d = d as u8;
            if d < 10 {
                (b'0' + d) as char
            } else {
                (b'a' + d - 10) as char
            }
        };
        // Five filler characters, then all 13 base-36 digits of `unique`:
        // `mix` is a bijection on u64, so distinct counters give distinct ids.
        for _ in 0..5 {
            tail.push(digit(filler % 36));
            filler /= 36;
        }
        for _ in 0..13 {
            tail.push(digit(unique % 36));
            unique /= 36;
        }
        format!("{prefix}-{tail}")
    }

    /// Moves every timed transition whose time has come.
    pub fn settle(&mut self, now_ms: i64) {
        for d in self.domains.values_mut() {
            if d.status == "configuring" && now_ms >= d.settles_at_ms {
                d.status = "online".into();
            }
        }
        for c in self.cens.values_mut() {
            if c.status == "Creating" && now_ms >= c.settles_at_ms {
                c.status = "Active".into();
            }
        }
    }

    /// The tags of one resource.
    pub fn tags_of(&self, product: &str, kind: &str, id: &str) -> BTreeMap<String, String> {
        self.tags
            .get(product)
            .and_then(|t| t.get(&kind.to_ascii_lowercase()))
            .and_then(|t| t.get(id))
            .cloned()
            .unwrap_or_default()
    }

    /// Sets tags on one resource.
    pub fn add_tags(&mut self, product: &str, kind: &str, id: &str, tags: &[(String, String)]) {
        if tags.is_empty() {
            return;
        }
        let slot = self
            .tags
            .entry(product.to_owned())
            .or_default()
            .entry(kind.to_ascii_lowercase())
            .or_default()
            .entry(id.to_owned())
            .or_default();
        for (k, v) in tags {
            slot.insert(k.clone(), v.clone());
        }
    }

    /// Removes some (`keys`) or all (`None`) tags of one resource.
    pub fn remove_tags(&mut self, product: &str, kind: &str, id: &str, keys: Option<&[String]>) {
        let Some(by_id) = self
            .tags
            .get_mut(product)
            .and_then(|t| t.get_mut(&kind.to_ascii_lowercase()))
        else {
            return;
        };
        match keys {
            None => {
                by_id.remove(id);
            }
            Some(keys) => {
                if let Some(slot) = by_id.get_mut(id) {
                    for k in keys {
                        slot.remove(k);
                    }
                    if slot.is_empty() {
                        by_id.remove(id);
                    }
                }
            }
        }
    }

    /// Whether a resource carries every `(key, optional value)` in `filter`.
    pub fn matches_tags(
        &self,
        product: &str,
        kind: &str,
        id: &str,
        filter: &[(String, Option<String>)],
    ) -> bool {
        if filter.is_empty() {
            return true;
        }
        let tags = self.tags_of(product, kind, id);
        filter.iter().all(|(k, v)| match (tags.get(k), v) {
            (Some(_), None) => true,
            (Some(have), Some(want)) => have == want,
            (None, _) => false,
        })
    }
}

/// The time and timing settings one operation runs with.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// Now, in ms since the epoch.
    pub now_ms: i64,
    /// How long asynchronous changes (a domain configuring, a CEN being
    /// created, a refresh running) take, in ms.
    pub settle_ms: i64,
}

impl Ctx {
    /// Now, in seconds since the epoch.
    pub fn now(&self) -> i64 {
        self.now_ms.div_euclid(1000)
    }
}

/// The value of a param the operation cannot do without.
pub fn required<'a>(p: &'a Params, name: &str) -> Result<&'a str, ApiError> {
    p.get(name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::missing_param(name))
}

/// `Tag.N.Key` / `Tag.N.Value` pairs, refusing a tag without a key.
pub fn tags_param(p: &Params) -> Result<Vec<(String, Option<String>)>, ApiError> {
    p.object_list("Tag")
        .into_iter()
        .enumerate()
        .map(|(i, t)| match t.get("Key").filter(|k| !k.is_empty()) {
            Some(k) => Ok((k.clone(), t.get("Value").cloned())),
            None => Err(ApiError::missing_param(&format!("Tag.{}.Key", i + 1))),
        })
        .collect()
}

/// `PageNumber` and `PageSize` with the operation's default and maximum.
pub fn paging(p: &Params, default_size: i64, max_size: i64) -> Result<(i64, i64), ApiError> {
    let number = match p.get("PageNumber") {
        Some(v) => v.parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            ApiError::invalid_param("PageNumber", "it must be a whole number from 1")
        })?,
        None => 1,
    };
    let size = match p.get("PageSize") {
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=max_size).contains(n))
            .ok_or_else(|| {
                ApiError::invalid_param("PageSize", &format!("it must be from 1 to {max_size}"))
            })?,
        None => default_size,
    };
    Ok((number, size))
}

/// The slice of `items` on one page.
pub fn page_of<T: Clone>(items: &[T], number: i64, size: i64) -> Vec<T> {
    let start = (number - 1).saturating_mul(size);
    if start < 0 || start as usize >= items.len() {
        return Vec::new();
    }
    items
        .iter()
        .skip(start as usize)
        .take(size as usize)
        .cloned()
        .collect()
}

/// Reads a state file; a missing file is an empty state.
pub fn load(path: &Path) -> Result<State, EmulatorError> {
    match fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| EmulatorError::StateFile {
            path: path.to_owned(),
            reason: format!("not a valid state document: {e}"),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
        Err(e) => Err(EmulatorError::StateFile {
            path: path.to_owned(),
            reason: e.to_string(),
        }),
    }
}

/// The temporary file a save writes before renaming it over `path`.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    path.with_file_name(format!(".{name}.tmp"))
}

/// Writes `state` to `path` atomically (temp file, fsync, rename, fsync of
/// the directory).
pub fn save(path: &Path, state: &State) -> Result<(), EmulatorError> {
    let bytes = serde_json::to_vec_pretty(state).map_err(|e| EmulatorError::StateFile {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    save_bytes(path, &bytes)
}

fn save_bytes(path: &Path, bytes: &[u8]) -> Result<(), EmulatorError> {
    let io_err = |e: std::io::Error| EmulatorError::StateFile {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let tmp = temp_path(path);
    {
        let mut f = fs::File::create(&tmp).map_err(io_err)?;
        f.write_all(bytes).map_err(io_err)?;
        f.sync_all().map_err(io_err)?;
    }
    fs::rename(&tmp, path).map_err(io_err)?;
    // Make the rename itself durable. Not every platform can open a
    // directory for syncing, and the data is already safe, so a failure
    // here is not an error.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_shaped() {
        let mut s = State::default();
        let ids: std::collections::HashSet<String> = (0..1000).map(|_| s.new_id("cen")).collect();
        assert_eq!(ids.len(), 1000);
        let one = s.new_id("cen");
        assert_eq!(one.len(), 4 + 18);
        assert!(
            one[4..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
    }

    #[test]
    fn paging_bounds() {
        let p = Params::from_pairs(vec![("PageSize".into(), "0".into())]);
        assert_eq!(paging(&p, 10, 50).unwrap_err().code, "InvalidParameter");
        let p = Params::from_pairs(vec![
            ("PageNumber".into(), "2".into()),
            ("PageSize".into(), "2".into()),
        ]);
        assert_eq!(paging(&p, 10, 50).unwrap(), (2, 2));
        assert_eq!(page_of(&[1, 2, 3, 4, 5], 2, 2), [3, 4]);
        assert!(page_of(&[1, 2, 3], 9, 2).is_empty());
    }
}
