//! Envoy Gateway as the default cluster ships it, the way its quickstart installs it
//! (`helm install eg oci://docker.io/envoyproxy/gateway-helm -n envoy-gateway-system`):
//! the Gateway API and Envoy Gateway CRDs, namespace `envoy-gateway-system`, the
//! controller Deployment `envoy-gateway`, and the GatewayClass `eg` it has accepted.
//!
//! Like ingress-nginx's install, everything is created with a random stream of its own
//! and the controller pod runs on the control-plane node (a toleration and the
//! `ingress-ready` node label), so the names, UIDs and addresses the rest of the cluster
//! draws are the same as in a cluster without it.

use super::crds;
use crate::sim::bootstrap::{self, NodeSpec};
use crate::sim::ipam::PodIpam;
use crate::sim::json::json;
use crate::sim::rng::Rng;
use crate::sim::time::rfc3339;
use crate::sim::Cluster;
use serde_json::Value;

pub const VERSION: &str = "v1.9.0";
pub const IMAGE: &str = "docker.io/envoyproxy/gateway:v1.9.0";
/// `DefaultEnvoyProxyImage` of Envoy Gateway v1.9.0 (`api/v1alpha1/shared_types.go`).
pub const ENVOY_IMAGE: &str = "docker.io/envoyproxy/envoy:distroless-v1.39.0";
pub const NAMESPACE: &str = "envoy-gateway-system";
pub const NAME: &str = "envoy-gateway";
pub const CLASS: &str = "eg";

fn labels() -> Value {
    json!({"control-plane": "envoy-gateway", "app.kubernetes.io/instance": "eg",
        "app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/name": "gateway-helm",
        "app.kubernetes.io/version": VERSION, "helm.sh/chart": format!("gateway-helm-{VERSION}")})
}

fn selector() -> Value {
    json!({"control-plane": "envoy-gateway", "app.kubernetes.io/instance": "eg", "app.kubernetes.io/name": "gateway-helm"})
}

/// Installs the CRDs, the controller on `cp` (its pod taking the next address of `ipam`)
/// and the GatewayClass `eg`.
pub fn default_controller(cluster: &mut Cluster, cp: &NodeSpec, ipam: &mut PodIpam) {
    let own = Rng::new(cluster.options.seed ^ 0x656e_766f_7967_7721);
    let saved = std::mem::replace(&mut cluster.rng, own);
    install(cluster, cp, ipam);
    cluster.rng = saved;
}

fn install(cluster: &mut Cluster, cp: &NodeSpec, ipam: &mut PodIpam) {
    let create = bootstrap::create;
    for crd in crds::all() {
        create(cluster, crd);
    }
    create(
        cluster,
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}),
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
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": NAME, "namespace": NAMESPACE, "labels": labels()}}),
    );
    create(
        cluster,
        json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "envoy-gateway-config", "namespace": NAMESPACE, "labels": labels()},
            "data": {"envoy-gateway.yaml": "apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: EnvoyGateway\ngateway:\n  controllerName: gateway.envoyproxy.io/gatewayclass-controller\nlogging:\n  level:\n    default: info\nprovider:\n  kubernetes:\n    rateLimitDeployment:\n      patch:\n        type: StrategicMerge\n        value:\n          spec:\n            template:\n              spec:\n                containers:\n                - imagePullPolicy: IfNotPresent\n                  name: envoy-ratelimit\n  type: Kubernetes\n"}}),
    );
    let pod = deployment(cluster, cp);
    bootstrap::run_on_control_plane(cluster, &pod, cp, ipam);
    let class = create(
        cluster,
        json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
            "metadata": {"name": CLASS},
            "spec": {"controllerName": super::CONTROLLER_NAME}}),
    );
    let status = super::status::class_status(&class, None, &rfc3339(cluster.now()));
    bootstrap::set_status(cluster, &class, status);
}

/// The Deployment, its ReplicaSet and its one pod (returned, not yet running).
fn deployment(cluster: &mut Cluster, cp: &NodeSpec) -> Value {
    let template = json!({
        "metadata": {"labels": selector()},
        "spec": {
            "containers": [{"name": "envoy-gateway", "image": IMAGE, "imagePullPolicy": "IfNotPresent",
                "args": ["server", "--config-path=/config/envoy-gateway.yaml"],
                "env": [{"name": "ENVOY_GATEWAY_NAMESPACE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}},
                    {"name": "KUBERNETES_CLUSTER_DOMAIN", "value": "cluster.local"}],
                "ports": [{"containerPort": 18000, "name": "grpc", "protocol": "TCP"},
                    {"containerPort": 18001, "name": "ratelimit", "protocol": "TCP"},
                    {"containerPort": 18002, "name": "wasm", "protocol": "TCP"},
                    {"containerPort": 19001, "name": "metrics", "protocol": "TCP"}],
                "resources": {"limits": {"memory": "1024Mi"}, "requests": {"cpu": "100m", "memory": "256Mi"}}}],
            "dnsPolicy": "ClusterFirst",
            "nodeSelector": {super::super::ingress::install::READY_LABEL: "true", "kubernetes.io/os": "linux"},
            "serviceAccountName": NAME,
            "terminationGracePeriodSeconds": 10,
            "tolerations": [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane", "operator": "Equal"}],
        },
    });
    bootstrap::preinstalled_deployment(
        cluster,
        cp,
        (NAME, NAMESPACE),
        labels(),
        selector(),
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}),
        template,
    )
}
