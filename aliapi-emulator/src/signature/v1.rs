//! The v1 signature: HMAC-SHA1 over every param but `Signature`, sorted.

use aliapi_wire::v1::{signature, string_to_sign};

use super::{constant_time_eq, mismatch};
use crate::incoming::Method;
use crate::params::Params;
use crate::refusal::gateway::MISSING_SIGNATURE;
use crate::reply::ApiError;

/// Checks the `Signature` param of a request sent with `method`.
pub(crate) fn check(method: Method, params: &Params, secret: &str) -> Result<(), ApiError> {
    let Some(given) = params.get("Signature").filter(|v| !v.is_empty()) else {
        return Err(MISSING_SIGNATURE.error());
    };
    let sts = string_to_sign(method.as_str(), params.iter());
    if constant_time_eq(signature(secret, &sts).as_bytes(), given.as_bytes()) {
        Ok(())
    } else {
        Err(mismatch(&sts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The verified vector of PROTOCOL.md §2, which every official SDK
    /// agrees on.
    #[test]
    fn the_reference_vector_passes_and_a_changed_param_does_not() {
        let mut pairs = vec![
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
            ("Signature", "OLeaidS1JvxuMvnyHOwuJ+uX5qY="),
        ];
        assert_eq!(
            check(
                Method::Get,
                &Params::from_pairs(pairs.clone()),
                "testsecret"
            ),
            Ok(())
        );
        let err = check(
            Method::Post,
            &Params::from_pairs(pairs.clone()),
            "testsecret",
        )
        .unwrap_err();
        assert_eq!(err.code, "SignatureDoesNotMatch");
        assert!(
            err.message
                .contains("server string to sign is:POST&%2F&AccessKeyId")
        );
        pairs[2].1 = "JSON";
        let err = check(
            Method::Get,
            &Params::from_pairs(pairs.clone()),
            "testsecret",
        )
        .unwrap_err();
        assert_eq!(err.code, "SignatureDoesNotMatch");
        pairs.pop();
        let err = check(Method::Get, &Params::from_pairs(pairs), "testsecret").unwrap_err();
        assert_eq!(err.code, "MissingSignature");
    }
}
