//! XML answers (`Format=XML`) turned into the same JSON tree a JSON answer
//! gives, so one set of response types serves both.
//!
//! An element with children becomes an object, repeated children a list, an
//! element with text a string, an empty element `""`. Attributes carry
//! nothing in these APIs and are dropped. The root element (e.g.
//! `<DescribeUserDomainsResponse>`) is unwrapped.
//!
//! Elements nested deeper than [`MAX_DEPTH`] are refused: the tree is built
//! without recursion, but whoever walks or drops it recurses once per level,
//! and a hostile answer must not be able to overflow the stack.

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Map, Value};

/// How deep elements may nest, the root counted as 1: the same bound
/// `serde_json` puts on JSON. The answers of these APIs nest a dozen levels
/// at most.
pub const MAX_DEPTH: usize = 128;

/// Parses an XML document into a JSON tree; the error says what was wrong.
///
/// ```
/// let tree = aliapi_wire::xml::to_json(b"<R><RequestId>A</RequestId><N>1</N><N>2</N></R>").unwrap();
/// assert_eq!(tree, serde_json::json!({"RequestId": "A", "N": ["1", "2"]}));
/// ```
pub fn to_json(xml: &[u8]) -> Result<Value, String> {
    to_json_with_depth(xml, MAX_DEPTH)
}

/// [`to_json`] with another nesting limit.
pub fn to_json_with_depth(xml: &[u8], max_depth: usize) -> Result<Value, String> {
    let mut reader = Reader::from_reader(xml);
    // Each open element: its name, the children seen so far, its text.
    let mut stack: Vec<(String, Map<String, Value>, String)> = Vec::new();
    let mut root: Option<Value> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed XML at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= max_depth {
                    return Err(format!("XML nested deeper than {max_depth} levels"));
                }
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                stack.push((name, Map::new(), String::new()));
            }
            Event::Empty(empty) => {
                let name = String::from_utf8_lossy(empty.local_name().as_ref()).into_owned();
                close(&mut stack, &mut root, name, Value::String(String::new()))?;
            }
            Event::Text(text) => {
                if let Some((_, _, buf)) = stack.last_mut() {
                    buf.push_str(&text.decode().map_err(|e| e.to_string())?);
                }
            }
            Event::CData(data) => {
                if let Some((_, _, buf)) = stack.last_mut() {
                    buf.push_str(&data.decode().map_err(|e| e.to_string())?);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c,
                    None => match r.decode().map_err(|e| e.to_string())?.as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(format!("unknown XML entity &{other};")),
                    },
                };
                if let Some((_, _, buf)) = stack.last_mut() {
                    buf.push(resolved);
                }
            }
            Event::End(_) => {
                let (name, children, text) = stack.pop().ok_or("unbalanced closing tag")?;
                let value = if children.is_empty() {
                    Value::String(text)
                } else {
                    Value::Object(children)
                };
                close(&mut stack, &mut root, name, value)?;
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err("XML ended before every element was closed".into());
    }
    root.ok_or_else(|| "no XML element found".into())
}

/// Attaches a finished element to its parent, or makes it the root.
fn close(
    stack: &mut [(String, Map<String, Value>, String)],
    root: &mut Option<Value>,
    name: String,
    value: Value,
) -> Result<(), String> {
    match stack.last_mut() {
        Some((_, children, _)) => {
            match children.get_mut(&name) {
                Some(Value::Array(items)) => items.push(value),
                Some(existing) => {
                    let first = existing.take();
                    *existing = Value::Array(vec![first, value]);
                }
                None => {
                    children.insert(name, value);
                }
            }
            Ok(())
        }
        None if root.is_none() => {
            // The root's own name is the action's response wrapper.
            *root = Some(match value {
                Value::String(s) if s.trim().is_empty() => Value::Object(Map::new()),
                v => v,
            });
            Ok(())
        }
        None => Err("more than one root element".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nesting_lists_text_and_entities() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeUserDomainsResponse>
  <RequestId>A-1</RequestId>
  <TotalCount>2</TotalCount>
  <Domains>
    <PageData><DomainName>a.com</DomainName><Sources/></PageData>
    <PageData><DomainName>b&amp;c &#x4e2d;</DomainName></PageData>
  </Domains>
  <Note><![CDATA[<raw>]]></Note>
</DescribeUserDomainsResponse>"#;
        assert_eq!(
            to_json(xml).unwrap(),
            json!({
                "RequestId": "A-1",
                "TotalCount": "2",
                "Domains": {"PageData": [
                    {"DomainName": "a.com", "Sources": ""},
                    {"DomainName": "b&c 中"}
                ]},
                "Note": "<raw>"
            })
        );
    }

    #[test]
    fn malformed_documents_are_errors() {
        for bad in [
            &b"<a><b></a>"[..],
            b"<a>",
            b"",
            b"<a/><b/>",
            b"<a>&bogus;</a>",
        ] {
            assert!(to_json(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = |n: usize| format!("{}x{}", "<a>".repeat(n), "</a>".repeat(n));
        assert!(to_json(deep(MAX_DEPTH).as_bytes()).is_ok());
        let err = to_json(deep(MAX_DEPTH + 1).as_bytes()).unwrap_err();
        assert!(err.contains("deeper than 128"), "{err}");
        // Far past the limit it fails just as fast, and nothing overflows.
        assert!(to_json(deep(1_000_000).as_bytes()).is_err());
        // Empty elements do not nest, so they cannot go deeper.
        assert!(to_json(format!("<r>{}</r>", "<e/>".repeat(10_000)).as_bytes()).is_ok());
    }
}
