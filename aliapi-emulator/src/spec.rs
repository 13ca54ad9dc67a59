//! The operation catalog: what each product accepts, read from the API specs
//! that the product crates are generated from, behind the small [`Catalog`]
//! interface the rest of the emulator uses.
//!
//! The JSON is embedded at compile time and parsed once, on first use.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::Value;

const CDN_SPEC: &str = include_str!("../../specs/cdn-2018-05-10.json");
const CBN_SPEC: &str = include_str!("../../specs/cbn-2017-09-12.json");

/// The shape of a param value, a response field or a list element.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDesc {
    /// Any text.
    String,
    /// A whole number (the spec's `integer` and `long`).
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A decimal number.
    Float,
    /// Anything at all.
    Any,
    /// A list of the inner type.
    Array(Box<TypeDesc>),
    /// A structure, named by its entry in the shape table.
    Object(String),
    /// String keys mapping to the inner type.
    Map(Box<TypeDesc>),
}

impl TypeDesc {
    fn from_json(v: &Value) -> TypeDesc {
        let inner = |v: &Value| {
            v.get("items")
                .map(TypeDesc::from_json)
                .unwrap_or(TypeDesc::Any)
        };
        match v.get("type").and_then(Value::as_str).unwrap_or("any") {
            "string" => TypeDesc::String,
            "integer" | "long" => TypeDesc::Integer,
            "boolean" => TypeDesc::Boolean,
            "float" | "double" => TypeDesc::Float,
            "array" => TypeDesc::Array(Box::new(inner(v))),
            "map" => TypeDesc::Map(Box::new(inner(v))),
            "object" => match v.get("shape").and_then(Value::as_str) {
                Some(shape) => TypeDesc::Object(shape.to_owned()),
                None => TypeDesc::Any,
            },
            _ => TypeDesc::Any,
        }
    }
}

/// How a non-scalar param travels on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireStyle {
    /// A single `Name=value`.
    Plain,
    /// Numbered from 1: `Name.1`, `Name.1.Field`.
    RepeatList,
    /// `Name.Field` for an object or map.
    Flat,
    /// One JSON document in `Name`.
    Json,
}

/// One request param of an operation.
#[derive(Debug, Clone)]
pub struct ParamSpec {
    /// The wire name, e.g. `DomainName`.
    pub name: String,
    /// Whether the spec puts it in the form body rather than the query.
    pub in_body: bool,
    /// Its type.
    pub ty: TypeDesc,
    /// Whether a request without it is refused.
    pub required: bool,
    /// How it is spelled on the wire.
    pub style: WireStyle,
}

/// One field of a shape.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    /// The field's JSON name.
    pub name: String,
    /// Its type.
    pub ty: TypeDesc,
    /// Whether the field must be present (request shapes only).
    pub required: bool,
}

/// One operation (`Action`) of a product.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The action name, e.g. `StartCdnDomain`.
    pub name: String,
    /// `GET` or `POST`, as the SDKs send it.
    pub method: String,
    /// Its params, in spec order.
    pub params: Vec<ParamSpec>,
    /// The shape of a successful response body.
    pub response: String,
}

/// What a product handler asks of its API spec: the operations it accepts
/// and the shapes their params and answers are built from.
///
/// The emulator reads its specs through this interface only, so the loader
/// behind it (today [`Spec`], parsed from the JSON the product crates are
/// generated from) can be replaced by a shared spec model without touching
/// the gate or the handlers.
pub trait Catalog: Send + Sync {
    /// The operation named `action`, if the spec has it.
    fn operation(&self, action: &str) -> Option<&Operation>;
    /// The fields of the shape named `name`.
    fn shape(&self, name: &str) -> Option<&[FieldSpec]>;
    /// Every operation name, sorted.
    fn operation_names(&self) -> Vec<&str>;
}

/// The API spec of one product at one version, as read from `specs/`.
#[derive(Debug)]
pub struct Spec {
    product: String,
    version: String,
    endpoint: String,
    operations: HashMap<String, Operation>,
    shapes: HashMap<String, Vec<FieldSpec>>,
}

impl Spec {
    /// Reads a spec document. A document that is not JSON gives an empty
    /// spec: the embedded specs are checked by the tests, so this can only
    /// be a broken build, and a server should not panic over it.
    pub fn parse(text: &str) -> Spec {
        let doc: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let text_of = |key: &str| doc[key].as_str().unwrap_or_default().to_owned();
        let mut operations = HashMap::new();
        for op in doc["operations"].as_array().into_iter().flatten() {
            let Some(name) = op["name"].as_str() else {
                continue;
            };
            let params = op["params"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| {
                    Some(ParamSpec {
                        name: p["name"].as_str()?.to_owned(),
                        in_body: p["location"].as_str() == Some("body"),
                        ty: TypeDesc::from_json(p),
                        required: p["required"].as_bool().unwrap_or(false),
                        style: match p["style"].as_str() {
                            Some("repeatList") => WireStyle::RepeatList,
                            Some("flat") => WireStyle::Flat,
                            Some("json") => WireStyle::Json,
                            _ => WireStyle::Plain,
                        },
                    })
                })
                .collect();
            operations.insert(
                name.to_owned(),
                Operation {
                    name: name.to_owned(),
                    method: op["method"].as_str().unwrap_or("POST").to_owned(),
                    params,
                    response: op["response"].as_str().unwrap_or_default().to_owned(),
                },
            );
        }
        let mut shapes = HashMap::new();
        if let Some(map) = doc["shapes"].as_object() {
            for (name, shape) in map {
                let fields = shape["fields"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|f| {
                        Some(FieldSpec {
                            name: f["name"].as_str()?.to_owned(),
                            ty: TypeDesc::from_json(f),
                            required: f["required"].as_bool().unwrap_or(false),
                        })
                    })
                    .collect();
                shapes.insert(name.clone(), fields);
            }
        }
        Spec {
            product: text_of("product"),
            version: text_of("version"),
            endpoint: text_of("endpoint"),
            operations,
            shapes,
        }
    }

    /// The product code the spec names, e.g. `Cdn`.
    pub fn product(&self) -> &str {
        &self.product
    }

    /// The API version the spec describes, e.g. `2018-05-10`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The central endpoint host the spec names, e.g. `cdn.aliyuncs.com`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// How many operations the spec has.
    pub fn operation_count(&self) -> usize {
        self.operations.len()
    }
}

impl Catalog for Spec {
    fn operation(&self, action: &str) -> Option<&Operation> {
        self.operations.get(action)
    }

    fn shape(&self, name: &str) -> Option<&[FieldSpec]> {
        self.shapes.get(name).map(Vec::as_slice)
    }

    fn operation_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.operations.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }
}

static CDN: LazyLock<Spec> = LazyLock::new(|| Spec::parse(CDN_SPEC));
static CBN: LazyLock<Spec> = LazyLock::new(|| Spec::parse(CBN_SPEC));

/// The CDN spec (`Cdn` 2018-05-10), parsed on first use.
pub fn cdn() -> &'static Spec {
    &CDN
}

/// The CEN spec (`Cbn` 2017-09-12), parsed on first use.
pub fn cbn() -> &'static Spec {
    &CBN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_specs_load_fully() {
        let (cdn, cbn) = (cdn(), cbn());
        assert_eq!((cdn.product(), cdn.version()), ("Cdn", "2018-05-10"));
        assert_eq!((cbn.product(), cbn.version()), ("Cbn", "2017-09-12"));
        assert_eq!(cbn.endpoint(), "cbn.aliyuncs.com");
        assert_eq!(cdn.operation_count(), 179);
        assert_eq!(cbn.operation_count(), 150);
        let add = cdn.operation("AddCdnDomain").unwrap();
        let domain = add.params.iter().find(|p| p.name == "DomainName").unwrap();
        assert!(domain.required);
        assert_eq!(domain.ty, TypeDesc::String);
        let refresh = cdn.operation("RefreshObjectCaches").unwrap();
        assert!(
            refresh
                .params
                .iter()
                .any(|p| p.name == "ObjectPath" && p.in_body)
        );
        let tag = cbn.operation("DescribeCens").unwrap();
        let filter = tag.params.iter().find(|p| p.name == "Filter").unwrap();
        assert_eq!(filter.style, WireStyle::RepeatList);
        assert!(cbn.shape("DescribeCensResponseBody").is_some());
    }
}
