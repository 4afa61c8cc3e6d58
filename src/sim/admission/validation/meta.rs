//! Names, labels and object metadata: apimachinery `util/validation/validation.go`
//! (the DNS and qualified-name messages, regexes quoted verbatim) and
//! `api/validation/objectmeta.go` (`ValidateObjectMeta`, `ValidateImmutableField`).

use crate::sim::errors::FieldError;
use crate::sim::json::json;
use serde_json::Value;

pub const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
pub const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
pub const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED_NAME_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const CONFIG_KEY_MSG: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/// Which name rule a kind's `metadata.name` follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    Subdomain,
    Label,
    Dns1035,
    /// `path.IsValidPathSegmentName`: RBAC names such as `system:auth-delegator`.
    PathSegment,
}

/// apimachinery `path.IsValidPathSegmentName`.
pub fn path_segment(name: &str) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|c| name.contains(**c))
        .map(|c| format!("may not contain '{c}'"))
        .collect()
}

fn max_len(len: usize) -> String {
    format!("must be no more than {len} characters")
}

fn is_alnum_lower(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn label_shape(s: &str, first_alpha: bool) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (if first_alpha {
            b[0].is_ascii_lowercase()
        } else {
            is_alnum_lower(b[0])
        })
        && is_alnum_lower(b[b.len() - 1])
        && b.iter().all(|&c| is_alnum_lower(c) || c == b'-')
}

/// `IsDNS1123Label`.
pub fn dns1123_label(s: &str) -> Vec<String> {
    let mut errs = vec![];
    if s.len() > 63 {
        errs.push(max_len(63));
    }
    if !label_shape(s, false) {
        errs.push(DNS1123_LABEL_MSG.to_string());
    }
    errs
}

/// `IsDNS1123Subdomain`.
pub fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = vec![];
    if s.len() > 253 {
        errs.push(max_len(253));
    }
    if !s.split('.').all(|part| label_shape(part, false)) {
        errs.push(DNS1123_SUBDOMAIN_MSG.to_string());
    }
    errs
}

/// `IsDNS1035Label`.
pub fn dns1035_label(s: &str) -> Vec<String> {
    let mut errs = vec![];
    if s.len() > 63 {
        errs.push(max_len(63));
    }
    if !label_shape(s, true) {
        errs.push(DNS1035_LABEL_MSG.to_string());
    }
    errs
}

fn qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// `IsQualifiedName`: `[prefix/]name`, as label and annotation keys are.
pub fn qualified_name(s: &str) -> Vec<String> {
    let mut errs = vec![];
    let parts: Vec<&str> = s.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(
                    dns1123_subdomain(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            *name
        }
        _ => {
            return vec![format!("a qualified name {QUALIFIED_NAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")];
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len(63)));
    }
    if !name.is_empty() && !qualified_name_part(name) {
        errs.push(format!("name part {QUALIFIED_NAME_MSG}"));
    }
    errs
}

/// `IsValidLabelValue`.
pub fn label_value(s: &str) -> Vec<String> {
    let mut errs = vec![];
    if s.len() > 63 {
        errs.push(max_len(63));
    }
    if !s.is_empty() && !qualified_name_part(s) {
        errs.push(LABEL_VALUE_MSG.to_string());
    }
    errs
}

/// `IsConfigMapKey` (ConfigMap and Secret data keys).
pub fn config_map_key(s: &str) -> Vec<String> {
    let mut errs = vec![];
    if s.len() > 253 {
        errs.push(max_len(253));
    }
    if s.is_empty()
        || !s
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
    {
        errs.push(CONFIG_KEY_MSG.to_string());
    }
    if s == "." {
        errs.push("must not be '.'".to_string());
    } else if s == ".." {
        errs.push("must not be '..'".to_string());
    } else if s.starts_with("..") {
        errs.push("must not start with '..'".to_string());
    }
    errs
}

/// Every message as an Invalid error at `field` for `value`.
pub fn invalid_all(field: &str, value: &str, messages: Vec<String>) -> Vec<FieldError> {
    messages
        .into_iter()
        .map(|m| FieldError::invalid(field, json!(value), m))
        .collect()
}

/// `ValidateLabels`: keys are qualified names, values label values; both reported at
/// the map's path.
pub fn labels(map: Option<&Value>, field: &str) -> Vec<FieldError> {
    let mut errs = vec![];
    for (k, v) in map.and_then(Value::as_object).into_iter().flatten() {
        errs.extend(invalid_all(field, k, qualified_name(k)));
        errs.extend(invalid_all(
            field,
            v.as_str().unwrap_or_default(),
            label_value(v.as_str().unwrap_or_default()),
        ));
    }
    errs
}

/// `ValidateObjectMeta`: name (or generateName) and its rule, labels, annotation keys.
pub fn object_meta(obj: &Value, rule: NameRule) -> Vec<FieldError> {
    let meta = obj.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let generate_name = meta
        .and_then(|m| m.get("generateName"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut errs = vec![];
    if name.is_empty() && generate_name.is_empty() {
        errs.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        ));
    } else if !name.is_empty() {
        let messages = match rule {
            NameRule::Subdomain => dns1123_subdomain(name),
            NameRule::Label => dns1123_label(name),
            NameRule::Dns1035 => dns1035_label(name),
            NameRule::PathSegment => path_segment(name),
        };
        errs.extend(invalid_all("metadata.name", name, messages));
    }
    errs.extend(labels(
        meta.and_then(|m| m.get("labels")),
        "metadata.labels",
    ));
    for key in meta
        .and_then(|m| m.get("annotations"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        errs.extend(invalid_all(
            "metadata.annotations",
            key,
            qualified_name(&key.to_lowercase()),
        ));
    }
    // apimachinery `ValidateAnnotationsSize`: keys and values together, at most 256 KiB.
    let total: usize = meta
        .and_then(|m| m.get("annotations"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| k.len() + v.as_str().map_or(0, str::len))
        .sum();
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(FieldError::too_long(
            "metadata.annotations",
            TOTAL_ANNOTATION_SIZE_LIMIT,
        ));
    }
    errs
}

/// `TotalAnnotationSizeLimitB`.
const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

/// `ValidateImmutableField`: `Invalid value: <new>: field is immutable`.
pub fn immutable(new: Option<&Value>, old: Option<&Value>, field: &str) -> Vec<FieldError> {
    if new == old {
        return vec![];
    }
    vec![FieldError::invalid(
        field,
        new.cloned().unwrap_or(Value::Null),
        "field is immutable",
    )]
}

/// `ValidateNonnegativeField`.
pub fn non_negative(value: Option<&Value>, field: &str) -> Vec<FieldError> {
    match value.and_then(Value::as_i64) {
        Some(n) if n < 0 => vec![FieldError::invalid(
            field,
            json!(n),
            "must be greater than or equal to 0",
        )],
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rules() {
        assert!(dns1123_subdomain("web.example-1").is_empty());
        assert_eq!(
            dns1123_subdomain("Web"),
            vec![DNS1123_SUBDOMAIN_MSG.to_string()]
        );
        assert!(dns1123_label("web-1").is_empty());
        assert_eq!(dns1123_label("a.b"), vec![DNS1123_LABEL_MSG.to_string()]);
        assert_eq!(dns1035_label("1web"), vec![DNS1035_LABEL_MSG.to_string()]);
        assert_eq!(
            dns1123_label(&"a".repeat(64)),
            vec!["must be no more than 63 characters".to_string()]
        );
        assert!(qualified_name("app.kubernetes.io/name").is_empty());
        assert_eq!(
            qualified_name("bad key"),
            vec![format!("name part {QUALIFIED_NAME_MSG}")]
        );
        assert_eq!(
            qualified_name("Example.com/x"),
            vec![format!("prefix part {DNS1123_SUBDOMAIN_MSG}")]
        );
        assert!(label_value("").is_empty());
        assert_eq!(label_value("-x"), vec![LABEL_VALUE_MSG.to_string()]);
        assert!(config_map_key("app.properties").is_empty());
        assert_eq!(config_map_key("a b"), vec![CONFIG_KEY_MSG.to_string()]);
    }
}
