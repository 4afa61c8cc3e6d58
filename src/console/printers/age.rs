//! Human-readable durations as kubectl prints them: the AGE column, `RESTARTS 3 (12s ago)`,
//! describe's Events `Age`. A port of apimachinery `pkg/util/duration/duration.go`.

use crate::sim::time::{parse_rfc3339, Millis};

/// `duration.HumanDuration`: `5s`, `119s`, `2m3s`, `45m`, `3h5m`, `8h`, `2d2h`, `30d`,
/// `2y4d`, `9y`. Allows one second of clock skew (`0s`); more is `<invalid>`.
pub fn human_duration(d_ms: i64) -> String {
    // Go truncates toward zero: int(d.Seconds()).
    let seconds = d_ms / 1000;
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    } else if hours < 48 {
        return format!("{hours}h");
    } else if hours < 24 * 8 {
        let h = hours % 24;
        let days = hours / 24;
        return if h == 0 {
            format!("{days}d")
        } else {
            format!("{days}d{h}h")
        };
    } else if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    } else if hours < 24 * 365 * 8 {
        let years = hours / 24 / 365;
        let dy = hours / 24 % 365;
        return if dy == 0 {
            format!("{years}y")
        } else {
            format!("{years}y{dy}d")
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// `duration.ShortHumanDuration`: one unit only (`45s`, `3m`, `5h`, `12d`, `2y`).
pub fn short_human_duration(d_ms: i64) -> String {
    let seconds = d_ms / 1000;
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 60 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 24 {
        format!("{hours}h")
    } else if hours < 24 * 365 {
        format!("{}d", hours / 24)
    } else {
        format!("{}y", hours / 24 / 365)
    }
}

/// `translateTimestampSince`: the age of an RFC 3339 timestamp at virtual time `now`;
/// `<unknown>` when the timestamp is missing or unparseable.
pub fn age(timestamp: Option<&str>, now: Millis) -> String {
    match timestamp.filter(|t| !t.is_empty()).and_then(parse_rfc3339) {
        Some(ts) => human_duration(elapsed(now, ts)),
        None => "<unknown>".to_string(),
    }
}

/// Milliseconds from `ts` (epoch-relative) to `now`, saturating.
pub fn elapsed(now: Millis, ts: i64) -> i64 {
    i64::try_from(now).unwrap_or(i64::MAX).saturating_sub(ts)
}

/// `translateTimestampUntil`: the time left until a timestamp.
pub fn until(timestamp: Option<&str>, now: Millis) -> String {
    match timestamp.filter(|t| !t.is_empty()).and_then(parse_rfc3339) {
        Some(ts) => human_duration(-elapsed(now, ts)),
        None => "<unknown>".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::time::rfc3339;

    const S: i64 = 1000;
    const M: i64 = 60 * S;
    const H: i64 = 60 * M;
    const D: i64 = 24 * H;
    const Y: i64 = 365 * D;

    #[test]
    fn human_duration_ranges() {
        let cases = [
            (-3 * S, "<invalid>"),
            (-2 * S, "<invalid>"),
            (-S, "0s"),
            (-500, "0s"),
            (0, "0s"),
            (5 * S, "5s"),
            (119 * S, "119s"),
            (120 * S, "2m"),
            (125 * S, "2m5s"),
            (2 * M + 3 * S, "2m3s"),
            (5 * M, "5m"),
            (10 * M, "10m"),
            (45 * M, "45m"),
            (179 * M, "179m"),
            (3 * H, "3h"),
            (3 * H + 5 * M, "3h5m"),
            (7 * H + 59 * M, "7h59m"),
            (8 * H, "8h"),
            (47 * H, "47h"),
            (48 * H, "2d"),
            (50 * H, "2d2h"),
            (3 * D + 4 * H, "3d4h"),
            (8 * D, "8d"),
            (9 * D, "9d"),
            (30 * D, "30d"),
            (729 * D, "729d"),
            (730 * D, "2y"),
            (2 * Y + 4 * D, "2y4d"),
            (8 * Y, "8y"),
            (20 * Y + 3 * D, "20y"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration(d), want, "d = {d}ms");
        }
    }

    #[test]
    fn short_human_duration_ranges() {
        let cases = [
            (-5 * S, "<invalid>"),
            (-S, "0s"),
            (59 * S, "59s"),
            (90 * S, "1m"),
            (59 * M, "59m"),
            (5 * H, "5h"),
            (12 * D, "12d"),
            (2 * Y, "2y"),
        ];
        for (d, want) in cases {
            assert_eq!(short_human_duration(d), want);
        }
    }

    #[test]
    fn age_of_timestamps() {
        let created = rfc3339(10_000);
        assert_eq!(age(Some(&created), 135_000), "2m5s");
        assert_eq!(age(Some(&created), 10_000), "0s");
        assert_eq!(age(None, 5), "<unknown>");
        assert_eq!(age(Some(""), 5), "<unknown>");
        assert_eq!(age(Some("garbage"), 5), "<unknown>");
        assert_eq!(until(Some(&rfc3339(70_000)), 10_000), "60s");
    }
}
