//! Property tests of the RFC 3986 encoder the v1 signature is built on.

use aliapi_wire::encode::{is_unreserved, percent_decode, percent_encode, percent_encode_into};
use proptest::prelude::*;

const UNRESERVED: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";

/// Strings of unreserved characters only.
fn unreserved_string() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(UNRESERVED.as_bytes().to_vec()),
        0..64,
    )
    .prop_map(|bytes| bytes.into_iter().map(char::from).collect())
}

/// Any string, with the characters the signature cares about made likely.
fn interesting_string() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[ *~/+=&%'()!a-zA-Z0-9中文é😀\t\n-]{0,40}",]
}

/// The `application/x-www-form-urlencoded` form of `s`: the RFC 3986
/// encoding with `+` for a space (a literal `+` is `%2B` in both).
fn form_encode(s: &str) -> String {
    percent_encode(s).replace("%20", "+")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn encode_then_decode_is_identity(s in interesting_string()) {
        let encoded = percent_encode(&s);
        prop_assert_eq!(percent_decode(&encoded, false), Some(s.clone()));
        // A form decoder reads our output the same way: it never holds a `+`.
        prop_assert_eq!(percent_decode(&encoded, true), Some(s));
    }

    #[test]
    fn output_is_unreserved_bytes_and_upper_case_escapes(s in interesting_string()) {
        let encoded = percent_encode(&s);
        let bytes = encoded.as_bytes();
        let mut i = 0;
        let mut escapes = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                prop_assert!(i + 2 < bytes.len(), "truncated escape in {encoded:?}");
                for &h in &bytes[i + 1..i + 3] {
                    prop_assert!(
                        h.is_ascii_digit() || (b'A'..=b'F').contains(&h),
                        "escape digit {:?} in {:?}", h as char, encoded
                    );
                }
                escapes += 1;
                i += 3;
            } else {
                prop_assert!(is_unreserved(bytes[i]), "raw byte {:?} in {:?}", bytes[i], encoded);
                i += 1;
            }
        }
        // Exactly one escape per input byte outside the unreserved set.
        let expected = s.bytes().filter(|&b| !is_unreserved(b)).count();
        prop_assert_eq!(escapes, expected);
        prop_assert_eq!(encoded.len(), s.len() + 2 * expected);
    }

    #[test]
    fn unreserved_input_is_never_encoded(s in unreserved_string()) {
        prop_assert_eq!(percent_encode(&s), s.clone());
        prop_assert_eq!(percent_decode(&s, false), Some(s));
    }

    #[test]
    fn form_encoded_strings_round_trip_with_plus_as_space(s in interesting_string()) {
        let form = form_encode(&s);
        prop_assert!(!form.contains(' '));
        prop_assert_eq!(percent_decode(&form, true), Some(s.clone()));
        // Without plus_as_space every space would come back as a literal '+'.
        prop_assert_eq!(percent_decode(&form, false), Some(s.replace(' ', "+")));
    }

    #[test]
    fn lower_case_escapes_decode_too(s in interesting_string()) {
        let lower = lower_case_escapes(&percent_encode(&s));
        prop_assert_eq!(percent_decode(&lower, false), Some(s));
    }

    #[test]
    fn encode_into_appends_exactly_the_encoding(prefix in interesting_string(), s in interesting_string()) {
        let mut out = prefix.clone();
        percent_encode_into(&mut out, &s);
        prop_assert_eq!(out, format!("{prefix}{}", percent_encode(&s)));
    }

    #[test]
    fn encoding_preserves_the_byte_order_of_unreserved_names(
        a in unreserved_string(),
        b in unreserved_string(),
    ) {
        // The signature sorts by encoded name; for plain names that is the
        // order of the names themselves.
        prop_assert_eq!(percent_encode(&a).cmp(&percent_encode(&b)), a.cmp(&b));
    }
}

fn lower_case_escapes(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut rest = encoded;
    while let Some(pos) = rest.find('%') {
        out.push_str(&rest[..pos]);
        out.push('%');
        out.push_str(&rest[pos + 1..pos + 3].to_ascii_lowercase());
        rest = &rest[pos + 3..];
    }
    out.push_str(rest);
    out
}

#[test]
fn known_encodings() {
    assert_eq!(percent_encode("a b"), "a%20b");
    assert_eq!(percent_encode("*"), "%2A");
    assert_eq!(percent_encode("~"), "~");
    assert_eq!(percent_encode("+"), "%2B");
    assert_eq!(percent_encode("😀"), "%F0%9F%98%80");
    assert_eq!(percent_decode("a+b", true).as_deref(), Some("a b"));
    assert_eq!(percent_decode("a%2Bb", true).as_deref(), Some("a+b"));
}
