//! Checks that need the whole struct: field types, styles against types,
//! clashing names, and what the struct's shape rules out.

use std::collections::HashMap;

use syn::ext::IdentExt;
use syn::{LitStr, Type};

use crate::ast::{Field, Shape, Struct, last_segment};
use crate::attr::{ParamStyle, is_rpc_attr};
use crate::ctxt::Ctxt;

/// Records every problem of `s` in `cx`.
pub fn check(cx: &Ctxt, s: &Struct) {
    if !s.generics.params.is_empty() {
        cx.error_spanned_by(
            s.generics,
            "generic structs are not supported by #[rpc_action]: a request must be a concrete \
             type, without type, lifetime or const parameters",
        );
    }
    if let Some(clause) = &s.generics.where_clause {
        cx.error_spanned_by(clause, "where clauses are not supported by #[rpc_action]");
    }
    for attr in s.attrs.iter().filter(|a| is_rpc_attr(a)) {
        cx.error_spanned_by(
            attr,
            "#[rpc(...)] belongs on fields; struct-wide keys go in #[rpc_action(...)]",
        );
    }
    check_code(cx, s.args.product.as_ref(), "product", true);
    check_code(cx, s.args.version.as_ref(), "version", false);
    check_code(cx, s.args.action.as_ref(), "action", true);

    let mut seen: HashMap<&str, &Field> = HashMap::new();
    for field in &s.fields {
        check_field(cx, field);
        if let Some(first) = seen.insert(&field.wire_name, field) {
            let msg = format!(
                "wire name `{}` is already used by field `{}`",
                field.wire_name, first.ident
            );
            match &field.rpc.rename {
                Some(rename) => cx.error_spanned_by(rename, msg),
                None => cx.error_spanned_by(field.ident, msg),
            }
        }
    }
}

/// Product codes and action names go into host names, env variable names
/// and the string to sign, so only letters, digits, `-` and `_` pass.
fn check_code(cx: &Ctxt, lit: Option<&LitStr>, key: &str, strict: bool) {
    let Some(lit) = lit else { return };
    let value = lit.value();
    if value.is_empty() {
        cx.error_spanned_by(lit, format_args!("`{key}` cannot be empty"));
    } else if strict
        && !value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        cx.error_spanned_by(
            lit,
            format_args!("`{key}` may hold only ASCII letters, digits, `-` and `_`"),
        );
    }
}

fn check_field(cx: &Ctxt, field: &Field) {
    check_type(cx, field.ty, false);

    if let Some((style, lit)) = &field.rpc.style {
        let list = is_list_like(strip_option(field.ty));
        match style {
            ParamStyle::RepeatList if !list => cx.error_spanned_by(
                lit,
                "`style = \"repeatList\"` needs a list field: `Vec<T>`, `Option<Vec<T>>`, \
                 `[T; N]`, a set or `Box<[T]>`",
            ),
            ParamStyle::Flat if list => cx.error_spanned_by(
                lit,
                "`style = \"flat\"` is for objects and maps, but this field is a list; \
                 use `style = \"repeatList\"`",
            ),
            _ => {}
        }
    }

    for attr in field.attrs.iter().filter(|a| a.path().is_ident("cfg")) {
        cx.error_spanned_by(
            attr,
            "#[cfg] on a field is not supported by #[rpc_action]: the generated constructor \
             and `write_params` name every field",
        );
    }

    if let Some(required) = &field.rpc.required {
        match field.shape {
            Shape::List(_) | Shape::Map(..) => {}
            Shape::Optional(_) => cx.error_spanned_by(
                required,
                "`required` cannot mark an `Option`: drop the `Option` or the key",
            ),
            Shape::Required => cx.error_spanned_by(
                required,
                "`required` is for list and map fields; a field of this type is required already",
            ),
        }
    }

    if field.ident.unraw() == "new" && !field.is_required() {
        cx.error_spanned_by(
            field.ident,
            "an optional field named `new` would make a setter that clashes with the \
             generated constructor `new`; rename the field and keep the wire name with \
             #[rpc(rename = \"New\")]",
        );
    }
}

/// Reports the parts of `ty` that cannot be a request param. `boxed` is
/// true for the argument of `Box`, `Rc` or `Arc`, where `[T]` is fine.
fn check_type(cx: &Ctxt, ty: &Type, boxed: bool) {
    const OWNED: &str = "request fields must own their data";
    match ty {
        Type::Reference(r) => cx.error_spanned_by(
            r,
            format_args!("references are not supported; {OWNED}: use `String`, `Vec<T>` or `T`"),
        ),
        Type::Ptr(p) => {
            cx.error_spanned_by(p, format_args!("raw pointers are not supported; {OWNED}"))
        }
        Type::FnPtr(f) => cx.error_spanned_by(
            f,
            "function pointers are not supported: a param must be data that can be sent",
        ),
        Type::ImplTrait(i) => cx.error_spanned_by(
            i,
            "`impl Trait` is not supported in a request field; name a concrete type",
        ),
        Type::TraitObject(t) => cx.error_spanned_by(
            t,
            "trait objects are not supported in a request field; name a concrete type",
        ),
        Type::Tuple(t) if t.elems.is_empty() => cx.error_spanned_by(
            t,
            "`()` carries no value, so it cannot be a param; remove the field",
        ),
        Type::Tuple(t) => cx.error_spanned_by(
            t,
            "tuples are not supported in a request field: their parts have no wire names; \
             use a struct with named fields",
        ),
        Type::Slice(s) if !boxed => {
            cx.error_spanned_by(s, "a bare slice `[T]` is not supported; use `Vec<T>`")
        }
        Type::Slice(s) => check_type(cx, &s.elem, false),
        Type::Array(a) => check_type(cx, &a.elem, false),
        Type::Group(g) => check_type(cx, &g.elem, boxed),
        Type::Paren(p) => check_type(cx, &p.elem, boxed),
        Type::Path(path) => {
            if let Some(qself) = &path.qself {
                check_type(cx, &qself.ty, false);
            }
            if let Some((name, args)) = last_segment(ty) {
                let boxes = name == "Box" || name == "Rc" || name == "Arc";
                if name == "Option"
                    && let [inner] = args.as_slice()
                    && is_named(inner, "Option")
                {
                    cx.error_spanned_by(
                        ty,
                        "`Option<Option<T>>` is not supported: on the wire an absent value and \
                         a present `None` look the same; use `Option<T>`",
                    );
                    return;
                }
                for arg in args {
                    check_type(cx, arg, boxes);
                }
            }
        }
        _ => {}
    }
}

fn is_named(ty: &Type, want: &str) -> bool {
    last_segment(ty).is_some_and(|(name, _)| name == want)
}

/// `T` for `Option<T>`, else `ty`.
fn strip_option(ty: &Type) -> &Type {
    match last_segment(ty) {
        Some((name, args)) if name == "Option" && args.len() == 1 => args[0],
        _ => ty,
    }
}

/// Whether `ty` serializes as a sequence that `repeatList` numbers.
fn is_list_like(ty: &Type) -> bool {
    match ty {
        Type::Array(_) => true,
        Type::Group(g) => is_list_like(&g.elem),
        Type::Paren(p) => is_list_like(&p.elem),
        _ => match last_segment(ty) {
            Some((name, args)) => match name.to_string().as_str() {
                "Vec" | "VecDeque" | "LinkedList" | "BTreeSet" | "HashSet" => true,
                "Box" | "Rc" | "Arc" => matches!(args.as_slice(), [Type::Slice(_)]),
                _ => false,
            },
            None => false,
        },
    }
}
