//! The crate's layers point one way. Each module may name only the modules
//! listed for it here; the test reads the sources, so a new upward import
//! fails it with the file and the line.
//!
//! ```text
//! providers (STS, metadata, files, the chain)   — above the client
//! client (config, retry loop, endpoints)
//! sign → transport → decode, params, retry       — one attempt, one way
//! credentials, clock                              — leaves
//! ```

use std::path::Path;

/// Every top-level module and the modules it may name with `crate::`.
const ALLOWED: &[(&str, &[&str])] = &[
    ("credentials", &["clock"]),
    ("clock", &[]),
    ("params", &["error"]),
    ("error", &["credentials"]),
    ("redact", &[]),
    ("action", &["endpoint", "error", "params"]),
    ("endpoint", &[]),
    (
        "sign",
        &[
            "action",
            "credentials",
            "decode",
            "error",
            "params",
            "Location",
            "Method",
            "ParamWriter",
        ],
    ),
    ("transport", &["action", "error", "redact"]),
    (
        "decode",
        &["error", "redact", "sign", "transport", "Format"],
    ),
    ("retry", &["decode", "error"]),
    (
        "client",
        &[
            "action",
            "clock",
            "credentials",
            "decode",
            "endpoint",
            "error",
            "generic",
            "params",
            "redact",
            "retry",
            "sign",
            "transport",
        ],
    ),
    ("generic", &["action", "error", "params"]),
    ("open_enum", &[]),
    ("paginate", &["action", "client", "error"]),
    ("waiter", &["action", "client", "error"]),
    (
        "test_util",
        &["action", "client", "credentials", "retry", "transport"],
    ),
    (
        "providers",
        &[
            "client",
            "clock",
            "credentials",
            "endpoint",
            "error",
            "redact",
            "retry",
            "rpc_action",
            "transport",
            "Error",
        ],
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// The modules `line` names as `crate::<name>`.
fn crate_paths(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        // `$crate::…` in an exported macro is resolved where the macro is
        // used, through the public surface: not an import of this module.
        if rest[..at].ends_with('$') {
            rest = after;
            continue;
        }
        // `use crate::{a, b::c}` names several.
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name = item.trim().split("::").next().unwrap_or("").trim();
                if !name.is_empty() {
                    found.push(name.to_owned());
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
        rest = after;
    }
    found
}

#[test]
fn every_module_imports_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    let mut checked = 0;
    for file in &files {
        let module = module_of(&src, file);
        if module == "lib" {
            continue;
        }
        let allowed = ALLOWED
            .iter()
            .find(|(m, _)| *m == module)
            .unwrap_or_else(|| panic!("module `{module}` has no entry in ALLOWED"))
            .1;
        let text = std::fs::read_to_string(file).unwrap();
        // Unit tests may reach anywhere.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for name in crate_paths(line) {
                checked += 1;
                if name != module && !allowed.contains(&name.as_str()) {
                    violations.push(format!(
                        "{}:{}: `{module}` names `crate::{name}`",
                        file.strip_prefix(&src).unwrap().display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} paths seen: is the scan broken?"
    );
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn only_the_transport_touches_reqwest() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| module_of(&src, f) != "transport")
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            text.lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .any(|l| l.contains("reqwest::"))
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "{offenders:?}");
}

#[test]
fn the_scan_sees_a_violation() {
    assert_eq!(crate_paths("use crate::client::Client;"), ["client"]);
    assert_eq!(
        crate_paths("use crate::{sign, transport::HttpClient};"),
        ["sign", "transport"]
    );
}
