//! Refusals as declared facts: every code the emulator can answer is a
//! [`Refusal`] in a table, with the status and message it is answered
//! with when no catalogue says otherwise.
//!
//! The tables are what the docs and the tests read, so that what the
//! emulator can refuse with is known without running it:
//!
//! - [`gateway::ALL`]: the gateway's refusals (keys, signatures,
//!   timestamps, nonces, routing, request limits, injected faults). They
//!   come before any product sees the request and are answered as they
//!   are, whatever a product's catalogue says about the same code.
//! - [`operation::ALL`]: what the check of an operation's params refuses
//!   with, for every product.
//! - each product's own, e.g. [`cdn::refusals::ALL`](crate::cdn::refusals::ALL),
//!   given by [`ProductHandler::refusals`](crate::ProductHandler::refusals).
//!
//! An operation's refusals (the last two kinds) are answered from the
//! product's official error catalogue when it documents the code (see
//! [`catalogue`](crate::catalogue)).

pub mod gateway;
pub mod operation;

use crate::reply::ApiError;

/// A refusal the emulator can answer: its code, and the HTTP status and
/// message it is answered with unless a catalogue documents the code.
///
/// A message may hold `{}` placeholders, filled in by [`Refusal::with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Refusal {
    /// The HTTP status.
    pub status: u16,
    /// The service's error code, e.g. `InvalidDomain.NotFound`.
    pub code: &'static str,
    /// The message, with `{}` where details go.
    pub message: &'static str,
}

impl Refusal {
    /// A refusal with this status, code and message.
    pub const fn new(status: u16, code: &'static str, message: &'static str) -> Refusal {
        Refusal {
            status,
            code,
            message,
        }
    }

    /// The refusal as an error, its placeholders left empty.
    pub fn error(&self) -> ApiError {
        self.with(&[])
    }

    /// The refusal as an error, each `{}` of the message replaced by the
    /// next of `details` (a missing one by nothing).
    pub fn with(&self, details: &[&str]) -> ApiError {
        let mut message = String::with_capacity(self.message.len());
        let mut details = details.iter();
        let mut parts = self.message.split("{}");
        if let Some(first) = parts.next() {
            message.push_str(first);
        }
        for part in parts {
            message.push_str(details.next().copied().unwrap_or_default());
            message.push_str(part);
        }
        ApiError::new(self.status, self.code, message)
    }
}

/// Declares refusals as constants and the table `ALL` of all of them, so
/// that no refusal a module can answer is missing from its table.
macro_rules! refusals {
    ($( $(#[$doc:meta])* $name:ident = ($status:literal, $code:literal, $message:literal); )*) => {
        $(
            $(#[$doc])*
            pub const $name: $crate::refusal::Refusal =
                $crate::refusal::Refusal::new($status, $code, $message);
        )*
        /// Every refusal declared in this module.
        pub const ALL: &[$crate::refusal::Refusal] = &[$($name),*];
    };
}
pub(crate) use refusals;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_fill_the_placeholders_in_turn() {
        let r = Refusal::new(400, "X.Y", "a {} b {} c");
        assert_eq!(r.with(&["1", "2"]).message, "a 1 b 2 c");
        assert_eq!(r.with(&["1"]).message, "a 1 b  c");
        assert_eq!(r.error().message, "a  b  c");
        let plain = Refusal::new(404, "Z", "no placeholder");
        let e = plain.with(&["ignored"]);
        assert_eq!(
            (e.status, e.code.as_str(), e.message.as_str()),
            (404, "Z", "no placeholder")
        );
    }

    /// The built-in products and the shared layers make their refusals
    /// from the tables only: a refusal written inline would be missing
    /// from what the docs and the catalogue tests read.
    #[test]
    fn refusals_are_made_from_the_tables_only() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![src];
        let mut inline = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("the crate's sources") {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("reply.rs")
                    && !path.ends_with("refusal/mod.rs")
                {
                    let text = std::fs::read_to_string(&path).expect("a source file");
                    // Tests build errors of their own.
                    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                    if code.contains("ApiError::new(") {
                        inline.push(path.display().to_string());
                    }
                }
            }
        }
        assert!(inline.is_empty(), "refusals written inline in {inline:?}");
    }
}
