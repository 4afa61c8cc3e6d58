//! `kubectl explain`: the documentation of a kind and its top-level fields, for the kinds
//! a learner meets. The texts are the API's own descriptions (abridged to their first
//! sentence, as the OpenAPI schema words them).

use crate::sim::resources::ResourceType;

/// A documented field: name, type, description.
type Field = (&'static str, &'static str, &'static str);

/// (kind, description, fields) of the kinds we document.
const DOCS: &[(&str, &str, &[Field])] = &[
    ("Pod", "Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.", &[
        ("spec", "PodSpec", "Specification of the desired behavior of the pod."),
        ("status", "PodStatus", "Most recently observed status of the pod. This data may not be up to date."),
    ]),
    ("Deployment", "Deployment enables declarative updates for Pods and ReplicaSets.", &[
        ("spec", "DeploymentSpec", "Specification of the desired behavior of the Deployment."),
        ("status", "DeploymentStatus", "Most recently observed status of the Deployment."),
    ]),
    ("ReplicaSet", "ReplicaSet ensures that a specified number of pod replicas are running at any given time.", &[
        ("spec", "ReplicaSetSpec", "Spec defines the specification of the desired behavior of the ReplicaSet."),
        ("status", "ReplicaSetStatus", "Status is the most recently observed status of the ReplicaSet."),
    ]),
    ("DaemonSet", "DaemonSet represents the configuration of a daemon set.", &[
        ("spec", "DaemonSetSpec", "The desired behavior of this daemon set."),
        ("status", "DaemonSetStatus", "The current status of this daemon set."),
    ]),
    ("StatefulSet", "StatefulSet represents a set of pods with consistent identities. Identities are defined as:\n  - Network: A single stable DNS and hostname.\n  - Storage: As many VolumeClaims as requested.\n\nThe StatefulSet guarantees that a given network identity will always map to the same storage identity.", &[
        ("spec", "StatefulSetSpec", "Spec defines the desired identities of pods in this set."),
        ("status", "StatefulSetStatus", "Status is the current status of Pods in this StatefulSet."),
    ]),
    ("Service", "Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.", &[
        ("spec", "ServiceSpec", "Spec defines the behavior of a service."),
        ("status", "ServiceStatus", "Most recently observed status of the service."),
    ]),
    ("Job", "Job represents the configuration of a single job.", &[
        ("spec", "JobSpec", "Specification of the desired behavior of a job."),
        ("status", "JobStatus", "Current status of a job."),
    ]),
    ("ConfigMap", "ConfigMap holds configuration data for pods to consume.", &[
        ("binaryData", "map[string]string", "BinaryData contains the binary data."),
        ("data", "map[string]string", "Data contains the configuration data."),
        ("immutable", "boolean", "Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified)."),
    ]),
    ("Secret", "Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.", &[
        ("data", "map[string]string", "Data contains the secret data."),
        ("immutable", "boolean", "Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified)."),
        ("stringData", "map[string]string", "stringData allows specifying non-binary secret data in string form."),
        ("type", "string", "Used to facilitate programmatic handling of secret data."),
    ]),
    ("Namespace", "Namespace provides a scope for Names. Use of multiple namespaces is optional.", &[
        ("spec", "NamespaceSpec", "Spec defines the behavior of the Namespace."),
        ("status", "NamespaceStatus", "Status describes the current status of a Namespace."),
    ]),
    ("Node", "Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).", &[
        ("spec", "NodeSpec", "Spec defines the behavior of a node."),
        ("status", "NodeStatus", "Most recently observed status of the node."),
    ]),
    ("Ingress", "Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend. An Ingress can be configured to give services externally-reachable urls, load balance traffic, terminate SSL, offer name based virtual hosting etc.", &[
        ("spec", "IngressSpec", "spec is the desired state of the Ingress."),
        ("status", "IngressStatus", "status is the current state of the Ingress."),
    ]),
];

const COMMON: &[Field] = &[
    (
        "apiVersion",
        "string",
        "APIVersion defines the versioned schema of this representation of an object.",
    ),
    (
        "kind",
        "string",
        "Kind is a string value representing the REST resource this object represents.",
    ),
    ("metadata", "ObjectMeta", "Standard object's metadata."),
];

pub fn explain(rt: &ResourceType, field_path: &[&str]) -> Result<String, String> {
    let Some((_, description, fields)) = DOCS.iter().find(|(k, _, _)| *k == rt.kind) else {
        return Err(format!(
            "kubesim: no documentation for {} is bundled yet",
            rt.kind
        ));
    };
    if let Some(first) = field_path.first() {
        return Err(format!(
            "kubesim: field documentation (\"{}.{first}\") is not bundled yet",
            rt.plural
        ));
    }
    let mut all: Vec<&Field> = COMMON.iter().chain(fields.iter()).collect();
    all.sort_by_key(|f| f.0);
    let mut out = format!(
        "GROUP:      {}\nKIND:       {}\nVERSION:    {}\n\nDESCRIPTION:\n",
        rt.group, rt.kind, rt.versions[0]
    );
    if rt.group.is_empty() {
        out = format!(
            "KIND:       {}\nVERSION:    {}\n\nDESCRIPTION:\n",
            rt.kind, rt.versions[0]
        );
    }
    for line in description.lines() {
        out.push_str(&format!("    {line}\n"));
    }
    out.push_str("    \nFIELDS:\n");
    for (name, ty, desc) in all {
        out.push_str(&format!("  {name}\t<{ty}>\n    {desc}\n\n"));
    }
    Ok(out)
}
