//! `kubectl auth can-i VERB RESOURCE[/NAME]`: a SelfSubjectAccessReview answered by the
//! RBAC authorizer. The console's user is the cluster's admin (kind's `kubernetes-admin`,
//! whom the `system:masters` group makes a superuser), so it may do anything; with
//! `--as` (and `--as-group`) the answer comes from the Roles, ClusterRoles and their
//! bindings in the cluster, as RBAC evaluates them.

use super::flags::{self, switch, value, Flag, Parsed};
use super::namespace_of;
use crate::console::output::Output;
use crate::console::Console;
use crate::sim::object;
use crate::sim::store::GroupResource;
use serde_json::Value;

const CAN_I_FLAGS: &[Flag] = &[
    switch("all-namespaces", Some('A')),
    switch("quiet", Some('q')),
    switch("list", None),
    value("subresource", None),
    value("as", None),
    value("as-group", None),
    switch("no-headers", None),
];

/// `knownResourceVerbs` of cani.go.
const KNOWN_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "impersonate",
    "*",
    "approve",
    "sign",
    "escalate",
    "attest",
];

/// `kubectl auth SUBCOMMAND`.
pub fn auth(console: &mut Console, args: &[String]) -> Output {
    match args.first().map(String::as_str) {
        Some("can-i") => can_i(console, &args[1..]),
        Some(other @ ("whoami" | "reconcile")) => Output::fail(format!(
            "kubesim: \"kubectl auth {other}\" is not simulated yet"
        )),
        _ => {
            Output::fail("error: unknown command for \"kubectl auth\"; use \"kubectl auth can-i\"")
        }
    }
}

/// Who is asking: a user name and the groups the authenticator gives them.
struct Subject {
    user: String,
    groups: Vec<String>,
    /// `system:serviceaccount:NS:NAME` as (namespace, name).
    service_account: Option<(String, String)>,
}

impl Subject {
    fn from_flags(parsed: &Parsed) -> Option<Subject> {
        let user = parsed.get("as")?.to_string();
        let mut groups: Vec<String> = parsed
            .all("as-group")
            .iter()
            .map(|g| g.to_string())
            .collect();
        let service_account = user
            .strip_prefix("system:serviceaccount:")
            .and_then(|rest| rest.split_once(':'))
            .map(|(ns, name)| (ns.to_string(), name.to_string()));
        if let Some((ns, _)) = &service_account {
            groups.push("system:serviceaccounts".into());
            groups.push(format!("system:serviceaccounts:{ns}"));
        }
        groups.push("system:authenticated".into());
        Some(Subject {
            user,
            groups,
            service_account,
        })
    }

    fn is_superuser(&self) -> bool {
        self.groups.iter().any(|g| g == "system:masters")
    }

    /// Whether a binding's subject list names this subject.
    fn bound_by(&self, binding: &Value) -> bool {
        let subjects = binding.get("subjects").and_then(Value::as_array);
        subjects.into_iter().flatten().any(|s| {
            let name = object::str_at(s, "/name");
            match object::str_at(s, "/kind") {
                "User" => name == self.user,
                "Group" => self.groups.iter().any(|g| g == name),
                "ServiceAccount" => self
                    .service_account
                    .as_ref()
                    .is_some_and(|(ns, n)| n == name && ns == object::str_at(s, "/namespace")),
                _ => false,
            }
        })
    }
}

/// What is asked: a verb on a resource (maybe a named one) in a group and namespace.
struct Request {
    verb: String,
    group: String,
    resource: String,
    name: String,
    namespace: String,
}

fn covers(list: Option<&Value>, want: &str) -> bool {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .any(|v| v == "*" || v == want)
}

/// One PolicyRule allows the request (`RuleAllows` of the RBAC authorizer).
fn rule_allows(rule: &Value, req: &Request) -> bool {
    let names = rule.get("resourceNames").and_then(Value::as_array);
    covers(rule.get("verbs"), &req.verb)
        && covers(rule.get("apiGroups"), &req.group)
        && covers(rule.get("resources"), &req.resource)
        && names.is_none_or(|n| n.is_empty() || n.iter().any(|v| v.as_str() == Some(&req.name)))
}

fn allowed(console: &Console, subject: &Subject, req: &Request) -> bool {
    if subject.is_superuser() {
        return true;
    }
    let store = console.cluster.store();
    let rbac = |plural: &str| GroupResource::new("rbac.authorization.k8s.io", plural);
    let role_rules = |binding: &Value| -> Vec<Value> {
        let name = object::str_at(binding, "/roleRef/name");
        let role = match object::str_at(binding, "/roleRef/kind") {
            "ClusterRole" => store
                .list(&rbac("clusterroles"), None)
                .into_iter()
                .find(|r| object::name(r) == name),
            _ => store
                .list(&rbac("roles"), Some(object::namespace(binding)))
                .into_iter()
                .find(|r| object::name(r) == name),
        };
        role.and_then(|r| r.get("rules"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let cluster_wide = store.list(&rbac("clusterrolebindings"), None);
    let in_namespace = if req.namespace.is_empty() {
        vec![]
    } else {
        store.list(&rbac("rolebindings"), Some(&req.namespace))
    };
    cluster_wide
        .into_iter()
        .chain(in_namespace)
        .filter(|b| subject.bound_by(b))
        .any(|b| role_rules(b).iter().any(|rule| rule_allows(rule, req)))
}

/// `kubectl auth can-i`.
fn can_i(console: &mut Console, args: &[String]) -> Output {
    let parsed = match flags::parse("auth can-i", args, CAN_I_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    if parsed.bool("list") {
        return Output::fail("kubesim: \"kubectl auth can-i --list\" is not simulated yet");
    }
    let [verb, target] = parsed.positional.as_slice() else {
        return Output::fail("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.");
    };
    let mut out = Output::default();
    let (typed, name) = match target.split_once('/') {
        Some((t, n)) => (t, n),
        None => (target.as_str(), ""),
    };
    let rt = (typed != "*")
        .then(|| {
            console
                .cluster
                .registry()
                .resolve(&typed.to_ascii_lowercase())
                .cloned()
        })
        .flatten();
    if rt.is_none() && typed != "*" {
        out.err(format!(
            "Warning: the server doesn't have a resource type '{typed}'"
        ));
    }
    let all = parsed.bool("all-namespaces");
    if let Some(rt) = rt.as_ref().filter(|rt| !rt.namespaced && !all) {
        match rt.group.as_str() {
            "" => out.err(format!(
                "Warning: resource '{}' is not namespace scoped",
                rt.plural
            )),
            g => out.err(format!(
                "Warning: resource '{}' is not namespace scoped in group '{g}'",
                rt.plural
            )),
        }
    }
    if !KNOWN_VERBS.contains(&verb.as_str()) {
        out.err(format!("Warning: verb '{verb}' is not a known verb"));
    }
    let mut resource = rt
        .as_ref()
        .map_or(typed.to_string(), |rt| rt.plural.clone());
    if let Some(sub) = parsed.get("subresource") {
        resource = format!("{resource}/{sub}");
    }
    let req = Request {
        verb: verb.clone(),
        group: rt.as_ref().map(|rt| rt.group.clone()).unwrap_or_default(),
        resource,
        name: name.to_string(),
        namespace: if all {
            String::new()
        } else {
            namespace_of(console, &parsed)
        },
    };
    let yes = match Subject::from_flags(&parsed) {
        None => true,
        Some(subject) => allowed(console, &subject, &req),
    };
    if !parsed.bool("quiet") {
        out.out(if yes { "yes\n" } else { "no\n" });
    }
    if !yes {
        out.status = 1;
    }
    out
}
