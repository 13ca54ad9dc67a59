//! What CDN's operations refuse with. Codes the official catalogue
//! documents are answered as it says (see [`catalogue`](crate::catalogue));
//! the status and message here are what the others are answered with.

crate::refusal::refusals! {
    /// No such domain (or, for a write, one being deleted).
    DOMAIN_NOT_FOUND = (404, "InvalidDomain.NotFound", "The domain {} does not exist or does not belong to you.");
    /// The domain was added already.
    DOMAIN_EXISTS = (400, "DomainAlreadyExist", "The domain {} has already been added.");
    /// Not a domain name.
    DOMAIN_NAME_MALFORMED = (400, "InvalidDomainName.Malformed", "The domain name {} is not valid.");
    /// A `CdnType` other than web, download or video.
    CDN_TYPE_MALFORMED = (400, "InvalidCdnType.Malformed", "CdnType {} is not supported; use web, download or video.");
    /// A `Scope` other than domestic, overseas or global.
    SCOPE_MALFORMED = (400, "InvalidScope.Malformed", "Scope {} is not supported; use domestic, overseas or global.");
    /// `Sources` is not a JSON list of origins.
    SOURCES_MALFORMED = (400, "InvalidSources.Malformed", "The Sources parameter must be a JSON list of origins, each with content and type.");
    /// A `DomainSearchType` the listing does not know.
    SEARCH_TYPE_UNSUPPORTED = (400, "InvalidDomainSearchType.ValueNotSupported", "DomainSearchType {} is not supported; use fuzzy_match, pre_match, suf_match or full_match.");
    /// A `DomainStatus` filter that is no domain status.
    DOMAIN_STATUS_UNSUPPORTED = (400, "InvalidDomainStatus.ValueNotSupported", "DomainStatus {} is not a domain status.");
    /// A `PageNumber` below 1.
    PAGE_NUMBER_UNSUPPORTED = (400, "InvalidPageNumber.ValueNotSupported", "PageNumber must be a whole number from 1.");
    /// A `PageSize` out of range.
    PAGE_SIZE_UNSUPPORTED = (400, "InvalidPageSize.ValueNotSupported", "PageSize must be from 1 to {}.");
    /// `Functions` is not a JSON list of features.
    FUNCTIONS_MALFORMED = (400, "InvalidFunctions.Malformed", "The Functions parameter must be a JSON list of {functionName, functionArgs} objects.");
    /// An object path with no domain in it.
    OBJECT_PATH_MALFORMED = (400, "InvalidObjectPath.Malformed", "The object path {} does not name a domain.");
    /// A refresh `ObjectType` the service does not know.
    OBJECT_TYPE_MALFORMED = (400, "InvalidObjectType.Malformed", "ObjectType {} is not supported; use File, Directory, Regex or IgnoreParams.");
    /// Today's refresh quota of a kind is used up.
    REFRESH_QUOTA_EXCEEDED = (400, "QuotaExceeded.Refresh", "The refresh quota for {} is exhausted for today ({} a day).");
    /// Today's preload quota is used up.
    PRELOAD_QUOTA_EXCEEDED = (400, "QuotaExceeded.Preload", "The preload quota is exhausted for today ({} a day).");
}
