//! The access keys the emulator accepts.

use std::collections::HashMap;
use std::fmt;

/// One accepted key: its secret and, for a temporary (STS) key, the token
/// that must come with it.
#[derive(Clone)]
pub(crate) struct KeyEntry {
    pub(crate) secret: String,
    pub(crate) token: Option<String>,
}

/// The access keys the emulator accepts. Secrets and tokens never appear in
/// `Debug`.
#[derive(Clone, Default)]
pub struct KeyRing {
    keys: HashMap<String, KeyEntry>,
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing").field("ids", &self.ids()).finish()
    }
}

impl KeyRing {
    /// An empty ring, which refuses every key.
    pub fn new() -> KeyRing {
        KeyRing::default()
    }

    /// Accepts the long-lived key `id` with `secret`.
    pub fn insert(&mut self, id: impl Into<String>, secret: impl Into<String>) {
        self.keys.insert(
            id.into(),
            KeyEntry {
                secret: secret.into(),
                token: None,
            },
        );
    }

    /// Accepts the temporary (STS) key `id`, which must come with `token`.
    pub fn insert_sts(
        &mut self,
        id: impl Into<String>,
        secret: impl Into<String>,
        token: impl Into<String>,
    ) {
        self.keys.insert(
            id.into(),
            KeyEntry {
                secret: secret.into(),
                token: Some(token.into()),
            },
        );
    }

    /// The key ids, sorted.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.keys.keys().cloned().collect();
        ids.sort();
        ids
    }

    /// Whether no key is accepted.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub(crate) fn get(&self, id: &str) -> Option<&KeyEntry> {
        self.keys.get(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_ids_only() {
        let mut ring = KeyRing::new();
        ring.insert("id-b", "secret-b");
        ring.insert_sts("id-a", "secret-a", "token-a");
        let shown = format!("{ring:?}");
        assert_eq!(shown, r#"KeyRing { ids: ["id-a", "id-b"] }"#);
        assert_eq!(
            ring.get("id-a").and_then(|k| k.token.as_deref()),
            Some("token-a")
        );
        assert!(ring.get("id-c").is_none());
    }
}
