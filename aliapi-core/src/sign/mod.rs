//! Request signatures.
//!
//! [`v1`] is the RPC signature every Alibaba Cloud RPC API accepts
//! (HMAC-SHA1 over the sorted, encoded params). The functions re-exported here
//! work on plain unencoded pairs so that servers and tests (the emulator among
//! them) can check a signature the way the service does.

pub mod v1;
pub mod v3;

pub use crate::request::presign;
pub use v1::{SignedRequest, signature, string_to_sign};
