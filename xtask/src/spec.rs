//! The JSON specs under `specs/`, as the generator reads them.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One API version: its operations and every shape they use.
#[derive(Debug, Deserialize)]
pub struct Spec {
    pub product: String,
    pub version: String,
    pub endpoint: String,
    #[serde(default)]
    pub regional_endpoints: BTreeMap<String, String>,
    pub operations: Vec<Operation>,
    pub shapes: BTreeMap<String, Shape>,
}

#[derive(Debug, Deserialize)]
pub struct Operation {
    pub name: String,
    pub method: String,
    pub params: Vec<Param>,
    pub response: String,
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Deserialize)]
pub struct Param {
    pub name: String,
    pub location: String,
    #[serde(flatten)]
    pub ty: TypeDesc,
    #[serde(default)]
    pub required: bool,
    pub style: Option<String>,
}

/// A type descriptor: `{"type": T}` plus `items`, `shape` or `width_unknown`.
#[derive(Debug, Clone, Deserialize)]
pub struct TypeDesc {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub items: Option<Box<TypeDesc>>,
    #[serde(default)]
    pub shape: Option<String>,
    #[serde(default)]
    pub width_unknown: bool,
}

#[derive(Debug, Deserialize)]
pub struct Shape {
    pub fields: Vec<Field>,
}

#[derive(Debug, Deserialize)]
pub struct Field {
    pub name: String,
    #[serde(flatten)]
    pub ty: TypeDesc,
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Deserialize)]
pub struct Pagination {
    pub style: String,
    #[serde(default)]
    pub page_number: Option<String>,
    #[serde(default)]
    pub page_size: Option<String>,
    #[serde(default)]
    pub response_page_number: Option<String>,
    #[serde(default)]
    pub response_page_size: Option<String>,
    #[serde(default)]
    pub total: Option<String>,
    pub items: String,
    #[serde(default)]
    pub next_token: Option<String>,
    #[serde(default)]
    pub max_results: Option<String>,
    #[serde(default)]
    pub response_next_token: Option<String>,
}

impl Spec {
    pub fn shape(&self, name: &str) -> Result<&Shape, String> {
        self.shapes
            .get(name)
            .ok_or_else(|| format!("shape `{name}` is referenced but not defined"))
    }
}
