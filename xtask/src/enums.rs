//! Documented value sets as open enums: which params and fields get one,
//! the enums a crate defines, and `src/enums.rs`.
//!
//! A string param or field with a value set in the official facts (`enums`)
//! becomes an `aliapi_core::open_enum!` enum, which keeps any value it does
//! not know; lists of such strings become lists of the enum. Identical
//! value sets (as sets) are one enum per crate. Left as strings: sets whose
//! values may be joined with commas (`list_separator`), JSON text, maps,
//! required fields inside structs (the structs derive `Default`, which an
//! open enum has no honest value for), and fields of a struct several
//! operations share unless each of them documents a set for the field.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use aliapi_spec::Target as SpecTarget;

use crate::Target;
use crate::names;
use crate::plan::{MAX_NAME, Plan, RType, TypeId};

/// One generated enum.
#[derive(Debug, Clone)]
pub struct EnumDef {
    pub name: String,
    /// The wire values, in the order the first record gives them.
    pub values: Vec<String>,
    pub variants: Vec<String>,
    /// Where it is used: operation and dotted wire path.
    pub uses: Vec<(String, String)>,
}

/// What [`apply`] did, for the report.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub records: usize,
    pub applied: usize,
    pub skipped: usize,
}

/// One distinct value set: its values as a set (the key), in record
/// order, and each place it goes with whether it is a list's element, the
/// field's wire name and `operation\0path`.
type ValueSet = (
    BTreeSet<String>,
    Vec<String>,
    Vec<(Place, bool, String, String)>,
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Param(usize, usize),
    Field(TypeId, usize),
}

/// Gives every eligible param and field its enum; returns the enums.
pub fn apply(plan: &mut Plan) -> Result<(Vec<EnumDef>, Stats), String> {
    let spec = plan.spec;
    let mut stats = Stats::default();
    let mut sets: Vec<ValueSet> = Vec::new();
    let mut placed: BTreeSet<Place> = BTreeSet::new();
    // A struct several operations share gets an enum field only when each
    // of them documents a value set for it: `Filter.Value` is a status for
    // one operation and an id for the others.
    let mut covered: BTreeMap<(TypeId, String), BTreeSet<usize>> = BTreeMap::new();
    for r in &spec.enums {
        if let SpecTarget::Field { shape, field, .. } = &r.target
            && let Some(op) = plan.ops.iter().position(|p| p.op.name == r.operation)
        {
            for (id, t) in plan.types.iter().enumerate() {
                if t.shapes.contains(shape) {
                    covered.entry((id, field.clone())).or_default().insert(op);
                }
            }
        }
    }
    for r in &spec.enums {
        stats.records += 1;
        let values = {
            let mut seen = BTreeSet::new();
            r.values
                .iter()
                .filter(|v| seen.insert((*v).clone()))
                .cloned()
                .collect::<Vec<_>>()
        };
        if r.ty != "string" || r.list_separator.is_some() || values.len() < 2 {
            stats.skipped += 1;
            continue;
        }
        let mut places = Vec::new();
        match &r.target {
            SpecTarget::Param { name, items } => {
                if let Some(op) = plan.ops.iter().position(|p| p.op.name == r.operation)
                    && let Some(k) = plan.ops[op]
                        .params
                        .iter()
                        .position(|f| f.param.name == *name)
                {
                    let f = &plan.ops[op].params[k].field;
                    if fits(&f.ty, *items) && !f.json_text {
                        places.push((Place::Param(op, k), *items, f.wire.clone()));
                    }
                }
            }
            SpecTarget::Field {
                shape,
                field,
                items,
            } => {
                for (id, t) in plan.types.iter().enumerate() {
                    let everyone = covered
                        .get(&(id, field.clone()))
                        .is_some_and(|by| t.ops.iter().all(|op| by.contains(op)));
                    if !t.shapes.contains(shape) || !everyone {
                        continue;
                    }
                    if let Some(k) = t.fields.iter().position(|f| f.wire == *field) {
                        let f = &t.fields[k];
                        if fits(&f.ty, *items) && !f.json_text && (f.optional || *items) {
                            places.push((Place::Field(id, k), *items, f.wire.clone()));
                        }
                    }
                }
            }
            _ => {}
        }
        places.retain(|(p, _, _)| !placed.contains(p));
        if places.is_empty() {
            stats.skipped += 1;
            continue;
        }
        stats.applied += 1;
        let key: BTreeSet<String> = values.iter().cloned().collect();
        let set = match sets.iter().position(|(k, _, _)| *k == key) {
            Some(i) => i,
            None => {
                sets.push((key, values, Vec::new()));
                sets.len() - 1
            }
        };
        for (p, items, wire) in places {
            placed.insert(p);
            sets[set]
                .2
                .push((p, items, wire, format!("{}\u{0}{}", r.operation, r.path)));
        }
    }

    // Names: from the field the set is most used for, clear of every name
    // at the crate root.
    let mut taken: BTreeSet<String> = crate::plan::RESERVED
        .iter()
        .map(|s| s.to_string())
        .collect();
    for op in &plan.ops {
        taken.insert(op.op.name.clone());
        taken.insert(format!("{}Response", op.op.name));
    }
    for id in plan.shared() {
        taken.insert(plan.ty(id).name.clone());
    }
    let mut enums = Vec::new();
    for (_, values, uses) in &sets {
        let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (i, (_, _, wire, _)) in uses.iter().enumerate() {
            let e = counts.entry(wire.clone()).or_insert((0, i));
            e.0 += 1;
        }
        let wire = counts
            .iter()
            .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
            .map(|(w, _)| w.clone())
            .unwrap_or_default();
        // One value of a list is named in the singular: `RouteType`, not
        // `RouteTypes`.
        let of_a_list = uses.iter().filter(|u| u.2 == wire).all(|u| u.1);
        let base = if of_a_list {
            names::singular(&names::type_name(&wire))
        } else {
            names::type_name(&wire)
        };
        // The use that names it: one of the most used field name, and of
        // those the one whose holder has the shortest name (the resource
        // itself, `Cen`, rather than a part of an answer that mentions it,
        // `PrivateZoneInfo`); a param when no field uses it.
        let naming = uses
            .iter()
            .filter(|u| u.2 == wire)
            .min_by_key(|u| match u.0 {
                Place::Field(t, _) => (0, plan.ty(t).name.len()),
                Place::Param(..) => (1, 0),
            })
            .unwrap_or(&uses[0]);
        let first_op = naming.3.split('\u{0}').next().unwrap_or_default();
        // Qualified by the struct holding the field (or the operation,
        // for a param), then numbered.
        let holder = match naming.0 {
            Place::Field(t, _) if !plan.ty(t).name.ends_with(&base) => {
                format!("{}{base}", plan.ty(t).name)
            }
            Place::Field(t, _) => plan.ty(t).name.clone(),
            Place::Param(..) => format!("{first_op}{base}"),
        };
        let op_qualified = format!("{first_op}{base}");
        // Too long qualified: the same with its leading words dropped until
        // it fits (`DescribeCenRegionDomainRouteEntriesStatus` becomes
        // `CenRegionDomainRouteEntriesStatus`), which still says whose
        // values these are; a number says nothing, so it comes last.
        let shortened = [
            drop_leading_words(&holder, MAX_NAME),
            drop_leading_words(&op_qualified, MAX_NAME),
        ];
        let name = [base.clone(), holder, op_qualified]
            .into_iter()
            .chain(shortened.into_iter().filter(|n| n.len() > base.len()))
            .find(|n| n.len() <= MAX_NAME && !taken.contains(n))
            .unwrap_or_else(|| {
                // Numbered, from a base short enough to take a number.
                let short = drop_leading_words(&base, MAX_NAME - 2);
                std::iter::once(short.clone())
                    .chain((2..).map(|n| format!("{short}{n}")))
                    .find(|n| !taken.contains(n))
                    .expect("a free name")
            });
        names::check_ident(&name)?;
        if name.len() > MAX_NAME {
            return Err(format!(
                "enum name `{name}` is longer than {MAX_NAME} characters"
            ));
        }
        taken.insert(name.clone());
        enums.push(EnumDef {
            name,
            variants: variants(values),
            values: values.clone(),
            uses: uses
                .iter()
                .map(|(_, _, _, u)| {
                    let (op, path) = u.split_once('\u{0}').unwrap_or_default();
                    (op.to_owned(), path.to_owned())
                })
                .collect(),
        });
    }
    for (id, (_, _, uses)) in sets.iter().enumerate() {
        for (place, items, _, _) in uses {
            let ty = if *items {
                RType::Vec(Box::new(RType::Enum(id)))
            } else {
                RType::Enum(id)
            };
            match *place {
                Place::Param(op, k) => plan.ops[op].params[k].field.ty = ty,
                Place::Field(t, k) => plan.types[t].fields[k].ty = ty,
            }
        }
    }
    Ok((enums, stats))
}

/// `name` without its leading CamelCase words until it is at most `max`
/// long (`TransitRouterRouteEntryNextHopResourceType` →
/// `RouteEntryNextHopResourceType` for 30): the last words say what the
/// value is.
fn drop_leading_words(name: &str, max: usize) -> String {
    let mut rest = name;
    while rest.len() > max {
        match rest
            .char_indices()
            .skip(1)
            .find(|(_, c)| c.is_ascii_uppercase())
        {
            Some((at, _)) => rest = &rest[at..],
            None => break,
        }
    }
    rest.to_owned()
}

fn fits(ty: &RType, items: bool) -> bool {
    match (ty, items) {
        (RType::String, false) => true,
        (RType::Vec(t), true) => **t == RType::String,
        _ => false,
    }
}

/// Variant names: the value's words, capitalized; distinct within the set.
fn variants(values: &[String]) -> Vec<String> {
    let mut used = BTreeSet::from(["Unknown".to_owned(), "Self".to_owned()]);
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut name = names::type_name(v);
            if name.is_empty() {
                name = if v.is_empty() {
                    "Empty".into()
                } else {
                    format!("Value{}", i + 1)
                };
            }
            if name.starts_with(|c: char| c.is_ascii_digit()) {
                name = format!("V{name}");
            }
            let name = if used.contains(&name) {
                (2..)
                    .map(|n| format!("{name}{n}"))
                    .find(|n| !used.contains(n))
                    .expect("a free name")
            } else {
                name
            };
            used.insert(name.clone());
            name
        })
        .collect()
}

/// `src/enums.rs`.
pub fn enums_rs(plan: &Plan, target: &Target) -> String {
    let mut o = crate::emit::header(target);
    let _ = writeln!(
        o,
        "//! The value sets Alibaba Cloud documents for params and fields of `{}`, as\n\
         //! enums that keep values they do not know (`Unknown`), one per distinct set.\n",
        plan.spec.product
    );
    for e in &plan.enums {
        // Every use, one per line (a request param and an answer field
        // can read alike: once).
        let mut uses: Vec<String> = Vec::new();
        for (op, path) in &e.uses {
            let line = format!("/// - `{path}` of [`{op}`](crate::{op})");
            if !uses.contains(&line) {
                uses.push(line);
            }
        }
        let field = e
            .uses
            .first()
            .and_then(|(_, path)| path.rsplit('.').next())
            .unwrap_or_default()
            .trim_end_matches("[]");
        let _ = writeln!(
            o,
            "aliapi_core::open_enum! {{\n/// A documented value of `{field}`, for these params and fields:\n///\n{}\npub enum {} {{",
            uses.join("\n"),
            e.name
        );
        for (v, name) in e.values.iter().zip(&e.variants) {
            let _ = writeln!(o, "/// `{v:?}`.\n{name} = {v:?},");
        }
        o.push_str("}\n}\n\n");
    }
    o
}
