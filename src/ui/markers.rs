//! Error markers for the editor: which lines of the manifest an Apply's console output
//! complains about.
//!
//! The console words errors as kubectl does, so they name a place in one of two ways:
//! - a YAML syntax error names a line, counted inside the failing *document* of the stream
//!   (src/console/manifest.rs): `error converting YAML to JSON: yaml: line 7: …`;
//! - an apiserver error names an object and a field path:
//!   `The Deployment "web" is invalid: spec.replicas: Invalid value: -1: …`,
//!   `… cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz"`,
//!   `… Go struct field DeploymentSpec.spec.replicas of type int32`.
//!
//! [`error_markers`] maps both to lines of the whole editor buffer. Pure, so it is
//! compiled and tested natively too.

use super::highlight::LineNote;
use serde_json::Value;

/// One document of the buffer: its text and the buffer line (1-based) it starts on.
struct Doc {
    text: String,
    first_line: usize,
    /// `kind` and `metadata.name`, when the document parses.
    kind: Option<String>,
    name: Option<String>,
}

/// Splits like kubectl's YAML reader: a line starting with `---` ends a document.
fn documents(manifest: &str) -> Vec<Doc> {
    let mut docs = vec![];
    let mut text = String::new();
    let mut first_line = 1;
    for (i, line) in manifest.split('\n').enumerate() {
        if line.starts_with("---") {
            docs.push(Doc::new(std::mem::take(&mut text), first_line));
            first_line = i + 2;
            continue;
        }
        text.push_str(line);
        text.push('\n');
    }
    docs.push(Doc::new(text, first_line));
    docs
}

impl Doc {
    fn new(text: String, first_line: usize) -> Doc {
        let parsed: Option<Value> = serde_yaml::from_str(&text).ok();
        let field = |v: &Option<Value>, f: &dyn Fn(&Value) -> Option<&Value>| {
            v.as_ref()
                .and_then(f)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        Doc {
            kind: field(&parsed, &|v| v.get("kind")),
            name: field(&parsed, &|v| v.get("metadata")?.get("name")),
            text,
            first_line,
        }
    }

    fn is_empty(&self) -> bool {
        self.text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    }
}

/// The markers for an Apply of `manifest` that printed `output`. Lines are 1-based lines
/// of `manifest`; an error whose place cannot be found gives no marker.
pub fn error_markers(output: &str, manifest: &str) -> Vec<LineNote> {
    let docs = documents(manifest);
    let mut notes: Vec<LineNote> = vec![];
    let mut push = |line: usize, message: String| {
        if !notes.iter().any(|n| n.line == line && n.message == message) {
            notes.push(LineNote { line, message });
        }
    };
    // The object an `is invalid:` header named, for the `* path: …` lines after it.
    let mut invalid: Option<(String, String)> = None;
    for raw in output.lines() {
        let line = raw.trim();
        if let Some(at) = line.find("error converting YAML to JSON: ") {
            let message = &line[at + "error converting YAML to JSON: ".len()..];
            if let Some((n, msg)) = yaml_line(&docs, message) {
                push(n, msg);
            }
            continue;
        }
        if let Some(at) = line.find("invalid Yaml document separator: ") {
            let bad = &line[at + "invalid Yaml document separator: ".len()..];
            if let Some(i) = manifest
                .split('\n')
                .position(|l| l.starts_with("---") && l[3..].trim() == bad)
            {
                push(i + 1, format!("invalid document separator: {bad}"));
            }
            continue;
        }
        if let Some(cause) = line.strip_prefix("* ") {
            if let Some((kind, name)) = &invalid {
                if let Some(n) = locate(&docs, kind, Some(name), field_path(cause)) {
                    push(n, cause.to_string());
                }
            }
            continue;
        }
        invalid = None;
        if let Some((kind, name, rest)) = is_invalid(line) {
            if rest.is_empty() {
                invalid = Some((kind, name));
            } else if let Some(n) = locate(&docs, &kind, Some(&name), field_path(rest)) {
                push(n, rest.to_string());
            }
            continue;
        }
        if let Some((kind, detail)) = cannot_handle(line) {
            for (path, message) in decode_paths(detail) {
                if let Some(n) = locate(&docs, &kind, None, &path) {
                    push(n, message);
                }
            }
            continue;
        }
        if let Some((kind, name)) = no_kind_match(line) {
            if let Some(doc) = find_doc(&docs, &kind, Some(&name), "") {
                if let Some(n) = key_line(&doc.text, "kind") {
                    push(
                        doc.first_line + n - 1,
                        format!("no matches for kind \"{kind}\""),
                    );
                }
            }
        }
    }
    notes
}

/// `yaml: line N: problem` → the buffer line, with the message to show.
///
/// The line counts inside the first document that fails to convert. go-yaml reports
/// scanner errors on their line but parser errors on the 0-based line of their context,
/// so the marker goes where the YAML library found the problem when it can tell.
fn yaml_line(docs: &[Doc], message: &str) -> Option<(usize, String)> {
    let named: Option<usize> = message
        .strip_prefix("yaml: line ")
        .and_then(|r| r.split(':').next())
        .and_then(|n| n.parse().ok());
    let problem = message
        .strip_prefix("yaml: ")
        .map(|m| {
            m.split_once(": ")
                .filter(|_| named.is_some())
                .map_or(m, |(_, p)| p)
        })
        .unwrap_or(message);
    let (index, doc) = docs
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.is_empty())
        .find(|(_, d)| serde_yaml::from_str::<Value>(&d.text).is_err())?;
    let found = serde_yaml::from_str::<Value>(&doc.text)
        .err()
        .and_then(|e| e.location())
        .map(|l| l.line());
    let line_in_doc = match (named, found) {
        (Some(n), Some(f)) if f == n || f == n + 1 => f,
        (Some(n), _) => n.max(1),
        (None, Some(f)) => f,
        (None, None) => 1,
    };
    let mut shown = problem.to_string();
    if docs.len() > 1 {
        shown.push_str(&format!(
            " (kubectl: \"line {}\" of document {}, which starts on line {})",
            named.unwrap_or(line_in_doc),
            index + 1,
            doc.first_line
        ));
    } else if let Some(n) = named.filter(|n| *n != line_in_doc) {
        shown.push_str(&format!(
            " (kubectl says \"line {n}\": go-yaml counts this error's line from 0)"
        ));
    }
    Some((doc.first_line + line_in_doc - 1, shown))
}

/// `The Deployment "web" is invalid: rest` (CheckErr) or `Deployment.apps "web" is
/// invalid: rest` (StandardErrorMessage) → (kind, name, rest).
fn is_invalid(line: &str) -> Option<(String, String, &str)> {
    let at = line.find("\" is invalid")?;
    let head = &line[..at];
    let quote = head.rfind('"')?;
    let name = &head[quote + 1..];
    let kind_word = head[..quote].trim_end().rsplit(' ').next()?;
    let kind = kind_word.split('.').next()?.to_string();
    let rest = line[at + "\" is invalid".len()..]
        .trim_start_matches(':')
        .trim();
    Some((kind, name.to_string(), rest))
}

/// `… cannot be handled as a Deployment: detail` → (kind, detail).
fn cannot_handle(line: &str) -> Option<(String, &str)> {
    let at = line.find("cannot be handled as a ")?;
    let rest = &line[at + "cannot be handled as a ".len()..];
    let (kind, detail) = rest.split_once(": ")?;
    Some((kind.trim().to_string(), detail))
}

/// Field paths in a decoding error, each with its message.
fn decode_paths(detail: &str) -> Vec<(String, String)> {
    if let Some(list) = detail.strip_prefix("strict decoding error: ") {
        return list
            .split(", unknown field ")
            .filter_map(|part| {
                let path = part
                    .trim_start_matches("unknown field ")
                    .trim_matches('"')
                    .to_string();
                (!path.is_empty()).then(|| (path.clone(), format!("unknown field \"{path}\"")))
            })
            .collect();
    }
    if let Some(at) = detail.find("Go struct field ") {
        let field = detail[at + "Go struct field ".len()..]
            .split_whitespace()
            .next()
            .unwrap_or("");
        // `DeploymentSpec.spec.replicas`: the Go type, then the JSON path.
        let path = field.split_once('.').map_or("", |(_, p)| p);
        return vec![(path.to_string(), detail.to_string())];
    }
    vec![]
}

/// `… resource mapping not found for name: "f" namespace: "" … no matches for kind "Foo"`.
fn no_kind_match(line: &str) -> Option<(String, String)> {
    let name = line
        .split_once("for name: \"")?
        .1
        .split('"')
        .next()?
        .to_string();
    let kind = line
        .split_once("no matches for kind \"")?
        .1
        .split('"')
        .next()?
        .to_string();
    Some((kind, name))
}

/// The field path an error cause starts with (`spec.ports[0].port: Invalid value: …`).
fn field_path(cause: &str) -> &str {
    cause.split(": ").next().unwrap_or("")
}

/// The document for an object: by kind and name when named, else the first of that kind
/// in which `path` is found in full, else the first of that kind.
fn find_doc<'a>(docs: &'a [Doc], kind: &str, name: Option<&str>, path: &str) -> Option<&'a Doc> {
    let of_kind = || docs.iter().filter(|d| d.kind.as_deref() == Some(kind));
    if let Some(name) = name {
        if let Some(d) = of_kind().find(|d| d.name.as_deref() == Some(name)) {
            return Some(d);
        }
    }
    of_kind()
        .find(|d| path_line(&d.text, path).is_some_and(|(_, full)| full))
        .or_else(|| of_kind().next())
}

/// The buffer line of `path` in the object's document (the deepest part of the path
/// that is present when the rest is missing, e.g. a `Required value`).
fn locate(docs: &[Doc], kind: &str, name: Option<&str>, path: &str) -> Option<usize> {
    let doc = find_doc(docs, kind, name, path)?;
    let n = path_line(&doc.text, path)
        .map(|(n, _)| n)
        .or_else(|| key_line(&doc.text, "kind"))?;
    Some(doc.first_line + n - 1)
}

/// The line (1-based in `text`) of a top-level key.
fn key_line(text: &str, key: &str) -> Option<usize> {
    path_line(text, key)
        .filter(|(_, full)| *full)
        .map(|(n, _)| n)
}

/// One line of a document as the path walker sees it.
struct Row {
    /// Column of the first `- ` of the line, if it starts with one.
    dash: Option<usize>,
    /// The key on the line and its column (after any dashes).
    key: Option<(usize, String)>,
    /// Column of the first thing on the line.
    first: usize,
}

fn rows(text: &str) -> Vec<Option<Row>> {
    let lines = super::highlight::highlight_lines(text);
    text.split('\n')
        .zip(lines)
        .map(|(line, tokens)| {
            let first = tokens.first()?;
            if matches!(
                first.0,
                super::highlight::Class::Comment | super::highlight::Class::BlockText
            ) {
                return None;
            }
            let dash = (first.0 == super::highlight::Class::Dash).then_some(first.1.start);
            let key = tokens
                .iter()
                .find(|(c, _)| *c == super::highlight::Class::Key)
                .map(|(_, r)| {
                    let k = &line[r.clone()];
                    (r.start, k.trim_matches(['"', '\'']).to_string())
                });
            Some(Row {
                dash,
                key,
                first: first.1.start,
            })
        })
        .collect()
}

/// One step of a field path.
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// `spec.template.spec.containers[0].image` → steps; `metadata.labels[app]` style keys
/// in brackets are keys.
fn steps(path: &str) -> Vec<Step> {
    let mut out = vec![];
    for part in path.split('.') {
        let mut rest = part;
        if let Some(b) = rest.find('[') {
            if b > 0 {
                out.push(Step::Key(rest[..b].to_string()));
            }
            rest = &rest[b..];
            while let Some(inner) = rest.strip_prefix('[') {
                let Some(close) = inner.find(']') else {
                    break;
                };
                let word = &inner[..close];
                out.push(match word.parse() {
                    Ok(i) => Step::Index(i),
                    Err(_) => Step::Key(word.to_string()),
                });
                rest = &inner[close + 1..];
            }
        } else if !rest.is_empty() {
            out.push(Step::Key(rest.to_string()));
        }
    }
    out
}

/// Finds the line (1-based) of `path` in one YAML document by indentation. Returns the
/// line of the deepest step found and whether every step was found.
fn path_line(text: &str, path: &str) -> Option<(usize, bool)> {
    let rows = rows(text);
    let mut range = 0..rows.len();
    let mut found: Option<usize> = None;
    for step in steps(path) {
        let next = match step {
            Step::Key(k) => {
                // The direct children are the keys at the smallest key column in range.
                let column = range
                    .clone()
                    .filter_map(|i| rows[i].as_ref()?.key.as_ref().map(|(c, _)| *c))
                    .min();
                let hit = column.and_then(|col| {
                    range.clone().find(|&i| {
                        rows[i]
                            .as_ref()
                            .and_then(|r| r.key.as_ref())
                            .is_some_and(|(c, key)| *c == col && *key == k)
                    })
                });
                hit.map(|i| {
                    let col = rows[i]
                        .as_ref()
                        .and_then(|r| r.key.as_ref())
                        .map_or(0, |k| k.0);
                    // The value: following lines indented past the key, or a sequence at
                    // the key's own column.
                    let end = (i + 1..range.end)
                        .find(|&j| {
                            rows[j].as_ref().is_some_and(|r| {
                                r.first < col || r.first == col && r.dash.is_none()
                            })
                        })
                        .unwrap_or(range.end);
                    (i, i + 1..end)
                })
            }
            Step::Index(n) => {
                let column = range.clone().filter_map(|i| rows[i].as_ref()?.dash).min();
                column.and_then(|col| {
                    let items: Vec<usize> = range
                        .clone()
                        .filter(|&i| rows[i].as_ref().is_some_and(|r| r.dash == Some(col)))
                        .collect();
                    let i = *items.get(n)?;
                    let end = items.get(n + 1).copied().unwrap_or(range.end);
                    Some((i, i..end))
                })
            }
        };
        match next {
            Some((line, r)) => {
                found = Some(line);
                range = r;
            }
            None => return found.map(|l| (l + 1, false)),
        }
    }
    found.map(|l| (l + 1, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: -1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        imagez: x
      - name: side
        image: busybox
        ports:
          - containerPort: 99999
";

    const MULTI: &str = "apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    targetPort: 999999
---
# the app
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicaz: 2
  selector:
    matchLabels:
      app: web
---
apiVersion: v1
kind: Foo
metadata:
  name: f
";

    fn marks(output: &str, manifest: &str) -> Vec<(usize, String)> {
        error_markers(output, manifest)
            .into_iter()
            .map(|n| (n.line, n.message))
            .collect()
    }

    #[test]
    fn paths_to_lines() {
        let cases: &[(&str, Option<(usize, bool)>)] = &[
            ("kind", Some((2, true))),
            ("spec.replicas", Some((6, true))),
            ("spec.selector.matchLabels.app", Some((9, true))),
            ("spec.template.spec.containers[0].imagez", Some((18, true))),
            ("spec.template.spec.containers[1]", Some((19, true))),
            ("spec.template.spec.containers[1].image", Some((20, true))),
            (
                "spec.template.spec.containers[1].ports[0].containerPort",
                Some((22, true)),
            ),
            ("spec.template.spec.containers[0].name", Some((16, true))),
            ("spec.strategy", Some((5, false))),
            ("spec.template.spec.containers[5].image", Some((15, false))),
            ("status", None),
        ];
        for (path, want) in cases {
            assert_eq!(path_line(DEPLOYMENT, path), *want, "{path}");
        }
    }

    #[test]
    fn steps_parse() {
        assert_eq!(
            steps("spec.ports[1].port"),
            vec![
                Step::Key("spec".into()),
                Step::Key("ports".into()),
                Step::Index(1),
                Step::Key("port".into())
            ]
        );
        assert_eq!(
            steps("metadata.labels[app.kubernetes.io/name]").len(),
            4,
            "a dotted key in brackets is split, harmlessly: only the prefix is looked up"
        );
    }

    #[test]
    fn outputs_to_markers() {
        // (console output, manifest, expected (line, message) markers)
        type Case<'a> = (&'a str, &'a str, &'a [(usize, &'a str)]);
        let cases: &[Case] = &[
            (
                "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                DEPLOYMENT,
                &[(6, "spec.replicas: Invalid value: -1: must be greater than or equal to 0")],
            ),
            (
                "Error from server (BadRequest): error when creating \"STDIN\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replicaz\", unknown field \"spec.template.spec.containers[0].imagez\"",
                DEPLOYMENT,
                // replicaz is missing here: the deepest part found is `spec`.
                &[(5, "unknown field \"spec.replicaz\""), (18, "unknown field \"spec.template.spec.containers[0].imagez\"")],
            ),
            (
                "Error from server (BadRequest): error when creating \"STDIN\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replicaz\"",
                MULTI,
                &[(16, "unknown field \"spec.replicaz\"")],
            ),
            (
                "Error from server (BadRequest): error when creating \"STDIN\": Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
                DEPLOYMENT,
                &[(6, "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")],
            ),
            (
                "The Service \"web\" is invalid: \n* spec.ports[0].name: Required value\n* spec.ports[0].targetPort: Invalid value: 999999: must be between 1 and 65535, inclusive",
                MULTI,
                &[(7, "spec.ports[0].name: Required value"), (8, "spec.ports[0].targetPort: Invalid value: 999999: must be between 1 and 65535, inclusive")],
            ),
            (
                "Error from server (Invalid): error when creating \"STDIN\": Service \"web\" is invalid: spec.ports[0].targetPort: Invalid value: 999999: must be between 1 and 65535, inclusive",
                MULTI,
                &[(8, "spec.ports[0].targetPort: Invalid value: 999999: must be between 1 and 65535, inclusive")],
            ),
            (
                "resource mapping not found for name: \"f\" namespace: \"\" from \"STDIN\": no matches for kind \"Foo\" in version \"v1\"\nensure CRDs are installed first",
                MULTI,
                &[(22, "no matches for kind \"Foo\"")],
            ),
            ("deployment.apps/web created", DEPLOYMENT, &[]),
            ("The Pod \"nope\" is invalid: spec.containers: Required value", DEPLOYMENT, &[]),
        ];
        for (output, manifest, want) in cases {
            let want: Vec<(usize, String)> =
                want.iter().map(|(l, m)| (*l, m.to_string())).collect();
            assert_eq!(marks(output, manifest), want, "{output}");
        }
    }

    #[test]
    fn yaml_errors_count_lines_per_document() {
        // A scanner error: kubectl's line is the line.
        let text = "apiVersion: v1\nkind: ConfigMap\n  metadata:\n  name: x\n";
        let out = "error: error parsing STDIN: error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context";
        assert_eq!(
            marks(out, text),
            vec![(
                3,
                "mapping values are not allowed in this context".to_string()
            )]
        );
        // The same in a second document: line 3 of the document is line 7 of the buffer.
        let multi = format!("a: 1\nb: 2\n---\n{text}");
        assert_eq!(
            marks(out, &multi),
            vec![(
                6,
                "mapping values are not allowed in this context (kubectl: \"line 3\" of document 2, which starts on line 4)".to_string()
            )]
        );
        // A parser error: go-yaml names the 0-based context line; the marker goes on the
        // line the problem is on.
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n spec:\n  containers: []\n";
        let out = "error: error parsing STDIN: error converting YAML to JSON: yaml: line 4: did not find expected key";
        assert_eq!(
            marks(out, pod),
            vec![(
                5,
                "did not find expected key (kubectl says \"line 4\": go-yaml counts this error's line from 0)".to_string()
            )]
        );
        let out = "error: error parsing STDIN: invalid Yaml document separator: x";
        assert_eq!(
            marks(out, "a: 1\n---x\nb: 2\n"),
            vec![(2, "invalid document separator: x".to_string())]
        );
    }
}
