//! The gateway's refusals: what is refused before any product's logic
//! runs. They are answered as they are: a product's catalogue describes
//! what its operations answer, and where it names one of these codes it
//! means something else (CDN's `SignatureDoesNotMatch` is about
//! certificates), while the client's signature diagnosis reads the
//! `server string to sign is:` this message ends with.

super::refusals! {
    /// The key id is not one the emulator accepts.
    ACCESS_KEY_NOT_FOUND = (404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    /// A temporary key without its token.
    MISSING_SECURITY_TOKEN = (400, "MissingSecurityToken", "SecurityToken is mandatory for this action.");
    /// A temporary key with another token.
    SECURITY_TOKEN_MISMATCH = (400, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey.");
    /// The signature is not the one the emulator computes; the detail is
    /// the server's string to sign.
    SIGNATURE_MISMATCH = (400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:{}");
    /// A V3 request whose body hash header is not its body's.
    CONTENT_HASH_MISMATCH = (400, "SignatureDoesNotMatch", "The x-acs-content-sha256 header does not match the SHA-256 of the body.");
    /// A V3 `Authorization` header that cannot be read.
    MALFORMED_AUTHORIZATION = (400, "IncompleteSignature", "The Authorization header is not of the form ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=….");
    /// A V3 request that leaves a header it must sign unsigned.
    UNSIGNED_HEADER = (400, "IncompleteSignature", "The header {} must be signed.");
    /// A V3 request that signs a header it does not send.
    SIGNED_HEADER_ABSENT = (400, "IncompleteSignature", "The signed header {} is not in the request.");
    /// `Timestamp` not spelled `YYYY-MM-DDThh:mm:ssZ`.
    TIMESTAMP_MALFORMED = (400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.");
    /// `Timestamp` more than 15 minutes from the emulator's clock.
    TIMESTAMP_EXPIRED = (400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
    /// A nonce used before within the window.
    NONCE_USED = (400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    /// A nonce longer than the emulator remembers.
    NONCE_TOO_LONG = (400, "InvalidParameter", "The specified parameter \"{}\" is not valid: it must be at most {} bytes.");
    /// A query or body that is not percent-encoded correctly.
    MALFORMED_PARAMS = (400, "InvalidParameter", "The request carries a malformed percent-encoded name or value.");
    /// More params than one request may carry.
    TOO_MANY_PARAMS = (400, "InvalidParameter", "The request carries more than {} parameters.");
    /// A form body that is not UTF-8.
    BODY_NOT_UTF8 = (400, "InvalidParameter", "The request body is not UTF-8.");
    /// No `Action`.
    MISSING_ACTION = (400, "MissingAction", "Action is mandatory for this action.");
    /// No `Version`.
    MISSING_VERSION = (400, "MissingVersion", "Version is mandatory for this action.");
    /// No `AccessKeyId`.
    MISSING_ACCESS_KEY_ID = (400, "MissingAccessKeyId", "AccessKeyId is mandatory for this action.");
    /// No `Timestamp`.
    MISSING_TIMESTAMP = (400, "MissingTimestamp", "Timestamp is mandatory for this action.");
    /// No `SignatureNonce`.
    MISSING_SIGNATURE_NONCE = (400, "MissingSignatureNonce", "SignatureNonce is mandatory for this action.");
    /// No `SignatureMethod` (v1).
    MISSING_SIGNATURE_METHOD = (400, "MissingSignatureMethod", "SignatureMethod is mandatory for this action.");
    /// No `SignatureVersion` (v1).
    MISSING_SIGNATURE_VERSION = (400, "MissingSignatureVersion", "SignatureVersion is mandatory for this action.");
    /// No `Signature` (v1).
    MISSING_SIGNATURE = (400, "MissingSignature", "Signature is mandatory for this action.");
    /// A v1 signature method other than HMAC-SHA1.
    SIGNATURE_METHOD_UNSUPPORTED = (400, "InvalidSignatureMethod", "Specified signature method {} is not supported.");
    /// A v1 signature version other than 1.0.
    SIGNATURE_VERSION_UNSUPPORTED = (400, "InvalidSignatureVersion", "Specified signature version {} is not supported.");
    /// A version no registered product answers (or not the product of the
    /// `Host` endpoint).
    INVALID_VERSION = (400, "InvalidVersion", "Specified parameter Version is not valid.");
    /// An action the product does not have.
    ACTION_NOT_FOUND = (404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
    /// An HTTP method other than GET or POST.
    METHOD_UNSUPPORTED = (400, "UnsupportedHTTPMethod", "Specified HTTP method {} is not supported.");
    /// A body over the size limit.
    BODY_TOO_LARGE = (413, "RequestEntityTooLarge", "The request body is too large.");
    /// A body that did not arrive in time.
    BODY_TIMEOUT = (408, "RequestTimeout", "The request body did not arrive in time.");
    /// A request whose judging broke off.
    NOT_PROCESSED = (500, "InternalError", "The request could not be processed.");
    /// A change made in memory that the state file did not take.
    NOT_SAVED = (500, "InternalError", "The request was processed but the state could not be saved: {}");
    /// An injected fault: flow control.
    THROTTLED = (400, "Throttling.User", "Request was denied due to user flow control.");
    /// An injected fault: an outage.
    UNAVAILABLE = (503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.");
}
