//! What the generator decides before printing anything: the Rust types of a
//! spec, which spec shapes become one type, where each type lives, and the
//! name it has there.
//!
//! - Response-side wrappers (an object whose only field is a list) are not
//!   types: the field holding one becomes the list itself.
//! - Shapes with the same fields (same wire names, Rust types, optionality
//!   and decoding) are one type. A type used by one operation lives in that
//!   operation's module; a type used by several lives in the crate's `types`
//!   module, is re-exported at the crate root and into each module using it.
//! - Names come from the fields a type is reached through (singular for list
//!   elements), qualified by the parent's name only where two would clash.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use aliapi_spec::{Field, Operation, Param, Spec, Type};

use crate::names;

/// The params the client fills in itself; they are not fields.
pub const CLIENT_PARAMS: &[&str] = &["SecurityToken"];

/// Names a generated type may not take: they would shadow the prelude in
/// the generated code.
pub(crate) const RESERVED: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Send",
    "Sync",
    "Copy",
    "Iterator",
    "Into",
    "From",
    "Self",
];

/// The longest type name the generator may invent.
pub const MAX_NAME: usize = 40;

pub type TypeId = usize;

/// The Rust type of a field, without `Option`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RType {
    String,
    I32,
    I64,
    Bool,
    F64,
    Json,
    Vec(Box<RType>),
    Map(Box<RType>),
    Def(TypeId),
    /// An open enum of a documented value set (index into `Plan::enums`).
    Enum(usize),
}

impl RType {
    pub fn is_collection(&self) -> bool {
        matches!(self, RType::Vec(_) | RType::Map(_))
    }

    /// The struct at the bottom of lists and maps, if any.
    pub fn def(&self) -> Option<TypeId> {
        match self {
            RType::Def(id) => Some(*id),
            RType::Vec(t) | RType::Map(t) => t.def(),
            _ => None,
        }
    }
}

/// One field of a generated struct (or of a request).
#[derive(Debug, Clone)]
pub struct FieldDef {
    pub wire: String,
    pub ident: String,
    pub ty: RType,
    /// `Option<ty>` rather than `ty` (never for collections).
    pub optional: bool,
    /// The field collapses a wrapper object: the wire holds
    /// `{"<wire>": {"<inner>": [..]}}`, the field the list.
    pub collapsed: Option<String>,
    pub json_text: bool,
    pub aliases: Vec<String>,
    pub required: bool,
    pub deprecated: bool,
    pub undocumented: bool,
    pub added: bool,
    /// The spec type, for docs.
    pub spec_ty: Type,
    /// The name the field suggests for the struct it holds, if it holds one.
    pub natural: String,
}

/// Where a type is reached from, and the name that place suggests.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub op: usize,
    /// The name the field suggests, e.g. `Domain` for `Domains.PageData[]`.
    pub natural: String,
    /// The natural names of the enclosing types, outermost first (the first
    /// is the operation's object, e.g. `UserDomains`).
    pub parents: Vec<String>,
    /// The dotted wire path from the request or the response root.
    pub path: String,
}

/// One generated struct.
#[derive(Debug, Clone)]
pub struct TypeDef {
    pub fields: Vec<FieldDef>,
    /// Reached from a request: it serializes for the param writer and users
    /// build it.
    pub request: bool,
    /// Reached from a response: it deserializes.
    pub response: bool,
    /// The operation whose response body this is.
    pub root_of: Option<usize>,
    pub ops: BTreeSet<usize>,
    pub occurrences: Vec<Occurrence>,
    /// The spec shapes it stands for.
    pub shapes: BTreeSet<String>,
    /// Its name where it is defined.
    pub name: String,
}

impl TypeDef {
    pub fn shared(&self) -> bool {
        self.root_of.is_none() && self.ops.len() > 1
    }
}

/// A request field.
#[derive(Debug, Clone)]
pub struct ParamField<'s> {
    pub param: &'s Param,
    pub field: FieldDef,
}

/// One operation's module.
#[derive(Debug, Clone)]
pub struct OpPlan<'s> {
    pub op: &'s Operation,
    pub module: String,
    pub params: Vec<ParamField<'s>>,
    pub response: TypeId,
    /// Types defined in the module, in first-use order (response body first
    /// among the response-side ones).
    pub own: Vec<TypeId>,
    /// Shared types the module re-exports, by canonical name.
    pub reexports: Vec<TypeId>,
    /// `pub type Local = crate::Canonical;` for shared types that the
    /// module's fields name differently.
    pub aliases: Vec<(String, TypeId)>,
    /// The alias a field of the request (`None`) or of an own type names
    /// its struct by, keyed by the field's wire name.
    pub local: HashMap<(Option<TypeId>, String), String>,
}

pub struct Plan<'s> {
    pub spec: &'s Spec,
    pub types: Vec<TypeDef>,
    pub ops: Vec<OpPlan<'s>>,
    pub enums: Vec<crate::enums::EnumDef>,
}

impl<'s> Plan<'s> {
    pub fn new(spec: &'s Spec) -> Result<Self, String> {
        let mut b = Builder {
            spec,
            types: Vec::new(),
            by_key: HashMap::new(),
            memo: HashMap::new(),
        };
        let mut ops = Vec::new();
        let mut modules = BTreeSet::new();
        for (i, op) in spec.operations.iter().enumerate() {
            let module = names::snake(&op.name);
            names::check_ident(&module)?;
            if !modules.insert(module.clone()) {
                return Err(format!("two operations give module `{module}`"));
            }
            // The outermost qualifier of a name is the operation's name.
            let object = op.name.clone();
            let mut params = Vec::new();
            let mut seen = BTreeSet::new();
            for p in op
                .params
                .iter()
                .filter(|p| !CLIENT_PARAMS.contains(&p.name.as_str()))
            {
                check_param(op, p)?;
                let natural = element_name(&names::type_name(&p.name), &p.ty);
                let ty = b.rtype(
                    &p.ty,
                    Side::Request,
                    i,
                    &natural,
                    std::slice::from_ref(&object),
                    &p.name,
                )?;
                let ident = names::snake_ident(&p.name);
                names::check_ident(&ident)?;
                if !seen.insert(ident.clone()) {
                    return Err(format!("two params of `{}` map to `{ident}`", op.name));
                }
                let optional = !p.required && !ty.is_collection();
                params.push(ParamField {
                    param: p,
                    field: FieldDef {
                        wire: p.name.clone(),
                        ident,
                        ty,
                        optional,
                        collapsed: None,
                        json_text: false,
                        aliases: Vec::new(),
                        required: p.required,
                        deprecated: p.deprecated,
                        undocumented: p.undocumented,
                        added: p.added,
                        spec_ty: p.ty.clone(),
                        natural,
                    },
                });
            }
            let response = b.root(op, i, &object)?;
            ops.push(OpPlan {
                op,
                module,
                params,
                response,
                own: Vec::new(),
                reexports: Vec::new(),
                aliases: Vec::new(),
                local: HashMap::new(),
            });
        }
        let mut plan = Plan {
            spec,
            types: b.types,
            ops,
            enums: Vec::new(),
        };
        plan.name_types()?;
        let (enums, _) = crate::enums::apply(&mut plan)?;
        plan.enums = enums;
        Ok(plan)
    }

    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id]
    }

    /// Every type an operation uses, in first-use order: request side, then
    /// the response body and what it holds.
    pub fn used_by(&self, op: usize) -> Vec<TypeId> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for p in &self.ops[op].params {
            self.collect(&p.field.ty, &mut out, &mut seen);
        }
        self.collect(&RType::Def(self.ops[op].response), &mut out, &mut seen);
        out
    }

    fn collect(&self, t: &RType, out: &mut Vec<TypeId>, seen: &mut BTreeSet<TypeId>) {
        if let Some(id) = t.def()
            && seen.insert(id)
        {
            out.push(id);
            for f in &self.types[id].fields {
                self.collect(&f.ty, out, seen);
            }
        }
    }

    /// The shared types, in the order `types.rs` lists them.
    pub fn shared(&self) -> Vec<TypeId> {
        let mut ids: Vec<TypeId> = (0..self.types.len())
            .filter(|&id| self.types[id].shared())
            .collect();
        ids.sort_by(|a, b| self.types[*a].name.cmp(&self.types[*b].name));
        ids
    }

    /// The Rust type of field `f`, as code in module `op` (`None`: in
    /// `types.rs`) inside `container` (`None`: the request struct).
    pub fn field_type(&self, op: Option<usize>, container: Option<TypeId>, f: &FieldDef) -> String {
        let local = op.and_then(|op| self.ops[op].local.get(&(container, f.wire.clone())));
        self.rust(&f.ty, local.map(String::as_str))
    }

    /// A Rust type as code; `name` replaces the struct's own name.
    pub fn rust(&self, t: &RType, name: Option<&str>) -> String {
        match t {
            RType::String => "String".into(),
            RType::I32 => "i32".into(),
            RType::I64 => "i64".into(),
            RType::Bool => "bool".into(),
            RType::F64 => "f64".into(),
            RType::Json => "serde_json::Value".into(),
            RType::Vec(t) => format!("Vec<{}>", self.rust(t, name)),
            RType::Map(t) => format!("std::collections::BTreeMap<String, {}>", self.rust(t, name)),
            RType::Def(id) => name.map_or_else(|| self.types[*id].name.clone(), str::to_owned),
            RType::Enum(id) => format!("crate::enums::{}", self.enums[*id].name),
        }
    }

    fn name_types(&mut self) -> Result<(), String> {
        // The crate root holds every request and response name and the
        // shared types.
        let mut root: BTreeSet<String> = RESERVED.iter().map(|s| s.to_string()).collect();
        for op in &self.ops {
            for name in [op.op.name.clone(), format!("{}Response", op.op.name)] {
                if !root.insert(name.clone()) {
                    return Err(format!("type name `{name}` is generated twice"));
                }
            }
        }
        let operation_names = root.clone();
        for (i, op) in self.ops.iter().enumerate() {
            self.types[op.response].name = format!("{}Response", op.op.name);
            debug_assert_eq!(self.types[op.response].root_of, Some(i));
        }
        // Shared types: the most used first, each under the name most of
        // its occurrences suggest.
        let mut shared: Vec<TypeId> = (0..self.types.len())
            .filter(|&id| self.types[id].shared())
            .collect();
        let preferred: HashMap<TypeId, String> = shared
            .iter()
            .map(|&id| (id, preferred_name(&self.types[id])))
            .collect();
        shared.sort_by(|a, b| {
            let (ta, tb) = (&self.types[*a], &self.types[*b]);
            tb.occurrences
                .len()
                .cmp(&ta.occurrences.len())
                .then_with(|| preferred[a].cmp(&preferred[b]))
                .then_with(|| ta.occurrences[0].path.cmp(&tb.occurrences[0].path))
        });
        for id in shared {
            let t = &self.types[id];
            let name = pick(&root, &preferred[&id], &t.occurrences, true)?;
            root.insert(name.clone());
            self.types[id].name = name;
        }

        // An alias never takes the name of a shared type, used here or not:
        // `describe_x::UsageData` must not be another type than
        // `crate::UsageData`.
        let shared_names: HashSet<String> = self
            .types
            .iter()
            .filter(|t| t.shared())
            .map(|t| t.name.clone())
            .collect();
        // Each module: its request and response, the shared types it uses,
        // then its own types and the aliases.
        for i in 0..self.ops.len() {
            let used = self.used_by(i);
            // A module's names are its request and response, the shared types
            // it uses, its own types and aliases: a name collides only with
            // those. (Other operations' requests and answers stay reserved
            // too, so that no module defines a type named like another
            // operation.)
            let mut taken = operation_names.clone();
            for &id in &used {
                if self.types[id].shared() {
                    taken.insert(self.types[id].name.clone());
                }
            }
            let mut own = Vec::new();
            let mut reexports = Vec::new();
            for &id in &used {
                let t = &self.types[id];
                if t.root_of.is_some() {
                    own.push(id);
                } else if t.shared() {
                    reexports.push(id);
                } else {
                    let occurrences: Vec<Occurrence> = t.occurrences.clone();
                    let name = pick(&taken, &preferred_name(t), &occurrences, false)?;
                    taken.insert(name.clone());
                    self.types[id].name = name;
                    own.push(id);
                }
            }
            // Aliases: a field of the request or of an own type whose struct
            // has another name than the field suggests names it by an alias,
            // where that name is free.
            let mut aliases: Vec<(String, TypeId)> = Vec::new();
            let mut local = HashMap::new();
            let mut containers: Vec<(Option<TypeId>, Vec<FieldDef>)> = vec![(
                None,
                self.ops[i].params.iter().map(|p| p.field.clone()).collect(),
            )];
            for &id in &own {
                containers.push((Some(id), self.types[id].fields.clone()));
            }
            for (container, fields) in containers {
                for f in fields {
                    let Some(id) = f.ty.def() else { continue };
                    if f.natural == self.types[id].name {
                        continue;
                    }
                    let known = aliases.iter().any(|(n, a)| *n == f.natural && *a == id);
                    if !known {
                        if taken.contains(&f.natural) || shared_names.contains(&f.natural) {
                            continue;
                        }
                        taken.insert(f.natural.clone());
                        aliases.push((f.natural.clone(), id));
                    }
                    local.insert((container, f.wire.clone()), f.natural.clone());
                }
            }
            let op = &mut self.ops[i];
            op.own = own;
            op.reexports = reexports;
            op.aliases = aliases;
            op.local = local;
        }
        for t in &self.types {
            if t.root_of.is_none() && t.name.len() > MAX_NAME {
                return Err(format!(
                    "type name `{}` is longer than {MAX_NAME} characters",
                    t.name
                ));
            }
        }
        for op in &self.ops {
            for (alias, _) in &op.aliases {
                if alias.len() > MAX_NAME {
                    return Err(format!(
                        "type name `{alias}` is longer than {MAX_NAME} characters"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The name most occurrences suggest; ties go to the shorter, then the
/// first in order.
fn preferred_name(t: &TypeDef) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for o in &t.occurrences {
        *counts.entry(o.natural.as_str()).or_default() += 1;
    }
    let mut best: Vec<(&str, usize)> = counts.into_iter().collect();
    best.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(a.0.len().cmp(&b.0.len()))
            .then(a.0.cmp(b.0))
    });
    best[0].0.to_owned()
}

/// A free name for a type: `preferred` (unless it is too vague for a
/// crate-level name), else qualified by the parents of one of its
/// occurrences (innermost first; the outermost is the operation's name),
/// else by the operation's verb.
fn pick(
    taken: &BTreeSet<String>,
    preferred: &str,
    occurrences: &[Occurrence],
    crate_level: bool,
) -> Result<String, String> {
    let free = |n: &str| !taken.contains(n) && n.len() <= MAX_NAME;
    if free(preferred) && !(crate_level && VAGUE.contains(&preferred)) {
        return Ok(preferred.to_owned());
    }
    let mut sorted: Vec<&Occurrence> = occurrences.iter().collect();
    sorted.sort_by(|a, b| (a.op, &a.path).cmp(&(b.op, &b.path)));
    for depth in 1..=4 {
        for occ in &sorted {
            let n = occ.parents.len();
            if depth > n {
                continue;
            }
            let mut name = occ.natural.clone();
            for parent in occ.parents[n - depth..].iter().rev() {
                name = names::qualified(parent, &name);
            }
            if free(&name) {
                return Ok(name);
            }
        }
    }
    for occ in &sorted {
        if let Some(verb) = occ
            .parents
            .first()
            .and_then(|op| names::words(op).into_iter().next())
        {
            let name = names::qualified(&names::type_name(&verb), &occ.natural);
            if free(&name) {
                return Ok(name);
            }
        }
    }
    Err(format!(
        "no free name of at most {MAX_NAME} characters for `{preferred}` (at `{}`)",
        sorted.first().map_or("", |o| o.path.as_str())
    ))
}

/// The name a value of type `t` reached through a field called `field`
/// (a type name) suggests: the field's name, singular for a list.
fn element_name(field: &str, t: &Type) -> String {
    match t {
        Type::Array(_) => names::singular(field),
        Type::Map(_) => format!("{field}Value"),
        _ => field.to_owned(),
    }
}

/// Inner element names too vague to name a type; the outer field names it.
const VAGUE: &[&str] = &["PageData", "Data", "Item", "Items", "List", "Content"];

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Side {
    Request,
    Response,
}

struct Builder<'s> {
    spec: &'s Spec,
    types: Vec<TypeDef>,
    by_key: HashMap<String, TypeId>,
    memo: HashMap<(String, Side), TypeId>,
}

impl<'s> Builder<'s> {
    fn shape(&self, name: &str) -> Result<&'s aliapi_spec::Shape, String> {
        self.spec
            .shape(name)
            .ok_or_else(|| format!("shape `{name}` is referenced but not defined"))
    }

    /// Whether a response-side shape is a wrapper: one field, a list.
    fn wrapper(&self, name: &str) -> Result<Option<&'s Field>, String> {
        let shape = self.shape(name)?;
        Ok(match shape.fields.as_slice() {
            [only] if matches!(only.ty, Type::Array(_)) => Some(only),
            _ => None,
        })
    }

    fn scalar(t: &Type) -> Option<RType> {
        Some(match t {
            Type::String => RType::String,
            Type::Integer {
                width_unknown: true,
            }
            | Type::Long => RType::I64,
            Type::Integer {
                width_unknown: false,
            } => RType::I32,
            Type::Boolean => RType::Bool,
            Type::Float => RType::F64,
            Type::Any => RType::Json,
            _ => return None,
        })
    }

    /// The Rust type of a value of spec type `t`, reached at `path` through
    /// a field suggesting `natural`, inside types named `parents`.
    fn rtype(
        &mut self,
        t: &Type,
        side: Side,
        op: usize,
        natural: &str,
        parents: &[String],
        path: &str,
    ) -> Result<RType, String> {
        if let Some(s) = Self::scalar(t) {
            return Ok(s);
        }
        Ok(match t {
            Type::Array(items) => RType::Vec(Box::new(self.rtype(
                items,
                side,
                op,
                natural,
                parents,
                &format!("{path}[]"),
            )?)),
            Type::Map(items) => RType::Map(Box::new(self.rtype(
                items,
                side,
                op,
                natural,
                parents,
                &format!("{path}.*"),
            )?)),
            Type::Object(shape) => {
                RType::Def(self.intern(shape, side, op, natural, parents, path)?)
            }
            _ => unreachable!("scalars are handled above"),
        })
    }

    fn intern(
        &mut self,
        shape: &str,
        side: Side,
        op: usize,
        natural: &str,
        parents: &[String],
        path: &str,
    ) -> Result<TypeId, String> {
        let occurrence = Occurrence {
            op,
            natural: natural.to_owned(),
            parents: parents.to_vec(),
            path: path.to_owned(),
        };
        if let Some(&id) = self.memo.get(&(shape.to_owned(), side)) {
            // A shape reached twice (the specs never do): same type.
            self.record(id, side, occurrence, shape);
            return Ok(id);
        }
        if parents.len() > 32 {
            return Err(format!("shape `{shape}` nests itself"));
        }
        let mut inner_parents = parents.to_vec();
        inner_parents.push(natural.to_owned());
        let fields = self.fields(shape, side, op, &inner_parents, path)?;
        let key = key(&fields);
        let id = match self.by_key.get(&key) {
            Some(&id) => id,
            None => {
                let id = self.types.len();
                self.types.push(TypeDef {
                    fields,
                    request: false,
                    response: false,
                    root_of: None,
                    ops: BTreeSet::new(),
                    occurrences: Vec::new(),
                    shapes: BTreeSet::new(),
                    name: String::new(),
                });
                self.by_key.insert(key, id);
                id
            }
        };
        self.memo.insert((shape.to_owned(), side), id);
        self.record(id, side, occurrence, shape);
        Ok(id)
    }

    fn record(&mut self, id: TypeId, side: Side, occurrence: Occurrence, shape: &str) {
        let t = &mut self.types[id];
        match side {
            Side::Request => t.request = true,
            Side::Response => t.response = true,
        }
        t.ops.insert(occurrence.op);
        t.occurrences.push(occurrence);
        t.shapes.insert(shape.to_owned());
    }

    /// The response body of `op`: always a type of its own.
    fn root(&mut self, op: &Operation, i: usize, object: &str) -> Result<TypeId, String> {
        let fields = self.fields(&op.response, Side::Response, i, &[object.to_owned()], "")?;
        let id = self.types.len();
        self.types.push(TypeDef {
            fields,
            request: false,
            response: true,
            root_of: Some(i),
            ops: BTreeSet::from([i]),
            occurrences: Vec::new(),
            shapes: BTreeSet::from([op.response.clone()]),
            name: String::new(),
        });
        Ok(id)
    }

    fn fields(
        &mut self,
        shape: &str,
        side: Side,
        op: usize,
        parents: &[String],
        path: &str,
    ) -> Result<Vec<FieldDef>, String> {
        let spec_shape = self.shape(shape)?;
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for f in &spec_shape.fields {
            let ident = names::snake_ident(&f.name);
            names::check_ident(&ident)?;
            if !seen.insert(ident.clone()) {
                return Err(format!("two fields of `{shape}` map to `{ident}`"));
            }
            let sub = if path.is_empty() {
                f.name.clone()
            } else {
                format!("{path}.{}", f.name)
            };
            let field_name = names::type_name(&f.name);
            let mut collapsed = None;
            let mut spec_ty = None;
            let mut natural = element_name(&field_name, &f.ty);
            let ty = match (&f.ty, side) {
                // JSON text is decoded by its own field decoder, so a wrapper sent
                // as text stays a struct.
                (Type::Object(inner), Side::Response)
                    if !f.is_json_text() && self.wrapper(inner)?.is_some() =>
                {
                    let list = self.wrapper(inner)?.expect("checked");
                    let Type::Array(items) = &list.ty else {
                        unreachable!("a wrapper holds a list")
                    };
                    let inner_name = names::singular(&names::type_name(&list.name));
                    natural = if VAGUE.contains(&names::type_name(&list.name).as_str()) {
                        names::singular(&field_name)
                    } else {
                        inner_name
                    };
                    collapsed = Some(list.name.clone());
                    spec_ty = Some(list.ty.clone());
                    let item_path = format!("{sub}.{}[]", list.name);
                    RType::Vec(Box::new(
                        self.rtype(items, side, op, &natural, parents, &item_path)?,
                    ))
                }
                _ => self.rtype(&f.ty, side, op, &natural, parents, &sub)?,
            };
            if f.is_json_text() && (side != Side::Response || !matches!(ty, RType::Def(_))) {
                return Err(format!(
                    "{shape}.{}: JSON text must hold an object of a response",
                    f.name
                ));
            }
            let optional = !ty.is_collection() && (side == Side::Response || !f.required);
            out.push(FieldDef {
                wire: f.name.clone(),
                ident,
                ty,
                optional,
                collapsed,
                json_text: f.is_json_text(),
                aliases: f.aliases.clone(),
                required: f.required && side == Side::Request,
                deprecated: f.deprecated,
                undocumented: f.undocumented,
                added: f.added,
                spec_ty: spec_ty.unwrap_or_else(|| f.ty.clone()),
                natural: natural.clone(),
            });
        }
        Ok(out)
    }
}

/// What makes two shapes the same Rust type.
fn key(fields: &[FieldDef]) -> String {
    let mut k = String::new();
    for f in fields {
        use std::fmt::Write as _;
        let _ = write!(
            k,
            "{}:{:?}:{}:{:?}:{}:{:?}:{}{}{}{};",
            f.wire,
            f.ty,
            f.optional,
            f.collapsed,
            f.json_text,
            f.aliases,
            f.required,
            f.deprecated,
            f.undocumented,
            f.added,
        );
    }
    // The side is not part of it: a request shape of optional fields and
    // a response shape of the same fields are one type, which serializes
    // and deserializes.
    k
}

/// Checks that a request param can be printed.
fn check_param(op: &Operation, p: &Param) -> Result<(), String> {
    use aliapi_spec::Style;
    match (p.style, &p.ty) {
        (None, t) if t.is_collection() || matches!(t, Type::Object(_)) => Ok(()),
        (None, _) => Ok(()),
        (Some(Style::RepeatList), Type::Array(_)) => Ok(()),
        (Some(Style::Flat), Type::Object(_) | Type::Map(_)) => Ok(()),
        (Some(Style::Json), _) => Ok(()),
        (Some(style), t) => Err(format!(
            "{}.{}: style {style:?} on a {}",
            op.name,
            p.name,
            t.kind()
        )),
    }
}
