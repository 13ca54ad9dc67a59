//! `SignatureNonce` values: unique per request, cheap to make.
//!
//! A UUID v4 from the OS for every request costs a system call; instead each
//! thread seeds a generator once from the OS and steps it. The output is
//! 122 random-looking bits in the UUID v4 layout, as the official SDKs send.

use std::cell::Cell;

thread_local! {
    static STATE: Cell<(u64, u64)> = Cell::new(seed());
}

fn seed() -> (u64, u64) {
    let (a, b) = uuid::Uuid::new_v4().as_u64_pair();
    // xorshift128+ must not start from all zeros.
    (a | 1, b)
}

/// xorshift128+: fast, and with an OS-random seed per thread the chance of
/// two equal nonces within the server's 15-minute window is negligible.
fn next_u64() -> u64 {
    STATE.with(|state| {
        let (mut s1, s0) = state.get();
        let result = s0.wrapping_add(s1);
        s1 ^= s1 << 23;
        s1 = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
        state.set((s0, s1));
        result
    })
}

/// A nonce's text, kept on the stack.
pub(crate) struct Nonce([u8; uuid::fmt::Hyphenated::LENGTH]);

impl Nonce {
    pub(crate) fn as_str(&self) -> &str {
        // Hex digits and hyphens only.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// A fresh nonce, formatted like a UUID v4.
pub(crate) fn next() -> Nonce {
    let bytes = ((u128::from(next_u64()) << 64) | u128::from(next_u64())).to_be_bytes();
    let uuid = uuid::Builder::from_random_bytes(bytes).into_uuid();
    let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
    uuid.hyphenated().encode_lower(&mut buf);
    Nonce(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn nonces_are_unique_and_uuid_shaped() {
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let n = next().as_str().to_owned();
            assert_eq!(n.len(), 36);
            assert_eq!(&n[14..15], "4", "version nibble: {n}");
            assert!(seen.insert(n));
        }
        let other = std::thread::spawn(|| next().as_str().to_owned())
            .join()
            .unwrap();
        assert!(!seen.contains(&other));
    }
}
