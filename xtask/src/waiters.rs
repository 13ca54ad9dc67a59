//! The generated waiters: the table they come from, and the code and the
//! markdown table printed from it.
//!
//! [`WAITERS`] is the one source of truth. `codegen` prints from it the
//! `waiters` module of each product crate, the tables of `specs/waiters.md`
//! and the one of the README's "Waiters" section (between their
//! `<!-- waiters:… -->` markers), so the contract, the docs and the code
//! cannot drift apart; `codegen --check` fails when any is stale.

use std::fmt::Write as _;

use aliapi_spec::Product;

use crate::Target;
use crate::paging::{self, Step};
use crate::plan::{Plan, RType};

/// How a waiter's poll request names the resource.
#[derive(Debug, Clone, Copy)]
pub enum Id {
    /// A param set to an argument: its wire name, the argument's name and
    /// a sample value for the docs.
    Param(&'static str, &'static str, &'static str),
    /// A list param set to a list of one argument, likewise.
    One(&'static str, &'static str, &'static str),
    /// `Filter.1.Key=<key>`, `Filter.1.Value.1=<argument>`: the key, the
    /// argument's name and a sample value.
    Filter(&'static str, &'static str, &'static str),
}

impl Id {
    fn arg(self) -> &'static str {
        match self {
            Id::Param(_, arg, _) | Id::One(_, arg, _) | Id::Filter(_, arg, _) => arg,
        }
    }

    fn sample(self) -> &'static str {
        match self {
            Id::Param(_, _, s) | Id::One(_, _, s) | Id::Filter(_, _, s) => s,
        }
    }

    fn markdown(self) -> String {
        match self {
            Id::Param(wire, _, _) => format!("`{wire}`"),
            Id::One(wire, _, _) => format!("`{wire}.1`"),
            Id::Filter(key, _, _) => format!("`Filter.1.Key={key}`, `Filter.1.Value.1=<id>`"),
        }
    }
}

/// What the wait makes of a resource that is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gone {
    /// The state waited for (a delete).
    Success,
    /// A state the resource will not leave.
    Failure,
}

/// One waiter.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub product: Product,
    pub name: &'static str,
    /// What it waits for, as the end of "Waits for …".
    pub about: &'static str,
    /// The operation it polls.
    pub poll: &'static str,
    pub ids: &'static [Id],
    /// The dotted wire path of the status in the answer (`[]`: the one
    /// listed item; an empty list means gone).
    pub status: &'static str,
    pub success: &'static [&'static str],
    pub failure: &'static [&'static str],
    pub gone: Gone,
    /// The error code the poll answers once the resource is gone.
    pub gone_code: Option<&'static str>,
    /// Statuses that count as gone.
    pub gone_states: &'static [&'static str],
}

const DOMAIN: &[Id] = &[Id::Param("DomainName", "domain_name", "example.com")];
const DOMAIN_STATUS: &str = "GetDomainDetailModel.DomainStatus";
const CEN: &[Id] = &[Id::Filter("CenId", "cen_id", "cen-example")];
const CHILD: &[Id] = &[
    Id::Param("CenId", "cen_id", "cen-example"),
    Id::Param("ChildInstanceId", "child_instance_id", "vpc-example"),
    Id::Param(
        "ChildInstanceRegionId",
        "child_instance_region_id",
        "cn-hangzhou",
    ),
    Id::Param("ChildInstanceType", "child_instance_type", "VPC"),
];
const ROUTER: &[Id] = &[
    Id::Param("CenId", "cen_id", "cen-example"),
    Id::Param("TransitRouterId", "transit_router_id", "tr-example"),
];
const ATTACHMENT: &[Id] = &[Id::Param(
    "TransitRouterAttachmentId",
    "attachment_id",
    "tr-attach-example",
)];
const ATTACHMENT_STATUS: &str = "TransitRouterAttachments[].Status";
const TABLE: &[Id] = &[
    Id::Param("TransitRouterId", "transit_router_id", "tr-example"),
    Id::One(
        "TransitRouterRouteTableIds",
        "route_table_id",
        "vtb-example",
    ),
];
const TABLE_STATUS: &str = "TransitRouterRouteTables[].TransitRouterRouteTableStatus";
const PACKAGE: &[Id] = &[Id::Filter(
    "CenBandwidthPackageId",
    "package_id",
    "cenbwp-example",
)];
const PACKAGE_STATUS: &str = "CenBandwidthPackages.CenBandwidthPackage[].Status";

/// A waiter for an attachment kind to be attached, and one for it to go.
macro_rules! attachment {
    ($attached:literal, $deleted:literal, $kind:literal, $poll:literal, $gone:expr) => {
        [
            Row {
                product: Product::Cbn,
                name: $attached,
                about: concat!("a transit router ", $kind, " attachment to be attached"),
                poll: $poll,
                ids: ATTACHMENT,
                status: ATTACHMENT_STATUS,
                success: &["Attached"],
                failure: &["Detaching"],
                gone: Gone::Failure,
                gone_code: None,
                gone_states: $gone,
            },
            Row {
                product: Product::Cbn,
                name: $deleted,
                about: concat!("a transit router ", $kind, " attachment to be gone"),
                poll: $poll,
                ids: ATTACHMENT,
                status: ATTACHMENT_STATUS,
                success: &[],
                failure: &["Attached"],
                gone: Gone::Success,
                gone_code: None,
                gone_states: $gone,
            },
        ]
    };
}

const VPC: [Row; 2] = attachment!(
    "vpc_attachment_attached",
    "vpc_attachment_deleted",
    "VPC",
    "ListTransitRouterVpcAttachments",
    &[]
);
const VBR: [Row; 2] = attachment!(
    "vbr_attachment_attached",
    "vbr_attachment_deleted",
    "VBR",
    "ListTransitRouterVbrAttachments",
    &[]
);
const PEER: [Row; 2] = attachment!(
    "peer_attachment_attached",
    "peer_attachment_deleted",
    "peer",
    "ListTransitRouterPeerAttachments",
    &["Detached"]
);
const VPN: [Row; 2] = attachment!(
    "vpn_attachment_attached",
    "vpn_attachment_deleted",
    "VPN",
    "ListTransitRouterVpnAttachments",
    &[]
);
const ECR: [Row; 2] = attachment!(
    "ecr_attachment_attached",
    "ecr_attachment_deleted",
    "ECR",
    "ListTransitRouterEcrAttachments",
    &[]
);

/// Every waiter, CDN first, in the order of `specs/waiters.md`.
pub const WAITERS: &[Row] = &[
    Row {
        product: Product::Cdn,
        name: "domain_online",
        about: "a CDN domain to serve (`online`)",
        poll: "DescribeCdnDomainDetail",
        ids: DOMAIN,
        status: DOMAIN_STATUS,
        success: &["online"],
        failure: &["configure_failed", "check_failed", "offline"],
        gone: Gone::Failure,
        gone_code: Some("InvalidDomain.NotFound"),
        gone_states: &[],
    },
    Row {
        product: Product::Cdn,
        name: "domain_offline",
        about: "a CDN domain to be stopped (`offline`)",
        poll: "DescribeCdnDomainDetail",
        ids: DOMAIN,
        status: DOMAIN_STATUS,
        success: &["offline"],
        failure: &["configure_failed", "check_failed"],
        gone: Gone::Failure,
        gone_code: Some("InvalidDomain.NotFound"),
        gone_states: &[],
    },
    Row {
        product: Product::Cdn,
        name: "domain_deleted",
        about: "a deleted CDN domain to be gone",
        poll: "DescribeCdnDomainDetail",
        ids: DOMAIN,
        status: DOMAIN_STATUS,
        success: &[],
        failure: &["online", "offline"],
        gone: Gone::Success,
        gone_code: Some("InvalidDomain.NotFound"),
        gone_states: &[],
    },
    Row {
        product: Product::Cbn,
        name: "cen_active",
        about: "a CEN instance to be `Active`",
        poll: "DescribeCens",
        ids: CEN,
        status: "Cens.Cen[].Status",
        success: &["Active"],
        failure: &["Deleting"],
        gone: Gone::Failure,
        gone_code: None,
        gone_states: &[],
    },
    Row {
        product: Product::Cbn,
        name: "cen_deleted",
        about: "a deleted CEN instance to be gone",
        poll: "DescribeCens",
        ids: CEN,
        status: "Cens.Cen[].Status",
        success: &[],
        failure: &["Active"],
        gone: Gone::Success,
        gone_code: None,
        gone_states: &[],
    },
    Row {
        product: Product::Cbn,
        name: "child_instance_attached",
        about: "a network instance to be attached to a CEN instance",
        poll: "DescribeCenAttachedChildInstanceAttribute",
        ids: CHILD,
        status: "Status",
        success: &["Attached"],
        failure: &["Detaching"],
        gone: Gone::Failure,
        gone_code: Some("InvalidChildInstanceId.NotFound"),
        gone_states: &[],
    },
    Row {
        product: Product::Cbn,
        name: "child_instance_detached",
        about: "a network instance detached from a CEN instance to be gone from it",
        poll: "DescribeCenAttachedChildInstanceAttribute",
        ids: CHILD,
        status: "Status",
        success: &[],
        failure: &["Attached"],
        gone: Gone::Success,
        gone_code: Some("InvalidChildInstanceId.NotFound"),
        gone_states: &[],
    },
    Row {
        product: Product::Cbn,
        name: "transit_router_active",
        about: "a transit router to be `Active`",
        poll: "ListTransitRouters",
        ids: ROUTER,
        status: "TransitRouters[].Status",
        success: &["Active"],
        failure: &["Deleting"],
        gone: Gone::Failure,
        gone_code: None,
        gone_states: &[],
    },
    Row {
        product: Product::Cbn,
        name: "transit_router_deleted",
        about: "a deleted transit router to be gone",
        poll: "ListTransitRouters",
        ids: ROUTER,
        status: "TransitRouters[].Status",
        success: &[],
        failure: &["Active"],
        gone: Gone::Success,
        gone_code: None,
        gone_states: &[],
    },
    VPC[0],
    VPC[1],
    VBR[0],
    VBR[1],
    PEER[0],
    PEER[1],
    VPN[0],
    VPN[1],
    ECR[0],
    ECR[1],
    Row {
        product: Product::Cbn,
        name: "route_table_active",
        about: "a transit router route table to be `Active`",
        poll: "ListTransitRouterRouteTables",
        ids: TABLE,
        status: TABLE_STATUS,
        success: &["Active"],
        failure: &["Deleting"],
        gone: Gone::Failure,
        gone_code: None,
        gone_states: &[],
    },
    Row {
        product: Product::Cbn,
        name: "route_table_deleted",
        about: "a deleted transit router route table to be gone",
        poll: "ListTransitRouterRouteTables",
        ids: TABLE,
        status: TABLE_STATUS,
        success: &[],
        failure: &["Active"],
        gone: Gone::Success,
        gone_code: None,
        gone_states: &[],
    },
    Row {
        product: Product::Cbn,
        name: "bandwidth_package_in_use",
        about: "a bandwidth package to be associated with a CEN instance (`InUse`)",
        poll: "DescribeCenBandwidthPackages",
        ids: PACKAGE,
        status: PACKAGE_STATUS,
        success: &["InUse"],
        failure: &[],
        gone: Gone::Failure,
        gone_code: None,
        gone_states: &[],
    },
    Row {
        product: Product::Cbn,
        name: "bandwidth_package_idle",
        about: "a bandwidth package to be free of any CEN instance (`Idle`)",
        poll: "DescribeCenBandwidthPackages",
        ids: PACKAGE,
        status: PACKAGE_STATUS,
        success: &["Idle"],
        failure: &[],
        gone: Gone::Failure,
        gone_code: None,
        gone_states: &[],
    },
    Row {
        product: Product::Cbn,
        name: "bandwidth_package_deleted",
        about: "a deleted bandwidth package to be gone",
        poll: "DescribeCenBandwidthPackages",
        ids: PACKAGE,
        status: PACKAGE_STATUS,
        success: &[],
        failure: &["Idle", "InUse"],
        gone: Gone::Success,
        gone_code: None,
        gone_states: &[],
    },
];

/// The waiters of one product.
pub fn of(product: Product) -> impl Iterator<Item = &'static Row> {
    WAITERS.iter().filter(move |w| w.product == product)
}

fn ticked(values: &[&str]) -> String {
    let v: Vec<String> = values.iter().map(|s| format!("`{s}`")).collect();
    v.join(", ")
}

impl Row {
    /// How the answer says the resource is gone, in prose.
    fn gone_text(&self) -> String {
        let mut text = match self.gone_code {
            Some(code) => format!("the poll answers `{code}`"),
            None => "the list is empty".to_owned(),
        };
        if !self.gone_states.is_empty() {
            let _ = write!(text, " or shows {}", ticked(self.gone_states));
        }
        text
    }

    fn gone_cell(&self) -> String {
        let mut text = match self.gone_code {
            Some(code) => format!("gone (`{code}`)"),
            None => "gone (empty list)".to_owned(),
        };
        if !self.gone_states.is_empty() {
            let _ = write!(text, " or {}", ticked(self.gone_states));
        }
        text
    }

    fn success_cell(&self) -> String {
        let mut cells: Vec<String> = self.success.iter().map(|s| format!("`{s}`")).collect();
        if self.gone == Gone::Success {
            cells.push(self.gone_cell());
        }
        cells.join(", ")
    }

    fn failure_cell(&self) -> String {
        let mut cells: Vec<String> = self.failure.iter().map(|s| format!("`{s}`")).collect();
        if self.gone == Gone::Failure {
            cells.push(self.gone_cell());
        }
        cells.join(", ")
    }
}

/// The markdown table of one product's waiters.
pub fn markdown(product: Product) -> String {
    let mut o = String::from(
        "| waiter | poll with | identified by | status at | success | failure |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for w in of(product) {
        let ids: Vec<String> = w.ids.iter().map(|id| id.markdown()).collect();
        let _ = writeln!(
            o,
            "| `{}` | `{}` | {} | `{}` | {} | {} |",
            w.name,
            w.poll,
            ids.join(", "),
            w.status,
            w.success_cell(),
            w.failure_cell()
        );
    }
    o
}

/// The short table of every waiter for the README: name, poll, success.
/// Paths are the facade's, as the README's readers write them.
pub fn readme() -> String {
    let mut o = String::from("| waiter | polls | succeeds on |\n| --- | --- | --- |\n");
    for w in WAITERS {
        let krate = match w.product {
            Product::Cdn => "aliapi::cdn",
            Product::Cbn => "aliapi::cen",
        };
        let _ = writeln!(
            o,
            "| `{krate}::waiters::{}` | `{}` | {} |",
            w.name,
            w.poll,
            w.success_cell()
        );
    }
    o
}

/// Replaces the text between `<!-- waiters:<tag> -->` and
/// `<!-- /waiters:<tag> -->` in `doc` (the file `file`).
pub fn splice(file: &str, doc: &str, tag: &str, table: &str) -> Result<String, String> {
    let open = format!("<!-- waiters:{tag} -->\n");
    let close = format!("<!-- /waiters:{tag} -->");
    let start = doc
        .find(&open)
        .ok_or_else(|| format!("{file} has no `{}` marker", open.trim()))?
        + open.len();
    let end = doc[start..]
        .find(&close)
        .ok_or_else(|| format!("{file} has no `{close}` marker"))?
        + start;
    Ok(format!("{}{table}{}", &doc[..start], &doc[end..]))
}

/// The `waiters` module of a product crate.
pub fn module_rs(plan: &Plan, target: &Target) -> Result<String, String> {
    let krate = target.crate_ident;
    let mut o = crate::emit::header(target);
    let _ = writeln!(
        o,
        "//! Waiters for the resources whose status moves after a write: each\n\
         //! function here returns an [`aliapi_core::waiter::Waiter`] that polls one\n\
         //! operation until the resource reaches the state named, or a state it will\n\
         //! not leave for that one.\n\
         //!\n\
         //! Every waiter polls first after 2 s, then at growing, jittered delays of\n\
         //! up to 30 s, and gives up after 10 minutes (some changes take that\n\
         //! long to spread); `min_delay`, `max_delay` and `timeout` on the\n\
         //! returned waiter change those. An error other than the one that means\n\
         //! \"gone\" ends the wait as a failure (the client has already retried what\n\
         //! can be retried).\n\n\
         use std::time::Duration;\n\n\
         use aliapi_core::Client;\n\
         use aliapi_core::waiter::{{WaitState, Waiter}};\n\n\
         /// What a status (or its absence: `None`, the resource is gone) means.\n\
         fn judge(status: Option<Option<&str>>, success: &[&str], failure: &[&str], gone: &[&str], when_gone: WaitState) -> WaitState {{\n\
         match status {{\n\
         None => when_gone,\n\
         Some(Some(s)) if gone.contains(&s) => when_gone,\n\
         Some(Some(s)) if success.contains(&s) => WaitState::Success,\n\
         Some(Some(s)) if failure.contains(&s) => WaitState::Failure,\n\
         Some(_) => WaitState::Retry,\n\
         }}\n\
         }}\n\n\
         /// Sets the defaults every waiter shares.\n\
         fn defaults<A: aliapi_core::RpcAction + Clone>(waiter: Waiter<A>) -> Waiter<A>\n\
         where\n\
         A::Response: Clone + std::fmt::Debug,\n\
         {{\n\
         waiter\n\
         .min_delay(Duration::from_secs(2))\n\
         .max_delay(Duration::from_secs(30))\n\
         .timeout(Duration::from_secs(600))\n\
         }}\n"
    );
    for w in of(target.product) {
        waiter_fn(plan, krate, w, &mut o)?;
    }
    Ok(o)
}

fn waiter_fn(plan: &Plan, krate: &str, w: &Row, o: &mut String) -> Result<(), String> {
    let err = |e: String| format!("waiter `{}`: {e}", w.name);
    let op = plan
        .ops
        .iter()
        .position(|p| p.op.name == w.poll)
        .ok_or_else(|| err(format!("no operation `{}`", w.poll)))?;
    let p = &plan.ops[op];
    let module = &p.module;
    let poll = w.poll;

    // The request: required params through `new`, the others by setter.
    let field_of = |wire: &str| {
        p.params
            .iter()
            .find(|f| f.param.name == wire)
            .ok_or_else(|| err(format!("`{poll}` has no param `{wire}`")))
    };
    let mut new_args = Vec::new();
    for f in p.params.iter().filter(|f| f.param.required) {
        let id = w
            .ids
            .iter()
            .find(|id| matches!(id, Id::Param(wire, _, _) if *wire == f.param.name))
            .ok_or_else(|| {
                err(format!(
                    "required param `{}` is not an identifier",
                    f.param.name
                ))
            })?;
        if !matches!(f.field.ty, RType::String | RType::Enum(_)) {
            return Err(err(format!(
                "required param `{}` is not a string",
                f.param.name
            )));
        }
        new_args.push(format!("Into::<String>::into({})", id.arg()));
    }
    let mut setters = String::new();
    for id in w.ids {
        match *id {
            Id::Param(wire, arg, _) | Id::One(wire, arg, _) => {
                let f = field_of(wire)?;
                if f.param.required {
                    continue;
                }
                let value = match (&f.field.ty, id) {
                    (RType::String | RType::Enum(_), Id::Param(..)) => {
                        format!("Into::<String>::into({arg})")
                    }
                    (RType::Vec(t), Id::One(..))
                        if matches!(**t, RType::String | RType::Enum(_)) =>
                    {
                        format!("[Into::<String>::into({arg})]")
                    }
                    (other, _) => return Err(err(format!("param `{wire}` has type {other:?}"))),
                };
                let _ = write!(setters, ".{}({value})", f.field.ident);
            }
            Id::Filter(key, arg, _) => {
                let f = field_of("Filter")?;
                let Some(elem) = f.field.ty.def().filter(|_| f.field.ty.is_collection()) else {
                    return Err(err("`Filter` is not a list of objects".into()));
                };
                let fields = &plan.ty(elem).fields;
                let key_f = fields.iter().find(|x| x.wire == "Key");
                let value_f = fields.iter().find(|x| x.wire == "Value");
                let (Some(key_f), Some(value_f)) = (key_f, value_f) else {
                    return Err(err("`Filter` has no `Key` and `Value`".into()));
                };
                let ty = plan.field_type(Some(op), None, &f.field);
                let ty = ty
                    .strip_prefix("Vec<")
                    .and_then(|t| t.strip_suffix('>'))
                    .ok_or_else(|| err(format!("`Filter` is `{ty}`")))?;
                let rest = if fields.len() > 2 {
                    ", ..Default::default()"
                } else {
                    ""
                };
                let _ = write!(
                    setters,
                    ".{}([crate::{module}::{ty} {{ {}: Some({key:?}.into()), {}: vec![{arg}.into()]{rest} }}])",
                    f.field.ident, key_f.ident, value_f.ident
                );
            }
        }
    }

    // The status: `Option<Option<&str>>`, the outer `None` when gone.
    let path = paging::resolve_path(plan, op, w.status).map_err(err)?;
    let leaf = match &path.field.ty {
        RType::String => ".as_deref()",
        RType::Enum(_) => ".as_ref().map(|s| s.as_str())",
        other => return Err(err(format!("status `{}` has type {other:?}", w.status))),
    };
    // `Option<&str>` for the status at `steps` (the last one its field).
    let read = |root: &str, steps: &[Step]| -> Result<String, String> {
        match steps.split_last() {
            Some((Step::Opt(f), [])) => Ok(format!("{root}.{f}{leaf}")),
            Some((Step::Opt(f), init)) => Ok(format!(
                "{}.and_then(|v| v.{f}{leaf})",
                paging::borrowed(root, init)
            )),
            _ => Err(err(format!("status `{}` is not a field", w.status))),
        }
    };
    let status = match path.steps.iter().position(|s| matches!(s, Step::First(_))) {
        None => format!("Some({})", read("r", &path.steps)?),
        Some(k) => format!(
            "{}.map(|v| {})",
            paging::borrowed("r", &path.steps[..=k]),
            read("v", &path.steps[k + 1..])?
        ),
    };
    let when_gone = match w.gone {
        Gone::Success => "WaitState::Success",
        Gone::Failure => "WaitState::Failure",
    };
    let gone_err = match w.gone_code {
        Some(code) => {
            let codes = crate::errors::codes(plan.spec)?;
            let name = crate::errors::name_of(&codes, code).map_err(err)?;
            format!("Err(e) if e.is(crate::errors::{name}) => {when_gone},\n")
        }
        None => String::new(),
    };
    let list = |v: &[&str]| {
        let items: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
        format!("&[{}]", items.join(", "))
    };

    // The docs.
    let mut doc = format!("Waits for {}.\n\n", w.about);
    let ids: Vec<String> = w.ids.iter().map(|id| id.markdown()).collect();
    let _ = writeln!(
        doc,
        "Polls [`{poll}`](crate::{module}::{poll}) by {}, reading the status at `{}`; the resource is gone when {}.\n",
        ids.join(", "),
        w.status,
        w.gone_text()
    );
    let success = match w.gone {
        Gone::Success => "the resource is gone".to_owned(),
        Gone::Failure => format!("status {}", ticked(w.success)),
    };
    let mut failure = Vec::new();
    if !w.failure.is_empty() {
        failure.push(format!("status {}", ticked(w.failure)));
    }
    if w.gone == Gone::Failure {
        failure.push("the resource is gone".to_owned());
    }
    failure.push("any other error".to_owned());
    let _ = writeln!(
        doc,
        "- Success: {success}.\n- Failure: {}.\n- Any other status: poll again.\n",
        failure.join("; ")
    );
    let args: Vec<String> = w
        .ids
        .iter()
        .map(|id| format!("{:?}", id.sample()))
        .collect();
    // `example<T>`: type-checked, never compiled to code (see the
    // operations' examples in `emit.rs`).
    let _ = write!(
        doc,
        "# Example\n\n```no_run\n# async fn example<T>(client: &aliapi_core::Client) -> Result<(), Box<dyn std::error::Error>> {{\nuse std::time::Duration;\n\nlet done = {krate}::waiters::{}(client, {})\n    .timeout(Duration::from_secs(300))\n    .wait()\n    .await?;\nprintln!(\"after {{}} polls\", done.poll);\n# Ok(())\n# }}\n```\n",
        w.name,
        args.join(", ")
    );
    for line in doc.trim_end().lines() {
        if line.is_empty() {
            o.push_str("///\n");
        } else {
            let _ = writeln!(o, "/// {line}");
        }
    }
    let params: Vec<String> = w
        .ids
        .iter()
        .map(|id| format!("{}: impl Into<String>", id.arg()))
        .collect();
    let _ = writeln!(
        o,
        "pub fn {}(client: &Client, {}) -> Waiter<crate::{poll}> {{\n\
         let request = crate::{poll}::new({}){setters};\n\
         defaults(Waiter::new(client, request, |answer| match answer {{\n\
         Ok(r) => judge({status}, {}, {}, {}, {when_gone}),\n\
         {gone_err}\
         Err(_) => WaitState::Failure,\n\
         }}))\n\
         }}\n",
        w.name,
        params.join(", "),
        new_args.join(", "),
        list(w.success),
        list(w.failure),
        list(w.gone_states),
    );
    Ok(())
}
