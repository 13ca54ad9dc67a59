//! The wire protocol of Alibaba Cloud's RPC-style APIs, as pure functions:
//! what a client needs to sign a request and a server needs to check one.
//!
//! - [`encode`]: RFC 3986 percent-encoding, the only escaping the signatures
//!   accept.
//! - [`nonce`]: unique values for nonces, client tokens and request ids.
//! - [`time`]: the protocol's UTC timestamps and HTTP dates.
//! - [`v1`]: the RPC signature (`HMAC-SHA1` over the sorted params).
//! - [`v3`]: the `ACS3-HMAC-SHA256` signature over a canonical request.
//! - [`xml`]: an XML answer turned into the JSON tree a JSON answer gives.
//!
//! Nothing here does I/O. `aliapi-core` builds its client on these, and
//! `aliapi-emulator` checks requests with the same functions, so both sides
//! of a test agree on the protocol by construction; the reference vectors
//! from the official SDKs in `aliapi-core`'s tests keep both honest.
//!
//! ```
//! use aliapi_wire::v1;
//!
//! let params = [
//!     ("AccessKeyId", "testid"),
//!     ("Action", "DescribeRegions"),
//!     ("Format", "XML"),
//!     ("SignatureMethod", "HMAC-SHA1"),
//!     ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
//!     ("SignatureVersion", "1.0"),
//!     ("Timestamp", "2016-02-23T12:46:24Z"),
//!     ("Version", "2014-05-26"),
//! ];
//! let string_to_sign = v1::string_to_sign("GET", params);
//! assert_eq!(v1::signature("testsecret", &string_to_sign), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
//! ```

#![warn(missing_docs)]
#![warn(rustdoc::broken_intra_doc_links)]

pub mod encode;
pub mod nonce;
pub mod time;
pub mod v1;
pub mod v3;
pub mod xml;
