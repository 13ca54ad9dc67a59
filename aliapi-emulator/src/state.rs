//! The state file: one section per product, each written by the product's
//! handler from its own state, replaced atomically on every change.
//!
//! ```json
//! {"format": 2, "state_clock_ms": 1767225600000, "products": {"Cbn": {…}, "Cdn": {…}}}
//! ```
//!
//! `state_clock_ms` is the state clock's time at the last save (see
//! [`state_clock`](crate::state_clock)): the changes under way are timed
//! by that clock, so a restarted emulator starts its state clock no
//! earlier, and a change is never put back by a restart.
//!
//! A file written before products had sections (one flat document holding
//! both products' fields) is still read: each handler picks its fields out
//! of it, and the next save writes the sectioned form. A section of a
//! product the emulator does not have registered is kept as it is.
//!
//! A save writes the new content to a temporary file in the same
//! directory, flushes it to disk, and renames it over the old file. A crash
//! at any point leaves either the old or the new content, never a mix.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::EmulatorError;
use crate::product::Change;

/// The format number written into state files.
pub const FORMAT: u64 = 2;

/// A state file's content: a section per product code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StateDocument {
    sections: BTreeMap<String, Value>,
    /// The state clock's time at the last save, if the file records it.
    state_clock_ms: Option<i64>,
    /// The whole document, when it was written before sections existed.
    legacy: Option<Value>,
}

fn file_error(path: &Path, reason: impl Into<String>) -> EmulatorError {
    EmulatorError::StateFile {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

impl StateDocument {
    /// An empty document.
    pub fn new() -> StateDocument {
        StateDocument::default()
    }

    /// Reads a state file; a missing file is an empty document.
    pub fn load(path: &Path) -> Result<StateDocument, EmulatorError> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(StateDocument::new());
            }
            Err(e) => return Err(file_error(path, e.to_string())),
        };
        let doc: Value = serde_json::from_slice(&bytes)
            .map_err(|e| file_error(path, format!("not a valid state document: {e}")))?;
        let Value::Object(mut top) = doc else {
            return Err(file_error(
                path,
                "not a valid state document: it is not a JSON object",
            ));
        };
        let state_clock_ms = top.get("state_clock_ms").and_then(Value::as_i64);
        match top.remove("products") {
            Some(Value::Object(products)) => Ok(StateDocument {
                sections: products.into_iter().collect(),
                state_clock_ms,
                legacy: None,
            }),
            Some(_) => Err(file_error(
                path,
                "not a valid state document: \"products\" is not an object",
            )),
            None => Ok(StateDocument {
                sections: BTreeMap::new(),
                state_clock_ms: None,
                legacy: Some(Value::Object(top)),
            }),
        }
    }

    /// Writes the document to `path` atomically (temp file, fsync, rename,
    /// fsync of the directory), always in the sectioned form.
    pub fn save(&self, path: &Path) -> Result<(), EmulatorError> {
        let products: Map<String, Value> = self
            .sections
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut top = Map::new();
        top.insert("format".into(), Value::from(FORMAT));
        if let Some(ms) = self.state_clock_ms {
            top.insert("state_clock_ms".into(), Value::from(ms));
        }
        top.insert("products".into(), Value::Object(products));
        let bytes = serde_json::to_vec_pretty(&Value::Object(top))
            .map_err(|e| file_error(path, e.to_string()))?;
        save_bytes(path, &bytes)
    }

    /// The state clock's time at the last save, if the file records it.
    pub fn state_clock_ms(&self) -> Option<i64> {
        self.state_clock_ms
    }

    /// Records the state clock's time; a later save keeps the latest.
    pub fn record_state_clock(&mut self, ms: i64) {
        self.state_clock_ms = Some(self.state_clock_ms.map_or(ms, |had| had.max(ms)));
    }

    /// Whether the document was read from a file in the old flat form.
    pub fn is_legacy(&self) -> bool {
        self.legacy.is_some()
    }

    /// The old flat document, when it was read from one.
    pub(crate) fn legacy(&self) -> Option<&Value> {
        self.legacy.as_ref()
    }

    /// The raw section of product `code`.
    pub fn raw_section(&self, code: &str) -> Option<&Value> {
        self.sections.get(code)
    }

    /// Product `code`'s section read as its state type; `None` when the
    /// document has no such section.
    pub fn section<S: DeserializeOwned>(&self, code: &str) -> Result<Option<S>, String> {
        self.sections
            .get(code)
            .map(|v| S::deserialize(v).map_err(|e| format!("section {code}: {e}")))
            .transpose()
    }

    /// Sets product `code`'s section from its state.
    pub fn set_section<S: Serialize>(&mut self, code: &str, state: &S) -> Result<(), String> {
        let value = serde_json::to_value(state).map_err(|e| format!("section {code}: {e}"))?;
        self.set_raw_section(code, value);
        Ok(())
    }

    pub(crate) fn set_raw_section(&mut self, code: &str, value: Value) {
        self.sections.insert(code.to_owned(), value);
    }

    /// The document with its legacy form dropped: what will be saved.
    pub(crate) fn into_sectioned(mut self) -> StateDocument {
        self.legacy = None;
        self
    }
}

/// The temporary file a save writes before renaming it over `path`.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    path.with_file_name(format!(".{name}.tmp"))
}

fn save_bytes(path: &Path, bytes: &[u8]) -> Result<(), EmulatorError> {
    let io_err = |e: std::io::Error| file_error(path, e.to_string());
    let tmp = temp_path(path);
    {
        let mut f = fs::File::create(&tmp).map_err(io_err)?;
        f.write_all(bytes).map_err(io_err)?;
        f.sync_all().map_err(io_err)?;
    }
    fs::rename(&tmp, path).map_err(io_err)?;
    // Make the rename itself durable. Not every platform can open a
    // directory for syncing, and the data is already safe, so a failure
    // here is not an error.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The state file of a running service: the document as last saved, and
/// which change of each product it holds.
#[derive(Debug)]
pub(crate) struct StateFile {
    path: PathBuf,
    saved: Mutex<(StateDocument, BTreeMap<String, u64>)>,
}

impl StateFile {
    /// A state file at `path` currently holding `document`.
    pub(crate) fn new(path: PathBuf, document: StateDocument) -> StateFile {
        StateFile {
            path,
            saved: Mutex::new((document.into_sectioned(), BTreeMap::new())),
        }
    }

    /// Saves product `code`'s `change`, made at `state_clock_ms`, unless a
    /// later change of the same product was saved already (it holds this
    /// one too).
    pub(crate) fn store(
        &self,
        code: &str,
        change: Change,
        state_clock_ms: i64,
    ) -> Result<(), EmulatorError> {
        let section = change
            .section
            .map_err(|e| file_error(&self.path, format!("section {code}: {e}")))?;
        // One writer at a time, so the file always ends with the latest
        // section of every product.
        let mut saved = self.saved.lock().unwrap_or_else(PoisonError::into_inner);
        let (document, seqs) = &mut *saved;
        if seqs.get(code).is_some_and(|&seen| seen >= change.seq) {
            return Ok(());
        }
        seqs.insert(code.to_owned(), change.seq);
        document.set_raw_section(code, section);
        document.record_state_clock(state_clock_ms);
        document.save(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_file(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "aliapi-emulator-state-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir.join("state.json")
    }

    #[test]
    fn sections_round_trip_and_unknown_ones_are_kept() {
        let file = temp_file("round-trip");
        let mut doc = StateDocument::new();
        doc.set_section("Cdn", &vec![1, 2, 3]).unwrap();
        doc.set_raw_section("Other", serde_json::json!({"kept": true}));
        doc.save(&file).unwrap();
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.contains("\"format\": 2"), "{text}");
        let back = StateDocument::load(&file).unwrap();
        assert_eq!(back, doc);
        assert_eq!(back.section::<Vec<u8>>("Cdn").unwrap(), Some(vec![1, 2, 3]));
        assert_eq!(back.section::<Vec<u8>>("Cbn").unwrap(), None);
        assert!(back.section::<String>("Cdn").is_err());
        let _ = fs::remove_dir_all(file.parent().unwrap());
    }

    #[test]
    fn old_and_broken_files() {
        let file = temp_file("old");
        fs::write(&file, br#"{"serial": 3, "domains": {}}"#).unwrap();
        let doc = StateDocument::load(&file).unwrap();
        assert!(doc.is_legacy());
        assert_eq!(doc.legacy().unwrap()["serial"], 3);
        for bad in [&b"[]"[..], b"{\"products\": 1}", b"{ nope"] {
            fs::write(&file, bad).unwrap();
            let err = StateDocument::load(&file).unwrap_err();
            assert!(
                err.to_string().contains("not a valid state document"),
                "{err}"
            );
        }
        fs::remove_file(&file).unwrap();
        assert_eq!(StateDocument::load(&file).unwrap(), StateDocument::new());
        let _ = fs::remove_dir_all(file.parent().unwrap());
    }

    #[test]
    fn an_older_change_never_overwrites_a_newer_one() {
        let file = temp_file("order");
        let store = StateFile::new(file.clone(), StateDocument::new());
        let change = |seq, n: u64| Change {
            seq,
            section: Ok(Value::from(n)),
        };
        store.store("Cdn", change(2, 20), 300).unwrap();
        store.store("Cdn", change(1, 10), 100).unwrap();
        store.store("Cbn", change(1, 5), 200).unwrap();
        let doc = StateDocument::load(&file).unwrap();
        assert_eq!(doc.section::<u64>("Cdn").unwrap(), Some(20));
        assert_eq!(doc.section::<u64>("Cbn").unwrap(), Some(5));
        assert_eq!(doc.state_clock_ms(), Some(300), "the clock never goes back");
        let _ = fs::remove_dir_all(file.parent().unwrap());
    }
}
