//! Where providers look up variables and the home directory.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// The variables a provider reads: the process environment, or a fixed map.
///
/// Every provider of this module reads its settings through an `Env`, so a
/// program (or a test) can hand one an explicit set of variables instead of
/// changing the process environment. Empty or blank values count as unset.
///
/// `Debug` lists the variable names only, never their values.
#[derive(Clone, Default)]
pub struct Env(Option<Arc<BTreeMap<String, String>>>);

impl Env {
    /// The process environment, read at each lookup.
    pub fn process() -> Self {
        Env(None)
    }

    /// A fixed set of variables; the process environment is not consulted.
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        Env(Some(Arc::new(
            vars.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )))
    }

    /// The value of `name`, trimmed; `None` when unset, blank or not UTF-8.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.0 {
            None => std::env::var(name).ok()?,
            Some(map) => map.get(name)?.clone(),
        };
        let trimmed = value.trim();
        if trimmed.is_empty() {
            None
        } else if trimmed.len() == value.len() {
            Some(value)
        } else {
            Some(trimmed.to_owned())
        }
    }

    /// Every variable, name and value.
    pub(crate) fn vars(&self) -> Vec<(String, String)> {
        match &self.0 {
            None => std::env::vars().collect(),
            Some(map) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        }
    }

    /// Whether `name` is set to `true` (any case).
    pub fn is_true(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The user's home directory: `HOME`, or `USERPROFILE` on Windows.
    pub fn home_dir(&self) -> Option<PathBuf> {
        let home = self.get("HOME");
        #[cfg(windows)]
        let home = home.or_else(|| self.get("USERPROFILE"));
        home.map(PathBuf::from)
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            None => f.write_str("Env::process"),
            Some(map) => f
                .debug_tuple("Env::from_vars")
                .field(&map.keys().collect::<Vec<_>>())
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_vars_are_trimmed_and_blank_is_unset() {
        let env = Env::from_vars([("A", " x "), ("B", "  "), ("T", "TRUE")]);
        assert_eq!(env.get("A").as_deref(), Some("x"));
        assert_eq!(env.get("B"), None);
        assert_eq!(env.get("C"), None);
        assert!(env.is_true("T"));
        assert!(!env.is_true("A"));
    }

    #[test]
    fn debug_shows_names_not_values() {
        let env = Env::from_vars([("SECRET_NAME", "hunter2-value")]);
        let shown = format!("{env:?}");
        assert!(shown.contains("SECRET_NAME"));
        assert!(!shown.contains("hunter2-value"));
    }

    #[test]
    fn home_from_vars() {
        let env = Env::from_vars([("HOME", "/home/u")]);
        assert_eq!(env.home_dir(), Some(PathBuf::from("/home/u")));
        assert_eq!(Env::from_vars::<&str, &str>([]).home_dir(), None);
    }
}
