//! The refusals every operation can get from the check of its params
//! (and from the argument helpers product handlers share). They are
//! answered from the product's catalogue, which documents both codes for
//! both products.

use crate::reply::ApiError;

super::refusals! {
    /// A required param, or a required field of one, is absent; the
    /// detail is its wire name.
    MISSING_PARAMETER = (400, "MissingParameter", "The input parameter \"{}\" that is mandatory for processing this request is not supplied.");
    /// A param has a value the operation does not take; the details are
    /// its wire name and why.
    INVALID_PARAMETER = (400, "InvalidParameter", "The specified parameter \"{}\" is not valid: {}.");
}

/// A required param `name` is absent.
pub fn missing_param(name: &str) -> ApiError {
    MISSING_PARAMETER.with(&[name])
}

/// Param `name` has a value the operation does not take, for the reason
/// `why`.
pub fn invalid_param(name: &str, why: &str) -> ApiError {
    INVALID_PARAMETER.with(&[name, why])
}
