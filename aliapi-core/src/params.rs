//! Wire params of a request: what an operation's fields become before signing.
//!
//! Every name and value is percent-encoded once, when it is written, into one
//! buffer. Signing, the query string and the form body are then built by
//! joining slices of that buffer, which is why a request costs few allocations.

mod flatten;

use std::fmt;

use serde::Serialize;

use crate::error::Error;
use aliapi_wire::encode::{is_unreserved, percent_decode, percent_encode_into};

/// Where a param travels when the request is sent with `POST`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// In the URL query string.
    Query,
    /// In the `application/x-www-form-urlencoded` body (in the query for `GET`).
    Body,
}

/// How a structured value is spelled on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Style {
    /// A scalar as it is: `Name=value`. Lists and objects given this style are
    /// flattened like [`Style::RepeatList`] and [`Style::Flat`].
    Plain,
    /// A list numbered from 1: `Name.1=a`, objects inside as `Name.1.Key=k`,
    /// lists inside lists as `Name.1.Value.1=x`.
    RepeatList,
    /// An object or map as `Name.Field=value`.
    Flat,
    /// The whole value as one JSON string in `Name`.
    Json,
}

/// One param in `buf`: `name=value`, both encoded, from `start` to `end`,
/// the `=` at `name_end`. `escaped` says whether the text holds a `%`: the
/// v1 string to sign encodes each pair once more, which for the usual
/// escape-free pair is a copy with `%3D` for the `=`, and only a pair with
/// an escape needs a scan.
#[derive(Debug, Clone, Copy)]
struct Entry {
    start: u32,
    name_end: u32,
    end: u32,
    escaped: bool,
    location: Location,
}

/// The flattened, percent-encoded params of one request.
///
/// Written by [`RpcAction::write_params`](crate::RpcAction::write_params) and by
/// [`GenericRequest`](crate::GenericRequest); read by the signer and the
/// transport.
#[derive(Clone, Default)]
pub struct ParamWriter {
    buf: String,
    entries: Vec<Entry>,
}

/// One param as it was written: name and value, both percent-encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodedParam<'a> {
    /// The RFC 3986 encoding of the wire name.
    pub name: &'a str,
    /// The RFC 3986 encoding of the value.
    pub value: &'a str,
    /// Query or body.
    pub location: Location,
}

impl ParamWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty writer with room for `params` params of `bytes` encoded bytes.
    pub fn with_capacity(params: usize, bytes: usize) -> Self {
        ParamWriter {
            buf: String::with_capacity(bytes),
            entries: Vec::with_capacity(params),
        }
    }

    /// Adds one scalar param, given unencoded.
    pub fn push(&mut self, name: &str, value: &str, location: Location) {
        self.push_entry(name, location, |buf| {
            let before = buf.len();
            percent_encode_into(buf, value);
            // Each escape turns one byte into three.
            buf.len() - before != value.len()
        });
    }

    /// Adds one param whose value `write_value` appends to the buffer as
    /// unreserved text, which needs no encoding (digits, `-`, `.`,
    /// `true`).
    pub(crate) fn push_with(
        &mut self,
        name: &str,
        location: Location,
        write_value: impl FnOnce(&mut String),
    ) {
        self.push_entry(name, location, |buf| {
            let start = buf.len();
            write_value(buf);
            debug_assert!(
                buf.as_bytes()[start..].iter().copied().all(is_unreserved),
                "push_with wrote text that needs encoding: {:?}",
                &buf[start..]
            );
            false
        });
    }

    /// Adds one param: its name encoded, then the value `write_value`
    /// appends, which says whether it wrote an escape. Whether the pair
    /// holds one is known from the lengths, without scanning it again.
    fn push_entry(
        &mut self,
        name: &str,
        location: Location,
        write_value: impl FnOnce(&mut String) -> bool,
    ) {
        // Pairs are joined by `&` as they are written, so that a request
        // whose params all travel in the query copies them in one piece.
        if !self.entries.is_empty() {
            self.buf.push('&');
        }
        let start = self.buf.len();
        percent_encode_into(&mut self.buf, name);
        let name_end = self.buf.len();
        self.buf.push('=');
        let value_escaped = write_value(&mut self.buf);
        let end = self.buf.len();
        self.entries.push(Entry {
            start: start as u32,
            name_end: name_end as u32,
            end: end as u32,
            escaped: value_escaped || name_end - start != name.len(),
            location,
        });
    }

    /// Writes `value` under `name` in the given style: absent options and
    /// empty lists write nothing, scalars one param, lists and objects one
    /// param per leaf.
    pub fn write<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        location: Location,
        style: Style,
        value: &T,
    ) -> Result<(), Error> {
        let result = match style {
            Style::Json => flatten::write_json(self, name, location, value),
            Style::Plain | Style::RepeatList | Style::Flat => {
                flatten::write_flat(self, name, location, value)
            }
        };
        result.map_err(|reason| Error::invalid_param(name, reason.to_string()))
    }

    /// How many params were written.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The params in the order they were written.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = EncodedParam<'_>> + '_ {
        self.entries.iter().map(|e| self.param(e))
    }

    /// The unencoded value of the first param named `name`, if any.
    pub fn get(&self, name: &str) -> Option<String> {
        let mut encoded = String::with_capacity(name.len());
        percent_encode_into(&mut encoded, name);
        self.iter()
            .find(|p| p.name == encoded)
            .and_then(|p| percent_decode(p.value, false))
    }

    /// Whether a param named `name` was written.
    pub fn contains(&self, name: &str) -> bool {
        let mut encoded = String::with_capacity(name.len());
        percent_encode_into(&mut encoded, name);
        self.iter().any(|p| p.name == encoded)
    }

    /// Each param as its encoded `name=value` text, the length of the name,
    /// whether the text holds an escape, and its location: what the signer
    /// works with.
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (&str, usize, bool, Location)> + '_ {
        self.entries.iter().map(|e| {
            (
                &self.buf[e.start as usize..e.end as usize],
                (e.name_end - e.start) as usize,
                e.escaped,
                e.location,
            )
        })
    }

    /// Every param as `name=value` pairs joined by `&`, in written order,
    /// when none of them travels in the body (`in_body`, the signer's rule
    /// for its method): the query's part that the operation wrote.
    pub(crate) fn query_text(&self, in_body: impl Fn(Location) -> bool) -> Option<&str> {
        let all_in_query = !self.entries.iter().any(|e| in_body(e.location));
        all_in_query.then_some(self.buf.as_str())
    }

    fn param(&self, e: &Entry) -> EncodedParam<'_> {
        EncodedParam {
            name: &self.buf[e.start as usize..e.name_end as usize],
            value: &self.buf[e.name_end as usize + 1..e.end as usize],
            location: e.location,
        }
    }
}

impl fmt::Debug for ParamWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Operation params carry no credentials (those are added at signing),
        // so they can be shown as they are.
        f.debug_list()
            .entries(self.iter().map(|p| (p.name, p.value, p.location)))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Tag {
        key: String,
        value: Option<String>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Filter {
        key: &'static str,
        value: Vec<&'static str>,
    }

    fn pairs(w: &ParamWriter) -> Vec<(String, String)> {
        w.iter()
            .map(|p| {
                (
                    percent_decode(p.name, false).unwrap(),
                    percent_decode(p.value, false).unwrap(),
                )
            })
            .collect()
    }

    fn p(name: &str, value: &str) -> (String, String) {
        (name.to_owned(), value.to_owned())
    }

    #[test]
    fn scalars_in_every_width() {
        let mut w = ParamWriter::new();
        w.write("S", Location::Query, Style::Plain, "a b").unwrap();
        w.write("I8", Location::Query, Style::Plain, &-8i8).unwrap();
        w.write("U64", Location::Query, Style::Plain, &u64::MAX)
            .unwrap();
        w.write("I128", Location::Query, Style::Plain, &-1i128)
            .unwrap();
        w.write("F", Location::Query, Style::Plain, &1.5f64)
            .unwrap();
        w.write("B", Location::Body, Style::Plain, &true).unwrap();
        w.write("C", Location::Query, Style::Plain, &'x').unwrap();
        w.write("E", Location::Query, Style::Plain, "").unwrap();
        assert_eq!(
            pairs(&w),
            vec![
                p("S", "a b"),
                p("I8", "-8"),
                p("U64", "18446744073709551615"),
                p("I128", "-1"),
                p("F", "1.5"),
                p("B", "true"),
                p("C", "x"),
                p("E", ""),
            ]
        );
        assert_eq!(w.iter().nth(5).unwrap().location, Location::Body);
        assert_eq!(w.iter().next().unwrap().value, "a%20b");
    }

    #[test]
    fn absent_options_and_empty_lists_write_nothing() {
        let mut w = ParamWriter::new();
        w.write("A", Location::Query, Style::Plain, &None::<String>)
            .unwrap();
        w.write(
            "B",
            Location::Query,
            Style::RepeatList,
            &Vec::<String>::new(),
        )
        .unwrap();
        w.write("C", Location::Query, Style::Json, &None::<Vec<u8>>)
            .unwrap();
        w.write("D", Location::Query, Style::Plain, &Some(3u8))
            .unwrap();
        assert_eq!(pairs(&w), vec![p("D", "3")]);
    }

    #[test]
    fn repeat_lists_objects_and_lists_in_lists() {
        let mut w = ParamWriter::new();
        w.write(
            "DomainName",
            Location::Query,
            Style::RepeatList,
            &["a", "b"],
        )
        .unwrap();
        let tags = vec![
            Tag {
                key: "k1".into(),
                value: Some("v1".into()),
            },
            Tag {
                key: "k2".into(),
                value: None,
            },
        ];
        w.write("Tag", Location::Query, Style::RepeatList, &tags)
            .unwrap();
        let filters = vec![Filter {
            key: "CenId",
            value: vec!["x", "y"],
        }];
        w.write("Filter", Location::Query, Style::RepeatList, &filters)
            .unwrap();
        assert_eq!(
            pairs(&w),
            vec![
                p("DomainName.1", "a"),
                p("DomainName.2", "b"),
                p("Tag.1.Key", "k1"),
                p("Tag.1.Value", "v1"),
                p("Tag.2.Key", "k2"),
                p("Filter.1.Key", "CenId"),
                p("Filter.1.Value.1", "x"),
                p("Filter.1.Value.2", "y"),
            ]
        );
    }

    #[test]
    fn flat_objects_and_maps() {
        let mut w = ParamWriter::new();
        let tag = Tag {
            key: "k".into(),
            value: Some("v".into()),
        };
        w.write("Options", Location::Query, Style::Flat, &tag)
            .unwrap();
        let mut map = BTreeMap::new();
        map.insert("Alpha", 1);
        map.insert("Beta", 2);
        w.write("M", Location::Query, Style::Flat, &map).unwrap();
        assert_eq!(
            pairs(&w),
            vec![
                p("Options.Key", "k"),
                p("Options.Value", "v"),
                p("M.Alpha", "1"),
                p("M.Beta", "2")
            ]
        );
    }

    #[test]
    fn json_style_is_one_string_in_field_order() {
        let mut w = ParamWriter::new();
        let tags = vec![Tag {
            key: "k".into(),
            value: Some("v".into()),
        }];
        w.write("TagJson", Location::Body, Style::Json, &tags)
            .unwrap();
        assert_eq!(
            pairs(&w),
            vec![p("TagJson", r#"[{"Key":"k","Value":"v"}]"#)]
        );
    }

    #[test]
    fn unwritable_values_are_refused_with_the_param_name() {
        let mut w = ParamWriter::new();
        let err = w
            .write("Ratio", Location::Query, Style::Plain, &f64::NAN)
            .unwrap_err();
        assert!(err.to_string().contains("Ratio"), "{err}");
        let mut bad_keys = BTreeMap::new();
        bad_keys.insert(vec![1u8], 1);
        assert!(
            w.write("M", Location::Query, Style::Flat, &bad_keys)
                .is_err()
        );
        assert!(
            w.write("B", Location::Query, Style::Plain, &serde_bytes_like())
                .is_err()
        );
    }

    struct Bytes;
    impl Serialize for Bytes {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(b"raw")
        }
    }
    fn serde_bytes_like() -> Bytes {
        Bytes
    }

    #[test]
    fn pairs_know_whether_they_hold_an_escape() {
        let mut w = ParamWriter::new();
        w.push("Plain", "value-1.2_x~", Location::Query);
        w.push("Object Path", "plain", Location::Query);
        w.push("Path", "a/b", Location::Query);
        w.write("Page", Location::Query, Style::Plain, &-12i64)
            .unwrap();
        w.write("On", Location::Query, Style::Plain, &true).unwrap();
        w.write("Ratio", Location::Query, Style::Plain, &-1.5e-7f64)
            .unwrap();
        let flags: Vec<(&str, bool)> = w
            .pairs()
            .map(|(text, _, escaped, _)| (text, escaped))
            .collect();
        for (text, escaped) in &flags {
            assert_eq!(*escaped, text.contains('%'), "{text}");
        }
        assert_eq!(flags.iter().filter(|(_, e)| *e).count(), 2, "{flags:?}");
    }

    #[test]
    fn lookups_decode() {
        let mut w = ParamWriter::new();
        w.push("Object Path", "a/b c", Location::Body);
        assert!(w.contains("Object Path"));
        assert_eq!(w.get("Object Path").as_deref(), Some("a/b c"));
        assert_eq!(w.get("Missing"), None);
        assert_eq!(w.len(), 1);
    }
}
