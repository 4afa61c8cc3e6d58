//! `kubectl describe`: the describers of kubectl `pkg/describe/describe.go` over objects
//! held as `serde_json::Value`. Text is written as describe.go writes it (`Name:\t…`,
//! two-space levels) and aligned by Go's tabwriter (minwidth 0, padding 2); the Events
//! table is aligned on its own because `DescribeEvents` flushes the writer first.
//!
//! Related objects (events, ReplicaSets, EndpointSlices, pods on a node) come from an
//! [`ObjectSource`]; kinds without a dedicated describer get the generic one.

use crate::sim::sort::SharedSort;
use serde_json::{Map, Value};

use super::age::{age, elapsed, human_duration};
use super::describe_kinds;
use super::fields::{arr_at, as_int, get, map_at, name, namespace, opt_str, str_at};
use super::tabwriter::DESCRIBE;
use crate::sim::resources::ResourceType;
use crate::sim::time::{parse_rfc3339, Millis, EPOCH_UNIX_SECONDS};

/// Read access to the cluster's objects, for the parts of describe that show related ones.
pub trait ObjectSource {
    /// One object by group (`""` for core), plural, namespace (`""` if cluster-scoped), name.
    fn get(&self, group: &str, plural: &str, namespace: &str, name: &str) -> Option<&Value>;
    /// All objects of a type, optionally in one namespace.
    fn list(&self, group: &str, plural: &str, namespace: Option<&str>) -> Vec<&Value>;
}

/// An empty source (no related objects, no events).
pub struct NoObjects;

impl ObjectSource for NoObjects {
    fn get(&self, _: &str, _: &str, _: &str, _: &str) -> Option<&Value> {
        None
    }
    fn list(&self, _: &str, _: &str, _: Option<&str>) -> Vec<&Value> {
        Vec::new()
    }
}

/// `kubectl describe <type> <name>` for one object.
pub fn describe(rt: &ResourceType, obj: &Value, source: &dyn ObjectSource, now: Millis) -> String {
    let mut w = Writer::new(now);
    if describe_kinds::describe_into(&mut w, rt, obj, source) {
        let events = events_for(obj, &rt.kind, source);
        w.events(&events);
    }
    w.finish()
}

/// describe.go's `PrefixWriter` over a buffer flushed through the tabwriter in pieces.
pub struct Writer {
    pub now: Millis,
    done: String,
    pending: String,
}

impl Writer {
    pub fn new(now: Millis) -> Writer {
        Writer {
            now,
            done: String::new(),
            pending: String::new(),
        }
    }

    /// `w.Write(level, text)`: two spaces per level, then the text (tabs separate cells).
    pub fn write(&mut self, level: usize, text: &str) {
        self.pending.push_str(&"  ".repeat(level));
        self.pending.push_str(text);
    }

    /// `w.Flush()`: aligns everything written so far.
    pub fn flush(&mut self) {
        let text = std::mem::take(&mut self.pending);
        self.done.push_str(&DESCRIBE.format(&text));
    }

    pub fn finish(mut self) -> String {
        self.flush();
        self.done
    }

    /// `printLabelsMultiline` / `printLabelsMultilineWithIndent`.
    pub fn labels(&mut self, title: &str, labels: Option<&Map<String, Value>>) {
        self.labels_with_indent("", title, "\t", labels);
    }

    pub fn labels_with_indent(
        &mut self,
        initial: &str,
        title: &str,
        inner: &str,
        labels: Option<&Map<String, Value>>,
    ) {
        self.write(0, &format!("{initial}{title}:{inner}"));
        let pairs = super::fields::string_map(labels);
        if pairs.is_empty() {
            self.write(0, "<none>\n");
            return;
        }
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i != 0 {
                self.write(0, &format!("{initial}{inner}"));
            }
            self.write(0, &format!("{k}={v}\n"));
        }
    }

    /// `printAnnotationsMultiline`: sorted, last-applied-configuration skipped, long or
    /// multi-line values on their own indented lines (cut at 140 characters).
    pub fn annotations(&mut self, title: &str, annotations: Option<&Map<String, Value>>) {
        const MAX: usize = 140;
        self.write(0, &format!("{title}:\t"));
        let pairs: Vec<(String, String)> = super::fields::string_map(annotations)
            .into_iter()
            .filter(|(k, _)| k != "kubectl.kubernetes.io/last-applied-configuration")
            .collect();
        if pairs.is_empty() {
            self.write(0, "<none>\n");
            return;
        }
        for (i, (key, value)) in pairs.iter().enumerate() {
            if i != 0 {
                self.write(0, "\t");
            }
            let value = value.strip_suffix('\n').unwrap_or(value);
            if value.len() + key.len() + 2 > MAX || value.contains('\n') {
                self.write(0, &format!("{key}:\n"));
                for line in value.split('\n') {
                    self.write(0, &format!("\t  {}\n", shorten(line, MAX - 2)));
                }
            } else {
                self.write(0, &format!("{key}: {value}\n"));
            }
        }
    }

    /// `printTolerationsMultilineWithIndent`.
    pub fn tolerations(&mut self, initial: &str, title: &str, tolerations: &[Value]) {
        self.write(0, &format!("{initial}{title}:\t"));
        if tolerations.is_empty() {
            self.write(0, "<none>\n");
            return;
        }
        let mut sorted: Vec<&Value> = tolerations.iter().collect();
        sorted.sort_shared_by(|a, b| str_at(a, &["key"]).cmp(str_at(b, &["key"])));
        for (i, t) in sorted.into_iter().enumerate() {
            if i != 0 {
                self.write(0, &format!("{initial}\t"));
            }
            self.write(0, &format!("{}\n", toleration_text(t)));
        }
    }

    /// `DescribeEvents`.
    pub fn events(&mut self, events: &[&Value]) {
        if events.is_empty() {
            self.write(0, "Events:\t<none>\n");
            return;
        }
        self.flush();
        let mut sorted: Vec<&Value> = events.to_vec();
        sorted.sort_shared_by_key(|e| {
            opt_str(e, &["lastTimestamp"])
                .and_then(parse_rfc3339)
                .unwrap_or(i64::MIN)
        });
        self.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
        self.write(1, "----\t------\t----\t----\t-------\n");
        for e in sorted {
            let line = format!(
                "{}\t{}\t{}\t{}\t{}\n",
                str_at(e, &["type"]),
                str_at(e, &["reason"]),
                self.event_interval(e),
                event_from(e),
                str_at(e, &["message"]).trim()
            );
            self.write(1, &line);
        }
    }

    fn event_interval(&self, e: &Value) -> String {
        let nonempty = |path: &[&str]| opt_str(e, path).filter(|s| !s.is_empty());
        let first = match nonempty(&["eventTime"]) {
            Some(t) => age(Some(t), self.now),
            None => age(nonempty(&["firstTimestamp"]), self.now),
        };
        let count = get(e, &["count"]).and_then(as_int).unwrap_or(0);
        if get(e, &["series"]).is_some_and(Value::is_object) {
            let last = age(opt_str(e, &["series", "lastObservedTime"]), self.now);
            let n = get(e, &["series", "count"]).and_then(as_int).unwrap_or(0);
            format!("{last} (x{n} over {first})")
        } else if count > 1 {
            format!(
                "{} (x{count} over {first})",
                age(nonempty(&["lastTimestamp"]), self.now)
            )
        } else {
            first
        }
    }

    /// `translateTimestampSince`.
    pub fn since(&self, ts: Option<&str>) -> String {
        age(ts, self.now)
    }

    /// `human_duration` from an epoch-relative instant to now.
    pub fn elapsed_since(&self, ts: i64) -> String {
        human_duration(elapsed(self.now, ts))
    }
}

fn event_from(e: &Value) -> &str {
    match str_at(e, &["source", "component"]) {
        "" => str_at(e, &["reportingController"]),
        c => c,
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}...", &s[..cut])
    } else {
        s.to_string()
    }
}

/// `key=value:Effect op=Exists for 300s`.
pub fn toleration_text(t: &Value) -> String {
    let (key, value, effect) = (
        str_at(t, &["key"]),
        str_at(t, &["value"]),
        str_at(t, &["effect"]),
    );
    let mut s = key.to_string();
    if !value.is_empty() {
        s.push_str(&format!("={value}"));
    }
    if !effect.is_empty() {
        s.push_str(&format!(":{effect}"));
    }
    if str_at(t, &["operator"]) == "Exists" && value.is_empty() {
        s.push_str(if key.is_empty() && effect.is_empty() {
            "op=Exists"
        } else {
            " op=Exists"
        });
    }
    if let Some(secs) = get(t, &["tolerationSeconds"]).and_then(as_int) {
        s.push_str(&format!(" for {secs}s"));
    }
    s
}

/// Events whose involvedObject is `obj` (name, namespace, uid; kind except for pods, as
/// kubectl clears it for pods).
pub fn events_for<'a>(obj: &Value, kind: &str, source: &'a dyn ObjectSource) -> Vec<&'a Value> {
    let (obj_name, obj_ns) = (name(obj), namespace(obj));
    let uid = str_at(obj, &["metadata", "uid"]);
    let ns = if obj_ns.is_empty() {
        None
    } else {
        Some(obj_ns)
    };
    let mut events = source.list("", "events", ns);
    events.retain(|e| {
        let io = |f: &str| str_at(e, &["involvedObject", f]);
        let uid_ok =
            uid.is_empty() || io("uid").is_empty() || io("uid") == uid || io("uid") == obj_name;
        io("name") == obj_name && uid_ok && (kind == "Pod" || io("kind") == kind)
    });
    events
}

/// Go's `time.RFC1123Z` in UTC: `Thu, 01 Jan 2026 00:00:05 +0000`.
pub fn rfc1123z(ts: Option<&str>) -> String {
    let Some(ms) = ts.and_then(parse_rfc3339) else {
        return "Mon, 01 Jan 0001 00:00:00 +0000".to_string();
    };
    let unix = EPOCH_UNIX_SECONDS + ms.div_euclid(1000);
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, m, d) = civil_from_days(days);
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} +0000",
        WEEKDAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1).clamp(0, 11) as usize],
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The generic describer (`printUnstructuredContent`): every field, sorted, with
/// `smartLabelFor` labels, after Name/Namespace/Labels/Annotations.
pub fn describe_generic(w: &mut Writer, obj: &Value) {
    w.write(0, &format!("Name:\t{}\n", name(obj)));
    w.write(0, &format!("Namespace:\t{}\n", namespace(obj)));
    w.labels("Labels", map_at(obj, &["metadata", "labels"]));
    w.annotations("Annotations", map_at(obj, &["metadata", "annotations"]));
    if let Some(content) = obj.as_object() {
        let skip = [
            ".metadata.name",
            ".metadata.namespace",
            ".metadata.labels",
            ".metadata.annotations",
        ];
        unstructured(w, 0, content, "", &skip);
    }
}

fn unstructured(
    w: &mut Writer,
    level: usize,
    content: &Map<String, Value>,
    prefix: &str,
    skip: &[&str],
) {
    let mut fields: Vec<&String> = content.keys().collect();
    fields.sort_shared();
    for field in fields {
        let path = format!("{prefix}.{field}");
        if skip.contains(&path.as_str()) {
            continue;
        }
        match &content[field] {
            Value::Object(m) => {
                w.write(level, &format!("{}:\n", smart_label(field)));
                unstructured(w, level + 1, m, &path, skip);
            }
            Value::Array(items) => {
                w.write(level, &format!("{}:\n", smart_label(field)));
                for item in items {
                    match item {
                        Value::Object(m) => unstructured(w, level + 1, m, &path, skip),
                        other => w.write(level + 1, &format!("{}\n", go_v(other))),
                    }
                }
            }
            other => w.write(
                level,
                &format!("{}:\t{}\n", smart_label(field), go_v(other)),
            ),
        }
    }
}

/// Go's `%v` for a JSON scalar.
fn go_v(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_string(),
        Value::Number(n) if n.is_f64() => super::json::go_g_float(n.as_f64().unwrap_or(0.0)),
        other => super::jsonpath::go_value(other),
    }
}

/// `smartLabelFor`: `apiVersion` → `API Version`, `creationTimestamp` → `Creation Timestamp`.
pub fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    const ACRONYMS: [&str; 5] = ["API", "URL", "UID", "OSB", "GUID"];
    camel_split(field)
        .into_iter()
        .filter(|p| p != "_")
        .map(|p| {
            let upper = p.to_uppercase();
            if ACRONYMS.contains(&upper.as_str()) {
                upper
            } else {
                let mut chars = p.chars();
                chars.next().map_or(String::new(), |f| {
                    f.to_uppercase().collect::<String>() + chars.as_str()
                })
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// fatih/camelcase `Split`: runs of one character class, with `HTTPServer` → `HTTP Server`.
fn camel_split(s: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0;
    for c in s.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some(run) if k == last => run.push(c),
            _ => runs.push(vec![c]),
        }
        last = k;
    }
    for i in 0..runs.len().saturating_sub(1) {
        if runs[i].first().is_some_and(|c| c.is_uppercase())
            && runs[i + 1].first().is_some_and(|c| c.is_lowercase())
        {
            if let Some(moved) = runs[i].pop() {
                runs[i + 1].insert(0, moved);
            }
        }
    }
    runs.into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.into_iter().collect())
        .collect()
}

/// `Controlled By:` text (`ReplicaSet/web-7c5ddbdf54`), if a controller owns `obj`.
pub fn controlled_by(obj: &Value) -> Option<String> {
    arr_at(obj, &["metadata", "ownerReferences"])
        .iter()
        .find(|o| get(o, &["controller"]).and_then(Value::as_bool) == Some(true))
        .map(|o| format!("{}/{}", str_at(o, &["kind"]), str_at(o, &["name"])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

    #[test]
    fn rfc1123z_dates() {
        assert_eq!(
            rfc1123z(Some("2026-01-01T00:00:05Z")),
            "Thu, 01 Jan 2026 00:00:05 +0000"
        );
        assert_eq!(
            rfc1123z(Some("2026-03-02T13:04:05Z")),
            "Mon, 02 Mar 2026 13:04:05 +0000"
        );
        assert_eq!(
            rfc1123z(Some("2025-12-31T23:59:59Z")),
            "Wed, 31 Dec 2025 23:59:59 +0000"
        );
    }

    #[test]
    fn smart_labels() {
        for (field, want) in [
            ("apiVersion", "API Version"),
            ("creationTimestamp", "Creation Timestamp"),
            ("uid", "UID"),
            ("cronSpec", "Cron Spec"),
            ("HTTPServer", "HTTP Server"),
            ("kind", "Kind"),
            ("v1beta", "v1beta"),
            ("max-surge", "Max - Surge"),
        ] {
            assert_eq!(smart_label(field), want);
        }
    }

    #[test]
    fn labels_annotations_tolerations() {
        let mut w = Writer::new(0);
        w.labels("Labels", json!({"b": "2", "a": "1"}).as_object());
        w.annotations(
            "Annotations",
            json!({"kubectl.kubernetes.io/last-applied-configuration": "{}"}).as_object(),
        );
        w.tolerations("", "Tolerations", json!([
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]).as_array().unwrap());
        w.events(&[]);
        let want = "\
Labels:       a=1
              b=2
Annotations:  <none>
Tolerations:  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:       <none>
";
        assert_eq!(w.finish(), want);
    }

    #[test]
    fn events_table() {
        let ev = |reason: &str, first: &str, last: &str, count: i64, msg: &str| {
            json!({
            "type": "Normal", "reason": reason, "firstTimestamp": first, "lastTimestamp": last, "count": count,
            "source": {"component": "kubelet"}, "message": msg,
            "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default"}, "metadata": {"namespace": "default"}})
        };
        let a = ev(
            "Pulled",
            "2026-01-01T00:00:00Z",
            "2026-01-01T00:04:00Z",
            4,
            "Container image \"nginx\" already present on machine",
        );
        let b = ev(
            "Scheduled",
            "2026-01-01T00:00:00Z",
            "2026-01-01T00:00:00Z",
            1,
            "Successfully assigned default/web to worker-1",
        );
        let mut w = Writer::new(300_000);
        w.write(0, "Name:\tweb\n");
        w.events(&[&a, &b]);
        let want = "\
Name:  web
Events:
  Type    Reason     Age               From     Message
  ----    ------     ----              ----     -------
  Normal  Scheduled  5m                kubelet  Successfully assigned default/web to worker-1
  Normal  Pulled     60s (x4 over 5m)  kubelet  Container image \"nginx\" already present on machine
";
        assert_eq!(w.finish(), want);
    }

    #[test]
    fn generic_describer() {
        let obj = json!({"apiVersion": "stable.example.com/v1", "kind": "CronTab",
            "metadata": {"name": "c", "namespace": "default", "uid": "u1"},
            "spec": {"cronSpec": "* * * * */5", "replicas": 2, "list": ["a", {"k": "v"}]}});
        let mut w = Writer::new(0);
        describe_generic(&mut w, &obj);
        let want = "\
Name:         c
Namespace:    default
Labels:       <none>
Annotations:  <none>
API Version:  stable.example.com/v1
Kind:         CronTab
Metadata:
  UID:  u1
Spec:
  Cron Spec:  * * * * */5
  List:
    a
    K:       v
  Replicas:  2
";
        assert_eq!(w.finish(), want);
    }
}
