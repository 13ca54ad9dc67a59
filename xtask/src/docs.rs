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
    ("vip", "VIP"),
    ("vips", "VIPs"),
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
    if is_plural(word)
        || word.ends_with("data")
        || word.ends_with("info")
        || word.ends_with("status")
    {
        word.to_owned()
    } else if let Some(stem) = word
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o', 'u']))
    {
        format!("{stem}ies")
    } else if word.ends_with("ch") || word.ends_with('x') || word.ends_with("ss") {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

fn is_plural(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    names::singular_word(&lower) != lower
}

/// Words that start the part of a name saying where or how, not what.
const PREPOSITIONS: &[&str] = &["by", "for", "in", "with", "from", "to", "into", "of", "on"];

/// Names whose words do not make a sentence: the first is not a verb.
const IRREGULAR: &[(&str, &str)] = &[
    (
        "CdnMigrateRegister",
        "Registers a domain for migration to CDN.",
    ),
    ("DescribeCens", "Lists the CEN instances."),
    (
        "ListGrantVSwitchEnis",
        "Lists the elastic network interfaces (ENIs) in a vSwitch granted to a CEN instance.",
    ),
    (
        "DescribeCdnDomainLogsExTtl",
        "Lists the log files of a CDN domain for a time range, page by page.",
    ),
    ("DescribeCdnSubList", "Lists the CDN report subscriptions."),
    (
        "DescribeCdnDeliverList",
        "Lists the CDN report delivery tasks.",
    ),
    (
        "DescribeCdnSecFuncInfo",
        "Reads information on a CDN security function.",
    ),
    (
        "ModifyCdnDomainSchdmByProperty",
        "Changes a scheduling property of a CDN domain, such as its coverage.",
    ),
    (
        "DescribeRealtimeDeliveryAcc",
        "Reads the statistics of real-time log delivery over a time range.",
    ),
    (
        "PublishStagingConfigToProduction",
        "Publishes a domain's staging configuration to production.",
    ),
    ("ChangeCdnDomainToDcdn", "Moves a CDN domain to DCDN."),
    (
        "MoveResourceGroup",
        "Moves a resource into another resource group.",
    ),
    (
        "DescribeCdnDomainByCertificate",
        "Lists the CDN domains a certificate matches.",
    ),
];

/// An object: its words up to the first preposition, and the rest
/// (`to a traffic marking policy`), articles added where prose wants them.
struct Object {
    head: Vec<String>,
    tail: Vec<String>,
}

impl Object {
    fn new(words: &[String]) -> Object {
        let at = words
            .iter()
            .position(|w| PREPOSITIONS.contains(&w.as_str()))
            .filter(|&i| i > 0)
            .unwrap_or(words.len());
        let mut tail = Vec::new();
        for (i, w) in words[at..].iter().enumerate() {
            tail.push(w.clone());
            let next = words.get(at + i + 1);
            if ["from", "to", "with", "into"].contains(&w.as_str())
                && let Some(next) = next
            {
                tail.push(if next == "CEN" || next == "CDN" {
                    "the".into()
                } else {
                    article(next).into()
                });
            }
        }
        Object {
            head: words[..at].to_vec(),
            tail,
        }
    }

    fn plural(&self) -> bool {
        self.head
            .last()
            .is_some_and(|w| is_plural(w) || w == "list")
    }

    /// The head with its last noun plural (and a trailing "list" dropped).
    fn pluralized(&self) -> Object {
        let mut head = self.head.clone();
        if head.last().is_some_and(|w| w == "list") && head.len() > 1 {
            head.pop();
        }
        if let Some(last) = head.last_mut() {
            *last = plural(last);
        }
        Object {
            head,
            tail: self.tail.clone(),
        }
    }

    /// "the domains of your account", "the CDN service by ID".
    fn definite(&self) -> String {
        self.phrase("the", "of")
    }

    /// "a CDN deliver task", "a data export task for your account".
    fn indefinite(&self) -> String {
        if self.plural() {
            return self.phrase("", "for");
        }
        let first = self
            .head
            .iter()
            .find(|w| *w != "user")
            .map_or("", String::as_str);
        self.phrase(article(first), "for")
    }

    fn phrase(&self, article: &str, yours: &str) -> String {
        let (head, account) = match self.head.split_first() {
            Some((user, rest)) if user == "user" && !rest.is_empty() => {
                (rest.to_vec(), format!(" {yours} your account"))
            }
            _ => (self.head.clone(), String::new()),
        };
        let mut out = if article.is_empty() {
            String::new()
        } else {
            format!("{article} ")
        };
        out.push_str(&head.join(" "));
        out.push_str(&account);
        if !self.tail.is_empty() {
            out.push(' ');
            out.push_str(&self.tail.join(" "));
        }
        if out.is_empty() { "it".into() } else { out }
    }
}

/// "a" or "an" before `word`, acronyms spelled out ("an SSL", "a CDN").
fn article(word: &str) -> &'static str {
    let acronym = word.len() > 1 && word.chars().take(2).all(|c| c.is_ascii_uppercase());
    let vowel_sound = if acronym {
        word.starts_with(['A', 'E', 'F', 'H', 'I', 'L', 'M', 'N', 'O', 'R', 'S', 'X'])
    } else {
        word.starts_with(['a', 'e', 'i', 'o'])
    };
    if vowel_sound { "an" } else { "a" }
}

/// One sentence, in the generator's own words, saying what `op` does.
pub fn summary(op: &Operation) -> String {
    if let Some((_, text)) = IRREGULAR.iter().find(|(n, _)| *n == op.name) {
        return (*text).to_owned();
    }
    let words = prose_words(&op.name);
    let page = if op.pagination.is_some() {
        ", a page at a time"
    } else {
        ""
    };
    let Some((verb, rest)) = words.split_first() else {
        return "Calls the action.".into();
    };
    let mut verb = verb_s(verb);
    let mut rest = rest.to_vec();
    // `ResolveAndRouteServiceInCen`: two verbs.
    if rest.first().is_some_and(|w| w == "and") && rest.len() > 2 {
        verb = format!("{verb} and {}", verb_s(&rest[1]).to_ascii_lowercase());
        rest.drain(..2);
    }
    let object = Object::new(&rest);
    let sentence = match words[0].as_str() {
        "describe" | "get" | "list"
            if op.pagination.is_some() || object.plural() || words[0] == "list" =>
        {
            format!("Lists {}{page}", object.pluralized().definite())
        }
        "describe" | "get" => format!("Reads {}", object.definite()),
        "batch" => match rest.split_first() {
            Some((inner, more)) => {
                let inner_object = Object::new(more).pluralized();
                format!(
                    "{} several {} in one call",
                    verb_s(inner),
                    inner_object.phrase("", "of")
                )
            }
            None => "Runs a batch".into(),
        },
        "check" if rest.last().is_some_and(|w| w == "exist") => {
            format!(
                "Checks whether {} exists",
                Object::new(&rest[..rest.len() - 1]).definite()
            )
        }
        "temp" if rest.first().is_some_and(|w| w == "upgrade") => {
            format!(
                "Upgrades {} for a limited time",
                Object::new(&rest[1..]).definite()
            )
        }
        "create" | "add" | "generate" | "register" => format!("{verb} {}", object.indefinite()),
        _ => format!("{verb} {}{page}", object.definite()),
    };
    format!("{sentence}.")
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
    let ending = if verb.ends_with("ch")
        || verb.ends_with("sh")
        || verb.ends_with('x')
        || verb.ends_with('s')
    {
        "es"
    } else {
        "s"
    };
    format!("{first}{}{ending}", c.as_str())
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
            (
                "AttachCenChildInstance",
                false,
                "Attaches the CEN child instance.",
            ),
            (
                "ResolveAndRouteServiceInCen",
                false,
                "Resolves and routes the service in CEN.",
            ),
            (
                "DescribeCdnMigrateRegisterStatus",
                false,
                "Reads the CDN migrate register status.",
            ),
            (
                "CreateUserUsageDataExportTask",
                false,
                "Creates a usage data export task for your account.",
            ),
            ("ListFCTrigger", false, "Lists the FC triggers."),
            (
                "DescribeUserVipsByDomain",
                false,
                "Lists the VIPs of your account by domain.",
            ),
            (
                "RemoveTrafficMatchRuleFromTrafficMarkingPolicy",
                false,
                "Removes the traffic match rule from a traffic marking policy.",
            ),
            (
                "CreateCenChildInstanceRouteEntryToCen",
                false,
                "Creates a CEN child instance route entry to the CEN.",
            ),
            (
                "CdnMigrateRegister",
                false,
                "Registers a domain for migration to CDN.",
            ),
        ] {
            assert_eq!(summary(&op(name, paged)), want, "{name}");
        }
    }
}
