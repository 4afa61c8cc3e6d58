//! What the Gateway API CRDs' OpenAPI schemas and CEL rules default and reject, for the
//! fields kubesim acts on (the schemas themselves are not carried, see [`super::crds`]).
//! Errors read as the apiserver words CRD validation failures.

use super::GROUP;
use crate::sim::errors::FieldError;
use crate::sim::json::json;
use serde_json::Value;

fn each<'a>(v: &'a Value, field: &str) -> impl Iterator<Item = (usize, &'a Value)> {
    v.get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

/// The schema defaults of a Gateway API object (`kind`), filled in place.
pub fn default(kind: &str, obj: &mut Value) {
    let Some(spec) = obj.get_mut("spec") else {
        return;
    };
    if kind == "HTTPRoute" {
        for p in spec
            .get_mut("parentRefs")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if let Some(p) = p.as_object_mut() {
                p.entry("group").or_insert(json!(GROUP));
                p.entry("kind").or_insert(json!("Gateway"));
            }
        }
        let rules = spec.as_object_mut().map(|s| {
            s.entry("rules")
                .or_insert(json!([{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}]}]))
        });
        for rule in rules.and_then(Value::as_array_mut).into_iter().flatten() {
            let Some(rule) = rule.as_object_mut() else {
                continue;
            };
            let matches = rule
                .entry("matches")
                .or_insert(json!([{"path": {"type": "PathPrefix", "value": "/"}}]));
            for m in matches.as_array_mut().into_iter().flatten() {
                let Some(m) = m.as_object_mut() else { continue };
                let path = m.entry("path").or_insert(json!({}));
                if let Some(path) = path.as_object_mut() {
                    path.entry("type").or_insert(json!("PathPrefix"));
                    path.entry("value").or_insert(json!("/"));
                }
                for field in ["headers", "queryParams"] {
                    for h in m
                        .get_mut(field)
                        .and_then(Value::as_array_mut)
                        .into_iter()
                        .flatten()
                    {
                        if let Some(h) = h.as_object_mut() {
                            h.entry("type").or_insert(json!("Exact"));
                        }
                    }
                }
            }
            for b in rule
                .get_mut("backendRefs")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if let Some(b) = b.as_object_mut() {
                    b.entry("group").or_insert(json!(""));
                    b.entry("kind").or_insert(json!("Service"));
                    b.entry("weight").or_insert(json!(1));
                }
            }
        }
    }
    if kind == "Gateway" {
        for l in spec
            .get_mut("listeners")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if let Some(l) = l.as_object_mut() {
                l.entry("allowedRoutes")
                    .or_insert(json!({"namespaces": {"from": "Same"}}));
            }
        }
    }
}

/// The schema's checks for the fields kubesim reads.
pub fn validate(kind: &str, obj: &Value) -> Vec<FieldError> {
    let mut errors = vec![];
    let spec = obj.get("spec").cloned().unwrap_or(Value::Null);
    match kind {
        "GatewayClass"
            if spec
                .get("controllerName")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty) =>
        {
            errors.push(FieldError::required("spec.controllerName", ""));
        }
        "Gateway" => {
            if spec
                .get("gatewayClassName")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                errors.push(FieldError::required("spec.gatewayClassName", ""));
            }
            if spec
                .get("listeners")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
            {
                errors.push(FieldError::required("spec.listeners", ""));
            }
            for (i, l) in each(&spec, "listeners") {
                let at = format!("spec.listeners[{i}]");
                if l.get("name")
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
                {
                    errors.push(FieldError::required(format!("{at}.name"), ""));
                }
                match l.get("port").and_then(Value::as_i64) {
                    None => errors.push(FieldError::required(format!("{at}.port"), "")),
                    Some(p) if !(1..=65535).contains(&p) => errors.push(FieldError::invalid(
                        format!("{at}.port"),
                        json!(p),
                        if p < 1 {
                            "should be greater than or equal to 1"
                        } else {
                            "should be less than or equal to 65535"
                        },
                    )),
                    _ => {}
                }
                if l.get("protocol")
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
                {
                    errors.push(FieldError::required(format!("{at}.protocol"), ""));
                }
            }
        }
        "HTTPRoute" => {
            for (r, rule) in each(&spec, "rules") {
                for (m, mat) in each(rule, "matches") {
                    let at = format!("spec.rules[{r}].matches[{m}]");
                    if let Some(t) = mat.pointer("/path/type") {
                        if !matches!(
                            t.as_str(),
                            Some("Exact" | "PathPrefix" | "RegularExpression")
                        ) {
                            errors.push(FieldError::not_supported(
                                format!("{at}.path.type"),
                                t.clone(),
                                &["Exact", "PathPrefix", "RegularExpression"],
                            ));
                        }
                    }
                    if let Some(v) = mat.pointer("/path/value").and_then(Value::as_str) {
                        if !v.starts_with('/')
                            && mat.pointer("/path/type").and_then(Value::as_str)
                                != Some("RegularExpression")
                        {
                            errors.push(FieldError::invalid(format!("{at}.path"), json!({"type": mat.pointer("/path/type"), "value": v}).clone(), "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"));
                        }
                    }
                    if let Some(method) = mat.get("method") {
                        let methods = [
                            "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE",
                            "PATCH",
                        ];
                        if !method.as_str().is_some_and(|m| methods.contains(&m)) {
                            errors.push(FieldError::not_supported(
                                format!("{at}.method"),
                                method.clone(),
                                &methods,
                            ));
                        }
                    }
                }
                for (b, backend) in each(rule, "backendRefs") {
                    if let Some(w) = backend.get("weight").and_then(Value::as_i64) {
                        if !(0..=1_000_000).contains(&w) {
                            errors.push(FieldError::invalid(
                                format!("spec.rules[{r}].backendRefs[{b}].weight"),
                                json!(w),
                                if w < 0 {
                                    "should be greater than or equal to 0"
                                } else {
                                    "should be less than or equal to 1000000"
                                },
                            ));
                        }
                    }
                }
                for (f, filter) in each(rule, "filters") {
                    let types = [
                        "RequestHeaderModifier",
                        "ResponseHeaderModifier",
                        "RequestMirror",
                        "RequestRedirect",
                        "URLRewrite",
                        "ExtensionRef",
                        "CORS",
                        "ExternalAuth",
                    ];
                    let t = filter.get("type").cloned().unwrap_or(Value::Null);
                    if !t.as_str().is_some_and(|s| types.contains(&s)) {
                        errors.push(FieldError::not_supported(
                            format!("spec.rules[{r}].filters[{f}].type"),
                            t,
                            &types,
                        ));
                    }
                }
            }
        }
        _ => {}
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_without_rules_gets_the_schema_default() {
        let mut r = json!({"spec": {"parentRefs": [{"name": "eg"}]}});
        default("HTTPRoute", &mut r);
        assert_eq!(
            r.pointer("/spec/rules/0/matches/0/path/type"),
            Some(&json!("PathPrefix"))
        );
        assert_eq!(
            r.pointer("/spec/parentRefs/0/kind"),
            Some(&json!("Gateway"))
        );
        let bad =
            json!({"spec": {"rules": [{"matches": [{"path": {"type": "Prefix", "value": "/"}}]}]}});
        let e = validate("HTTPRoute", &bad);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, "spec.rules[0].matches[0].path.type");
    }
}
