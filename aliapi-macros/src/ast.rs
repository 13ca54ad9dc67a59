//! The annotated struct, read into the shape the rest of the macro works on.

use syn::ext::IdentExt;
use syn::{
    Attribute, Data, DeriveInput, Fields, GenericArgument, Generics, Ident, PathArguments, Type,
};

use crate::attr::{self, ActionArgs, FieldAttrs};
use crate::case::pascal_case;
use crate::ctxt::Ctxt;

/// A struct with named fields and its `#[rpc_action]` arguments.
pub struct Struct<'a> {
    pub ident: &'a Ident,
    pub generics: &'a Generics,
    /// Attributes of the struct itself (to find a misplaced `#[rpc]`).
    pub attrs: &'a [Attribute],
    pub args: ActionArgs,
    pub fields: Vec<Field<'a>>,
}

/// One field: one wire param.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: &'a [Attribute],
    pub rpc: FieldAttrs,
    /// The name the param is sent under.
    pub wire_name: String,
    pub shape: Shape<'a>,
}

/// What a field's type means for the constructor and setters.
pub enum Shape<'a> {
    /// `Option<T>`: a setter taking `impl Into<T>`.
    Optional(&'a Type),
    /// `Vec<T>`: a setter taking any iterator of `impl Into<T>`.
    List(&'a Type),
    /// `HashMap<K, V>` or `BTreeMap<K, V>`: a setter taking an iterator of pairs.
    Map(&'a Type, &'a Type),
    /// Anything else: a parameter of `new`.
    Required,
}

impl<'a> Struct<'a> {
    /// Reads `input`; reports and gives `None` for anything but a struct with
    /// named fields.
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput, args: ActionArgs) -> Option<Self> {
        const NEED: &str = "#[rpc_action] needs a struct with named fields: \
                            each field is one param, named after the field";
        let data = match &input.data {
            Data::Struct(data) => data,
            Data::Enum(data) => {
                cx.error_spanned_by(
                    data.enum_token,
                    format_args!("enums are not supported; {NEED}"),
                );
                return None;
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    format_args!("unions are not supported; {NEED}"),
                );
                return None;
            }
        };
        let named = match &data.fields {
            Fields::Named(named) => named,
            Fields::Unnamed(unnamed) => {
                cx.error_spanned_by(
                    unnamed,
                    format_args!("tuple structs are not supported; {NEED}"),
                );
                return None;
            }
            Fields::Unit => {
                cx.error_spanned_by(
                    &input.ident,
                    format_args!(
                        "unit structs are not supported; {NEED} \
                         (write `struct {} {{}}` for an action without params)",
                        input.ident
                    ),
                );
                return None;
            }
        };
        let fields = named
            .named
            .iter()
            .filter_map(|field| {
                // Named fields always have an ident.
                let ident = field.ident.as_ref()?;
                let rpc = attr::parse_field_attrs(cx, &field.attrs);
                let wire_name = match &rpc.rename {
                    Some(name) => name.value(),
                    None => pascal_case(&ident.unraw().to_string()),
                };
                Some(Field {
                    ident,
                    ty: &field.ty,
                    attrs: &field.attrs,
                    wire_name,
                    shape: Shape::of(&field.ty),
                    rpc,
                })
            })
            .collect();
        Some(Struct {
            ident: &input.ident,
            generics: &input.generics,
            attrs: &input.attrs,
            args,
            fields,
        })
    }
}

impl<'a> Shape<'a> {
    fn of(ty: &'a Type) -> Self {
        match last_segment(ty) {
            Some((name, args)) => match (name.to_string().as_str(), args.as_slice()) {
                ("Option", [inner]) => Shape::Optional(inner),
                ("Vec", [item]) => Shape::List(item),
                ("HashMap" | "BTreeMap", [key, value, ..]) => Shape::Map(key, value),
                _ => Shape::Required,
            },
            None => Shape::Required,
        }
    }
}

/// The last segment of a plain type path (`std::vec::Vec<T>` gives `Vec`
/// and `[T]`), looking through the invisible groups `macro_rules!` adds.
pub fn last_segment(ty: &Type) -> Option<(&Ident, Vec<&Type>)> {
    match ty {
        Type::Group(group) => last_segment(&group.elem),
        Type::Paren(paren) => last_segment(&paren.elem),
        Type::Path(path) if path.qself.is_none() => {
            let segment = path.path.segments.last()?;
            let args = match &segment.arguments {
                PathArguments::AngleBracketed(angle) => angle
                    .args
                    .iter()
                    .filter_map(|arg| match arg {
                        GenericArgument::Type(ty) => Some(ty),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Some((&segment.ident, args))
        }
        _ => None,
    }
}

impl Field<'_> {
    /// Whether the field is a constructor argument: a plain type, or a list
    /// or map marked `#[rpc(required)]`.
    pub fn is_required(&self) -> bool {
        match self.shape {
            Shape::Required => true,
            Shape::List(_) | Shape::Map(..) => self.rpc.required.is_some(),
            Shape::Optional(_) => false,
        }
    }
}
