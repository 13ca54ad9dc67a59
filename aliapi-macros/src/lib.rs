//! The `#[rpc_action(...)]` attribute of aliapi. Use it through its
//! re-export, `aliapi::rpc_action` (or `aliapi_core::rpc_action` when you
//! depend on the runtime alone), whose documentation shows it at work.
//!
//! # What it generates
//!
//! For a struct with named fields it emits the struct (minus the `#[rpc]`
//! field attributes), an `aliapi_core::RpcAction` impl whose `write_params`
//! makes one `ParamWriter::write` call per field, and an inherent impl with
//! `new` (taking the required fields: those that are not `Option`, `Vec`,
//! `HashMap` or `BTreeMap`, and lists or maps marked `required`) and one
//! chainable setter per other field.
//!
//! # Why a constructor and setters, not a builder type
//!
//! A separate builder struct would double the generated items per operation
//! (a second struct, its fields, a `build` that can fail), and the product
//! crates carry hundreds of operations, so it would cost compile time in
//! every build of every user. `new` plus setters adds only functions to the
//! request itself, lets the compiler rule out a missing required param
//! (there is no way to call `new` without it; only a required list left
//! empty is refused at run time, before anything is sent), and keeps the
//! fields `pub`, so struct literals (with
//! `..Default::default()` when the struct derives `Default`) still work.
//!
//! List setters take any iterator of `impl Into<T>` items, so
//! `.tag_key(["a", "b"])` fills a `Vec<String>`; the price is that an empty
//! literal needs its type spelled out (`.tag_key(Vec::<String>::new())`),
//! which is rare since `new` already starts every list empty.
//!
//! # Errors
//!
//! Every misuse found in one expansion is reported, each at the token it is
//! about: the attribute keys and values are read completely, then the types
//! are checked, and only then are the errors emitted, one `compile_error!`
//! each, next to the struct itself, so the struct stays defined and code
//! using its fields adds no errors of its own.

#![warn(missing_docs)]
#![warn(rustdoc::broken_intra_doc_links)]

mod ast;
mod attr;
mod case;
mod ctxt;
mod expand;
mod valid;

use proc_macro::TokenStream;
use quote::{ToTokens, quote};
use syn::DeriveInput;

use crate::ctxt::Ctxt;

/// Makes a struct with named fields one operation of an Alibaba Cloud
/// RPC-style API: it implements `RpcAction` for it and adds a constructor
/// and setters.
///
/// ```
/// use aliapi_core::{ParamWriter, RpcAction, rpc_action};
///
/// #[derive(Debug, serde::Serialize)]
/// #[serde(rename_all = "PascalCase")]
/// pub struct Tag {
///     pub key: String,
///     pub value: String,
/// }
///
/// #[derive(serde::Deserialize)]
/// pub struct TagDomainResponse {
///     #[serde(rename = "RequestId")]
///     pub request_id: String,
/// }
///
/// #[rpc_action(product = "Cdn", version = "2018-05-10")]
/// #[derive(Debug)]
/// pub struct TagDomain {
///     pub domain_name: String,
///     #[rpc(rename = "OwnerId")]
///     pub owner: Option<i64>,
///     #[rpc(style = "repeatList")]
///     pub tag: Vec<Tag>,
///     #[rpc(location = "body")]
///     pub comment: Option<String>,
/// }
///
/// let req = TagDomain::new("example.com")
///     .owner(7)
///     .tag([Tag { key: "env".into(), value: "prod".into() }]);
/// let mut params = ParamWriter::new();
/// req.write_params(&mut params)?;
/// assert_eq!(params.get("DomainName").as_deref(), Some("example.com"));
/// assert_eq!(params.get("OwnerId").as_deref(), Some("7"));
/// assert_eq!(params.get("Tag.1.Key").as_deref(), Some("env"));
/// assert!(!params.contains("Comment"));
/// assert_eq!(TagDomain::ACTION, "TagDomain");
/// # Ok::<(), aliapi_core::Error>(())
/// ```
///
/// # Keys of `#[rpc_action(...)]`
///
/// All values are string literals.
///
/// | key | meaning | default |
/// | --- | --- | --- |
/// | `product` | product code, e.g. `"Cdn"` | required |
/// | `version` | API version, e.g. `"2018-05-10"` | required |
/// | `action` | the `Action` param | the struct's name |
/// | `method` | `"GET"` or `"POST"` | `"POST"` |
/// | `response` | path of the type a success decodes into | `<StructName>Response`, resolved where the struct is |
/// | `endpoint` | path of a `const` `EndpointRule` | `EndpointRule::central("<product in lowercase>.aliyuncs.com")` |
/// | `crate` | path of aliapi's runtime crate as this crate sees it, for a renamed or re-exported dependency | `::aliapi_core` (`::aliapi::core` through the `aliapi` facade) |
/// | `idempotent` (no value) | sending the request twice cannot apply it twice, so the client may retry it after any failure | absent: only reads (`Describe…`, `List…`, …) and writes with a `ClientToken` are retried when the server may have acted |
///
/// # Keys of `#[rpc(...)]` on a field
///
/// | key | meaning | default |
/// | --- | --- | --- |
/// | `rename` | the wire name | the field name in PascalCase (`r#type` gives `Type`) |
/// | `style` | `"repeatList"` (`Name.1`, `Name.2`, … for lists), `"flat"` (`Name.Key` for objects and maps), `"json"` (one JSON string) or `"plain"` | `"plain"`, which still flattens lists and objects |
/// | `location` | `"query"` or `"body"` (a form body when sent with `POST`) | `"query"` |
/// | `required` (no value) | on a list or map the service insists on: it becomes an argument of `new`, and an empty one is refused before anything is sent | absent: lists and maps are optional |
///
/// # What is generated
///
/// - `new`, taking every required field (a field whose type is not
///   `Option`, `Vec`, `HashMap` or `BTreeMap`, or a list or map marked
///   `required`) as `impl Into<T>` (for a required list, `impl
///   Into<Vec<T>>`); the other fields start as `None` or empty.
/// - One setter per other field, named like the field: `Option<T>` takes
///   `impl Into<T>`; `Vec<T>` any iterator of `impl Into<T>`; maps any
///   iterator of key/value pairs. Each consumes and returns the request.
/// - `write_params`, which writes every field under its wire name, in field
///   order; `None`, empty lists and empty maps write nothing.
///
/// Fields must own their data: references, raw and function pointers,
/// `impl Trait`, trait objects, tuples, bare slices and `Option<Option<T>>`
/// are compile errors, as are generic structs, tuple and unit structs,
/// enums and unions. Field types must implement `serde::Serialize`.
#[proc_macro_attribute]
pub fn rpc_action(args: TokenStream, input: TokenStream) -> TokenStream {
    expand(args.into(), input.into(), &quote!(::aliapi_core)).into()
}

/// `#[rpc_action]` as the `aliapi` facade re-exports it (`aliapi::rpc_action`):
/// the same attribute, whose generated code finds the runtime at
/// `::aliapi::core`, so that a crate depending on `aliapi` alone needs no
/// `aliapi-core` of its own. Its keys and what it generates are those of
/// `aliapi_core::rpc_action`; the `aliapi` crate's documentation shows it at
/// work.
#[proc_macro_attribute]
pub fn rpc_action_in_facade(args: TokenStream, input: TokenStream) -> TokenStream {
    expand(args.into(), input.into(), &quote!(::aliapi::core)).into()
}

/// The expansion behind both entry points; `runtime` is where the
/// generated code looks for aliapi's runtime when `crate = "..."` does not
/// say.
fn expand(
    args: proc_macro2::TokenStream,
    input: proc_macro2::TokenStream,
    runtime: &proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let mut item = match syn::parse2::<DeriveInput>(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            let error = syn::Error::new(
                proc_macro2::Span::call_site(),
                "#[rpc_action] goes on a struct with named fields",
            );
            let mut out = error.to_compile_error();
            out.extend(input);
            return out;
        }
    };

    let cx = Ctxt::new();
    let args = attr::parse_action_args(&cx, args);
    let impls = ast::Struct::from_syn(&cx, &item, args).map(|s| {
        valid::check(&cx, &s);
        expand::impls(&s, runtime)
    });

    expand::strip_rpc_attrs(&mut item);
    let mut out = item.into_token_stream();
    match cx.into_compile_errors() {
        Some(errors) => out.extend(errors),
        None => out.extend(impls),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expansion of a small operation, as text with the spaces
    /// `quote` puts between tokens taken out.
    fn expanded(args: proc_macro2::TokenStream, runtime: proc_macro2::TokenStream) -> String {
        let input = quote! {
            pub struct DescribeThing {
                pub thing_id: String,
                pub page_size: Option<i32>,
            }
        };
        let out = expand(args, input, &runtime).to_string();
        out.replace(' ', "")
    }

    #[test]
    fn the_runtime_is_found_where_the_entry_point_says() {
        let args = quote!(product = "Cdn", version = "2018-05-10");
        let core = expanded(args.clone(), quote!(::aliapi_core));
        assert!(core.contains("impl::aliapi_core::__private::RpcActionforDescribeThing"));
        assert!(!core.contains("::aliapi::core"), "{core}");
        let facade = expanded(args, quote!(::aliapi::core));
        assert!(facade.contains("impl::aliapi::core::__private::RpcActionforDescribeThing"));
        // A crate that depends on the facade alone has no `aliapi_core`.
        assert!(!facade.contains("aliapi_core"), "{facade}");
        assert!(!facade.contains("compile_error"), "{facade}");
    }

    #[test]
    fn the_crate_key_names_the_runtime_instead() {
        let args = quote!(
            product = "Cdn",
            version = "2018-05-10",
            crate = "my_sdk::rt"
        );
        let out = expanded(args, quote!(::aliapi::core));
        assert!(out.contains("implmy_sdk::rt::__private::RpcActionforDescribeThing"));
        assert!(!out.contains("aliapi"), "{out}");
        let bad = expanded(
            quote!(
                product = "Cdn",
                version = "2018-05-10",
                crate = "not a path"
            ),
            quote!(::aliapi_core),
        );
        assert!(bad.contains("compile_error"), "{bad}");
        assert!(
            bad.contains("expectedthepathofaliapi'sruntimecrate"),
            "{bad}"
        );
    }
}
