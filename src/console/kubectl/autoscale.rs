//! `kubectl autoscale (TYPE NAME | TYPE/NAME) [--min=N] --max=N [--cpu=50%|500m]
//! [--memory=70%|200Mi]`: creates an `autoscaling/v2` HorizontalPodAutoscaler for a
//! Deployment, ReplicaSet, StatefulSet or ReplicationController, as kubectl v1.34's
//! `autoscale.go` builds it. `--cpu-percent=N` still works, with cobra's deprecation note
//! (kubernetes#129373 replaced it with `--cpu`).

use super::flags::{self, switch, value, Flag};
use super::imperative::create_generated;
use super::resources::parse_requests;
use super::{check_err, namespace_of};
use crate::console::output::Output;
use crate::console::Console;
use crate::sim::json::json;
use serde_json::Value;

const AUTOSCALE_FLAGS: &[Flag] = &[
    value("min", None),
    value("max", None),
    value("cpu-percent", None),
    value("cpu", None),
    value("memory", None),
    value("name", None),
    value("dry-run", None),
    value("output", Some('o')),
    value("field-manager", None),
    switch("save-config", None),
    switch("record", None),
];

const CPU_PERCENT_DEPRECATED: &str = "Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity format (e.g., '70%' for utilization or '500m' for milliCPU).";

/// The kinds with a scale subresource.
const SCALABLE: &[&str] = &[
    "deployments",
    "replicasets",
    "statefulsets",
    "replicationcontrollers",
];

fn int_flag(parsed: &flags::Parsed, name: &str) -> Result<Option<i64>, String> {
    match parsed.get(name) {
        None => Ok(None),
        Some(v) => v.parse::<i32>().map(|n| Some(i64::from(n))).map_err(|_| {
            format!("error: invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax")
        }),
    }
}

/// A `--cpu`/`--memory` target: `70%` is an average utilization, anything else an
/// average value (a bare CPU number is millicores: `500` is `500m`).
fn target(resource: &str, spec: &str) -> Result<Value, String> {
    if let Some(percent) = spec.strip_suffix('%') {
        return match percent.parse::<i32>() {
            Ok(p) if p > 0 => Ok(json!({"type": "Utilization", "averageUtilization": p})),
            _ => Err(format!(
                "error: invalid {resource} utilization percentage: {spec}"
            )),
        };
    }
    let quantity = if resource == "cpu" && spec.chars().all(|c| c.is_ascii_digit()) {
        format!("{spec}m")
    } else {
        spec.to_string()
    };
    if crate::sim::scheduler::parse_milli(&quantity).is_none() {
        return Err(format!(
            "error: invalid {resource} quantity \"{spec}\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        ));
    }
    Ok(json!({"type": "AverageValue", "averageValue": quantity}))
}

fn metric(resource: &str, target: Value) -> Value {
    json!({"type": "Resource", "resource": {"name": resource, "target": target}})
}

pub fn autoscale(console: &mut Console, args: &[String]) -> Output {
    let parsed = match flags::parse("autoscale", args, AUTOSCALE_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let mut out = Output::default();
    if parsed.has("cpu-percent") {
        out.err(CPU_PERCENT_DEPRECATED);
    }
    if !parsed.has("max") {
        out.error("error: required flag(s) \"max\" not set");
        return out;
    }
    let (min, max, cpu_percent) = match (
        int_flag(&parsed, "min"),
        int_flag(&parsed, "max"),
        int_flag(&parsed, "cpu-percent"),
    ) {
        (Ok(a), Ok(b), Ok(c)) => (a.unwrap_or(-1), b.unwrap_or(-1), c.unwrap_or(-1)),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            out.error(e);
            return out;
        }
    };
    if max < 1 {
        out.error(format!(
            "error: --max=MAXPODS is required and must be at least 1, max: {max}"
        ));
        return out;
    }
    if max < min {
        out.error(format!(
            "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {min}"
        ));
        return out;
    }
    let mut metrics = vec![];
    // `--cpu-percent` becomes `--cpu=N%` in Complete, unless --cpu is given.
    let cpu = parsed
        .get("cpu")
        .map(str::to_string)
        .or_else(|| (cpu_percent >= 0).then(|| format!("{cpu_percent}%")));
    for (resource, spec) in [
        ("cpu", cpu),
        ("memory", parsed.get("memory").map(str::to_string)),
    ] {
        if let Some(spec) = spec.filter(|s| !s.is_empty()) {
            match target(resource, &spec) {
                Ok(t) => metrics.push(metric(resource, t)),
                Err(e) => {
                    out.error(e);
                    return out;
                }
            }
        }
    }
    let requests = match parse_requests(console.cluster.registry(), &parsed.positional) {
        Ok(r) if !r.is_empty() => r,
        Ok(_) => {
            out.error("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
            return out;
        }
        Err(e) => {
            out.error(e);
            return out;
        }
    };
    let ns = namespace_of(console, &parsed);
    for req in requests {
        if !SCALABLE.contains(&req.rt.plural.as_str()) {
            out.error(format!(
                "error: cannot autoscale a {}: could not find scale subresource for {}/{}, Resource={} in discovery information",
                req.rt.kind,
                req.rt.group,
                req.rt.versions[0],
                req.rt.plural
            ));
            continue;
        }
        for name in req.names.clone().unwrap_or_default() {
            let target = match console.cluster.get(&req.rt, &ns, &name) {
                Ok(t) => t.clone(),
                Err(e) => {
                    out.error(check_err(&e));
                    continue;
                }
            };
            let mut spec = json!({
                "scaleTargetRef": {"apiVersion": crate::sim::object::api_version(&target), "kind": req.rt.kind, "name": name},
                "maxReplicas": max,
            });
            if min > 0 {
                spec["minReplicas"] = json!(min);
            }
            if !metrics.is_empty() {
                spec["metrics"] = json!(metrics);
            }
            let hpa = json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                "metadata": {"name": parsed.get("name").filter(|n| !n.is_empty()).unwrap_or(&name)},
                "spec": spec});
            out.append(create_generated(console, &parsed, hpa, "autoscaled"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_percentages_and_quantities() {
        assert_eq!(
            target("cpu", "50%").unwrap(),
            json!({"type": "Utilization", "averageUtilization": 50})
        );
        assert_eq!(
            target("cpu", "500").unwrap(),
            json!({"type": "AverageValue", "averageValue": "500m"})
        );
        assert_eq!(
            target("memory", "200Mi").unwrap(),
            json!({"type": "AverageValue", "averageValue": "200Mi"})
        );
        assert!(target("cpu", "x%").is_err());
        assert!(target("memory", "lots").is_err());
    }
}
