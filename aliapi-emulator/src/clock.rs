//! Timestamps in the protocol's one accepted spelling, `YYYY-MM-DDThh:mm:ssZ`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch now (0 if the clock is before 1970).
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Parses exactly `YYYY-MM-DDThh:mm:ssZ` into seconds since the Unix epoch.
///
/// Anything else (offsets, fractions, a missing `Z`, out-of-range fields) is
/// refused, as the service refuses it.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let t = aliapi_wire::time::parse_protocol_timestamp(s)?;
    Some(match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    })
}

fn to_system_time(secs: i64) -> SystemTime {
    if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs as u64)
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
    }
}

/// Formats seconds since the Unix epoch as `YYYY-MM-DDThh:mm:ssZ`.
pub fn format_timestamp(secs: i64) -> String {
    aliapi_wire::time::format_timestamp(to_system_time(secs))
}

/// Formats seconds since the Unix epoch as an HTTP date, e.g.
/// `Tue, 23 Feb 2016 12:46:24 GMT`, for the `Date` header.
pub fn format_http_date(secs: i64) -> String {
    aliapi_wire::time::format_http_date(to_system_time(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for secs in [0, 951_782_400, 1_456_231_584, 4_102_444_799] {
            assert_eq!(parse_timestamp(&format_timestamp(secs)), Some(secs));
        }
        assert_eq!(parse_timestamp("2016-02-23T12:46:24Z"), Some(1_456_231_584));
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            format_http_date(1_456_231_584),
            "Tue, 23 Feb 2016 12:46:24 GMT"
        );
        assert_eq!(format_http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }

    #[test]
    fn refuses_other_spellings() {
        for bad in [
            "",
            "2016-02-23T12:46:24",
            "2016-02-23T12:46:24.000Z",
            "2016-02-23 12:46:24Z",
            "2016-02-30T12:46:24Z",
            "2015-02-29T00:00:00Z",
            "2016-02-23T24:00:00Z",
            "+016-02-23T12:46:24Z",
            "2016-02-23T12:46:2éZ",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }
}
