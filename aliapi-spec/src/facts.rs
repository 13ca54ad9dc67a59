//! The official facts: what Alibaba Cloud's own metadata says that the Tea
//! specs leave out or state differently (`specs/official/*.facts.json`).
//!
//! [`crate::merge`] applies the amendments; the enum records and the error
//! catalogue are carried over into the merged [`Spec`](crate::Spec) as they
//! are.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::Error;
use crate::model::{Encoding, Field, Operation, Param, Shape, Type};

/// One product's facts file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Facts {
    /// The product code, e.g. `Cdn`.
    pub product: String,
    /// The API version.
    pub version: String,
    /// Differences from the Tea spec, one list per kind.
    pub amendments: BTreeMap<AmendmentKind, Vec<Amendment>>,
    /// Shapes that amendments refer to and the Tea spec lacks.
    #[serde(default)]
    pub shapes: BTreeMap<String, Shape>,
    /// Documented value sets of params and response fields.
    #[serde(default)]
    pub enums: Vec<EnumRecord>,
    /// The documented error codes.
    #[serde(default)]
    pub errors: ErrorCatalogue,
    /// Candidates the extraction rejected, with the reason (informational).
    #[serde(default)]
    pub left_out: BTreeMap<String, Value>,
    /// Where each source label comes from (informational).
    #[serde(default)]
    pub source: Value,
}

impl Facts {
    /// Parses a facts file.
    pub fn from_json(text: &str) -> Result<Facts, Error> {
        serde_json::from_str(text).map_err(|e| Error::new(format!("not a facts file: {e}")))
    }

    /// The amendments of one kind (empty when the file has none).
    pub fn amendments(&self, kind: AmendmentKind) -> &[Amendment] {
        self.amendments.get(&kind).map_or(&[], Vec::as_slice)
    }
}

/// The kinds of amendment, in the order the merge applies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmendmentKind {
    /// A whole operation the Tea spec lacks.
    OperationAdded,
    /// A param the Tea spec lacks.
    ParamAdded,
    /// A response field the Tea spec lacks.
    ResponseFieldAdded,
    /// A corrected `required` flag.
    Required,
    /// A request integer whose width the official metadata gives.
    IntegerWidth,
    /// An operation or param the official metadata marks deprecated.
    Deprecated,
    /// An operation the current official metadata does not list.
    OperationUndocumented,
    /// A param the current official metadata does not list.
    ParamUndocumented,
    /// A response field sent as a string that holds JSON.
    ResponseType,
    /// A response field whose key is spelled differently between sources.
    ResponseKey,
}

impl AmendmentKind {
    /// Every kind, in merge order.
    pub const ALL: [AmendmentKind; 10] = [
        AmendmentKind::OperationAdded,
        AmendmentKind::ParamAdded,
        AmendmentKind::ResponseFieldAdded,
        AmendmentKind::Required,
        AmendmentKind::IntegerWidth,
        AmendmentKind::Deprecated,
        AmendmentKind::OperationUndocumented,
        AmendmentKind::ParamUndocumented,
        AmendmentKind::ResponseType,
        AmendmentKind::ResponseKey,
    ];

    /// The kind's key in the facts files, e.g. `param_added`.
    pub fn as_str(self) -> &'static str {
        match self {
            AmendmentKind::OperationAdded => "operation_added",
            AmendmentKind::ParamAdded => "param_added",
            AmendmentKind::ResponseFieldAdded => "response_field_added",
            AmendmentKind::Required => "required",
            AmendmentKind::IntegerWidth => "integer_width",
            AmendmentKind::Deprecated => "deprecated",
            AmendmentKind::OperationUndocumented => "operation_undocumented",
            AmendmentKind::ParamUndocumented => "param_undocumented",
            AmendmentKind::ResponseType => "response_type",
            AmendmentKind::ResponseKey => "response_key",
        }
    }
}

impl fmt::Display for AmendmentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One amendment record. Which keys are present depends on its kind.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Amendment {
    /// The operation it concerns.
    pub operation: String,
    /// What it changes (absent for `operation_added` and `param_added`,
    /// whose target is the operation).
    #[serde(default)]
    pub target: Option<Target>,
    /// The dotted wire path of the target, for reading.
    #[serde(default)]
    pub path: Option<String>,
    /// Keys to set at the target.
    #[serde(default)]
    pub set: serde_json::Map<String, Value>,
    /// Keys to delete at the target, after `set`.
    #[serde(default)]
    pub remove: Vec<String>,
    /// `param_added`: the param to append.
    #[serde(default)]
    pub param: Option<Param>,
    /// `response_field_added`: the field to append to the target shape.
    #[serde(default)]
    pub field: Option<Field>,
    /// `operation_added`: the operation to append.
    #[serde(default)]
    pub record: Option<Operation>,
    /// `response_key`: every spelling of the key.
    #[serde(default)]
    pub accept: Vec<String>,
    /// `response_type`: the type the text decodes into (the field's spec type).
    #[serde(default)]
    pub parse_into: Option<Type>,
    /// `response_type`: the type on the wire (a string).
    #[serde(default)]
    pub wire: Option<Type>,
    /// `response_type`: how the wire string holds the value.
    #[serde(default)]
    pub encoding: Option<Encoding>,
    /// `param_added`, `operation_added`: the current metadata no longer lists it.
    #[serde(default)]
    pub deprecated: bool,
    /// The sources that back the record.
    #[serde(default)]
    pub agree: Vec<String>,
    /// What each source says.
    #[serde(default)]
    pub evidence: BTreeMap<String, Value>,
}

/// What an amendment or an enum record is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "RawTarget")]
pub enum Target {
    /// The operation itself.
    Operation(String),
    /// A request param of the record's operation (`items`: its element or value type).
    Param {
        /// The param's wire name.
        name: String,
        /// The target is the list element (or map value) type, not the param.
        items: bool,
    },
    /// A field of a shape.
    Field {
        /// The shape's name.
        shape: String,
        /// The field's wire name.
        field: String,
        /// The target is the list element (or map value) type, not the field.
        items: bool,
    },
    /// A shape (a field is added to it).
    Shape(String),
}

#[derive(Deserialize)]
struct RawTarget {
    #[serde(default)]
    operation: Option<String>,
    #[serde(default)]
    param: Option<String>,
    #[serde(default)]
    shape: Option<String>,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    items: bool,
}

impl TryFrom<RawTarget> for Target {
    type Error = String;

    fn try_from(raw: RawTarget) -> Result<Target, String> {
        Ok(match raw {
            RawTarget {
                operation: Some(op),
                param: None,
                shape: None,
                field: None,
                items: false,
            } => Target::Operation(op),
            RawTarget {
                operation: None,
                param: Some(name),
                shape: None,
                field: None,
                items,
            } => Target::Param { name, items },
            RawTarget {
                operation: None,
                param: None,
                shape: Some(shape),
                field: Some(field),
                items,
            } => Target::Field {
                shape,
                field,
                items,
            },
            RawTarget {
                operation: None,
                param: None,
                shape: Some(shape),
                field: None,
                items: false,
            } => Target::Shape(shape),
            _ => {
                return Err(
                    "a target names an operation, a param, a shape field or a shape".into(),
                );
            }
        })
    }
}

/// Whether an enum record describes a request param or a response field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// A request param (or a field of a request shape).
    Request,
    /// A response field.
    Response,
}

/// How a value set was found in the metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EnumFrom {
    /// The schema's `enum` key.
    Enum,
    /// A list of values in the description.
    Description,
}

/// The documented values of one param or field (merge rule 6: documented
/// values only; an unknown value must still decode).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EnumRecord {
    /// The operation.
    pub operation: String,
    /// Request or response.
    #[serde(rename = "in")]
    pub direction: Direction,
    /// The dotted wire path.
    pub path: String,
    /// The param or field.
    pub target: Target,
    /// The spec type of the values (`string` throughout).
    #[serde(rename = "type")]
    pub ty: String,
    /// The documented values.
    pub values: Vec<String>,
    /// The source label the values come from.
    pub source: String,
    /// Schema `enum` or description.
    pub from: EnumFrom,
    /// Other sources that give a different set.
    #[serde(default)]
    pub other_sources: Vec<OtherValues>,
    /// Set when several values can be joined with this separator.
    #[serde(default)]
    pub list_separator: Option<String>,
}

/// A value set another source gives for the same target.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OtherValues {
    /// The source label.
    pub source: String,
    /// Schema `enum` or description.
    pub from: EnumFrom,
    /// Its values.
    pub values: Vec<String>,
}

/// The error codes the metadata documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ErrorCatalogue {
    /// Each code and its documented variants.
    #[serde(default)]
    pub codes: BTreeMap<String, ErrorCode>,
    /// The codes listed for every operation of the metadata.
    #[serde(default)]
    pub common_codes: Vec<String>,
    /// Whether the metadata has a section of common errors (it has not).
    #[serde(default)]
    pub metadata_declares_common_errors: bool,
    /// How many operations the metadata describes.
    #[serde(default)]
    pub operations_in_metadata: u32,
    /// How many of them list error codes.
    #[serde(default)]
    pub operations_with_error_codes: u32,
}

/// One error code (rule 7: match on the code; status and message vary).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ErrorCode {
    /// Every operation documented to return it.
    pub operations: Vec<String>,
    /// Its documented status and message pairs.
    pub variants: Vec<ErrorVariant>,
    /// Whether the metadata lists it for every operation.
    #[serde(default)]
    pub listed_for_every_operation: bool,
}

/// One documented HTTP status and message of an error code.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ErrorVariant {
    /// The HTTP status.
    pub http: u16,
    /// The message exactly as documented (trailing whitespace included).
    pub message: String,
    /// The operations that document this variant.
    pub operations: Vec<String>,
}
