//! Unique values for `SignatureNonce`, `ClientToken` and request ids, in the
//! UUID v4 layout the official SDKs send.
//!
//! A value from the operating system for every request would cost a system
//! call; instead each thread seeds a xorshift128+ generator once from the
//! OS (through ring) and steps it. The values are unique, not secret: a
//! nonce only has to differ from every other one within the server's
//! 15-minute window, and 122 random-looking bits from an OS-seeded stream
//! per thread make a repeat negligible.

use std::cell::Cell;

use ring::rand::{SecureRandom, SystemRandom};

thread_local! {
    static STATE: Cell<(u64, u64)> = Cell::new(seed());
}

fn seed() -> (u64, u64) {
    let mut bytes = [0u8; 16];
    if SystemRandom::new().fill(&mut bytes).is_err() {
        // No OS randomness at all: fall back to the clock and the thread,
        // which still differ between threads and runs.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let thread = std::thread::current().id();
        let mixed = format!("{nanos}{thread:?}");
        for (i, b) in mixed.bytes().enumerate() {
            bytes[i % 16] ^= b.rotate_left(i as u32 % 8);
        }
    }
    let a = u64::from_le_bytes(bytes[..8].try_into().unwrap_or_default());
    let b = u64::from_le_bytes(bytes[8..].try_into().unwrap_or_default());
    // xorshift128+ must not start from all zeros.
    (a | 1, b)
}

/// The next value of this thread's generator.
pub fn random_u64() -> u64 {
    STATE.with(|state| {
        let (mut s1, s0) = state.get();
        let result = s0.wrapping_add(s1);
        s1 ^= s1 << 23;
        s1 = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
        state.set((s0, s1));
        result
    })
}

/// A number in `[0, 1)`, for jitter.
pub fn random_unit() -> f64 {
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A UUID v4's text, `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, kept on the
/// stack.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Uuid([u8; 36]);

impl Uuid {
    /// The text, lower-case hex and hyphens.
    pub fn as_str(&self) -> &str {
        // Hex digits and hyphens only.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl std::fmt::Display for Uuid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Uuid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A fresh value in the UUID v4 layout (version 4, RFC 4122 variant).
///
/// ```
/// let a = aliapi_wire::nonce::uuid_v4();
/// assert_eq!(a.as_str().len(), 36);
/// assert_eq!(&a.as_str()[14..15], "4");
/// assert_ne!(a, aliapi_wire::nonce::uuid_v4());
/// ```
pub fn uuid_v4() -> Uuid {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&random_u64().to_be_bytes());
    bytes[8..].copy_from_slice(&random_u64().to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = [b'-'; 36];
    let mut at = 0;
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            at += 1;
        }
        out[at] = HEX[(b >> 4) as usize];
        out[at + 1] = HEX[(b & 0x0f) as usize];
        at += 2;
    }
    Uuid(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn values_are_unique_and_uuid_shaped() {
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let n = uuid_v4().as_str().to_owned();
            assert_eq!(n.len(), 36);
            let dashes: Vec<usize> = n.match_indices('-').map(|(i, _)| i).collect();
            assert_eq!(dashes, [8, 13, 18, 23], "{n}");
            assert_eq!(&n[14..15], "4", "version nibble: {n}");
            assert!(matches!(&n[19..20], "8" | "9" | "a" | "b"), "variant: {n}");
            assert!(n.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit()));
            assert!(seen.insert(n));
        }
        let other = std::thread::spawn(|| uuid_v4().as_str().to_owned())
            .join()
            .unwrap();
        assert!(!seen.contains(&other));
    }

    #[test]
    fn unit_values_are_in_range() {
        for _ in 0..1000 {
            let u = random_unit();
            assert!((0.0..1.0).contains(&u));
        }
    }
}
