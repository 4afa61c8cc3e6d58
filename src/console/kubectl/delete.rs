//! `kubectl delete`: by file, by type and name, by label selector or `--all`, with the
//! cascade and grace-period options, then waiting (in virtual time) until the objects
//! are really gone, as kubectl's default `--wait=true` does.

use super::apply::{read_sources, target_of, FILE_FLAGS};
use super::flags::{self, switch, value, Flag};
use super::resources::parse_requests;
use super::{namespace_of, Errors};
use crate::console::output::Output;
use crate::console::Console;
use crate::sim::apiserver::{key_for, DeleteOptions, Propagation};
use crate::sim::labels::Selector;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::time::{Millis, SECOND};

const DELETE_FLAGS: &[Flag] = &[
    value("filename", Some('f')),
    switch("recursive", Some('R')),
    value("selector", Some('l')),
    switch("all", None),
    switch("all-namespaces", Some('A')),
    value("cascade", None),
    value("grace-period", None),
    switch("force", None),
    switch("now", None),
    value("wait", None),
    value("timeout", None),
    switch("ignore-not-found", None),
    value("output", Some('o')),
    value("dry-run", None),
    value("field-selector", None),
];

pub fn delete(console: &mut Console, args: &[String], stdin: Option<&str>) -> Output {
    let mut all_flags = DELETE_FLAGS.to_vec();
    all_flags.extend(
        FILE_FLAGS
            .iter()
            .filter(|f| !DELETE_FLAGS.iter().any(|d| d.long == f.long)),
    );
    let parsed = match flags::parse("delete", args, &all_flags) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let propagation = match parsed.get("cascade") {
        None | Some("background") | Some("true") => Propagation::Background,
        Some("foreground") => Propagation::Foreground,
        Some("orphan") | Some("false") => Propagation::Orphan,
        Some(other) => {
            return Output::fail(format!(
                "error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            ))
        }
    };
    let grace: Option<i64> = match parsed.get("grace-period") {
        None if parsed.bool("now") => Some(1),
        None => None,
        Some(g) => match g.parse::<i64>() {
            Ok(v) if v >= 0 => Some(v),
            Ok(_) => None,
            Err(_) => return Output::fail(format!("error: invalid argument \"{g}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{g}\": invalid syntax")),
        },
    };
    if parsed.bool("force") && grace != Some(0) {
        return Output::fail(
            "error: --force and --grace-period greater than 0 cannot be specified together",
        );
    }
    let mut targets: Vec<(ResourceType, String, String, String)> = vec![]; // rt, ns, name, source
    let mut errors = Errors::default();
    if parsed.has("filename") {
        let (items, read_errors) = read_sources(console, &parsed, stdin);
        for e in read_errors {
            errors.client(e);
        }
        for item in &items {
            match target_of(console, item, &parsed) {
                Ok(t) => targets.push((t.rt, t.namespace, t.name, item.source.clone())),
                Err(e) => errors.client(e),
            }
        }
    } else {
        let requests = match parse_requests(console.cluster.registry(), &parsed.positional) {
            Ok(r) if r.is_empty() => {
                return Output::fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
            }
            Ok(r) => r,
            Err(e) => return Output::fail(e),
        };
        let selector = match parsed.get("selector").map(Selector::parse).transpose() {
            Ok(s) => s,
            Err(e) => return Output::fail(format!("error: {e}")),
        };
        let ns = namespace_of(console, &parsed);
        for req in requests {
            match req.names {
                Some(names) => targets.extend(
                    names
                        .into_iter()
                        .map(|n| (req.rt.clone(), ns.clone(), n, String::new())),
                ),
                None if selector.is_none() && !parsed.bool("all") => {
                    return Output::fail(
                        "error: resource(s) were provided, but no name was specified",
                    );
                }
                None => {
                    let scope = if parsed.bool("all-namespaces") {
                        None
                    } else {
                        Some(ns.as_str())
                    };
                    for o in console.cluster.list(&req.rt, scope) {
                        if selector.as_ref().is_none_or(|s| s.matches_object(o)) {
                            targets.push((
                                req.rt.clone(),
                                object::namespace(o).to_string(),
                                object::name(o).to_string(),
                                String::new(),
                            ));
                        }
                    }
                }
            }
        }
        if targets.is_empty() && errors.is_empty() {
            return Output::fail("No resources found");
        }
    }
    let mut out = Output::default();
    let force = grace == Some(0);
    // (type, namespace, name, uid): kubectl waits for *that* object, not a successor
    // with the same name (a ReplicaSet its Deployment recreates at once, say).
    let mut deleted = vec![];
    for (rt, ns, name, source) in targets {
        let opts = DeleteOptions {
            propagation,
            grace_period_seconds: grace,
            ..Default::default()
        };
        match console.cluster.delete(&rt, &ns, &name, &opts) {
            Ok(obj) => {
                let uid = object::uid(&obj).to_string();
                let mut op = if force {
                    "force deleted".to_string()
                } else {
                    "deleted".to_string()
                };
                if rt.namespaced {
                    op = format!("{op} from {ns} namespace");
                }
                if parsed.get("output") == Some("name") {
                    out.out(format!("{}/{name}\n", rt.kind_prefix()));
                } else {
                    out.out(format!("{} \"{name}\" {op}\n", rt.kind_prefix()));
                }
                deleted.push((rt, ns, name, uid));
            }
            Err(e)
                if parsed.bool("ignore-not-found")
                    && e.reason == crate::sim::errors::StatusReason::NotFound => {}
            Err(e) => errors.api(e.with_source("deleting", &source)),
        }
    }
    console.cluster.settle();
    if parsed.get("wait") != Some("false") {
        wait_until_gone(console, &deleted);
    }
    errors.write_to(&mut out);
    out
}

/// kubectl waits for deleted objects to disappear; here virtual time moves on until
/// they have (bounded, so a stuck finalizer cannot hang the console).
pub(crate) fn wait_until_gone(
    console: &mut Console,
    deleted: &[(ResourceType, String, String, String)],
) {
    const LIMIT: Millis = 600 * SECOND;
    let start = console.cluster.now();
    let gone = |c: &Console| {
        deleted.iter().all(|(rt, ns, name, uid)| {
            c.cluster
                .store()
                .get(&key_for(rt, ns, name))
                .is_none_or(|live| object::uid(live) != uid)
        })
    };
    while !gone(console) {
        match console.cluster.next_event_at() {
            Some(t) if t <= start + LIMIT => console.cluster.run_until(t),
            _ => break,
        }
    }
}
