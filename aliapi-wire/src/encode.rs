//! RFC 3986 percent-encoding, the only escaping the RPC signature accepts.
//!
//! The unreserved set `A-Z a-z 0-9 - _ . ~` passes through; every other UTF-8
//! byte becomes `%XX` with upper-case hex. A space is `%20`, never `+`.

/// One flag per byte: `true` when the byte is unreserved and passes unchanged.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    table
};

/// `%00%01…%FF`: the escape of byte `b` is `ESCAPES[3 * b..3 * b + 3]`.
const ESCAPES: &str = {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    const BYTES: [u8; 768] = {
        let mut t = [0u8; 768];
        let mut b = 0;
        while b < 256 {
            t[3 * b] = b'%';
            t[3 * b + 1] = HEX[b >> 4];
            t[3 * b + 2] = HEX[b & 0x0f];
            b += 1;
        }
        t
    };
    match std::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => panic!("the escape table is ASCII"),
    }
};

/// Whether `byte` belongs to the RFC 3986 unreserved set.
pub fn is_unreserved(byte: u8) -> bool {
    UNRESERVED[byte as usize]
}

/// Appends the RFC 3986 encoding of `input` to `out`.
pub fn percent_encode_into(out: &mut String, input: &str) {
    let bytes = input.as_bytes();
    // Most names and values need no escape at all: find the first byte that
    // does with a tight loop, and copy a plain text in one piece.
    let Some(first) = bytes.iter().position(|&b| !UNRESERVED[b as usize]) else {
        out.push_str(input);
        return;
    };
    out.reserve(bytes.len() + 4);
    // Copy runs of unreserved bytes in one go.
    out.push_str(&input[..first]);
    let mut start = first;
    for (i, &b) in bytes.iter().enumerate().skip(first) {
        if !UNRESERVED[b as usize] {
            // A non-empty run holds only ASCII, so both ends are char
            // boundaries; an empty one may sit inside a multi-byte char.
            if start < i {
                out.push_str(&input[start..i]);
            }
            let at = 3 * b as usize;
            out.push_str(&ESCAPES[at..at + 3]);
            start = i + 1;
        }
    }
    out.push_str(&input[start..]);
}

/// Returns the RFC 3986 encoding of `input`.
pub fn percent_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 2);
    percent_encode_into(&mut out, input);
    out
}

/// Decodes `%XX` escapes; with `plus_as_space`, a `+` becomes a space as in
/// `application/x-www-form-urlencoded` bodies.
///
/// Returns `None` for a truncated or non-hex escape or when the decoded bytes
/// are not UTF-8.
pub fn percent_decode(input: &str, plus_as_space: bool) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hi = hex_value(*bytes.get(i + 1)?)?;
                let lo = hex_value(*bytes.get(i + 2)?)?;
                out.push(hi << 4 | lo);
                i += 3;
            }
            b'+' if plus_as_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_the_reserved_and_keeps_the_unreserved() {
        assert_eq!(
            percent_encode("a b*c~d/e+f=g&h%"),
            "a%20b%2Ac~d%2Fe%2Bf%3Dg%26h%25"
        );
        assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(percent_encode("中"), "%E4%B8%AD");
        assert_eq!(percent_encode(""), "");
    }

    #[test]
    fn decodes_form_and_strict_forms() {
        assert_eq!(percent_decode("a+b%20c", true).as_deref(), Some("a b c"));
        assert_eq!(percent_decode("a+b", false).as_deref(), Some("a+b"));
        assert_eq!(percent_decode("%E4%b8%AD", false).as_deref(), Some("中"));
        assert_eq!(percent_decode("%4", false), None);
        assert_eq!(percent_decode("%zz", false), None);
        assert_eq!(percent_decode("%FF", false), None);
    }
}
