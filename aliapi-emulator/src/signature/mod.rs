//! The two signature schemes a request may be signed with, each checked
//! with the same pure functions the client signs with (`aliapi_wire`).

pub(crate) mod v1;
pub(crate) mod v3;

use crate::refusal::gateway::SIGNATURE_MISMATCH;
use crate::reply::ApiError;

/// The refusal for a signature that does not match. Its message ends with
/// the server's string to sign, as the service's does, so that a client can
/// tell a wrong secret from a wrongly built request.
pub(crate) fn mismatch(string_to_sign: &str) -> ApiError {
    SIGNATURE_MISMATCH.with(&[string_to_sign])
}

/// Compares in time that depends on the length only, so that timing does
/// not tell how much of a guessed signature was right.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }
}
