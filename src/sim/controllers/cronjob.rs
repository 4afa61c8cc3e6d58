//! The CronJob controller (pkg/controller/cronjob, v2): at each schedule time on the
//! virtual clock it creates Job `<cronjob>-<scheduled time in minutes since the Unix
//! epoch>`, honours `concurrencyPolicy`, `suspend` and `startingDeadlineSeconds`,
//! tracks `active`, `lastScheduleTime` and `lastSuccessfulTime`, and trims finished Jobs
//! to the history limits. Schedules are robfig/cron standard specs, read in UTC or in
//! `spec.timeZone` (see `sim::timezone`).

use crate::sim::apiserver::{DeleteOptions, Propagation, WriteOptions};
use crate::sim::cluster::Cluster;
use crate::sim::events::EventSource;
use crate::sim::json::json;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::sort::SharedSort;
use crate::sim::time::{parse_rfc3339, rfc3339, Millis, EPOCH_UNIX_SECONDS};
use crate::sim::timezone::{self, Zone};
use serde_json::Value;
use std::collections::BTreeSet;

fn actor() -> Component {
    Component::ControllerManager("cronjob".into())
}

fn rt(cluster: &Cluster, name: &str) -> ResourceType {
    cluster
        .registry
        .resolve(name)
        .expect("built-in resource")
        .clone()
}

/// A parsed schedule: one bit per allowed value of each field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    minute: u64,
    hour: u64,
    dom: u64,
    month: u64,
    dow: u64,
    /// `*` or `?` in day-of-month / day-of-week (robfig's star bit).
    dom_star: bool,
    dow_star: bool,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

fn field(expr: &str, min: u32, max: u32, names: &[&str], name_base: u32) -> Option<(u64, bool)> {
    let mut bits = 0u64;
    let mut star = false;
    for part in expr.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().ok().filter(|s| *s > 0)?),
            None => (part, 1),
        };
        let value = |s: &str| -> Option<u32> {
            s.parse::<u32>().ok().or_else(|| {
                names
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(s))
                    .map(|i| i as u32 + name_base)
            })
        };
        let (lo, hi) = if range == "*" || range == "?" {
            if part == range {
                star = true;
            }
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a)?, value(b)?)
        } else {
            let v = value(range)?;
            (v, if part.contains('/') { max } else { v })
        };
        if lo < min || hi > max || lo > hi {
            return None;
        }
        let mut v = lo;
        while v <= hi {
            bits |= 1 << v;
            v += step;
        }
    }
    Some((bits, star))
}

/// robfig/cron `ParseStandard` (5 fields or a descriptor).
pub fn parse_schedule(spec: &str) -> Option<Schedule> {
    let spec = match spec.trim() {
        "@yearly" | "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" | "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        other => other,
    };
    let f: Vec<&str> = spec.split_whitespace().collect();
    if f.len() != 5 {
        return None;
    }
    let (minute, _) = field(f[0], 0, 59, &[], 0)?;
    let (hour, _) = field(f[1], 0, 23, &[], 0)?;
    let (dom, dom_star) = field(f[2], 1, 31, &[], 0)?;
    let (month, _) = field(f[3], 1, 12, &MONTHS, 1)?;
    let (mut dow, dow_star) = field(f[4], 0, 7, &DAYS, 0)?;
    if dow & (1 << 7) != 0 {
        dow |= 1; // 7 is Sunday too.
    }
    Some(Schedule {
        minute,
        hour,
        dom,
        month,
        dow,
        dom_star,
        dow_star,
    })
}

/// (year, month 1-12, day 1-31) of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

impl Schedule {
    fn matches(&self, unix_minute: i64) -> bool {
        let days = unix_minute.div_euclid(1440);
        let in_day = unix_minute.rem_euclid(1440);
        let (_, month, day) = civil(days);
        let weekday = (days + 4).rem_euclid(7) as u32; // 1970-01-01 was a Thursday.
        let dom_ok = self.dom & (1 << day) != 0;
        let dow_ok = self.dow & (1 << weekday) != 0;
        let day_ok = if self.dom_star || self.dow_star {
            dom_ok && dow_ok
        } else {
            dom_ok || dow_ok
        };
        self.month & (1 << month) != 0
            && day_ok
            && self.hour & (1 << (in_day / 60)) != 0
            && self.minute & (1 << (in_day % 60)) != 0
    }

    /// The first schedule time strictly after `unix_minute` (within ~5 years).
    pub fn next_after(&self, unix_minute: i64) -> Option<i64> {
        let mut m = unix_minute + 1;
        let limit = unix_minute + 5 * 366 * 1440;
        while m <= limit {
            let days = m.div_euclid(1440);
            let (_, month, day) = civil(days);
            let weekday = (days + 4).rem_euclid(7) as u32;
            let dom_ok = self.dom & (1 << day) != 0;
            let dow_ok = self.dow & (1 << weekday) != 0;
            let day_ok = if self.dom_star || self.dow_star {
                dom_ok && dow_ok
            } else {
                dom_ok || dow_ok
            };
            if self.month & (1 << month) == 0 || !day_ok {
                m = (days + 1) * 1440;
                continue;
            }
            let hour = (m.rem_euclid(1440) / 60) as u32;
            if self.hour & (1 << hour) == 0 {
                m = (m / 60 + 1) * 60;
                continue;
            }
            if self.matches(m) {
                return Some(m);
            }
            m += 1;
        }
        None
    }
}

impl Schedule {
    /// The first schedule time strictly after `unix_minute`, read on `zone`'s wall clock
    /// (robfig/cron with `TZ=<zone>`, as `formatSchedule` prefixes it), as a unix minute.
    /// A wall time the spring-forward skips does not run that day.
    pub fn next_after_in(&self, zone: Option<&Zone>, unix_minute: i64) -> Option<i64> {
        let Some(zone) = zone else {
            return self.next_after(unix_minute);
        };
        let mut from = unix_minute;
        loop {
            let offset = zone.offset(from + 1);
            let at = self.next_after(from + offset)? - offset;
            match zone.next_switch(from + 1) {
                // The clocks change before then: look again from the change.
                Some(switch) if switch <= at => from = switch - 1,
                _ => return Some(at),
            }
        }
    }
}

fn unix_minutes(t: Millis) -> i64 {
    (EPOCH_UNIX_SECONDS + (t / 1000) as i64).div_euclid(60)
}

fn millis_of_minute(m: i64) -> Millis {
    ((m * 60 - EPOCH_UNIX_SECONDS).max(0) as u64) * 1000
}

pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.controllers.cronjob_cursor;
    let mut dirty: BTreeSet<(String, String)> = BTreeSet::new();
    for e in cluster.store.events_since(cursor) {
        match (
            e.key.resource.group.as_str(),
            e.key.resource.resource.as_str(),
        ) {
            ("batch", "cronjobs") => {
                dirty.insert((e.key.namespace.clone(), e.key.name.clone()));
            }
            ("batch", "jobs") => {
                if let Some(owner) =
                    object::controller_of(&e.object).filter(|o| o.kind == "CronJob")
                {
                    dirty.insert((e.key.namespace.clone(), owner.name));
                }
            }
            _ => {}
        }
    }
    cluster.controllers.cronjob_cursor = cluster.store.revision();
    for (ns, name) in dirty {
        sync(cluster, &ns, &name);
    }
}

pub fn wake(cluster: &mut Cluster, key: &str) {
    cluster.controllers.cronjob_wakes.remove(key);
    if let Some((ns, name)) = key.split_once('/') {
        sync(cluster, ns, name);
    }
}

fn emit(cluster: &mut Cluster, cj: &Value, kind: &str, reason: &str, message: &str) {
    cluster.emit_event(
        cj,
        kind,
        reason,
        message,
        &EventSource::component("cronjob-controller"),
        actor(),
    );
}

fn finished_condition(job: &Value) -> Option<String> {
    job.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| {
            matches!(object::str_at(c, "/type"), "Complete" | "Failed")
                && object::str_at(c, "/status") == "True"
        })
        .map(|c| object::str_at(c, "/type").to_string())
}

fn sync(cluster: &mut Cluster, ns: &str, name: &str) {
    let cj_rt = rt(cluster, "cronjobs");
    let job_rt = rt(cluster, "jobs");
    let Ok(cj) = cluster.get(&cj_rt, ns, name) else {
        return;
    };
    let cj = cj.clone();
    if object::is_deleting(&cj) {
        return;
    }
    let key = format!("{ns}/{name}");
    let uid = object::uid(&cj).to_string();
    let mut status = cj
        .get("status")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    let mut jobs: Vec<Value> = cluster
        .list(&job_rt, Some(ns))
        .into_iter()
        .filter(|j| object::controller_of(j).is_some_and(|o| o.uid == uid))
        .cloned()
        .collect();
    jobs.sort_shared_by_key(|j| object::str_at(j, "/metadata/creationTimestamp").to_string());

    // Finished jobs leave `active`.
    let mut active: Vec<Value> = status
        .get("active")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    active.retain(|a| {
        jobs.iter()
            .any(|j| object::uid(j) == object::str_at(a, "/uid"))
    });
    for j in &jobs {
        let in_active = active
            .iter()
            .any(|a| object::str_at(a, "/uid") == object::uid(j));
        match finished_condition(j) {
            Some(cond) if in_active => {
                active.retain(|a| object::str_at(a, "/uid") != object::uid(j));
                emit(
                    cluster,
                    &cj,
                    "Normal",
                    "SawCompletedJob",
                    &format!("Saw completed job: {}, condition: {cond}", object::name(j)),
                );
                if cond == "Complete" {
                    if let Some(t) = j.pointer("/status/completionTime") {
                        status["lastSuccessfulTime"] = t.clone();
                    }
                }
            }
            None if !in_active && !object::is_deleting(j) => active.push(job_ref(j)),
            _ => {}
        }
    }

    // A schedule time that is due.
    let schedule = parse_schedule(object::str_at(&cj, "/spec/schedule"));
    // Validation admits only zones `timezone::load` knows.
    let zone = match cj.pointer("/spec/timeZone").and_then(Value::as_str) {
        Some(name) => timezone::load(name).ok(),
        None => None,
    };
    let minute_of = |ms: i64| (EPOCH_UNIX_SECONDS * 1000 + ms).div_euclid(60_000);
    let since = match parse_rfc3339(object::str_at(&status, "/lastScheduleTime")) {
        Some(t) => minute_of(t),
        None => minute_of(
            parse_rfc3339(object::str_at(&cj, "/metadata/creationTimestamp")).unwrap_or(0),
        ),
    };
    let now_min = unix_minutes(cluster.now);
    let suspended = cj
        .pointer("/spec/suspend")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if let Some(schedule) = &schedule {
        // The most recent missed time (the controller only runs the latest one).
        let mut due = None;
        let mut t = since;
        while let Some(n) = schedule.next_after_in(zone.as_ref(), t) {
            if n > now_min {
                break;
            }
            due = Some(n);
            t = n;
        }
        let deadline = cj
            .pointer("/spec/startingDeadlineSeconds")
            .and_then(Value::as_i64);
        let too_late = |d: i64| deadline.is_some_and(|s| (now_min - d) * 60 > s);
        if let Some(d) = due.filter(|d| !suspended && !too_late(*d)) {
            let job_name = format!("{name}-{d}");
            let exists = jobs.iter().any(|j| object::name(j) == job_name);
            let policy = object::str_at(&cj, "/spec/concurrencyPolicy");
            if !exists {
                if policy == "Forbid" && !active.is_empty() {
                    // Skipped; it is tried again at the next schedule time.
                } else {
                    if policy == "Replace" {
                        for a in active.clone() {
                            let opts = DeleteOptions {
                                propagation: Propagation::Background,
                                actor: actor(),
                                ..Default::default()
                            };
                            let jn = object::str_at(&a, "/name").to_string();
                            if cluster.delete(&job_rt, ns, &jn, &opts).is_ok() {
                                emit(
                                    cluster,
                                    &cj,
                                    "Normal",
                                    "SuccessfulDelete",
                                    &format!("Deleted job {jn}"),
                                );
                            }
                        }
                        active.clear();
                    }
                    if let Some(job) = create_job(cluster, &cj, &job_name, d) {
                        active.push(job_ref(&job));
                    }
                    status["lastScheduleTime"] = json!(rfc3339(millis_of_minute(d)));
                }
            }
        }
        // Wake at the next schedule time.
        if let Some(next) = schedule.next_after_in(zone.as_ref(), now_min) {
            let at = millis_of_minute(next);
            if cluster.controllers.cronjob_wakes.get(&key) != Some(&at) && at > cluster.now {
                cluster.controllers.cronjob_wakes.insert(key.clone(), at);
                cluster.wake_after(at - cluster.now, "cronjob", key.clone());
            }
        }
    }

    // History limits: the oldest finished jobs beyond the limits go.
    for (cond, field, default) in [
        ("Complete", "successfulJobsHistoryLimit", 3),
        ("Failed", "failedJobsHistoryLimit", 1),
    ] {
        let limit = cj
            .pointer(&format!("/spec/{field}"))
            .and_then(Value::as_i64)
            .unwrap_or(default)
            .max(0) as usize;
        let finished: Vec<&Value> = jobs
            .iter()
            .filter(|j| finished_condition(j).as_deref() == Some(cond) && !object::is_deleting(j))
            .collect();
        if finished.len() > limit {
            for j in &finished[..finished.len() - limit] {
                let opts = DeleteOptions {
                    propagation: Propagation::Background,
                    actor: actor(),
                    ..Default::default()
                };
                let jn = object::name(j).to_string();
                if cluster.delete(&job_rt, ns, &jn, &opts).is_ok() {
                    emit(
                        cluster,
                        &cj,
                        "Normal",
                        "SuccessfulDelete",
                        &format!("Deleted job {jn}"),
                    );
                }
            }
        }
    }
    if active.is_empty() {
        if let Some(m) = status.as_object_mut() {
            m.remove("active");
        }
    } else {
        status["active"] = json!(active);
    }
    let _ = cluster.update_status(&cj_rt, ns, name, status, actor());
}

fn job_ref(job: &Value) -> Value {
    json!({"apiVersion": "batch/v1", "kind": "Job", "name": object::name(job), "namespace": object::namespace(job),
        "resourceVersion": object::str_at(job, "/metadata/resourceVersion"), "uid": object::uid(job)})
}

fn create_job(cluster: &mut Cluster, cj: &Value, job_name: &str, minute: i64) -> Option<Value> {
    let job_rt = rt(cluster, "jobs");
    let ns = object::namespace(cj).to_string();
    let template = cj
        .pointer("/spec/jobTemplate")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let mut meta = json!({"name": job_name, "namespace": ns, "ownerReferences": [object::controller_ref(cj)],
        "annotations": {"batch.kubernetes.io/cronjob-scheduled-timestamp": rfc3339(millis_of_minute(minute))}});
    if let Some(l) = template.pointer("/metadata/labels") {
        meta["labels"] = l.clone();
    }
    if let Some(a) = template
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
    {
        for (k, v) in a {
            meta["annotations"][k] = v.clone();
        }
    }
    let job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": template.get("spec").cloned().unwrap_or_else(|| json!({}))});
    match cluster.create(
        &job_rt,
        job,
        &ns,
        &WriteOptions {
            actor: actor(),
            ..Default::default()
        },
    ) {
        Ok(j) => {
            emit(
                cluster,
                cj,
                "Normal",
                "SuccessfulCreate",
                &format!("Created job {job_name}"),
            );
            Some(j)
        }
        Err(e) => {
            emit(
                cluster,
                cj,
                "Warning",
                "FailedCreate",
                &format!("Error creating job: {e}"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::cluster::ClusterOptions;
    use crate::sim::time::MINUTE;

    #[test]
    fn schedules() {
        // 2026-01-01T00:00Z is a Thursday; its Unix minute:
        let t0 = EPOCH_UNIX_SECONDS / 60;
        let s = parse_schedule("*/5 * * * *").expect("valid");
        assert_eq!(s.next_after(t0), Some(t0 + 5));
        let s = parse_schedule("30 9 * * mon-fri").expect("valid");
        assert_eq!(s.next_after(t0), Some(t0 + 9 * 60 + 30)); // Thursday 09:30
        let s = parse_schedule("0 0 * * 0").expect("valid");
        assert_eq!(s.next_after(t0), Some(t0 + 3 * 1440)); // Sunday 2026-01-04

        // 09:30 in New York: 14:30 UTC in winter (EST), 13:30 UTC in summer (EDT).
        let ny = crate::sim::timezone::load("America/New_York").expect("known");
        let s = parse_schedule("30 9 * * *").expect("valid");
        assert_eq!(s.next_after_in(Some(&ny), t0), Some(t0 + 14 * 60 + 30));
        let july = t0 + 181 * 1440; // 2026-07-01
        assert_eq!(s.next_after_in(Some(&ny), july), Some(july + 13 * 60 + 30));
        // 02:30 does not exist on 2026-03-08 (02:00 EST → 03:00 EDT): the next run is
        // on the 9th, 06:30 UTC.
        let s = parse_schedule("30 2 * * *").expect("valid");
        let march7 = t0 + 65 * 1440 + 8 * 60; // 2026-03-07 08:00 UTC, after that day's run
        assert_eq!(
            s.next_after_in(Some(&ny), march7),
            Some(t0 + 67 * 1440 + 6 * 60 + 30)
        );
        let s = parse_schedule("@monthly").expect("valid");
        assert_eq!(s.next_after(t0), Some(t0 + 31 * 1440));
        let s = parse_schedule("0 0 13 * 5").expect("valid"); // the 13th or a Friday
        assert_eq!(s.next_after(t0), Some(t0 + 1440));
        assert!(parse_schedule("61 * * * *").is_none());
        assert_eq!(civil(0), (1970, 1, 1));
    }

    #[test]
    fn creates_jobs_at_schedule_times_named_by_minute() {
        let mut c = Cluster::new(ClusterOptions::default());
        for n in ["control-plane", "worker-1", "worker-2", "worker-3"] {
            c.controllers.stopped_kubelets.insert(n.to_string());
        }
        let t = rt(&c, "cronjobs");
        let cj = json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "hello"},
            "spec": {"schedule": "*/2 * * * *", "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure",
                "containers": [{"name": "c", "image": "busybox", "command": ["date"]}]}}}}}});
        c.create(&t, cj, "default", &WriteOptions::default())
            .expect("cronjob");
        c.settle();
        let jobs = rt(&c, "jobs");
        assert!(c.list(&jobs, Some("default")).is_empty());
        c.advance(2 * MINUTE);
        let names: Vec<String> = c
            .list(&jobs, Some("default"))
            .into_iter()
            .map(|j| object::name(j).to_string())
            .collect();
        assert_eq!(
            names,
            vec![format!("hello-{}", EPOCH_UNIX_SECONDS / 60 + 2)]
        );
        let cj = c.get(&t, "default", "hello").expect("cj");
        assert_eq!(
            object::str_at(cj, "/status/lastScheduleTime"),
            "2026-01-01T00:02:00Z"
        );
        assert_eq!(
            cj.pointer("/status/active")
                .and_then(Value::as_array)
                .map(Vec::len),
            Some(1)
        );
        c.advance(4 * MINUTE);
        assert_eq!(c.list(&jobs, Some("default")).len(), 3);
    }
}
