//! Ids that never repeat within one product's state.

use serde::{Deserialize, Serialize};

use crate::rng::mix;

/// A counter from which a product derives its ids. It is saved with the
/// product's state, so ids keep counting across restarts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Serial(pub u64);

impl Serial {
    /// The next value of the counter.
    pub fn bump(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }

    /// A fresh id such as `cen-k2x9…`: a prefix and 18 base-36 characters
    /// scrambled from the counter, unique for this counter.
    pub fn new_id(&mut self, prefix: &str) -> String {
        let n = self.bump();
        let mut unique = mix(n ^ 0x5EED_0F1D);
        let mut filler = mix(unique);
        let mut tail = String::with_capacity(18);
        let digit = |d: u64| {
            let d = d as u8;
            if d < 10 {
                (b'0' + d) as char
            } else {
                (b'a' + d - 10) as char
            }
        };
        // Five filler characters, then all 13 base-36 digits of `unique`:
        // `mix` is a bijection on u64, so distinct counters give distinct ids.
        for _ in 0..5 {
            tail.push(digit(filler % 36));
            filler /= 36;
        }
        for _ in 0..13 {
            tail.push(digit(unique % 36));
            unique /= 36;
        }
        format!("{prefix}-{tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_shaped() {
        let mut s = Serial::default();
        let ids: std::collections::HashSet<String> = (0..1000).map(|_| s.new_id("cen")).collect();
        assert_eq!(ids.len(), 1000);
        let one = s.new_id("cen");
        assert_eq!(one.len(), 4 + 18);
        assert!(
            one[4..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
        assert_eq!(s, Serial(1001));
    }
}
