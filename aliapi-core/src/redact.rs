//! The one redaction every path uses before it shows text that came from a
//! request or an answer: service messages, the start of an undecodable body,
//! a redirect's location, provider errors, log lines.
//!
//! A secret can travel in three spellings: as it is (a message quoting it),
//! percent-encoded once (a URL or form body echoed back) and twice (the
//! string to sign that a `SignatureDoesNotMatch` answer quotes). Servers may
//! also write the escapes' hex digits in lower case. Every spelling is
//! replaced by the same spelling of `*redacted*`, so that two texts redacted
//! alike still compare equal where their secrets did.

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
    fn redacted_texts_still_compare() {
        let a = format!("x={}", percent_encode(&percent_encode(TOKEN)));
        let b = format!("x={}", percent_encode(&percent_encode(TOKEN)));
        assert_eq!(redact(&a, &[TOKEN]), redact(&b, &[TOKEN]));
    }
}
