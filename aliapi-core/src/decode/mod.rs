//! Turning answers into values: JSON (or XML, through a tree) into typed
//! responses with [`lenient`] coercions, error bodies into [`ServiceError`]s.

#[cfg(feature = "client")]
mod answer;
pub(crate) mod fields;
pub(crate) mod lenient;
#[cfg(feature = "client")]
mod raw;

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ServiceError;

#[cfg(feature = "client")]
pub(crate) use answer::{Hints, read_answer};
#[cfg(feature = "client")]
pub use raw::RawResponse;

/// The body format asked for with the `Format` param.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// `Format=JSON`, the default.
    #[default]
    Json,
    /// `Format=XML`.
    Xml,
}

impl Format {
    /// The value of the `Format` param.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Xml => "XML",
        }
    }
}

/// Parses a body into a JSON tree. `xml` says the body should be XML
/// (the call asked for XML, or the answer's `Content-Type` says so);
/// otherwise it is read as JSON, and as XML only when it cannot be JSON.
/// Either way nothing nests deeper than 128 levels, the limit of both
/// parsers, so walking or dropping the tree cannot overflow a stack.
pub(crate) fn parse_tree(body: &[u8], xml: bool) -> Result<Value, String> {
    let looks_like_markup = looks_like_markup(body);
    if xml && looks_like_markup {
        return aliapi_wire::xml::to_json(body);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(tree) => Ok(tree),
        Err(_) if looks_like_markup && is_html(body) => {
            Err("the body is an HTML page, not JSON or XML".into())
        }
        Err(_) if looks_like_markup => aliapi_wire::xml::to_json(body),
        Err(e) => Err(format!("invalid JSON: {e}")),
    }
}

/// Whether the body's first byte that is not whitespace opens a tag: it
/// cannot be JSON then, and is XML or an HTML error page.
fn looks_like_markup(body: &[u8]) -> bool {
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

fn is_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(512)];
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    lower.contains("<html") || lower.contains("<!doctype html")
}

/// Decodes a typed value from a body, leniently (see [`lenient`]); `xml` as
/// for [`parse_tree`].
pub(crate) fn decode_body<T: DeserializeOwned>(body: &[u8], xml: bool) -> Result<T, String> {
    let (json, max_depth) = json_of(body, xml)?;
    lenient::from_slice(&json, max_depth).map_err(|e| e.to_string())
}

/// The body as JSON text, and how deeply it may nest: itself, unless it is
/// markup. An XML answer is converted through the tree, so that the one
/// lenient reader serves both formats and each answer type is compiled for
/// one deserializer only.
fn json_of(body: &[u8], xml: bool) -> Result<(Cow<'_, [u8]>, u32), String> {
    if !looks_like_markup(body) {
        return Ok((Cow::Borrowed(body), lenient::MAX_DEPTH));
    }
    let tree = parse_tree(body, xml)?;
    // Each element the XML reader accepts can become two levels of JSON:
    // an object, and the list its repeated children make.
    let max_depth = 2 * aliapi_wire::xml::MAX_DEPTH as u32 + 1;
    serde_json::to_vec(&tree)
        .map(|json| (Cow::Owned(json), max_depth))
        .map_err(|e| format!("the XML does not convert to JSON: {e}"))
}

/// Reads the fields of an error body; `None` when the body is not one.
pub(crate) fn service_error(status: u16, tree: &Value) -> Option<ServiceError> {
    let obj = tree.as_object()?;
    let text = |key: &str| -> Option<String> {
        match obj.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    };
    let code = text("Code")?;
    Some(ServiceError {
        status,
        code,
        message: text("Message").unwrap_or_default(),
        request_id: text("RequestId"),
        host_id: text("HostId"),
        recommend: text("Recommend"),
        access_denied_detail: text("AccessDeniedDetail"),
        signature: None,
        attempts: 1,
    })
}

/// The first bytes of a body, for error messages, with `secrets` redacted
/// (an error page may echo the request's URL, token and signature included)
/// and the values of fields that carry secrets masked (a credentials
/// answer cut short holds keys no one could have listed).
pub(crate) fn body_start(body: &[u8], secrets: &[&str]) -> String {
    const LIMIT: usize = 256;
    // Redact before cutting, so that a secret straddling the cut cannot
    // leave a recognisable half behind.
    let whole = String::from_utf8_lossy(&body[..body.len().min(LIMIT * 4)]);
    let redacted = crate::redact::redact(&whole, secrets);
    let redacted = crate::redact::mask_secret_fields(&redacted);
    let mut s: String = redacted.chars().take(LIMIT).collect();
    if body.len() > LIMIT {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Default, PartialEq)]
    #[serde(default, rename_all = "PascalCase")]
    struct Page {
        request_id: Option<String>,
        total_count: Option<i64>,
        enabled: Option<bool>,
        ratio: Option<f64>,
        domains: Option<Domains>,
        name: Option<String>,
    }

    #[derive(Debug, Deserialize, Default, PartialEq)]
    #[serde(default, rename_all = "PascalCase")]
    struct Domains {
        page_data: Vec<Domain>,
    }

    #[derive(Debug, Deserialize, Default, PartialEq)]
    #[serde(default, rename_all = "PascalCase")]
    struct Domain {
        domain_name: Option<String>,
        port: Option<i32>,
    }

    #[test]
    fn numbers_and_booleans_as_strings_and_single_items() {
        let body = br#"{"RequestId":"r","TotalCount":"7","Enabled":"true","Ratio":"0.5",
            "Domains":{"PageData":{"DomainName":"a.com","Port":"80"}},"Name":42,"Extra":{"x":1}}"#;
        let page: Page = decode_body(body, false).unwrap();
        assert_eq!(page.total_count, Some(7));
        assert_eq!(page.enabled, Some(true));
        assert_eq!(page.ratio, Some(0.5));
        assert_eq!(page.name.as_deref(), Some("42"));
        let domains = page.domains.unwrap().page_data;
        assert_eq!(
            domains,
            vec![Domain {
                domain_name: Some("a.com".into()),
                port: Some(80)
            }]
        );
    }

    #[test]
    fn text_fields_keep_what_was_written() {
        // A number, an object or a list where text belongs is the text the
        // service wrote, spacing and all, not a re-rendering of it.
        for (value, text) in [
            ("1.50", "1.50"),
            ("-0", "-0"),
            ("1e3", "1e3"),
            ("true", "true"),
            (r#"{"a": [1, 2] , "b":{}}"#, r#"{"a": [1, 2] , "b":{}}"#),
            ("[ ]", "[ ]"),
        ] {
            let body = format!(r#"{{"Name": {value}, "TotalCount": 3}}"#);
            let page: Page = decode_body(body.as_bytes(), false).unwrap();
            assert_eq!(page.name.as_deref(), Some(text), "{body}");
            assert_eq!(page.total_count, Some(3), "{body}");
        }
    }

    #[test]
    fn xml_as_deep_as_its_reader_allows_decodes() {
        // 100 levels, each element holding two children of one name: about
        // 200 levels of JSON once converted (an object and a list per
        // level), more than a JSON body may nest, and still an answer the
        // XML reader accepts.
        let body = format!("{}{}", "<X><X>x</X>".repeat(100), "</X>".repeat(100));
        let tree: Value = decode_body(body.as_bytes(), true).unwrap();
        fn depth(v: &Value) -> usize {
            match v {
                Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
                Value::Object(fields) => 1 + fields.values().map(depth).max().unwrap_or(0),
                _ => 0,
            }
        }
        assert!(depth(&tree) > 128, "{}", depth(&tree));
    }

    #[test]
    fn absent_and_empty_lists() {
        let page: Page = decode_body(br#"{"Domains":{"PageData":[]}}"#, false).unwrap();
        assert!(page.domains.unwrap().page_data.is_empty());
        let page: Page = decode_body(br#"{"Domains":""}"#, false).unwrap();
        assert!(page.domains.unwrap().page_data.is_empty());
        let page: Page = decode_body(br#"{"Domains":null}"#, false).unwrap();
        assert_eq!(page.domains, None);
    }

    #[test]
    fn xml_decodes_into_the_same_types() {
        let body = b"<R><RequestId>r</RequestId><TotalCount>2</TotalCount><Domains>\
            <PageData><DomainName>a</DomainName><Port>1</Port></PageData>\
            <PageData><DomainName>b</DomainName></PageData></Domains></R>";
        let page: Page = decode_body(body, true).unwrap();
        assert_eq!(page.total_count, Some(2));
        assert_eq!(page.domains.unwrap().page_data.len(), 2);
    }

    #[test]
    fn wrong_types_name_the_path() {
        let err = decode_body::<Page>(br#"{"Domains":{"PageData":[{"Port":"eighty"}]}}"#, false)
            .unwrap_err();
        assert!(err.contains("Domains.PageData.Port"), "{err}");
        let err = decode_body::<Page>(br#"{"Domains":{"PageData":[{"Port":99999999999}]}}"#, false)
            .unwrap_err();
        assert!(err.contains("does not fit"), "{err}");
    }

    #[test]
    fn html_and_truncated_bodies_are_errors() {
        let html = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
        assert!(
            decode_body::<Page>(html, false)
                .unwrap_err()
                .contains("HTML")
        );
        assert!(decode_body::<Page>(br#"{"RequestId":"r","Tot"#, false).is_err());
    }

    #[test]
    fn error_bodies() {
        let tree = parse_tree(
            br#"{"RequestId":"R","HostId":"cdn.aliyuncs.com","Code":"InvalidDomain.NotFound","Message":"m","Recommend":"https://x"}"#,
            false,
        )
        .unwrap();
        let e = service_error(404, &tree).unwrap();
        assert_eq!(e.code, "InvalidDomain.NotFound");
        assert_eq!(e.request_id.as_deref(), Some("R"));
        assert_eq!(e.host_id.as_deref(), Some("cdn.aliyuncs.com"));
        assert!(service_error(500, &serde_json::json!({"RequestId": "x"})).is_none());
    }
}
