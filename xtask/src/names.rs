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

/// A shape name as a Rust type name: the spec's names are already
/// UpperCamelCase class names, so only the first letter is forced up.
pub fn type_name(name: &str) -> Result<String, String> {
    let mut out: String = name.chars().filter(|c| *c != '_').collect();
    if let Some(first) = out.get(0..1) {
        let up = first.to_ascii_uppercase();
        out.replace_range(0..1, &up);
    }
    if out.is_empty() || !out.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!("shape name `{name}` cannot be a type name"));
    }
    Ok(out)
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
    fn type_names_keep_their_casing() {
        assert_eq!(
            type_name("DescribeUserDomainsResponseBodyDomainsPageData").unwrap(),
            "DescribeUserDomainsResponseBodyDomainsPageData"
        );
        assert_eq!(type_name("fooBar").unwrap(), "FooBar");
        assert!(type_name("a-b").is_err());
    }
}
