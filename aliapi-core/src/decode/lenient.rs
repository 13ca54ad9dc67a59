//! A forgiving JSON `Deserializer` that reads straight from the bytes.
//!
//! Alibaba Cloud services are not strict about types: numbers arrive as
//! strings, booleans as `"true"`, a list of one as a bare object (always so in
//! XML), an empty list or object as `""` or `null`. Typed responses are plain
//! `Deserialize` types; this deserializer bends each value to the type the
//! type asks for, so no field needs an attribute.
//!
//! Why a reader of our own rather than `serde_json`'s deserializer: bending a
//! value means looking at it before deciding how to read it (is this list a
//! list, or one bare item?), which `serde_json` does not let a wrapper do
//! without reading the value into a tree first. With one deserializer that
//! does both jobs, each answer type's `Deserialize` impl is compiled once, for
//! this type alone, instead of once for a strict pass over the bytes and again
//! for a lenient pass over a tree (BENCHMARKS.md, Build). Parsing follows RFC
//! 8259 exactly, as `serde_json` does; the property tests hold the two to the
//! same answers.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};

/// Containers nest at most this deep, as in `serde_json` and the XML reader,
/// so reading cannot overflow the stack.
pub(crate) const MAX_DEPTH: u32 = 128;

/// The bytes a string holds as they are: all but the quote, the backslash
/// and the control characters, which JSON does not allow unescaped.
const PLAIN_IN_STRING: [bool; 256] = {
    let mut plain = [true; 256];
    let mut b = 0;
    while b < 0x20 {
        plain[b] = false;
        b += 1;
    }
    plain[b'"' as usize] = false;
    plain[b'\\' as usize] = false;
    plain
};

/// Why a body did not decode into the type asked for.
///
/// Boxed: every step of the reader returns a `Result` with this error, and
/// a pointer keeps those results small enough to pass in registers (with
/// the fields inline, moving them cost the reader a fifth of its time).
#[derive(Debug)]
pub struct LenientError(Box<Failure>);

#[derive(Debug)]
struct Failure {
    /// Dotted path of the field that failed, outermost first.
    path: String,
    message: String,
    /// Whether the body is not JSON at all (rather than JSON of a shape the
    /// type cannot take).
    syntax: bool,
}

impl LenientError {
    fn new(message: String, syntax: bool) -> Self {
        LenientError(Box::new(Failure {
            path: String::new(),
            message,
            syntax,
        }))
    }

    /// What went wrong, without the path.
    pub(crate) fn message(&self) -> &str {
        &self.0.message
    }

    /// Whether the text is not JSON at all.
    pub(crate) fn is_syntax(&self) -> bool {
        self.0.syntax
    }

    fn within(mut self, key: &str) -> Self {
        let path = &mut self.0.path;
        *path = if path.is_empty() {
            key.to_owned()
        } else {
            format!("{key}.{path}")
        };
        self
    }
}

impl fmt::Display for LenientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Failure {
            path,
            message,
            syntax,
        } = &*self.0;
        let what = if *syntax { "invalid JSON: " } else { "" };
        if path.is_empty() {
            write!(f, "{what}{message}")
        } else {
            write!(f, "at {path}: {what}{message}")
        }
    }
}

impl std::error::Error for LenientError {}

impl de::Error for LenientError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        LenientError::new(msg.to_string(), false)
    }
}

/// Decodes `T` from a JSON body, coercing as described in the module docs.
pub(crate) fn from_slice<T: de::DeserializeOwned>(
    body: &[u8],
    max_depth: u32,
) -> Result<T, LenientError> {
    // Checking the whole body once is what lets every string below be
    // borrowed without a check of its own; JSON that is not UTF-8 is invalid
    // anyway.
    let text = std::str::from_utf8(body).map_err(|e| {
        let at = e.valid_up_to();
        LenientError::new(format!("the body is not UTF-8 (from byte {at})"), true)
    })?;
    read(text, max_depth)
}

/// Decodes `T` from JSON text, coercing as described in the module docs.
pub(crate) fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> Result<T, LenientError> {
    read(text, MAX_DEPTH)
}

/// Decodes `T` from `text`, refusing containers nested deeper than
/// `max_depth`.
fn read<'de, T: de::Deserialize<'de>>(text: &'de str, max_depth: u32) -> Result<T, LenientError> {
    let mut reader = Reader::new(text, max_depth);
    let value = T::deserialize(&mut reader)?;
    match reader.peek() {
        None => Ok(value),
        Some(_) => Err(reader.syntax("trailing characters after the value")),
    }
}

/// A position in JSON text, and how deep in containers it is.
#[derive(Clone, Copy)]
pub(crate) struct Reader<'de> {
    text: &'de str,
    pos: usize,
    depth: u32,
    max_depth: u32,
}

/// A number as written: its text, and its value.
#[derive(Clone, Copy)]
enum Number {
    /// No fraction and no exponent, and small enough for an `i128`.
    Integer(i128),
    Float(f64),
}

impl<'de> Reader<'de> {
    fn new(text: &'de str, max_depth: u32) -> Self {
        Reader {
            text,
            pos: 0,
            depth: 0,
            max_depth,
        }
    }

    fn bytes(&self) -> &'de [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not whitespace, left unread.
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// Reads `b` if it comes next.
    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn syntax(&self, what: &str) -> LenientError {
        let before = &self.bytes()[..self.pos.min(self.text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        LenientError::new(format!("{what} at line {line} column {column}"), true)
    }

    /// The error for a value that is not what `expected` describes; reads
    /// nothing, so it describes the value where it starts.
    fn mismatch(&self, expected: &str) -> LenientError {
        let mut probe = *self;
        let found = match probe.peek() {
            None => return probe.syntax("the text ends where a value belongs"),
            Some(b'n') => "null".to_owned(),
            Some(b't') => "boolean true".to_owned(),
            Some(b'f') => "boolean false".to_owned(),
            Some(b'[') => "a list".to_owned(),
            Some(b'{') => "an object".to_owned(),
            Some(b'"') => match probe.string() {
                Ok(s) => format!("string {:?}", truncate(&s)),
                Err(e) => return e,
            },
            Some(_) => match probe.number() {
                Ok((text, _)) => format!("number {text}"),
                Err(e) => return e,
            },
        };
        de::Error::custom(format_args!("expected {expected}, found {found}"))
    }

    /// Reads `word` (`true`, `false`, `null`), whose first byte is next.
    fn literal(&mut self, word: &str) -> Result<(), LenientError> {
        if self.bytes()[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.syntax("expected a value"))
        }
    }

    /// Reads a string, whose opening quote is next. Borrowed from the text
    /// unless it has escapes.
    fn string(&mut self) -> Result<Cow<'de, str>, LenientError> {
        let bytes = self.bytes();
        self.pos += 1;
        let mut start = self.pos;
        let mut owned: Option<String> = None;
        loop {
            // Most of a string is plain text: skip it in a tight loop over
            // a local index, looking at each byte once.
            let mut pos = self.pos;
            while bytes.get(pos).is_some_and(|&b| PLAIN_IN_STRING[b as usize]) {
                pos += 1;
            }
            self.pos = pos;
            let Some(&b) = bytes.get(pos) else {
                return Err(self.syntax("the text ends inside a string"));
            };
            match b {
                b'"' => {
                    // Quotes and backslashes are ASCII, so every cut here is
                    // on a character boundary.
                    let tail = &self.text[start..self.pos];
                    self.pos += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[start..self.pos]);
                    self.pos += 1;
                    let c = self.escape()?;
                    s.push(c);
                    start = self.pos;
                }
                _ => return Err(self.syntax("a control character inside a string")),
            }
        }
    }

    /// Reads what follows a backslash.
    fn escape(&mut self) -> Result<char, LenientError> {
        let Some(&b) = self.bytes().get(self.pos) else {
            return Err(self.syntax("the text ends inside a string"));
        };
        self.pos += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = match first {
                    0xd800..=0xdbff => {
                        if !self.bytes()[self.pos..].starts_with(b"\\u") {
                            return Err(self.syntax("a lone leading surrogate"));
                        }
                        self.pos += 2;
                        let second = self.hex4()?;
                        if !(0xdc00..=0xdfff).contains(&second) {
                            return Err(self.syntax("a lone leading surrogate"));
                        }
                        0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
                    }
                    0xdc00..=0xdfff => return Err(self.syntax("a lone trailing surrogate")),
                    other => other,
                };
                // Surrogates were paired above, so every code is a char.
                char::from_u32(code).ok_or_else(|| self.syntax("an invalid escape"))?
            }
            _ => {
                self.pos -= 1;
                return Err(self.syntax("an invalid escape"));
            }
        })
    }

    fn hex4(&mut self) -> Result<u32, LenientError> {
        let digits = self
            .bytes()
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.syntax("the text ends inside an escape"))?;
        let mut code = 0;
        for &d in digits {
            let v = (d as char)
                .to_digit(16)
                .ok_or_else(|| self.syntax("an invalid \\u escape"))?;
            code = code * 16 + v;
        }
        self.pos += 4;
        Ok(code)
    }

    /// Reads a number, whose first byte is next: its text and its value.
    fn number(&mut self) -> Result<(&'de str, Number), LenientError> {
        let bytes = self.bytes();
        let start = self.pos;
        let digits = |pos: &mut usize| {
            let from = *pos;
            while bytes.get(*pos).is_some_and(u8::is_ascii_digit) {
                *pos += 1;
            }
            *pos - from
        };
        let mut pos = start;
        if bytes.get(pos) == Some(&b'-') {
            pos += 1;
        }
        let leading_zero = bytes.get(pos) == Some(&b'0');
        match digits(&mut pos) {
            0 => return Err(self.syntax("expected a value")),
            n if leading_zero && n > 1 => {
                self.pos = pos;
                return Err(self.syntax("a number with a leading zero"));
            }
            _ => {}
        }
        let mut integer = true;
        if bytes.get(pos) == Some(&b'.') {
            pos += 1;
            integer = false;
            if digits(&mut pos) == 0 {
                self.pos = pos;
                return Err(self.syntax("a number without digits after its point"));
            }
        }
        if matches!(bytes.get(pos), Some(b'e' | b'E')) {
            pos += 1;
            integer = false;
            if matches!(bytes.get(pos), Some(b'+' | b'-')) {
                pos += 1;
            }
            if digits(&mut pos) == 0 {
                self.pos = pos;
                return Err(self.syntax("a number without digits in its exponent"));
            }
        }
        let text = &self.text[start..pos];
        let number = match integer.then(|| text.parse::<i128>().ok()).flatten() {
            Some(i) => Number::Integer(i),
            None => match text.parse::<f64>() {
                Ok(f) if f.is_finite() => Number::Float(f),
                _ => return Err(self.syntax("a number out of range")),
            },
        };
        self.pos = pos;
        Ok((text, number))
    }

    /// Reads one whole value of any kind, checking it as it goes.
    fn skip(&mut self) -> Result<(), LenientError> {
        let (close, keyed) = match self.peek() {
            Some(b'[') => (b']', false),
            Some(b'{') => (b'}', true),
            _ => return self.scalar().map(drop),
        };
        self.open()?;
        if !self.eat(close) {
            loop {
                if keyed {
                    self.key()?;
                }
                self.skip()?;
                if self.eat(close) {
                    break;
                }
                self.comma(close)?;
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads a value that is not a container.
    fn scalar(&mut self) -> Result<Scalar<'de>, LenientError> {
        Ok(match self.peek() {
            None => return Err(self.syntax("the text ends where a value belongs")),
            Some(b'n') => {
                self.literal("null")?;
                Scalar::Null
            }
            Some(b't') => {
                self.literal("true")?;
                Scalar::Bool(true)
            }
            Some(b'f') => {
                self.literal("false")?;
                Scalar::Bool(false)
            }
            Some(b'"') => Scalar::Str(self.string()?),
            Some(b'-' | b'0'..=b'9') => {
                let (text, n) = self.number()?;
                Scalar::Number(text, n)
            }
            Some(b'[' | b'{') => Scalar::Container,
            Some(_) => return Err(self.syntax("expected a value")),
        })
    }

    /// Reads the bracket or brace that is next, one level deeper.
    fn open(&mut self) -> Result<(), LenientError> {
        if self.depth >= self.max_depth {
            let max = self.max_depth;
            return Err(self.syntax(&format!("values nested deeper than {max} levels")));
        }
        self.depth += 1;
        self.pos += 1;
        Ok(())
    }

    /// Reads the comma between two items of a container that `close` ends.
    fn comma(&mut self, close: u8) -> Result<(), LenientError> {
        if self.eat(b',') {
            Ok(())
        } else if self.peek().is_none() {
            Err(self.syntax("the text ends inside a container"))
        } else {
            Err(self.syntax(if close == b']' {
                "expected `,` or `]`"
            } else {
                "expected `,` or `}`"
            }))
        }
    }

    /// Reads a field name and its colon.
    fn key(&mut self) -> Result<Cow<'de, str>, LenientError> {
        match self.peek() {
            Some(b'"') => {}
            None => return Err(self.syntax("the text ends inside an object")),
            Some(_) => return Err(self.syntax("expected a field name")),
        }
        let key = self.string()?;
        if !self.eat(b':') {
            return Err(self.syntax("expected `:`"));
        }
        Ok(key)
    }

    /// Reads a whole value and gives back its text, for a string field
    /// given a list or an object: kept as JSON text rather than lost.
    fn raw(&mut self) -> Result<&'de str, LenientError> {
        self.peek();
        let start = self.pos;
        self.skip()?;
        Ok(&self.text[start..self.pos])
    }

    /// Reads an integer, from a number, a string holding one, or a boolean.
    fn integer(&mut self) -> Result<i128, LenientError> {
        let probe = *self;
        let wide = match self.scalar()? {
            Scalar::Number(_, Number::Integer(i)) => Some(i),
            Scalar::Number(_, Number::Float(f)) => whole(f),
            Scalar::Str(s) => {
                let t = s.trim();
                if t.is_empty() {
                    // An empty element where a number belongs: read as zero
                    // rather than failing the whole response.
                    Some(0)
                } else {
                    t.parse::<i128>()
                        .ok()
                        .or_else(|| t.parse::<f64>().ok().and_then(whole))
                }
            }
            Scalar::Bool(b) => Some(i128::from(b)),
            Scalar::Null | Scalar::Container => None,
        };
        wide.ok_or_else(|| probe.mismatch("an integer"))
    }

    /// Reads a number, from a number or a string holding one.
    fn float(&mut self) -> Result<f64, LenientError> {
        let probe = *self;
        let value = match self.scalar()? {
            Scalar::Number(_, Number::Integer(i)) => Some(i as f64),
            Scalar::Number(_, Number::Float(f)) => Some(f),
            Scalar::Str(s) if s.trim().is_empty() => Some(0.0),
            Scalar::Str(s) => s.trim().parse().ok(),
            _ => None,
        };
        value.ok_or_else(|| probe.mismatch("a number"))
    }

    /// Whether a blank string is next (the XML spelling of an empty list or
    /// object); reads it if so.
    fn blank_string(&mut self) -> bool {
        let mut probe = *self;
        if probe.peek() == Some(b'"') && probe.string().is_ok_and(|s| s.trim().is_empty()) {
            *self = probe;
            true
        } else {
            false
        }
    }
}

/// A value that is not a container, as read; `Container` when a list or
/// object is next (left unread).
enum Scalar<'de> {
    Null,
    Bool(bool),
    Number(&'de str, Number),
    Str(Cow<'de, str>),
    Container,
}

fn whole(f: f64) -> Option<i128> {
    (f.fract() == 0.0 && f.is_finite()).then_some(f as i128)
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

macro_rules! integer {
    ($method:ident, $visit:ident, $ty:ty) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
            let wide = self.integer()?;
            let narrow = <$ty>::try_from(wide).map_err(|_| {
                de::Error::custom(format_args!("{wide} does not fit in {}", stringify!($ty)))
            })?;
            visitor.$visit(narrow)
        }
    };
}

impl<'de> Deserializer<'de> for &mut Reader<'de> {
    type Error = LenientError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        match self.scalar()? {
            Scalar::Null => visitor.visit_unit(),
            Scalar::Bool(b) => visitor.visit_bool(b),
            Scalar::Number(_, Number::Integer(i)) => {
                if let Ok(i) = i64::try_from(i) {
                    visitor.visit_i64(i)
                } else if let Ok(u) = u64::try_from(i) {
                    visitor.visit_u64(u)
                } else {
                    visitor.visit_f64(i as f64)
                }
            }
            Scalar::Number(_, Number::Float(f)) => visitor.visit_f64(f),
            Scalar::Str(Cow::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Scalar::Str(Cow::Owned(s)) => visitor.visit_string(s),
            Scalar::Container if self.peek() == Some(b'[') => self.list(visitor),
            Scalar::Container => self.object(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        let probe = *self;
        let value = match self.scalar()? {
            Scalar::Bool(b) => Some(b),
            Scalar::Str(s) => match s.trim() {
                t if t.eq_ignore_ascii_case("true") || t == "1" => Some(true),
                t if t.eq_ignore_ascii_case("false") || t == "0" || t.is_empty() => Some(false),
                _ => None,
            },
            Scalar::Number(_, Number::Integer(0)) => Some(false),
            Scalar::Number(_, Number::Integer(1)) => Some(true),
            _ => None,
        };
        match value {
            Some(b) => visitor.visit_bool(b),
            None => Err(probe.mismatch("a boolean")),
        }
    }

    integer!(deserialize_i8, visit_i8, i8);
    integer!(deserialize_i16, visit_i16, i16);
    integer!(deserialize_i32, visit_i32, i32);
    integer!(deserialize_i64, visit_i64, i64);
    integer!(deserialize_i128, visit_i128, i128);
    integer!(deserialize_u8, visit_u8, u8);
    integer!(deserialize_u16, visit_u16, u16);
    integer!(deserialize_u32, visit_u32, u32);
    integer!(deserialize_u64, visit_u64, u64);
    integer!(deserialize_u128, visit_u128, u128);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        visitor.visit_f32(self.float()? as f32)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        visitor.visit_f64(self.float()?)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        let probe = *self;
        match self.scalar()? {
            Scalar::Str(Cow::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Scalar::Str(Cow::Owned(s)) => visitor.visit_string(s),
            // A number or boolean where text belongs: the text as written.
            Scalar::Number(text, _) => visitor.visit_borrowed_str(text),
            Scalar::Bool(b) => visitor.visit_borrowed_str(if b { "true" } else { "false" }),
            // A structured value where text belongs: kept as JSON text
            // rather than lost.
            Scalar::Container => visitor.visit_borrowed_str(self.raw()?),
            Scalar::Null => Err(probe.mismatch("a string")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        if self.peek() == Some(b'n') {
            self.literal("null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        self.skip()?;
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, LenientError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, LenientError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        match self.peek() {
            Some(b'[') => self.list(visitor),
            Some(b'n') => {
                self.literal("null")?;
                visitor.visit_seq(&mut Items::empty(self))
            }
            _ if self.blank_string() => visitor.visit_seq(&mut Items::empty(self)),
            // One item where a list belongs: XML has no other way to say
            // "a list of one", and JSON services do it too.
            _ => {
                let mut items = Items {
                    reader: self,
                    state: ItemsState::One,
                };
                let value = visitor.visit_seq(&mut items)?;
                if matches!(items.state, ItemsState::One) {
                    items.reader.skip()?;
                }
                Ok(value)
            }
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, LenientError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, LenientError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        match self.peek() {
            Some(b'{') => self.object(visitor),
            Some(b'n') => {
                self.literal("null")?;
                visitor.visit_map(&mut Fields::empty(self))
            }
            _ if self.blank_string() => visitor.visit_map(&mut Fields::empty(self)),
            _ => Err(self.mismatch("an object")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, LenientError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, LenientError> {
        if self.peek() != Some(b'"') {
            return Err(self.mismatch("a string naming a variant"));
        }
        let name: Cow<'de, str> = self.string()?;
        visitor.visit_enum(name.into_deserializer())
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, LenientError> {
        self.skip()?;
        visitor.visit_unit()
    }
}

impl<'de> Reader<'de> {
    /// Reads a list, whose bracket is next.
    fn list<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, LenientError> {
        self.open()?;
        let mut items = Items {
            reader: self,
            state: ItemsState::First,
        };
        let value = visitor.visit_seq(&mut items)?;
        if !matches!(items.state, ItemsState::Done) && !items.reader.eat(b']') {
            return Err(items.reader.syntax("more items than the type takes"));
        }
        self.depth -= 1;
        Ok(value)
    }

    /// Reads an object, whose brace is next.
    fn object<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, LenientError> {
        self.open()?;
        let mut fields = Fields {
            reader: self,
            first: true,
            done: false,
            key: Cow::Borrowed(""),
        };
        let value = visitor.visit_map(&mut fields)?;
        if !fields.done && !fields.reader.eat(b'}') {
            return Err(fields.reader.syntax("more fields than the type takes"));
        }
        self.depth -= 1;
        Ok(value)
    }
}

/// The items of a list; one type for a real list, a bare item and an empty
/// list, so that each visitor is compiled once.
struct Items<'a, 'de> {
    reader: &'a mut Reader<'de>,
    state: ItemsState,
}

enum ItemsState {
    /// Inside `[`, before the first item.
    First,
    /// Inside `[`, after an item.
    Next,
    /// A bare value standing for a list of one, not read yet.
    One,
    Done,
}

impl<'a, 'de> Items<'a, 'de> {
    fn empty(reader: &'a mut Reader<'de>) -> Self {
        Items {
            reader,
            state: ItemsState::Done,
        }
    }
}

impl<'de> de::SeqAccess<'de> for &mut Items<'_, 'de> {
    type Error = LenientError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, LenientError> {
        match self.state {
            ItemsState::Done => return Ok(None),
            ItemsState::One => {
                self.state = ItemsState::Done;
                return seed.deserialize(&mut *self.reader).map(Some);
            }
            ItemsState::First => {
                if self.reader.eat(b']') {
                    self.state = ItemsState::Done;
                    return Ok(None);
                }
            }
            ItemsState::Next => {
                if self.reader.eat(b']') {
                    self.state = ItemsState::Done;
                    return Ok(None);
                }
                self.reader.comma(b']')?;
            }
        }
        self.state = ItemsState::Next;
        seed.deserialize(&mut *self.reader).map(Some)
    }
}

/// The fields of an object; one type for a real object and an empty one.
struct Fields<'a, 'de> {
    reader: &'a mut Reader<'de>,
    first: bool,
    done: bool,
    /// The field being read, to name it when its value fails.
    key: Cow<'de, str>,
}

impl<'a, 'de> Fields<'a, 'de> {
    fn empty(reader: &'a mut Reader<'de>) -> Self {
        Fields {
            reader,
            first: true,
            done: true,
            key: Cow::Borrowed(""),
        }
    }
}

impl<'de> de::MapAccess<'de> for &mut Fields<'_, 'de> {
    type Error = LenientError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, LenientError> {
        if self.done {
            return Ok(None);
        }
        if self.reader.eat(b'}') {
            self.done = true;
            return Ok(None);
        }
        if !self.first {
            self.reader.comma(b'}')?;
        }
        self.first = false;
        self.key = self.reader.key()?;
        seed.deserialize(Key(&self.key)).map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, LenientError> {
        seed.deserialize(&mut *self.reader)
            .map_err(|e| e.within(&self.key))
    }
}

/// A field name, handed to the visitor that matches it.
struct Key<'k, 'de>(&'k Cow<'de, str>);

impl<'de> Deserializer<'de> for Key<'_, 'de> {
    type Error = LenientError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        match self.0 {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_str(s),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}
