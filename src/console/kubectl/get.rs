//! `kubectl get` and `kubectl describe`: find the objects asked for (by type, name, label
//! selector, namespace) and print them as a table, YAML, JSON, names, JSONPath or
//! custom columns — or, with `-w`, keep printing changes as virtual time passes.

use super::flags::{self, switch, value, Flag, Parsed};
use super::resources::{parse_requests, Request};
use super::{namespace_of, Errors};
use crate::console::output::Output;
use crate::console::printers::{self, TableOptions};
use crate::console::Console;
use crate::sim::json::json;
use crate::sim::labels::Selector;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::sort::SharedSort;
use crate::sim::store::WatchEventType;
use crate::sim::time::{Millis, MINUTE, SECOND};
use serde_json::Value;

const GET_FLAGS: &[Flag] = &[
    value("output", Some('o')),
    value("selector", Some('l')),
    switch("all-namespaces", Some('A')),
    switch("watch", Some('w')),
    switch("watch-only", None),
    switch("output-watch-events", None),
    switch("show-labels", None),
    switch("no-headers", None),
    value("label-columns", Some('L')),
    value("sort-by", None),
    value("field-selector", None),
    switch("ignore-not-found", None),
    switch("show-kind", None),
    value("chunk-size", None),
    value("filename", Some('f')),
    value("template", None),
    switch("show-managed-fields", None),
];

const MUST_SPECIFY: &str = "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples";

/// The objects found for one request, in print order.
struct Found {
    rt: ResourceType,
    objects: Vec<Value>,
}

/// How to print (from `-o`).
#[derive(Debug, Clone, PartialEq)]
enum Format {
    Table { wide: bool },
    Yaml,
    Json,
    Name,
    JsonPath(String),
    CustomColumns(String),
}

fn parse_format(o: Option<&str>) -> Result<Format, String> {
    let Some(o) = o else {
        return Ok(Format::Table { wide: false });
    };
    let (kind, arg) = match o.split_once('=') {
        Some((k, a)) => (k, Some(a)),
        None => (o, None),
    };
    Ok(match (kind, arg) {
        ("wide", None) => Format::Table { wide: true },
        ("yaml", None) => Format::Yaml,
        ("json", None) => Format::Json,
        ("name", None) => Format::Name,
        ("jsonpath" | "jsonpath-as-json", Some(t)) => Format::JsonPath(t.to_string()),
        ("custom-columns", Some(c)) => Format::CustomColumns(c.to_string()),
        ("jsonpath", None) => return Err("error: template format specified but no template given".into()),
        _ => {
            return Err(format!(
                "error: unable to match a printer suitable for the output format \"{o}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
            ))
        }
    })
}

pub fn get(console: &mut Console, args: &[String]) -> Output {
    let parsed = match flags::parse("get", args, GET_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let format = match parse_format(parsed.get("output")) {
        Ok(f) => f,
        Err(e) => return Output::fail(e),
    };
    let requests = match parse_requests(console.cluster.registry(), &parsed.positional) {
        Ok(r) if r.is_empty() => return Output::fail(MUST_SPECIFY),
        Ok(r) => r,
        Err(e) => return Output::fail(e),
    };
    let watching = parsed.bool("watch") || parsed.bool("watch-only");
    // A watch follows one resource (the builder's `SingleResourceType`), `get all` too.
    let mut types: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.rt.group.as_str(), r.rt.plural.as_str()))
        .collect();
    types.dedup();
    if watching && types.len() > 1 {
        return Output::fail("error: you may only specify a single resource type");
    }
    let selector = match parsed.get("selector").map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(e) => return Output::fail(format!("error: {e}")),
    };
    if selector.is_some() && requests.iter().any(|r| r.names.is_some()) {
        return Output::fail("error: name cannot be provided when a selector is specified");
    }
    let namespace = namespace_of(console, &parsed);
    let all_namespaces = parsed.bool("all-namespaces");
    let mut errors = Errors::default();
    let found = find(
        console,
        &requests,
        &namespace,
        all_namespaces,
        selector.as_ref(),
        &parsed,
        &mut errors,
    );
    let mut out = Output::default();
    super::warn_deprecated(requests.iter().map(|r| &r.rt), &mut out);
    // `-w -o yaml` and the like print each object on its own, as the watch will.
    let mut each = (watching && !matches!(format, Format::Table { .. }))
        .then(|| EachObject::new(&format, &parsed));
    if !parsed.bool("watch-only") {
        let named = requests.iter().any(|r| r.names.is_some());
        match &mut each {
            Some(each) => {
                for f in &found {
                    for o in &f.objects {
                        each.print(&f.rt, o, WatchEventType::Added, &mut out);
                    }
                }
            }
            None => print_found(console, &found, &format, &parsed, named, &mut out),
        }
        // A watch prints nothing for an empty list: kubectl's `watch` returns before
        // the "No resources found" its plain `get` prints.
        if found.iter().all(|f| f.objects.is_empty()) && !named && errors.is_empty() && !watching {
            out.err(no_resources_message(&requests, &namespace, all_namespaces));
        }
    }
    errors.write_to(&mut out);
    if watching {
        let wide = format == Format::Table { wide: true };
        let events = parsed.bool("output-watch-events");
        // Each change: through the object printer, or as a table row of its own.
        let mut print = |rt: &ResourceType,
                         object: &Value,
                         event: WatchEventType,
                         now: Millis,
                         out: &mut Output| match &mut each {
            Some(each) => each.print(rt, object, event, out),
            None => {
                let mut opts = table_options(&parsed, wide, false);
                opts.no_headers = true;
                opts.watch_event = events.then(|| event.as_str());
                out.out(printers::print_table(rt, &[object], &opts, now));
            }
        };
        watch(
            console,
            &requests,
            &namespace,
            all_namespaces,
            selector.as_ref(),
            &mut print,
            &mut out,
        );
    }
    out
}

/// How `get -w` prints objects in a format other than a table: one at a time, the ones
/// listed first and then each change (kubectl's `watch` hands every object to the
/// printer on its own instead of printing a `List`). The YAML printer separates
/// documents with `---` (it counts what it printed); custom columns print their
/// headers once, over the first object. With `--output-watch-events` each is a watch
/// event, `{"type": …, "object": …}`, as the printers write a `metav1.WatchEvent`.
struct EachObject {
    format: Format,
    show_managed: bool,
    no_headers: bool,
    events: bool,
    printed: usize,
}

impl EachObject {
    fn new(format: &Format, parsed: &Parsed) -> EachObject {
        EachObject {
            format: format.clone(),
            show_managed: parsed.bool("show-managed-fields"),
            no_headers: parsed.bool("no-headers"),
            events: parsed.bool("output-watch-events"),
            printed: 0,
        }
    }

    fn print(
        &mut self,
        rt: &ResourceType,
        object: &Value,
        event: WatchEventType,
        out: &mut Output,
    ) {
        let first = self.printed == 0;
        self.printed += 1;
        // What the printers are handed: the object, or the watch event carrying it (as
        // JSON to YAML writes it, keys sorted: `object` before `type`).
        let document = |object: Value| match self.events {
            true => json!({"type": event.as_str(), "object": object}),
            false => object,
        };
        match &self.format {
            Format::Yaml => {
                if !first {
                    out.out("---\n");
                }
                let shown = printable(object, self.show_managed);
                out.out(printers::yaml::to_yaml(&document(shown)));
            }
            // The JSON printer writes a watch event compact (`json.Marshal`), `type` first
            // as in the struct, one per line.
            Format::Json if self.events => out.out(format!(
                "{{\"type\":\"{}\",\"object\":{}}}\n",
                event.as_str(),
                printers::json::to_json_compact(&printable(object, self.show_managed))
            )),
            Format::Json => out.out(printers::to_json(&printable(object, self.show_managed))),
            // The name printer takes the object out of the event.
            Format::Name => out.out(format!("{}/{}\n", rt.kind_prefix(), object::name(object))),
            Format::JsonPath(t) => {
                let input = document(printable(object, self.show_managed));
                match printers::jsonpath(t, &input) {
                    Ok(text) => out.out(text),
                    Err(e) => out.error(format!("error: {e}")),
                }
            }
            Format::CustomColumns(spec) => {
                let input = document(object.clone());
                match printers::custom_columns(spec, &[&input], self.no_headers || !first) {
                    Ok(text) => out.out(text),
                    Err(e) => out.error(format!("error: {e}")),
                }
            }
            Format::Table { .. } => unreachable!("tables print through print_table"),
        }
    }
}

/// A copy of the object to print: kubectl hides managedFields unless asked
/// (`OmitManagedFieldsPrinter`).
fn printable(object: &Value, show_managed: bool) -> Value {
    let mut v = object.clone();
    if !show_managed {
        printers::omit_managed_fields(&mut v);
    }
    v
}

fn no_resources_message(requests: &[Request], namespace: &str, all_namespaces: bool) -> String {
    if all_namespaces || requests.iter().all(|r| !r.rt.namespaced) {
        "No resources found".to_string()
    } else {
        format!("No resources found in {namespace} namespace.")
    }
}

fn find(
    console: &Console,
    requests: &[Request],
    namespace: &str,
    all_namespaces: bool,
    selector: Option<&Selector>,
    parsed: &Parsed,
    errors: &mut Errors,
) -> Vec<Found> {
    let cluster = &console.cluster;
    let mut found = vec![];
    for req in requests {
        if !req.rt.listable {
            errors.api(crate::sim::errors::ApiError::method_not_allowed(
                "the server does not allow this method on the requested resource",
            ));
            continue;
        }
        let mut objects: Vec<Value> = vec![];
        match &req.names {
            Some(names) => {
                for name in names {
                    match cluster.get(&req.rt, namespace, name) {
                        Ok(o) => objects.push(o.clone()),
                        Err(_) if parsed.bool("ignore-not-found") => {}
                        Err(e) => errors.api(e),
                    }
                }
            }
            None => {
                let ns = if all_namespaces {
                    None
                } else {
                    Some(namespace)
                };
                objects = cluster
                    .list(&req.rt, ns)
                    .into_iter()
                    .filter(|o| selector.is_none_or(|s| s.matches_object(o)))
                    .filter(|o| field_selector_matches(parsed.get("field-selector"), o))
                    .cloned()
                    .collect();
            }
        }
        if let Some(sort) = parsed.get("sort-by") {
            sort_by(&mut objects, sort);
        }
        if parsed.bool("show-managed-fields") {
            for o in &mut objects {
                with_managed_fields(console, &req.rt, o);
            }
        }
        found.push(Found {
            rt: req.rt.clone(),
            objects,
        });
    }
    found
}

/// Puts back an object's `metadata.managedFields`, which the store holds apart from it
/// (`Store::apply`), for `--show-managed-fields`.
pub(super) fn with_managed_fields(console: &Console, rt: &ResourceType, obj: &mut Value) {
    let key = crate::sim::apiserver::key_for(rt, object::namespace(obj), object::name(obj));
    if let Some(entries) = console.cluster.store().managed_fields(&key) {
        object::meta_mut(obj).insert("managedFields".into(), entries);
    }
}

/// `--field-selector metadata.name=x,status.phase!=Running` (equality forms only).
fn field_selector_matches(spec: Option<&str>, obj: &Value) -> bool {
    let Some(spec) = spec else { return true };
    spec.split(',').filter(|p| !p.is_empty()).all(|part| {
        let (path, want, negate) = if let Some((p, v)) = part.split_once("!=") {
            (p, v, true)
        } else if let Some((p, v)) = part.split_once("==") {
            (p, v, false)
        } else if let Some((p, v)) = part.split_once('=') {
            (p, v, false)
        } else {
            return true;
        };
        let pointer = format!("/{}", path.trim().replace('.', "/"));
        let actual = obj.pointer(&pointer).map(value_text).unwrap_or_default();
        (actual == want.trim()) != negate
    })
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn sort_by(objects: &mut [Value], path: &str) {
    let key = |o: &Value| printers::jsonpath::first_result(path, o);
    objects.sort_shared_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        match (
            ka.as_ref().and_then(Value::as_f64),
            kb.as_ref().and_then(Value::as_f64),
        ) {
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
            _ => ka.map(|v| value_text(&v)).cmp(&kb.map(|v| value_text(&v))),
        }
    });
}

fn table_options(parsed: &Parsed, wide: bool, show_kind: bool) -> TableOptions {
    TableOptions {
        wide,
        show_labels: parsed.bool("show-labels"),
        all_namespaces: parsed.bool("all-namespaces"),
        no_headers: parsed.bool("no-headers"),
        label_columns: parsed
            .all("label-columns")
            .iter()
            .flat_map(|l| l.split(','))
            .map(String::from)
            .collect(),
        show_kind: show_kind || parsed.bool("show-kind"),
        custom_columns: None,
        watch_event: None,
    }
}

fn print_found(
    console: &Console,
    found: &[Found],
    format: &Format,
    parsed: &Parsed,
    named: bool,
    out: &mut Output,
) {
    let now = console.cluster.now();
    let all: Vec<&Value> = found.iter().flat_map(|f| f.objects.iter()).collect();
    // One named object prints as itself; anything else as a List.
    let single = named && all.len() == 1 && found.len() == 1;
    // kubectl hides managedFields unless asked (`OmitManagedFieldsPrinter`).
    let show_managed = parsed.bool("show-managed-fields");
    let as_document = || -> Value {
        if single {
            printable(all[0], show_managed)
        } else {
            printers::list_of(all.iter().map(|v| printable(v, show_managed)).collect())
        }
    };
    match format {
        Format::Table { wide } => {
            let show_kind = found.len() > 1;
            let mut opts = table_options(parsed, *wide, show_kind);
            // Under `-w --output-watch-events` the listed objects print as ADDED events.
            if parsed.bool("watch") && parsed.bool("output-watch-events") {
                opts.watch_event = Some("ADDED");
            }
            for f in found {
                let refs: Vec<&Value> = f.objects.iter().collect();
                let mut opts = opts.clone();
                opts.custom_columns = custom_printer_columns(console, &f.rt);
                let table = printers::print_table(&f.rt, &refs, &opts, now);
                if table.is_empty() {
                    continue;
                }
                if !out.stdout().is_empty() && !opts.no_headers {
                    out.out("\n");
                }
                out.out(table);
            }
        }
        Format::Yaml if !all.is_empty() => out.out(printers::yaml::to_yaml(&as_document())),
        Format::Json if !all.is_empty() => out.out(printers::to_json(&as_document())),
        Format::Name => {
            for f in found {
                for o in &f.objects {
                    out.out(format!("{}/{}\n", f.rt.kind_prefix(), object::name(o)));
                }
            }
        }
        Format::JsonPath(t) if !all.is_empty() || named => {
            match printers::jsonpath(t, &as_document()) {
                Ok(text) => out.out(text),
                Err(e) => out.error(format!("error: {e}")),
            }
        }
        Format::CustomColumns(spec) if !all.is_empty() => {
            match printers::custom_columns(spec, &all, parsed.bool("no-headers")) {
                Ok(text) => out.out(text),
                Err(e) => out.error(format!("error: {e}")),
            }
        }
        _ => {}
    }
}

/// A CRD's `additionalPrinterColumns` for the served version, if the type is custom.
fn custom_printer_columns(
    console: &Console,
    rt: &ResourceType,
) -> Option<Vec<printers::PrinterColumn>> {
    let crds = console
        .cluster
        .registry()
        .resolve("customresourcedefinitions")?
        .clone();
    let crd = console
        .cluster
        .get(&crds, "", &format!("{}.{}", rt.plural, rt.group))
        .ok()?;
    let versions = crd.pointer("/spec/versions").and_then(Value::as_array)?;
    let version = versions.iter().find(|v| {
        v.get("name").and_then(Value::as_str) == rt.versions.first().map(String::as_str)
    })?;
    let cols = version
        .get("additionalPrinterColumns")
        .and_then(Value::as_array)?;
    Some(
        cols.iter()
            .map(|c| printers::PrinterColumn {
                name: object::str_at(c, "/name").to_string(),
                json_path: object::str_at(c, "/jsonPath").to_string(),
                column_type: object::str_at(c, "/type").to_string(),
                priority: c.get("priority").and_then(Value::as_i64).unwrap_or(0) as i32,
            })
            .collect(),
    )
}

/// How long `-w` follows changes in a script: until nothing more is scheduled in the
/// next 30 s of virtual time, and at most 10 minutes (a terminal would wait for Ctrl-C).
const WATCH_QUIET: Millis = 30 * SECOND;
const WATCH_LIMIT: Millis = 10 * MINUTE;

fn watch(
    console: &mut Console,
    requests: &[Request],
    namespace: &str,
    all_ns: bool,
    selector: Option<&Selector>,
    print: &mut dyn FnMut(&ResourceType, &Value, WatchEventType, Millis, &mut Output),
    out: &mut Output,
) {
    let start = console.cluster.now();
    let mut cursor = console.cluster.store().revision();
    loop {
        let now = console.cluster.now();
        let next = console.cluster.next_event_at();
        match next {
            Some(t) if t <= now + WATCH_QUIET && t <= start + WATCH_LIMIT => {
                console.cluster.run_until(t)
            }
            _ => break,
        }
        let events: Vec<crate::sim::store::WatchEvent> =
            match console.cluster.store().watch_from(cursor) {
                Ok(events) => events.to_vec(),
                // etcd compacted past this watch (it fell more than one compaction
                // interval behind): the apiserver ends it with 410 Gone.
                Err(expired) => {
                    out.error(format!("Error from server (Expired): {expired}"));
                    break;
                }
            };
        cursor = console.cluster.store().revision();
        for e in events {
            let Some(req) = requests.iter().find(|r| {
                r.rt.group == e.key.resource.group && r.rt.plural == e.key.resource.resource
            }) else {
                continue;
            };
            let in_scope = all_ns || !req.rt.namespaced || e.key.namespace == namespace;
            let named_ok = req.names.as_ref().is_none_or(|n| n.contains(&e.key.name));
            if !in_scope || !named_ok || !selector.is_none_or(|s| s.matches_object(&e.object)) {
                continue;
            }
            print(&req.rt, &e.object, e.event_type, console.cluster.now(), out);
        }
    }
}

const DESCRIBE_FLAGS: &[Flag] = &[
    value("selector", Some('l')),
    switch("all-namespaces", Some('A')),
    switch("show-events", None),
    value("filename", Some('f')),
    value("chunk-size", None),
];

pub fn describe(console: &mut Console, args: &[String]) -> Output {
    let parsed = match flags::parse("describe", args, DESCRIBE_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let requests = match parse_requests(console.cluster.registry(), &parsed.positional) {
        Ok(r) if r.is_empty() => return Output::fail("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl describe -h' for help and examples"),
        Ok(r) => r,
        Err(e) => return Output::fail(e),
    };
    let selector = match parsed.get("selector").map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(e) => return Output::fail(format!("error: {e}")),
    };
    let namespace = namespace_of(console, &parsed);
    let all_ns = parsed.bool("all-namespaces");
    let mut out = Output::default();
    super::warn_deprecated(requests.iter().map(|r| &r.rt), &mut out);
    let mut errors = Errors::default();
    let mut printed = 0;
    for req in &requests {
        let objects: Vec<Value> = match &req.names {
            // describe matches names as prefixes when there is no exact match
            Some(names) => names
                .iter()
                .flat_map(|n| match console.cluster.get(&req.rt, &namespace, n) {
                    Ok(o) => vec![o.clone()],
                    Err(e) => {
                        let prefixed: Vec<Value> = console
                            .cluster
                            .list(&req.rt, Some(&namespace))
                            .into_iter()
                            .filter(|o| object::name(o).starts_with(n.as_str()))
                            .cloned()
                            .collect();
                        if prefixed.is_empty() {
                            errors.api(e);
                        }
                        prefixed
                    }
                })
                .collect(),
            None => console
                .cluster
                .list(&req.rt, if all_ns { None } else { Some(&namespace) })
                .into_iter()
                .filter(|o| selector.as_ref().is_none_or(|s| s.matches_object(o)))
                .cloned()
                .collect(),
        };
        for obj in objects {
            if printed > 0 {
                out.out("\n\n");
            }
            out.out(describe_text(&req.rt, &obj, console));
            printed += 1;
        }
    }
    if printed == 0 && errors.is_empty() {
        out.err(no_resources_message(&requests, &namespace, all_ns));
    }
    errors.write_to(&mut out);
    out
}

fn describe_text(rt: &ResourceType, obj: &Value, console: &Console) -> String {
    printers::describe::describe(rt, obj, &console.cluster, console.cluster.now())
}
