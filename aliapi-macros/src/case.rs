//! Wire names derived from Rust field names.

/// The PascalCase wire name of a snake_case field: `domain_name` becomes
/// `DomainName`. A raw identifier prefix (`r#type`) is dropped first, and
/// letters other than the first of each word keep their case, so a field
/// that is already PascalCase stays as it is.
pub fn pascal_case(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    let mut out = String::with_capacity(field.len());
    let mut word_start = true;
    for c in field.chars() {
        if c == '_' {
            word_start = true;
        } else if word_start {
            out.extend(c.to_uppercase());
            word_start = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pascal_case;

    #[test]
    fn snake_case_becomes_pascal_case() {
        assert_eq!(pascal_case("domain_name"), "DomainName");
        assert_eq!(pascal_case("owner_id"), "OwnerId");
        assert_eq!(pascal_case("r#type"), "Type");
        assert_eq!(pascal_case("ipv6_enabled"), "Ipv6Enabled");
        assert_eq!(pascal_case("page_size_2"), "PageSize2");
        assert_eq!(pascal_case("_leading__double_"), "LeadingDouble");
        assert_eq!(pascal_case("DomainName"), "DomainName");
        assert_eq!(pascal_case("x"), "X");
    }
}
