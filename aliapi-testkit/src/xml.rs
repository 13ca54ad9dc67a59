//! A JSON answer written as the service writes it in XML: one element per
//! key, a list as the element repeated, text escaped.

use serde_json::Value;

/// The XML body of an answer whose JSON body is `body`, under `<{root}>`.
pub fn answer(root: &str, body: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    element(&mut out, root, body);
    out
}

fn element(out: &mut String, name: &str, v: &Value) {
    match v {
        Value::Array(items) => {
            for item in items {
                element(out, name, item);
            }
        }
        Value::Object(fields) => {
            out.push_str(&format!("<{name}>"));
            for (k, v) in fields {
                element(out, k, v);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Null => out.push_str(&format!("<{name}/>")),
        Value::String(s) => out.push_str(&format!("<{name}>{}</{name}>", escape(s))),
        other => out.push_str(&format!("<{name}>{other}</{name}>")),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_repeat_and_text_is_escaped() {
        let body = serde_json::json!({"A": {"B": [{"C": "x&y"}, {"C": 2}]}, "D": "\"<>\""});
        let xml = super::answer("R", &body);
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><R><A><B><C>x&amp;y</C></B><B><C>2</C></B></A><D>&quot;&lt;&gt;&quot;</D></R>"
        );
        // The client's XML reader gives the JSON back, as text.
        let tree = aliapi_wire::xml::to_json(xml.as_bytes()).expect("parses");
        assert_eq!(
            tree,
            serde_json::json!({"A": {"B": [{"C": "x&y"}, {"C": "2"}]}, "D": "\"<>\""})
        );
    }
}
