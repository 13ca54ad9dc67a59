//! The API specs aliapi is built from, as one typed model.
//!
//! Two Alibaba Cloud RPC APIs are described here: CDN (`Cdn` 2018-05-10)
//! and CEN (`Cbn` 2017-09-12). For each, the crate embeds
//!
//! - the spec extracted from the Tea Python SDK (`specs/<product>-<version>.json`),
//! - the facts from Alibaba Cloud's own API metadata that the Tea SDK leaves
//!   out or states differently (`specs/official/<product>-<version>.facts.json`),
//!
//! and merges the second into the first by the rule of [`merge`]. The
//! files hold facts only (names, types, locations, flags); there is no
//! documentation text in them.
//!
//! [`cdn()`] and [`cbn()`] give the merged specs, parsed on first use. The
//! product crates `aliapi-cdn` and `aliapi-cen` are generated from them, and
//! their tests read them at run time to check every operation on the wire.
//!
//! ```
//! let cdn = aliapi_spec::cdn();
//! let op = cdn.operation("DescribeUserDomains").expect("in the spec");
//! assert_eq!(op.method, aliapi_spec::Method::Post);
//! assert!(op.pagination.is_some());
//!
//! // The merged spec carries what the official metadata adds and flags.
//! assert!(cdn.operation("SetDomainServerCertificate").is_some_and(|op| op.added && op.deprecated));
//! // The Tea spec, unmerged, stays reachable.
//! assert!(aliapi_spec::Product::Cdn.tea().operation("SetDomainServerCertificate").is_none());
//! ```

#![warn(missing_docs)]
#![warn(rustdoc::broken_intra_doc_links)]

pub mod facts;
pub mod merge;
mod model;

use std::fmt;
use std::sync::LazyLock;

pub use facts::{AmendmentKind, EnumRecord, ErrorCatalogue, Facts, Target};
pub use merge::{MergeReport, Merged};
pub use model::{
    Encoding, Field, Location, Method, Operation, Pagination, Param, Shape, Spec, Style, Type,
};

/// A spec or facts file that cannot be read or merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
}

impl Error {
    fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The products whose specs are embedded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Product {
    /// CDN, `Cdn` 2018-05-10.
    Cdn,
    /// CEN (Cloud Enterprise Network), `Cbn` 2017-09-12.
    Cbn,
}

const CDN_TEA: &str = include_str!("../specs/cdn-2018-05-10.json");
const CDN_FACTS: &str = include_str!("../specs/official/cdn-2018-05-10.facts.json");
const CBN_TEA: &str = include_str!("../specs/cbn-2017-09-12.json");
const CBN_FACTS: &str = include_str!("../specs/official/cbn-2017-09-12.facts.json");

static CDN: LazyLock<Merged> = LazyLock::new(|| embedded(Product::Cdn));
static CBN: LazyLock<Merged> = LazyLock::new(|| embedded(Product::Cbn));
static CDN_TEA_SPEC: LazyLock<Spec> = LazyLock::new(|| embedded_tea(Product::Cdn));
static CBN_TEA_SPEC: LazyLock<Spec> = LazyLock::new(|| embedded_tea(Product::Cbn));

// The embedded files are checked by this crate's tests, so a failure here
// means a broken build of the crate itself, not bad input.
fn embedded(product: Product) -> Merged {
    merge::merge(product.tea_json(), product.facts_json())
        .unwrap_or_else(|e| panic!("the embedded {product:?} specs do not merge: {e}"))
}

fn embedded_tea(product: Product) -> Spec {
    Spec::from_json(product.tea_json())
        .unwrap_or_else(|e| panic!("the embedded {product:?} spec does not parse: {e}"))
}

impl Product {
    /// Both products.
    pub const ALL: [Product; 2] = [Product::Cdn, Product::Cbn];

    /// The merged spec.
    pub fn spec(self) -> &'static Spec {
        &self.merged().spec
    }

    /// The merged spec with the typed facts and the merge report.
    pub fn merged(self) -> &'static Merged {
        match self {
            Product::Cdn => &CDN,
            Product::Cbn => &CBN,
        }
    }

    /// The Tea spec as extracted, without the official facts.
    pub fn tea(self) -> &'static Spec {
        match self {
            Product::Cdn => &CDN_TEA_SPEC,
            Product::Cbn => &CBN_TEA_SPEC,
        }
    }

    /// The official facts, typed.
    pub fn facts(self) -> &'static Facts {
        &self.merged().facts
    }

    /// The text of the Tea spec file.
    pub fn tea_json(self) -> &'static str {
        match self {
            Product::Cdn => CDN_TEA,
            Product::Cbn => CBN_TEA,
        }
    }

    /// The text of the facts file.
    pub fn facts_json(self) -> &'static str {
        match self {
            Product::Cdn => CDN_FACTS,
            Product::Cbn => CBN_FACTS,
        }
    }

    /// The Tea spec's file name under `specs/`, e.g. `cdn-2018-05-10.json`.
    pub fn spec_file(self) -> &'static str {
        match self {
            Product::Cdn => "cdn-2018-05-10.json",
            Product::Cbn => "cbn-2017-09-12.json",
        }
    }
}

/// The merged CDN spec (`Cdn` 2018-05-10).
pub fn cdn() -> &'static Spec {
    Product::Cdn.spec()
}

/// The merged CEN spec (`Cbn` 2017-09-12).
pub fn cbn() -> &'static Spec {
    Product::Cbn.spec()
}
