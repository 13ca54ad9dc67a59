//! aliapi: Alibaba Cloud RPC-style APIs for Rust.
//!
//! This facade re-exports the runtime ([`core`]) and the product crates
//! ([`cdn`], [`cen`]); depend on those directly to compile less.

pub use aliapi_cdn as cdn;
pub use aliapi_cen as cen;
pub use aliapi_core as core;
pub use aliapi_core::{Client, Credentials, Error, rpc_action};
