//! metrics-server as the default cluster ships it: the objects of its v0.8.0
//! `components.yaml` (ServiceAccount, RBAC, the `metrics-server` Service, the Deployment
//! and the APIService `v1beta1.metrics.k8s.io`), with the `--kubelet-insecure-tls` flag
//! that kind's self-signed kubelet certificates need.
//!
//! Its pod runs on the control-plane node (a toleration kubesim adds, like the ingress
//! controller's) so that no worker's pods, addresses or scheduling change. Everything is
//! created with a random stream of its own (derived from the seed), so the names and UIDs
//! the rest of the cluster draws are the same as in a cluster without it; its Service
//! has a fixed ClusterIP in the static band below 10.96.1.0.

use crate::sim::bootstrap::{self, NodeSpec};
use crate::sim::ipam::PodIpam;
use crate::sim::json::json;
use crate::sim::Cluster;
use serde_json::Value;

pub const NAME: &str = "metrics-server";
pub const NAMESPACE: &str = "kube-system";
pub const IMAGE: &str = "registry.k8s.io/metrics-server/metrics-server:v0.8.0";
pub const CLUSTER_IP: &str = "10.96.0.90";
pub const API_SERVICE: &str = "v1beta1.metrics.k8s.io";

fn labels() -> Value {
    json!({"k8s-app": NAME})
}

/// Installs metrics-server on `cp`, its pod taking the next address of `ipam`.
pub fn default_server(cluster: &mut Cluster, cp: &NodeSpec, ipam: &mut PodIpam) {
    bootstrap::with_own_stream(cluster, 0x6d65_7472_6963_7321, |c| install(c, cp, ipam));
}

fn install(cluster: &mut Cluster, cp: &NodeSpec, ipam: &mut PodIpam) {
    let create = bootstrap::create;
    create(
        cluster,
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": NAME, "namespace": NAMESPACE, "labels": labels()}}),
    );
    rbac(cluster);
    let svc = create(
        cluster,
        json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": NAME, "namespace": NAMESPACE, "labels": labels()},
            "spec": {"clusterIP": CLUSTER_IP, "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "selector": labels(),
                "ports": [{"appProtocol": "https", "name": "https", "port": 443, "protocol": "TCP", "targetPort": "https"}]}}),
    );
    let api = create(
        cluster,
        json!({"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService",
            "metadata": {"name": API_SERVICE, "labels": labels()},
            "spec": {"group": "metrics.k8s.io", "groupPriorityMinimum": 100, "insecureSkipTLSVerify": true,
                "service": {"name": NAME, "namespace": NAMESPACE, "port": 443}, "version": "v1beta1", "versionPriority": 100}}),
    );
    let t = crate::sim::time::rfc3339(cluster.now());
    bootstrap::set_status(
        cluster,
        &api,
        json!({"conditions": [{"lastTransitionTime": t, "message": "all checks passed", "reason": "Passed", "status": "True", "type": "Available"}]}),
    );
    let pod = deployment(cluster, cp);
    let (pod, ip) = bootstrap::run_on_control_plane(cluster, &pod, cp, ipam);
    bootstrap::endpoints(
        cluster,
        &svc,
        &[(ip.as_str(), Some(&pod))],
        &[("https", 10250, "TCP")],
        "endpoint-controller",
    );
}

/// The ClusterRoles and bindings of components.yaml.
fn rbac(cluster: &mut Cluster) {
    let create = bootstrap::create;
    create(
        cluster,
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": "system:aggregated-metrics-reader", "labels": {"k8s-app": NAME,
                "rbac.authorization.k8s.io/aggregate-to-admin": "true", "rbac.authorization.k8s.io/aggregate-to-edit": "true",
                "rbac.authorization.k8s.io/aggregate-to-view": "true"}},
            "rules": [{"apiGroups": ["metrics.k8s.io"], "resources": ["pods", "nodes"], "verbs": ["get", "list", "watch"]}]}),
    );
    create(
        cluster,
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": "system:metrics-server", "labels": labels()},
            "rules": [{"apiGroups": [""], "resources": ["nodes/metrics"], "verbs": ["get"]},
                {"apiGroups": [""], "resources": ["pods", "nodes"], "verbs": ["get", "list", "watch"]}]}),
    );
    create(
        cluster,
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": "metrics-server-auth-reader", "namespace": NAMESPACE, "labels": labels()},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "extension-apiserver-authentication-reader"},
            "subjects": [{"kind": "ServiceAccount", "name": NAME, "namespace": NAMESPACE}]}),
    );
    for (name, role) in [
        (
            "metrics-server:system:auth-delegator",
            "system:auth-delegator",
        ),
        ("system:metrics-server", "system:metrics-server"),
    ] {
        create(
            cluster,
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                "metadata": {"name": name, "labels": labels()},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
                "subjects": [{"kind": "ServiceAccount", "name": NAME, "namespace": NAMESPACE}]}),
        );
    }
}

/// The Deployment, its ReplicaSet and its one pod (returned, not yet running).
fn deployment(cluster: &mut Cluster, cp: &NodeSpec) -> Value {
    let template = json!({
        "metadata": {"labels": labels()},
        "spec": {
            "containers": [{"name": NAME, "image": IMAGE, "imagePullPolicy": "IfNotPresent",
                "args": ["--cert-dir=/tmp", "--secure-port=10250",
                    "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
                    "--kubelet-use-node-status-port", "--metric-resolution=15s", "--kubelet-insecure-tls"],
                "livenessProbe": {"failureThreshold": 3, "httpGet": {"path": "/livez", "port": "https", "scheme": "HTTPS"}, "periodSeconds": 10},
                "ports": [{"containerPort": 10250, "name": "https", "protocol": "TCP"}],
                "readinessProbe": {"failureThreshold": 3, "httpGet": {"path": "/readyz", "port": "https", "scheme": "HTTPS"}, "initialDelaySeconds": 20, "periodSeconds": 10},
                "resources": {"requests": {"cpu": "100m", "memory": "200Mi"}},
                "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]},
                    "readOnlyRootFilesystem": true, "runAsNonRoot": true, "runAsUser": 1000,
                    "seccompProfile": {"type": "RuntimeDefault"}},
                "volumeMounts": [{"mountPath": "/tmp", "name": "tmp-dir"}]}],
            "nodeSelector": {"kubernetes.io/os": "linux"},
            "priorityClassName": "system-cluster-critical",
            "serviceAccountName": NAME,
            "tolerations": [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}],
            "volumes": [{"emptyDir": {}, "name": "tmp-dir"}],
        },
    });
    bootstrap::preinstalled_deployment(
        cluster,
        cp,
        (NAME, NAMESPACE),
        labels(),
        labels(),
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0}}),
        template,
    )
}
