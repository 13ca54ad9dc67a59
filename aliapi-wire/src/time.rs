//! UTC timestamps as the RPC protocol spells them: `YYYY-MM-DDThh:mm:ssZ`.
//!
//! Only what the protocol needs, so no calendar crate is pulled in.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Formats `t` as `YYYY-MM-DDThh:mm:ssZ` (UTC, whole seconds).
pub fn format_timestamp(t: SystemTime) -> String {
    match timestamp_bytes(t) {
        Some(bytes) => bytes.iter().map(|&b| b as char).collect(),
        None => {
            let (y, m, d, rem) = civil_parts(t);
            format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
                rem / 3600,
                rem % 3600 / 60,
                rem % 60
            )
        }
    }
}

/// The timestamp as RFC 3986-encoded text (`:` as `%3A`), on the stack: what
/// the signer needs for every request.
pub fn encoded_timestamp(t: SystemTime) -> Option<[u8; 24]> {
    let b = timestamp_bytes(t)?;
    let mut out = [0u8; 24];
    out[..13].copy_from_slice(&b[..13]);
    out[13..16].copy_from_slice(b"%3A");
    out[16..18].copy_from_slice(&b[14..16]);
    out[18..21].copy_from_slice(b"%3A");
    out[21..24].copy_from_slice(&b[17..20]);
    Some(out)
}

/// Date, month, day and seconds into the day of `t`.
fn civil_parts(t: SystemTime) -> (i64, i64, i64, i64) {
    let secs = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    };
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    (y, m, d, secs.rem_euclid(86_400))
}

/// `YYYY-MM-DDThh:mm:ssZ` as bytes, for years 0 to 9999.
fn timestamp_bytes(t: SystemTime) -> Option<[u8; 20]> {
    let (y, m, d, rem) = civil_parts(t);
    if !(0..=9999).contains(&y) {
        return None;
    }
    // Written digit by digit: this runs for every signed request.
    let mut out = *b"0000-00-00T00:00:00Z";
    let mut put = |at: usize, value: i64, width: usize| {
        let mut v = value;
        for i in (0..width).rev() {
            out[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, y, 4);
    put(5, m, 2);
    put(8, d, 2);
    put(11, rem / 3600, 2);
    put(14, rem % 3600 / 60, 2);
    put(17, rem % 60, 2);
    Some(out)
}

/// Parses `YYYY-MM-DDThh:mm:ssZ`, also accepting fractional seconds and a
/// numeric `+hh:mm` offset, as STS and metadata services write expirations.
pub fn parse_timestamp(s: &str) -> Option<SystemTime> {
    let b = s.trim().as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = std::str::from_utf8(&b[r]).ok()?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &b[19..];
    if let Some(frac) = rest.strip_prefix(b".") {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        rest = &frac[digits..];
    }
    let offset = match rest {
        b"Z" | b"z" | b"" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digit = |c: &u8| c.is_ascii_digit().then(|| i64::from(c - b'0'));
            let mins = (digit(h1)? * 10 + digit(h2)?) * 60 + digit(m1)? * 10 + digit(m2)?;
            if *sign == b'+' { mins * 60 } else { -mins * 60 }
        }
        _ => return None,
    };
    let secs =
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    if secs >= 0 {
        Some(UNIX_EPOCH + Duration::from_secs(secs as u64))
    } else {
        Some(UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs()))
    }
}

/// Parses exactly `YYYY-MM-DDThh:mm:ssZ`, the only spelling the RPC
/// protocol accepts for `Timestamp` (no fraction, no offset), as a server
/// checks it.
pub fn parse_protocol_timestamp(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if b.len() != 20 || b[10] != b'T' || b[19] != b'Z' {
        return None;
    }
    parse_timestamp(s)
}

/// Formats `t` as an HTTP date (`Tue, 23 Feb 2016 12:46:24 GMT`), as a
/// server writes its `Date` header.
pub fn format_http_date(t: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let ts = format_timestamp(t);
    let secs = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    };
    let month: usize = ts[5..7].parse().unwrap_or(1);
    format!(
        "{}, {} {} {} {} GMT",
        DAYS[secs.div_euclid(86_400).rem_euclid(7) as usize],
        &ts[8..10],
        MONTHS[month.clamp(1, 12) - 1],
        &ts[0..4],
        &ts[11..19]
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn days_in_month(y: i64, m: i64) -> i64 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses an HTTP `Date` header (`Tue, 24 Nov 2026 18:51:58 GMT`), the
/// server's clock as used for skew correction.
pub fn parse_http_date(s: &str) -> Option<SystemTime> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut parts = s.split_once(", ")?.1.split(' ');
    let day = parts.next()?;
    let month_name = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == month_name)? + 1;
    let year = parts.next()?;
    let clock = parts.next()?;
    if parts.next() != Some("GMT") || day.len() != 2 || year.len() != 4 {
        return None;
    }
    parse_timestamp(&format!("{year}-{month:02}-{day}T{clock}Z"))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// well-known algorithm, re-derived here).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_timestamp(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_456_231_584);
        assert_eq!(format_timestamp(t), "2016-02-23T12:46:24Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(format_timestamp(leap), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn parses_what_it_formats_and_common_variants() {
        for secs in [0u64, 951_782_400, 1_456_231_584, 4_102_444_799] {
            let t = UNIX_EPOCH + Duration::from_secs(secs);
            assert_eq!(parse_timestamp(&format_timestamp(t)), Some(t));
        }
        let t = UNIX_EPOCH + Duration::from_secs(1_456_231_584);
        assert_eq!(parse_timestamp("2016-02-23T12:46:24.123Z"), Some(t));
        assert_eq!(parse_timestamp("2016-02-23T20:46:24+08:00"), Some(t));
        assert_eq!(parse_timestamp("2016-02-23T12:46:24"), Some(t));
    }

    #[test]
    fn strict_protocol_form_and_http_dates_round_trip() {
        let t = UNIX_EPOCH + Duration::from_secs(1_456_231_584);
        assert_eq!(parse_protocol_timestamp("2016-02-23T12:46:24Z"), Some(t));
        for loose in [
            "2016-02-23T12:46:24.1Z",
            "2016-02-23T20:46:24+08:00",
            "2016-02-23 12:46:24Z",
            "2016-02-30T00:00:00Z",
        ] {
            assert_eq!(parse_protocol_timestamp(loose), None, "{loose}");
        }
        assert_eq!(format_http_date(t), "Tue, 23 Feb 2016 12:46:24 GMT");
        assert_eq!(
            format_http_date(UNIX_EPOCH),
            "Thu, 01 Jan 1970 00:00:00 GMT"
        );
        assert_eq!(parse_http_date(&format_http_date(t)), Some(t));
    }

    #[test]
    fn http_dates() {
        let t = UNIX_EPOCH + Duration::from_secs(1_456_231_584);
        assert_eq!(parse_http_date("Tue, 23 Feb 2016 12:46:24 GMT"), Some(t));
        assert_eq!(parse_http_date("Tue, 23 Foo 2016 12:46:24 GMT"), None);
        assert_eq!(parse_http_date("23 Feb 2016 12:46:24 GMT"), None);
        assert_eq!(parse_http_date("Tue, 23 Feb 2016 12:46:24 UTC"), None);
    }

    #[test]
    fn refuses_garbage() {
        for bad in [
            "",
            "2016-02-23",
            "2016-13-01T00:00:00Z",
            "2016-02-23T12:46:24Q",
            "20x6-02-23T12:46:24Z",
            "2016-02-23T12:46:24+8",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }
}
