//! Where a product's API is served, and how overrides win over the rule.

use std::collections::HashMap;

/// A product's endpoint rule: one central host, plus the hosts of regions
/// that are served elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointRule {
    central: &'static str,
    regional: &'static [(&'static str, &'static str)],
}

impl EndpointRule {
    /// Every region is served by `host`, e.g. `cbn.aliyuncs.com`.
    pub const fn central(host: &'static str) -> Self {
        EndpointRule {
            central: host,
            regional: &[],
        }
    }

    /// Regions listed in `regional` (region id, host) go to their host; all
    /// others to `central`.
    pub const fn regional(
        central: &'static str,
        regional: &'static [(&'static str, &'static str)],
    ) -> Self {
        EndpointRule { central, regional }
    }

    /// The host serving `region` (the central host when no region is set).
    pub fn host_for(&self, region: Option<&str>) -> &'static str {
        region
            .and_then(|r| self.regional.iter().find(|(id, _)| *id == r))
            .map_or(self.central, |(_, host)| host)
    }
}

/// Endpoint overrides: full base URLs such as `http://127.0.0.1:8080`, for
/// every product or for one product code (matched case-insensitively).
#[derive(Debug, Clone, Default)]
pub(crate) struct EndpointOverrides {
    pub(crate) all: Option<String>,
    pub(crate) by_product: HashMap<String, String>,
}

/// The env variable naming the override for every product.
pub(crate) const ENDPOINT_URL_ENV: &str = "ALIBABA_CLOUD_ENDPOINT_URL";

impl EndpointOverrides {
    /// Reads `ALIBABA_CLOUD_ENDPOINT_URL` and every
    /// `ALIBABA_CLOUD_ENDPOINT_URL_<PRODUCT>` among `vars`.
    pub(crate) fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut found = EndpointOverrides::default();
        for (key, value) in vars {
            if value.trim().is_empty() {
                continue;
            }
            if key == ENDPOINT_URL_ENV {
                found.all = Some(value);
            } else if let Some(product) = key.strip_prefix("ALIBABA_CLOUD_ENDPOINT_URL_") {
                found.by_product.insert(product.to_ascii_uppercase(), value);
            }
        }
        found
    }

    /// Overrides from `other` win over ours.
    pub(crate) fn merge(&mut self, other: EndpointOverrides) {
        if other.all.is_some() {
            self.all = other.all;
        }
        self.by_product.extend(other.by_product);
    }

    /// The override for `product`: its own, else the general one.
    pub(crate) fn override_for(&self, product: &str) -> Option<&str> {
        let own = self.by_product.get(&product.to_ascii_uppercase());
        own.or(self.all.as_ref())
            .map(|url| url.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CDN: EndpointRule = EndpointRule::regional(
        "cdn.aliyuncs.com",
        &[
            ("ap-southeast-1", "cdn.ap-southeast-1.aliyuncs.com"),
            ("eu-west-1", "cdn.ap-southeast-1.aliyuncs.com"),
        ],
    );

    #[test]
    fn regional_rule_falls_back_to_central() {
        assert_eq!(
            CDN.host_for(Some("eu-west-1")),
            "cdn.ap-southeast-1.aliyuncs.com"
        );
        assert_eq!(CDN.host_for(Some("cn-hangzhou")), "cdn.aliyuncs.com");
        assert_eq!(CDN.host_for(None), "cdn.aliyuncs.com");
    }

    #[test]
    fn product_override_beats_general_override() {
        let mut o = EndpointOverrides::from_vars([
            (
                ENDPOINT_URL_ENV.to_owned(),
                "http://127.0.0.1:1/".to_owned(),
            ),
            ("UNRELATED".to_owned(), "x".to_owned()),
        ]);
        assert_eq!(o.override_for("Cdn"), Some("http://127.0.0.1:1"));
        o.merge(EndpointOverrides::from_vars([(
            "ALIBABA_CLOUD_ENDPOINT_URL_CDN".to_owned(),
            "http://127.0.0.1:2".to_owned(),
        )]));
        assert_eq!(o.override_for("cdn"), Some("http://127.0.0.1:2"));
        assert_eq!(o.override_for("Cbn"), Some("http://127.0.0.1:1"));
        assert_eq!(EndpointOverrides::default().override_for("Cdn"), None);
    }
}
