//! Turning what follows a kubectl verb into resource requests: `pods`, `pods web db`,
//! `pods,svc`, `pod/web svc/web`, `all` — with kubectl's errors for unknown types and
//! mixed forms.

use crate::sim::resources::{Registry, ResourceType};
use crate::sim::sort::SharedSort;

/// One resource type and the names asked for (`None`: every object of the type).
#[derive(Debug, Clone)]
pub struct Request {
    pub rt: ResourceType,
    pub names: Option<Vec<String>>,
}

fn unknown(typed: &str) -> String {
    format!("error: the server doesn't have a resource type \"{typed}\"")
}

/// Expands a type word (`pods,svc`, `all`, a category) into resource types.
pub fn resolve_types(registry: &Registry, word: &str) -> Result<Vec<ResourceType>, String> {
    let mut types = vec![];
    for part in word.split(',').filter(|p| !p.is_empty()) {
        let category: Vec<ResourceType> = registry
            .all()
            .iter()
            .filter(|t| t.categories.iter().any(|c| c == part))
            .cloned()
            .collect();
        if !category.is_empty() && registry.resolve(part).is_none() {
            types.extend(all_order(category));
            continue;
        }
        types.push(
            registry
                .resolve(part)
                .cloned()
                .ok_or_else(|| unknown(part))?,
        );
    }
    Ok(types)
}

/// `kubectl get all` lists in this order.
fn all_order(mut types: Vec<ResourceType>) -> Vec<ResourceType> {
    const ORDER: &[&str] = &[
        "pods",
        "replicationcontrollers",
        "services",
        "daemonsets",
        "deployments",
        "replicasets",
        "statefulsets",
        "horizontalpodautoscalers",
        "cronjobs",
        "jobs",
    ];
    types.sort_shared_by_key(|t| {
        ORDER
            .iter()
            .position(|p| *p == t.plural)
            .unwrap_or(ORDER.len())
    });
    types
}

/// Parses the positional arguments of get/describe/delete/label….
pub fn parse_requests(registry: &Registry, args: &[String]) -> Result<Vec<Request>, String> {
    if args.is_empty() {
        return Ok(vec![]);
    }
    let slash_form = args.iter().any(|a| a.contains('/'));
    if slash_form {
        if !args.iter().all(|a| a.contains('/')) {
            return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
        }
        let mut out: Vec<Request> = vec![];
        for a in args {
            let (typed, name) = a.split_once('/').expect("checked above");
            if name.is_empty() {
                return Err(
                    "error: arguments in resource/name form must have a single resource and name"
                        .to_string(),
                );
            }
            let rt = registry
                .resolve(typed)
                .cloned()
                .ok_or_else(|| unknown(typed))?;
            match out.iter_mut().find(|r| r.rt == rt) {
                Some(r) => r.names.get_or_insert_with(Vec::new).push(name.to_string()),
                None => out.push(Request {
                    rt,
                    names: Some(vec![name.to_string()]),
                }),
            }
        }
        return Ok(out);
    }
    let types = resolve_types(registry, &args[0])?;
    let names: Vec<String> = args[1..].to_vec();
    if !names.is_empty() && types.len() > 1 {
        return Err(format!(
            "error: you may only specify a single resource type when passing names (found {})",
            types.len()
        ));
    }
    Ok(types
        .into_iter()
        .map(|rt| Request {
            rt,
            names: if names.is_empty() {
                None
            } else {
                Some(names.clone())
            },
        })
        .collect())
}
