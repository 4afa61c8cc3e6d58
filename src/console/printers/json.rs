//! `kubectl get -o json`: Go's `json.MarshalIndent(obj, "", "    ")` of an unstructured
//! object — keys sorted, 4-space indent, `<`, `>`, `&`, U+2028/9 escaped as `\u003c`…,
//! floats as Go formats them. Also the compact form (`json.Marshal`) and the `kind: List`
//! wrapper kubectl prints for several objects.

use crate::sim::sort::SharedSort;
use serde_json::{Map, Value};

/// `kubectl -o json` output of one object (ends with a newline).
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write_indented(&mut out, v, 0);
    out.push('\n');
    out
}

/// `json.Marshal`: compact, keys sorted, HTML-escaped.
pub fn to_json_compact(v: &Value) -> String {
    let mut out = String::new();
    write_compact(&mut out, v);
    out
}

/// Drops `metadata.managedFields`, as kubectl's printers do unless
/// `--show-managed-fields` is given (get, edit, diff).
pub fn omit_managed_fields(obj: &mut Value) {
    if let Some(Value::Object(meta)) = obj.get_mut("metadata") {
        meta.remove("managedFields");
    }
}

/// The `List` kubectl wraps several objects in for `-o json|yaml`.
pub fn list_of(items: Vec<Value>) -> Value {
    let mut metadata = Map::new();
    metadata.insert("resourceVersion".to_string(), Value::String(String::new()));
    let mut list = Map::new();
    list.insert("apiVersion".to_string(), Value::String("v1".to_string()));
    list.insert("items".to_string(), Value::Array(items));
    list.insert("kind".to_string(), Value::String("List".to_string()));
    list.insert("metadata".to_string(), Value::Object(metadata));
    Value::Object(list)
}

fn sorted(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = m.iter().collect();
    entries.sort_shared_by(|a, b| a.0.cmp(b.0));
    entries
}

fn write_indented(out: &mut String, v: &Value, depth: usize) {
    let pad = |out: &mut String, d: usize| out.extend(std::iter::repeat_n(' ', d * 4));
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push_str("{\n");
            let entries = sorted(m);
            for (i, (k, val)) in entries.iter().enumerate() {
                pad(out, depth + 1);
                write_string(out, k);
                out.push_str(": ");
                write_indented(out, val, depth + 1);
                if i + 1 < entries.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(out, depth);
            out.push('}');
        }
        Value::Array(a) if !a.is_empty() => {
            out.push_str("[\n");
            for (i, val) in a.iter().enumerate() {
                pad(out, depth + 1);
                write_indented(out, val, depth + 1);
                if i + 1 < a.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(out, depth);
            out.push(']');
        }
        other => write_compact(out, other),
    }
}

fn write_compact(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => write_string(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, val) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(out, val);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, val)) in sorted(m).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_compact(out, val);
            }
            out.push('}');
        }
    }
}

fn number(n: &serde_json::Number) -> String {
    if n.is_f64() {
        go_json_float(n.as_f64().unwrap_or(0.0))
    } else {
        n.to_string()
    }
}

/// Go's JSON float encoding: `'f'` format for 1e-6 ≤ |f| < 1e21, else `'e'` with a
/// one-digit exponent where possible (`1e-7`, `1e+21`).
pub fn go_json_float(f: f64) -> String {
    if !f.is_finite() {
        return "null".to_string();
    }
    let abs = f.abs();
    if abs == 0.0 || (1e-6..1e21).contains(&abs) {
        return format!("{f}");
    }
    let (mantissa, exp) = split_exponent(f);
    format!(
        "{mantissa}e{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    )
    .replacen("e-0", "e-", 1)
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` (`fmt` `%v`, go-yaml floats): the shortest
/// digits, in `%e` form when the decimal exponent is < -4 or ≥ 6 (`1e+06`, `1e-05`).
pub fn go_g_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if f == 0.0 {
        return "0".to_string();
    }
    let (mantissa, exp) = split_exponent(f);
    if !(-4..6).contains(&exp) {
        return format!(
            "{mantissa}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        );
    }
    format!("{f}")
}

/// Shortest mantissa (`1.5`) and decimal exponent of `f`.
fn split_exponent(f: f64) -> (String, i32) {
    let s = format!("{f:e}");
    match s.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse().unwrap_or(0)),
        None => (s, 0),
    }
}

/// A JSON string as Go writes it (HTML-safe escaping).
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

    #[test]
    fn indented_like_marshal_indent() {
        let v = json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"labels": {}, "name": "a<b>&c"},
                       "spec": {"containers": [{"name": "x", "args": []}], "n": 1.5, "m": 3}});
        let want = r#"{
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "labels": {},
        "name": "a\u003cb\u003e\u0026c"
    },
    "spec": {
        "containers": [
            {
                "args": [],
                "name": "x"
            }
        ],
        "m": 3,
        "n": 1.5
    }
}
"#;
        assert_eq!(to_json(&v), want);
    }

    #[test]
    fn compact_and_list() {
        assert_eq!(
            to_json_compact(&json!({"b": [1, null, true], "a": "\t"})),
            r#"{"a":"\t","b":[1,null,true]}"#
        );
        let list = list_of(vec![json!({"kind": "Pod"})]);
        assert_eq!(
            to_json_compact(&list),
            r#"{"apiVersion":"v1","items":[{"kind":"Pod"}],"kind":"List","metadata":{"resourceVersion":""}}"#
        );
    }

    #[test]
    fn go_floats() {
        assert_eq!(go_json_float(0.5), "0.5");
        assert_eq!(go_json_float(1e21), "1e+21");
        assert_eq!(go_json_float(1e-7), "1e-7");
        assert_eq!(go_g_float(0.25), "0.25");
        assert_eq!(go_g_float(1e-5), "1e-05");
        assert_eq!(go_g_float(1_000_000.0), "1e+06");
        assert_eq!(go_g_float(123_456.5), "123456.5");
    }
}
