//! The keys of `#[rpc_action(...)]` and of the field attribute `#[rpc(...)]`.
//!
//! Both take `key = "string"` pairs. A bad pair is recorded in the [`Ctxt`]
//! and skipped, so one pass reports every bad key and value.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Meta, Path, Token, Type};

use crate::ctxt::Ctxt;

/// What `#[rpc_action(...)]` says about the operation.
pub struct ActionArgs {
    /// `product = "Cdn"`; `None` only after an error was recorded.
    pub product: Option<LitStr>,
    /// `version = "2018-05-10"`; `None` only after an error was recorded.
    pub version: Option<LitStr>,
    /// `action = "..."`: the wire action when it differs from the struct name.
    pub action: Option<LitStr>,
    /// `method = "GET" | "POST"`.
    pub method: HttpMethod,
    /// `response = "path::Type"`.
    pub response: Option<Type>,
    /// `endpoint = "path::CONST"`.
    pub endpoint: Option<Path>,
    /// `idempotent`: sending the request twice cannot apply it twice.
    pub idempotent: bool,
    /// `crate = "path"`: where the runtime is, as the user's crate sees it,
    /// when it is not where the entry point expects it.
    pub runtime: Option<Path>,
}

/// The `method` key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
}

/// The `style` key of a field.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Plain,
    RepeatList,
    Flat,
    Json,
}

/// The `location` key of a field.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Query,
    Body,
}

/// What the `#[rpc(...)]` attributes of one field say.
#[derive(Default)]
pub struct FieldAttrs {
    /// `rename = "WireName"`.
    pub rename: Option<LitStr>,
    /// `style = "..."`, with its literal for error spans.
    pub style: Option<(ParamStyle, LitStr)>,
    /// `location = "..."`; the query when absent.
    pub location: Option<ParamLocation>,
    /// `required`, on a list or map: it goes to the constructor and must not
    /// be empty when sent. Its path, for error spans.
    pub required: Option<syn::Path>,
}

impl FieldAttrs {
    /// The style the param is written with.
    pub fn style(&self) -> ParamStyle {
        self.style.as_ref().map_or(ParamStyle::Plain, |(s, _)| *s)
    }
}

const ACTION_KEYS: &str = "`product`, `version`, `action`, `method`, `response`, `endpoint`, \
                           `idempotent` or `crate`";
const FIELD_KEYS: &str = "`rename`, `style`, `location` or `required`";

/// A slot for one key: `None` while unseen, `Some(None)` when seen with a
/// value that was already reported as bad.
type Slot<T> = Option<Option<T>>;

/// Fills `slot`, or reports `key` as a duplicate when it was already seen.
fn set_once<T>(cx: &Ctxt, key: &Path, slot: &mut Slot<T>, value: Option<T>) {
    if slot.is_some() {
        cx.error_spanned_by(key, format_args!("duplicate key `{}`", key_name(key)));
    } else {
        *slot = Some(value);
    }
}

/// Reads the arguments of `#[rpc_action(...)]`.
pub fn parse_action_args(cx: &Ctxt, args: TokenStream) -> ActionArgs {
    let mut product = None;
    let mut version = None;
    let mut action = None;
    let mut method = None;
    let mut response = None;
    let mut endpoint = None;
    let mut idempotent = None;
    let mut runtime = None;

    let parser = Punctuated::<Meta, Token![,]>::parse_terminated;
    let pairs = match parser.parse2(args) {
        Ok(metas) => metas,
        Err(e) => {
            // The list itself is malformed: say so, and do not add "missing
            // key" errors that would only be noise.
            cx.push(e);
            product = Some(None);
            version = Some(None);
            Punctuated::new()
        }
    };

    for meta in &pairs {
        // Values are only looked at for known keys, so an unknown key gets
        // one error, not two.
        let key = meta.path();
        let value = || key_value(cx, meta);
        match key_name(key).as_str() {
            "product" => set_once(cx, key, &mut product, value()),
            "version" => set_once(cx, key, &mut version, value()),
            "action" => set_once(cx, key, &mut action, value()),
            "method" => {
                let parsed = value().and_then(|v| match v.value().as_str() {
                    "GET" => Some(HttpMethod::Get),
                    "POST" => Some(HttpMethod::Post),
                    _ => {
                        cx.error_spanned_by(&v, "unknown method: expected \"GET\" or \"POST\"");
                        None
                    }
                });
                set_once(cx, key, &mut method, parsed);
            }
            "response" => {
                let parsed = value().and_then(|v| {
                    parse_value::<Type>(
                        cx,
                        &v,
                        "expected a type, e.g. `response = \"crate::MyResponse\"`",
                    )
                });
                set_once(cx, key, &mut response, parsed);
            }
            "endpoint" => {
                let parsed = value().and_then(|v| {
                    parse_value::<Path>(
                        cx,
                        &v,
                        "expected the path of a const `EndpointRule`, \
                         e.g. `endpoint = \"crate::ENDPOINT\"`",
                    )
                });
                set_once(cx, key, &mut endpoint, parsed);
            }
            "crate" => {
                let parsed = value().and_then(|v| {
                    parse_value::<Path>(
                        cx,
                        &v,
                        "expected the path of aliapi's runtime crate, \
                         e.g. `crate = \"aliapi::core\"`",
                    )
                });
                set_once(cx, key, &mut runtime, parsed);
            }
            "idempotent" => match meta {
                Meta::Path(_) => set_once(cx, key, &mut idempotent, Some(())),
                other => cx.error_spanned_by(other, "`idempotent` takes no value"),
            },
            other => cx.error_spanned_by(
                key,
                format_args!("unknown key `{other}` in #[rpc_action]: expected {ACTION_KEYS}"),
            ),
        }
    }

    // Without the attribute's own tokens, the call site is the best span: it
    // underlines the whole `#[rpc_action(...)]`.
    if product.is_none() {
        cx.error_at(
            Span::call_site(),
            "missing `product = \"...\"` in #[rpc_action], e.g. `product = \"Cdn\"`",
        );
    }
    if version.is_none() {
        cx.error_at(
            Span::call_site(),
            "missing `version = \"...\"` in #[rpc_action], e.g. `version = \"2018-05-10\"`",
        );
    }

    ActionArgs {
        product: product.flatten(),
        version: version.flatten(),
        action: action.flatten(),
        method: method.flatten().unwrap_or(HttpMethod::Post),
        response: response.flatten(),
        endpoint: endpoint.flatten(),
        idempotent: idempotent.flatten().is_some(),
        runtime: runtime.flatten(),
    }
}

/// The Rust syntax a string value holds (a type, a path), or `expected`
/// reported at the literal.
fn parse_value<T: syn::parse::Parse>(cx: &Ctxt, value: &LitStr, expected: &str) -> Option<T> {
    value
        .parse::<T>()
        .map_err(|_| cx.error_spanned_by(value, expected))
        .ok()
}

/// Whether `attr` is one of ours (`#[rpc(...)]`).
pub fn is_rpc_attr(attr: &Attribute) -> bool {
    attr.path().is_ident("rpc")
}

/// Reads every `#[rpc(...)]` attribute of a field; keys may be spread over
/// several attributes but each may appear once.
pub fn parse_field_attrs(cx: &Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut rename = None;
    let mut style = None;
    let mut location = None;
    let mut required = None;

    for attr in attrs.iter().filter(|a| is_rpc_attr(a)) {
        let list = match &attr.meta {
            Meta::List(list) => list,
            other => {
                cx.error_spanned_by(other, "expected `#[rpc(key = \"value\", ...)]`");
                continue;
            }
        };
        let pairs = match list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
            Ok(pairs) => pairs,
            Err(e) => {
                cx.push(e);
                continue;
            }
        };
        for meta in &pairs {
            let key = meta.path();
            let value = || key_value(cx, meta);
            match key_name(key).as_str() {
                "required" => match meta {
                    Meta::Path(path) => set_once(cx, key, &mut required, Some(path.clone())),
                    other => cx.error_spanned_by(other, "`required` takes no value"),
                },
                "rename" => {
                    let value = value().filter(|v| {
                        let empty = v.value().is_empty();
                        if empty {
                            cx.error_spanned_by(v, "a wire name cannot be empty");
                        }
                        !empty
                    });
                    set_once(cx, key, &mut rename, value);
                }
                "style" => {
                    let parsed = value().and_then(|v| {
                        let s = match v.value().as_str() {
                            "plain" => ParamStyle::Plain,
                            "repeatList" => ParamStyle::RepeatList,
                            "flat" => ParamStyle::Flat,
                            "json" => ParamStyle::Json,
                            _ => {
                                cx.error_spanned_by(
                                    &v,
                                    "unknown style: expected \"repeatList\", \"flat\", \"json\" \
                                     or \"plain\"",
                                );
                                return None;
                            }
                        };
                        Some((s, v))
                    });
                    set_once(cx, key, &mut style, parsed);
                }
                "location" => {
                    let parsed = value().and_then(|v| match v.value().as_str() {
                        "query" => Some(ParamLocation::Query),
                        "body" => Some(ParamLocation::Body),
                        _ => {
                            cx.error_spanned_by(
                                &v,
                                "unknown location: expected \"query\" or \"body\"",
                            );
                            None
                        }
                    });
                    set_once(cx, key, &mut location, parsed);
                }
                other => cx.error_spanned_by(
                    key,
                    format_args!("unknown key `{other}` in #[rpc]: expected {FIELD_KEYS}"),
                ),
            }
        }
    }

    FieldAttrs {
        rename: rename.flatten(),
        style: style.flatten(),
        location: location.flatten(),
        required: required.flatten(),
    }
}

/// Splits `key = "value"`; any other shape, or a value that is not a string
/// literal, is reported and gives no value.
fn key_value(cx: &Ctxt, meta: &Meta) -> Option<LitStr> {
    match meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => Some(s.clone()),
            other => {
                cx.error_spanned_by(
                    other,
                    format_args!(
                        "expected a string literal: `{} = \"...\"`",
                        key_name(&nv.path)
                    ),
                );
                None
            }
        },
        Meta::Path(path) => {
            cx.error_spanned_by(
                path,
                format_args!("expected a value: `{} = \"...\"`", key_name(path)),
            );
            None
        }
        Meta::List(list) => {
            cx.error_spanned_by(
                list,
                format_args!("expected `{} = \"...\"`", key_name(&list.path)),
            );
            None
        }
    }
}

/// The key as written, for messages and matching.
fn key_name(path: &Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments.join("::")
}
