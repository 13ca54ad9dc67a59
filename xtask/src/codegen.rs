//! The `codegen` command: specs in, formatted crate sources out.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::plan::Plan;
use crate::{TARGETS, Target, emit, testgen};

/// Generates every target. With `check`, writes nothing and returns whether
/// the files on disk match; otherwise writes what changed and returns true.
pub fn run(root: &Path, check: bool) -> Result<bool, String> {
    let scratch = root.join("target").join("xtask-codegen");
    if scratch.exists() {
        fs::remove_dir_all(&scratch).map_err(|e| format!("clearing {}: {e}", scratch.display()))?;
    }
    let mut files: BTreeMap<PathBuf, String> = BTreeMap::new();
    for target in TARGETS {
        for (rel, text) in generate(root, target)? {
            files.insert(PathBuf::from(target.crate_dir).join(rel), text);
        }
    }
    let files = format_all(&scratch, files)?;

    let mut clean = true;
    for (rel, text) in &files {
        let path = root.join(rel);
        let current = fs::read_to_string(&path).ok();
        if current.as_deref() == Some(text.as_str()) {
            continue;
        }
        if check {
            eprintln!("out of date: {}", rel.display());
            clean = false;
        } else {
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
            }
            fs::write(&path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
        }
    }
    // Operation files whose operation left the spec.
    for target in TARGETS {
        let dir = root.join(target.crate_dir).join("src").join("operations");
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        let mut stale: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .filter(|p| {
                p.strip_prefix(root)
                    .is_ok_and(|rel| !files.contains_key(rel))
            })
            .collect();
        stale.sort();
        for path in stale {
            if check {
                eprintln!("not generated: {}", path.display());
                clean = false;
            } else {
                fs::remove_file(&path).map_err(|e| format!("removing {}: {e}", path.display()))?;
            }
        }
    }
    if check && !clean {
        eprintln!("run `cargo run -p xtask -- codegen` and commit the result");
    }
    let _ = fs::remove_dir_all(&scratch);
    Ok(clean)
}

/// The unformatted files of one target, relative to its crate directory.
fn generate(_root: &Path, target: &Target) -> Result<Vec<(PathBuf, String)>, String> {
    let spec = target.product.spec();
    let in_spec = |e: String| format!("{}: {e}", target.product.spec_file());
    let plan = Plan::new(spec).map_err(in_spec)?;
    let mut out = vec![
        (PathBuf::from("src/lib.rs"), emit::lib_rs(&plan, target)),
        (
            PathBuf::from("src/operations/mod.rs"),
            emit::mod_rs(&plan, target),
        ),
        (
            PathBuf::from("src/__registry.rs"),
            emit::registry_rs(&plan, target),
        ),
    ];
    if !plan.shared().is_empty() {
        out.push((
            PathBuf::from("src/types.rs"),
            emit::types_rs(&plan, target).map_err(in_spec)?,
        ));
    }
    for (name, text) in testgen::files(&plan, target).map_err(in_spec)? {
        out.push((PathBuf::from(name), text));
    }
    for (i, op) in plan.ops.iter().enumerate() {
        let file = format!("src/operations/{}.rs", op.module);
        out.push((
            PathBuf::from(file),
            emit::operation_rs(&plan, target, i).map_err(in_spec)?,
        ));
    }
    Ok(out)
}

/// Runs every file through `rustfmt --edition 2024` in a scratch copy under
/// `target/`, so the workspace's rustfmt config (if any) applies.
fn format_all(
    scratch: &Path,
    files: BTreeMap<PathBuf, String>,
) -> Result<BTreeMap<PathBuf, String>, String> {
    for (rel, text) in &files {
        let path = scratch.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
    }
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let paths: Vec<PathBuf> = files.keys().map(|rel| scratch.join(rel)).collect();
    // Batches keep the command line short; rustfmt itself is deterministic.
    for batch in paths.chunks(64) {
        let output = Command::new(&rustfmt)
            .args(["--edition", "2024"])
            .args(batch)
            .output()
            .map_err(|e| format!("running rustfmt: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "rustfmt failed on generated code:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    files
        .into_keys()
        .map(|rel| {
            let text = fs::read_to_string(scratch.join(&rel))
                .map_err(|e| format!("reading back {}: {e}", rel.display()))?;
            Ok((rel, text))
        })
        .collect()
}
