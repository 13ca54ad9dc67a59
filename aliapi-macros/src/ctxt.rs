//! Every error found while reading the input, kept so all of them are
//! reported at once instead of one per compile.

use std::cell::RefCell;
use std::fmt::Display;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// Collects errors from every stage; shared by reference so parsing and
/// validation can both add to it.
#[derive(Default)]
pub struct Ctxt {
    errors: RefCell<Vec<syn::Error>>,
}

impl Ctxt {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `msg`, underlining every token of `tokens`.
    pub fn error_spanned_by<T: ToTokens, M: Display>(&self, tokens: T, msg: M) {
        // Going through a TokenStream keeps one copy of `new_spanned` for all `T`.
        self.push(syn::Error::new_spanned(tokens.into_token_stream(), msg));
    }

    /// Records `msg` at `span`.
    pub fn error_at<M: Display>(&self, span: Span, msg: M) {
        self.push(syn::Error::new(span, msg));
    }

    /// Records an error syn produced.
    pub fn push(&self, error: syn::Error) {
        self.errors.borrow_mut().push(error);
    }

    /// One `compile_error!` per recorded error, or `None` when nothing went
    /// wrong.
    pub fn into_compile_errors(self) -> Option<TokenStream> {
        let errors = self.errors.into_inner();
        if errors.is_empty() {
            return None;
        }
        Some(errors.iter().map(syn::Error::to_compile_error).collect())
    }
}
