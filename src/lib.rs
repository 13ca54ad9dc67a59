#![doc = include_str!("../README.md")]
//!
//! # Features of this crate
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `cdn` | on | `aliapi::cdn`: every CDN operation (`aliapi-cdn`) |
//! | `cen` | on | `aliapi::cen`: every CEN operation (`aliapi-cen`) |
//! | `emulator` | off | `aliapi::emulator`: the local stand-in (`aliapi-emulator`) |
//! | `serialize` | off | answer types of the enabled products implement `serde::Serialize` |
//! | `test-util` | off | `aliapi::core::test_util`: a client that answers from rules (brings `serialize`) |
#![warn(missing_docs)]
#![warn(rustdoc::broken_intra_doc_links)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// Every CDN operation (`Cdn` 2018-05-10): the `aliapi-cdn` crate.
#[cfg(feature = "cdn")]
#[cfg_attr(docsrs, doc(cfg(feature = "cdn")))]
pub use aliapi_cdn as cdn;

/// Every CEN operation (`Cbn` 2017-09-12): the `aliapi-cen` crate.
#[cfg(feature = "cen")]
#[cfg_attr(docsrs, doc(cfg(feature = "cen")))]
pub use aliapi_cen as cen;

/// The runtime: client, credentials, errors, paginators, waiters (the
/// `aliapi-core` crate).
pub use aliapi_core as core;

/// The local CDN and CEN emulator for offline tests: the `aliapi-emulator`
/// crate.
#[cfg(feature = "emulator")]
#[cfg_attr(docsrs, doc(cfg(feature = "emulator")))]
pub use aliapi_emulator as emulator;

pub use aliapi_core::{
    Client, ClientBuilder, Credentials, Error, GenericRequest, RetryConfig, ServiceError,
    SignatureVersion, TimeoutKind,
};

/// Makes a struct of yours an operation: the attribute the product crates'
/// requests are made with, for a crate that depends on `aliapi` alone.
///
/// ```
/// use aliapi::core::{ParamWriter, RpcAction};
/// use aliapi::rpc_action;
///
/// #[rpc_action(product = "Cdn", version = "2018-05-10", method = "GET")]
/// pub struct DescribeCdnService {}
///
/// #[derive(serde::Deserialize)]
/// #[serde(rename_all = "PascalCase")]
/// pub struct DescribeCdnServiceResponse {
///     pub request_id: String,
/// }
///
/// assert_eq!(DescribeCdnService::ACTION, "DescribeCdnService");
/// let mut params = ParamWriter::new();
/// DescribeCdnService::new().write_params(&mut params)?;
/// assert!(params.is_empty());
/// # Ok::<(), aliapi::Error>(())
/// ```
///
/// The keys of the attribute and of `#[rpc(...)]` on fields, and what is
/// generated, are those of [`aliapi::core::rpc_action`](aliapi_core::rpc_action).
pub use aliapi_macros::rpc_action_in_facade as rpc_action;

#[cfg(test)]
mod tests {
    //! What users rely on without saying so: the types they keep in shared
    //! state or move across tasks stay `Send + Sync + 'static` (and
    //! `Unpin`). A change that loses one fails to compile here.

    fn shareable<T: Send + Sync + Unpin + 'static>() {}

    #[test]
    fn public_types_are_send_sync_static_unpin() {
        shareable::<crate::Client>();
        shareable::<crate::ClientBuilder>();
        shareable::<crate::Error>();
        shareable::<crate::ServiceError>();
        shareable::<crate::Credentials>();
        shareable::<crate::RetryConfig>();
        shareable::<crate::GenericRequest>();
        shareable::<crate::core::HttpClient>();
        shareable::<crate::core::providers::DefaultCredentialsChain>();
    }

    #[cfg(feature = "cdn")]
    #[test]
    fn cdn_requests_and_answers_are_send_sync_static_unpin() {
        use crate::cdn;
        shareable::<cdn::DescribeUserDomains>();
        shareable::<cdn::DescribeUserDomainsResponse>();
        shareable::<cdn::AddCdnDomain>();
        shareable::<cdn::AddCdnDomainResponse>();
        shareable::<cdn::Tag>();
    }

    #[cfg(feature = "cen")]
    #[test]
    fn cen_requests_and_answers_are_send_sync_static_unpin() {
        use crate::cen;
        shareable::<cen::DescribeCens>();
        shareable::<cen::DescribeCensResponse>();
        shareable::<cen::CreateCen>();
        shareable::<cen::CreateCenResponse>();
    }
}
