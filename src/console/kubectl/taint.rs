//! `kubectl taint nodes NAME key=value:Effect | key:Effect- | key-`: kubectl's own
//! parsing (`parseTaints`), checks (`--overwrite`, add-and-remove conflicts) and the
//! result it reports (`tainted`, `untainted`, `modified`), then an update of the node.
//! The scheduler and the taint manager react to the new taints.

use super::flags::{self, switch, value, Flag};
use crate::console::output::Output;
use crate::console::Console;
use crate::sim::admission::{label_value, qualified_name};
use crate::sim::apiserver::WriteOptions;
use crate::sim::json::json;
use crate::sim::labels::Selector;
use crate::sim::object;
use serde_json::Value;

const TAINT_FLAGS: &[Flag] = &[
    switch("overwrite", None),
    switch("all", None),
    value("selector", Some('l')),
    value("output", Some('o')),
    value("dry-run", None),
    value("field-manager", None),
    value("validate", None),
];

const EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];

/// One taint as kubectl parses it (`effect` empty when removing by key only).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Taint {
    key: String,
    value: String,
    effect: String,
}

impl Taint {
    /// `Taint.ToString()`: `key=value:effect`, `key:effect` or `key`.
    fn to_go_string(&self) -> String {
        match (self.effect.is_empty(), self.value.is_empty()) {
            (true, true) => self.key.clone(),
            (true, false) => format!("{}={}:", self.key, self.value),
            (false, true) => format!("{}:{}", self.key, self.effect),
            (false, false) => format!("{}={}:{}", self.key, self.value, self.effect),
        }
    }

    /// Go's `%v` of a `corev1.Taint` (`{key value NoSchedule <nil>}`).
    fn to_go_struct(&self) -> String {
        format!("{{{} {} {} <nil>}}", self.key, self.value, self.effect)
    }

    fn matches(&self, live: &Value) -> bool {
        object::str_at(live, "/key") == self.key && object::str_at(live, "/effect") == self.effect
    }

    fn to_json(&self) -> Value {
        let mut t = json!({"key": self.key, "effect": self.effect});
        if !self.value.is_empty() {
            t["value"] = json!(self.value);
        }
        t
    }
}

/// `parseTaint`: `<key>=<value>:<effect>`, `<key>:<effect>` or `<key>`.
fn parse_taint(spec: &str) -> Result<Taint, String> {
    let invalid = || format!("invalid taint spec: {spec}");
    let parts: Vec<&str> = spec.split(':').collect();
    let (key, value, effect) = match parts.as_slice() {
        [key] => (key.to_string(), String::new(), String::new()),
        [kv, effect] => {
            if !EFFECTS.contains(effect) {
                return Err(format!(
                    "invalid taint effect: {effect}, unsupported taint effect"
                ));
            }
            let kv: Vec<&str> = kv.split('=').collect();
            let (key, value) = match kv.as_slice() {
                [key] => (key.to_string(), String::new()),
                [key, value] => {
                    let errs = label_value(value);
                    if !errs.is_empty() {
                        return Err(format!("{}, {}", invalid(), errs.join("; ")));
                    }
                    (key.to_string(), value.to_string())
                }
                _ => return Err(invalid()),
            };
            (key, value, effect.to_string())
        }
        _ => return Err(invalid()),
    };
    let errs = qualified_name(&key);
    if !errs.is_empty() {
        return Err(format!("{}, {}", invalid(), errs.join("; ")));
    }
    Ok(Taint { key, value, effect })
}

/// `parseTaints`: the taints to add and to remove (a trailing `-`).
fn parse_taints(specs: &[String]) -> Result<(Vec<Taint>, Vec<Taint>), String> {
    let (mut add, mut remove) = (vec![], vec![]);
    for spec in specs {
        if let Some(spec) = spec.strip_suffix('-') {
            let t = parse_taint(spec)?;
            remove.push(Taint {
                value: String::new(),
                ..t
            });
            continue;
        }
        let t = parse_taint(spec)?;
        if t.effect.is_empty() {
            return Err(format!("invalid taint spec: {spec}"));
        }
        if add
            .iter()
            .any(|a: &Taint| a.key == t.key && a.effect == t.effect)
        {
            return Err(format!(
                "duplicated taints with the same key and effect: {}",
                t.to_go_struct()
            ));
        }
        add.push(t);
    }
    Ok((add, remove))
}

fn usage_error(message: &str) -> Output {
    Output::fail(format!(
        "error: {message}\nSee 'kubectl taint -h' for help and examples"
    ))
}

/// `kubectl taint`.
pub fn taint(console: &mut Console, args: &[String]) -> Output {
    let parsed = match flags::parse("taint", args, TAINT_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let mut resources = vec![];
    let mut specs = vec![];
    for arg in &parsed.positional {
        let is_taint = arg.contains('=') || arg.contains(':') || arg.ends_with('-');
        match (is_taint, specs.is_empty()) {
            (true, _) => specs.push(arg.clone()),
            (false, true) => resources.push(arg.clone()),
            (false, false) => {
                return Output::fail(format!(
                    "error: all resources must be specified before taint changes: {arg}"
                ))
            }
        }
    }
    if resources.is_empty() {
        return Output::fail("error: one or more resources must be specified as <resource> <name>");
    }
    if specs.is_empty() {
        return Output::fail("error: at least one taint update is required");
    }
    let (add, remove) = match parse_taints(&specs) {
        Ok(t) => t,
        Err(e) => return usage_error(&e),
    };
    let registry = console.cluster.registry();
    let Some(rt) = registry
        .resolve(&resources[0].to_ascii_lowercase())
        .cloned()
    else {
        return Output::fail(format!(
            "error: the server doesn't have a resource type \"{}\"",
            resources[0]
        ));
    };
    if rt.kind != "Node" {
        return Output::fail(format!(
            "error: invalid resource type {}, only node types are supported",
            resources[0].to_ascii_lowercase()
        ));
    }
    let conflicts: Vec<String> = remove
        .iter()
        .filter(|r| {
            add.iter()
                .any(|a| a.key == r.key && (r.effect.is_empty() || a.effect == r.effect))
        })
        .map(|r| format!("{}={}", r.key, r.effect))
        .collect();
    if !conflicts.is_empty() {
        return Output::fail(format!(
            "error: can not both modify and remove the following taint(s) in the same command: {}",
            conflicts.join(", ")
        ));
    }
    let selector = parsed.get("selector").filter(|s| !s.is_empty());
    let all = parsed.bool("all");
    if all && selector.is_some() {
        return Output::fail(
            "error: setting 'all' parameter with a non empty selector is prohibited",
        );
    }
    let names: Vec<String> = if all || selector.is_some() {
        let selector = match selector.map(Selector::parse).transpose() {
            Ok(s) => s,
            Err(e) => return Output::fail(format!("error: {e}")),
        };
        console
            .cluster
            .list(&rt, None)
            .into_iter()
            .filter(|n| selector.as_ref().is_none_or(|s| s.matches_object(n)))
            .map(|n| object::name(n).to_string())
            .collect()
    } else if resources.len() < 2 {
        return Output::fail(
            "error: at least one resource name must be specified since 'all' parameter is not set",
        );
    } else {
        resources[1..].to_vec()
    };
    let overwrite = parsed.bool("overwrite");
    let mut out = Output::default();
    for name in names {
        match taint_node(console, &rt, &name, &add, &remove, overwrite) {
            Ok(operation) => out.out(format!("node/{name} {operation}\n")),
            Err(e) => {
                out.error(e);
                break;
            }
        }
    }
    console.settle_after_command();
    out
}

/// kubectl's `updateTaints` and `reorganizeTaints` for one node, then the update.
fn taint_node(
    console: &mut Console,
    rt: &crate::sim::resources::ResourceType,
    name: &str,
    add: &[Taint],
    remove: &[Taint],
    overwrite: bool,
) -> Result<&'static str, String> {
    let mut node = console
        .cluster
        .get(rt, "", name)
        .map_err(|e| super::check_err(&e))?
        .clone();
    let old: Vec<Value> = node
        .pointer("/spec/taints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if !overwrite {
        let existing: Vec<&str> = add
            .iter()
            .filter(|t| old.iter().any(|o| t.matches(o)))
            .map(|t| t.key.as_str())
            .collect();
        if !existing.is_empty() {
            return Err(format!(
                "error: node {name} already has {} taint(s) with same effect(s) and --overwrite is false",
                existing.join(",")
            ));
        }
    }
    // New taints first, then the old ones they do not replace (kubectl's order).
    let mut taints: Vec<Value> = add.iter().map(Taint::to_json).collect();
    taints.extend(
        old.iter()
            .filter(|o| !add.iter().any(|t| t.matches(o)))
            .cloned(),
    );
    let added = taints.len() != old.len();
    let mut removed = false;
    let mut errors = vec![];
    for r in remove {
        let before = taints.len();
        taints.retain(|t| {
            !(object::str_at(t, "/key") == r.key
                && (r.effect.is_empty() || object::str_at(t, "/effect") == r.effect))
        });
        removed = taints.len() != before;
        if !removed {
            errors.push(format!(
                "taint {} not found",
                crate::sim::errors::go_quote(&r.to_go_string())
            ));
        }
    }
    if let Some(e) = errors.first() {
        return Err(match errors.len() {
            1 => format!("error: {e}"),
            _ => format!("error: [{}]", errors.join(", ")),
        });
    }
    let operation = match (added, removed) {
        (true, true) => "modified",
        _ if overwrite => "modified",
        (true, false) => "tainted",
        _ => "untainted",
    };
    match node.get_mut("spec").and_then(Value::as_object_mut) {
        Some(spec) if taints.is_empty() => {
            spec.remove("taints");
        }
        Some(spec) => {
            spec.insert("taints".into(), Value::Array(taints));
        }
        None => node["spec"] = json!({"taints": taints}),
    }
    console
        .cluster
        .update(rt, node, &WriteOptions::default())
        .map_err(|e| super::check_err(&e))?;
    Ok(operation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taint_specs_parse_as_kubectl_parses_them() {
        let t = parse_taint("dedicated=gpu:NoSchedule").unwrap();
        assert_eq!(t.to_go_string(), "dedicated=gpu:NoSchedule");
        assert_eq!(
            parse_taint("k:NoExecute").unwrap().to_go_string(),
            "k:NoExecute"
        );
        assert_eq!(parse_taint("k").unwrap().to_go_string(), "k");
        assert_eq!(
            parse_taint("k=v:Sometimes").unwrap_err(),
            "invalid taint effect: Sometimes, unsupported taint effect"
        );
        assert_eq!(
            parse_taint("a=b=c:NoSchedule").unwrap_err(),
            "invalid taint spec: a=b=c:NoSchedule"
        );
        assert!(parse_taint("bad key:NoSchedule")
            .unwrap_err()
            .starts_with("invalid taint spec: bad key:NoSchedule, name part must consist"));
        assert_eq!(
            parse_taints(&["k".into()]).unwrap_err(),
            "invalid taint spec: k"
        );
        assert_eq!(
            parse_taints(&["k=a:NoSchedule".into(), "k=b:NoSchedule".into()]).unwrap_err(),
            "duplicated taints with the same key and effect: {k b NoSchedule <nil>}"
        );
    }
}
