//! The official error catalogue as constants: the `errors` module of a
//! product crate, and the error codes each operation's docs list.
//!
//! One constant per code, named in SCREAMING_SNAKE_CASE from the code's
//! words (`InvalidDomain.NotFound` → `INVALID_DOMAIN_NOT_FOUND`). Two rules
//! keep that one name per code:
//!
//! - a code the catalogue also spells with trailing whitespace
//!   (`MissingParameter\t`) is one code, the trimmed one, with the
//!   statuses and operations of every spelling;
//! - where several codes give one name, the one more operations document
//!   keeps it (then the first in byte order), and the others get `_2`,
//!   `_3`, … in that order.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use aliapi_spec::Spec;

use crate::Target;
use crate::names;
use crate::plan::Plan;

/// One constant.
#[derive(Debug, Clone)]
pub struct Code {
    pub name: String,
    /// The code, trimmed.
    pub code: String,
    pub statuses: BTreeSet<u16>,
    pub operations: BTreeSet<String>,
    pub everywhere: bool,
}

/// Every constant of a spec's catalogue, by code.
pub fn codes(spec: &Spec) -> Result<BTreeMap<String, Code>, String> {
    let mut by_code: BTreeMap<String, Code> = BTreeMap::new();
    for (raw, entry) in &spec.errors.codes {
        let code = raw.trim().to_owned();
        if code.is_empty() {
            return Err(format!("error code {raw:?} is blank"));
        }
        // A template of the catalogue's own (`Invalid%s.Malformed`): the
        // service sends it with the blank filled in, so a constant of the
        // template could never match an answer.
        if code.contains("%s") {
            continue;
        }
        let c = by_code.entry(code.clone()).or_insert_with(|| Code {
            name: String::new(),
            code,
            statuses: BTreeSet::new(),
            operations: BTreeSet::new(),
            everywhere: false,
        });
        c.statuses.extend(entry.variants.iter().map(|v| v.http));
        c.operations.extend(entry.operations.iter().cloned());
        c.everywhere |= entry.listed_for_every_operation;
    }
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in by_code.values() {
        by_name
            .entry(base_name(&c.code))
            .or_default()
            .push(c.code.clone());
    }
    for (name, mut codes) in by_name {
        codes.sort_by(|a, b| {
            let ops = |c: &String| by_code[c].operations.len();
            ops(b).cmp(&ops(a)).then_with(|| a.cmp(b))
        });
        for (i, code) in codes.iter().enumerate() {
            let name = if i == 0 {
                name.clone()
            } else {
                format!("{name}_{}", i + 1)
            };
            by_code.get_mut(code).expect("listed").name = name;
        }
    }
    let mut seen = BTreeSet::new();
    for c in by_code.values() {
        if !seen.insert(c.name.clone()) {
            return Err(format!("two error codes are named `{}`", c.name));
        }
    }
    Ok(by_code)
}

/// The constant's name before collisions are resolved.
fn base_name(code: &str) -> String {
    let name = names::words(code).join("_").to_ascii_uppercase();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("CODE_{name}")
    } else {
        name
    }
}

/// The name of the constant for `code` (as a generated waiter or an
/// operation's docs refer to it).
pub fn name_of(codes: &BTreeMap<String, Code>, code: &str) -> Result<String, String> {
    codes
        .get(code)
        .map(|c| c.name.clone())
        .ok_or_else(|| format!("error code `{code}` is not in the catalogue"))
}

fn statuses_text(statuses: &BTreeSet<u16>) -> String {
    let v: Vec<String> = statuses.iter().map(u16::to_string).collect();
    match v.len() {
        0 => "no HTTP status".to_owned(),
        1 => format!("HTTP {}", v[0]),
        n => format!("HTTP {} or {}", v[..n - 1].join(", "), v[n - 1]),
    }
}

/// The `errors` module of a product crate.
pub fn module_rs(plan: &Plan, target: &Target) -> Result<String, String> {
    let spec = plan.spec;
    let codes = codes(spec)?;
    let in_spec: BTreeSet<&str> = plan.ops.iter().map(|p| p.op.name.as_str()).collect();
    let mut o = crate::emit::header(target);
    let _ = writeln!(
        o,
        "//! The error codes of `{product}` {version}, from Alibaba Cloud's official\n\
         //! error catalogue: {n} constants, each with the HTTP statuses the catalogue\n\
         //! gives the code. Match an error with [`aliapi_core::Error::is`]:\n\
         //!\n\
         //! ```no_run\n\
         //! # fn demo(err: aliapi_core::Error) {{\n\
         //! if err.is({krate}::errors::{example}) {{\n\
         //!     // …\n\
         //! }}\n\
         //! # }}\n\
         //! ```\n\
         //!\n\
         //! Names are the code's words in SCREAMING_SNAKE_CASE. A code the\n\
         //! catalogue also spells with trailing whitespace is one constant, of the\n\
         //! trimmed code; where several codes give one name, the one documented by\n\
         //! more operations keeps it (then the first in byte order) and the others\n\
         //! get `_2`, `_3`, …. The catalogue documents statuses and operations, not\n\
         //! every error the service may answer: an unlisted code still matches by\n\
         //! its text.\n\n\
         use aliapi_core::ErrorCode;\n",
        product = spec.product,
        version = spec.version,
        n = codes.len(),
        krate = target.crate_ident,
        example = codes
            .values()
            .max_by_key(|c| (c.operations.len(), std::cmp::Reverse(c.code.clone())))
            .map(|c| c.name.clone())
            .unwrap_or_default(),
    );
    for c in codes.values() {
        let mut doc = format!(
            "`{}`: answered with {}.",
            c.code,
            statuses_text(&c.statuses)
        );
        if c.everywhere {
            let _ = write!(
                doc,
                " The catalogue lists it for every operation it describes ({}).",
                c.operations.len()
            );
        } else {
            let ops: Vec<String> = c
                .operations
                .iter()
                .map(|op| {
                    if in_spec.contains(op.as_str()) {
                        format!("[`{op}`](crate::{op})")
                    } else {
                        format!("`{op}`")
                    }
                })
                .collect();
            let _ = write!(
                doc,
                " Documented for {} operation{}: {}.",
                ops.len(),
                if ops.len() == 1 { "" } else { "s" },
                ops.join(", ")
            );
        }
        let statuses: Vec<String> = c.statuses.iter().map(u16::to_string).collect();
        let _ = writeln!(
            o,
            "\n/// {doc}\npub const {}: ErrorCode = ErrorCode::new({:?}, &[{}]);",
            c.name,
            c.code,
            statuses.join(", ")
        );
    }
    o.push_str("\n/// Every constant above, in the order of their codes.\npub const ALL: &[ErrorCode] = &[\n");
    for c in codes.values() {
        let _ = writeln!(o, "{},", c.name);
    }
    o.push_str("];\n");
    Ok(o)
}

/// The `# Errors` section of an operation's docs; empty when the
/// catalogue documents none for it.
pub fn op_doc(plan: &Plan, op: usize) -> Result<String, String> {
    let name = &plan.ops[op].op.name;
    let codes = codes(plan.spec)?;
    let mine: Vec<&Code> = codes
        .values()
        .filter(|c| c.operations.contains(name))
        .collect();
    if mine.is_empty() {
        return Ok(String::new());
    }
    let links: Vec<String> = mine
        .iter()
        .map(|c| format!("[`{}`](crate::errors::{})", c.code, c.name))
        .collect();
    // One per line: an operation can have forty.
    let list: String = links.iter().map(|l| format!("- {l}\n")).collect();
    Ok(format!(
        "\n# Errors\n\nThe official catalogue documents {} for it; match {} with [`aliapi_core::Error::is`]:\n\n{list}",
        if mine.len() == 1 {
            "one error code".to_owned()
        } else {
            format!("{} error codes", mine.len())
        },
        if mine.len() == 1 { "it" } else { "them" }
    ))
}
