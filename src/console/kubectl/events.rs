//! `kubectl events`: the events of a namespace (or `-A`), oldest first, in its own
//! columns LAST SEEN, TYPE, REASON, OBJECT (`Kind/name`) and MESSAGE; `--for TYPE/NAME`
//! and `--types Normal,Warning` filter, `-w` follows new events as virtual time passes.

use super::flags::{self, switch, value, Flag, Parsed};
use super::namespace_of;
use crate::console::output::Output;
use crate::console::printers::age::age;
use crate::console::printers::tabwriter::TABLE;
use crate::console::Console;
use crate::sim::object;
use crate::sim::sort::SharedSort;
use crate::sim::store::{GroupResource, WatchEventType};
use crate::sim::time::{Millis, MINUTE, SECOND};
use serde_json::Value;

const EVENTS_FLAGS: &[Flag] = &[
    switch("watch", Some('w')),
    switch("all-namespaces", Some('A')),
    value("for", None),
    value("types", None),
    switch("no-headers", None),
    value("chunk-size", None),
];

/// The object `--for` names: its kind and name.
struct ForObject {
    kind: String,
    name: String,
}

fn for_object(console: &Console, parsed: &Parsed) -> Result<Option<ForObject>, String> {
    let Some(arg) = parsed.get("for").filter(|f| !f.is_empty()) else {
        return Ok(None);
    };
    let Some((typed, name)) = arg.split_once('/') else {
        return Err("error: --for must be in resource/name form".into());
    };
    if name.contains('/') {
        return Err(
            "error: arguments in resource/name form may not have more than one slash".into(),
        );
    }
    let rt = console
        .cluster
        .registry()
        .resolve(&typed.to_ascii_lowercase())
        .cloned()
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{typed}\""))?;
    Ok(Some(ForObject {
        kind: rt.kind,
        name: name.to_string(),
    }))
}

/// `--types`, checked as kubectl's `Validate` does.
fn types_of(parsed: &Parsed) -> Result<Vec<String>, String> {
    let types: Vec<String> = parsed
        .all("types")
        .iter()
        .flat_map(|t| t.split(','))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    if types
        .iter()
        .any(|t| !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning"))
    {
        return Err("error: valid --types are Normal or Warning".into());
    }
    Ok(types)
}

/// What the command selects.
struct Filter {
    namespace: Option<String>,
    for_object: Option<ForObject>,
    types: Vec<String>,
}

impl Filter {
    fn matches(&self, ev: &Value) -> bool {
        let in_namespace = self
            .namespace
            .as_ref()
            .is_none_or(|ns| object::namespace(ev) == ns);
        let for_ok = self.for_object.as_ref().is_none_or(|f| {
            object::str_at(ev, "/involvedObject/kind") == f.kind
                && object::str_at(ev, "/involvedObject/name") == f.name
        });
        let type_ok = self.types.is_empty()
            || self
                .types
                .iter()
                .any(|t| t.eq_ignore_ascii_case(object::str_at(ev, "/type")));
        in_namespace && for_ok && type_ok
    }
}

/// `kubectl events`.
pub fn events(console: &mut Console, args: &[String]) -> Output {
    let parsed = match flags::parse("events", args, EVENTS_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    if let Some(extra) = parsed.positional.first() {
        return Output::fail(format!(
            "error: unknown command \"{extra}\" for \"kubectl events\""
        ));
    }
    let (for_object, types) = match (for_object(console, &parsed), types_of(&parsed)) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(e), _) | (_, Err(e)) => return Output::fail(e),
    };
    let all = parsed.bool("all-namespaces");
    let namespace = namespace_of(console, &parsed);
    let filter = Filter {
        namespace: (!all).then(|| namespace.clone()),
        for_object,
        types,
    };
    let printer = Printer {
        all_namespaces: all,
        headers: !parsed.bool("no-headers"),
    };
    if parsed.bool("watch") {
        return watch(console, &filter, printer);
    }
    let events_type = GroupResource::new("", "events");
    let mut selected: Vec<&Value> = console
        .cluster
        .store()
        .list(&events_type, filter.namespace.as_deref())
        .into_iter()
        .filter(|e| filter.matches(e))
        .collect();
    if selected.is_empty() {
        // kubectl says so on stderr and succeeds.
        let mut out = Output::default();
        out.err(if all {
            "No events found.".to_string()
        } else {
            format!("No events found in {namespace} namespace.")
        });
        return out;
    }
    selected.sort_shared_by_key(|e| sort_time(e));
    let now = console.cluster.now();
    let mut text = printer.header();
    for ev in selected {
        text.push_str(&printer.row(ev, now));
    }
    Output::ok(TABLE.format(&text))
}

/// `eventTime()`: the series' last observation, else lastTimestamp, else eventTime.
fn sort_time(ev: &Value) -> i64 {
    let at = |p: &str| crate::sim::time::parse_rfc3339(object::str_at(ev, p));
    at("/series/lastObservedTime")
        .or_else(|| at("/lastTimestamp"))
        .or_else(|| at("/eventTime"))
        .unwrap_or(0)
}

#[derive(Clone, Copy)]
struct Printer {
    all_namespaces: bool,
    headers: bool,
}

impl Printer {
    fn header(&self) -> String {
        if !self.headers {
            return String::new();
        }
        let ns = if self.all_namespaces {
            "NAMESPACE\t"
        } else {
            ""
        };
        format!("{ns}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n")
    }

    /// `printOneEvent`, with `getInterval`'s `LAST (xN over FIRST)`.
    fn row(&self, ev: &Value, now: Millis) -> String {
        let text = |p: &str| object::str_at(ev, p);
        let first = match text("/eventTime") {
            "" => age(Some(text("/firstTimestamp")), now),
            t => age(Some(t), now),
        };
        let series_count = ev.pointer("/series/count").and_then(Value::as_i64);
        let count = ev.get("count").and_then(Value::as_i64).unwrap_or(0);
        let interval = match series_count {
            Some(n) => format!(
                "{} (x{n} over {first})",
                age(Some(text("/series/lastObservedTime")), now)
            ),
            None if count > 1 => format!(
                "{} (x{count} over {first})",
                age(Some(text("/lastTimestamp")), now)
            ),
            None => first,
        };
        let ns = if self.all_namespaces {
            format!("{}\t", object::namespace(ev))
        } else {
            String::new()
        };
        format!(
            "{ns}{interval}\t{}\t{}\t{}/{}\t{}\n",
            text("/type"),
            text("/reason"),
            text("/involvedObject/kind"),
            text("/involvedObject/name"),
            text("/message").trim()
        )
    }
}

/// How long `-w` follows in a script: until nothing is scheduled in the next 30 s of
/// virtual time, at most 10 minutes (a terminal would wait for Ctrl-C), as `get -w`.
const WATCH_QUIET: Millis = 30 * SECOND;
const WATCH_LIMIT: Millis = 10 * MINUTE;

/// `runWatch`: a watch from "now" first delivers every existing event, then each new or
/// updated one; kubectl flushes its table writer per event, so each line is aligned
/// alone (the first together with the header).
fn watch(console: &mut Console, filter: &Filter, printer: Printer) -> Output {
    let mut out = Output::default();
    let events_type = GroupResource::new("", "events");
    let mut header = printer.header();
    let mut print = |ev: &Value, now: Millis, out: &mut Output| {
        let text = format!("{}{}", std::mem::take(&mut header), printer.row(ev, now));
        out.out(TABLE.format(&text));
    };
    let now = console.cluster.now();
    for ev in console
        .cluster
        .store()
        .list(&events_type, filter.namespace.as_deref())
    {
        if filter.matches(ev) {
            print(ev, now, &mut out);
        }
    }
    let start = console.cluster.now();
    let mut cursor = console.cluster.store().revision();
    loop {
        let now = console.cluster.now();
        match console.cluster.next_event_at() {
            Some(t) if t <= now + WATCH_QUIET && t <= start + WATCH_LIMIT => {
                console.cluster.run_until(t)
            }
            _ => break,
        }
        let changes = match console.cluster.store().watch_from(cursor) {
            Ok(changes) => changes.to_vec(),
            // etcd compacted past this watch: the apiserver ends it with 410 Gone.
            Err(expired) => {
                out.error(format!("Error from server (Expired): {expired}"));
                break;
            }
        };
        cursor = console.cluster.store().revision();
        for change in changes {
            let is_event = change.key.resource == events_type;
            if is_event
                && change.event_type != WatchEventType::Deleted
                && filter.matches(&change.object)
            {
                print(&change.object, console.cluster.now(), &mut out);
            }
        }
    }
    out
}
