//! The decoded params of a request, query and form body together, indexed
//! once so that every lookup costs a binary search rather than a scan.
//!
//! A request may carry tens of thousands of params (`Tag.1.Key` …
//! `Tag.20000.Value`). Checking them against the spec asks, for every list
//! item, which params sit under it; scanning all pairs for each question
//! made one such request cost seconds. Here the names are sorted once, so
//! the params under `Tag.` or `Tag.7.` are one contiguous run found by two
//! binary searches, and a whole check costs about as much as the bytes sent.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use aliapi_wire::encode::percent_decode;

use crate::incoming::Incoming;
use crate::refusal::gateway::{BODY_NOT_UTF8, MALFORMED_PARAMS, TOO_MANY_PARAMS};
use crate::reply::ApiError;

/// The most params one request may carry. The real APIs take lists of at
/// most a few hundred items; the bound is generous beyond that, and keeps a
/// 4 MiB body of `a&a&a…` from becoming two million entries.
pub const MAX_PARAMS: usize = 50_000;

/// Params whose values are secrets and never appear in `Debug`.
const SECRET_PARAMS: [&str; 2] = ["Signature", "SecurityToken"];

/// One decoded pair: where its name and value sit in [`Params::text`].
#[derive(Clone, Debug)]
struct Pair {
    name: Range<usize>,
    value: Range<usize>,
}

/// The decoded params of a request, query and form body together, in the
/// order they arrived, with an index by name.
#[derive(Clone, Default)]
pub struct Params {
    /// Every decoded name and value, back to back.
    text: String,
    /// The pairs in arrival order.
    pairs: Vec<Pair>,
    /// Positions in `pairs`, sorted by name; equal names keep arrival order.
    by_name: Vec<u32>,
    /// How many of the leading pairs came from the query string.
    from_query: usize,
}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in self.iter() {
            let value = if SECRET_PARAMS.contains(&name) {
                "<redacted>"
            } else {
                value
            };
            list.entry(&(name, value));
        }
        list.finish()
    }
}

/// The refusal for a malformed query or body.
fn malformed() -> ApiError {
    MALFORMED_PARAMS.error()
}

/// `raw` percent-decoded (`+` as a space), without a copy when there is
/// nothing to decode.
fn decoded(raw: &str) -> Option<Cow<'_, str>> {
    if raw.bytes().any(|b| b == b'%' || b == b'+') {
        percent_decode(raw, true).map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(raw))
    }
}

/// Whether `segment` is a list index as clients write it: decimal digits,
/// no sign, no leading zero.
fn is_index(segment: &str) -> bool {
    !segment.is_empty()
        && segment.bytes().all(|b| b.is_ascii_digit())
        && (segment == "0" || !segment.starts_with('0'))
}

impl Params {
    /// Params from already decoded pairs, in this order.
    pub fn from_pairs<N: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (N, V)>,
    ) -> Params {
        let mut params = Params::default();
        for (n, v) in pairs {
            params.push(n.as_ref(), v.as_ref());
        }
        params.index();
        params
    }

    /// Decodes the query and, for a form body, the body: the params of
    /// `req`, refused when malformed or too many.
    pub fn parse(req: &Incoming<'_>) -> Result<Params, ApiError> {
        let mut params = Params::default();
        params.decode(req.query)?;
        params.from_query = params.pairs.len();
        let is_form = req.content_type.is_none_or(|ct| {
            ct.trim()
                .get(..33)
                .is_some_and(|p| p.eq_ignore_ascii_case("application/x-www-form-urlencoded"))
        });
        if !req.method.eq_ignore_ascii_case("GET") && is_form && !req.body.is_empty() {
            let body = std::str::from_utf8(req.body).map_err(|_| BODY_NOT_UTF8.error())?;
            params.decode(body)?;
        }
        params.index();
        Ok(params)
    }

    fn push(&mut self, name: &str, value: &str) {
        let n = self.text.len();
        self.text.push_str(name);
        let v = self.text.len();
        self.text.push_str(value);
        self.pairs.push(Pair {
            name: n..v,
            value: v..self.text.len(),
        });
    }

    /// Splits and decodes `a=1&b=2`. `+` is read as a space: RFC 3986
    /// clients never send a bare `+` (they write `%2B`), and form encoders
    /// write a space as `+`, so this reading is right for both.
    fn decode(&mut self, raw: &str) -> Result<(), ApiError> {
        for part in raw.split('&').filter(|p| !p.is_empty()) {
            let (n, v) = part.split_once('=').unwrap_or((part, ""));
            let name = decoded(n).ok_or_else(malformed)?;
            if name.is_empty() {
                continue;
            }
            let value = decoded(v).ok_or_else(malformed)?;
            if self.pairs.len() == MAX_PARAMS {
                return Err(TOO_MANY_PARAMS.with(&[&MAX_PARAMS.to_string()]));
            }
            self.push(&name, &value);
        }
        Ok(())
    }

    fn index(&mut self) {
        // MAX_PARAMS keeps parsed requests far below u32::MAX pairs; params
        // built from pairs in tests are no larger.
        let mut by_name: Vec<u32> = (0..self.pairs.len() as u32).collect();
        // A stable sort, so that among equal names the first to arrive
        // comes first, which is what `get` answers.
        by_name.sort_by(|a, b| self.name_at(*a).cmp(self.name_at(*b)));
        self.by_name = by_name;
    }

    fn name_at(&self, i: u32) -> &str {
        &self.text[self.pairs[i as usize].name.clone()]
    }

    fn value_at(&self, i: u32) -> &str {
        &self.text[self.pairs[i as usize].value.clone()]
    }

    /// How many pairs arrived.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether no param arrived.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Every pair, in arrival order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.pairs
            .iter()
            .map(|p| (&self.text[p.name.clone()], &self.text[p.value.clone()]))
    }

    /// The pairs that came from the query string, in arrival order (a V3
    /// signature covers these by name; the body only through its hash).
    pub fn query_pairs(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.iter().take(self.from_query)
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        let at = self.by_name.partition_point(|&i| self.name_at(i) < name);
        let &i = self.by_name.get(at)?;
        (self.name_at(i) == name).then(|| self.value_at(i))
    }

    /// The positions (sorted by name) of every param under `prefix.`: they
    /// are contiguous, as every name starting with `prefix.` sorts at or
    /// after `prefix.` and before `prefix/` (`/` follows `.`).
    fn subtree(&self, prefix: &str) -> &[u32] {
        let start = self.by_name.partition_point(|&i| {
            let n = self.name_at(i);
            n < prefix || (n.starts_with(prefix) && &n[prefix.len()..] < ".")
        });
        let len = self.by_name[start..].partition_point(|&i| {
            let n = self.name_at(i);
            n.starts_with(prefix) && n.as_bytes().get(prefix.len()) == Some(&b'.')
        });
        &self.by_name[start..start + len]
    }

    /// Whether any param is named `name` or starts with `name.`.
    pub fn has_tree(&self, name: &str) -> bool {
        self.get(name).is_some() || !self.subtree(name).is_empty()
    }

    /// The distinct next path segments under `prefix.` (e.g. the indices
    /// `1`, `2` under `Tag`), in first-seen order.
    pub fn children(&self, prefix: &str) -> Vec<&str> {
        let skip = prefix.len() + 1;
        let mut segments: Vec<(&str, u32)> = self
            .subtree(prefix)
            .iter()
            .map(|&i| {
                let rest = &self.name_at(i)[skip..];
                (rest.split('.').next().unwrap_or(rest), i)
            })
            .collect();
        // Each segment once, at its first arrival, then in arrival order.
        segments.sort_unstable();
        segments.dedup_by(|later, first| later.0 == first.0);
        segments.sort_unstable_by_key(|(_, at)| *at);
        segments.into_iter().map(|(s, _)| s).collect()
    }

    /// The list indices under `name`, in ascending order, each once.
    fn indices(&self, name: &str) -> Vec<usize> {
        let mut idx: Vec<usize> = self
            .children(name)
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect();
        idx.sort_unstable();
        idx.dedup();
        idx
    }

    /// A `repeatList` of scalars, `Name.1`, `Name.2`, … in index order.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.indices(name)
            .into_iter()
            .filter_map(|i| self.get(&format!("{name}.{i}")).map(str::to_owned))
            .collect()
    }

    /// A `repeatList` of objects: for each index in order, its fields (a
    /// field sent twice keeps its last value). Items are numbered as clients
    /// number them (`Tag.1`, not `Tag.01`); the gate refuses other numbering
    /// for every list the spec names.
    pub fn object_list(&self, name: &str) -> Vec<HashMap<String, String>> {
        let skip = name.len() + 1;
        let mut items: HashMap<usize, HashMap<String, String>> = HashMap::new();
        // One pass over the list's params; equal names come in arrival
        // order, so the last value of a repeated field is the one kept.
        for &at in self.subtree(name) {
            let rest = &self.name_at(at)[skip..];
            let (segment, field) = match rest.split_once('.') {
                Some((s, f)) => (s, Some(f)),
                None => (rest, None),
            };
            let Some(index) = is_index(segment)
                .then(|| segment.parse::<usize>().ok())
                .flatten()
            else {
                continue;
            };
            let item = items.entry(index).or_default();
            if let Some(field) = field {
                item.insert(field.to_owned(), self.value_at(at).to_owned());
            }
        }
        let mut items: Vec<(usize, HashMap<String, String>)> = items.into_iter().collect();
        items.sort_unstable_by_key(|(i, _)| *i);
        items.into_iter().map(|(_, fields)| fields).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(body: &str) -> Result<Params, ApiError> {
        Params::parse(&Incoming {
            method: "POST",
            query: "Action=A&Version=1",
            content_type: Some("application/x-www-form-urlencoded; charset=utf-8"),
            body: body.as_bytes(),
            headers: &[],
        })
    }

    #[test]
    fn helpers() {
        let p = Params::from_pairs([
            ("Tag.2.Key", "b"),
            ("Tag.1.Key", "a"),
            ("Tag.1.Value", "x"),
            ("Id.1", "i1"),
            ("Id.10", "i10"),
            ("Id.2", "i2"),
            ("Tag.1-x", "not an index"),
            ("Tag", "root"),
        ]);
        assert_eq!(p.list("Id"), ["i1", "i2", "i10"]);
        let tags = p.object_list("Tag");
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0]["Key"], "a");
        assert_eq!(tags[0]["Value"], "x");
        assert_eq!(tags[1]["Key"], "b");
        assert_eq!(p.children("Tag"), ["2", "1", "1-x"]);
        assert!(p.has_tree("Tag"));
        assert!(p.has_tree("Tag.1"));
        assert!(!p.has_tree("Ta"));
        assert!(!p.has_tree("Tag.3"));
        assert_eq!(p.get("Tag"), Some("root"));
        assert_eq!(p.get("Tag."), None);
    }

    #[test]
    fn the_first_of_a_repeated_name_wins_and_order_is_kept() {
        let p = form("B=2&A=3&b=4&B=5").unwrap();
        assert_eq!(p.get("A"), Some("3"));
        assert_eq!(p.get("B"), Some("2"));
        assert_eq!(p.get("b"), Some("4"));
        assert_eq!(p.get("Action"), Some("A"));
        let names: Vec<&str> = p.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["Action", "Version", "B", "A", "b", "B"]);
        assert_eq!(p.query_pairs().count(), 2);
    }

    #[test]
    fn decoding() {
        let p = form("Name=a+b%20c%2B&Empty=&Bare&=dropped&&").unwrap();
        assert_eq!(p.get("Name"), Some("a b c+"));
        assert_eq!(p.get("Empty"), Some(""));
        assert_eq!(p.get("Bare"), Some(""));
        assert_eq!(p.len(), 5);
        assert_eq!(form("A=%ZZ").unwrap_err().code, "InvalidParameter");
        assert_eq!(form("A=%C3").unwrap_err().code, "InvalidParameter");
        // A body that is not a form is not read.
        let json = Params::parse(&Incoming {
            method: "POST",
            query: "",
            content_type: Some("application/json"),
            body: b"A=1",
            headers: &[],
        })
        .unwrap();
        assert!(json.is_empty());
    }

    #[test]
    fn twenty_thousand_params_are_all_read() {
        let mut body = String::new();
        for i in 1..=10_000 {
            body.push_str(&format!("Tag.{i}.Key=k{i}&Tag.{i}.Value=v+{i}&"));
        }
        let p = form(&body).unwrap();
        assert_eq!(p.len(), 20_002);
        let tags = p.object_list("Tag");
        assert_eq!(tags.len(), 10_000);
        assert_eq!(tags[0]["Key"], "k1");
        assert_eq!(tags[9_999]["Key"], "k10000");
        assert_eq!(tags[4_999]["Value"], "v 5000");
        assert_eq!(p.children("Tag").len(), 10_000);
        assert_eq!(p.get("Tag.777.Value"), Some("v 777"));
    }

    #[test]
    fn too_many_params_are_refused() {
        let body = "a&".repeat(MAX_PARAMS);
        let err = form(&body).unwrap_err();
        assert_eq!((err.status, err.code.as_str()), (400, "InvalidParameter"));
        assert!(err.message.contains("50000"), "{}", err.message);
        let fits = "a&".repeat(MAX_PARAMS - 2);
        assert_eq!(form(&fits).unwrap().len(), MAX_PARAMS);
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let p = Params::from_pairs([("SecurityToken", "tok-123"), ("Signature", "sig-456")]);
        let shown = format!("{p:?}");
        assert!(
            !shown.contains("tok-123") && !shown.contains("sig-456"),
            "{shown}"
        );
        assert!(shown.contains("SecurityToken"), "{shown}");
    }
}
