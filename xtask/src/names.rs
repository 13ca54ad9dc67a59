//! Turning wire names into Rust names.

/// Splits a wire name such as `DescribeCdnSSLCertificateList`, `IPV4s` or
/// `ipv6CidrBlock` into lowercase words.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            i += 1;
            continue;
        }
        if c.is_ascii_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next = chars.get(i + 1).copied();
            let after = chars.get(i + 2).copied();
            // `SANs`, `IPs`: a plural `s` closes an acronym rather than
            // starting a word.
            let plural_s = next == Some('s') && after.is_none_or(|a| a.is_ascii_uppercase());
            let starts_word = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase()
                    && next.is_some_and(|n| n.is_ascii_lowercase())
                    && !plural_s);
            if starts_word {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c.to_ascii_lowercase());
        i += 1;
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `snake_case`, as a Rust identifier (raw for keywords).
pub fn snake_ident(name: &str) -> String {
    let s = words(name).join("_");
    if is_keyword(&s) { format!("r#{s}") } else { s }
}

/// The file/module name of an operation.
pub fn snake(name: &str) -> String {
    words(name).join("_")
}

fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

/// Whether `s` can be a Rust identifier at all (`self`, `super` and `Self`
/// cannot be raw).
pub fn check_ident(s: &str) -> Result<(), String> {
    let bare = s.strip_prefix("r#").unwrap_or(s);
    let ok = !bare.is_empty()
        && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !bare.starts_with(|c: char| c.is_ascii_digit())
        && !matches!(bare, "self" | "super" | "crate" | "Self" | "_");
    if ok {
        Ok(())
    } else {
        Err(format!("`{s}` is not a usable identifier"))
    }
}

/// The name serde's `rename_all = "PascalCase"` and `#[rpc_action]` give a
/// field by default: `r#` dropped, the first letter of each `_`-separated
/// word upper-cased, everything else kept.
pub fn pascal(ident: &str) -> String {
    let ident = ident.strip_prefix("r#").unwrap_or(ident);
    let mut out = String::with_capacity(ident.len());
    let mut word_start = true;
    for c in ident.chars() {
        if c == '_' {
            word_start = true;
        } else if word_start {
            out.push(c.to_ascii_uppercase());
            word_start = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a field named after `wire` needs an explicit rename: its
/// identifier, put back through the default casing, must give `wire` again.
pub fn needs_rename(wire: &str) -> bool {
    pascal(&snake_ident(wire)) != wire
}

/// The `rename_all` casings the generator uses for structs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Casing {
    /// `PascalCase`: `domain_name` is `DomainName` (also the macro's).
    Pascal,
    /// `camelCase`: `domain_name` is `domainName`.
    Camel,
}

impl Casing {
    pub fn serde_name(self) -> &'static str {
        match self {
            Casing::Pascal => "PascalCase",
            Casing::Camel => "camelCase",
        }
    }

    /// The name serde gives field `ident` under this casing.
    pub fn apply(self, ident: &str) -> String {
        let p = pascal(ident);
        match self {
            Casing::Pascal => p,
            Casing::Camel => {
                let mut c = p.chars();
                match c.next() {
                    Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
                    None => p,
                }
            }
        }
    }

    /// Whether a field of wire name `wire` needs a `rename` under it.
    pub fn needs_rename(self, wire: &str) -> bool {
        self.apply(&snake_ident(wire)) != wire
    }

    /// The casing under which the most of `wires` need no rename (`None`
    /// when none would use it); PascalCase on a tie.
    pub fn best<'a>(wires: impl Iterator<Item = &'a str> + Clone) -> Option<Casing> {
        let fits = |c: Casing| wires.clone().filter(|w| !c.needs_rename(w)).count();
        let (pascal, camel) = (fits(Casing::Pascal), fits(Casing::Camel));
        match (pascal, camel) {
            (0, 0) => None,
            (p, c) if c > p => Some(Casing::Camel),
            _ => Some(Casing::Pascal),
        }
    }
}

/// A wire name as a Rust type name, acronyms as words: `CDNTask` gives
/// `CdnTask`, `ipv6CidrBlock` gives `Ipv6CidrBlock`.
pub fn type_name(wire: &str) -> String {
    words(wire).iter().map(|w| capitalized(w)).collect()
}

fn capitalized(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// The name of one element of a list named `name` (a type name): the last
/// word made singular, or a trailing `List` dropped (`UrlList` gives `Url`,
/// `TrafficMarkingPolicies` gives `TrafficMarkingPolicy`). A name that does
/// not look plural is kept.
pub fn singular(name: &str) -> String {
    let ws = words(name);
    let Some((last, init)) = ws.split_last() else {
        return name.to_owned();
    };
    if last == "list" && !init.is_empty() {
        return init.iter().map(|w| capitalized(w)).collect();
    }
    let one = singular_word(last);
    init.iter()
        .map(|w| capitalized(w))
        .chain(std::iter::once(capitalized(&one)))
        .collect()
}

pub fn singular_word(w: &str) -> String {
    const KEEP: &[&str] = &[
        "status", "bps", "qps", "alias", "address", "ss", "us", "is", "data",
    ];
    if w.len() <= 2 || KEEP.iter().any(|k| w.ends_with(k)) {
        return w.to_owned();
    }
    for (plural, one) in [
        ("ies", "y"),
        ("sses", "ss"),
        ("uses", "us"),
        ("xes", "x"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("aliases", "alias"),
        ("addresses", "address"),
    ] {
        if let Some(stem) = w.strip_suffix(plural) {
            return format!("{stem}{one}");
        }
    }
    match w.strip_suffix('s') {
        Some(stem) => stem.to_owned(),
        None => w.to_owned(),
    }
}

/// Joins a qualifier and a name, dropping a word they share at the seam:
/// `DomainHitRateData` and `DataModule` give `DomainHitRateDataModule`.
pub fn qualified(qualifier: &str, name: &str) -> String {
    let q = words(qualifier);
    let n = words(name);
    let skip = usize::from(q.last().is_some_and(|l| n.first() == Some(l)));
    q.iter()
        .chain(n.iter().skip(skip))
        .map(|w| capitalized(w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_of_wire_names() {
        let cases = [
            ("DomainName", "domain_name"),
            (
                "DescribeCdnSSLCertificateList",
                "describe_cdn_ssl_certificate_list",
            ),
            ("IPV4s", "ipv4s"),
            ("SANs", "sans"),
            ("FCTriggers", "fc_triggers"),
            ("VSwitchId", "v_switch_id"),
            ("ipv6CidrBlock", "ipv6_cidr_block"),
            (
                "TransitRouterVPCAttachmentOptions",
                "transit_router_vpc_attachment_options",
            ),
            ("GeographicRegionAId", "geographic_region_a_id"),
            ("MultiRegionECMP", "multi_region_ecmp"),
            ("AvgRTPerInterval", "avg_rt_per_interval"),
            ("createTime", "create_time"),
            ("Http2", "http2"),
            ("IP", "ip"),
        ];
        for (wire, want) in cases {
            assert_eq!(snake(wire), want, "{wire}");
        }
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(snake_ident("Type"), "r#type");
        assert_eq!(snake_ident("Types"), "types");
        assert!(check_ident("r#type").is_ok());
        assert!(check_ident("self").is_err());
    }

    #[test]
    fn default_casing_round_trips_most_wire_names() {
        for wire in [
            "DomainName",
            "OwnerId",
            "Type",
            "VSwitchId",
            "Http2",
            "PageNumber",
        ] {
            assert!(!needs_rename(wire), "{wire}");
        }
        // Acronyms and camelCase do not survive snake_case and back.
        for wire in [
            "SSLProtocol",
            "IPV4s",
            "ipv6CidrBlock",
            "createTime",
            "SANs",
            "FCTriggers",
        ] {
            assert!(needs_rename(wire), "{wire}");
        }
        assert_eq!(pascal("r#type"), "Type");
        assert_eq!(Casing::Camel.apply("create_time"), "createTime");
        assert!(!Casing::Camel.needs_rename("status"));
        assert_eq!(
            Casing::best(["createTime", "status", "Key"].into_iter()),
            Some(Casing::Camel)
        );
        assert_eq!(
            Casing::best(["Key", "Value"].into_iter()),
            Some(Casing::Pascal)
        );
        assert_eq!(Casing::best(["SSLProtocol"].into_iter()), None);
        assert_eq!(pascal("ipv6_cidr_block"), "Ipv6CidrBlock");
    }

    #[test]
    fn type_names_treat_acronyms_as_words() {
        assert_eq!(type_name("CDNTask"), "CdnTask");
        assert_eq!(type_name("ipv6CidrBlock"), "Ipv6CidrBlock");
        assert_eq!(type_name("PageData"), "PageData");
        assert_eq!(type_name("FCTrigger"), "FcTrigger");
    }

    #[test]
    fn list_elements_are_singular() {
        for (list, one) in [
            ("Domains", "Domain"),
            ("UrlList", "Url"),
            ("TrafficMarkingPolicies", "TrafficMarkingPolicy"),
            ("VSwitches", "VSwitch"),
            ("IpStatus", "IpStatus"),
            ("Tag", "Tag"),
            ("CnameDatas", "CnameData"),
            ("RouteEntries", "RouteEntry"),
            ("Addresses", "Address"),
            ("List", "List"),
        ] {
            assert_eq!(singular(list), one, "{list}");
        }
    }

    #[test]
    fn qualified_names_share_the_seam_word() {
        assert_eq!(
            qualified("DomainHitRateData", "DataModule"),
            "DomainHitRateDataModule"
        );
        assert_eq!(qualified("Domain", "Source"), "DomainSource");
    }
}
