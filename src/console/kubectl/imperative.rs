//! The imperative verbs: `run`, `expose`, `scale`, `label`, `annotate`, `set image` and
//! the `create` generators. Each builds or edits an object exactly as kubectl's
//! generators do and sends it through the same apiserver path as a manifest.

use super::flags::{self, switch, value, Flag, Parsed};
use super::resources::parse_requests;
use super::{check_err, namespace_of, Errors};
use crate::console::output::Output;
use crate::console::printers;
use crate::console::Console;
use crate::sim::apiserver::WriteOptions;
use crate::sim::json::json;
use crate::sim::labels::Selector;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use serde_json::{Map, Value};

fn parse_or_fail(command: &str, args: &[String], flags: &[Flag]) -> Result<Parsed, Output> {
    flags::parse(command, args, flags).map_err(Output::fail)
}

/// Creates a generated object (honouring `--dry-run` and `-o`) and prints
/// `<kind>/<name> <verb>`.
pub(crate) fn create_generated(
    console: &mut Console,
    parsed: &Parsed,
    obj: Value,
    verb: &str,
) -> Output {
    let Some(rt) = console
        .cluster
        .resource_for(object::api_version(&obj), object::kind(&obj))
    else {
        return Output::fail("error: generated object has no served type");
    };
    let ns = namespace_of(console, parsed);
    let dry = parsed.get("dry-run").filter(|d| *d != "none");
    let result = if dry == Some("client") {
        Ok(obj)
    } else {
        let opts = WriteOptions {
            dry_run: dry == Some("server"),
            ..Default::default()
        };
        console.cluster.create(&rt, obj, &ns, &opts)
    };
    console.settle_after_command();
    match result {
        Ok(o) => print_result(parsed, &rt, &o, verb, dry),
        Err(e) => Output::fail(check_err(&e)),
    }
}

fn print_result(
    parsed: &Parsed,
    rt: &ResourceType,
    obj: &Value,
    verb: &str,
    dry: Option<&str>,
) -> Output {
    match parsed.get("output") {
        Some("yaml") => Output::ok(printers::yaml::to_yaml(obj)),
        Some("json") => Output::ok(printers::to_json(obj)),
        Some("name") => Output::ok(format!("{}/{}\n", rt.kind_prefix(), object::name(obj))),
        _ => {
            let suffix = match dry {
                Some("client") => " (dry run)",
                Some("server") => " (server dry run)",
                _ => "",
            };
            Output::ok(format!(
                "{}/{} {verb}{suffix}\n",
                rt.kind_prefix(),
                object::name(obj)
            ))
        }
    }
}

const RUN_FLAGS: &[Flag] = &[
    value("image", None),
    value("port", None),
    value("labels", Some('l')),
    value("env", None),
    value("restart", None),
    switch("command", None),
    value("dry-run", None),
    value("output", Some('o')),
    switch("rm", None),
    switch("stdin", Some('i')),
    switch("tty", Some('t')),
    switch("expose", None),
    value("image-pull-policy", None),
    value("annotations", None),
    value("overrides", None),
    switch("attach", None),
    switch("quiet", Some('q')),
];

/// `kubectl run NAME --image=IMAGE [-- args…]`.
pub fn run_pod(console: &mut Console, args: &[String]) -> Output {
    let parsed = match parse_or_fail("run", args, RUN_FLAGS) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let Some(name) = parsed.positional.first().cloned() else {
        return Output::fail(
            "error: NAME is required for run\nSee 'kubectl run -h' for help and examples",
        );
    };
    let Some(image) = parsed.get("image") else {
        return Output::fail("error: required flag(s) \"image\" not set");
    };
    if parsed.bool("stdin") || parsed.bool("tty") || parsed.bool("rm") {
        return Output::fail("kubesim: interactive pods (-i, -t, --rm) are not simulated yet; run the pod and use `kubectl get`/`describe`");
    }
    let mut labels = Map::new();
    match parsed.get("labels") {
        Some(l) => {
            for pair in l.split(',') {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                labels.insert(k.to_string(), json!(v));
            }
        }
        None => {
            labels.insert("run".into(), json!(name));
        }
    }
    let mut container = json!({"image": image, "name": name, "resources": {}});
    if let Some(port) = parsed.get("port") {
        match port.parse::<i64>() {
            Ok(p) => container["ports"] = json!([{"containerPort": p}]),
            Err(_) => return Output::fail(format!("error: invalid argument \"{port}\" for \"--port\" flag: strconv.ParseInt: parsing \"{port}\": invalid syntax")),
        }
    }
    let env: Vec<Value> = parsed
        .all("env")
        .iter()
        .map(|e| {
            let (k, v) = e.split_once('=').unwrap_or((e, ""));
            json!({"name": k, "value": v})
        })
        .collect();
    if !env.is_empty() {
        container["env"] = json!(env);
    }
    if let Some(p) = parsed.get("image-pull-policy") {
        container["imagePullPolicy"] = json!(p);
    }
    if !parsed.after_dashdash.is_empty() {
        let field = if parsed.bool("command") {
            "command"
        } else {
            "args"
        };
        container[field] = json!(parsed.after_dashdash);
    }
    let restart = parsed.get("restart").unwrap_or("Always");
    if !["Always", "OnFailure", "Never"].contains(&restart) {
        return Output::fail(format!("error: invalid restart policy: {restart}"));
    }
    let pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"labels": labels, "name": name},
        "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
        "status": {}});
    create_generated(console, &parsed, pod, "created")
}

const EXPOSE_FLAGS: &[Flag] = &[
    value("port", None),
    value("target-port", None),
    value("type", None),
    value("name", None),
    value("protocol", None),
    value("selector", None),
    value("labels", Some('l')),
    value("external-ip", None),
    value("cluster-ip", None),
    value("dry-run", None),
    value("output", Some('o')),
    value("filename", Some('f')),
    value("session-affinity", None),
];

/// `kubectl expose (deployment|rs|rc|pod|service) NAME --port=…`.
pub fn expose(console: &mut Console, args: &[String]) -> Output {
    let parsed = match parse_or_fail("expose", args, EXPOSE_FLAGS) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let requests = match parse_requests(console.cluster.registry(), &parsed.positional) {
        Ok(r) if !r.is_empty() && r[0].names.is_some() => r,
        Ok(_) => return Output::fail("error: You must provide the name of a resource to expose\nSee 'kubectl expose -h' for help and examples"),
        Err(e) => return Output::fail(e),
    };
    let req = &requests[0];
    let ns = namespace_of(console, &parsed);
    let name = req
        .names
        .as_ref()
        .and_then(|n| n.first())
        .cloned()
        .unwrap_or_default();
    let source = match console.cluster.get(&req.rt, &ns, &name) {
        Ok(o) => o.clone(),
        Err(e) => return Output::fail(super::standard_message(&e)),
    };
    let selector: Value = match parsed.get("selector") {
        Some(s) => Value::Object(
            s.split(',')
                .filter_map(|p| p.split_once('='))
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect(),
        ),
        None => match selector_for_expose(&req.rt, &source) {
            Ok(s) => s,
            Err(e) => return Output::fail(e),
        },
    };
    let container_ports = template_ports(&req.rt, &source);
    let ports: Vec<Value> = match parsed.get("port") {
        Some(p) => match p.parse::<i64>() {
            Ok(port) => vec![json!({"port": port, "protocol": parsed.get("protocol").unwrap_or("TCP")})],
            Err(_) => return Output::fail(format!("error: invalid argument \"{p}\" for \"--port\" flag")),
        },
        None if req.rt.plural == "services" => source.pointer("/spec/ports").and_then(Value::as_array).cloned().unwrap_or_default()
            .into_iter().map(|p| json!({"name": p.get("name"), "port": p.get("port"), "protocol": p.get("protocol"), "targetPort": p.get("targetPort")})).collect(),
        None if !container_ports.is_empty() => container_ports.iter().enumerate().map(|(i, p)| {
            let mut port = json!({"port": p.get("containerPort"), "protocol": p.get("protocol").cloned().unwrap_or(json!("TCP")), "targetPort": p.get("containerPort")});
            if container_ports.len() > 1 {
                port["name"] = json!(format!("port-{}", i + 1));
            }
            port
        }).collect(),
        None => return Output::fail("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples"),
    };
    let mut ports = ports;
    if let Some(tp) = parsed.get("target-port") {
        let target = tp.parse::<i64>().map(|n| json!(n)).unwrap_or(json!(tp));
        for p in &mut ports {
            p["targetPort"] = target.clone();
        }
    }
    let svc_name = parsed
        .get("name")
        .map(String::from)
        .unwrap_or_else(|| name.clone());
    let labels = source
        .pointer("/metadata/labels")
        .cloned()
        .unwrap_or(json!({}));
    let mut spec = json!({"ports": ports, "selector": selector});
    if let Some(a) = parsed.get("session-affinity") {
        spec["sessionAffinity"] = json!(a);
    }
    if let Some(ips) = parsed.get("external-ip") {
        spec["externalIPs"] = json!(ips.split(',').collect::<Vec<_>>());
    }
    if let Some(t) = parsed.get("type") {
        spec["type"] = json!(t);
    }
    if let Some(ip) = parsed.get("cluster-ip") {
        spec["clusterIP"] = json!(ip);
    }
    let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"labels": labels, "name": svc_name}, "spec": spec, "status": {"loadBalancer": {}}});
    create_generated(console, &parsed, svc, "exposed")
}

fn selector_for_expose(rt: &ResourceType, source: &Value) -> Result<Value, String> {
    match rt.plural.as_str() {
        "pods" => Ok(object::labels_value(source)),
        "services" | "replicationcontrollers" => Ok(source
            .pointer("/spec/selector")
            .cloned()
            .unwrap_or(json!({}))),
        "deployments" | "replicasets" | "statefulsets" | "daemonsets" => {
            let sel = source
                .pointer("/spec/selector")
                .cloned()
                .unwrap_or_default();
            if sel
                .get("matchExpressions")
                .is_some_and(|e| e.as_array().is_some_and(|a| !a.is_empty()))
            {
                return Err(format!(
                    "error: couldn't convert expressions - \"{}\" to map-based selector format",
                    Selector::from_label_selector(&sel)
                ));
            }
            Ok(sel.get("matchLabels").cloned().unwrap_or(json!({})))
        }
        _ => Err(format!(
            "error: cannot expose a {}\nSee 'kubectl expose -h' for help and examples",
            rt.kind
        )),
    }
}

fn template_ports(rt: &ResourceType, source: &Value) -> Vec<Value> {
    let spec = if rt.plural == "pods" {
        source.get("spec")
    } else {
        source.pointer("/spec/template/spec")
    };
    spec.and_then(|s| s.get("containers"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|c| {
            c.get("ports")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

const SCALE_FLAGS: &[Flag] = &[
    value("replicas", None),
    value("current-replicas", None),
    value("selector", Some('l')),
    switch("all", None),
    value("filename", Some('f')),
    value("timeout", None),
    value("output", Some('o')),
    value("dry-run", None),
];

/// `kubectl scale deployment/web --replicas=3`.
pub fn scale(console: &mut Console, args: &[String]) -> Output {
    let parsed = match parse_or_fail("scale", args, SCALE_FLAGS) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let replicas = match parsed.get("replicas").map(str::parse::<i64>) {
        Some(Ok(r)) if r >= 0 => r,
        Some(Ok(_)) => return Output::fail("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"),
        Some(Err(_)) => return Output::fail(format!("error: invalid argument \"{}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax", parsed.get("replicas").unwrap_or_default(), parsed.get("replicas").unwrap_or_default())),
        None => return Output::fail("error: required flag(s) \"replicas\" not set"),
    };
    let requests = match parse_requests(console.cluster.registry(), &parsed.positional) {
        Ok(r) if !r.is_empty() => r,
        Ok(_) => {
            return Output::fail("error: resource(s) were provided, but no name was specified")
        }
        Err(e) => return Output::fail(e),
    };
    let ns = namespace_of(console, &parsed);
    let mut out = Output::default();
    let mut errors = Errors::default();
    for req in requests {
        if ![
            "deployments",
            "replicasets",
            "statefulsets",
            "replicationcontrollers",
        ]
        .contains(&req.rt.plural.as_str())
        {
            errors.client(format!("cannot scale a {}", req.rt.kind));
            continue;
        }
        for name in req.names.clone().unwrap_or_default() {
            let live = match console.cluster.get(&req.rt, &ns, &name) {
                Ok(o) => o.clone(),
                Err(e) => {
                    errors.api(e);
                    continue;
                }
            };
            if let Some(Ok(cur)) = parsed.get("current-replicas").map(str::parse::<i64>) {
                let actual = live
                    .pointer("/spec/replicas")
                    .and_then(Value::as_i64)
                    .unwrap_or(1);
                if cur != actual {
                    errors.client(format!("Expected replicas to be {cur}, was {actual}"));
                    continue;
                }
            }
            let mut updated = live;
            updated["spec"]["replicas"] = json!(replicas);
            match console
                .cluster
                .update(&req.rt, updated, &WriteOptions::default())
            {
                Ok(_) => out.out(format!("{}/{name} scaled\n", req.rt.kind_prefix())),
                Err(e) => errors.api(e),
            }
        }
    }
    console.settle_after_command();
    errors.write_to(&mut out);
    out
}

const LABEL_FLAGS: &[Flag] = &[
    switch("overwrite", None),
    switch("all", None),
    switch("all-namespaces", Some('A')),
    value("selector", Some('l')),
    value("resource-version", None),
    switch("list", None),
    value("output", Some('o')),
    value("dry-run", None),
    value("filename", Some('f')),
];

/// `kubectl label|annotate TYPE NAME k=v k2- [--overwrite]`.
pub fn label(console: &mut Console, verb: &str, args: &[String]) -> Output {
    let parsed = match parse_or_fail(verb, args, LABEL_FLAGS) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let field = if verb == "label" {
        "labels"
    } else {
        "annotations"
    };
    let (changes, resources): (Vec<&String>, Vec<String>) = {
        let changes: Vec<&String> = parsed
            .positional
            .iter()
            .filter(|a| a.contains('=') || (a.ends_with('-') && !a.contains('/')))
            .collect();
        let resources = parsed
            .positional
            .iter()
            .filter(|a| !changes.contains(a))
            .cloned()
            .collect();
        (changes, resources)
    };
    if changes.is_empty() {
        return Output::fail(format!("error: at least one {} update is required\nSee 'kubectl {verb} -h' for help and examples", &field[..field.len() - 1]));
    }
    let requests = match parse_requests(console.cluster.registry(), &resources) {
        Ok(r) if !r.is_empty() => r,
        Ok(_) => return Output::fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>"),
        Err(e) => return Output::fail(e),
    };
    let ns = namespace_of(console, &parsed);
    let selector = parsed.get("selector").and_then(|s| Selector::parse(s).ok());
    let mut out = Output::default();
    let mut errors = Errors::default();
    for req in requests {
        let names: Vec<String> = match &req.names {
            Some(n) => n.clone(),
            None if parsed.bool("all") || selector.is_some() => console
                .cluster
                .list(&req.rt, Some(&ns))
                .into_iter()
                .filter(|o| selector.as_ref().is_none_or(|s| s.matches_object(o)))
                .map(|o| object::name(o).to_string())
                .collect(),
            None => {
                errors.client("resource(s) were provided, but no name was specified");
                continue;
            }
        };
        for name in names {
            let mut obj = match console.cluster.get(&req.rt, &ns, &name) {
                Ok(o) => o.clone(),
                Err(e) => {
                    errors.api(e);
                    continue;
                }
            };
            let before = obj.pointer(&format!("/metadata/{field}")).cloned();
            let map = object::meta_map_mut(&mut obj, field);
            let mut removed_only = true;
            let mut problem = None;
            for change in &changes {
                if let Some(key) = change.strip_suffix('-').filter(|_| !change.contains('=')) {
                    map.remove(key);
                    continue;
                }
                removed_only = false;
                let (k, v) = change.split_once('=').expect("filtered on '='");
                if let Some(existing) = map.get(k).and_then(Value::as_str) {
                    if existing != v && !parsed.bool("overwrite") {
                        problem = Some(format!(
                            "'{k}' already has a value ({existing}), and --overwrite is false"
                        ));
                        break;
                    }
                }
                map.insert(k.to_string(), json!(v));
            }
            if let Some(p) = problem {
                errors.client(p);
                continue;
            }
            let unchanged = obj.pointer(&format!("/metadata/{field}")).cloned() == before
                || (before.is_none()
                    && obj
                        .pointer(&format!("/metadata/{field}"))
                        .and_then(Value::as_object)
                        .is_some_and(Map::is_empty));
            let message = match (verb, unchanged, removed_only) {
                ("label", true, _) => "not labeled",
                ("label", false, true) => "unlabeled",
                ("label", false, false) => "labeled",
                (_, _, _) => "annotated",
            };
            if !unchanged {
                if let Err(e) = console
                    .cluster
                    .update(&req.rt, obj, &WriteOptions::default())
                {
                    errors.api(e);
                    continue;
                }
            }
            out.out(format!("{}/{name} {message}\n", req.rt.kind_prefix()));
        }
    }
    console.settle_after_command();
    errors.write_to(&mut out);
    out
}

/// `kubectl set image (TYPE NAME | TYPE/NAME) CONTAINER=IMAGE …`.
pub fn set(console: &mut Console, args: &[String]) -> Output {
    match args.first().map(String::as_str) {
        Some("image") => set_image(console, &args[1..]),
        Some(other) if !other.starts_with('-') => Output::fail(format!(
            "kubesim: \"kubectl set {other}\" is not simulated yet"
        )),
        _ => Output::fail(
            "error: Required resource not specified.\nSee 'kubectl set -h' for help and examples",
        ),
    }
}

const SET_IMAGE_FLAGS: &[Flag] = &[
    switch("all", None),
    value("selector", Some('l')),
    value("filename", Some('f')),
    switch("local", None),
    value("output", Some('o')),
    value("dry-run", None),
    switch("record", None),
];

fn set_image(console: &mut Console, args: &[String]) -> Output {
    let parsed = match parse_or_fail("set image", args, SET_IMAGE_FLAGS) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let (images, resources): (Vec<String>, Vec<String>) = parsed
        .positional
        .iter()
        .cloned()
        .partition(|a| a.contains('='));
    if images.is_empty() {
        return Output::fail("error: at least one image update is required\nSee 'kubectl set image -h' for help and examples");
    }
    let requests = match parse_requests(console.cluster.registry(), &resources) {
        Ok(r) if !r.is_empty() => r,
        Ok(_) => return Output::fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>"),
        Err(e) => return Output::fail(e),
    };
    let ns = namespace_of(console, &parsed);
    let mut out = Output::default();
    let mut errors = Errors::default();
    for req in requests {
        for name in req.names.clone().unwrap_or_default() {
            let mut obj = match console.cluster.get(&req.rt, &ns, &name) {
                Ok(o) => o.clone(),
                Err(e) => {
                    errors.api(e);
                    continue;
                }
            };
            let spec_path = if req.rt.plural == "pods" {
                "/spec"
            } else if req.rt.plural == "cronjobs" {
                "/spec/jobTemplate/spec/template/spec"
            } else {
                "/spec/template/spec"
            };
            let mut missing = vec![];
            let mut changed = false;
            for assignment in &images {
                let (container, image) = assignment.split_once('=').expect("partitioned on '='");
                let mut found = false;
                for list in ["containers", "initContainers"] {
                    if let Some(cs) = obj
                        .pointer_mut(&format!("{spec_path}/{list}"))
                        .and_then(Value::as_array_mut)
                    {
                        for c in cs.iter_mut().filter(|c| {
                            container == "*"
                                || c.get("name").and_then(Value::as_str) == Some(container)
                        }) {
                            found = true;
                            if c.get("image").and_then(Value::as_str) != Some(image) {
                                c["image"] = json!(image);
                                changed = true;
                            }
                        }
                    }
                }
                if !found {
                    missing.push(container.to_string());
                }
            }
            if let Some(m) = missing.first() {
                errors.client(format!("unable to find container named \"{m}\""));
                continue;
            }
            if changed {
                if let Err(e) = console
                    .cluster
                    .update(&req.rt, obj, &WriteOptions::default())
                {
                    errors.api(e);
                    continue;
                }
            }
            out.out(format!("{}/{name} image updated\n", req.rt.kind_prefix()));
        }
    }
    console.settle_after_command();
    errors.write_to(&mut out);
    out
}

const CREATE_FLAGS: &[Flag] = &[
    value("image", None),
    value("replicas", Some('r')),
    value("port", None),
    value("from-literal", None),
    value("from-file", None),
    value("type", None),
    value("cert", None),
    value("key", None),
    value("tcp", None),
    value("node-port", None),
    value("dry-run", None),
    value("output", Some('o')),
    value("schedule", None),
    value("restart", None),
    value("verb", None),
    value("resource", None),
    value("resource-name", None),
    value("role", None),
    value("clusterrole", None),
    value("user", None),
    value("group", None),
    value("serviceaccount", None),
    value("rule", None),
    value("class", None),
    value("default-backend", None),
    value("annotation", None),
    switch("save-config", None),
    value("validate", None),
    value("selector", None),
    value("min-available", None),
    value("max-unavailable", None),
    value("value", None),
    switch("global-default", None),
    value("description", None),
    value("preemption-policy", None),
];

/// `kubectl create deployment|namespace|configmap|secret|service|serviceaccount|job`.
pub fn create_subcommand(console: &mut Console, what: &str, args: &[String]) -> Output {
    let sub_args: Vec<String> = if what == "secret" || what == "service" || what == "svc" {
        args.iter().skip(1).cloned().collect()
    } else {
        args.to_vec()
    };
    let command = format!("create {what}");
    let parsed = match parse_or_fail(&command, &sub_args, CREATE_FLAGS) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let Some(name) = parsed.positional.first().cloned() else {
        return Output::fail(format!("error: exactly one NAME is required, got 0\nSee 'kubectl {command} -h' for help and examples"));
    };
    let obj = match what {
        "deployment" | "deploy" => {
            let Some(image) = parsed.get("image") else {
                return Output::fail("error: required flag(s) \"image\" not set");
            };
            let replicas = parsed
                .get("replicas")
                .and_then(|r| r.parse::<i64>().ok())
                .unwrap_or(1);
            let mut container =
                json!({"image": image, "name": container_name(image), "resources": {}});
            if let Some(p) = parsed.get("port").and_then(|p| p.parse::<i64>().ok()) {
                container["ports"] = json!([{"containerPort": p}]);
            }
            // `kubectl create deployment NAME --image=I -- COMMAND [args…]` (deployment.go:
            // `Command: o.Command`).
            if !parsed.after_dashdash.is_empty() {
                container["command"] = json!(parsed.after_dashdash);
            }
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"labels": {"app": name}, "name": name},
                "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}}, "strategy": {},
                    "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [container]}}}, "status": {}})
        }
        "namespace" | "ns" => {
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}, "spec": {}, "status": {}})
        }
        "serviceaccount" | "sa" => {
            json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}})
        }
        "configmap" | "cm" => {
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": literals(&parsed, false)})
        }
        "secret" => {
            let kind = args.first().map(String::as_str).unwrap_or_default();
            if kind == "tls" {
                match tls_secret(console, &name, &parsed) {
                    Ok(o) => return create_generated(console, &parsed, o, "created"),
                    Err(e) => return Output::fail(e),
                }
            }
            if kind != "generic" {
                return Output::fail(format!(
                    "kubesim: \"kubectl create secret {kind}\" is not simulated yet (use generic or tls)"
                ));
            }
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "type": parsed.get("type").unwrap_or("Opaque"), "data": literals(&parsed, true)})
        }
        "service" | "svc" => {
            let svc_type = match args.first().map(String::as_str) {
                Some("clusterip") => "ClusterIP",
                Some("nodeport") => "NodePort",
                Some("loadbalancer") => "LoadBalancer",
                Some("externalname") => "ExternalName",
                _ => return Output::fail("error: create service requires a type: clusterip, nodeport, loadbalancer or externalname"),
            };
            let ports: Vec<Value> = parsed.all("tcp").iter().flat_map(|t| t.split(',')).map(|t| {
                let (port, target) = t.split_once(':').unwrap_or((t, t));
                let port_n = port.parse::<i64>().unwrap_or(0);
                let target_v = target.parse::<i64>().map(|n| json!(n)).unwrap_or(json!(target));
                let mut p = json!({"name": format!("{port}-{target}"), "port": port_n, "protocol": "TCP", "targetPort": target_v});
                if let Some(np) = parsed.get("node-port").and_then(|n| n.parse::<i64>().ok()) {
                    p["nodePort"] = json!(np);
                }
                p
            }).collect();
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"labels": {"app": name}, "name": name},
                "spec": {"ports": ports, "selector": {"app": name}, "type": svc_type}, "status": {"loadBalancer": {}}})
        }
        "job" => {
            let Some(image) = parsed.get("image") else {
                return Output::fail("error: required flag(s) \"image\" not set");
            };
            let mut container = json!({"image": image, "name": name, "resources": {}});
            if !parsed.after_dashdash.is_empty() {
                container["command"] = json!(parsed.after_dashdash);
            }
            json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
                "spec": {"template": {"metadata": {}, "spec": {"containers": [container], "restartPolicy": "Never"}}}, "status": {}})
        }
        "cronjob" | "cj" => match cronjob(&name, &parsed) {
            Ok(o) => o,
            Err(e) => return Output::fail(e),
        },
        "role" => match role(console, &name, &parsed) {
            Ok((o, warnings)) => {
                let mut out = Output::default();
                for w in warnings {
                    out.err(w);
                }
                out.append(create_generated(console, &parsed, o, "created"));
                return out;
            }
            Err(e) => return Output::fail(e),
        },
        "ingress" | "ing" => match ingress(&name, &parsed) {
            Ok(o) => o,
            Err(e) => return Output::fail(e),
        },
        "poddisruptionbudget" | "pdb" => match pod_disruption_budget(&name, &parsed) {
            Ok(o) => o,
            Err(e) => return Output::fail(e),
        },
        "priorityclass" | "pc" => match priority_class(&name, &parsed) {
            Ok(o) => o,
            Err(e) => return Output::fail(e),
        },
        "rolebinding" => match rolebinding(&name, &parsed) {
            Ok(o) => o,
            Err(e) => return Output::fail(e),
        },
        other => {
            return Output::fail(format!(
                "kubesim: \"kubectl create {other}\" is not simulated yet"
            ))
        }
    };
    create_generated(console, &parsed, obj, "created")
}

/// `kubectl create poddisruptionbudget NAME --selector=S --min-available=N|--max-unavailable=N`
/// (kubectl's `create_pdb.go`: its Validate, then `ParseToLabelSelector`).
fn pod_disruption_budget(name: &str, parsed: &Parsed) -> Result<Value, String> {
    let selector = parsed.get("selector").unwrap_or_default();
    let min = parsed.get("min-available").unwrap_or_default();
    let max = parsed.get("max-unavailable").unwrap_or_default();
    if selector.is_empty() {
        return Err("error: a selector must be specified".into());
    }
    if min.is_empty() && max.is_empty() {
        return Err("error: one of min-available or max-unavailable must be specified".into());
    }
    if !min.is_empty() && !max.is_empty() {
        return Err("error: min-available and max-unavailable cannot be both specified".into());
    }
    // `^[0-9]+%?$`: a count or a percentage.
    let valid = |v: &str| {
        let digits = v.strip_suffix('%').unwrap_or(v);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    if !min.is_empty() && !valid(min) {
        return Err("error: invalid format specified for min-available".into());
    }
    if !max.is_empty() && !valid(max) {
        return Err("error: invalid format specified for max-unavailable".into());
    }
    let selector =
        crate::sim::labels::Selector::parse(selector).map_err(|e| format!("error: {e}"))?;
    let mut match_labels = Map::new();
    let mut expressions = vec![];
    for r in selector.requirements {
        use crate::sim::labels::Operator;
        let op = match r.operator {
            Operator::Equals => {
                match_labels.insert(r.key, json!(r.values.first().cloned().unwrap_or_default()));
                continue;
            }
            Operator::In => "In",
            Operator::NotIn | Operator::NotEquals => "NotIn",
            Operator::Exists => "Exists",
            Operator::DoesNotExist => "DoesNotExist",
        };
        let mut e = json!({"key": r.key, "operator": op});
        if !r.values.is_empty() {
            e["values"] = json!(r.values);
        }
        expressions.push(e);
    }
    let mut label_selector = json!({});
    if !match_labels.is_empty() {
        label_selector["matchLabels"] = Value::Object(match_labels);
    }
    if !expressions.is_empty() {
        label_selector["matchExpressions"] = json!(expressions);
    }
    // intstr.Parse: a number is an integer, anything else a string.
    let int_or_string = |v: &str| v.parse::<i64>().map_or(json!(v), |n| json!(n));
    let mut spec = json!({"selector": label_selector});
    if !min.is_empty() {
        spec["minAvailable"] = int_or_string(min);
    }
    if !max.is_empty() {
        spec["maxUnavailable"] = int_or_string(max);
    }
    Ok(
        json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": name},
        "spec": spec, "status": {"currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0, "expectedPods": 0}}),
    )
}

/// `kubectl create priorityclass NAME [--value=N] [--global-default] [--description=D]
/// [--preemption-policy=P]` (`create_priorityclass.go`).
fn priority_class(name: &str, parsed: &Parsed) -> Result<Value, String> {
    let value = match parsed.get("value") {
        None => 0,
        Some(v) => v.parse::<i32>().map_err(|_| {
            format!("error: invalid argument \"{v}\" for \"--value\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax\nSee 'kubectl create priorityclass --help' for usage.")
        })?,
    };
    Ok(
        json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name},
        "value": value, "globalDefault": parsed.bool("global-default"),
        "description": parsed.get("description").unwrap_or_default(),
        "preemptionPolicy": parsed.get("preemption-policy").unwrap_or("PreemptLowerPriority")}),
    )
}

/// Every value of a repeatable, comma-separated flag (`--verb=get,list --verb=watch`).
fn list_flag(parsed: &Parsed, long: &str) -> Vec<String> {
    parsed
        .all(long)
        .iter()
        .flat_map(|v| v.split(','))
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// cobra's check of `MarkFlagRequired` flags, before the command runs.
fn require_flags(parsed: &Parsed, flags: &[&str]) -> Result<(), String> {
    let missing: Vec<String> = flags
        .iter()
        .filter(|f| !parsed.has(f))
        .map(|f| format!("\"{f}\""))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "error: required flag(s) {} not set",
        missing.join(", ")
    ))
}

/// `kubectl create cronjob NAME --image=I --schedule=S [--restart=R] [-- COMMAND…]`
/// (create_cronjob.go: the job template and container take the CronJob's name).
fn cronjob(name: &str, parsed: &Parsed) -> Result<Value, String> {
    require_flags(parsed, &["image", "schedule"])?;
    let restart = parsed.get("restart").unwrap_or("OnFailure");
    let mut container = json!({"image": parsed.get("image"), "name": name, "resources": {}});
    if !parsed.after_dashdash.is_empty() {
        container["command"] = json!(parsed.after_dashdash);
    }
    Ok(
        json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": name},
        "spec": {"jobTemplate": {"metadata": {"name": name}, "spec": {"template": {"metadata": {},
            "spec": {"containers": [container], "restartPolicy": restart}}}},
            "schedule": parsed.get("schedule")}, "status": {}}),
    )
}

/// The verbs `kubectl create role` knows (`validResourceVerbs`); others get a warning.
const ROLE_VERBS: &[&str] = &[
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];

/// `kubectl create role NAME --verb=… --resource=…[.group][/sub] [--resource-name=…]`:
/// one rule per API group (`generateResourcePolicyRules`), short names expanded.
fn role(console: &Console, name: &str, parsed: &Parsed) -> Result<(Value, Vec<String>), String> {
    let mut verbs: Vec<String> = vec![];
    for v in list_flag(parsed, "verb") {
        if v == "*" {
            verbs = vec![v];
            break;
        }
        if !verbs.contains(&v) {
            verbs.push(v);
        }
    }
    if verbs.is_empty() {
        return Err("error: at least one verb must be specified".into());
    }
    let warnings = verbs
        .iter()
        .filter(|v| !ROLE_VERBS.contains(&v.as_str()))
        .map(|v| format!("Warning: '{v}' is not a standard resource verb"))
        .collect();
    let resources = list_flag(parsed, "resource");
    if resources.is_empty() {
        return Err("error: at least one resource must be specified".into());
    }
    let mut by_group: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for r in &resources {
        let (base, sub) = match r.split_once('/') {
            Some((b, s)) => (b, Some(s)),
            None => (r.as_str(), None),
        };
        let (resource, group) = match base.split_once('.') {
            Some((res, g)) => (res, g),
            None => (base, ""),
        };
        if resource.is_empty() {
            return Err(
                "error: resource must be specified if apiGroup/subresource specified".into(),
            );
        }
        let known = console
            .cluster
            .registry()
            .resolve(
                if group.is_empty() {
                    resource.to_string()
                } else {
                    format!("{resource}.{group}")
                }
                .as_str(),
            )
            .filter(|_| resource != "*");
        let (mut plural, group) = match known {
            Some(rt) => (rt.plural.clone(), rt.group.clone()),
            None => (resource.to_string(), group.to_string()),
        };
        if let Some(sub) = sub {
            plural = format!("{plural}/{sub}");
        }
        let list = by_group.entry(group).or_default();
        if !list.contains(&plural) {
            list.push(plural);
        }
    }
    let mut names: Vec<String> = vec![];
    for n in list_flag(parsed, "resource-name") {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let rules: Vec<Value> = by_group
        .into_iter()
        .map(|(group, resources)| {
            let mut rule = json!({"apiGroups": [group], "resources": resources, "verbs": verbs});
            if !names.is_empty() {
                rule["resourceNames"] = json!(names);
            }
            rule
        })
        .collect();
    Ok((
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": {"name": name}, "rules": rules}),
        warnings,
    ))
}

/// `kubectl create rolebinding NAME --role=R|--clusterrole=R [--user=U] [--group=G]
/// [--serviceaccount=NS:NAME]`.
fn rolebinding(name: &str, parsed: &Parsed) -> Result<Value, String> {
    let role_ref = match (parsed.get("role"), parsed.get("clusterrole")) {
        (Some(r), None) => {
            json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": r})
        }
        (None, Some(r)) => {
            json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": r})
        }
        _ => return Err("error: exactly one of clusterrole or role must be specified".into()),
    };
    let mut subjects = vec![];
    for user in list_flag(parsed, "user") {
        subjects
            .push(json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": user}));
    }
    for group in list_flag(parsed, "group") {
        subjects
            .push(json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": group}));
    }
    for sa in list_flag(parsed, "serviceaccount") {
        let Some((ns, sa_name)) = sa
            .split_once(':')
            .filter(|(n, s)| !n.is_empty() && !s.is_empty())
        else {
            return Err("error: serviceaccount must be <namespace>:<name>".into());
        };
        subjects.push(json!({"kind": "ServiceAccount", "name": sa_name, "namespace": ns}));
    }
    let mut binding = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
        "metadata": {"name": name}, "roleRef": role_ref});
    if !subjects.is_empty() {
        binding["subjects"] = json!(subjects);
    }
    Ok(binding)
}

/// `[\w-]+`, as create_ingress.go's rule regex spells a Service name or port.
fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// create_ingress.go's rule regex, `^(?P<host>[\w\*\-\.]*)(?P<path>/.*)=(?P<svcname>[\w\-]+):(?P<svcport>[\w\-]+)`
/// (unanchored at the end, so anything may follow the port).
fn valid_ingress_rule(rule: &str) -> bool {
    let Some(slash) = rule.find('/') else {
        return false;
    };
    let host_ok = rule[..slash]
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '*' | '-' | '.'));
    let rest = &rule[slash..];
    host_ok
        && rest.match_indices('=').any(|(i, _)| {
            let service = &rest[i + 1..];
            let Some((name, port)) = service.split_once(':') else {
                return false;
            };
            let port_word: String = port
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            is_word(name) && !port_word.is_empty()
        })
}

/// An Ingress backend for `svc:port` (a number, else a port name).
fn ingress_backend(service: &str) -> Value {
    let (name, port) = service.split_once(':').unwrap_or((service, ""));
    let port = match port.parse::<i64>() {
        Ok(n) => json!({"number": n}),
        Err(_) => json!({"name": port}),
    };
    json!({"service": {"name": name, "port": port}})
}

/// `kubectl create ingress NAME --rule=host/path=svc:port[,tls[=secret]] [--class=C]
/// [--default-backend=svc:port] [--annotation=k=v]` (create_ingress.go): `Exact` paths,
/// `Prefix` for a trailing `*`, one rule per host, TLS entries per secret.
fn ingress(name: &str, parsed: &Parsed) -> Result<Value, String> {
    let rules_given: Vec<&str> = parsed.all("rule");
    let default_backend = parsed.get("default-backend");
    if default_backend.is_none() && rules_given.is_empty() {
        return Err("error: not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)".into());
    }
    if let Some(bad) = rules_given.iter().find(|r| !valid_ingress_rule(r)) {
        return Err(format!("error: rule {bad} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]"));
    }
    let mut annotations = serde_json::Map::new();
    for a in parsed.all("annotation") {
        let Some((k, v)) = a.split_once('=') else {
            return Err(format!(
                "error: annotation {a} is invalid and should be in format key=[value]"
            ));
        };
        annotations.insert(k.to_string(), json!(v));
    }
    if default_backend.is_some_and(|d| d.split(':').count() != 2) {
        return Err("error: default-backend should be in format servicename:serviceport".into());
    }
    let mut rules: Vec<Value> = vec![];
    let mut tls: Vec<Value> = vec![];
    let mut tls_hosts_seen: Vec<String> = vec![];
    for rule in &rules_given {
        let host = rule.split_once('/').map_or("", |(h, _)| h);
        // TLS: `,tls` or `,tls=secret`; a host goes into one TLS entry only.
        let parts: Vec<&str> = rule.split(',').collect();
        if parts.len() == 2 && !tls_hosts_seen.iter().any(|h| h == host) {
            let secret = parts[1].split('=').nth(1).unwrap_or("");
            tls_hosts_seen.push(host.to_string());
            match tls
                .iter_mut()
                .find(|t| object::str_at(t, "/secretName") == secret)
            {
                Some(entry) => {
                    let hosts = entry["hosts"].as_array_mut();
                    match hosts {
                        Some(h) => h.push(json!(host)),
                        None => entry["hosts"] = json!([host]),
                    }
                }
                None => {
                    let mut entry = json!({});
                    if !host.is_empty() {
                        entry["hosts"] = json!([host]);
                    }
                    if !secret.is_empty() {
                        entry["secretName"] = json!(secret);
                    }
                    if entry.as_object().is_some_and(|m| !m.is_empty()) {
                        tls.push(entry);
                    }
                }
            }
        }
        let without_tls = parts[0];
        let path_and_service = without_tls.split_once('/').map_or("", |(_, p)| p);
        let mut pieces = path_and_service.split('=');
        let mut path = format!("/{}", pieces.next().unwrap_or_default());
        let service = pieces.next().unwrap_or_default();
        let mut path_type = "Exact";
        if path.ends_with('*') {
            path_type = "Prefix";
            path.pop();
        }
        let http_path =
            json!({"backend": ingress_backend(service), "path": path, "pathType": path_type});
        match rules
            .iter_mut()
            .find(|r| object::str_at(r, "/host") == host)
        {
            Some(r) => r["http"]["paths"]
                .as_array_mut()
                .expect("built with paths")
                .push(http_path),
            None => {
                let mut r = json!({"http": {"paths": [http_path]}});
                if !host.is_empty() {
                    r["host"] = json!(host);
                }
                rules.push(r);
            }
        }
    }
    let mut spec = json!({});
    if let Some(class) = parsed.get("class").filter(|c| !c.is_empty()) {
        spec["ingressClassName"] = json!(class);
    }
    if let Some(d) = default_backend {
        spec["defaultBackend"] = ingress_backend(d);
    }
    if !rules.is_empty() {
        spec["rules"] = json!(rules);
    }
    if !tls.is_empty() {
        spec["tls"] = json!(tls);
    }
    let mut metadata = json!({"name": name});
    if !annotations.is_empty() {
        metadata["annotations"] = Value::Object(annotations);
    }
    Ok(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": metadata,
        "spec": spec, "status": {"loadBalancer": {}}}),
    )
}

/// `registry.k8s.io/nginx:1.25` → `nginx` (kubectl's container name for an image).
fn container_name(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let base = last.split(['@', ':']).next().unwrap_or(last);
    base.to_string()
}

/// `--from-literal k=v` pairs (base64-encoded for Secrets).
/// `kubectl create secret tls NAME --cert=FILE --key=FILE` (`create_secret_tls.go`): both
/// files read from the workspace (the editor's buffers; next to the script for
/// `kubesim run`), checked as Go's `tls.X509KeyPair` first checks them — each must hold
/// PEM data of its kind — and stored as a `kubernetes.io/tls` Secret. Whether the key
/// matches the certificate is not checked: that needs the cryptography the simulation
/// does not carry.
fn tls_secret(console: &Console, name: &str, parsed: &Parsed) -> Result<Value, String> {
    let (Some(cert), Some(key)) = (parsed.get("cert"), parsed.get("key")) else {
        return Err("error: key and cert must be specified".into());
    };
    let read = |path: &str| {
        console
            .files
            .read(path)
            .map_err(|_| format!("error: open {path}: no such file or directory"))
    };
    let (cert_pem, key_pem) = (read(cert)?, read(key)?);
    if !cert_pem.contains("-----BEGIN CERTIFICATE-----") {
        return Err("error: tls: failed to find any PEM data in certificate input".into());
    }
    if !key_pem.contains("PRIVATE KEY-----") {
        return Err("error: tls: failed to find any PEM data in key input".into());
    }
    let encode = |s: &str| crate::sim::admission::encode_base64(s.as_bytes());
    Ok(
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name},
        "type": "kubernetes.io/tls",
        "data": {"tls.crt": encode(&cert_pem), "tls.key": encode(&key_pem)}}),
    )
}

fn literals(parsed: &Parsed, encode: bool) -> Value {
    let mut m = Map::new();
    for l in parsed.all("from-literal") {
        let (k, v) = l.split_once('=').unwrap_or((l, ""));
        let v = if encode {
            crate::sim::admission::encode_base64(v.as_bytes())
        } else {
            v.to_string()
        };
        m.insert(k.to_string(), json!(v));
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    #[test]
    fn container_names_follow_kubectl() {
        assert_eq!(super::container_name("nginx"), "nginx");
        assert_eq!(super::container_name("registry.k8s.io/nginx:1.25"), "nginx");
        assert_eq!(super::container_name("busybox@sha256:abc"), "busybox");
    }
}
