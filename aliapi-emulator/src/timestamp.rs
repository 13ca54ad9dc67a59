//! The timestamp window: a request is judged against the emulator's clock,
//! as the service refuses a request signed too long before or after now.

use crate::clock::parse_timestamp;
use crate::refusal::gateway::{TIMESTAMP_EXPIRED, TIMESTAMP_MALFORMED};
use crate::reply::ApiError;

/// How far a request's `Timestamp` may be from the server's clock, and how
/// long a used `SignatureNonce` is remembered past its timestamp.
pub const TIMESTAMP_WINDOW_SECS: i64 = 15 * 60;

/// The request's time (seconds since the epoch) when `text` is well formed
/// and within the window around `now`.
pub(crate) fn check_timestamp(text: &str, now: i64) -> Result<i64, ApiError> {
    let Some(ts) = parse_timestamp(text) else {
        return Err(TIMESTAMP_MALFORMED.error());
    };
    if (now - ts).abs() > TIMESTAMP_WINDOW_SECS {
        return Err(TIMESTAMP_EXPIRED.error());
    }
    Ok(ts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_and_format() {
        let now = 1_456_231_584;
        assert_eq!(check_timestamp("2016-02-23T12:46:24Z", now), Ok(now));
        assert_eq!(
            check_timestamp("2016-02-23T12:46:24Z", now + TIMESTAMP_WINDOW_SECS),
            Ok(now)
        );
        let late = check_timestamp("2016-02-23T12:46:24Z", now + TIMESTAMP_WINDOW_SECS + 1);
        assert_eq!(late.unwrap_err().code, "InvalidTimeStamp.Expired");
        let early = check_timestamp("2016-02-23T12:46:24Z", now - TIMESTAMP_WINDOW_SECS - 1);
        assert_eq!(early.unwrap_err().code, "InvalidTimeStamp.Expired");
        let bad = check_timestamp("2016-02-23 12:46:24", now);
        assert_eq!(bad.unwrap_err().code, "InvalidTimeStamp.Format");
    }
}
