//! Answers on the wire: the service's error document and success bodies, in
//! JSON or XML.

use serde_json::{Map, Value};

/// The body format a caller asked for with `Format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `Format=JSON` (any case), the official SDKs' choice.
    Json,
    /// `Format=XML`, or no `Format` at all: the service's default.
    Xml,
}

impl Format {
    /// Reads the `Format` param as the service does: `json` in any case
    /// means JSON, anything else XML.
    pub fn from_param(value: Option<&str>) -> Format {
        match value {
            Some(v) if v.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Xml,
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json;charset=utf-8",
            Format::Xml => "text/xml;charset=utf-8",
        }
    }
}

/// A refusal: the HTTP status, the service's error code and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status to answer with.
    pub status: u16,
    /// The service's error code, e.g. `InvalidDomain.NotFound`.
    pub code: String,
    /// The human-readable message.
    pub message: String,
}

impl ApiError {
    /// An error with any status, code and message.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.into(),
            message: message.into(),
        }
    }
}

/// A complete answer: status, content type and body.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` header value.
    pub content_type: &'static str,
    /// The body text.
    pub body: String,
    /// The `RequestId` carried in the body.
    pub request_id: String,
}

/// A fresh request id in the service's style (an upper-case UUID).
pub fn new_request_id() -> String {
    aliapi_wire::nonce::uuid_v4().as_str().to_ascii_uppercase()
}

/// The error document for `err`.
///
/// `product` is the product code when known (it goes into `Recommend`), and
/// `host` the `HostId`.
pub fn error_reply(err: &ApiError, format: Format, host: &str, product: Option<&str>) -> Reply {
    let request_id = new_request_id();
    let mut recommend = format!(
        "https://api.aliyun.com/troubleshoot?q={}&requestId={}",
        aliapi_wire::encode::percent_encode(&err.code),
        request_id
    );
    if let Some(p) = product {
        recommend.push_str("&product=");
        recommend.push_str(p);
    }
    let mut doc = Map::new();
    doc.insert("RequestId".into(), Value::String(request_id.clone()));
    doc.insert("HostId".into(), Value::String(host.to_owned()));
    doc.insert("Code".into(), Value::String(err.code.clone()));
    doc.insert("Message".into(), Value::String(err.message.clone()));
    doc.insert("Recommend".into(), Value::String(recommend));
    let body = render(&doc, "Error", format);
    Reply {
        status: err.status,
        content_type: format.content_type(),
        body,
        request_id,
    }
}

/// A `200 OK` answer for `action` with `body`; its `RequestId` is set here.
pub fn success_reply(action: &str, mut body: Map<String, Value>, format: Format) -> Reply {
    let request_id = new_request_id();
    body.insert("RequestId".into(), Value::String(request_id.clone()));
    let text = render(&body, &format!("{action}Response"), format);
    Reply {
        status: 200,
        content_type: format.content_type(),
        body: text,
        request_id,
    }
}

fn render(doc: &Map<String, Value>, root: &str, format: Format) -> String {
    match format {
        Format::Json => Value::Object(doc.clone()).to_string(),
        Format::Xml => {
            let mut out = String::from("<?xml version='1.0' encoding='UTF-8'?>");
            out.push('<');
            out.push_str(root);
            out.push('>');
            for (k, v) in doc {
                write_xml(&mut out, k, v);
            }
            out.push_str("</");
            out.push_str(root);
            out.push('>');
            out
        }
    }
}

/// Lists repeat their element (`{"A":{"B":[1,2]}}` is `<A><B>1</B><B>2</B></A>`),
/// as the service writes them.
fn write_xml(out: &mut String, name: &str, value: &Value) {
    if let Value::Array(items) = value {
        for item in items {
            write_xml(out, name, item);
        }
        return;
    }
    out.push('<');
    out.push_str(name);
    out.push('>');
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                write_xml(out, k, v);
            }
        }
        Value::String(s) => escape_into(out, s),
        Value::Null => {}
        other => escape_into(out, &other.to_string()),
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// The fields of an answer built with `json!`: an object's map, or an empty
/// one for anything else.
pub(crate) fn obj(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match v {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_document_in_both_formats() {
        let err = ApiError::new(404, "InvalidDomain.NotFound", "no <such> domain");
        let json = error_reply(&err, Format::Json, "cdn.aliyuncs.com", Some("Cdn"));
        assert_eq!(json.status, 404);
        let v: Value = serde_json::from_str(&json.body).unwrap();
        assert_eq!(v["Code"], "InvalidDomain.NotFound");
        assert_eq!(v["HostId"], "cdn.aliyuncs.com");
        assert_eq!(v["RequestId"], json.request_id.as_str());
        assert!(v["Recommend"].as_str().unwrap().contains("product=Cdn"));
        let xml = error_reply(&err, Format::Xml, "cdn.aliyuncs.com", None);
        assert!(
            xml.body
                .starts_with("<?xml version='1.0' encoding='UTF-8'?><Error>")
        );
        assert!(
            xml.body
                .contains(&format!("<RequestId>{}</RequestId>", xml.request_id))
        );
        assert!(
            xml.body
                .contains("<Message>no &lt;such&gt; domain</Message>")
        );
    }

    #[test]
    fn xml_repeats_list_elements() {
        let body: Map<String, Value> =
            serde_json::from_str(r#"{"Cens":{"Cen":[{"CenId":"a"},{"CenId":"b"}]}}"#).unwrap();
        let r = success_reply("DescribeCens", body, Format::Xml);
        assert!(r.body.contains("<DescribeCensResponse><Cens><Cen><CenId>a</CenId></Cen><Cen><CenId>b</CenId></Cen></Cens>"));
        assert!(r.body.contains("<RequestId>"));
    }
}
