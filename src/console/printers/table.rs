//! `kubectl get` tables: the server-side column sets of `printers.go` decorated and
//! rendered as cli-runtime's `tableprinter.go` does.
//!
//! Decoration order: `NAMESPACE` first (with `-A`, namespaced types only), then the
//! resource's columns (priority-1 columns only with `-o wide`), then one column per
//! `-L` key (header = last `/` segment, upper-cased; missing label = empty), then `LABELS`
//! (`--show-labels`). Cells are cut at the first newline with `...` appended. Rows are
//! aligned by Go's tabwriter (minwidth 6, padding 3; last cell unpadded).

use serde_json::Value;

use super::tabwriter::TABLE;
use super::{cluster, fields, network, pod, workloads};
use crate::sim::resources::{Registry, ResourceType};
use crate::sim::time::Millis;

/// One extra printer column from a CRD's `additionalPrinterColumns`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterColumn {
    pub name: String,
    /// A simple JSONPath such as `.spec.replicas` (braces optional).
    pub json_path: String,
    /// `string`, `integer`, `number`, `boolean` or `date` (shown as an age).
    pub column_type: String,
    /// Non-zero columns show only with `-o wide`.
    pub priority: i32,
}

/// What `kubectl get` flags ask of the table printer.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    /// `-o wide`.
    pub wide: bool,
    /// `--show-labels`.
    pub show_labels: bool,
    /// `-A`: a leading NAMESPACE column for namespaced types.
    pub all_namespaces: bool,
    /// `--no-headers`.
    pub no_headers: bool,
    /// `-L key1,key2`.
    pub label_columns: Vec<String>,
    /// Prefix names with `kind[.group]/` (several types in one `get`).
    pub show_kind: bool,
    /// A CRD's `additionalPrinterColumns` for custom resources (`None`: the default
    /// `NAME AGE`). Ignored for built-in types.
    pub custom_columns: Option<Vec<PrinterColumn>>,
    /// `get -w --output-watch-events`: a leading EVENT column holding this watch event's
    /// type (`ADDED`, `MODIFIED`, `DELETED`) on every row.
    pub watch_event: Option<&'static str>,
}

/// A column definition: header as printers.go names it, and its priority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub priority: i32,
}

/// A table before decoration: columns and one row of cells per object.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

/// What row builders need besides the object.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub wide: bool,
    pub now: Millis,
}

/// A static column list (`(header, priority)`) and its row function.
pub type RowFn = fn(&Value, &Ctx) -> Vec<String>;

pub(crate) fn columns(defs: &[(&str, i32)]) -> Vec<Column> {
    defs.iter()
        .map(|(n, p)| Column {
            name: n.to_string(),
            priority: *p,
        })
        .collect()
}

/// Renders one resource type's table, or `""` for no objects (the caller prints
/// `No resources found…`). Ends with a newline.
pub fn print_table(
    rt: &ResourceType,
    objects: &[&Value],
    opts: &TableOptions,
    now: Millis,
) -> String {
    if objects.is_empty() {
        return String::new();
    }
    let ctx = Ctx {
        wide: opts.wide,
        now,
    };
    let table = build_table(rt, objects, opts, &ctx);
    let with_namespace = opts.all_namespaces && rt.namespaced;
    let kind_prefix = opts.show_kind.then(|| rt.kind_prefix());
    let mut text = String::new();
    if !opts.no_headers {
        text.push_str(&header_line(&table.columns, opts, with_namespace));
    }
    for (obj, cells) in objects.iter().zip(&table.rows) {
        let line = row_line(
            obj,
            cells,
            &table.columns,
            opts,
            with_namespace,
            &kind_prefix,
        );
        text.push_str(&line);
    }
    TABLE.format(&text)
}

/// Several types' tables in one `get` (`kubectl get all`, `get pods,svc`): each table
/// aligned on its own, a blank line between non-empty tables unless `--no-headers`.
pub fn print_tables(
    groups: &[(&ResourceType, Vec<&Value>)],
    opts: &TableOptions,
    now: Millis,
) -> String {
    let mut out = String::new();
    for (rt, objects) in groups {
        let table = print_table(rt, objects, opts, now);
        if table.is_empty() {
            continue;
        }
        if !out.is_empty() && !opts.no_headers {
            out.push('\n');
        }
        out.push_str(&table);
    }
    out
}

fn visible(column: &Column, opts: &TableOptions) -> bool {
    column.priority == 0 || opts.wide
}

fn header_line(columns: &[Column], opts: &TableOptions, with_namespace: bool) -> String {
    let mut headers: Vec<String> = Vec::new();
    if opts.watch_event.is_some() {
        headers.push("EVENT".to_string());
    }
    if with_namespace {
        headers.push("NAMESPACE".to_string());
    }
    headers.extend(
        columns
            .iter()
            .filter(|c| visible(c, opts))
            .map(|c| c.name.to_uppercase()),
    );
    for key in &opts.label_columns {
        headers.push(key.rsplit('/').next().unwrap_or(key).to_uppercase());
    }
    if opts.show_labels {
        headers.push("LABELS".to_string());
    }
    headers.join("\t") + "\n"
}

fn row_line(
    obj: &Value,
    cells: &[String],
    columns: &[Column],
    opts: &TableOptions,
    with_namespace: bool,
    kind_prefix: &Option<String>,
) -> String {
    let mut out: Vec<String> = Vec::new();
    if let Some(event) = opts.watch_event {
        out.push(event_cell(event).to_string());
    }
    if with_namespace {
        out.push(fields::namespace(obj).to_string());
    }
    for (i, (cell, column)) in cells.iter().zip(columns).enumerate() {
        if !visible(column, opts) {
            continue;
        }
        let cell = clean_cell(cell);
        match kind_prefix {
            Some(prefix) if i == 0 => out.push(format!("{prefix}/{cell}")),
            _ => out.push(cell),
        }
    }
    let labels = fields::map_at(obj, &["metadata", "labels"]);
    for key in &opts.label_columns {
        let value = labels.and_then(|l| l.get(key)).map(fields::scalar_string);
        out.push(clean_cell(&value.unwrap_or_default()));
    }
    if opts.show_labels {
        out.push(fields::format_labels(labels));
    }
    out.join("\t") + "\n"
}

/// A watch event's type as the table printer writes it: padded to the width of
/// `MODIFIED` (tableprinter.go's `formattedEventType`), so the column lines up even in rows
/// printed one at a time.
fn event_cell(event: &str) -> &str {
    match event {
        "ADDED" => "ADDED   ",
        "DELETED" => "DELETED ",
        "ERROR" => "ERROR   ",
        other => other,
    }
}

/// Cuts a cell at the first `\f`, `\n` or `\r` (appending `...`) and drops tabs and
/// control characters that would break alignment.
fn clean_cell(cell: &str) -> String {
    let (text, cut) = match cell.find(['\u{c}', '\n', '\r']) {
        Some(i) => (&cell[..i], true),
        None => (cell, false),
    };
    let mut s: String = text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    if cut {
        s.push_str("...");
    }
    s
}

/// The undecorated table for `rt`: built-in printers, CRD columns, or the defaults.
pub fn build_table(rt: &ResourceType, objects: &[&Value], opts: &TableOptions, ctx: &Ctx) -> Table {
    let builtin = lookup(&rt.group, &rt.plural).or_else(|| {
        (rt.group == "events.k8s.io")
            .then(|| lookup("", "events"))
            .flatten()
    });
    if let Some((defs, row)) = builtin {
        let rows = objects.iter().map(|o| row(o, ctx)).collect();
        return Table {
            columns: columns(defs),
            rows,
        };
    }
    if is_builtin(rt) {
        return cluster::created_at_table(objects);
    }
    match &opts.custom_columns {
        Some(cols) if !cols.is_empty() => cluster::custom_resource_table(cols, objects, ctx),
        _ => cluster::name_age_table(objects, ctx),
    }
}

fn is_builtin(rt: &ResourceType) -> bool {
    Registry::builtin()
        .all()
        .iter()
        .any(|t| t.group == rt.group && t.plural == rt.plural)
}

type Printer = (&'static [(&'static str, i32)], RowFn);

/// The printers.go handler for a (group, plural), if kubectl has one.
fn lookup(group: &str, plural: &str) -> Option<Printer> {
    pod::lookup(group, plural)
        .or_else(|| workloads::lookup(group, plural))
        .or_else(|| network::lookup(group, plural))
        .or_else(|| cluster::lookup(group, plural))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;
    use crate::sim::time::rfc3339;

    fn rt(plural: &str) -> ResourceType {
        let registry = Registry::builtin();
        registry
            .all()
            .iter()
            .find(|t| t.plural == plural)
            .cloned()
            .expect("known type")
    }

    fn pod(name: &str, ns: &str, labels: Value) -> Value {
        json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": ns, "labels": labels,
                         "creationTimestamp": rfc3339(0)},
            "spec": {"containers": [{"name": "c", "image": "nginx"}], "nodeName": "worker-1"},
            "status": {"phase": "Running", "podIP": "10.244.1.5", "podIPs": [{"ip": "10.244.1.5"}],
                       "conditions": [{"type": "Ready", "status": "True"}],
                       "containerStatuses": [{"name": "c", "ready": true, "restartCount": 0,
                                              "state": {"running": {"startedAt": rfc3339(0)}}}]}
        })
    }

    #[test]
    fn pods_header_and_row() {
        let p = pod("nginx", "default", json!({"app": "web"}));
        let out = print_table(&rt("pods"), &[&p], &TableOptions::default(), 60_000);
        assert_eq!(
            out,
            "NAME    READY   STATUS    RESTARTS   AGE\nnginx   1/1     Running   0          60s\n"
        );
    }

    #[test]
    fn decorations_namespace_labels_kind() {
        let p = pod(
            "nginx",
            "default",
            json!({"app": "web", "k8s.io/tier": "fe"}),
        );
        let opts = TableOptions {
            all_namespaces: true,
            show_labels: true,
            label_columns: vec!["k8s.io/tier".into(), "missing".into()],
            show_kind: true,
            ..Default::default()
        };
        let out = print_table(&rt("pods"), &[&p], &opts, 60_000);
        let want = "NAMESPACE   NAME        READY   STATUS    RESTARTS   AGE   TIER   MISSING   LABELS\n\
                    default     pod/nginx   1/1     Running   0          60s   fe               app=web,k8s.io/tier=fe\n";
        assert_eq!(out, want);
    }

    #[test]
    fn no_headers_and_wide() {
        let p = pod("nginx", "default", json!({}));
        let opts = TableOptions {
            no_headers: true,
            wide: true,
            ..Default::default()
        };
        let out = print_table(&rt("pods"), &[&p], &opts, 60_000);
        assert_eq!(
            out,
            "nginx   1/1   Running   0     60s   10.244.1.5   worker-1   <none>   <none>\n"
        );
    }

    #[test]
    fn several_types_are_separated_by_a_blank_line() {
        let p = pod("nginx", "default", json!({}));
        let svc = json!({"metadata": {"name": "kubernetes", "creationTimestamp": rfc3339(0)},
                         "spec": {"type": "ClusterIP", "clusterIPs": ["10.96.0.1"],
                                  "ports": [{"port": 443, "protocol": "TCP"}]}});
        let (pods, svcs) = (rt("pods"), rt("services"));
        let opts = TableOptions {
            show_kind: true,
            ..Default::default()
        };
        let out = print_tables(&[(&pods, vec![&p]), (&svcs, vec![&svc])], &opts, 60_000);
        let want = "NAME        READY   STATUS    RESTARTS   AGE\n\
                    pod/nginx   1/1     Running   0          60s\n\
                    \n\
                    NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n\
                    service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   60s\n";
        assert_eq!(out, want);
    }

    #[test]
    fn multi_line_cells_are_cut() {
        assert_eq!(clean_cell("first\nsecond"), "first...");
        assert_eq!(clean_cell("a\tb"), "a b");
    }

    #[test]
    fn empty_list_prints_nothing() {
        assert_eq!(
            print_table(&rt("pods"), &[], &TableOptions::default(), 0),
            ""
        );
    }
}
