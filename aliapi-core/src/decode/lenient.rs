//! A forgiving `Deserializer` over a parsed JSON tree.
//!
//! Alibaba Cloud services are not strict about types: numbers arrive as
//! strings, booleans as `"true"`, a list of one as a bare object (always so in
//! XML), an empty list or object as `""` or `null`. Typed responses are plain
//! `#[derive(Deserialize)]` structs; this deserializer bends each value to the
//! type the struct asks for, so no field needs an attribute.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde_json::{Map, Number, Value};

/// Why a value did not fit the type asked for.
#[derive(Debug)]
pub struct LenientError {
    /// Dotted path of the field that failed, outermost first.
    path: String,
    message: String,
}

fn error(message: String) -> LenientError {
    LenientError {
        path: String::new(),
        message,
    }
}

impl fmt::Display for LenientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at {}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for LenientError {}

impl de::Error for LenientError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        error(msg.to_string())
    }
}

/// Deserializes `T` from `value`, coercing as described in the module docs.
pub fn from_value<T: de::DeserializeOwned>(value: &Value) -> Result<T, LenientError> {
    T::deserialize(Lenient(value))
}

/// The deserializer; see the module docs.
#[derive(Clone, Copy)]
pub struct Lenient<'a>(pub &'a Value);

static NULL: Value = Value::Null;

impl<'a> Lenient<'a> {
    fn mismatch(&self, expected: &str) -> LenientError {
        let found = match self.0 {
            Value::Null => "null".to_owned(),
            Value::Bool(b) => format!("boolean {b}"),
            Value::Number(n) => format!("number {n}"),
            Value::String(s) => format!("string {:?}", truncate(s)),
            Value::Array(_) => "a list".to_owned(),
            Value::Object(_) => "an object".to_owned(),
        };
        error(format!("expected {expected}, found {found}"))
    }

    fn as_i128(&self) -> Result<i128, LenientError> {
        match self.0 {
            Value::Number(n) => number_to_i128(n).ok_or_else(|| self.mismatch("an integer")),
            Value::String(s) => {
                let t = s.trim();
                if t.is_empty() {
                    // An empty element where a number belongs: read as zero
                    // rather than failing the whole response.
                    return Ok(0);
                }
                t.parse::<i128>()
                    .ok()
                    .or_else(|| {
                        t.parse::<f64>()
                            .ok()
                            .filter(|f| f.fract() == 0.0 && f.is_finite())
                            .map(|f| f as i128)
                    })
                    .ok_or_else(|| self.mismatch("an integer"))
            }
            Value::Bool(b) => Ok(i128::from(*b)),
            _ => Err(self.mismatch("an integer")),
        }
    }

    fn as_f64(&self) -> Result<f64, LenientError> {
        match self.0 {
            Value::Number(n) => n.as_f64().ok_or_else(|| self.mismatch("a number")),
            Value::String(s) if s.trim().is_empty() => Ok(0.0),
            Value::String(s) => s.trim().parse().map_err(|_| self.mismatch("a number")),
            _ => Err(self.mismatch("a number")),
        }
    }
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn number_to_i128(n: &Number) -> Option<i128> {
    if let Some(i) = n.as_i64() {
        return Some(i.into());
    }
    if let Some(u) = n.as_u64() {
        return Some(u.into());
    }
    n.as_f64()
        .filter(|f| f.fract() == 0.0 && f.is_finite())
        .map(|f| f as i128)
}

macro_rules! integer {
    ($method:ident, $visit:ident, $ty:ty) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
            let wide = self.as_i128()?;
            let narrow = <$ty>::try_from(wide)
                .map_err(|_| error(format!("{wide} does not fit in {}", stringify!($ty))))?;
            visitor.$visit(narrow)
        }
    };
}

impl<'de> de::Deserializer<'de> for Lenient<'de> {
    type Error = LenientError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(Seq(items.iter())),
            Value::Object(map) => visitor.visit_map(Fields::new(map)),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::String(s) => match s.trim() {
                t if t.eq_ignore_ascii_case("true") || t == "1" => visitor.visit_bool(true),
                t if t.eq_ignore_ascii_case("false") || t == "0" || t.is_empty() => {
                    visitor.visit_bool(false)
                }
                _ => Err(self.mismatch("a boolean")),
            },
            Value::Number(n) => match n.as_i64() {
                Some(0) => visitor.visit_bool(false),
                Some(1) => visitor.visit_bool(true),
                _ => Err(self.mismatch("a boolean")),
            },
            _ => Err(self.mismatch("a boolean")),
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
        visitor.visit_f32(self.as_f64()? as f32)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        visitor.visit_f64(self.as_f64()?)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Number(n) => visitor.visit_string(n.to_string()),
            Value::Bool(b) => visitor.visit_string(b.to_string()),
            // A structured value where text was expected: keep it as JSON
            // text instead of losing it.
            Value::Array(_) | Value::Object(_) => visitor.visit_string(self.0.to_string()),
            Value::Null => Err(self.mismatch("a string")),
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
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, LenientError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, LenientError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Seq(items.iter())),
            Value::Null => visitor.visit_seq(Seq([].iter())),
            Value::String(s) if s.trim().is_empty() => visitor.visit_seq(Seq([].iter())),
            // One element where a list belongs: XML has no other way to say
            // "a list of one", and JSON services do it too.
            _ => visitor.visit_seq(Seq(std::slice::from_ref(self.0).iter())),
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
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        match self.0 {
            Value::Object(map) => visitor.visit_map(Fields::new(map)),
            Value::Null => visitor.visit_map(Fields::new(EMPTY.get_or_init(Map::new))),
            Value::String(s) if s.trim().is_empty() => {
                visitor.visit_map(Fields::new(EMPTY.get_or_init(Map::new)))
            }
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
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            _ => Err(self.mismatch("a string naming a variant")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, LenientError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, LenientError> {
        visitor.visit_unit()
    }
}

struct Seq<'a>(std::slice::Iter<'a, Value>);

impl<'de> de::SeqAccess<'de> for Seq<'de> {
    type Error = LenientError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, LenientError> {
        match self.0.next() {
            Some(v) => seed.deserialize(Lenient(v)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Fields<'a> {
    iter: serde_json::map::Iter<'a>,
    key: &'a str,
    value: &'a Value,
}

impl<'a> Fields<'a> {
    fn new(map: &'a Map<String, Value>) -> Self {
        Fields {
            iter: map.iter(),
            key: "",
            value: &NULL,
        }
    }
}

impl<'de> de::MapAccess<'de> for Fields<'de> {
    type Error = LenientError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, LenientError> {
        match self.iter.next() {
            Some((k, v)) => {
                self.key = k;
                self.value = v;
                seed.deserialize(de::value::BorrowedStrDeserializer::new(k))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, LenientError> {
        // Name the path to the bad value, outermost field first.
        seed.deserialize(Lenient(self.value)).map_err(|mut e| {
            e.path = if e.path.is_empty() {
                self.key.to_owned()
            } else {
                format!("{}.{}", self.key, e.path)
            };
            e
        })
    }
}
