//! Property tests of the lenient JSON reader against `serde_json`: on any
//! JSON text, and on text made invalid by random edits, the two agree on
//! whether it is JSON and, when it is, on what it says.

use aliapi_core::__private::decode_body;
use aliapi_core::Format;
use proptest::prelude::*;
use serde_json::Value;

/// Any JSON value, a few levels deep, with strings that need escapes.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Finite floats only: JSON has no other.
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[\"\\\\/\u{0}-\u{1f}a-z\u{7f}é😀 ]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec(("[A-Za-z\"\\\\é]{0,6}", inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// Equal, with numbers compared by value: the two readers may pick a
/// different Rust type for the same number (`-0`, integers beyond `u64`)
/// and round the last bit of a float differently.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            // serde_json without `float_roundtrip` may round the last bit
            // or so otherwise than the exact parse ours does.
            x == y || (x.signum() == y.signum() && x.to_bits().abs_diff(y.to_bits()) <= 4)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn ours(text: &[u8]) -> Result<Value, String> {
    decode_body::<Value>(text, Format::Json)
}

/// One edit to JSON text: a byte dropped, a JSON-significant one put in,
/// or the text cut short.
#[derive(Debug, Clone)]
enum Edit {
    Drop(usize),
    Insert(usize, u8),
    Cut(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let significant = proptest::sample::select(b"{}[],:\"\\ 0-.eE+tfnu".to_vec());
    prop_oneof![
        any::<usize>().prop_map(Edit::Drop),
        (any::<usize>(), significant).prop_map(|(at, b)| Edit::Insert(at, b)),
        any::<usize>().prop_map(Edit::Cut),
    ]
}

fn apply(text: &mut Vec<u8>, edit: &Edit) {
    let len = text.len().max(1);
    match *edit {
        Edit::Drop(at) if !text.is_empty() => {
            text.remove(at % len);
        }
        Edit::Drop(_) => {}
        Edit::Insert(at, b) => text.insert(at % (text.len() + 1), b),
        Edit::Cut(at) => text.truncate(at % len),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn reads_any_json_as_serde_json_does(v in value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&v).unwrap()
        } else {
            serde_json::to_string(&v).unwrap()
        };
        let got = ours(text.as_bytes()).map_err(TestCaseError::fail)?;
        prop_assert!(same(&got, &v), "{} read as {}", text, got);
    }

    #[test]
    fn accepts_and_rejects_what_serde_json_does(
        v in value(),
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let mut text = serde_json::to_vec(&v).unwrap();
        for e in &edits {
            apply(&mut text, e);
        }
        let theirs = serde_json::from_slice::<Value>(&text);
        let mine = ours(&text);
        let shown = String::from_utf8_lossy(&text);
        match (&mine, &theirs) {
            (Ok(a), Ok(b)) => prop_assert!(same(a, b), "{}: {} against {}", shown, a, b),
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "{}: ours {:?}, serde_json {:?}", shown, mine, theirs),
        }
    }
}

#[test]
fn errors_say_where() {
    let e = ours(b"{\"a\": [1, 2,, 3]}").unwrap_err();
    assert!(
        e.contains("invalid JSON") && e.contains("line 1 column 13"),
        "{e}"
    );
    let e = ours(b"{\"a\": 1}\n{").unwrap_err();
    assert!(
        e.contains("trailing characters") && e.contains("line 2"),
        "{e}"
    );
    let e = ours(b"[\"\\ud800\"]").unwrap_err();
    assert!(e.contains("surrogate"), "{e}");
    let e = ours(&[b'"', 0xff, b'"']).unwrap_err();
    assert!(e.contains("not UTF-8"), "{e}");
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let e = ours(deep.as_bytes()).unwrap_err();
    assert!(e.contains("deeper than 128"), "{e}");
}

#[test]
fn numbers_at_the_edges_read_as_serde_json_reads_them() {
    for text in [
        "1e400",
        "-1e400",
        "1e-400",
        "-0",
        "-0.0",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "0.1e1",
        "1E+2",
        "2.2250738585072011e-308",
    ] {
        let theirs = serde_json::from_str::<Value>(text).map_err(|e| e.to_string());
        let got = ours(text.as_bytes());
        match (&got, &theirs) {
            (Ok(a), Ok(b)) => assert!(same(a, b), "{text}: ours {a}, serde_json {b}"),
            (Err(_), Err(_)) => {}
            _ => panic!("{text}: ours {got:?}, serde_json {theirs:?}"),
        }
    }
}
