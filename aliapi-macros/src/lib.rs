//! `#[rpc_action]`: see `aliapi_core::rpc_action`.

use proc_macro::TokenStream;

/// Placeholder until the real expansion lands.
#[proc_macro_attribute]
pub fn rpc_action(_args: TokenStream, input: TokenStream) -> TokenStream {
    input
}
