//! Virtual time: milliseconds since the simulation's fixed epoch, and the conversions to
//! the RFC 3339 timestamps that Kubernetes objects carry.
//!
//! The simulation owns time (design.md §2): nothing here reads a wall clock.

/// Virtual milliseconds since [`EPOCH_UNIX_SECONDS`].
pub type Millis = u64;

/// The instant virtual time 0 stands for: 2026-01-01T00:00:00Z. Fixed so that every run
/// prints the same timestamps.
pub const EPOCH_UNIX_SECONDS: i64 = 1_767_225_600;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;

/// `2026-01-01T00:00:05Z` for virtual time 5 000 (seconds precision, as metav1.Time).
pub fn rfc3339(t: Millis) -> String {
    rfc3339_unix(EPOCH_UNIX_SECONDS + (t / 1000) as i64)
}

/// RFC 3339 with microseconds (`2026-01-01T00:00:05.123000Z`), as metav1.MicroTime
/// (Events' eventTime, Leases' renewTime).
pub fn rfc3339_micro(t: Millis) -> String {
    let secs = EPOCH_UNIX_SECONDS + (t / 1000) as i64;
    let base = rfc3339_unix(secs);
    format!("{}.{:06}Z", &base[..base.len() - 1], (t % 1000) * 1000)
}

/// The HTTP `Date` header's form (RFC 7231 IMF-fixdate): `Thu, 01 Jan 2026 00:00:05 GMT`.
pub fn http_date(t: Millis) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let unix = EPOCH_UNIX_SECONDS + (t / 1000) as i64;
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
        DAYS[(days + 4).rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn rfc3339_unix(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs_of_day = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs_of_day / 3600,
        secs_of_day % 3600 / 60,
        secs_of_day % 60
    )
}

/// Parses an RFC 3339 timestamp into milliseconds relative to the epoch (negative when
/// before it). Accepts `Z` or a numeric offset and optional fractional seconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b't') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse::<i64>().ok() };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut rest = &s[19..];
    let mut millis = 0i64;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits: String = frac.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() {
            return None;
        }
        let padded = format!("{digits:0<3}");
        millis = padded[..3].parse().ok()?;
        rest = &frac[digits.len()..];
    }
    let offset_secs = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) => {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            let oh: i64 = rest[1..3].parse().ok()?;
            let om: i64 = rest[4..6].parse().ok()?;
            sign * (oh * 3600 + om * 60)
        }
        _ => return None,
    };
    let unix = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - offset_secs;
    Some((unix - EPOCH_UNIX_SECONDS) * 1000 + millis)
}

// Howard Hinnant's civil-date algorithms (public domain).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
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
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Go's `time.Duration.String()` for whole seconds/milliseconds: `10s`, `1m20s`, `5m0s`,
/// `1h0m0s`, `500ms`. Used where Kubernetes prints a Go duration (back-off messages).
pub fn go_duration(ms: Millis) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let total_secs = ms / 1000;
    let frac = ms % 1000;
    let secs = if frac == 0 {
        format!("{}s", total_secs % 60)
    } else {
        let f = format!("{frac:03}");
        format!("{}.{}s", total_secs % 60, f.trim_end_matches('0'))
    };
    let (h, m) = (total_secs / 3600, total_secs / 60 % 60);
    if h > 0 {
        format!("{h}h{m}m{secs}")
    } else if m > 0 {
        format!("{m}m{secs}")
    } else {
        secs
    }
}

/// Parses a console duration (`30`, `30s`, `2m`, `1h30m`, `500ms`) into milliseconds.
pub fn parse_duration(s: &str) -> Option<Millis> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(secs) = s.parse::<u64>() {
        return secs.checked_mul(1000);
    }
    let mut total: Millis = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .count();
        if digits == 0 {
            return None;
        }
        let value: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        let factor = match &rest[..unit_len] {
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "d" => 86_400_000.0,
            _ => return None,
        };
        rest = &rest[unit_len..];
        let add = value * factor;
        if !add.is_finite() || add > 1e15 {
            return None;
        }
        total = total.checked_add(add as Millis)?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_formats_as_new_year_2026() {
        assert_eq!(rfc3339(0), "2026-01-01T00:00:00Z");
        assert_eq!(rfc3339(90 * 60 * 1000 + 5_000), "2026-01-01T01:30:05Z");
        assert_eq!(rfc3339(59 * 86_400_000), "2026-03-01T00:00:00Z");
        assert_eq!(rfc3339_micro(1_234), "2026-01-01T00:00:01.234000Z");
    }

    #[test]
    fn parse_round_trips_and_handles_offsets() {
        for t in [0, 1_000, 86_399_000, 400 * 86_400_000] {
            assert_eq!(parse_rfc3339(&rfc3339(t)), Some(t as i64));
        }
        assert_eq!(parse_rfc3339("2026-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_rfc3339("2025-12-31T23:59:59Z"), Some(-1000));
        assert_eq!(parse_rfc3339("2026-01-01T00:00:00.5Z"), Some(500));
        assert_eq!(parse_rfc3339("yesterday"), None);
    }

    #[test]
    fn go_durations_match_time_duration_string() {
        let cases = [
            (10_000, "10s"),
            (80_000, "1m20s"),
            (160_000, "2m40s"),
            (300_000, "5m0s"),
            (3_600_000, "1h0m0s"),
            (1_500, "1.5s"),
            (250, "250ms"),
        ];
        for (ms, want) in cases {
            assert_eq!(go_duration(ms), want);
        }
    }

    #[test]
    fn console_durations() {
        assert_eq!(parse_duration("30"), Some(30_000));
        assert_eq!(parse_duration("30s"), Some(30_000));
        assert_eq!(parse_duration("2m"), Some(120_000));
        assert_eq!(parse_duration("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("99999999999999999999"), None);
    }
}
