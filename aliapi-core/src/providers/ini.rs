//! A small INI reader, enough for `~/.alibabacloud/credentials`.
//!
//! Accepted: `[section]` headers, `key = value` or `key: value` lines,
//! whole-line comments starting with `#` or `;`, inline comments starting
//! with whitespace then `#` or `;`, values optionally in matching quotes,
//! blank lines, a UTF-8 byte order mark. Keys before the first header go to
//! the section named `""`. A repeated section adds to the first one; a
//! repeated key keeps its last value.

use std::fmt;

/// A parsed INI document.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Ini {
    sections: Vec<Section>,
}

/// One `[name]` section.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    name: String,
    entries: Vec<(String, String)>,
}

/// Why a document could not be read. Never holds a value from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IniError {
    pub(crate) line: usize,
    pub(crate) reason: &'static str,
}

impl fmt::Display for IniError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl Ini {
    /// Parses `text`.
    pub(crate) fn parse(text: &str) -> Result<Ini, IniError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut ini = Ini::default();
        let mut current = ini.section_index("");
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if let Some(rest) = line.strip_prefix('[') {
                let rest = strip_inline_comment(rest);
                let Some(name) = rest.strip_suffix(']') else {
                    return Err(IniError {
                        line: line_no,
                        reason: "a section header lacks its closing ']'",
                    });
                };
                let name = name.trim();
                if name.is_empty() || name.contains(['[', ']']) {
                    return Err(IniError {
                        line: line_no,
                        reason: "a section name is empty or holds brackets",
                    });
                }
                current = ini.section_index(name);
                continue;
            }
            let Some(split) = line.find(['=', ':']) else {
                return Err(IniError {
                    line: line_no,
                    reason: "expected `key = value`, a `[section]` header or a comment",
                });
            };
            let key = line[..split].trim();
            if key.is_empty() {
                return Err(IniError {
                    line: line_no,
                    reason: "a line has a value but no key",
                });
            }
            let value = unquote(strip_inline_comment(line[split + 1..].trim()));
            let entries = &mut ini.sections[current].entries;
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => entry.1 = value.to_owned(),
                None => entries.push((key.to_owned(), value.to_owned())),
            }
        }
        Ok(ini)
    }

    fn section_index(&mut self, name: &str) -> usize {
        match self.sections.iter().position(|s| s.name == name) {
            Some(i) => i,
            None => {
                self.sections.push(Section {
                    name: name.to_owned(),
                    entries: Vec::new(),
                });
                self.sections.len() - 1
            }
        }
    }

    /// The section called `name`.
    pub(crate) fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// The names of the sections, in order of appearance.
    pub(crate) fn section_names(&self) -> impl Iterator<Item = &str> {
        self.sections
            .iter()
            .filter(|s| !s.name.is_empty() || !s.entries.is_empty())
            .map(|s| s.name.as_str())
    }
}

impl Section {
    /// The value of `key`; `None` when absent or empty.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// Cuts a comment that starts with whitespace then `#` or `;`, unless the
/// value is quoted.
fn strip_inline_comment(s: &str) -> &str {
    if s.starts_with('"') || s.starts_with('\'') {
        return s;
    }
    let bytes = s.as_bytes();
    for i in 1..bytes.len() {
        if matches!(bytes[i], b'#' | b';') && bytes[i - 1].is_ascii_whitespace() {
            return s[..i].trim_end();
        }
    }
    s
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_keys_and_comments() {
        let text = "\u{feff}# top comment\n\
            [default]\n\
            type = access_key   # inline\n\
            access_key_id=AK1\n\
            access_key_secret : 'se;cr#et'\n\
            \n\
            ; another comment\n\
            [ other ]\n\
            role_arn = \"acs:ram::1:role/x\"\n\
            empty =\n\
            [default]\n\
            access_key_id = AK2\n";
        let ini = Ini::parse(text).unwrap();
        let d = ini.section("default").unwrap();
        assert_eq!(d.get("type"), Some("access_key"));
        assert_eq!(d.get("access_key_id"), Some("AK2"));
        assert_eq!(d.get("access_key_secret"), Some("se;cr#et"));
        let o = ini.section("other").unwrap();
        assert_eq!(o.get("role_arn"), Some("acs:ram::1:role/x"));
        assert_eq!(o.get("empty"), None);
        assert_eq!(
            ini.section_names().collect::<Vec<_>>(),
            ["default", "other"]
        );
    }

    #[test]
    fn keys_before_any_section_go_to_the_unnamed_one() {
        let ini = Ini::parse("a = 1\n[s]\nb = 2\n").unwrap();
        assert_eq!(ini.section("").unwrap().get("a"), Some("1"));
        assert_eq!(ini.section("s").unwrap().get("b"), Some("2"));
    }

    #[test]
    fn malformed_lines_are_reported_with_their_number() {
        let cases = [
            ("[default\nx = 1\n", 1),
            ("[default]\nthis line has no separator\n", 2),
            ("[default]\n= value\n", 2),
            ("[]\n", 1),
        ];
        for (text, line) in cases {
            let err = Ini::parse(text).unwrap_err();
            assert_eq!(err.line, line, "{text:?}: {err}");
        }
    }

    #[test]
    fn errors_never_quote_the_file() {
        let err = Ini::parse("[default]\nSUPERSECRETVALUE\n").unwrap_err();
        assert!(!err.to_string().contains("SUPERSECRETVALUE"));
    }
}
