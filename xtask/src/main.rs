//! Developer commands of the aliapi workspace.
//!
//! `cargo run -p xtask -- codegen` regenerates the product crates from the
//! merged specs of `aliapi-spec`; `codegen --check` only compares and fails
//! when the committed files differ from what the specs give.

mod codegen;
mod docs;
mod emit;
mod enums;
mod errors;
mod names;
mod paging;
mod plan;
#[cfg(test)]
mod tests;
mod waiters;

use std::path::PathBuf;
use std::process::ExitCode;

/// One product crate and the spec it is generated from.
pub struct Target {
    /// The spec the crate is generated from.
    pub product: aliapi_spec::Product,
    /// Crate directory, relative to the workspace root.
    pub crate_dir: &'static str,
    /// The crate's name as a Rust path.
    pub crate_ident: &'static str,
    /// How the crate docs name the product.
    pub title: &'static str,
    /// A paged operation without required params, for the crate docs' example.
    pub example: &'static str,
}

pub const TARGETS: &[Target] = &[
    Target {
        product: aliapi_spec::Product::Cdn,
        crate_dir: "aliapi-cdn",
        crate_ident: "aliapi_cdn",
        title: "Alibaba Cloud CDN",
        example: "DescribeUserDomains",
    },
    Target {
        product: aliapi_spec::Product::Cbn,
        crate_dir: "aliapi-cen",
        crate_ident: "aliapi_cen",
        title: "Alibaba Cloud CEN (Cloud Enterprise Network)",
        example: "DescribeCens",
    },
];

const USAGE: &str = "usage: cargo run -p xtask -- codegen [--check]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["codegen"] => report(codegen::run(&root, false)),
        ["codegen", "--check"] => report(codegen::run(&root, true)),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn report(result: Result<bool, String>) -> ExitCode {
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("codegen: {e}");
            ExitCode::FAILURE
        }
    }
}
