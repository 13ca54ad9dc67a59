//! Paging: where an operation's page facts sit, and the
//! `aliapi_core::paginate::Paginated` impl that reads them.

use std::fmt::Write as _;

use crate::model::{self, Model};
use crate::names;
use crate::spec::{Operation, Pagination, Param, TypeDesc};

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

/// A resolved response path: its steps and the type at its end.
#[derive(Debug, Clone)]
pub struct Path {
    pub wire: String,
    pub steps: Vec<Step>,
    pub end: TypeDesc,
}

impl Path {
    fn through_list(&self) -> bool {
        self.steps.iter().any(|s| matches!(s, Step::First(_)))
    }
}

/// A paged operation, resolved against its shapes.
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
    pub item: TypeDesc,
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

    pub fn doc(&self, model: &Model) -> Result<String, String> {
        let item = model.rust_type(&self.item)?;
        let item = if self.item.kind == "object" {
            format!("[`{item}`]")
        } else {
            format!("`{item}`")
        };
        let how = if self.token {
            format!(
                "by token (`{}`)",
                self.next_token.map_or("NextToken", |p| p.name.as_str())
            )
        } else {
            let names: Vec<&str> = [self.page_number, self.page_size]
                .into_iter()
                .flatten()
                .map(|p| p.name.as_str())
                .collect();
            format!(
                "by page number ({})",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let mut text = format!(
            "Paged {how}: it implements [`Paginated`](aliapi_core::paginate::Paginated), whose items are the {item} values of `{}`, so [`aliapi_core::paginate`] can walk every page.\n",
            self.items.wire
        );
        if self.grouped() {
            text.push_str("\nThe service reports the page facts inside each listed item; they are read from the first one, and a walk ends on the reported total or an empty page.\n");
        }
        Ok(text)
    }
}

fn param<'o>(op: &'o Operation, name: Option<&str>) -> Result<Option<&'o Param>, String> {
    let Some(name) = name else { return Ok(None) };
    op.params
        .iter()
        .find(|p| p.name == name)
        .map(Some)
        .ok_or_else(|| format!("{}: paging param `{name}` is not a param", op.name))
}

pub fn resolve<'o>(model: &Model, op: &'o Operation, p: &Pagination) -> Result<Paging<'o>, String> {
    let token = match p.style.as_str() {
        "page" => false,
        "token" => true,
        other => return Err(format!("{}: unknown paging style `{other}`", op.name)),
    };
    let path = |wire: &Option<String>| -> Result<Option<Path>, String> {
        wire.as_deref()
            .map(|w| resolve_path(model, op, w))
            .transpose()
    };
    let items = resolve_path(model, op, &p.items)?;
    if items.end.kind != "array" || items.through_list() {
        return Err(format!(
            "{}: items path `{}` does not end in a list",
            op.name, p.items
        ));
    }
    let item = model::items(&items.end)?.clone();
    let paging = Paging {
        token,
        page_number: param(op, p.page_number.as_deref())?,
        page_size: param(
            op,
            if token {
                p.max_results.as_deref()
            } else {
                p.page_size.as_deref()
            },
        )?,
        next_token: param(op, p.next_token.as_deref())?,
        response_page_number: path(&p.response_page_number)?,
        response_page_size: path(&p.response_page_size)?,
        total: path(&p.total)?,
        response_next_token: path(&p.response_next_token)?,
        items,
        item,
    };
    if token && (paging.next_token.is_none() || paging.response_next_token.is_none()) {
        return Err(format!("{}: token paging without both tokens", op.name));
    }
    if !token && paging.page_number.is_none() {
        return Err(format!(
            "{}: page paging without a page number param",
            op.name
        ));
    }
    Ok(paging)
}

fn resolve_path(model: &Model, op: &Operation, wire: &str) -> Result<Path, String> {
    let mut shape = op.response.clone();
    let mut steps = Vec::new();
    let segments: Vec<&str> = wire.split('.').collect();
    let mut end = None;
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let (name, first) = match seg.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (*seg, false),
        };
        let field = model
            .spec
            .shape(&shape)?
            .fields
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| format!("{}: `{wire}`: no field `{name}` in `{shape}`", op.name))?;
        let ident = names::snake_ident(name);
        let mut ty = field.ty.clone();
        if field.ty.kind == "array" {
            if first {
                steps.push(Step::First(ident));
                ty = model::items(&field.ty)?.clone();
            } else if last {
                steps.push(Step::List(ident));
            } else {
                return Err(format!(
                    "{}: `{wire}` steps through list `{name}` without `[]`",
                    op.name
                ));
            }
        } else if first {
            return Err(format!("{}: `{wire}`: `{name}` is not a list", op.name));
        } else {
            steps.push(Step::Opt(ident));
        }
        if last {
            end = Some(ty);
        } else if ty.kind == "object" {
            shape = model::shape_of(&ty)?.to_owned();
        } else {
            return Err(format!("{}: `{wire}` steps into a scalar", op.name));
        }
    }
    Ok(Path {
        wire: wire.to_owned(),
        steps,
        end: end.ok_or_else(|| format!("{}: empty path", op.name))?,
    })
}

/// An expression of type `Option<&T>` for the value at `path` in `root`.
fn borrowed(root: &str, path: &Path) -> String {
    let mut expr: Option<String> = None;
    for step in &path.steps {
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

/// An `Option<i64>` expression for a numeric page fact.
fn number(model: &Model, path: &Option<Path>) -> Result<String, String> {
    let Some(path) = path else {
        return Ok("None".into());
    };
    let ty = model.rust_type(&path.end)?;
    if let [Step::Opt(f)] = path.steps.as_slice() {
        return Ok(match ty.as_str() {
            "i64" => format!("response.{f}"),
            "i32" => format!("response.{f}.map(i64::from)"),
            "String" => format!("response.{f}.as_deref().and_then(|v| v.trim().parse().ok())"),
            other => return Err(format!("page fact `{}` has type `{other}`", path.wire)),
        });
    }
    // Deeper: borrow down to the holder of the last field, then read it.
    let (last, init) = path.steps.split_last().ok_or("empty path")?;
    let Step::Opt(f) = last else {
        return Err(format!("page fact `{}` is a list", path.wire));
    };
    let holder = borrowed(
        "response",
        &Path {
            wire: String::new(),
            steps: init.to_vec(),
            end: path.end.clone(),
        },
    );
    Ok(match ty.as_str() {
        "i64" => format!("{holder}.and_then(|v| v.{f})"),
        "i32" => format!("{holder}.and_then(|v| v.{f}).map(i64::from)"),
        "String" => {
            format!("{holder}.and_then(|v| v.{f}.as_deref()).and_then(|v| v.trim().parse().ok())")
        }
        other => return Err(format!("page fact `{}` has type `{other}`", path.wire)),
    })
}

/// `Option<i64>` from a request field (page number or size).
fn read_param(model: &Model, p: &Param) -> Result<String, String> {
    let f = format!("self.{}", names::snake_ident(&p.name));
    let ty = model.rust_type(&p.ty)?;
    Ok(match (ty.as_str(), p.required) {
        ("i64", false) => f,
        ("i64", true) => format!("Some({f})"),
        ("i32", false) => format!("{f}.map(i64::from)"),
        ("i32", true) => format!("Some(i64::from({f}))"),
        ("String", false) => format!("{f}.as_deref().and_then(|v| v.trim().parse().ok())"),
        ("String", true) => format!("{f}.trim().parse().ok()"),
        (other, _) => return Err(format!("paging param `{}` has type `{other}`", p.name)),
    })
}

fn write_page_number(model: &Model, p: &Param) -> Result<String, String> {
    let value = match model.rust_type(&p.ty)?.as_str() {
        "i64" => "n".to_string(),
        "i32" => "i32::try_from(n).unwrap_or(i32::MAX)".to_string(),
        "String" => "n.to_string()".to_string(),
        other => return Err(format!("paging param `{}` has type `{other}`", p.name)),
    };
    let value = if p.required {
        value
    } else {
        format!("Some({value})")
    };
    Ok(format!("self.{} = {value};", names::snake_ident(&p.name)))
}

pub fn impl_paginated(
    model: &Model,
    op: &Operation,
    p: &Paging,
    o: &mut String,
) -> Result<(), String> {
    let item = model.rust_type(&p.item)?;
    let resp = format!("{}Response", op.name);
    let style = if p.token { "NextToken" } else { "PageNumber" };
    let _ = writeln!(
        o,
        "impl aliapi_core::paginate::Paginated for {} {{\ntype Item = {item};\nconst STYLE: aliapi_core::paginate::PageStyle = aliapi_core::paginate::PageStyle::{style};",
        op.name
    );
    if let Some(n) = p.page_number.filter(|_| !p.token) {
        let _ = writeln!(
            o,
            "fn requested_page(&self) -> Option<i64> {{ {} }}",
            read_param(model, n)?
        );
    }
    if let Some(s) = p.page_size {
        let _ = writeln!(
            o,
            "fn requested_page_size(&self) -> Option<i64> {{ {} }}",
            read_param(model, s)?
        );
    }
    if let Some(n) = p.page_number.filter(|_| !p.token) {
        let _ = writeln!(
            o,
            "fn set_page_number(&mut self, n: i64) {{ {} }}",
            write_page_number(model, n)?
        );
    }
    if let Some(t) = p.next_token.filter(|_| p.token) {
        if model.rust_type(&t.ty)? != "String" {
            return Err(format!("{}: token param is not a string", op.name));
        }
        let value = if t.required { "token" } else { "Some(token)" };
        let _ = writeln!(
            o,
            "fn set_next_token(&mut self, token: String) {{ self.{} = {value}; }}",
            names::snake_ident(&t.name)
        );
    }
    let next_token = match &p.response_next_token {
        Some(path) if p.token => {
            if path.end.kind != "string" {
                return Err(format!("{}: response token is not a string", op.name));
            }
            match path.steps.as_slice() {
                [Step::Opt(f)] => format!("response.{f}.clone()"),
                _ => format!("{}.cloned()", borrowed("response", path)),
            }
        }
        _ => "None".into(),
    };
    let item_count = match p.items.steps.split_last() {
        Some((Step::List(f), [])) => format!("response.{f}.len()"),
        Some((Step::List(f), init)) => {
            let parent = Path {
                wire: String::new(),
                steps: init.to_vec(),
                end: p.items.end.clone(),
            };
            format!(
                "{}.map_or(0, |v| v.{f}.len())",
                borrowed("response", &parent)
            )
        }
        _ => return Err(format!("{}: items path does not end in a list", op.name)),
    };
    let _ = writeln!(
        o,
        "fn page_info(response: &{resp}) -> aliapi_core::paginate::PageInfo {{\naliapi_core::paginate::PageInfo {{\npage_number: {},\npage_size: {},\ntotal: {},\nnext_token: {next_token},\nitem_count: {item_count},\nitems_fill_page: {},\n}}\n}}",
        number(model, &p.response_page_number)?,
        number(model, &p.response_page_size)?,
        number(model, &p.total)?,
        !p.grouped(),
    );
    let mut expr: Option<String> = None;
    for step in &p.items.steps {
        expr = Some(match (step, expr) {
            (Step::Opt(f), None) => format!("response.{f}"),
            (Step::Opt(f), Some(e)) => format!("{e}.and_then(|v| v.{f})"),
            (Step::List(f), None) => format!("response.{f}"),
            (Step::List(f), Some(e)) => format!("{e}.map(|v| v.{f}).unwrap_or_default()"),
            (Step::First(_), _) => return Err(format!("{}: items path through a list", op.name)),
        });
    }
    let _ = writeln!(
        o,
        "fn items(response: {resp}) -> Vec<{item}> {{ {} }}\n}}",
        expr.unwrap_or_default()
    );
    Ok(())
}
