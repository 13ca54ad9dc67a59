//! The official error catalogue applied to an operation's refusals.
//!
//! A product's merged spec carries the error codes Alibaba Cloud's API
//! metadata documents, each with one or more variants (an HTTP status and
//! a message) and the operations that document each variant. A refusal of
//! an operation whose code the catalogue has is answered with the
//! variant documented for that operation, or with the code's first
//! variant when the operation documents none; the message is the
//! metadata's, exactly. A code the catalogue lacks keeps the status and
//! message of its [`Refusal`](crate::refusal::Refusal).
//!
//! The gateway's refusals never come here (see
//! [`refusal::gateway`](crate::refusal::gateway)).

use aliapi_spec::Spec;
use aliapi_spec::facts::ErrorVariant;

use crate::reply::ApiError;

/// The variant of `code` the catalogue of `spec` documents for
/// `operation`, else the code's first; `None` when the catalogue does not
/// have the code.
pub fn documented_variant<'s>(
    spec: &'s Spec,
    operation: &str,
    code: &str,
) -> Option<&'s ErrorVariant> {
    let variants = &spec.errors.codes.get(code)?.variants;
    variants
        .iter()
        .find(|v| v.operations.iter().any(|op| op == operation))
        .or_else(|| variants.first())
}

/// `err`, a refusal of `operation`, as the catalogue of `spec` documents
/// its code; unchanged when the catalogue does not have the code.
pub fn official(spec: &Spec, operation: &str, err: ApiError) -> ApiError {
    match documented_variant(spec, operation, &err.code) {
        Some(v) => ApiError {
            status: v.http,
            message: v.message.clone(),
            code: err.code,
        },
        None => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operations_own_variant_else_the_first() {
        let cdn = aliapi_spec::cdn();
        let err = || ApiError::new(404, "InvalidDomain.NotFound", "ours");
        // Documented for this operation: its own status and message.
        let own = official(cdn, "DescribeDomainISPData", err());
        assert_eq!(
            (own.status, own.message.as_str()),
            (404, "The domain provided does not exist in our records.")
        );
        // Not documented for this one: the first variant.
        let first = &cdn.errors.codes["InvalidDomain.NotFound"].variants[0];
        let other = official(cdn, "DescribeCdnDomainDetail", err());
        assert_eq!((other.status, &other.message), (first.http, &first.message));
        assert_eq!(other.code, "InvalidDomain.NotFound");
        // A code the catalogue lacks keeps its answer.
        let kept = official(
            cdn,
            "AddCdnDomain",
            ApiError::new(400, "DomainAlreadyExist", "ours"),
        );
        assert_eq!((kept.status, kept.message.as_str()), (400, "ours"));
        // Messages are the metadata's, trailing whitespace included.
        let cbn = aliapi_spec::cbn();
        let tabbed = official(
            cbn,
            "CreateTransitRouterVbrAttachment",
            ApiError::new(409, "InvalidOperation.CenInstanceStatus", "ours"),
        );
        assert_eq!(
            (tabbed.status, tabbed.message.as_str()),
            (
                400,
                "The CEN instance is not in a valid state for the operation.\t"
            )
        );
    }
}
