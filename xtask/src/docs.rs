//! The one line that says what an operation does, composed from its name
//! (verb and object) and the spec's facts. The wording is the generator's:
//! nothing is taken from Alibaba Cloud's documentation.

use aliapi_spec::Operation;

use crate::names;

/// Words written in capitals (or with their usual casing) in prose.
const ACRONYMS: &[(&str, &str)] = &[
    ("acl", "ACL"),
    ("api", "API"),
    ("arn", "ARN"),
    ("asn", "ASN"),
    ("asns", "ASNs"),
    ("bgp", "BGP"),
    ("bps", "BPS"),
    ("cc", "CC"),
    ("cdn", "CDN"),
    ("cen", "CEN"),
    ("cidr", "CIDR"),
    ("cidrs", "CIDRs"),
    ("cname", "CNAME"),
    ("csr", "CSR"),
    ("dcdn", "DCDN"),
    ("dns", "DNS"),
    ("ecr", "ECR"),
    ("es", "ES"),
    ("fc", "FC"),
    ("http", "HTTP"),
    ("https", "HTTPS"),
    ("icp", "ICP"),
    ("id", "ID"),
    ("ids", "IDs"),
    ("ip", "IP"),
    ("ipb", "IPB"),
    ("ips", "IPs"),
    ("ipv4", "IPv4"),
    ("ipv6", "IPv6"),
    ("isp", "ISP"),
    ("l2", "L2"),
    ("oss", "OSS"),
    ("pv", "PV"),
    ("qos", "QoS"),
    ("qps", "QPS"),
    ("ram", "RAM"),
    ("sc", "SC"),
    ("sm", "SM"),
    ("ssl", "SSL"),
    ("tls", "TLS"),
    ("url", "URL"),
    ("urls", "URLs"),
    ("uv", "UV"),
    ("vbr", "VBR"),
    ("vpc", "VPC"),
    ("vpn", "VPN"),
    ("vswitch", "vSwitch"),
    ("vswitches", "vSwitches"),
    ("waf", "WAF"),
];

/// An operation's name in words: `DescribeCdnSSLCertificateList` gives
/// `describe`, `CDN`, `SSL`, `certificate`, `list`.
fn prose_words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in names::words(name) {
        // `VSwitch` splits as `v` + `switch`.
        if w.starts_with("switch") && out.last().is_some_and(|l| l == "v") {
            out.pop();
            out.push(format!("v{w}"));
            continue;
        }
        out.push(w);
    }
    out.into_iter()
        .map(|w| match ACRONYMS.iter().find(|(k, _)| *k == w) {
            Some((_, up)) => (*up).to_owned(),
            None => w,
        })
        .collect()
}

fn plural(word: &str) -> String {
    if word.ends_with('s') || word.ends_with("data") || word.ends_with("info") {
        word.to_owned()
    } else if let Some(stem) = word
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o', 'u']))
    {
        format!("{stem}ies")
    } else if word.ends_with("ch") || word.ends_with('x') {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// "the domains of your account" from `UserDomains`; "the CDN service".
fn object_phrase(words: &[String]) -> String {
    match words {
        [] => "it".into(),
        [user, rest @ ..] if user == "user" && !rest.is_empty() => {
            format!("the {} of your account", rest.join(" "))
        }
        _ => format!("the {}", words.join(" ")),
    }
}

/// One sentence, in the generator's own words, saying what `op` does.
pub fn summary(op: &Operation) -> String {
    let words = prose_words(&op.name);
    let paged = op.pagination.is_some();
    let (verb, rest) = match words.split_first() {
        Some((v, rest)) => (v.as_str(), rest.to_vec()),
        None => ("", Vec::new()),
    };
    let page = if paged { ", a page at a time" } else { "" };
    let thing = object_phrase(&rest);
    let sentence = match verb {
        "describe" | "list"
            if paged || rest.last().is_some_and(|w| w.ends_with('s') || w == "list") =>
        {
            let mut rest = rest.clone();
            if rest.last().is_some_and(|w| w == "list") && rest.len() > 1 {
                rest.pop();
                if let Some(last) = rest.last_mut() {
                    *last = plural(last);
                }
            }
            format!("Lists {}{page}", object_phrase(&rest))
        }
        "describe" | "get" => format!("Reads {thing}{page}"),
        "list" => format!("Lists {thing}{page}"),
        "batch" => match rest.split_first() {
            Some((inner, object)) => {
                let mut object = object.to_vec();
                if let Some(last) = object.last_mut() {
                    *last = plural(last);
                }
                format!("{} several {} in one call", verb_s(inner), object.join(" "))
            }
            None => "Runs a batch".into(),
        },
        "check" if rest.last().is_some_and(|w| w == "exist") => {
            format!(
                "Checks whether {} exists",
                object_phrase(&rest[..rest.len() - 1])
            )
        }
        "temp" if rest.first().is_some_and(|w| w == "upgrade") => {
            format!("Upgrades {} for a limited time", object_phrase(&rest[1..]))
        }
        "create" | "add" | "generate" | "register" | "open" => {
            format!("{} {}", verb_s(verb), a_or_plural(&rest, verb))
        }
        other => format!("{} {thing}{page}", verb_s(other)),
    };
    format!("{sentence}.")
}

/// "a CDN deliver task", or "the ..." where a definite object reads better.
fn a_or_plural(rest: &[String], verb: &str) -> String {
    let thing = object_phrase(rest);
    if verb == "open"
        || rest.first().is_some_and(|w| w == "user")
        || rest.last().is_some_and(|w| w.ends_with('s'))
    {
        return thing;
    }
    let body = rest.join(" ");
    let first = rest.first().map_or("", String::as_str);
    // Acronyms are spelled out: "an SSL", "a CDN".
    let acronym = first.len() > 1 && first.chars().take(2).all(|c| c.is_ascii_uppercase());
    let vowel_sound = if acronym {
        first.starts_with(['A', 'E', 'F', 'H', 'I', 'L', 'M', 'N', 'O', 'R', 'S', 'X'])
    } else {
        first.starts_with(['a', 'e', 'i', 'o'])
    };
    format!("{} {body}", if vowel_sound { "an" } else { "a" })
}

/// The verb of an action name, in the third person.
fn verb_s(verb: &str) -> String {
    let known = match verb {
        "describe" | "get" => "Reads",
        "modify" => "Changes",
        "update" => "Updates",
        "enable" => "Turns on",
        "disable" => "Turns off",
        "active" => "Activates",
        "deactive" => "Deactivates",
        "rollback" => "Rolls back",
        "untag" => "Removes tags from",
        "unroute" => "Stops routing",
        "unassociate" | "disassociate" | "dissociate" => "Detaches",
        "deregister" => "Deregisters",
        "batch" => "Runs",
        "refresh" => "Refreshes",
        "push" => "Pushes",
        "publish" => "Publishes",
        "verify" => "Verifies",
        "withdraw" => "Withdraws",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    let mut c = verb.chars();
    let first = c
        .next()
        .map(|f| f.to_ascii_uppercase().to_string())
        .unwrap_or_default();
    format!("{first}{}s", c.as_str())
}

/// The link to the operation's page in Alibaba Cloud's API explorer.
pub fn reference_url(product: &str, version: &str, op: &str) -> String {
    format!("https://api.aliyun.com/api/{product}/{version}/{op}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(name: &str, paged: bool) -> Operation {
        let pagination = paged.then(|| aliapi_spec::Pagination::Page {
            page_number: "PageNumber".into(),
            page_size: None,
            response_page_number: None,
            response_page_size: None,
            total: None,
            items: "Items".into(),
        });
        Operation {
            name: name.into(),
            method: aliapi_spec::Method::Post,
            params: Vec::new(),
            response: format!("{name}ResponseBody"),
            pagination,
            deprecated: false,
            undocumented: false,
            added: false,
        }
    }

    #[test]
    fn sentences_from_names() {
        for (name, paged, want) in [
            (
                "DescribeUserDomains",
                true,
                "Lists the domains of your account, a page at a time.",
            ),
            (
                "DescribeCdnCertificateList",
                false,
                "Lists the CDN certificates.",
            ),
            ("DescribeCdnService", false, "Reads the CDN service."),
            ("StartCdnDomain", false, "Starts the CDN domain."),
            ("CreateCen", false, "Creates a CEN."),
            (
                "CreateTransitRouterVpcAttachment",
                false,
                "Creates a transit router VPC attachment.",
            ),
            (
                "BatchSetCdnDomainConfig",
                false,
                "Sets several CDN domain configs in one call.",
            ),
            (
                "CheckCdnDomainExist",
                false,
                "Checks whether the CDN domain exists.",
            ),
            ("ModifyCdnDomain", false, "Changes the CDN domain."),
            (
                "DisableCenVbrHealthCheck",
                false,
                "Turns off the CEN VBR health check.",
            ),
            (
                "ListTransitRouterMulticastDomainVSwitches",
                true,
                "Lists the transit router multicast domain vSwitches, a page at a time.",
            ),
            (
                "TempUpgradeCenBandwidthPackageSpec",
                false,
                "Upgrades the CEN bandwidth package spec for a limited time.",
            ),
            ("UntagResources", false, "Removes tags from the resources."),
        ] {
            assert_eq!(summary(&op(name, paged)), want, "{name}");
        }
    }
}
