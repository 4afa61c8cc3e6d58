//! The ServiceAccount controller and the root-CA publisher: every active namespace gets a
//! `default` ServiceAccount and a `kube-root-ca.crt` ConfigMap, recreated if deleted.

use crate::sim::apiserver::WriteOptions;
use crate::sim::cluster::Cluster;
use crate::sim::json::json;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::store::WatchEventType;

/// The cluster CA certificate every namespace's `kube-root-ca.crt` carries (a fixed,
/// clearly fake PEM: nothing verifies it in a simulation).
pub const ROOT_CA: &str = "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIKubeSimCAwDQYJKoZIhvcNAQELBQAwFTETMBEGA1UEAxMK\na3ViZXJuZXRlczAeFw0yNjAxMDEwMDAwMDBaFw0zNTEyMzAwMDAwMDBaMBUxEzAR\nBgNVBAMTCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIB\n-----END CERTIFICATE-----\n";

pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.controllers.serviceaccount_cursor;
    let mut namespaces = vec![];
    for e in cluster.store.events_since(cursor) {
        let relevant = matches!(
            (
                e.key.resource.group.as_str(),
                e.key.resource.resource.as_str()
            ),
            ("", "namespaces") | ("", "serviceaccounts") | ("", "configmaps")
        );
        if !relevant {
            continue;
        }
        let ns = if e.key.resource.resource == "namespaces" {
            e.key.name.clone()
        } else {
            e.key.namespace.clone()
        };
        if !namespaces.contains(&ns)
            && (e.event_type != WatchEventType::Deleted || e.key.resource.resource != "namespaces")
        {
            namespaces.push(ns);
        }
    }
    cluster.controllers.serviceaccount_cursor = cluster.store.revision();
    for ns in namespaces {
        ensure_defaults(cluster, &ns);
    }
}

fn ensure_defaults(cluster: &mut Cluster, ns: &str) {
    let ns_type = cluster
        .registry
        .resolve("namespaces")
        .expect("built in")
        .clone();
    match cluster.get(&ns_type, "", ns) {
        Ok(n) if !object::is_deleting(n) => {}
        _ => return,
    }
    let sa = cluster
        .registry
        .resolve("serviceaccounts")
        .expect("built in")
        .clone();
    if cluster.get(&sa, ns, "default").is_err() {
        let opts = WriteOptions {
            actor: Component::ControllerManager("serviceaccount".into()),
            ..Default::default()
        };
        let obj = json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": ns}});
        let _ = cluster.create(&sa, obj, ns, &opts);
    }
    let cm = cluster
        .registry
        .resolve("configmaps")
        .expect("built in")
        .clone();
    if cluster.get(&cm, ns, "kube-root-ca.crt").is_err() {
        let opts = WriteOptions {
            actor: Component::ControllerManager("root-ca-cert-publisher".into()),
            ..Default::default()
        };
        let obj = json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "kube-root-ca.crt", "namespace": ns,
                "annotations": {"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."}},
            "data": {"ca.crt": ROOT_CA},
        });
        let _ = cluster.create(&cm, obj, ns, &opts);
    }
}
