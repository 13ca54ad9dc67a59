//! A serde `Serializer` that flattens any value into dotted wire params:
//! lists as `.1`, `.2`, …, objects and maps as `.Field`.

use std::cell::Cell;
use std::fmt::{self, Write as _};

use serde::ser::{self, Impossible, Serialize};

use super::{Location, ParamWriter};

/// Why a value could not be written.
#[derive(Debug)]
pub(crate) struct Unwritable(String);

impl fmt::Display for Unwritable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unwritable {}

impl ser::Error for Unwritable {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Unwritable(msg.to_string())
    }
}

thread_local! {
    /// Scratch space for dotted names while flattening, reused from one
    /// param and one request to the next on each thread.
    static PATH: Cell<String> = const { Cell::new(String::new()) };
}

pub(crate) fn write_flat<T: Serialize + ?Sized>(
    w: &mut ParamWriter,
    name: &str,
    location: Location,
    value: &T,
) -> Result<(), Unwritable> {
    // Taken out of the cell for the write, so that a value whose
    // `Serialize` writes params of its own (to another writer) finds an
    // empty one rather than a borrowed one.
    let mut path = PATH.take();
    path.clear();
    path.push_str(name);
    let result = value.serialize(Flattener {
        w,
        path: &mut path,
        location,
    });
    PATH.set(path);
    result
}

pub(crate) fn write_json<T: Serialize + ?Sized>(
    w: &mut ParamWriter,
    name: &str,
    location: Location,
    value: &T,
) -> Result<(), Unwritable> {
    let json = serde_json::to_string(value).map_err(|e| Unwritable(e.to_string()))?;
    // An absent option serializes as `null`, an unset list or map as `[]` or
    // `{}`: absent params are not sent, as with the other styles.
    if !matches!(json.as_str(), "null" | "[]" | "{}") {
        w.push(name, &json, location);
    }
    Ok(())
}

struct Flattener<'a> {
    w: &'a mut ParamWriter,
    /// The unencoded dotted name of the value being written.
    path: &'a mut String,
    location: Location,
}

impl Flattener<'_> {
    fn leaf_str(self, value: &str) -> Result<(), Unwritable> {
        self.w.push(self.path, value, self.location);
        Ok(())
    }

    /// A value whose text needs no encoding (numbers, booleans).
    fn leaf_plain(self, value: impl fmt::Display) -> Result<(), Unwritable> {
        self.w.push_with(self.path, self.location, |buf| {
            let _ = write!(buf, "{value}");
        });
        Ok(())
    }

    /// An integer, written digit by digit (no `fmt` machinery: this runs
    /// for every numeric param of every request).
    fn integer(self, value: i128) -> Result<(), Unwritable> {
        self.w.push_with(self.path, self.location, |buf| {
            if value < 0 {
                buf.push('-');
            }
            push_digits(buf, value.unsigned_abs());
        });
        Ok(())
    }

    fn float(self, value: f64) -> Result<(), Unwritable> {
        if !value.is_finite() {
            return Err(Unwritable(format!("{value} is not a finite number")));
        }
        self.leaf_plain(value)
    }

    fn nested(self) -> Nested<Self> {
        let base = self.path.len();
        Nested {
            inner: self,
            base,
            index: 0,
        }
    }
}

/// Appends the decimal digits of `value`, in 64-bit arithmetic when it
/// fits (every value but a large `i128`): a 128-bit division is a library
/// call, one per digit.
fn push_digits(out: &mut String, value: u128) {
    let mut digits = [0u8; 40];
    let mut at = digits.len();
    let mut step = |d: u8| {
        at -= 1;
        digits[at] = b'0' + d;
    };
    match u64::try_from(value) {
        Ok(mut v) => loop {
            step((v % 10) as u8);
            v /= 10;
            if v == 0 {
                break;
            }
        },
        Err(_) => {
            let mut v = value;
            loop {
                step((v % 10) as u8);
                v /= 10;
                if v == 0 {
                    break;
                }
            }
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// What a child adds to its parent's path after the dot.
enum Suffix<'a> {
    /// A list position, counted from 1.
    Index(u32),
    /// A field or map key.
    Key(&'a str),
}

/// A list, tuple or struct being written: each child extends the path by
/// `.index` or `.Field` and restores it afterwards.
struct Nested<F> {
    inner: F,
    base: usize,
    index: u32,
}

impl Nested<Flattener<'_>> {
    fn child<T: Serialize + ?Sized>(
        &mut self,
        suffix: Suffix<'_>,
        value: &T,
    ) -> Result<(), Unwritable> {
        let f = &mut self.inner;
        f.path.push('.');
        match suffix {
            Suffix::Index(i) => push_digits(f.path, u128::from(i)),
            Suffix::Key(k) => f.path.push_str(k),
        }
        let result = value.serialize(Flattener {
            w: f.w,
            path: f.path,
            location: f.location,
        });
        f.path.truncate(self.base);
        result
    }

    fn next_item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        self.index += 1;
        let i = self.index;
        self.child(Suffix::Index(i), value)
    }
}

impl<'a> ser::Serializer for Flattener<'a> {
    type Ok = ();
    type Error = Unwritable;
    type SerializeSeq = Nested<Flattener<'a>>;
    type SerializeTuple = Nested<Flattener<'a>>;
    type SerializeTupleStruct = Nested<Flattener<'a>>;
    type SerializeTupleVariant = Impossible<(), Unwritable>;
    type SerializeMap = MapWriter<'a>;
    type SerializeStruct = Nested<Flattener<'a>>;
    type SerializeStructVariant = Impossible<(), Unwritable>;

    fn serialize_bool(self, v: bool) -> Result<(), Unwritable> {
        self.w.push_with(self.path, self.location, |buf| {
            buf.push_str(if v { "true" } else { "false" })
        });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unwritable> {
        self.integer(i128::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unwritable> {
        self.integer(i128::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unwritable> {
        self.integer(i128::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unwritable> {
        self.integer(i128::from(v))
    }
    fn serialize_i128(self, v: i128) -> Result<(), Unwritable> {
        self.integer(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unwritable> {
        self.integer(i128::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unwritable> {
        self.integer(i128::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unwritable> {
        self.integer(i128::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unwritable> {
        self.integer(i128::from(v))
    }
    fn serialize_u128(self, v: u128) -> Result<(), Unwritable> {
        self.leaf_plain(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Unwritable> {
        self.float(v as f64)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unwritable> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Unwritable> {
        self.leaf_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Unwritable> {
        self.leaf_str(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unwritable> {
        Err(Unwritable(
            "raw bytes cannot be sent as a param; use a string".into(),
        ))
    }
    fn serialize_none(self) -> Result<(), Unwritable> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unwritable> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unwritable> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unwritable> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unwritable> {
        self.leaf_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unwritable> {
        Ok(self.nested())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unwritable> {
        Ok(self.nested())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unwritable> {
        Ok(self.nested())
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unwritable> {
        Err(Unwritable(format!(
            "enum variant {name}::{variant} with fields cannot be flattened"
        )))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unwritable> {
        let base = self.path.len();
        Ok(MapWriter {
            inner: self,
            base,
            key: String::new(),
        })
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Unwritable> {
        Ok(self.nested())
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unwritable> {
        Err(Unwritable(format!(
            "enum variant {name}::{variant} with fields cannot be flattened"
        )))
    }
}

impl ser::SerializeSeq for Nested<Flattener<'_>> {
    type Ok = ();
    type Error = Unwritable;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        self.next_item(value)
    }
    fn end(self) -> Result<(), Unwritable> {
        Ok(())
    }
}

impl ser::SerializeTuple for Nested<Flattener<'_>> {
    type Ok = ();
    type Error = Unwritable;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        self.next_item(value)
    }
    fn end(self) -> Result<(), Unwritable> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Nested<Flattener<'_>> {
    type Ok = ();
    type Error = Unwritable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        self.next_item(value)
    }
    fn end(self) -> Result<(), Unwritable> {
        Ok(())
    }
}

impl ser::SerializeStruct for Nested<Flattener<'_>> {
    type Ok = ();
    type Error = Unwritable;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        self.child(Suffix::Key(key), value)
    }
    fn end(self) -> Result<(), Unwritable> {
        Ok(())
    }
}

pub(crate) struct MapWriter<'a> {
    inner: Flattener<'a>,
    base: usize,
    key: String,
}

impl ser::SerializeMap for MapWriter<'_> {
    type Ok = ();
    type Error = Unwritable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unwritable> {
        self.key.clear();
        key.serialize(KeyWriter(&mut self.key))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        let f = &mut self.inner;
        f.path.push('.');
        f.path.push_str(&self.key);
        let result = value.serialize(Flattener {
            w: f.w,
            path: f.path,
            location: f.location,
        });
        f.path.truncate(self.base);
        result
    }
    fn end(self) -> Result<(), Unwritable> {
        Ok(())
    }
}

/// Turns a map key into text; only strings, characters, numbers and
/// booleans make sensible param names.
struct KeyWriter<'a>(&'a mut String);

fn bad_key() -> Unwritable {
    Unwritable("map keys must be strings, numbers or booleans".into())
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Unwritable;
    type SerializeSeq = Impossible<(), Unwritable>;
    type SerializeTuple = Impossible<(), Unwritable>;
    type SerializeTupleStruct = Impossible<(), Unwritable>;
    type SerializeTupleVariant = Impossible<(), Unwritable>;
    type SerializeMap = Impossible<(), Unwritable>;
    type SerializeStruct = Impossible<(), Unwritable>;
    type SerializeStructVariant = Impossible<(), Unwritable>;

    fn serialize_bool(self, v: bool) -> Result<(), Unwritable> {
        let _ = write!(self.0, "{v}");
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unwritable> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unwritable> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unwritable> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unwritable> {
        let _ = write!(self.0, "{v}");
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unwritable> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unwritable> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unwritable> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unwritable> {
        let _ = write!(self.0, "{v}");
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Unwritable> {
        Err(bad_key())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Unwritable> {
        Err(bad_key())
    }
    fn serialize_char(self, v: char) -> Result<(), Unwritable> {
        self.0.push(v);
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unwritable> {
        self.0.push_str(v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unwritable> {
        Err(bad_key())
    }
    fn serialize_none(self) -> Result<(), Unwritable> {
        Err(bad_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Unwritable> {
        Err(bad_key())
    }
    fn serialize_unit(self) -> Result<(), Unwritable> {
        Err(bad_key())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unwritable> {
        Err(bad_key())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unwritable> {
        self.0.push_str(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unwritable> {
        Err(bad_key())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unwritable> {
        Err(bad_key())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unwritable> {
        Err(bad_key())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unwritable> {
        Err(bad_key())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unwritable> {
        Err(bad_key())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unwritable> {
        Err(bad_key())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Unwritable> {
        Err(bad_key())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unwritable> {
        Err(bad_key())
    }
}
