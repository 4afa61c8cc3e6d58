//! `kubectl wait (TYPE/NAME | TYPE NAME… | TYPE -l SELECTOR | TYPE --all)
//! --for=delete|condition=NAME[=VALUE]|jsonpath='{…}'[=VALUE] [--timeout=30s]`
//! (kubectl `pkg/cmd/wait/wait.go`), in virtual time: the cluster runs event by event
//! until every object meets the condition or the one shared timeout expires.
//!
//! Success prints `pod/x condition met` per object; a timeout stops at the first
//! object still waiting: `error: timed out waiting for the condition on pods/x`.
//! `--timeout=0` checks once (`error: condition not met for pods/x`), a negative
//! timeout waits a week. Conditions compare case-insensitively and are not met while
//! `observedGeneration` lags `generation`.

use super::flags::{self, switch, value, Flag};
use super::namespace_of;
use super::resources::parse_requests;
use crate::console::output::Output;
use crate::console::printers::jsonpath;
use crate::console::Console;
use crate::sim::apiserver::display_ref;
use crate::sim::labels::Selector;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::time::{Millis, HOUR, SECOND};
use serde_json::Value;

/// The most virtual time one `kubectl wait` lets pass: a week (`--timeout=-1`) would
/// freeze the page for seconds while nothing the learner waits for happens.
const WAIT_LIMIT: Millis = HOUR;

const WAIT_FLAGS: &[Flag] = &[
    value("for", None),
    value("timeout", None),
    value("selector", Some('l')),
    switch("all", None),
    switch("all-namespaces", Some('A')),
    value("filename", Some('f')),
    value("output", Some('o')),
    value("field-selector", None),
    switch("local", None),
];

/// What `--for` asks.
#[derive(Debug, Clone, PartialEq)]
enum Condition {
    Delete,
    Status {
        name: String,
        value: String,
    },
    JsonPath {
        template: String,
        value: Option<String>,
    },
}

fn parse_condition(spec: &str) -> Result<Condition, String> {
    if spec.eq_ignore_ascii_case("delete") {
        return Ok(Condition::Delete);
    }
    if let Some(rest) = spec.strip_prefix("condition=") {
        let (name, value) = rest.split_once('=').unwrap_or((rest, "true"));
        return Ok(Condition::Status {
            name: name.to_string(),
            value: value.to_string(),
        });
    }
    if let Some(rest) = spec.strip_prefix("jsonpath=") {
        // The expression ends at its closing brace; `=VALUE` may follow.
        let (expression, value) = match rest.rfind('}') {
            Some(i) => (&rest[..=i], rest[i + 1..].strip_prefix('=')),
            None => match rest.split_once('=') {
                Some((e, v)) => (e, Some(v)),
                None => (rest, None),
            },
        };
        if expression.is_empty() {
            return Err("jsonpath expression cannot be empty".into());
        }
        if value == Some("") {
            return Err("jsonpath wait value cannot be empty".into());
        }
        let template = jsonpath::relaxed_expression(expression)?;
        return Ok(Condition::JsonPath {
            template,
            value: value.map(|v| v.trim_matches(|c| c == '\'' || c == '"').to_string()),
        });
    }
    Err(format!("unrecognized condition: {spec:?}"))
}

/// Go's `time.ParseDuration` as the `--timeout` flag applies it.
fn parse_timeout(s: &str) -> Result<i64, String> {
    let bad = |why: &str| {
        format!(
            "error: invalid argument \"{s}\" for \"--timeout\" flag: time: {why} \"{s}\"\nSee 'kubectl wait --help' for usage."
        )
    };
    let (negative, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if body == "0" {
        return Ok(0);
    }
    if !body.is_empty() && body.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad("missing unit in duration"));
    }
    let ms = crate::sim::time::parse_duration(body).ok_or_else(|| bad("invalid duration"))?;
    Ok(if negative { -(ms as i64) } else { ms as i64 })
}

pub fn wait(console: &mut Console, args: &[String]) -> Output {
    let parsed = match flags::parse("wait", args, WAIT_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let condition = match parse_condition(parsed.get("for").unwrap_or("")) {
        Ok(c) => c,
        Err(e) => return Output::fail(format!("error: {e}")),
    };
    let timeout = match parsed.get("timeout").map(parse_timeout).transpose() {
        Ok(t) => t.unwrap_or(30 * SECOND as i64),
        Err(e) => return Output::fail(e),
    };
    let timeout: Millis = if timeout < 0 {
        168 * HOUR
    } else {
        timeout as Millis
    };
    let ns = namespace_of(console, &parsed);
    let targets = match targets(console, &parsed, &ns, &condition) {
        Ok(t) => t,
        Err(e) => return Output::fail(e),
    };
    let deadline = console
        .cluster
        .now()
        .saturating_add(timeout.min(WAIT_LIMIT));
    let mut out = Output::default();
    for (rt, namespace, name, uid) in targets {
        let result = wait_for(
            console, &rt, &namespace, &name, &uid, &condition, timeout, deadline,
        );
        match result {
            Ok(()) => out.out(format!("{} condition met\n", display_ref(&rt, &name))),
            Err(e) => {
                out.error(e);
                return out;
            }
        }
    }
    out
}

/// (type, namespace, name, uid) of every object to wait on, found once at the start
/// (kubectl's resource builder).
fn targets(
    console: &Console,
    parsed: &flags::Parsed,
    ns: &str,
    condition: &Condition,
) -> Result<Vec<(ResourceType, String, String, String)>, String> {
    let cluster = &console.cluster;
    let requests = parse_requests(cluster.registry(), &parsed.positional)?;
    if requests.is_empty() {
        return Err("error: you must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'".into());
    }
    let selector = match parsed.get("selector").map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(e) => return Err(format!("error: {e}")),
    };
    let all_ns = parsed.bool("all-namespaces");
    let mut out = vec![];
    for r in requests {
        let namespace = if r.rt.namespaced { ns } else { "" };
        match r.names {
            Some(names) => {
                for name in names {
                    match cluster.get(&r.rt, namespace, &name) {
                        Ok(obj) => out.push((
                            r.rt.clone(),
                            namespace.to_string(),
                            name,
                            object::uid(obj).to_string(),
                        )),
                        Err(_) if *condition == Condition::Delete => {}
                        Err(e) => return Err(super::standard_message(&e)),
                    }
                }
            }
            None => {
                if selector.is_none() && !parsed.bool("all") {
                    return Err(
                        "error: resource(s) were provided, but no name was specified".into(),
                    );
                }
                let scope = if all_ns { None } else { Some(namespace) };
                for obj in cluster.list(&r.rt, scope) {
                    if selector.as_ref().is_none_or(|s| s.matches_object(obj)) {
                        out.push((
                            r.rt.clone(),
                            object::namespace(obj).to_string(),
                            object::name(obj).to_string(),
                            object::uid(obj).to_string(),
                        ));
                    }
                }
            }
        }
    }
    if out.is_empty() && *condition != Condition::Delete {
        return Err("error: no matching resources found".into());
    }
    Ok(out)
}

/// Lets time pass until one object meets the condition, or the deadline.
#[allow(clippy::too_many_arguments)]
fn wait_for(
    console: &mut Console,
    rt: &ResourceType,
    ns: &str,
    name: &str,
    uid: &str,
    condition: &Condition,
    timeout: Millis,
    deadline: Millis,
) -> Result<(), String> {
    let timed_out = format!(
        "error: timed out waiting for the condition on {}/{name}",
        rt.plural
    );
    loop {
        let current = console.cluster.get(rt, ns, name).ok().cloned();
        let met = match (condition, &current) {
            (Condition::Delete, None) => true,
            (Condition::Delete, Some(obj)) => object::uid(obj) != uid,
            (_, None) if timeout == 0 => {
                return Err(format!("error: condition not met for {}/{name}", rt.plural))
            }
            (_, None) => {
                // The object vanished while we waited: the precondition's NotFound.
                return Err(super::standard_message(
                    &crate::sim::errors::ApiError::not_found(&rt.group_resource(), name),
                ));
            }
            (c, Some(obj)) => check(c, obj)?,
        };
        if met {
            return Ok(());
        }
        if timeout == 0 {
            return Err(format!("error: condition not met for {}/{name}", rt.plural));
        }
        match console.cluster.next_event_at() {
            Some(t) if t <= deadline => console.cluster.run_until(t),
            _ => {
                console.cluster.run_until(deadline);
                if timeout > WAIT_LIMIT {
                    return Err(format!(
                        "kubesim: stopped waiting for {}/{name} after {} of simulated time (a real kubectl would wait until its --timeout)",
                        rt.plural,
                        crate::sim::time::go_duration(WAIT_LIMIT)
                    ));
                }
                return Err(timed_out);
            }
        }
    }
}

/// `ConditionalWait.checkCondition` / `JSONPathWait.checkCondition`.
fn check(condition: &Condition, obj: &Value) -> Result<bool, String> {
    match condition {
        Condition::Delete => Ok(false),
        Condition::Status { name, value } => {
            let conditions = obj
                .pointer("/status/conditions")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for c in conditions {
                if !object::str_at(&c, "/type").eq_ignore_ascii_case(name) {
                    continue;
                }
                let generation = obj.pointer("/metadata/generation").and_then(Value::as_i64);
                let observed = c
                    .get("observedGeneration")
                    .and_then(Value::as_i64)
                    .or_else(|| {
                        obj.pointer("/status/observedGeneration")
                            .and_then(Value::as_i64)
                    });
                if let (Some(g), Some(o)) = (generation, observed) {
                    if o < g {
                        return Ok(false);
                    }
                }
                return Ok(object::str_at(&c, "/status").eq_ignore_ascii_case(value));
            }
            Ok(false)
        }
        Condition::JsonPath { template, value } => {
            let results = jsonpath::find_results(template, obj).unwrap_or_default();
            let Some(first) = results.first().filter(|r| !r.is_empty()) else {
                return Ok(false);
            };
            if results.len() > 1 {
                return Err("error: given jsonpath expression matches more than one list".into());
            }
            if first.len() > 1 {
                return Err("error: given jsonpath expression matches more than one value".into());
            }
            let Some(expected) = value else {
                return Ok(true);
            };
            if first[0].is_object() || first[0].is_array() {
                return Err(
                    "error: jsonpath leads to a nested object or list which is not supported"
                        .into(),
                );
            }
            Ok(jsonpath::go_value(&first[0]).trim() == expected.trim())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_as_kubectl_reads_them() {
        assert_eq!(parse_condition("delete"), Ok(Condition::Delete));
        assert_eq!(
            parse_condition("condition=Ready"),
            Ok(Condition::Status {
                name: "Ready".into(),
                value: "true".into()
            })
        );
        assert_eq!(
            parse_condition("condition=Ready=false"),
            Ok(Condition::Status {
                name: "Ready".into(),
                value: "false".into()
            })
        );
        assert_eq!(
            parse_condition("jsonpath={.status.phase}=Running"),
            Ok(Condition::JsonPath {
                template: "{.status.phase}".into(),
                value: Some("Running".into())
            })
        );
        assert_eq!(
            parse_condition("ready"),
            Err("unrecognized condition: \"ready\"".into())
        );
        assert_eq!(
            parse_condition("jsonpath={.status.phase}="),
            Err("jsonpath wait value cannot be empty".into())
        );
    }

    #[test]
    fn timeouts_are_go_durations() {
        assert_eq!(parse_timeout("90s"), Ok(90_000));
        assert_eq!(parse_timeout("0"), Ok(0));
        assert_eq!(parse_timeout("-1s"), Ok(-1000));
        assert!(parse_timeout("60")
            .unwrap_err()
            .contains("missing unit in duration \"60\""));
    }
}
