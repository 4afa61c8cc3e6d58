//! `metav1.Time` and `metav1.MicroTime` as the apiserver decodes them: Go's
//! `time.Parse(time.RFC3339, s)` (`RFC3339Micro` for MicroTime), stored in UTC at the
//! type's precision. Errors are `time.ParseError`'s wording (`parsing time "x" as
//! "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`), since they reach the user
//! verbatim.

use crate::sim::errors::go_quote;

const RFC3339: &str = "2006-01-02T15:04:05Z07:00";
const RFC3339_MICRO: &str = "2006-01-02T15:04:05.000000Z07:00";

/// One element of the layout: a literal to match, or a field to read.
#[derive(Clone, Copy, PartialEq)]
enum Elem {
    Literal(&'static str),
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    /// `.000000`: exactly six fraction digits.
    Micros,
    Zone,
}

/// The layout string's piece for an element, as Go names it in errors.
fn layout_text(e: Elem) -> &'static str {
    match e {
        Elem::Literal(s) => s,
        Elem::Year => "2006",
        Elem::Month => "01",
        Elem::Day => "02",
        Elem::Hour => "15",
        Elem::Minute => "04",
        Elem::Second => "05",
        Elem::Micros => ".000000",
        Elem::Zone => "Z07:00",
    }
}

/// Parses a Time (`micro = false`) or MicroTime and formats it as the apiserver stores it.
pub fn normalize(value: &str, micro: bool) -> Result<String, String> {
    let t = parse(value, micro)?;
    let (y, mo, d, h, mi, s) = t.utc();
    Ok(if micro {
        format!(
            "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:06}Z",
            t.nanos / 1000
        )
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    })
}

struct Parsed {
    /// Local date and time fields.
    fields: [i64; 6],
    nanos: i64,
    /// Seconds east of UTC.
    offset: i64,
}

impl Parsed {
    /// (year, month, day, hour, minute, second) in UTC.
    fn utc(&self) -> (i64, i64, i64, i64, i64, i64) {
        let [y, mo, d, h, mi, s] = self.fields;
        let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - self.offset;
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, mo, d) = civil_from_days(days);
        (y, mo, d, rem / 3600, rem % 3600 / 60, rem % 60)
    }
}

fn parse(value: &str, micro: bool) -> Result<Parsed, String> {
    use Elem::*;
    let layout_str = if micro { RFC3339_MICRO } else { RFC3339 };
    let layout: &[Elem] = if micro {
        &[
            Year,
            Literal("-"),
            Month,
            Literal("-"),
            Day,
            Literal("T"),
            Hour,
            Literal(":"),
            Minute,
            Literal(":"),
            Second,
            Micros,
            Zone,
        ]
    } else {
        &[
            Year,
            Literal("-"),
            Month,
            Literal("-"),
            Day,
            Literal("T"),
            Hour,
            Literal(":"),
            Minute,
            Literal(":"),
            Second,
            Zone,
        ]
    };
    let cannot = |rest: &str, e: Elem| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            go_quote(value),
            go_quote(layout_str),
            go_quote(rest),
            go_quote(layout_text(e))
        )
    };
    let out_of_range =
        |what: &str| format!("parsing time {}: {what} out of range", go_quote(value));
    let mut fields = [0i64; 6];
    let mut nanos = 0;
    let mut offset = 0;
    let mut rest = value;
    for (i, &e) in layout.iter().enumerate() {
        let hold = rest;
        match e {
            Literal(lit) => {
                rest = rest.strip_prefix(lit).ok_or_else(|| cannot(rest, e))?;
            }
            Year => {
                let digits = rest
                    .get(..4)
                    .filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
                let digits = digits.ok_or_else(|| cannot(hold, e))?;
                fields[0] = digits.parse().unwrap_or_default();
                rest = &rest[4..];
            }
            Month | Day | Hour | Minute | Second => {
                let (n, r) = number(rest, e != Hour).ok_or_else(|| cannot(hold, e))?;
                let (slot, lo, hi, name) = match e {
                    Month => (1, 1, 12, "month"),
                    Day => (2, 1, 31, "day"),
                    Hour => (3, 0, 23, "hour"),
                    Minute => (4, 0, 59, "minute"),
                    _ => (5, 0, 59, "second"),
                };
                if n < lo || n > hi {
                    return Err(out_of_range(name));
                }
                fields[slot] = n;
                rest = r;
                // A fraction after the seconds is accepted when the layout has none.
                if e == Second && layout.get(i + 1) != Some(&Micros) {
                    let b = rest.as_bytes();
                    if b.len() >= 2 && (b[0] == b'.' || b[0] == b',') && b[1].is_ascii_digit() {
                        let n = 1 + b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                        nanos = fraction(&rest[1..n]);
                        rest = &rest[n..];
                    }
                }
            }
            Micros => {
                let b = rest.as_bytes();
                let ok = b.len() >= 7
                    && (b[0] == b'.' || b[0] == b',')
                    && b[1..7].iter().all(|c| c.is_ascii_digit());
                if !ok {
                    return Err(cannot(hold, e));
                }
                nanos = fraction(&rest[1..7]);
                rest = &rest[7..];
            }
            Zone => {
                if let Some(r) = rest.strip_prefix('Z') {
                    rest = r;
                    continue;
                }
                let b = rest.as_bytes();
                let ok = b.len() >= 6
                    && (b[0] == b'+' || b[0] == b'-')
                    && b[3] == b':'
                    && [1, 2, 4, 5].iter().all(|&i| b[i].is_ascii_digit());
                if !ok {
                    return Err(cannot(hold, e));
                }
                let hours: i64 = rest[1..3].parse().unwrap_or_default();
                let minutes: i64 = rest[4..6].parse().unwrap_or_default();
                if hours > 24 {
                    return Err(out_of_range("time zone offset hour"));
                }
                if minutes > 60 {
                    return Err(out_of_range("time zone offset minute"));
                }
                offset = (hours * 3600 + minutes * 60) * if b[0] == b'-' { -1 } else { 1 };
                rest = &rest[6..];
            }
        }
    }
    if !rest.is_empty() {
        return Err(format!(
            "parsing time {}: extra text: {}",
            go_quote(value),
            go_quote(rest)
        ));
    }
    let [y, mo, d, ..] = fields;
    if d > days_in(y, mo) {
        return Err(out_of_range("day"));
    }
    Ok(Parsed {
        fields,
        nanos,
        offset,
    })
}

/// Go's `getnum`: one or two digits, exactly two when `fixed`.
fn number(s: &str, fixed: bool) -> Option<(i64, &str)> {
    let b = s.as_bytes();
    if !b.first()?.is_ascii_digit() {
        return None;
    }
    if !b.get(1).is_some_and(u8::is_ascii_digit) {
        return (!fixed).then(|| (i64::from(b[0] - b'0'), &s[1..]));
    }
    Some((
        i64::from(b[0] - b'0') * 10 + i64::from(b[1] - b'0'),
        &s[2..],
    ))
}

/// Nanoseconds from fraction digits (extra digits past nine are dropped, as Go does).
fn fraction(digits: &str) -> i64 {
    let mut n = 0;
    for i in 0..9 {
        n = n * 10 + digits.as_bytes().get(i).map_or(0, |c| i64::from(c - b'0'));
    }
    n
}

fn days_in(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
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
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn times_are_stored_in_utc_at_their_precision() {
        let cases = [
            ("2024-01-02T03:04:05Z", false, "2024-01-02T03:04:05Z"),
            ("2024-01-02T03:04:05.999Z", false, "2024-01-02T03:04:05Z"),
            ("2024-01-01T00:30:00+01:00", false, "2023-12-31T23:30:00Z"),
            ("2024-02-28T23:00:00-02:00", false, "2024-02-29T01:00:00Z"),
            (
                "2024-01-02T03:04:05.123456Z",
                true,
                "2024-01-02T03:04:05.123456Z",
            ),
            (
                "2024-01-02T03:04:05.1234567+00:00",
                false,
                "2024-01-02T03:04:05Z",
            ),
        ];
        for (input, micro, want) in cases {
            assert_eq!(normalize(input, micro).as_deref(), Ok(want), "{input}");
        }
    }

    #[test]
    fn errors_are_worded_as_go_time_parse() {
        let layout = "\"2006-01-02T15:04:05Z07:00\"";
        let cases = [
            (
                "yesterday",
                format!("parsing time \"yesterday\" as {layout}: cannot parse \"yesterday\" as \"2006\""),
            ),
            (
                "2024/01/02",
                format!("parsing time \"2024/01/02\" as {layout}: cannot parse \"/01/02\" as \"-\""),
            ),
            (
                "2024-01-02",
                format!("parsing time \"2024-01-02\" as {layout}: cannot parse \"\" as \"T\""),
            ),
            (
                "2024-01-02T03:04:05",
                format!("parsing time \"2024-01-02T03:04:05\" as {layout}: cannot parse \"\" as \"Z07:00\""),
            ),
            (
                "2024-13-02T03:04:05Z",
                "parsing time \"2024-13-02T03:04:05Z\": month out of range".to_string(),
            ),
            (
                "2023-02-29T03:04:05Z",
                "parsing time \"2023-02-29T03:04:05Z\": day out of range".to_string(),
            ),
            (
                "2024-01-02T03:04:05Zjunk",
                "parsing time \"2024-01-02T03:04:05Zjunk\": extra text: \"junk\"".to_string(),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input, false), Err(want), "{input}");
        }
        assert_eq!(
            normalize("2024-01-02T03:04:05Z", true),
            Err("parsing time \"2024-01-02T03:04:05Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"Z\" as \".000000\"".into())
        );
    }
}
