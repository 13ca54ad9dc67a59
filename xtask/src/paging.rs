//! Paging: where an operation's page facts sit in the Rust types, and the
//! `aliapi_core::paginate::Paginated` impl that reads them.

use std::fmt::Write as _;

use aliapi_spec::{Pagination, Param};

use crate::plan::{FieldDef, Plan, RType, TypeId};

/// One step of a response path.
#[derive(Debug, Clone)]
pub enum Step {
    /// An optional field (object or scalar).
    Opt(String),
    /// The first element of a list field (`Name[]` in the spec's paths).
    First(String),
    /// A list field, taken whole (only as the last step).
    List(String),
}

/// A response path resolved against the Rust types.
#[derive(Debug, Clone)]
pub struct Path {
    pub wire: String,
    pub steps: Vec<Step>,
    /// The field at the end and the struct holding it.
    pub field: FieldDef,
    pub container: TypeId,
}

impl Path {
    fn through_list(&self) -> bool {
        self.steps.iter().any(|s| matches!(s, Step::First(_)))
    }

    /// The scalar type at the end.
    fn end(&self) -> &RType {
        &self.field.ty
    }
}

/// A paged operation, resolved.
pub struct Paging<'o> {
    pub token: bool,
    pub page_number: Option<&'o Param>,
    pub page_size: Option<&'o Param>,
    pub next_token: Option<&'o Param>,
    pub response_page_number: Option<Path>,
    pub response_page_size: Option<Path>,
    pub total: Option<Path>,
    pub response_next_token: Option<Path>,
    pub items: Path,
}

impl Paging<'_> {
    /// Whether the page facts are read from inside the listed items.
    pub fn grouped(&self) -> bool {
        [
            &self.response_page_number,
            &self.response_page_size,
            &self.total,
        ]
        .into_iter()
        .flatten()
        .any(Path::through_list)
    }

    /// The Rust type of one item, as named in the operation's module.
    pub fn item(&self, plan: &Plan, op: usize) -> Result<String, String> {
        let local = plan.ops[op]
            .local
            .get(&(Some(self.items.container), self.items.field.wire.clone()));
        match &self.items.field.ty {
            RType::Vec(t) => Ok(plan.rust(t, local.map(String::as_str))),
            _ => Err("items path does not end in a list".into()),
        }
    }

    pub fn doc(&self, plan: &Plan, op: usize) -> Result<String, String> {
        let item = self.item(plan, op)?;
        let item = if self.items.field.ty.def().is_some() {
            format!("[`{item}`]")
        } else {
            format!("`{item}`")
        };
        let how = if self.token {
            let token = self.next_token.map_or("NextToken", |p| p.name.as_str());
            match self.page_size {
                Some(size) => format!("by token (`{token}`, pages of `{}` items)", size.name),
                None => format!("by token (`{token}`)"),
            }
        } else {
            let names: Vec<String> = [self.page_number, self.page_size]
                .into_iter()
                .flatten()
                .map(|p| format!("`{}`", p.name))
                .collect();
            format!("by page number ({})", names.join(", "))
        };
        let mut text = format!(
            "Paged {how}: it implements [`Paginated`](aliapi_core::paginate::Paginated), whose items are the {item} values of `{}`, so [`aliapi_core::paginate::items`] walks every page.\n",
            self.items.wire
        );
        if self.grouped() {
            text.push_str("\nThe service reports the page facts inside each listed item; they are read from the first one, and a walk ends on the reported total or an empty page.\n");
        }
        Ok(text)
    }
}

fn param<'o>(
    op: &'o aliapi_spec::Operation,
    name: Option<&str>,
) -> Result<Option<&'o Param>, String> {
    let Some(name) = name else { return Ok(None) };
    op.params
        .iter()
        .find(|p| p.name == name)
        .map(Some)
        .ok_or_else(|| format!("{}: paging param `{name}` is not a param", op.name))
}

pub fn resolve<'o>(plan: &Plan<'o>, op: usize, p: &Pagination) -> Result<Paging<'o>, String> {
    let spec_op = plan.ops[op].op;
    let path = |wire: &Option<String>| -> Result<Option<Path>, String> {
        wire.as_deref()
            .map(|w| resolve_path(plan, op, w))
            .transpose()
    };
    let (token, page_number, page_size, next_token, rpn, rps, rnt) = match p {
        Pagination::Page {
            page_number,
            page_size,
            response_page_number,
            response_page_size,
            ..
        } => (
            false,
            Some(page_number.as_str()),
            page_size.as_deref(),
            None,
            response_page_number,
            response_page_size,
            &None,
        ),
        Pagination::Token {
            next_token,
            max_results,
            response_next_token,
            ..
        } => (
            true,
            None,
            max_results.as_deref(),
            Some(next_token.as_str()),
            &None,
            &None,
            response_next_token,
        ),
    };
    let items = resolve_path(plan, op, p.items())?;
    if !matches!(items.steps.last(), Some(Step::List(_))) || items.through_list() {
        return Err(format!(
            "{}: items path `{}` does not end in a list",
            spec_op.name,
            p.items()
        ));
    }
    let total = p.total().map(str::to_owned);
    let paging = Paging {
        token,
        page_number: param(spec_op, page_number)?,
        page_size: param(spec_op, page_size)?,
        next_token: param(spec_op, next_token)?,
        response_page_number: path(rpn)?,
        response_page_size: path(rps)?,
        total: path(&total)?,
        response_next_token: path(rnt)?,
        items,
    };
    if token && (paging.next_token.is_none() || paging.response_next_token.is_none()) {
        return Err(format!(
            "{}: token paging without both tokens",
            spec_op.name
        ));
    }
    Ok(paging)
}

/// Follows a dotted wire path through the response types. A collapsed
/// wrapper takes two segments (`Domains.PageData`) for one field.
pub(crate) fn resolve_path(plan: &Plan, op: usize, wire: &str) -> Result<Path, String> {
    let name = &plan.ops[op].op.name;
    let mut at = plan.ops[op].response;
    let mut steps = Vec::new();
    let segments: Vec<&str> = wire.split('.').collect();
    let mut i = 0;
    loop {
        let (seg, first) = split(segments[i]);
        let field = plan
            .ty(at)
            .fields
            .iter()
            .find(|f| f.wire == seg)
            .ok_or_else(|| {
                format!(
                    "{name}: `{wire}`: no field `{seg}` in `{}`",
                    plan.ty(at).name
                )
            })?
            .clone();
        let mut first = first;
        if let Some(inner) = &field.collapsed {
            if first {
                return Err(format!(
                    "{name}: `{wire}`: `{seg}` holds a list of `{inner}`, not a list itself"
                ));
            }
            i += 1;
            let (next, next_first) = segments
                .get(i)
                .map(|s| split(s))
                .ok_or_else(|| format!("{name}: `{wire}` stops at the wrapper `{seg}`"))?;
            if next != inner {
                return Err(format!(
                    "{name}: `{wire}`: `{seg}` wraps `{inner}`, not `{next}`"
                ));
            }
            first = next_first;
        }
        let last = i + 1 == segments.len();
        let is_list = matches!(field.ty, RType::Vec(_));
        let elem = match (&field.ty, first) {
            (RType::Vec(t), true) => {
                steps.push(Step::First(field.ident.clone()));
                (**t).clone()
            }
            (_, true) => return Err(format!("{name}: `{wire}`: `{seg}` is not a list")),
            (t, false) if is_list => {
                if !last {
                    return Err(format!(
                        "{name}: `{wire}` steps through list `{seg}` without `[]`"
                    ));
                }
                steps.push(Step::List(field.ident.clone()));
                t.clone()
            }
            (t, false) => {
                steps.push(Step::Opt(field.ident.clone()));
                t.clone()
            }
        };
        if last {
            return Ok(Path {
                wire: wire.to_owned(),
                steps,
                field,
                container: at,
            });
        }
        at = match elem {
            RType::Def(id) => id,
            _ => return Err(format!("{name}: `{wire}` steps into a scalar")),
        };
        i += 1;
    }
}

fn split(seg: &str) -> (&str, bool) {
    match seg.strip_suffix("[]") {
        Some(name) => (name, true),
        None => (seg, false),
    }
}

/// An expression of type `Option<&T>` for the value at `path` in `root`.
pub(crate) fn borrowed(root: &str, steps: &[Step]) -> String {
    let mut expr: Option<String> = None;
    for step in steps {
        expr = Some(match (step, expr) {
            (Step::Opt(f), None) => format!("{root}.{f}.as_ref()"),
            (Step::Opt(f), Some(e)) => format!("{e}.and_then(|v| v.{f}.as_ref())"),
            (Step::First(f), None) => format!("{root}.{f}.first()"),
            (Step::First(f), Some(e)) => format!("{e}.and_then(|v| v.{f}.first())"),
            (Step::List(f), None) => format!("Some(&{root}.{f})"),
            (Step::List(f), Some(e)) => format!("{e}.map(|v| &v.{f})"),
        });
    }
    expr.unwrap_or_else(|| "None".into())
}

/// An `Option<i64>` expression for a numeric page fact, `None` when the
/// answer does not carry it.
fn number(path: &Option<Path>) -> Result<Option<String>, String> {
    let Some(path) = path else {
        return Ok(None);
    };
    let (last, init) = path.steps.split_last().ok_or("empty path")?;
    let Step::Opt(f) = last else {
        return Err(format!("page fact `{}` is a list", path.wire));
    };
    if init.is_empty() {
        return Ok(Some(match path.end() {
            RType::I64 => format!("response.{f}"),
            RType::I32 => format!("response.{f}.map(i64::from)"),
            RType::String => format!("response.{f}.as_deref().and_then(|v| v.trim().parse().ok())"),
            other => return Err(format!("page fact `{}` has type `{other:?}`", path.wire)),
        }));
    }
    // Deeper: borrow down to the holder of the last field, then read it.
    let holder = borrowed("response", init);
    Ok(Some(match path.end() {
        RType::I64 => format!("{holder}.and_then(|v| v.{f})"),
        RType::I32 => format!("{holder}.and_then(|v| v.{f}).map(i64::from)"),
        RType::String => {
            format!("{holder}.and_then(|v| v.{f}.as_deref()).and_then(|v| v.trim().parse().ok())")
        }
        other => return Err(format!("page fact `{}` has type `{other:?}`", path.wire)),
    }))
}

fn scalar(plan: &Plan, op: usize, p: &Param) -> Result<RType, String> {
    let field = plan.ops[op]
        .params
        .iter()
        .find(|f| f.param.name == p.name)
        .ok_or_else(|| format!("paging param `{}` is not a field", p.name))?;
    Ok(field.field.ty.clone())
}

/// `Option<i64>` from a request field (page number or size).
fn read_param(plan: &Plan, op: usize, p: &Param) -> Result<String, String> {
    let f = format!("self.{}", crate::names::snake_ident(&p.name));
    Ok(match (scalar(plan, op, p)?, p.required) {
        (RType::I64, false) => f,
        (RType::I64, true) => format!("Some({f})"),
        (RType::I32, false) => format!("{f}.map(i64::from)"),
        (RType::I32, true) => format!("Some(i64::from({f}))"),
        (RType::String, false) => format!("{f}.as_deref().and_then(|v| v.trim().parse().ok())"),
        (RType::String, true) => format!("{f}.trim().parse().ok()"),
        (other, _) => return Err(format!("paging param `{}` has type `{other:?}`", p.name)),
    })
}

fn write_page_number(plan: &Plan, op: usize, p: &Param) -> Result<String, String> {
    let value = match scalar(plan, op, p)? {
        RType::I64 => "n".to_string(),
        RType::I32 => "i32::try_from(n).unwrap_or(i32::MAX)".to_string(),
        RType::String => "n.to_string()".to_string(),
        other => return Err(format!("paging param `{}` has type `{other:?}`", p.name)),
    };
    let value = if p.required {
        value
    } else {
        format!("Some({value})")
    };
    Ok(format!(
        "self.{} = {value};",
        crate::names::snake_ident(&p.name)
    ))
}

pub fn impl_paginated(plan: &Plan, op: usize, p: &Paging, o: &mut String) -> Result<(), String> {
    let name = &plan.ops[op].op.name;
    let item = p.item(plan, op)?;
    let resp = format!("{name}Response");
    let style = if p.token { "NextToken" } else { "PageNumber" };
    let _ = writeln!(
        o,
        "impl aliapi_core::paginate::Paginated for {name} {{\ntype Item = {item};\nconst STYLE: aliapi_core::paginate::PageStyle = aliapi_core::paginate::PageStyle::{style};"
    );
    if let Some(n) = p.page_number.filter(|_| !p.token) {
        let _ = writeln!(
            o,
            "fn requested_page(&self) -> Option<i64> {{ {} }}",
            read_param(plan, op, n)?
        );
    }
    if let Some(s) = p.page_size {
        let _ = writeln!(
            o,
            "fn requested_page_size(&self) -> Option<i64> {{ {} }}",
            read_param(plan, op, s)?
        );
    }
    if let Some(n) = p.page_number.filter(|_| !p.token) {
        let _ = writeln!(
            o,
            "fn set_page_number(&mut self, n: i64) {{ {} }}",
            write_page_number(plan, op, n)?
        );
    }
    if let Some(t) = p.next_token.filter(|_| p.token) {
        if scalar(plan, op, t)? != RType::String {
            return Err(format!("{name}: token param is not a string"));
        }
        let value = if t.required { "token" } else { "Some(token)" };
        let _ = writeln!(
            o,
            "fn set_next_token(&mut self, token: String) {{ self.{} = {value}; }}",
            crate::names::snake_ident(&t.name)
        );
    }
    let next_token = match &p.response_next_token {
        Some(path) if p.token => {
            if *path.end() != RType::String {
                return Err(format!("{name}: response token is not a string"));
            }
            Some(match path.steps.as_slice() {
                [Step::Opt(f)] => format!("response.{f}.clone()"),
                _ => format!("{}.cloned()", borrowed("response", &path.steps)),
            })
        }
        _ => None,
    };
    let item_count = match p.items.steps.split_last() {
        Some((Step::List(f), [])) => format!("response.{f}.len()"),
        Some((Step::List(f), init)) => {
            format!("{}.map_or(0, |v| v.{f}.len())", borrowed("response", init))
        }
        _ => return Err(format!("{name}: items path does not end in a list")),
    };
    // Built as a user implementing `Paginated` would build it: `PageInfo`
    // is non-exhaustive, and each fact the answer lacks is left out.
    let mut info = format!("aliapi_core::paginate::PageInfo::new({item_count})");
    for (with, fact) in [
        ("page_number", number(&p.response_page_number)?),
        ("page_size", number(&p.response_page_size)?),
        ("total", number(&p.total)?),
        ("next_token", next_token),
    ] {
        if let Some(fact) = fact {
            let _ = write!(info, ".with_{with}({fact})");
        }
    }
    if p.grouped() {
        info.push_str(".with_items_fill_page(false)");
    }
    let _ = writeln!(
        o,
        "fn page_info(response: &{resp}) -> aliapi_core::paginate::PageInfo {{\n{info}\n}}"
    );
    let mut expr: Option<String> = None;
    for step in &p.items.steps {
        expr = Some(match (step, expr) {
            (Step::Opt(f), None) => format!("response.{f}"),
            (Step::Opt(f), Some(e)) => format!("{e}.and_then(|v| v.{f})"),
            (Step::List(f), None) => format!("response.{f}"),
            (Step::List(f), Some(e)) => format!("{e}.map(|v| v.{f}).unwrap_or_default()"),
            (Step::First(_), _) => return Err(format!("{name}: items path through a list")),
        });
    }
    let _ = writeln!(
        o,
        "fn items(response: {resp}) -> Vec<{item}> {{ {} }}\n}}",
        expr.unwrap_or_default()
    );
    Ok(())
}
