//! `kubectl rollout status|restart|undo|history|pause|resume` (kubectl
//! `pkg/cmd/rollout/*.go` and `pkg/polymorphichelpers`: rollout_status.go, history.go,
//! rollback.go, objectrestarter.go, objectpauser.go, objectresumer.go).
//!
//! `rollout status` watches: here it advances virtual time event by event until the
//! rollout is done (or `--timeout`), printing each new status line once.

use super::flags::{self, switch, value, Flag, Parsed};
use super::resources::parse_requests;
use super::{namespace_of, Errors};
use crate::console::output::Output;
use crate::console::Console;
use crate::sim::apiserver::WriteOptions;
use crate::sim::controllers::deployment::{
    DESIRED_REPLICAS, HASH_LABEL, MAX_REPLICAS, REVISION, REVISION_HISTORY,
};
use crate::sim::json::json;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::sort::SharedSort;
use crate::sim::time::{parse_duration, parse_rfc3339, rfc3339, Millis, MINUTE, SECOND};
use serde_json::Value;

const USAGE: &str = "Manage the rollout of one or many resources.

 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets

Examples:
  # Rollback to the previous deployment
  kubectl rollout undo deployment/abc

  # Check the rollout status of a daemonset
  kubectl rollout status daemonset/foo

  # Restart a deployment
  kubectl rollout restart deployment/abc

  # Restart deployments with the 'app=nginx' label
  kubectl rollout restart deployment --selector=app=nginx

Available Commands:
  history       View rollout history
  pause         Mark the provided resource as paused
  restart       Restart a resource
  resume        Resume a paused resource
  status        Show the status of the rollout
  undo          Undo a previous rollout

Usage:
  kubectl rollout SUBCOMMAND [options]

Use \"kubectl rollout <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

const STATUS_FLAGS: &[Flag] = &[
    switch("watch", Some('w')),
    value("timeout", None),
    value("revision", None),
    value("filename", Some('f')),
    value("selector", Some('l')),
];
const HISTORY_FLAGS: &[Flag] = &[
    value("revision", None),
    value("output", Some('o')),
    value("filename", Some('f')),
    value("selector", Some('l')),
];
const UNDO_FLAGS: &[Flag] = &[
    value("to-revision", None),
    value("dry-run", None),
    value("filename", Some('f')),
    value("selector", Some('l')),
];
const SIMPLE_FLAGS: &[Flag] = &[
    value("filename", Some('f')),
    value("selector", Some('l')),
    value("field-manager", None),
];

/// Without `--timeout`, stop waiting after this much virtual time (a real kubectl would
/// wait forever; the progress deadline of 10 minutes normally ends it first).
const WAIT_LIMIT: Millis = 15 * MINUTE;

pub fn rollout(console: &mut Console, args: &[String]) -> Output {
    let Some(sub) = args.first() else {
        // DefaultSubCommandRun: help on stderr, then exit 1.
        return Output::fail(USAGE);
    };
    let rest = &args[1..];
    match sub.as_str() {
        "status" => status(console, rest),
        "history" => history(console, rest),
        "undo" => undo(console, rest),
        "restart" => restart(console, rest),
        "pause" => pause_resume(console, rest, true),
        "resume" => pause_resume(console, rest, false),
        "--help" | "-h" => Output::ok(USAGE),
        // DefaultSubCommandRun: RequireNoArguments → a usage error.
        other => Output::fail(format!(
            "error: unknown command \"{other}\"\nSee 'kubectl rollout -h' for help and examples"
        )),
    }
}

/// The objects a subcommand names: (type, name) pairs, or kubectl's error.
fn targets(
    console: &Console,
    command: &str,
    parsed: &Parsed,
) -> Result<Vec<(ResourceType, String)>, Output> {
    let requests =
        parse_requests(console.cluster.registry(), &parsed.positional).map_err(Output::fail)?;
    if requests.is_empty() {
        return Err(Output::fail(format!(
            "error: required resource not specified\nSee 'kubectl rollout {command} -h' for help and examples"
        )));
    }
    let mut out = vec![];
    for r in requests {
        match r.names {
            Some(names) => out.extend(names.into_iter().map(|n| (r.rt.clone(), n))),
            None => {
                return Err(Output::fail(
                    "error: resource(s) were provided, but no name was specified",
                ))
            }
        }
    }
    Ok(out)
}

fn parse(command: &str, args: &[String], flags: &[Flag]) -> Result<Parsed, Output> {
    flags::parse(&format!("rollout {command}"), args, flags).map_err(Output::fail)
}

fn i64_at(obj: &Value, pointer: &str) -> i64 {
    obj.pointer(pointer).and_then(Value::as_i64).unwrap_or(0)
}

/// The rollout status viewers (`polymorphichelpers/rollout_status.go`): the line to show,
/// whether the rollout is done, or an error.
pub fn status_line(rt: &ResourceType, obj: &Value) -> Result<(String, bool), String> {
    let name = object::name(obj);
    let generation = i64_at(obj, "/metadata/generation");
    let observed = i64_at(obj, "/status/observedGeneration");
    match (rt.group.as_str(), rt.plural.as_str()) {
        ("apps", "deployments") => {
            if generation > observed {
                return Ok((
                    "Waiting for deployment spec update to be observed...".into(),
                    false,
                ));
            }
            let progressing = obj
                .pointer("/status/conditions")
                .and_then(Value::as_array)
                .and_then(|cs| {
                    cs.iter()
                        .find(|c| object::str_at(c, "/type") == "Progressing")
                });
            if progressing
                .is_some_and(|c| object::str_at(c, "/reason") == "ProgressDeadlineExceeded")
            {
                return Err(format!(
                    "deployment \"{name}\" exceeded its progress deadline"
                ));
            }
            let replicas = obj
                .pointer("/spec/replicas")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            let updated = i64_at(obj, "/status/updatedReplicas");
            let current = i64_at(obj, "/status/replicas");
            let available = i64_at(obj, "/status/availableReplicas");
            if updated < replicas {
                return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {updated} out of {replicas} new replicas have been updated..."), false));
            }
            if current > updated {
                return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...", current - updated), false));
            }
            if available < updated {
                return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available..."), false));
            }
            Ok((
                format!("deployment \"{name}\" successfully rolled out"),
                true,
            ))
        }
        ("apps", "daemonsets") => {
            if object::str_at(obj, "/spec/updateStrategy/type") == "OnDelete" {
                return Err(
                    "rollout status is only available for RollingUpdate strategy type".into(),
                );
            }
            if generation > observed {
                return Ok((
                    "Waiting for daemon set spec update to be observed...".into(),
                    false,
                ));
            }
            let desired = i64_at(obj, "/status/desiredNumberScheduled");
            let updated = i64_at(obj, "/status/updatedNumberScheduled");
            let available = i64_at(obj, "/status/numberAvailable");
            if updated < desired {
                return Ok((format!("Waiting for daemon set \"{name}\" rollout to finish: {updated} out of {desired} new pods have been updated..."), false));
            }
            if available < desired {
                return Ok((format!("Waiting for daemon set \"{name}\" rollout to finish: {available} of {desired} updated pods are available..."), false));
            }
            Ok((
                format!("daemon set \"{name}\" successfully rolled out"),
                true,
            ))
        }
        ("apps", "statefulsets") => {
            if object::str_at(obj, "/spec/updateStrategy/type") == "OnDelete" {
                return Err(
                    "rollout status is only available for RollingUpdate strategy type".into(),
                );
            }
            if observed == 0 || generation > observed {
                return Ok((
                    "Waiting for statefulset spec update to be observed...".into(),
                    false,
                ));
            }
            let replicas = obj
                .pointer("/spec/replicas")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            let ready = i64_at(obj, "/status/readyReplicas");
            if ready < replicas {
                return Ok((
                    format!("Waiting for {} pods to be ready...", replicas - ready),
                    false,
                ));
            }
            let updated = i64_at(obj, "/status/updatedReplicas");
            if let Some(partition) = obj
                .pointer("/spec/updateStrategy/rollingUpdate/partition")
                .and_then(Value::as_i64)
                .filter(|p| *p > 0)
            {
                if updated < replicas - partition {
                    return Ok((format!("Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...", replicas - partition), false));
                }
                return Ok((
                    format!(
                        "partitioned roll out complete: {updated} new pods have been updated..."
                    ),
                    true,
                ));
            }
            let update_rev = object::str_at(obj, "/status/updateRevision");
            let current_rev = object::str_at(obj, "/status/currentRevision");
            if update_rev != current_rev {
                return Ok((format!("waiting for statefulset rolling update to complete {updated} pods at revision {update_rev}..."), false));
            }
            Ok((
                format!(
                    "statefulset rolling update complete {} pods at revision {current_rev}...",
                    i64_at(obj, "/status/currentReplicas")
                ),
                true,
            ))
        }
        _ => Err(format!(
            "no status viewer has been implemented for {}",
            rt.kind
        )),
    }
}

fn status(console: &mut Console, args: &[String]) -> Output {
    let parsed = match parse("status", args, STATUS_FLAGS) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let targets = match targets(console, "status", &parsed) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let watch = parsed.get("watch") != Some("false");
    let timeout = match parsed.get("timeout") {
        None => None,
        Some(t) => match parse_duration(t) {
            Some(0) => None,
            Some(d) => Some(d),
            None => return Output::fail(format!("error: invalid argument \"{t}\" for \"--timeout\" flag: time: invalid duration \"{t}\"")),
        },
    };
    let ns = namespace_of(console, &parsed);
    let mut out = Output::default();
    for (rt, name) in targets {
        let start = console.cluster.now();
        let limit = start + timeout.unwrap_or(WAIT_LIMIT);
        let mut last = String::new();
        loop {
            let obj = match console.cluster.get(&rt, &ns, &name) {
                Ok(o) => o.clone(),
                Err(e) => {
                    let mut errors = Errors::default();
                    errors.api(e);
                    errors.write_to(&mut out);
                    return out;
                }
            };
            match status_line(&rt, &obj) {
                Err(e) => {
                    out.error(format!("error: {e}"));
                    return out;
                }
                Ok((line, done)) => {
                    if line != last {
                        out.out(format!("{line}\n"));
                        last = line;
                    }
                    if done || !watch {
                        break;
                    }
                }
            }
            match console.cluster.next_event_at() {
                Some(t) if t <= limit => console.cluster.run_until(t),
                _ => {
                    if timeout.is_some() {
                        console.cluster.run_until(limit);
                        out.error("error: timed out waiting for the condition");
                    } else {
                        out.error(format!(
                            "kubesim: stopped watching after {} of simulated time: the rollout is not finishing (a real kubectl would keep waiting; check `kubectl get pods` and `kubectl describe`)",
                            crate::sim::time::go_duration(console.cluster.now().saturating_sub(start).max(SECOND))
                        ));
                    }
                    return out;
                }
            }
        }
    }
    out
}

/// The revisions of a Deployment (its ReplicaSets), StatefulSet or DaemonSet (their
/// ControllerRevisions), oldest first: (number, the object holding it, its pod template).
fn revisions(console: &Console, rt: &ResourceType, owner: &Value) -> Vec<(i64, Value, Value)> {
    let uid = object::uid(owner);
    let deployment = rt.plural == "deployments";
    let holder = if deployment {
        "replicasets"
    } else {
        "controllerrevisions"
    };
    let Some(holder_rt) = console.cluster.registry().resolve(holder) else {
        return vec![];
    };
    let mut list: Vec<(i64, Value, Value)> = console
        .cluster
        .list(holder_rt, Some(object::namespace(owner)))
        .into_iter()
        .filter(|h| object::controller_of(h).is_some_and(|r| r.uid == uid))
        .filter_map(|h| {
            if deployment {
                let number = object::annotation(h, REVISION)?.parse::<i64>().ok()?;
                let template = h.pointer("/spec/template").cloned().unwrap_or_default();
                return Some((number, h.clone(), template));
            }
            let number = h.get("revision").and_then(Value::as_i64)?;
            let mut template = h
                .pointer("/data/spec/template")
                .cloned()
                .unwrap_or_default();
            if let Some(m) = template.as_object_mut() {
                m.remove("$patch");
            }
            Some((number, h.clone(), template))
        })
        .collect();
    list.sort_shared_by_key(|(r, _, _)| *r);
    list
}

fn has_history(rt: &ResourceType) -> bool {
    rt.group == "apps"
        && matches!(
            rt.plural.as_str(),
            "deployments" | "statefulsets" | "daemonsets"
        )
}

/// text/tabwriter with padding 2, as `tabbedString` uses.
fn tabbed(rows: &[(String, String)]) -> String {
    let width = rows.iter().map(|(a, _)| a.len()).max().unwrap_or(0) + 2;
    rows.iter()
        .map(|(a, b)| format!("{a:<width$}{b}\n"))
        .collect()
}

fn history(console: &mut Console, args: &[String]) -> Output {
    let parsed = match parse("history", args, HISTORY_FLAGS) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let targets = match targets(console, "history", &parsed) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let ns = namespace_of(console, &parsed);
    let mut out = Output::default();
    let mut errors = Errors::default();
    for (rt, name) in targets {
        let obj = match console.cluster.get(&rt, &ns, &name) {
            Ok(o) => o.clone(),
            Err(e) => {
                errors.api(e);
                continue;
            }
        };
        if !has_history(&rt) {
            errors.client(format!(
                "no history viewer has been implemented for \"{}\"",
                rt.kind
            ));
            continue;
        }
        let revs = revisions(console, &rt, &obj);
        let wanted = parsed
            .get("revision")
            .and_then(|r| r.parse::<i64>().ok())
            .unwrap_or(0);
        if wanted > 0 {
            match revs.iter().find(|(r, _, _)| *r == wanted) {
                Some((_, _, template)) => {
                    // historyInfo holds the ReplicaSet's template as is, hash label included.
                    out.out(format!(
                        "{}/{name} with revision #{wanted}\n{}\n",
                        rt.kind_prefix(),
                        pod_template_text(template)
                    ));
                }
                None => errors.client("unable to find the specified revision"),
            }
            continue;
        }
        if revs.is_empty() {
            out.out(format!(
                "{}/{name} \nNo rollout history found.\n",
                rt.kind_prefix()
            ));
            continue;
        }
        let mut rows = vec![("REVISION".to_string(), "CHANGE-CAUSE".to_string())];
        for (r, holder, _) in &revs {
            let cause = object::annotation(holder, "kubernetes.io/change-cause")
                .filter(|c| !c.is_empty())
                .unwrap_or("<none>");
            rows.push((r.to_string(), cause.to_string()));
        }
        out.out(format!("{}/{name} \n{}\n", rt.kind_prefix(), tabbed(&rows)));
    }
    errors.write_to(&mut out);
    out
}

/// The `Pod Template:` block `printTemplate` writes for one revision (describe's
/// layout, tabs left as they are: kubectl prints this text without a tabwriter).
fn pod_template_text(template: &Value) -> String {
    let pairs = |pointer: &str, sep: &str| -> Vec<String> {
        template
            .pointer(pointer)
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k}{sep}{}", v.as_str().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let joined = |list: Vec<String>| {
        if list.is_empty() {
            "<none>".to_string()
        } else {
            list.join("\n\t")
        }
    };
    let mut s = String::from("Pod Template:\n");
    s.push_str(&format!(
        "  Labels:\t{}\n",
        joined(pairs("/metadata/labels", "="))
    ));
    let annotations = pairs("/metadata/annotations", ": ");
    if !annotations.is_empty() {
        s.push_str(&format!("  Annotations:\t{}\n", joined(annotations)));
    }
    s.push_str("  Containers:\n");
    for c in template
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        s.push_str(&format!(
            "   {}:\n    Image:\t{}\n",
            object::str_at(c, "/name"),
            object::str_at(c, "/image")
        ));
        let ports: Vec<&Value> = c
            .get("ports")
            .and_then(Value::as_array)
            .map(|p| p.iter().collect())
            .unwrap_or_default();
        let fmt_ports = |field: &str| -> String {
            if ports.is_empty() {
                return "<none>".to_string();
            }
            ports
                .iter()
                .map(|p| format!("{}/{}", i64_at(p, field), object::str_at(p, "/protocol")))
                .collect::<Vec<_>>()
                .join(", ")
        };
        s.push_str(&format!(
            "    Port:\t{}\n    Host Port:\t{}\n",
            fmt_ports("/containerPort"),
            fmt_ports("/hostPort")
        ));
        s.push_str("    Environment:\t<none>\n    Mounts:\t<none>\n");
    }
    s.push_str("  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n");
    s
}

/// Annotations `rollout undo` keeps from the Deployment instead of the ReplicaSet.
fn undo_skips(key: &str) -> bool {
    matches!(
        key,
        "kubectl.kubernetes.io/last-applied-configuration"
            | REVISION
            | REVISION_HISTORY
            | DESIRED_REPLICAS
            | MAX_REPLICAS
            | "deprecated.deployment.rollback.to"
    )
}

fn undo(console: &mut Console, args: &[String]) -> Output {
    let parsed = match parse("undo", args, UNDO_FLAGS) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let targets = match targets(console, "undo", &parsed) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let to_revision = match parsed.get("to-revision").map(str::parse::<i64>) {
        None => 0,
        Some(Ok(r)) => r,
        Some(Err(_)) => {
            let v = parsed.get("to-revision").unwrap_or_default();
            return Output::fail(format!("error: invalid argument \"{v}\" for \"--to-revision\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"));
        }
    };
    let ns = namespace_of(console, &parsed);
    let mut out = Output::default();
    let mut errors = Errors::default();
    for (rt, name) in targets {
        let deploy = match console.cluster.get(&rt, &ns, &name) {
            Ok(o) => o.clone(),
            Err(e) => {
                errors.api(e);
                continue;
            }
        };
        if !has_history(&rt) {
            errors.client(format!(
                "no rollbacker has been implemented for \"{}\"",
                rt.kind
            ));
            continue;
        }
        let revs = revisions(console, &rt, &deploy);
        if rt.plural != "deployments" {
            // StatefulSet / DaemonSet: the ControllerRevision's template goes back in.
            let found = if to_revision > 0 {
                revs.iter().find(|(r, _, _)| *r == to_revision)
            } else {
                revs.iter().rev().nth(1)
            };
            let Some((_, _, template)) = found else {
                errors.client(if to_revision > 0 {
                    format!("unable to find specified revision {to_revision} in history")
                } else {
                    "no last revision to roll back to".to_string()
                });
                continue;
            };
            if deploy.pointer("/spec/template") == Some(template) {
                out.out(format!("{}/{name} skipped rollback (current template already matches revision {to_revision})\n", rt.kind_prefix()));
                continue;
            }
            let mut updated = deploy.clone();
            updated["spec"]["template"] = template.clone();
            match console
                .cluster
                .update(&rt, updated, &WriteOptions::default())
            {
                Ok(_) => out.out(format!("{}/{name} rolled back\n", rt.kind_prefix())),
                Err(e) => errors.api(e),
            }
            continue;
        }
        let target = if to_revision > 0 {
            match revs.iter().find(|(r, _, _)| *r == to_revision) {
                Some((_, rs, _)) => rs.clone(),
                None => {
                    errors.client(format!(
                        "unable to find specified revision {to_revision} in history"
                    ));
                    continue;
                }
            }
        } else {
            // The second-highest revision: the one before the current.
            match revs.iter().rev().nth(1) {
                Some((_, rs, _)) => rs.clone(),
                None => {
                    errors.client(format!(
                        "no rollout history found for deployment \"{name}\""
                    ));
                    continue;
                }
            }
        };
        if deploy
            .pointer("/spec/paused")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            errors.client("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
            continue;
        }
        let mut template = target
            .pointer("/spec/template")
            .cloned()
            .unwrap_or_default();
        if let Some(l) = template
            .pointer_mut("/metadata/labels")
            .and_then(Value::as_object_mut)
        {
            l.remove(HASH_LABEL);
        }
        if deploy.pointer("/spec/template") == Some(&template) {
            out.out(format!("{}/{name} skipped rollback (current template already matches revision {to_revision})\n", rt.kind_prefix()));
            continue;
        }
        let mut annotations = serde_json::Map::new();
        if let Some(a) = deploy
            .pointer("/metadata/annotations")
            .and_then(Value::as_object)
        {
            for (k, v) in a.iter().filter(|(k, _)| undo_skips(k)) {
                annotations.insert(k.clone(), v.clone());
            }
        }
        if let Some(a) = target
            .pointer("/metadata/annotations")
            .and_then(Value::as_object)
        {
            for (k, v) in a.iter().filter(|(k, _)| !undo_skips(k)) {
                annotations.insert(k.clone(), v.clone());
            }
        }
        let mut updated = deploy.clone();
        updated["spec"]["template"] = template;
        object::meta_mut(&mut updated).insert("annotations".into(), Value::Object(annotations));
        if parsed.get("dry-run").is_some_and(|d| d != "none") {
            out.out(format!(
                "{}/{name} rolled back (dry run)\n",
                rt.kind_prefix()
            ));
            continue;
        }
        match console
            .cluster
            .update(&rt, updated, &WriteOptions::default())
        {
            Ok(_) => out.out(format!("{}/{name} rolled back\n", rt.kind_prefix())),
            Err(e) => errors.api(e),
        }
    }
    console.settle_after_command();
    errors.write_to(&mut out);
    out
}

fn restart(console: &mut Console, args: &[String]) -> Output {
    let parsed = match parse("restart", args, SIMPLE_FLAGS) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let targets = match targets(console, "restart", &parsed) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let ns = namespace_of(console, &parsed);
    let mut out = Output::default();
    let mut errors = Errors::default();
    let now = console.cluster.now();
    for (rt, name) in targets {
        let obj = match console.cluster.get(&rt, &ns, &name) {
            Ok(o) => o.clone(),
            Err(e) => {
                errors.api(e);
                continue;
            }
        };
        if !matches!(
            rt.plural.as_str(),
            "deployments" | "daemonsets" | "statefulsets"
        ) || rt.group != "apps"
        {
            errors.client("restarting is not supported");
            continue;
        }
        if obj
            .pointer("/spec/paused")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            errors.client("can't restart paused deployment (run rollout resume first)");
            continue;
        }
        let key = "kubectl.kubernetes.io/restartedAt";
        let previous = obj
            .pointer("/spec/template/metadata/annotations")
            .and_then(|a| a.get(key))
            .and_then(Value::as_str);
        if previous
            .and_then(parse_rfc3339)
            .is_some_and(|t| (now as i64 - t) < SECOND as i64)
        {
            errors.client(format!(
                "failed to create patch for {name}: if restart has already been triggered within the past second, please wait before attempting to trigger another"
            ));
            continue;
        }
        let mut updated = obj.clone();
        if !updated["spec"]["template"]["metadata"].is_object() {
            updated["spec"]["template"]["metadata"] = json!({});
        }
        if !updated["spec"]["template"]["metadata"]["annotations"].is_object() {
            updated["spec"]["template"]["metadata"]["annotations"] = json!({});
        }
        updated["spec"]["template"]["metadata"]["annotations"][key] = json!(rfc3339(now));
        match console
            .cluster
            .update(&rt, updated, &WriteOptions::default())
        {
            Ok(_) => out.out(format!("{}/{name} restarted\n", rt.kind_prefix())),
            Err(e) => errors.api(e),
        }
    }
    console.settle_after_command();
    errors.write_to(&mut out);
    out
}

fn pause_resume(console: &mut Console, args: &[String], pause: bool) -> Output {
    let command = if pause { "pause" } else { "resume" };
    let parsed = match parse(command, args, SIMPLE_FLAGS) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let targets = match targets(console, command, &parsed) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let ns = namespace_of(console, &parsed);
    let mut out = Output::default();
    let mut errors = Errors::default();
    for (rt, name) in targets {
        let obj = match console.cluster.get(&rt, &ns, &name) {
            Ok(o) => o.clone(),
            Err(e) => {
                errors.api(e);
                continue;
            }
        };
        let resource = rt.group_resource();
        if rt.plural != "deployments" {
            let what = if pause { "pausing" } else { "resuming" };
            errors.client(format!("{resource} \"{name}\" {what} is not supported"));
            continue;
        }
        let paused = obj
            .pointer("/spec/paused")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if paused == pause {
            let state = if pause {
                "is already paused"
            } else {
                "is not paused"
            };
            errors.client(format!("{resource} \"{name}\" {state}"));
            continue;
        }
        let mut updated = obj.clone();
        if pause {
            updated["spec"]["paused"] = json!(true);
        } else if let Some(spec) = updated.get_mut("spec").and_then(Value::as_object_mut) {
            spec.remove("paused");
        }
        match console
            .cluster
            .update(&rt, updated, &WriteOptions::default())
        {
            Ok(_) => out.out(format!(
                "{}/{name} {}\n",
                rt.kind_prefix(),
                if pause { "paused" } else { "resumed" }
            )),
            Err(e) => errors.api(e),
        }
    }
    console.settle_after_command();
    errors.write_to(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::resources::Registry;

    #[test]
    fn deployment_status_lines_follow_the_rollout() {
        let registry = Registry::builtin();
        let rt = registry.resolve("deployments").expect("built in").clone();
        let d = |generation: i64, observed: i64, updated: i64, replicas: i64, available: i64| {
            json!({"metadata": {"name": "web", "generation": generation}, "spec": {"replicas": 3},
                "status": {"observedGeneration": observed, "updatedReplicas": updated, "replicas": replicas, "availableReplicas": available}})
        };
        let line = |obj: Value| status_line(&rt, &obj).expect("no error");
        assert_eq!(
            line(d(2, 1, 0, 3, 3)).0,
            "Waiting for deployment spec update to be observed..."
        );
        assert_eq!(line(d(2, 2, 1, 4, 3)).0, "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...");
        assert_eq!(line(d(2, 2, 3, 4, 3)).0, "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...");
        assert_eq!(line(d(2, 2, 3, 3, 2)).0, "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...");
        assert_eq!(
            line(d(2, 2, 3, 3, 3)),
            (
                "deployment \"web\" successfully rolled out".to_string(),
                true
            )
        );
        let mut stuck = d(2, 2, 1, 4, 3);
        stuck["status"]["conditions"] = json!([{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]);
        assert_eq!(
            status_line(&rt, &stuck),
            Err("deployment \"web\" exceeded its progress deadline".to_string())
        );
    }

    #[test]
    fn history_table_is_tabwriter_padded() {
        let rows = vec![
            ("REVISION".to_string(), "CHANGE-CAUSE".to_string()),
            ("1".to_string(), "<none>".to_string()),
        ];
        assert_eq!(tabbed(&rows), "REVISION  CHANGE-CAUSE\n1         <none>\n");
    }
}
