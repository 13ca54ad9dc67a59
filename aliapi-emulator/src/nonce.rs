//! The memory of used `SignatureNonce`s, bounded in count and in bytes.
//!
//! A nonce is remembered until its request's timestamp leaves the window,
//! after which a replay would be refused for its timestamp anyway. The
//! store is bounded three ways, so that no stream of correctly signed
//! requests can make it grow without limit: a nonce longer than
//! [`MAX_NONCE_BYTES`] is refused before it is looked at, and the store
//! holds at most a number of nonces and a number of bytes, forgetting the
//! soonest to expire first when either is reached.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::sync::Arc;

use crate::refusal::gateway::NONCE_TOO_LONG;
use crate::reply::ApiError;
use crate::timestamp::TIMESTAMP_WINDOW_SECS;

/// The longest nonce accepted, in bytes. The official SDKs send 32 or 36
/// characters (a hex digest or a UUID); 128 leaves room for any home-made
/// scheme, such as a timestamp, a process id and a random part.
pub const MAX_NONCE_BYTES: usize = 128;

/// How many nonces are remembered at most, by default.
pub const DEFAULT_NONCE_CAPACITY: usize = 200_000;

/// How many bytes the nonce memory may take, by default (see
/// [`NONCE_ENTRY_OVERHEAD`] for how they are counted). It holds the default
/// capacity of UUID nonces; with longer nonces this bound is reached first.
pub const DEFAULT_NONCE_MEMORY: usize = 32 * 1024 * 1024;

/// What one remembered nonce is counted as besides its key id and nonce
/// bytes: an estimate of the shared allocation's header, the hash-map slot
/// and the ordered-set entry that point to it.
pub const NONCE_ENTRY_OVERHEAD: usize = 96;

/// Refuses a nonce longer than [`MAX_NONCE_BYTES`]; `name` is the param or
/// header it came in, for the message.
pub(crate) fn check_nonce_length(name: &str, nonce: &str) -> Result<(), ApiError> {
    if nonce.len() <= MAX_NONCE_BYTES {
        Ok(())
    } else {
        Err(NONCE_TOO_LONG.with(&[name, &MAX_NONCE_BYTES.to_string()]))
    }
}

/// The used nonces, each remembered until its window closes. Its `Debug`
/// shows the counts, not the nonces, which may be hundreds of thousands.
pub struct NonceStore {
    /// Key id and nonce (`id\nnonce`, one allocation shared with
    /// `by_expiry`) to the second the entry may be forgotten.
    expiry_of: HashMap<Arc<str>, i64>,
    /// The same entries in the order they expire.
    by_expiry: BTreeSet<(i64, Arc<str>)>,
    capacity: usize,
    max_bytes: usize,
    bytes: usize,
}

impl fmt::Debug for NonceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NonceStore")
            .field("len", &self.len())
            .field("memory_bytes", &self.bytes)
            .field("capacity", &self.capacity)
            .field("max_bytes", &self.max_bytes)
            .finish()
    }
}

impl Default for NonceStore {
    fn default() -> NonceStore {
        NonceStore::new(DEFAULT_NONCE_CAPACITY, DEFAULT_NONCE_MEMORY)
    }
}

fn entry_cost(key: &str) -> usize {
    key.len() + NONCE_ENTRY_OVERHEAD
}

impl NonceStore {
    /// A store that holds at most `capacity` nonces and `max_bytes` bytes;
    /// past either, the soonest to expire is forgotten first. It always
    /// holds at least the latest nonce.
    pub fn new(capacity: usize, max_bytes: usize) -> NonceStore {
        NonceStore {
            expiry_of: HashMap::new(),
            by_expiry: BTreeSet::new(),
            capacity: capacity.max(1),
            max_bytes,
            bytes: 0,
        }
    }

    /// A store bounded by count only (and the default memory bound).
    pub fn with_capacity(capacity: usize) -> NonceStore {
        NonceStore::new(capacity, DEFAULT_NONCE_MEMORY)
    }

    /// How many nonces are remembered now.
    pub fn len(&self) -> usize {
        self.expiry_of.len()
    }

    /// Whether no nonce is remembered.
    pub fn is_empty(&self) -> bool {
        self.expiry_of.is_empty()
    }

    /// The bytes the remembered nonces count for (their key ids and nonces
    /// plus [`NONCE_ENTRY_OVERHEAD`] each).
    pub fn memory_bytes(&self) -> usize {
        self.bytes
    }

    fn forget_soonest(&mut self) -> bool {
        match self.by_expiry.pop_first() {
            Some((_, key)) => {
                self.expiry_of.remove(&key);
                self.bytes -= entry_cost(&key);
                true
            }
            None => false,
        }
    }

    /// Forgets every nonce whose window closed before `now`.
    pub fn purge(&mut self, now: i64) {
        while self
            .by_expiry
            .first()
            .is_some_and(|(expiry, _)| *expiry < now)
        {
            self.forget_soonest();
        }
    }

    /// Records `nonce` for key `id`, sent with timestamp `ts`; `false` when
    /// it was already used.
    pub fn use_nonce(&mut self, id: &str, nonce: &str, ts: i64, now: i64) -> bool {
        self.purge(now);
        let mut key = String::with_capacity(id.len() + 1 + nonce.len());
        key.push_str(id);
        key.push('\n');
        key.push_str(nonce);
        if self.expiry_of.contains_key(key.as_str()) {
            return false;
        }
        let cost = entry_cost(&key);
        while (self.expiry_of.len() >= self.capacity || self.bytes + cost > self.max_bytes)
            && self.forget_soonest()
        {}
        let key: Arc<str> = Arc::from(key);
        let expiry = ts.max(now) + TIMESTAMP_WINDOW_SECS;
        self.expiry_of.insert(key.clone(), expiry);
        self.by_expiry.insert((expiry, key));
        self.bytes += cost;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgets_after_the_window() {
        let mut store = NonceStore::with_capacity(10);
        assert!(store.use_nonce("k", "a", 1000, 1000));
        assert!(!store.use_nonce("k", "a", 1000, 1001));
        assert!(store.use_nonce("other", "a", 1000, 1001));
        store.purge(1000 + TIMESTAMP_WINDOW_SECS);
        assert_eq!(
            store.len(),
            2,
            "kept while a replay could still pass the timestamp check"
        );
        store.purge(1002 + TIMESTAMP_WINDOW_SECS);
        assert!(store.is_empty());
        assert_eq!(store.memory_bytes(), 0);
        for i in 0..25 {
            store.use_nonce("k", &i.to_string(), 5000, 5000);
        }
        assert_eq!(store.len(), 10);
        let shown = format!("{store:?}");
        assert!(
            shown.contains("len: 10") && !shown.contains("\\n"),
            "{shown}"
        );
    }

    #[test]
    fn bounded_in_bytes_and_counted_once() {
        let per = entry_cost("k\n0123456789");
        let mut store = NonceStore::new(1_000, 5 * per);
        for i in 0..20 {
            assert!(store.use_nonce("k", &format!("{i:010}"), 5000 + i, 5000));
            assert!(store.memory_bytes() <= 5 * per);
        }
        assert_eq!(store.len(), 5);
        assert_eq!(store.memory_bytes(), 5 * per);
        // The soonest to expire went first: the latest five are still known.
        for i in 15..20 {
            assert!(!store.use_nonce("k", &format!("{i:010}"), 5000 + i, 5000));
        }
        // A budget smaller than one entry still keeps the latest nonce.
        let mut tiny = NonceStore::new(10, 1);
        assert!(tiny.use_nonce("k", "a", 1, 1));
        assert!(tiny.use_nonce("k", "b", 1, 1));
        assert_eq!(tiny.len(), 1);
        assert!(!tiny.use_nonce("k", "b", 1, 1));
    }

    #[test]
    fn long_nonces_are_refused() {
        assert!(check_nonce_length("SignatureNonce", &"n".repeat(MAX_NONCE_BYTES)).is_ok());
        let err =
            check_nonce_length("SignatureNonce", &"n".repeat(MAX_NONCE_BYTES + 1)).unwrap_err();
        assert_eq!((err.status, err.code.as_str()), (400, "InvalidParameter"));
        assert!(err.message.contains("SignatureNonce"), "{}", err.message);
    }
}
