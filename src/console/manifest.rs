//! Reading manifests the way kubectl does: a stream split into documents on `---` lines,
//! each document converted from YAML to JSON, `kind: List` flattened, empty documents
//! skipped — with kubectl's exact error text when a document is not valid YAML:
//! `error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context`.
//!
//! Line numbers are relative to the document, and follow go-yaml's quirk: scanner errors
//! report the 1-based line, parser errors the 0-based line of their context.

use serde_json::Value;

/// One object read from a source, with its position among the documents.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestObject {
    pub object: Value,
}

/// Parses a manifest stream. Objects before a bad document are returned along with the
/// error (kubectl applies what it decoded before stopping).
pub fn parse_stream(text: &str) -> (Vec<ManifestObject>, Option<String>) {
    let mut objects = vec![];
    for doc in split_documents(text) {
        let doc = match doc {
            Ok(d) => d,
            Err(e) => return (objects, Some(e)),
        };
        if doc.trim().is_empty()
            || doc
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            continue;
        }
        match yaml_to_json(&doc) {
            Ok(Value::Null) => {}
            Ok(v) => flatten(v, &mut objects),
            Err(e) => return (objects, Some(e)),
        }
    }
    (objects, None)
}

fn flatten(v: Value, out: &mut Vec<ManifestObject>) {
    let is_list = v
        .get("kind")
        .and_then(Value::as_str)
        .is_some_and(|k| k == "List" || k.ends_with("List"))
        && v.get("items").is_some_and(Value::is_array);
    if is_list {
        if let Some(items) = v.get("items").and_then(Value::as_array) {
            for item in items {
                flatten(item.clone(), out);
            }
        }
        return;
    }
    out.push(ManifestObject { object: v });
}

/// apimachinery's YAMLReader: documents are separated by lines starting with `---`,
/// which may be followed only by spaces or a comment.
fn split_documents(text: &str) -> Vec<Result<String, String>> {
    let mut docs = vec![];
    let mut current = String::new();
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                docs.push(Err(format!("invalid Yaml document separator: {trimmed}")));
                return docs;
            }
            docs.push(Ok(std::mem::take(&mut current)));
            continue;
        }
        current.push_str(line);
    }
    docs.push(Ok(current));
    docs
}

/// sigs.k8s.io/yaml's YAMLToJSON for one document, with go-yaml's error wording.
pub fn yaml_to_json(doc: &str) -> Result<Value, String> {
    serde_yaml::from_str::<Value>(doc).map_err(|e| {
        format!(
            "error converting YAML to JSON: {}",
            go_yaml_message(&e.to_string())
        )
    })
}

/// Rewrites a libyaml error as serde_yaml renders it
/// (`<problem> at line L column C[, while <context> at line L2 column C2]`) into
/// go-yaml's `yaml: line N: <problem>`.
fn go_yaml_message(serde_msg: &str) -> String {
    let (head, context) = match serde_msg.split_once(", while ") {
        Some((h, c)) => (h, Some(c)),
        None => (serde_msg, None),
    };
    let (problem, problem_line) = split_location(head);
    let context_line = context.map(|c| split_location(c).1);
    let scanner = context.map_or(is_scanner_problem(problem), |c| c.starts_with("scanning"));
    // go-yaml: `if context_mark.line != 0 { line = context_mark.line } else if
    // problem_mark.line != 0 { line = problem_mark.line }`, plus one for scanner errors.
    let zero_based = |line: Option<usize>| line.map(|l| l.saturating_sub(1)).unwrap_or(0);
    let ctx0 = zero_based(context_line.flatten());
    let prob0 = zero_based(problem_line);
    let mark = if ctx0 != 0 { ctx0 } else { prob0 };
    let line = if mark == 0 {
        0
    } else if scanner {
        mark + 1
    } else {
        mark
    };
    if problem.starts_with("invalid type")
        || problem_line.is_none() && context.is_none() && !scanner
    {
        // Not a syntax error from libyaml (e.g. recursion limits): keep serde's words.
        return format!("yaml: {problem}");
    }
    if line == 0 {
        format!("yaml: {problem}")
    } else {
        format!("yaml: line {line}: {problem}")
    }
}

fn split_location(s: &str) -> (&str, Option<usize>) {
    match s.rfind(" at line ") {
        Some(i) => {
            let line = s[i + 9..]
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok());
            (&s[..i], line)
        }
        None => (s, None),
    }
}

fn is_scanner_problem(problem: &str) -> bool {
    const SCANNER: &[&str] = &[
        "mapping values are not allowed",
        "found ",
        "could not find expected ':'",
        "block sequence entries are not allowed",
        "did not find expected comment or line break",
        "did not find expected whitespace",
        "did not find expected alphabetic",
        "did not find expected tag",
        "did not find expected hex",
        "did not find URI escaped octet",
    ];
    SCANNER.iter().any(|p| problem.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_broken_service_reports_line_5() {
        let doc = "apiVersion: v1\nkind: Service \nmetadata: \n  name: my-service \n    spec: \n      type: NodePort \n";
        let (objs, err) = parse_stream(doc);
        assert!(objs.is_empty());
        assert_eq!(
            err.unwrap(),
            "error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context"
        );
    }

    #[test]
    fn parser_errors_use_the_context_line() {
        // go-yaml reports the 0-based line of the block collection's start here.
        let doc = "spec:\n  ports: \n    - port: 8080 \n    targetPort: 80 \n";
        assert_eq!(
            parse_stream(doc).1.unwrap(),
            "error converting YAML to JSON: yaml: line 2: did not find expected '-' indicator"
        );
    }

    #[test]
    fn documents_lists_and_empties() {
        let text = "---\na: 1\n---\n# only a comment\n---\nkind: List\napiVersion: v1\nitems:\n- b: 2\n- c: 3\n--- # trailing comment\n";
        let (objs, err) = parse_stream(text);
        assert!(err.is_none());
        assert_eq!(objs.len(), 3);
        let (_, err) = parse_stream("a: 1\n---x\nb: 2\n");
        assert_eq!(err.unwrap(), "invalid Yaml document separator: x");
    }

    #[test]
    fn line_numbers_are_per_document() {
        let text = "a: 1\n---\nb: 2\n c: 3\n";
        let (objs, err) = parse_stream(text);
        assert_eq!(objs.len(), 1);
        assert_eq!(err.unwrap(), "error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context");
    }
}
