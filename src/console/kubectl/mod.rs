//! `kubectl`: the verbs a learner uses, with real flags, real output and kubectl's own
//! error wording (k8s-behaviour.md §10). Each verb lives in its own module; this one
//! dispatches and renders API errors the way kubectl's `CheckErr` does.

pub mod apply;
pub mod auth;
pub mod autoscale;
pub mod delete;
pub mod edit;
pub mod events;
pub mod exec;
pub mod flags;
pub mod get;
pub mod imperative;
pub mod info;
pub mod logs;
pub mod node;
pub mod patch;
pub mod portforward;
pub mod replace;
pub mod resources;
pub mod rollout;
pub mod taint;
pub mod top;
pub mod wait;

use super::output::Output;
use super::Console;
use crate::sim::controllers::faults::Part;
use crate::sim::errors::{ApiError, StatusReason};

/// Verbs kubesim knows belong to kubectl but does not simulate yet.
const NOT_YET: &[&str] = &[
    "cp",
    "attach",
    "proxy",
    "debug",
    "certificate",
    "kustomize",
    "plugin",
    "completion",
    "alpha",
];

pub(crate) const VERBS: &[&str] = &[
    "get",
    "describe",
    "apply",
    "create",
    "delete",
    "run",
    "expose",
    "scale",
    "label",
    "annotate",
    "set",
    "rollout",
    "cordon",
    "uncordon",
    "drain",
    "api-resources",
    "api-versions",
    "version",
    "cluster-info",
    "explain",
    "config",
    "logs",
    "exec",
    "wait",
    "port-forward",
    "patch",
    "replace",
    "diff",
    "edit",
    "taint",
    "events",
    "auth",
    "top",
    "autoscale",
];

/// kubectl also takes its global flags before the verb (`kubectl -n kube-system get pods`):
/// they move behind it, where every command's flag parser reads them. Anything else
/// before the verb is left where it is (and is reported as kubectl reports it).
fn verb_first(args: &[String]) -> Vec<String> {
    let takes_value = |long: &str| {
        flags::GLOBAL
            .iter()
            .any(|f| f.takes_value && (f.long == long))
    };
    let mut leading = vec![];
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if let Some(long) = a.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or(long);
            if !flags::GLOBAL.iter().any(|f| f.long == name) {
                break;
            }
            leading.push(args[i].clone());
            if takes_value(name) && !long.contains('=') {
                i += 1;
                if let Some(v) = args.get(i) {
                    leading.push(v.clone());
                }
            }
        } else if let Some(short) = a.strip_prefix('-').and_then(|r| r.chars().next()) {
            let Some(flag) = flags::GLOBAL.iter().find(|f| f.short == Some(short)) else {
                break;
            };
            leading.push(args[i].clone());
            if flag.takes_value && a.len() == 2 {
                i += 1;
                if let Some(v) = args.get(i) {
                    leading.push(v.clone());
                }
            }
        } else {
            break;
        }
        i += 1;
    }
    if leading.is_empty() || i >= args.len() {
        return args.to_vec();
    }
    let mut out = vec![args[i].clone()];
    out.extend(leading);
    out.extend(args[i + 1..].iter().cloned());
    out
}

pub fn run(console: &mut Console, args: &[String], stdin: Option<&str>) -> Output {
    let reordered = verb_first(args);
    let args = reordered.as_slice();
    let Some(verb) = args.first() else {
        return Output::ok(USAGE);
    };
    let rest = &args[1..];
    if let Some(failed) = server_unavailable(console, verb, rest) {
        return failed;
    }
    console
        .cluster
        .set_client_field_manager(field_manager_of(verb, rest));
    let out = dispatch(console, verb, rest, stdin);
    console.cluster.set_client_field_manager(None);
    out
}

/// The field manager a verb's writes are recorded under: `--field-manager`, else the
/// verb's default in kubectl v1.34 (`kubectl-create`, `kubectl-edit`, …); `None` for
/// verbs that set none, whose writes the apiserver names after the User-Agent
/// (`kubectl`; `kubectl scale` writes through the `scale` subresource). Server-side
/// apply names its own ([`apply`]).
fn field_manager_of(verb: &str, rest: &[String]) -> Option<(String, &'static str)> {
    let flag = rest.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--field-manager=")
            .map(str::to_string)
            .or_else(|| {
                (a == "--field-manager")
                    .then(|| rest.get(i + 1).cloned())
                    .flatten()
            })
    });
    let default = match verb {
        "apply" => "kubectl-client-side-apply",
        "create" => "kubectl-create",
        "edit" => "kubectl-edit",
        "label" => "kubectl-label",
        "annotate" => "kubectl-annotate",
        "patch" => "kubectl-patch",
        "replace" => "kubectl-replace",
        "set" => "kubectl-set",
        "rollout" => "kubectl-rollout",
        "expose" => "kubectl-expose",
        "run" => "kubectl-run",
        "taint" => "kubectl-taint",
        "autoscale" => "kubectl-autoscale",
        "scale" => return Some(("kubectl".into(), "scale")),
        _ => return flag.map(|f| (f, "")),
    };
    Some((flag.unwrap_or_else(|| default.to_string()), ""))
}

fn dispatch(console: &mut Console, verb: &str, rest: &[String], stdin: Option<&str>) -> Output {
    match verb {
        "get" => get::get(console, rest),
        "describe" => get::describe(console, rest),
        "cordon" => node::cordon(console, rest, true),
        "uncordon" => node::cordon(console, rest, false),
        "drain" => node::drain(console, rest),
        "apply" => apply::apply(console, rest, stdin),
        "create" => apply::create(console, rest, stdin),
        "delete" => delete::delete(console, rest, stdin),
        "run" => imperative::run_pod(console, rest),
        "expose" => imperative::expose(console, rest),
        "scale" => imperative::scale(console, rest),
        "label" => imperative::label(console, "label", rest),
        "annotate" => imperative::label(console, "annotate", rest),
        "set" => imperative::set(console, rest),
        "rollout" => rollout::rollout(console, rest),
        "api-resources" => info::api_resources(console, rest),
        "api-versions" => info::api_versions(console, rest),
        "version" => info::version(console, rest),
        "cluster-info" => info::cluster_info(console, rest),
        "explain" => info::explain(console, rest),
        "config" => info::config(console, rest),
        "logs" => logs::logs(console, rest),
        "exec" => exec::exec(console, rest),
        "wait" => wait::wait(console, rest),
        "port-forward" => portforward::port_forward(console, rest),
        "patch" => patch::patch(console, rest),
        "taint" => taint::taint(console, rest),
        "events" => events::events(console, rest),
        "top" => top::top(console, rest),
        "autoscale" => autoscale::autoscale(console, rest),
        "auth" => auth::auth(console, rest),
        "replace" => replace::replace(console, rest, stdin),
        "diff" => replace::diff(console, rest, stdin),
        "edit" => {
            let editor = ["KUBE_EDITOR", "EDITOR"]
                .iter()
                .find_map(|v| console.vars.get(*v).filter(|e| !e.is_empty()).cloned())
                .unwrap_or_else(|| "vi".to_string());
            patch::edit(console, rest, &editor)
        }
        "--help" | "-h" | "help" => Output::ok(USAGE),
        v if NOT_YET.contains(&v) => {
            Output::fail(format!("kubesim: \"kubectl {v}\" is not simulated yet"))
        }
        other => unknown_command(other),
    }
}

/// What kubectl prints when the API cannot answer (`sim apiserver down`, `sim etcd
/// down`), for the verbs that need the server; `None` when the command can run.
fn server_unavailable(console: &Console, verb: &str, rest: &[String]) -> Option<Output> {
    let local = matches!(verb, "config" | "help" | "--help" | "-h")
        || (verb == "version" && rest.iter().any(|a| a == "--client" || a == "--client=true"))
        || rest.iter().any(|a| a == "--help" || a == "-h")
        || !(VERBS.contains(&verb));
    if local || console.cluster.api_available() {
        return None;
    }
    let mut out = Output::default();
    if verb == "version" {
        out.out(format!(
            "Client Version: {}\nKustomize Version: v5.7.1\n",
            crate::sim::bootstrap::KUBERNETES_VERSION
        ));
    }
    if console.cluster.is_down(Part::ApiServer) {
        out.error("The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?");
        return Some(out);
    }
    // etcd is down: the apiserver accepts the request and times out waiting for storage.
    let resource = rest
        .iter()
        .find(|a| !a.starts_with('-'))
        .and_then(|a| a.split(['/', ',']).next())
        .and_then(|t| console.cluster.registry().resolve(t))
        .filter(|_| {
            matches!(
                verb,
                "get" | "describe" | "delete" | "label" | "annotate" | "scale"
            )
        })
        .map(|rt| format!(" (get {})", rt.group_resource()))
        .unwrap_or_default();
    out.error(format!("Error from server (Timeout): the server was unable to return a response in the time allotted, but may still be processing the request{resource}"));
    Some(out)
}

fn unknown_command(other: &str) -> Output {
    let mut msg = format!("error: unknown command \"{other}\" for \"kubectl\"");
    let suggestions: Vec<&&str> = VERBS
        .iter()
        .chain(NOT_YET)
        .filter(|v| crate::sim::text::edit_distance(v, other) <= 2 || v.starts_with(other))
        .collect();
    if !suggestions.is_empty() {
        msg.push_str("\n\nDid you mean this?\n");
        for s in suggestions {
            msg.push_str(&format!("\t{s}\n"));
        }
    }
    Output::fail(msg)
}

/// The warning the apiserver attaches to every request for a deprecated API
/// (`deprecation.WarningMessage`: `<group/version> <Kind> is deprecated in vX.Y+; use
/// <replacement>`), from the `+k8s:prerelease-lifecycle-gen` tags of the v1.34 types.
pub fn deprecation_warning(rt: &crate::sim::resources::ResourceType) -> Option<&'static str> {
    match (rt.group.as_str(), rt.plural.as_str()) {
        // k8s.io/api core/v1 Endpoints: deprecated=1.33, replacement=discovery.k8s.io,v1,EndpointSlice.
        ("", "endpoints") => Some(
            "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice",
        ),
        _ => None,
    }
}

/// Prints each deprecation warning once, as kubectl's warning handler deduplicates them.
pub fn warn_deprecated<'a>(
    types: impl IntoIterator<Item = &'a crate::sim::resources::ResourceType>,
    out: &mut Output,
) {
    let mut seen = vec![];
    for w in types.into_iter().filter_map(deprecation_warning) {
        if !seen.contains(&w) {
            seen.push(w);
            out.err(w);
        }
    }
}

/// The same, for one object of a command that handles many (`apply -f`, `create -f`).
pub fn warn_deprecated_once(rt: &crate::sim::resources::ResourceType, out: &mut Output) {
    if let Some(w) = deprecation_warning(rt).filter(|w| !out.text().contains(w)) {
        out.err(w);
    }
}

/// kubectl's `StandardErrorMessage`: `Error from server (Reason): message`.
pub fn standard_message(err: &ApiError) -> String {
    if err.reason == StatusReason::Unknown {
        return format!("Error from server: {}", err.message);
    }
    format!(
        "Error from server ({}): {}",
        err.reason.as_str(),
        err.message
    )
}

/// kubectl's `CheckErr` for one error: Invalid errors print from their details
/// (`The Deployment "web" is invalid: …`), everything else via `standard_message`.
pub fn check_err(err: &ApiError) -> String {
    if err.reason == StatusReason::Invalid && err.kind.is_empty() && err.name.is_empty() {
        return format!("The request is invalid: {}", err.message);
    }
    if err.reason != StatusReason::Invalid || err.kind.is_empty() {
        return standard_message(err);
    }
    let prefix = format!("The {} \"{}\" is invalid: ", err.kind, err.name);
    match err.causes.len() {
        0 => format!("The {} \"{}\" is invalid", err.kind, err.name),
        1 => format!("{prefix}{}", err.causes[0]),
        _ => {
            let mut s = format!("{prefix}\n");
            for c in &err.causes {
                s.push_str(&format!("* {c}\n"));
            }
            s.trim_end().to_string()
        }
    }
}

/// The errors a multi-object command collected, printed as kubectl does at its end:
/// one error through `CheckErr`, several each through `StandardErrorMessage`.
#[derive(Debug, Default)]
pub struct Errors {
    items: Vec<ErrorItem>,
}

#[derive(Debug)]
enum ErrorItem {
    Api(ApiError),
    /// A client-side error; `prefixed` is how CheckErr shows it alone (`error: …`).
    Client(String),
}

impl Errors {
    pub fn api(&mut self, e: ApiError) {
        self.items.push(ErrorItem::Api(e));
    }
    pub fn client(&mut self, e: impl Into<String>) {
        self.items.push(ErrorItem::Client(e.into()));
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn write_to(&self, out: &mut Output) {
        match self.items.as_slice() {
            [] => {}
            [ErrorItem::Api(e)] => out.error(check_err(e)),
            [ErrorItem::Client(e)] => out.error(format!("error: {e}")),
            many => {
                for item in many {
                    match item {
                        ErrorItem::Api(e) => out.error(standard_message(e)),
                        ErrorItem::Client(e) => out.error(e.clone()),
                    }
                }
            }
        }
    }
}

/// The namespace a command works in: `-n`, else the context's (`default` unless set).
pub fn namespace_of(console: &Console, parsed: &flags::Parsed) -> String {
    parsed
        .get("namespace")
        .unwrap_or(&console.namespace)
        .to_string()
}

const USAGE: &str = "kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster
  set             Set specific features on objects

Basic Commands (Intermediate):
  explain         Get documentation for a resource
  get             Display one or many resources
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  scale           Set a new size for a deployment, replica set, or replication controller
  autoscale       Auto-scale a deployment, replica set, stateful set, or replication controller

Cluster Management Commands:
  cluster-info    Display cluster information
  top             Display resource (CPU/memory) usage

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources

Advanced Commands:
  apply           Apply a configuration to a resource by file name or stdin

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource

Other Commands:
  api-resources   Print the supported API resources on the server
  api-versions    Print the supported API versions on the server, in the form of \"group/version\"
  config          Modify kubeconfig files
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]
";

#[cfg(test)]
mod verb_first_tests {
    use super::verb_first;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn global_flags_before_the_verb_move_behind_it() {
        assert_eq!(
            verb_first(&words("-n kube-system get pods")),
            words("get -n kube-system pods")
        );
        assert_eq!(
            verb_first(&words("--namespace=dev get pods")),
            words("get --namespace=dev pods")
        );
        assert_eq!(
            verb_first(&words("-ndev get pods")),
            words("get -ndev pods")
        );
        assert_eq!(verb_first(&words("get pods -n x")), words("get pods -n x"));
        // Not a global flag: left for kubectl's own error.
        assert_eq!(verb_first(&words("-A get pods")), words("-A get pods"));
    }
}
