//! The typed model of one API version: operations, their params, the shapes
//! of structured values, paging, and (in a merged spec) the enumerated values
//! and the error catalogue.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::Error;
use crate::facts::{EnumRecord, ErrorCatalogue};

/// One API version of one product: every operation and every shape they use.
///
/// Built by [`Spec::from_json`], which also checks that every shape an
/// operation or a field names exists, so lookups by those names never miss.
#[derive(Debug, Clone, Deserialize)]
pub struct Spec {
    /// The product code, e.g. `Cdn`: it names the API in endpoint settings
    /// and in the official API reference (it is not sent with a call).
    pub product: String,
    /// The API version, sent as `Version`, e.g. `2018-05-10`.
    pub version: String,
    /// The central host, `<product>.aliyuncs.com`.
    pub endpoint: String,
    /// Region id to host, for the regions served somewhere else than
    /// [`endpoint`](Self::endpoint).
    #[serde(default)]
    pub regional_endpoints: BTreeMap<String, String>,
    /// Where the spec was taken from, in words.
    #[serde(default)]
    pub source: String,
    /// Every operation, in spec order (operations added from the official
    /// metadata come last).
    pub operations: Vec<Operation>,
    /// Every structured type, by name.
    pub shapes: BTreeMap<String, Shape>,
    /// The documented value sets of params and fields (merged specs only).
    #[serde(default)]
    pub enums: Vec<EnumRecord>,
    /// The documented error codes (merged specs only).
    #[serde(default)]
    pub errors: ErrorCatalogue,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

/// One operation: the `Action` a request names.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Operation {
    /// The `Action` value, e.g. `DescribeUserDomains`.
    pub name: String,
    /// The HTTP method the SDKs send it with.
    pub method: Method,
    /// Its params, in spec order.
    pub params: Vec<Param>,
    /// The name of the shape of a successful answer's body.
    pub response: String,
    /// How its answers are paged, if they are.
    pub pagination: Option<Pagination>,
    /// The current official metadata marks it deprecated (or no longer lists
    /// an operation that was added back from older metadata).
    #[serde(default)]
    pub deprecated: bool,
    /// The current official metadata does not list it, though the service
    /// and an official SDK still have it.
    #[serde(default)]
    pub undocumented: bool,
    /// Not in the Tea SDK the spec comes from: added from the official
    /// metadata.
    #[serde(default)]
    pub added: bool,
}

/// The HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`: every param goes in the query.
    Get,
    /// `POST`: params go in the query or in a form body.
    Post,
}

impl Method {
    /// `"GET"` or `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// Where a param travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    /// The query string.
    Query,
    /// The form-encoded body (the query, when the operation uses `GET`).
    Body,
}

/// How a structured param is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Style {
    /// A list numbered from 1, recursively: `Tag.1.Key`, `Filter.1.Value.1`.
    #[serde(rename = "repeatList")]
    RepeatList,
    /// An object or map written field by field: `Name.Field`.
    #[serde(rename = "flat")]
    Flat,
    /// The whole value as one JSON string.
    #[serde(rename = "json")]
    Json,
}

/// One request param.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Param {
    /// The wire name.
    pub name: String,
    /// Query or body.
    pub location: Location,
    /// Its type.
    #[serde(flatten)]
    pub ty: Type,
    /// The SDK (or the official metadata) marks it required.
    #[serde(default)]
    pub required: bool,
    /// How a structured value is written; `None` for scalars.
    pub style: Option<Style>,
    /// The official metadata marks it deprecated or no longer lists it.
    #[serde(default)]
    pub deprecated: bool,
    /// The current official metadata does not list it.
    #[serde(default)]
    pub undocumented: bool,
    /// Not in the Tea SDK: added from the official metadata.
    #[serde(default)]
    pub added: bool,
}

/// A structured type: its fields in order.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Shape {
    /// The fields, in spec order.
    pub fields: Vec<Field>,
}

/// One field of a shape.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Field {
    /// The wire (JSON or XML) name.
    pub name: String,
    /// Its type (for a JSON-text field, the type of the value the text holds).
    #[serde(flatten)]
    pub ty: Type,
    /// Marked required (request-side shapes only).
    #[serde(default)]
    pub required: bool,
    /// Set when the service sends the value as a string that holds it in
    /// this encoding (merge rule 3); the field is still typed as [`ty`](Self::ty).
    #[serde(default)]
    pub encoding: Option<Encoding>,
    /// Other names the service uses for this field (merge rule 4).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The official metadata marks it deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// The current official metadata does not list it.
    #[serde(default)]
    pub undocumented: bool,
    /// Not in the Tea SDK: added from the official metadata.
    #[serde(default)]
    pub added: bool,
}

impl Field {
    /// Whether the service sends this field as JSON text.
    pub fn is_json_text(&self) -> bool {
        self.encoding == Some(Encoding::Json)
    }
}

/// How a value is encoded inside a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// JSON text.
    Json,
}

/// A type: a scalar, a list, a map with string keys, a shape, or anything.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "RawType")]
pub enum Type {
    /// Text.
    String,
    /// A whole number. `width_unknown`: the source types every integer the
    /// same, so whether 32 bits suffice is not known (use 64).
    Integer {
        /// The width is not known.
        width_unknown: bool,
    },
    /// A 64-bit whole number.
    Long,
    /// `true` or `false`.
    Boolean,
    /// A decimal number.
    Float,
    /// A list of the inner type.
    Array(Box<Type>),
    /// String keys to values of the inner type.
    Map(Box<Type>),
    /// The shape of this name.
    Object(String),
    /// Any JSON value.
    Any,
}

impl Type {
    /// The element type of a list or the value type of a map.
    pub fn items(&self) -> Option<&Type> {
        match self {
            Type::Array(t) | Type::Map(t) => Some(t),
            _ => None,
        }
    }

    /// The shape name of an object type.
    pub fn shape(&self) -> Option<&str> {
        match self {
            Type::Object(s) => Some(s),
            _ => None,
        }
    }

    /// The spec's name for the type: `string`, `integer`, `array`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Integer { .. } => "integer",
            Type::Long => "long",
            Type::Boolean => "boolean",
            Type::Float => "float",
            Type::Array(_) => "array",
            Type::Map(_) => "map",
            Type::Object(_) => "object",
            Type::Any => "any",
        }
    }

    /// Whether values of the type are numbered or keyed collections.
    pub fn is_collection(&self) -> bool {
        matches!(self, Type::Array(_) | Type::Map(_))
    }
}

/// The type descriptor as the JSON spells it: `{"type": T, "items": ..,
/// "shape": .., "width_unknown": ..}`.
#[derive(Deserialize)]
struct RawType {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    items: Option<Box<RawType>>,
    #[serde(default)]
    shape: Option<String>,
    #[serde(default)]
    width_unknown: bool,
}

impl TryFrom<RawType> for Type {
    type Error = String;

    fn try_from(raw: RawType) -> Result<Type, String> {
        let inner = |items: Option<Box<RawType>>| -> Result<Box<Type>, String> {
            let items = items.ok_or_else(|| format!("`{}` without `items`", raw.kind))?;
            Ok(Box::new(Type::try_from(*items)?))
        };
        Ok(match raw.kind.as_str() {
            "string" => Type::String,
            "integer" => Type::Integer {
                width_unknown: raw.width_unknown,
            },
            "long" => Type::Long,
            "boolean" => Type::Boolean,
            "float" => Type::Float,
            "any" => Type::Any,
            "array" => Type::Array(inner(raw.items)?),
            "map" => Type::Map(inner(raw.items)?),
            "object" => Type::Object(raw.shape.ok_or("`object` without `shape`")?),
            other => return Err(format!("unknown type `{other}`")),
        })
    }
}

/// How an operation's answers are paged. The response locations are dotted
/// wire paths from the body's root, `[]` marking a step into a list's first
/// element (e.g. `Domains.PageData`, `DomainLogDetails.DomainLogDetail[].PageInfos.Total`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "style", rename_all = "lowercase")]
pub enum Pagination {
    /// The request names a page number.
    Page {
        /// The request param of the page number, counted from 1.
        page_number: String,
        /// The request param of the page size.
        page_size: Option<String>,
        /// Where the answer reports the page number.
        response_page_number: Option<String>,
        /// Where the answer reports the page size.
        response_page_size: Option<String>,
        /// Where the answer reports the total number of items.
        total: Option<String>,
        /// Where the listed items are.
        items: String,
    },
    /// The answer hands back a token for the next page.
    Token {
        /// The request param that carries the token.
        next_token: String,
        /// The request param of the page size, if there is one.
        max_results: Option<String>,
        /// Where the answer carries the next token.
        response_next_token: Option<String>,
        /// Where the answer reports the total number of items.
        total: Option<String>,
        /// Where the listed items are.
        items: String,
    },
}

impl Pagination {
    /// Where the listed items are.
    pub fn items(&self) -> &str {
        match self {
            Pagination::Page { items, .. } | Pagination::Token { items, .. } => items,
        }
    }

    /// Where the total is reported, if it is.
    pub fn total(&self) -> Option<&str> {
        match self {
            Pagination::Page { total, .. } | Pagination::Token { total, .. } => total.as_deref(),
        }
    }

    /// The request param of the page size (`PageSize` or `MaxResults`).
    pub fn page_size(&self) -> Option<&str> {
        match self {
            Pagination::Page { page_size, .. } => page_size.as_deref(),
            Pagination::Token { max_results, .. } => max_results.as_deref(),
        }
    }
}

impl Spec {
    /// Parses a spec from its JSON text and checks its references.
    pub fn from_json(text: &str) -> Result<Spec, Error> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| Error::new(format!("invalid JSON: {e}")))?;
        Spec::from_value(value)
    }

    /// Reads a spec from a JSON tree and checks its references.
    pub fn from_value(value: serde_json::Value) -> Result<Spec, Error> {
        let mut spec: Spec =
            serde_json::from_value(value).map_err(|e| Error::new(format!("not a spec: {e}")))?;
        spec.index = HashMap::with_capacity(spec.operations.len());
        for (i, op) in spec.operations.iter().enumerate() {
            if spec.index.insert(op.name.clone(), i).is_some() {
                return Err(Error::new(format!(
                    "operation `{}` is listed twice",
                    op.name
                )));
            }
        }
        spec.check_references()?;
        Ok(spec)
    }

    /// The operation of this name.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.index.get(name).map(|&i| &self.operations[i])
    }

    /// The shape of this name.
    pub fn shape(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }

    fn check_references(&self) -> Result<(), Error> {
        let check = |t: &Type, at: &dyn Fn() -> String| -> Result<(), Error> {
            let mut t = t;
            while let Some(inner) = t.items() {
                t = inner;
            }
            match t {
                Type::Object(s) if !self.shapes.contains_key(s) => {
                    Err(Error::new(format!("{}: shape `{s}` is not defined", at())))
                }
                _ => Ok(()),
            }
        };
        for op in &self.operations {
            if !self.shapes.contains_key(&op.response) {
                return Err(Error::new(format!(
                    "{}: response shape `{}` is not defined",
                    op.name, op.response
                )));
            }
            for p in &op.params {
                check(&p.ty, &|| format!("{}.{}", op.name, p.name))?;
            }
        }
        for (name, shape) in &self.shapes {
            for f in &shape.fields {
                check(&f.ty, &|| format!("{name}.{}", f.name))?;
            }
        }
        Ok(())
    }
}

impl PartialEq for Spec {
    fn eq(&self, other: &Spec) -> bool {
        // The index is derived from the operations.
        self.product == other.product
            && self.version == other.version
            && self.endpoint == other.endpoint
            && self.regional_endpoints == other.regional_endpoints
            && self.source == other.source
            && self.operations == other.operations
            && self.shapes == other.shapes
            && self.enums == other.enums
            && self.errors == other.errors
    }
}
