//! Job and CronJob validation (pkg/apis/batch/validation/validation.go: `ValidateJobSpec`,
//! `ValidateJobUpdate`, `ValidateCronJobSpec`) and the 5-field cron syntax as
//! robfig/cron's `ParseStandard` checks it (its error texts).

use super::meta::{immutable, non_negative};
use super::pod::pod_spec;
use super::selector::{label_selector, matches};
use crate::sim::errors::FieldError;
use crate::sim::json::json;
use serde_json::Value;

pub fn job(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let mut errs = vec![];
    for key in ["parallelism", "completions", "backoffLimit"] {
        errs.extend(non_negative(spec.get(key), &format!("spec.{key}")));
    }
    if let Some(n) = spec
        .get("activeDeadlineSeconds")
        .and_then(Value::as_i64)
        .filter(|n| *n <= 0)
    {
        errs.push(FieldError::invalid(
            "spec.activeDeadlineSeconds",
            json!(n),
            "must be greater than 0",
        ));
    }
    let labels = spec.pointer("/template/metadata/labels");
    match spec.get("selector") {
        None => errs.push(FieldError::required("spec.selector", "")),
        Some(selector) => {
            errs.extend(label_selector(selector, "spec.selector"));
            if !matches(selector, labels) {
                errs.push(FieldError::invalid(
                    "spec.template.metadata.labels",
                    labels.cloned().unwrap_or(Value::Null),
                    "`selector` does not match template `labels`",
                ));
            }
        }
    }
    errs.extend(job_template(
        spec.get("template").unwrap_or(&Value::Null),
        "spec.template",
    ));
    if let Some(old) = old {
        errs.extend(immutable(
            obj.pointer("/spec/selector"),
            old.pointer("/spec/selector"),
            "spec.selector",
        ));
        errs.extend(immutable(
            obj.pointer("/spec/template"),
            old.pointer("/spec/template"),
            "spec.template",
        ));
        errs.extend(immutable(
            obj.pointer("/spec/completions"),
            old.pointer("/spec/completions"),
            "spec.completions",
        ));
    }
    errs
}

/// A Job's pod template: a valid pod spec whose restartPolicy is OnFailure or Never.
fn job_template(template: &Value, path: &str) -> Vec<FieldError> {
    let pod = template.get("spec").unwrap_or(&Value::Null);
    let mut errs = pod_spec(pod, &format!("{path}.spec"));
    let restart = pod
        .get("restartPolicy")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if restart != "OnFailure" && restart != "Never" {
        errs.retain(|e| e.field != format!("{path}.spec.restartPolicy"));
        errs.push(FieldError::required(
            format!("{path}.spec.restartPolicy"),
            "valid values: \"OnFailure\", \"Never\"",
        ));
    }
    errs
}

/// `validateTimeZone`: the name's shape first, then whether the zone exists
/// (`time.LoadLocation`, here the table in `sim::timezone`).
fn time_zone(zone: Option<&Value>) -> Vec<FieldError> {
    let Some(Value::String(name)) = zone else {
        return vec![];
    };
    let invalid = |message: String| FieldError::invalid("spec.timeZone", json!(name), message);
    if name.is_empty() {
        return vec![invalid("timeZone must be nil or non-empty string".into())];
    }
    // `validTimeZoneCharacters`: ^[A-Za-z\.\-_0-9+]{1,14}$ for each part.
    let part_ok = |p: &str| {
        (1..=14).contains(&p.len())
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'))
    };
    if name
        .split('/')
        .any(|p| p == "." || p == ".." || p.starts_with('-') || !part_ok(p))
    {
        return vec![invalid(format!("unknown time zone {name}"))];
    }
    let mut errs = vec![];
    if name.eq_ignore_ascii_case("Local") {
        errs.push(invalid(
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
                .into(),
        ));
    }
    // Go's LoadLocation("Local") succeeds; any other spelling is an unknown zone.
    if name != "Local" {
        if let Err(e) = crate::sim::timezone::load(name) {
            errs.push(invalid(e));
        }
    }
    errs
}

pub fn cron_job(obj: &Value) -> Vec<FieldError> {
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let mut errs = vec![];
    let schedule = spec
        .get("schedule")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if schedule.is_empty() {
        errs.push(FieldError::required("spec.schedule", ""));
    } else if schedule.contains("TZ") {
        errs.push(FieldError::invalid(
            "spec.schedule",
            json!(schedule),
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        ));
    } else if let Err(e) = parse_cron(schedule) {
        errs.push(FieldError::invalid("spec.schedule", json!(schedule), e));
    }
    errs.extend(time_zone(spec.get("timeZone")));
    match spec
        .get("concurrencyPolicy")
        .and_then(Value::as_str)
        .unwrap_or_default()
    {
        "Allow" | "Forbid" | "Replace" => {}
        "" => errs.push(FieldError::required("spec.concurrencyPolicy", "")),
        other => errs.push(FieldError::not_supported(
            "spec.concurrencyPolicy",
            json!(other),
            &["Allow", "Forbid", "Replace"],
        )),
    }
    for key in [
        "startingDeadlineSeconds",
        "successfulJobsHistoryLimit",
        "failedJobsHistoryLimit",
    ] {
        errs.extend(non_negative(spec.get(key), &format!("spec.{key}")));
    }
    let template = spec
        .pointer("/jobTemplate/spec/template")
        .unwrap_or(&Value::Null);
    errs.extend(job_template(template, "spec.jobTemplate.spec.template"));
    errs
}

/// robfig/cron `ParseStandard`: 5 fields, or a `@descriptor`.
pub fn parse_cron(schedule: &str) -> Result<(), String> {
    if let Some(descriptor) = schedule.strip_prefix('@') {
        return match descriptor {
            "yearly" | "annually" | "monthly" | "weekly" | "daily" | "midnight" | "hourly" => {
                Ok(())
            }
            d if d.starts_with("every ") => Ok(()),
            _ => Err(format!("unrecognized descriptor: {schedule}")),
        };
    }
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let bounds: [(i64, i64, &[&str], i64); 5] = [
        (0, 59, &[], 0),
        (0, 23, &[], 0),
        (1, 31, &[], 0),
        (1, 12, &MONTHS, 1),
        (0, 6, &DAYS, 0),
    ];
    for (field, (min, max, names, name_base)) in fields.iter().zip(bounds) {
        for expr in field.split(',') {
            cron_range(expr, min, max, names, name_base)?;
        }
    }
    Ok(())
}

fn cron_range(
    expr: &str,
    min: i64,
    max: i64,
    names: &[&str],
    name_base: i64,
) -> Result<(), String> {
    let (range, step) = match expr.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (expr, None),
    };
    let (start, end) = if range == "*" || range == "?" {
        (min, max)
    } else {
        let (low, high) = range.split_once('-').unwrap_or((range, range));
        (
            cron_value(low, names, name_base)?,
            cron_value(high, names, name_base)?,
        )
    };
    if let Some(step) = step {
        let n = cron_int(step)?;
        if n == 0 {
            return Err(format!("step of range should be a positive number: {expr}"));
        }
    }
    if start < min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({min}): {expr}"
        ));
    }
    if end > max {
        return Err(format!(
            "end of range ({end}) above maximum ({max}): {expr}"
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    Ok(())
}

fn cron_value(s: &str, names: &[&str], name_base: i64) -> Result<i64, String> {
    if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
        return Ok(i as i64 + name_base);
    }
    cron_int(s)
}

fn cron_int(s: &str) -> Result<i64, String> {
    let n: i64 = s.parse().map_err(|_| {
        format!(
            "failed to parse int from {s}: strconv.Atoi: parsing {}: invalid syntax",
            crate::sim::errors::go_quote(s)
        )
    })?;
    if n < 0 {
        return Err(format!("negative number ({n}) not allowed: {s}"));
    }
    Ok(n)
}
