//! The one redaction every path uses before it shows text that came from a
//! request or an answer: service messages, the start of an undecodable body,
//! a redirect's location, provider errors, log lines.
//!
//! A secret can travel in four spellings: as it is (a message quoting it),
//! percent-encoded once (a URL or form body echoed back) and twice (the
//! string to sign that a `SignatureDoesNotMatch` answer quotes), and inside
//! a JSON string whose encoder escapes `/` as `\/` (PHP's does). Servers may
//! also write the escapes' hex digits in lower case. Every spelling is
//! replaced by the same spelling of `*redacted*`, so that two texts redacted
//! alike still compare equal where their secrets did.
//!
//! A secret the client never knew (the keys STS or a credentials endpoint
//! has just issued, quoted in an answer that failed to decode) cannot be
//! searched for: [`mask_secret_fields`] hides the values of the fields and
//! params that carry secrets, whatever they hold.

use std::borrow::Cow;

use aliapi_wire::encode::percent_encode;

/// What a redacted secret reads as, unencoded.
pub(crate) const MARKER: &str = "*redacted*";

/// Secrets shorter than this are not searched for: they would match
/// ordinary words, and no real key, token or signature is this short.
const MIN_LEN: usize = 6;

/// `text` with every spelling of every secret in `secrets` replaced.
pub(crate) fn redact<'t>(text: &'t str, secrets: &[&str]) -> Cow<'t, str> {
    let mut out = Cow::Borrowed(text);
    for secret in secrets.iter().filter(|s| s.len() >= MIN_LEN) {
        let once = percent_encode(secret);
        let twice = percent_encode(&once);
        let forms = [
            (lower_hex(&twice), percent_encode(&percent_encode(MARKER))),
            (twice, percent_encode(&percent_encode(MARKER))),
            (lower_hex(&once), percent_encode(MARKER)),
            (once, percent_encode(MARKER)),
            (secret.replace('/', "\\/"), MARKER.to_owned()),
            ((*secret).to_owned(), MARKER.to_owned()),
        ];
        for (i, (form, marker)) in forms.iter().enumerate() {
            // A secret of unreserved characters reads the same in every
            // spelling: replace it once, as itself.
            if forms[i + 1..].iter().any(|(later, _)| later == form) {
                continue;
            }
            if out.contains(form.as_str()) {
                out = Cow::Owned(out.replace(form.as_str(), marker));
            }
        }
    }
    out
}

/// The names under which answers and echoed requests carry secrets: the
/// keys of a credentials answer (STS, the metadata service, a credentials
/// URI, as JSON fields or XML elements) and the params of a signed request.
const SECRET_FIELDS: [&str; 5] = [
    "AccessKeySecret",
    "SecurityToken",
    "Signature",
    "OIDCToken",
    "BearerToken",
];

/// `text` with the value of every field or param named in
/// [`SECRET_FIELDS`] replaced by `*redacted*`: `"Name":"value"` (JSON),
/// `<Name>value` (XML) and `Name=value` (a query or form body). For text
/// quoted from an answer that may hold secrets this client never knew.
pub(crate) fn mask_secret_fields(text: &str) -> Cow<'_, str> {
    if !SECRET_FIELDS.iter().any(|name| text.contains(name)) {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        let Some(name) = SECRET_FIELDS
            .iter()
            .find(|name| bytes[at..].starts_with(name.as_bytes()))
        else {
            at += 1;
            continue;
        };
        // A whole name only: `XSignature` or `SignatureMethod` is not one.
        let before_ok = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        let mut i = at + name.len();
        let after_ok = bytes.get(i).is_none_or(|b| !b.is_ascii_alphanumeric());
        if !(before_ok && after_ok) {
            at = i;
            continue;
        }
        // The closing quote of a JSON key, the separator, the opening quote
        // of a JSON string: whatever of these is there.
        if bytes.get(i) == Some(&b'"') {
            i += 1;
        }
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if !matches!(bytes.get(i), Some(b':' | b'=' | b'>')) {
            at = i;
            continue;
        }
        i += 1;
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if bytes.get(i) == Some(&b'"') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !matches!(bytes[i], b'"' | b'&' | b'<' | b',' | b'}') {
            // An escaped quote inside a JSON string does not end it.
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        let end = i.min(bytes.len());
        if end > start {
            out.push_str(&text[copied..start]);
            out.push_str(MARKER);
            copied = end;
        }
        at = end.max(at + 1);
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// `url` with the password of its user info (`user:password@host`)
/// replaced by `*redacted*`: a proxy URL or a redirect's location may carry
/// one, and both are shown in errors.
pub(crate) fn without_password(url: &str) -> Cow<'_, str> {
    match password_span(url) {
        Some((start, end)) => Cow::Owned(format!("{}{MARKER}{}", &url[..start], &url[end..])),
        None => Cow::Borrowed(url),
    }
}

/// The password of `url`'s user info, if it has one.
pub(crate) fn password_of(url: &str) -> Option<&str> {
    password_span(url).map(|(start, end)| &url[start..end])
}

/// Where the password of `url`'s user info is: after the first `:` of the
/// text before the authority's last `@`.
fn password_span(url: &str) -> Option<(usize, usize)> {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[authority_start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..authority_end].rfind('@')?;
    let colon = rest[..at].find(':')?;
    Some((authority_start + colon + 1, authority_start + at))
}

/// The same percent-encoded text with the hex digits of its escapes in
/// lower case.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut escape = 0;
    for c in encoded.chars() {
        if c == '%' {
            escape = 2;
            out.push(c);
        } else if escape > 0 {
            escape -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "CAIS+tok/en==";

    #[test]
    fn every_spelling_goes() {
        let once = percent_encode(TOKEN);
        let twice = percent_encode(&once);
        let text = format!(
            "raw {TOKEN} once {once} twice {twice} lower {} lower twice {}",
            lower_hex(&once),
            lower_hex(&twice)
        );
        let shown = redact(&text, &[TOKEN]);
        assert!(!shown.contains("tok"), "{shown}");
        assert!(shown.contains("raw *redacted*"), "{shown}");
        assert!(shown.contains("once %2Aredacted%2A"), "{shown}");
        assert!(shown.contains("twice %252Aredacted%252A"), "{shown}");
    }

    #[test]
    fn plain_secrets_and_short_ones() {
        assert_eq!(
            redact("key AbCdEfGh123 here", &["AbCdEfGh123"]),
            "key *redacted* here"
        );
        // Too short to be a real secret, and would garble the message.
        assert_eq!(redact("a b c", &["a", ""]), "a b c");
        assert!(matches!(
            redact("nothing", &["AbCdEfGh123"]),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn json_escaped_slashes_are_a_spelling_too() {
        let escaped = TOKEN.replace('/', "\\/");
        let text = format!(r#"{{"Message":"invalid token {escaped}"}}"#);
        let shown = redact(&text, &[TOKEN]);
        assert_eq!(shown, r#"{"Message":"invalid token *redacted*"}"#);
    }

    #[test]
    fn secret_fields_are_masked_whatever_they_hold() {
        let json = r#"{"Credentials":{"AccessKeyId":"STS.id","AccessKeySecret":"new/se+cret=","SecurityToken" : "CAIS\"tok","Expiration":"2030"}}"#;
        let shown = mask_secret_fields(json);
        assert_eq!(
            shown,
            r#"{"Credentials":{"AccessKeyId":"STS.id","AccessKeySecret":"*redacted*","SecurityToken" : "*redacted*","Expiration":"2030"}}"#
        );
        let url = "<html>go to /?AccessKeyId=id&Signature=abc%2Bd&SignatureMethod=HMAC-SHA1&SecurityToken=CAIS%2Ftok</html>";
        assert_eq!(
            mask_secret_fields(url),
            "<html>go to /?AccessKeyId=id&Signature=*redacted*&SignatureMethod=HMAC-SHA1&SecurityToken=*redacted*</html>"
        );
        let xml = "<Credentials><AccessKeySecret>s3cr3t/x</AccessKeySecret></Credentials>";
        assert_eq!(
            mask_secret_fields(xml),
            "<Credentials><AccessKeySecret>*redacted*</AccessKeySecret></Credentials>"
        );
        // Cut off inside the value: the rest is masked.
        assert_eq!(
            mask_secret_fields(r#"{"AccessKeySecret":"new/se"#),
            r#"{"AccessKeySecret":"*redacted*"#
        );
        // Names that only contain one, and text without any, are left.
        let plain = r#"{"SignatureNonce":"n","XSecurityToken":"x","Message":"Signature missing"}"#;
        assert!(matches!(mask_secret_fields(plain), Cow::Borrowed(_)));
        assert!(matches!(
            mask_secret_fields("nothing here"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn passwords_in_urls() {
        let url = "http://user:pa55:word@proxy.internal:3128/path?q=@x";
        assert_eq!(
            without_password(url),
            "http://user:*redacted*@proxy.internal:3128/path?q=@x"
        );
        assert_eq!(password_of(url), Some("pa55:word"));
        assert_eq!(
            without_password("user:pw@:no-host"),
            "user:*redacted*@:no-host"
        );
        for plain in ["http://user@host/", "http://host/?a=b:c@d", "no url at all"] {
            assert!(
                matches!(without_password(plain), Cow::Borrowed(_)),
                "{plain}"
            );
            assert_eq!(password_of(plain), None, "{plain}");
        }
    }

    #[test]
    fn redacted_texts_still_compare() {
        let a = format!("x={}", percent_encode(&percent_encode(TOKEN)));
        let b = format!("x={}", percent_encode(&percent_encode(TOKEN)));
        assert_eq!(redact(&a, &[TOKEN]), redact(&b, &[TOKEN]));
    }
}
