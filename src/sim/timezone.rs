//! IANA time zones for CronJob `spec.timeZone`, without a tz database (the page ships
//! none): a table of common zones, each a standard UTC offset and the daylight-saving
//! rule it follows today (the US, EU, Australian and New Zealand rules, or none).
//! Offsets are right for the present-day rules only, which is what a simulated clock
//! starting in 2026 meets. A name missing from the table is refused as Go's
//! `time.LoadLocation` refuses an unknown one: `unknown time zone NAME`.

use crate::sim::time::days_from_civil;

/// The daylight-saving rules in force today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    None,
    /// Second Sunday of March 02:00 local → first Sunday of November 02:00 local.
    UnitedStates,
    /// Last Sunday of March 01:00 UTC → last Sunday of October 01:00 UTC.
    Europe,
    /// First Sunday of October 02:00 standard → first Sunday of April 03:00 daylight.
    Australia,
    /// Last Sunday of September 02:00 standard → first Sunday of April 03:00 daylight.
    NewZealand,
}

/// A time zone: its standard offset from UTC in minutes and its daylight-saving rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone {
    standard: i64,
    rule: Rule,
}

const ZONES: &[(&str, i64, Rule)] = &[
    ("UTC", 0, Rule::None),
    ("Etc/UTC", 0, Rule::None),
    ("GMT", 0, Rule::None),
    ("Etc/GMT", 0, Rule::None),
    ("Europe/London", 0, Rule::Europe),
    ("Europe/Dublin", 0, Rule::Europe),
    ("Europe/Lisbon", 0, Rule::Europe),
    ("Europe/Amsterdam", 60, Rule::Europe),
    ("Europe/Berlin", 60, Rule::Europe),
    ("Europe/Brussels", 60, Rule::Europe),
    ("Europe/Budapest", 60, Rule::Europe),
    ("Europe/Copenhagen", 60, Rule::Europe),
    ("Europe/Madrid", 60, Rule::Europe),
    ("Europe/Oslo", 60, Rule::Europe),
    ("Europe/Paris", 60, Rule::Europe),
    ("Europe/Prague", 60, Rule::Europe),
    ("Europe/Rome", 60, Rule::Europe),
    ("Europe/Stockholm", 60, Rule::Europe),
    ("Europe/Vienna", 60, Rule::Europe),
    ("Europe/Warsaw", 60, Rule::Europe),
    ("Europe/Zurich", 60, Rule::Europe),
    ("Europe/Athens", 120, Rule::Europe),
    ("Europe/Bucharest", 120, Rule::Europe),
    ("Europe/Helsinki", 120, Rule::Europe),
    ("Europe/Kyiv", 120, Rule::Europe),
    ("Europe/Sofia", 120, Rule::Europe),
    ("Europe/Istanbul", 180, Rule::None),
    ("Europe/Moscow", 180, Rule::None),
    ("America/New_York", -300, Rule::UnitedStates),
    ("America/Detroit", -300, Rule::UnitedStates),
    ("America/Toronto", -300, Rule::UnitedStates),
    ("America/Chicago", -360, Rule::UnitedStates),
    ("America/Winnipeg", -360, Rule::UnitedStates),
    ("America/Mexico_City", -360, Rule::None),
    ("America/Denver", -420, Rule::UnitedStates),
    ("America/Edmonton", -420, Rule::UnitedStates),
    ("America/Phoenix", -420, Rule::None),
    ("America/Los_Angeles", -480, Rule::UnitedStates),
    ("America/Vancouver", -480, Rule::UnitedStates),
    ("America/Anchorage", -540, Rule::UnitedStates),
    ("Pacific/Honolulu", -600, Rule::None),
    ("America/Halifax", -240, Rule::UnitedStates),
    ("America/Bogota", -300, Rule::None),
    ("America/Lima", -300, Rule::None),
    ("America/Sao_Paulo", -180, Rule::None),
    ("America/Argentina/Buenos_Aires", -180, Rule::None),
    ("Africa/Lagos", 60, Rule::None),
    ("Africa/Johannesburg", 120, Rule::None),
    ("Africa/Nairobi", 180, Rule::None),
    ("Asia/Dubai", 240, Rule::None),
    ("Asia/Karachi", 300, Rule::None),
    ("Asia/Kolkata", 330, Rule::None),
    ("Asia/Calcutta", 330, Rule::None),
    ("Asia/Kathmandu", 345, Rule::None),
    ("Asia/Dhaka", 360, Rule::None),
    ("Asia/Bangkok", 420, Rule::None),
    ("Asia/Jakarta", 420, Rule::None),
    ("Asia/Ho_Chi_Minh", 420, Rule::None),
    ("Asia/Shanghai", 480, Rule::None),
    ("Asia/Hong_Kong", 480, Rule::None),
    ("Asia/Singapore", 480, Rule::None),
    ("Asia/Taipei", 480, Rule::None),
    ("Asia/Manila", 480, Rule::None),
    ("Australia/Perth", 480, Rule::None),
    ("Asia/Seoul", 540, Rule::None),
    ("Asia/Tokyo", 540, Rule::None),
    ("Australia/Adelaide", 570, Rule::Australia),
    ("Australia/Darwin", 570, Rule::None),
    ("Australia/Brisbane", 600, Rule::None),
    ("Australia/Melbourne", 600, Rule::Australia),
    ("Australia/Sydney", 600, Rule::Australia),
    ("Australia/Hobart", 600, Rule::Australia),
    ("Pacific/Auckland", 720, Rule::NewZealand),
];

/// `time.LoadLocation`: the zone, or Go's error text.
pub fn load(name: &str) -> Result<Zone, String> {
    ZONES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, standard, rule)| Zone {
            standard: *standard,
            rule: *rule,
        })
        .ok_or_else(|| format!("unknown time zone {name}"))
}

/// The day (days since the epoch) of the `n`th Sunday of a month (n = 1, 2, …), or
/// the last one for `n = 0`.
fn sunday(year: i64, month: i64, n: i64) -> i64 {
    let weekday = |days: i64| (days + 4).rem_euclid(7); // 1970-01-01 was a Thursday.
    if n == 0 {
        let next_month = if month == 12 {
            days_from_civil(year + 1, 1, 1)
        } else {
            days_from_civil(year, month + 1, 1)
        };
        let last = next_month - 1;
        return last - weekday(last);
    }
    let first = days_from_civil(year, month, 1);
    first + (7 - weekday(first)) % 7 + 7 * (n - 1)
}

/// The year (UTC) a unix minute falls in.
fn year_of(unix_minute: i64) -> i64 {
    let mut year = 1970 + unix_minute.div_euclid(1440 * 365);
    while days_from_civil(year, 1, 1) * 1440 > unix_minute {
        year -= 1;
    }
    while days_from_civil(year + 1, 1, 1) * 1440 <= unix_minute {
        year += 1;
    }
    year
}

impl Zone {
    /// This year's switches as unix minutes: (daylight time starts, it ends).
    fn switches(&self, year: i64) -> Option<(i64, i64)> {
        let at = |day: i64, local_minute: i64, offset: i64| day * 1440 + local_minute - offset;
        let (std, dst) = (self.standard, self.standard + 60);
        Some(match self.rule {
            Rule::None => return None,
            Rule::UnitedStates => (
                at(sunday(year, 3, 2), 120, std),
                at(sunday(year, 11, 1), 120, dst),
            ),
            Rule::Europe => (
                at(sunday(year, 3, 0), 60, 0),
                at(sunday(year, 10, 0), 60, 0),
            ),
            Rule::Australia => (
                at(sunday(year, 10, 1), 120, std),
                at(sunday(year, 4, 1), 180, dst),
            ),
            Rule::NewZealand => (
                at(sunday(year, 9, 0), 120, std),
                at(sunday(year, 4, 1), 180, dst),
            ),
        })
    }

    /// The zone's offset from UTC in minutes at a unix minute.
    pub fn offset(&self, unix_minute: i64) -> i64 {
        let Some((start, end)) = self.switches(year_of(unix_minute)) else {
            return self.standard;
        };
        let daylight = if start < end {
            unix_minute >= start && unix_minute < end
        } else {
            // Southern hemisphere: daylight time spans the new year.
            unix_minute >= start || unix_minute < end
        };
        self.standard + if daylight { 60 } else { 0 }
    }

    /// The first minute after `unix_minute` at which the offset changes.
    pub fn next_switch(&self, unix_minute: i64) -> Option<i64> {
        let year = year_of(unix_minute);
        [year, year + 1]
            .iter()
            .filter_map(|y| self.switches(*y))
            .flat_map(|(a, b)| [a, b])
            .filter(|t| *t > unix_minute)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unix minute of a UTC date and time.
    fn utc(y: i64, mo: i64, d: i64, h: i64, mi: i64) -> i64 {
        days_from_civil(y, mo, d) * 1440 + h * 60 + mi
    }

    #[test]
    fn offsets_follow_the_rules_of_2026() {
        // (zone, UTC instant, offset in hours×60).
        let table = [
            ("UTC", utc(2026, 7, 1, 0, 0), 0),
            ("Europe/Berlin", utc(2026, 1, 15, 12, 0), 60),
            ("Europe/Berlin", utc(2026, 3, 29, 0, 59), 60),
            ("Europe/Berlin", utc(2026, 3, 29, 1, 0), 120),
            ("Europe/Berlin", utc(2026, 10, 25, 0, 59), 120),
            ("Europe/Berlin", utc(2026, 10, 25, 1, 0), 60),
            ("Europe/London", utc(2026, 6, 1, 0, 0), 60),
            // 2026-03-08 02:00 EST = 07:00 UTC; 2026-11-01 02:00 EDT = 06:00 UTC.
            ("America/New_York", utc(2026, 3, 8, 6, 59), -300),
            ("America/New_York", utc(2026, 3, 8, 7, 0), -240),
            ("America/New_York", utc(2026, 11, 1, 5, 59), -240),
            ("America/New_York", utc(2026, 11, 1, 6, 0), -300),
            ("America/Phoenix", utc(2026, 7, 1, 0, 0), -420),
            ("Asia/Kolkata", utc(2026, 7, 1, 0, 0), 330),
            // Sydney: daylight time until 2026-04-05 03:00 AEDT (16:00 UTC the day
            // before), again from 2026-10-04 02:00 AEST (16:00 UTC the day before).
            ("Australia/Sydney", utc(2026, 1, 1, 0, 0), 660),
            ("Australia/Sydney", utc(2026, 4, 4, 15, 59), 660),
            ("Australia/Sydney", utc(2026, 4, 4, 16, 0), 600),
            ("Australia/Sydney", utc(2026, 10, 3, 16, 0), 660),
            ("Pacific/Auckland", utc(2026, 9, 26, 14, 0), 780),
            ("Pacific/Auckland", utc(2026, 9, 26, 13, 59), 720),
        ];
        for (name, at, want) in table {
            let zone = load(name).expect("in the table");
            assert_eq!(zone.offset(at), want, "{name} at {at}");
        }
    }

    #[test]
    fn unknown_zones_get_gos_error() {
        assert_eq!(
            load("Mars/Base").err().as_deref(),
            Some("unknown time zone Mars/Base")
        );
        assert!(
            load("america/new_york").is_err(),
            "names are case-sensitive"
        );
    }

    #[test]
    fn switches_are_where_the_offset_changes() {
        for (name, _, _) in ZONES {
            let zone = load(name).expect("listed");
            let mut t = utc(2026, 1, 1, 0, 0);
            while let Some(s) = zone.next_switch(t).filter(|s| *s < utc(2028, 1, 1, 0, 0)) {
                assert_ne!(zone.offset(s - 1), zone.offset(s), "{name} at {s}");
                t = s;
            }
        }
    }
}
