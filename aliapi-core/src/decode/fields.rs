//! Field decoders for the two spellings the service uses where a plain
//! `#[derive(Deserialize)]` would fail. Generated response types name them in
//! `#[serde(deserialize_with = ...)]`; both work over any deserializer: the
//! client's lenient one, and any other a user decodes a response with.
//!
//! - [`wrapped_list`]: a list the service wraps in an object of one field,
//!   `{"Domains": {"PageData": [..]}}`, read as the list itself.
//! - [`json_text`]: a value the service sends as a string holding JSON,
//!   `{"Content": "{\"a\":1}"}`, read as the value it holds.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};

/// Reads a list that arrives wrapped in an object (`{"PageData": [..]}`),
/// bare (`[..]`), or absent (`null`, `""`, `{}`). An XML list of one that
/// the tree gives as a single object is read by the lenient deserializer as
/// a list of one, as everywhere else.
///
/// The wrapper's key is not checked: the specs give every wrapper exactly
/// one field, and a wrapper with more has each field read as part of the
/// list rather than dropped.
pub fn wrapped_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct ListVisitor<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list, or an object holding a list")
        }

        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Vec<T>, M::Error> {
            let mut out = Vec::new();
            while let Some((_, items)) = map.next_entry::<de::IgnoredAny, Vec<T>>()? {
                if out.is_empty() {
                    out = items;
                } else {
                    out.extend(items);
                }
            }
            Ok(out)
        }

        fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<Vec<T>, S::Error> {
            Vec::deserialize(de::value::SeqAccessDeserializer::new(seq))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }

        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Vec<T>, D2::Error> {
            d.deserialize_any(self)
        }

        fn visit_str<E: de::Error>(self, s: &str) -> Result<Vec<T>, E> {
            // XML gives an empty wrapper element as "".
            if s.trim().is_empty() {
                Ok(Vec::new())
            } else {
                Err(E::invalid_type(de::Unexpected::Str(s), &self))
            }
        }
    }

    deserializer.deserialize_any(ListVisitor(PhantomData))
}

/// Reads an object (or list) the service sends as JSON text inside a
/// string; the value sent as is is accepted too, and `null` or an empty
/// string read as `None`.
pub fn json_text<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    struct TextVisitor<T>(PhantomData<T>);

    impl<'de, T: DeserializeOwned> Visitor<'de> for TextVisitor<T> {
        type Value = Option<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string holding JSON, or the JSON value itself")
        }

        fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<T>, E> {
            if s.trim().is_empty() {
                return Ok(None);
            }
            // The text was written by another program than the answer's
            // serializer: read it as leniently as the answer itself.
            super::lenient::from_str::<T>(s).map(Some).map_err(|e| {
                if e.is_syntax() {
                    E::custom(format_args!("the text is not JSON: {}", e.message()))
                } else {
                    E::custom(e)
                }
            })
        }

        fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Option<T>, M::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }

        fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<Option<T>, S::Error> {
            T::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Some)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Option<T>, D2::Error> {
            d.deserialize_any(self)
        }
    }

    deserializer.deserialize_any(TextVisitor(PhantomData))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use crate::decode::decode_body;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default, rename_all = "PascalCase")]
    struct Page {
        #[serde(deserialize_with = "super::wrapped_list")]
        domains: Vec<Domain>,
        #[serde(deserialize_with = "super::json_text")]
        content: Option<Content>,
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default, rename_all = "PascalCase")]
    struct Domain {
        domain_name: Option<String>,
        port: Option<i32>,
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Content {
        items: Vec<String>,
        count: Option<i64>,
    }

    fn names(p: &Page) -> Vec<&str> {
        p.domains
            .iter()
            .filter_map(|d| d.domain_name.as_deref())
            .collect()
    }

    #[test]
    fn wrapped_bare_single_and_empty_lists() {
        let json = |b: &str| decode_body::<Page>(b.as_bytes(), false).unwrap();
        let p = json(r#"{"Domains":{"PageData":[{"DomainName":"a"},{"DomainName":"b"}]}}"#);
        assert_eq!(names(&p), ["a", "b"]);
        assert_eq!(names(&json(r#"{"Domains":[{"DomainName":"a"}]}"#)), ["a"]);
        // A list of one as a bare object, and a number as a string: lenient.
        let p = json(r#"{"Domains":{"PageData":{"DomainName":"a","Port":"80"}}}"#);
        assert_eq!(p.domains[0].port, Some(80));
        for empty in [
            r#"{"Domains":{"PageData":[]}}"#,
            r#"{"Domains":{}}"#,
            r#"{"Domains":""}"#,
            r#"{"Domains":null}"#,
            r#"{}"#,
        ] {
            assert!(json(empty).domains.is_empty(), "{empty}");
        }
    }

    #[test]
    fn wrapped_lists_in_xml() {
        let xml = |b: &str| decode_body::<Page>(b.as_bytes(), true).unwrap();
        let two = xml(
            "<R><Domains><PageData><DomainName>a</DomainName></PageData>\
             <PageData><DomainName>b</DomainName></PageData></Domains></R>",
        );
        assert_eq!(names(&two), ["a", "b"]);
        let one = xml("<R><Domains><PageData><DomainName>a</DomainName></PageData></Domains></R>");
        assert_eq!(names(&one), ["a"]);
        assert!(xml("<R><Domains/></R>").domains.is_empty());
    }

    #[test]
    fn json_text_as_string_or_value() {
        let json = |b: &str| decode_body::<Page>(b.as_bytes(), false).unwrap();
        let want = Some(Content {
            items: vec!["x".into()],
            count: Some(2),
        });
        assert_eq!(
            json(r#"{"Content":"{\"items\":[\"x\"],\"count\":2}"}"#).content,
            want
        );
        assert_eq!(
            json(r#"{"Content":{"items":["x"],"count":"2"}}"#).content,
            want
        );
        assert_eq!(json(r#"{"Content":""}"#).content, None);
        assert_eq!(json(r#"{"Content":null}"#).content, None);
        let err = decode_body::<Page>(br#"{"Content":"{not json"}"#, false).unwrap_err();
        assert!(err.contains("not JSON"), "{err}");
    }
}
