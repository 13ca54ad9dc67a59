//! The generated code: the `RpcAction` impl, the constructor and setters,
//! and the struct itself without our field attributes.
//!
//! Every path goes through the runtime's `__private` module (at
//! `::aliapi_core`, `::aliapi::core` through the facade, or where `crate =
//! "..."` says) or `::core`, so the code means the same whatever the user
//! imported or shadowed.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput};

use crate::ast::{Field, Shape, Struct};
use crate::attr::{HttpMethod, ParamLocation, ParamStyle, is_rpc_attr};

/// The impls for a struct that passed validation; `runtime` is the path of
/// aliapi's runtime crate unless the attribute names another.
pub fn impls(s: &Struct, runtime: &TokenStream) -> TokenStream {
    let p = match &s.args.runtime {
        Some(path) => quote!(#path::__private),
        None => quote!(#runtime::__private),
    };
    let ident = s.ident;
    let str_ty = quote!(&'static ::core::primitive::str);

    let text = |lit: &Option<syn::LitStr>| lit.as_ref().map(syn::LitStr::value).unwrap_or_default();
    let product = text(&s.args.product);
    let version = text(&s.args.version);
    let action = match &s.args.action {
        Some(lit) => lit.value(),
        None => syn::ext::IdentExt::unraw(ident).to_string(),
    };
    let method = match s.args.method {
        HttpMethod::Get => quote!(#p::Method::Get),
        HttpMethod::Post => quote!(#p::Method::Post),
    };
    let endpoint = match &s.args.endpoint {
        Some(path) => quote!(#path),
        None => {
            let host = format!("{}.aliyuncs.com", product.to_ascii_lowercase());
            quote!(#p::EndpointRule::central(#host))
        }
    };
    let response = match &s.args.response {
        Some(ty) => quote!(#ty),
        None => {
            // Resolved where the struct is defined; a missing type is then
            // reported at the struct's name.
            let name = format_ident!("{}Response", ident, span = ident.span());
            quote!(#name)
        }
    };

    let writes = s.fields.iter().map(|f| write_call(&p, f));
    // A write with a client token can be retried safely; the client fills
    // one in when the caller left it unset.
    let accepts_client_token = s.fields.iter().any(|f| f.wire_name == "ClientToken");
    let idempotent = s.args.idempotent;
    // An action without params leaves the writer unused.
    let out = if s.fields.is_empty() {
        quote!(_)
    } else {
        quote!(out)
    };

    let constructor = constructor(&p, s);
    let setters = s.fields.iter().filter_map(|f| setter(&p, f));

    // The generated code reads and writes every field, deprecated ones
    // included; the deprecation is for the user's code, through the setters.
    quote! {
        #[allow(deprecated)]
        impl #p::RpcAction for #ident {
            const PRODUCT: #str_ty = #product;
            const VERSION: #str_ty = #version;
            const ACTION: #str_ty = #action;
            const METHOD: #p::Method = #method;
            const ENDPOINT: #p::EndpointRule = #endpoint;
            const ACCEPTS_CLIENT_TOKEN: bool = #accepts_client_token;
            const IDEMPOTENT: bool = #idempotent;
            type Response = #response;

            fn write_params(
                &self,
                #out: &mut #p::ParamWriter,
            ) -> #p::Result<(), #p::Error> {
                #(#writes)*
                #p::Result::Ok(())
            }
        }

        #[allow(clippy::new_without_default, deprecated)]
        impl #ident {
            #constructor
            #(#setters)*
        }
    }
}

/// `ParamWriter::write(out, "Name", Location::_, Style::_, &self.field)?;`
fn write_call(p: &TokenStream, f: &Field) -> TokenStream {
    let name = &f.wire_name;
    let location = match f.rpc.location {
        Some(ParamLocation::Body) => quote!(#p::Location::Body),
        Some(ParamLocation::Query) | None => quote!(#p::Location::Query),
    };
    let style = match f.rpc.style() {
        ParamStyle::Plain => quote!(#p::Style::Plain),
        ParamStyle::RepeatList => quote!(#p::Style::RepeatList),
        ParamStyle::Flat => quote!(#p::Style::Flat),
        ParamStyle::Json => quote!(#p::Style::Json),
    };
    // Spanned at the field's type, so "`T: Serialize` is not satisfied"
    // points at the type that lacks it.
    let span = f.ty.span();
    let mut ident = f.ident.clone();
    ident.set_span(span);
    let value = quote_spanned!(span=> &self.#ident);
    let write = quote! {
        #p::ParamWriter::write(out, #name, #location, #style, #value)?;
    };
    // A required list or map that is empty would send nothing: refuse it
    // before anything is sent, as the service would after.
    if f.rpc.required.is_some() && !matches!(f.shape, Shape::Required) {
        quote! {
            if self.#ident.is_empty() {
                return #p::Result::Err(#p::required_param_empty(#name));
            }
            #write
        }
    } else {
        write
    }
}

/// `pub fn new(required...) -> Self`.
fn constructor(p: &TokenStream, s: &Struct) -> TokenStream {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.is_required()).collect();
    let doc = if required.is_empty() {
        "Builds the request with every param unset; the setters add them.".to_owned()
    } else {
        let names: Vec<String> = required
            .iter()
            .map(|f| format!("`{}`", f.wire_name))
            .collect();
        format!(
            "Builds the request from its required {} {}, in that order; the optional \
             ones start unset and the setters add them.",
            if names.len() == 1 { "param" } else { "params" },
            names.join(", ")
        )
    };
    let args = required.iter().map(|f| {
        let (ident, ty) = (f.ident, f.ty);
        quote!(#ident: impl #p::Into<#ty>)
    });
    let inits = s.fields.iter().map(|f| {
        let ident = f.ident;
        if f.is_required() {
            quote!(#ident: #p::Into::into(#ident))
        } else if let Shape::Optional(_) = f.shape {
            quote!(#ident: #p::Option::None)
        } else {
            quote!(#ident: #p::Default::default())
        }
    });
    quote! {
        #[doc = #doc]
        #[allow(clippy::too_many_arguments)]
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits),* }
        }
    }
}

/// The chainable setter of an optional field; `None` for required fields.
fn setter(p: &TokenStream, f: &Field) -> Option<TokenStream> {
    let ident = f.ident;
    let name = &f.wire_name;
    let iter = quote!(::core::iter);
    if f.is_required() {
        return None;
    }
    let (doc, arg, value) = match f.shape {
        Shape::Required => return None,
        Shape::Optional(inner) => (
            format!("Sets the `{name}` param."),
            quote!(value: impl #p::Into<#inner>),
            quote!(#p::Option::Some(#p::Into::into(value))),
        ),
        Shape::List(item) => (
            format!("Sets the `{name}` list, replacing what it held."),
            quote!(values: impl #iter::IntoIterator<Item = impl #p::Into<#item>>),
            quote! {
                #iter::Iterator::collect(
                    #iter::Iterator::map(#iter::IntoIterator::into_iter(values), #p::Into::into),
                )
            },
        ),
        Shape::Map(key, val) => (
            format!("Sets the `{name}` map, replacing what it held."),
            quote! {
                entries: impl #iter::IntoIterator<Item = (impl #p::Into<#key>, impl #p::Into<#val>)>
            },
            quote! {
                #iter::Iterator::collect(#iter::Iterator::map(
                    #iter::IntoIterator::into_iter(entries),
                    |(k, v)| (#p::Into::into(k), #p::Into::into(v)),
                ))
            },
        ),
    };
    // A deprecated field's setter is deprecated too, with the same note, so
    // that setting the param warns where the user sets it.
    let deprecated = f.attrs.iter().filter(|a| a.path().is_ident("deprecated"));
    Some(quote! {
        #[doc = #doc]
        #(#deprecated)*
        #[must_use]
        pub fn #ident(mut self, #arg) -> Self {
            self.#ident = #value;
            self
        }
    })
}

/// Drops our `#[rpc(...)]` attributes from the item and its fields, so the
/// compiler (and other derives) never see them.
pub fn strip_rpc_attrs(input: &mut DeriveInput) {
    input.attrs.retain(|a| !is_rpc_attr(a));
    let fields: Vec<&mut syn::Field> = match &mut input.data {
        Data::Struct(data) => data.fields.iter_mut().collect(),
        Data::Enum(data) => data
            .variants
            .iter_mut()
            .flat_map(|v| v.fields.iter_mut())
            .collect(),
        Data::Union(data) => data.fields.named.iter_mut().collect(),
    };
    for field in fields {
        field.attrs.retain(|a| !is_rpc_attr(a));
    }
}
