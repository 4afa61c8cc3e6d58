//! ingress-nginx as the default cluster ships it, the way kind's ingress guide installs
//! it: namespace `ingress-nginx`, the controller Deployment pinned to the control-plane
//! node (nodeSelector `ingress-ready: "true"`, a toleration for the control-plane taint —
//! so no worker's pods or addresses move), its LoadBalancer Service, and the IngressClass
//! `nginx`, marked as the cluster's default.
//!
//! Everything here is created with a random stream of its own (derived from the seed), so
//! the names, UIDs and addresses the rest of the cluster draws are the same as in a cluster
//! without it. The Service's ClusterIP and NodePorts are fixed (the ClusterIP in the static
//! band below 10.96.1.0 that dynamic allocation never uses), and its load-balancer address
//! is the pool's last, 172.18.255.250, so users' balancers still start at .200.

use crate::sim::bootstrap::{self, NodeSpec};
use crate::sim::ipam::PodIpam;
use crate::sim::json::json;
use crate::sim::rng::Rng;
use crate::sim::Cluster;
use serde_json::Value;

pub const VERSION: &str = "1.15.1";
pub const IMAGE: &str = "registry.k8s.io/ingress-nginx/controller:v1.15.1";
pub const NAMESPACE: &str = "ingress-nginx";
pub const NAME: &str = "ingress-nginx-controller";
pub const CLUSTER_IP: &str = "10.96.0.80";
pub const HTTP_NODE_PORT: i64 = 32080;
pub const HTTPS_NODE_PORT: i64 = 32443;
pub const LOAD_BALANCER_IP: &str = "172.18.255.250";
/// The node label kind's guide puts on the node that runs the controller.
pub const READY_LABEL: &str = "ingress-ready";

fn labels() -> Value {
    json!({"app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx",
        "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/part-of": "ingress-nginx",
        "app.kubernetes.io/version": VERSION})
}

fn selector() -> Value {
    json!({"app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx",
        "app.kubernetes.io/name": "ingress-nginx"})
}

/// Installs the controller on `cp` (the control-plane node), its pod taking the next
/// address of `ipam`.
pub fn default_controller(cluster: &mut Cluster, cp: &NodeSpec, ipam: &mut PodIpam) {
    let own = Rng::new(cluster.options.seed ^ 0x696e_6772_6573_7321);
    let saved = std::mem::replace(&mut cluster.rng, own);
    install(cluster, cp, ipam);
    cluster.rng = saved;
}

fn install(cluster: &mut Cluster, cp: &NodeSpec, ipam: &mut PodIpam) {
    let create = bootstrap::create;
    create(
        cluster,
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE,
            "labels": {"app.kubernetes.io/instance": "ingress-nginx", "app.kubernetes.io/name": "ingress-nginx"}}}),
    );
    // What the ServiceAccount controller and the root-CA publisher give every namespace,
    // made here so that they do not draw from the cluster's stream later.
    create(
        cluster,
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": NAMESPACE}}),
    );
    create(
        cluster,
        json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "kube-root-ca.crt", "namespace": NAMESPACE,
                "annotations": {"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."}},
            "data": {"ca.crt": crate::sim::controllers::serviceaccount::ROOT_CA}}),
    );
    create(
        cluster,
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "ingress-nginx", "namespace": NAMESPACE, "labels": labels()}}),
    );
    create(
        cluster,
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": NAME, "namespace": NAMESPACE, "labels": labels()}}),
    );
    let mut class_labels = labels();
    class_labels["app.kubernetes.io/component"] = json!("controller");
    create(
        cluster,
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
            "metadata": {"name": "nginx", "labels": class_labels,
                "annotations": {super::DEFAULT_CLASS_ANNOTATION: "true"}},
            "spec": {"controller": super::CONTROLLER_CLASS}}),
    );
    let svc = create(
        cluster,
        json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": NAME, "namespace": NAMESPACE, "labels": labels(),
                "finalizers": [crate::sim::network::cloud::FINALIZER]},
            "spec": {"type": "LoadBalancer", "clusterIP": CLUSTER_IP, "externalTrafficPolicy": "Cluster",
                "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "selector": selector(),
                "ports": [
                    {"appProtocol": "http", "name": "http", "port": 80, "protocol": "TCP", "targetPort": "http", "nodePort": HTTP_NODE_PORT},
                    {"appProtocol": "https", "name": "https", "port": 443, "protocol": "TCP", "targetPort": "https", "nodePort": HTTPS_NODE_PORT}]}}),
    );
    let svc = bootstrap::set_status(
        cluster,
        &svc,
        json!({"loadBalancer": {"ingress": [{"ip": LOAD_BALANCER_IP, "ipMode": "VIP"}]}}),
    );
    let pod = deployment(cluster, cp);
    let (pod, ip) = bootstrap::run_on_control_plane(cluster, &pod, cp, ipam);
    bootstrap::endpoints(
        cluster,
        &svc,
        &[(ip.as_str(), Some(&pod))],
        &[("http", 80, "TCP"), ("https", 443, "TCP")],
        "endpoint-controller",
    );
}

/// The Deployment, its ReplicaSet and its one pod (returned, not yet running).
fn deployment(cluster: &mut Cluster, cp: &NodeSpec) -> Value {
    let mut pod_labels = labels();
    pod_labels["app.kubernetes.io/component"] = json!("controller");
    let template = json!({
        "metadata": {"labels": pod_labels},
        "spec": {
            "containers": [{"name": "controller", "image": IMAGE, "imagePullPolicy": "IfNotPresent",
                "args": ["/nginx-ingress-controller", "--election-id=ingress-nginx-leader",
                    "--controller-class=k8s.io/ingress-nginx", "--ingress-class=nginx",
                    "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
                    "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller"],
                "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                    {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
                    {"name": "LD_PRELOAD", "value": "/usr/local/lib/libmimalloc.so"}],
                "ports": [{"containerPort": 80, "name": "http", "protocol": "TCP"},
                    {"containerPort": 443, "name": "https", "protocol": "TCP"}],
                "readinessProbe": {"httpGet": {"path": "/healthz", "port": 10254, "scheme": "HTTP"}, "initialDelaySeconds": 10, "periodSeconds": 10, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
                "resources": {"requests": {"cpu": "100m", "memory": "90Mi"}}}],
            "dnsPolicy": "ClusterFirst",
            "nodeSelector": {READY_LABEL: "true", "kubernetes.io/os": "linux"},
            "serviceAccountName": "ingress-nginx",
            "terminationGracePeriodSeconds": 0,
            "tolerations": [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane", "operator": "Equal"}],
        },
    });
    bootstrap::preinstalled_deployment(
        cluster,
        cp,
        (NAME, NAMESPACE),
        labels(),
        selector(),
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}),
        template,
    )
}
