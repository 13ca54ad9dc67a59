//! Request signatures.
//!
//! [`v1`] is the RPC signature every Alibaba Cloud RPC API accepts
//! (HMAC-SHA1 over the sorted, encoded params). The functions re-exported here
//! work on plain unencoded pairs so that servers and tests (the emulator among
//! them) can check a signature the way the service does.

pub mod v1;

pub use crate::request::presign;
pub use v1::SignedRequest;

/// Which signature a client puts on its requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SignatureVersion {
    /// The RPC signature (`HMAC-SHA1` over the params): accepted by every
    /// RPC API, and what the emulator checks.
    #[default]
    V1,
    /// `ACS3-HMAC-SHA256` in an `Authorization` header, as the newest
    /// official SDKs send by default.
    V3,
}
