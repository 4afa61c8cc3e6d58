//! Cluster and API information: `version`, `cluster-info`, `api-resources`,
//! `api-versions`, `explain` and the `config` subcommands tutorials use.

use super::flags::{self, switch, value, Flag};
use crate::console::explain;
use crate::console::output::Output;
use crate::console::printers::tabwriter;
use crate::console::Console;
use crate::sim::bootstrap::KUBERNETES_VERSION;
use crate::sim::resources::ResourceType;
use crate::sim::sort::SharedSort;

pub fn version(_console: &mut Console, args: &[String]) -> Output {
    let parsed = match flags::parse(
        "version",
        args,
        &[switch("client", None), value("output", Some('o'))],
    ) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let client = format!("Client Version: {KUBERNETES_VERSION}\nKustomize Version: v5.7.1\n");
    if parsed.bool("client") {
        return Output::ok(client);
    }
    Output::ok(format!("{client}Server Version: {KUBERNETES_VERSION}\n"))
}

pub fn cluster_info(_console: &mut Console, args: &[String]) -> Output {
    if args.first().map(String::as_str) == Some("dump") {
        return Output::fail("kubesim: \"kubectl cluster-info dump\" is not simulated yet");
    }
    if let Err(e) = flags::parse("cluster-info", args, &[]) {
        return Output::fail(e);
    }
    Output::ok(
        "Kubernetes control plane is running at https://127.0.0.1:6443\nCoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    )
}

/// kubectl sorts api-resources by group, then by name (core group first).
fn sorted_types(console: &Console) -> Vec<ResourceType> {
    let mut types: Vec<ResourceType> = console.cluster.registry().all().to_vec();
    types.sort_shared_by(|a, b| {
        (a.group.as_str(), a.plural.as_str()).cmp(&(b.group.as_str(), b.plural.as_str()))
    });
    types
}

pub fn api_resources(console: &mut Console, args: &[String]) -> Output {
    let flags: &[Flag] = &[
        value("namespaced", None),
        value("api-group", None),
        value("output", Some('o')),
        switch("no-headers", None),
        value("sort-by", None),
        value("verbs", None),
        value("categories", None),
        switch("cached", None),
    ];
    let parsed = match flags::parse("api-resources", args, flags) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let types: Vec<ResourceType> = sorted_types(console)
        .into_iter()
        .filter(|t| {
            parsed
                .get("namespaced")
                .is_none_or(|n| (n == "true") == t.namespaced)
        })
        .filter(|t| parsed.get("api-group").is_none_or(|g| g == t.group))
        .collect();
    if parsed.get("output") == Some("name") {
        let text: String = types
            .iter()
            .map(|t| {
                if t.group.is_empty() {
                    format!("{}\n", t.plural)
                } else {
                    format!("{}.{}\n", t.plural, t.group)
                }
            })
            .collect();
        return Output::ok(text);
    }
    let mut rows = vec![];
    if !parsed.bool("no-headers") {
        rows.push(vec![
            "NAME".into(),
            "SHORTNAMES".into(),
            "APIVERSION".into(),
            "NAMESPACED".into(),
            "KIND".into(),
        ]);
    }
    for t in &types {
        rows.push(vec![
            t.plural.clone(),
            t.short_names.join(","),
            t.api_version(),
            t.namespaced.to_string(),
            t.kind.clone(),
        ]);
    }
    Output::ok(render(&rows))
}

pub fn api_versions(console: &mut Console, args: &[String]) -> Output {
    if let Err(e) = flags::parse("api-versions", args, &[]) {
        return Output::fail(e);
    }
    let mut versions: Vec<String> = console
        .cluster
        .registry()
        .all()
        .iter()
        .flat_map(|t| {
            t.versions
                .iter()
                .map(|v| t.api_version_for(v))
                .collect::<Vec<_>>()
        })
        .collect();
    versions.sort_shared();
    versions.dedup();
    Output::ok(
        versions
            .into_iter()
            .map(|v| format!("{v}\n"))
            .collect::<String>(),
    )
}

pub fn explain(console: &mut Console, args: &[String]) -> Output {
    let parsed = match flags::parse(
        "explain",
        args,
        &[
            switch("recursive", None),
            value("api-version", None),
            value("output", Some('o')),
        ],
    ) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let Some(target) = parsed.positional.first() else {
        return Output::fail("You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl explain -h' for help and examples");
    };
    if parsed.positional.len() > 1 {
        return Output::fail("error: We accept only this format: explain RESOURCE\n");
    }
    let mut parts = target.split('.');
    let typed = parts.next().unwrap_or_default();
    let Some(rt) = console.cluster.registry().resolve(typed).cloned() else {
        return Output::fail(format!(
            "error: the server doesn't have a resource type \"{typed}\""
        ));
    };
    let field_path: Vec<&str> = parts.collect();
    let (group, version) = match parsed.get("api-version") {
        Some(api_version) => match api_version.split_once('/') {
            Some((g, v)) => (g.to_string(), v.to_string()),
            None => (String::new(), api_version.to_string()),
        },
        None => (rt.group.clone(), rt.versions[0].clone()),
    };
    let gvr = format!("{group}/{version}, Resource={}", rt.plural);
    let group_version_served = console
        .cluster
        .registry()
        .all()
        .iter()
        .any(|t| t.group == group && t.versions.contains(&version));
    if !group_version_served {
        return Output::fail(format!("error: couldn't find resource for \"{gvr}\""));
    }
    let not_found = || Output::fail(format!("error: GVR ({gvr}) not found in OpenAPI schema"));
    if rt.group != group || !rt.versions.contains(&version) {
        return not_found();
    }
    let api_version = rt.api_version_for(&version);
    let Some(builtin) = explain::docs::Docs::builtin() else {
        return Output::fail(
            "kubesim: the API documentation is still loading; run the command again in a moment",
        );
    };
    let custom;
    let (docs, root) = match custom_resource_schema(console, &rt, &version) {
        Some(schema) => {
            custom = explain::docs::Docs::custom(&schema, builtin);
            (&custom, 0)
        }
        None => match builtin.kind(&api_version, &rt.kind) {
            Some(root) => (builtin, root),
            None => return not_found(),
        },
    };
    let request = explain::Request {
        group: &group,
        kind: &rt.kind,
        version: &version,
        docs,
        root,
        path: &field_path,
        recursive: parsed.bool("recursive"),
    };
    match explain::explain(&request) {
        Ok(t) => Output::ok(t),
        Err(e) => Output::fail(e),
    }
}

/// A custom resource's schema at one version, from its CustomResourceDefinition (a CRD
/// without one is published as an object with no fields, as the apiserver does).
fn custom_resource_schema(
    console: &Console,
    rt: &ResourceType,
    version: &str,
) -> Option<serde_json::Value> {
    if crate::sim::resources::is_builtin(&rt.group, &rt.plural) {
        return None;
    }
    let crds = console
        .cluster
        .registry()
        .resolve("customresourcedefinitions")?
        .clone();
    let crd = console
        .cluster
        .get(&crds, "", &format!("{}.{}", rt.plural, rt.group))
        .ok()?;
    let versions = crd.pointer("/spec/versions")?.as_array()?;
    let served = versions.iter().find(|v| v["name"] == version)?;
    Some(
        served
            .pointer("/schema/openAPIV3Schema")
            .cloned()
            .unwrap_or_else(|| crate::sim::json::json!({"type": "object"})),
    )
}

pub fn config(console: &mut Console, args: &[String]) -> Output {
    let sub = args.first().map(String::as_str).unwrap_or_default();
    let rest = if args.is_empty() { &[][..] } else { &args[1..] };
    let parsed = match flags::parse(
        &format!("config {sub}"),
        rest,
        &[
            switch("current", None),
            switch("minify", None),
            switch("raw", None),
            value("output", Some('o')),
        ],
    ) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    match sub {
        "current-context" => Output::ok("kind-kubesim\n"),
        "get-contexts" => Output::ok(render(&[
            vec!["CURRENT".into(), "NAME".into(), "CLUSTER".into(), "AUTHINFO".into(), "NAMESPACE".into()],
            vec!["*".into(), "kind-kubesim".into(), "kind-kubesim".into(), "kind-kubesim".into(), console.namespace.clone()],
        ])),
        "set-context" => {
            if !parsed.bool("current") {
                return Output::fail("kubesim: only \"kubectl config set-context --current --namespace=NAME\" is simulated");
            }
            if let Some(ns) = parsed.get("namespace") {
                console.namespace = ns.to_string();
            }
            Output::ok("Context \"kind-kubesim\" modified.\n")
        }
        "view" => Output::ok(format!(
            "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: DATA+OMITTED\n    server: https://127.0.0.1:6443\n  name: kind-kubesim\ncontexts:\n- context:\n    cluster: kind-kubesim\n{}    user: kind-kubesim\n  name: kind-kubesim\ncurrent-context: kind-kubesim\nkind: Config\npreferences: {{}}\nusers:\n- name: kind-kubesim\n  user:\n    client-certificate-data: DATA+OMITTED\n    client-key-data: DATA+OMITTED\n",
            if console.namespace == "default" { String::new() } else { format!("    namespace: {}\n", console.namespace) }
        )),
        _ => Output::fail(format!("kubesim: \"kubectl config {sub}\" is not simulated (try current-context, get-contexts, view, set-context --current --namespace=NAME)")),
    }
}

/// Rows of cells aligned like kubectl's tables.
fn render(rows: &[Vec<String>]) -> String {
    let text: String = rows.iter().map(|r| format!("{}\n", r.join("\t"))).collect();
    tabwriter::TABLE.format(&text)
}
