//! The default cluster as the page first draws it (design.md §3): control-plane
//! components, the two built-in Services and the four nodes, with a one-line role for
//! each so the inspector can explain what was clicked.
//!
//! This is a static picture until the cluster view goes live; then the same shapes come
//! from the simulation through the console. Pure data, compiled natively too.

/// A control-plane component drawn in the top band.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Component {
    pub name: &'static str,
    /// A few words under the name.
    pub caption: &'static str,
    /// What it does, for the inspector.
    pub role: &'static str,
}

/// A Service drawn between the control plane and the nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Service {
    pub namespace: &'static str,
    pub name: &'static str,
    pub cluster_ip: &'static str,
    pub ports: &'static str,
}

/// A node drawn as a card with its kubelet and kube-proxy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    pub name: &'static str,
    pub internal_ip: &'static str,
    pub pod_cidr: &'static str,
    /// `Some(taint)` for the control-plane node.
    pub taint: Option<&'static str>,
}

pub const COMPONENTS: [Component; 6] = [
    Component {
        name: "kube-apiserver",
        caption: "REST API · watch",
        role: "The front door: every component and every kubectl call reads and writes \
               objects only through it. It validates, defaults and stores them in etcd, \
               and streams changes to watchers.",
    },
    Component {
        name: "etcd",
        caption: "key-value store",
        role: "The cluster's storage. Only the API server talks to it; every write gets a \
               new resourceVersion.",
    },
    Component {
        name: "kube-scheduler",
        caption: "filter → score → bind",
        role: "Watches for pods without a node, filters the nodes that fit, scores the \
               rest and binds the pod to the best one.",
    },
    Component {
        name: "kube-controller-manager",
        caption: "reconcile loops",
        role: "Runs the reconcilers: each watches its kind and changes the cluster until \
               what is matches what was asked for.",
    },
    Component {
        name: "cloud-controller-manager",
        caption: "LoadBalancer IPs",
        role: "Talks to the (simulated) cloud: gives LoadBalancer Services an address \
               from 172.18.255.200–250.",
    },
    Component {
        name: "CoreDNS",
        caption: "kube-dns · 10.96.0.10",
        role: "Answers DNS for the cluster: my-svc.my-namespace.svc.cluster.local \
               resolves to the Service's cluster IP.",
    },
];

pub const SERVICES: [Service; 2] = [
    Service {
        namespace: "default",
        name: "kubernetes",
        cluster_ip: "10.96.0.1",
        ports: "443/TCP",
    },
    Service {
        namespace: "kube-system",
        name: "kube-dns",
        cluster_ip: "10.96.0.10",
        ports: "53/UDP,53/TCP",
    },
];

pub const NODES: [Node; 4] = [
    Node {
        name: "control-plane",
        internal_ip: "172.18.0.2",
        pod_cidr: "10.244.0.0/24",
        taint: Some("node-role.kubernetes.io/control-plane:NoSchedule"),
    },
    Node {
        name: "worker-1",
        internal_ip: "172.18.0.3",
        pod_cidr: "10.244.1.0/24",
        taint: None,
    },
    Node {
        name: "worker-2",
        internal_ip: "172.18.0.4",
        pod_cidr: "10.244.2.0/24",
        taint: None,
    },
    Node {
        name: "worker-3",
        internal_ip: "172.18.0.5",
        pod_cidr: "10.244.3.0/24",
        taint: None,
    },
];

/// The node agents every node card shows, with what they do.
pub const NODE_AGENTS: [(&str, &str); 2] = [
    (
        "kubelet",
        "Runs this node's pods: pulls images, starts containers, runs probes and \
         reports status to the API server.",
    ),
    (
        "kube-proxy",
        "Programs this node's service rules: traffic to a Service's cluster IP is \
         DNAT-ed to one of its ready endpoints.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_have_the_documented_names_addresses_and_pod_ranges() {
        let rows: Vec<_> = NODES
            .iter()
            .map(|n| (n.name, n.internal_ip, n.pod_cidr))
            .collect();
        assert_eq!(
            rows,
            [
                ("control-plane", "172.18.0.2", "10.244.0.0/24"),
                ("worker-1", "172.18.0.3", "10.244.1.0/24"),
                ("worker-2", "172.18.0.4", "10.244.2.0/24"),
                ("worker-3", "172.18.0.5", "10.244.3.0/24"),
            ]
        );
        assert!(NODES[0].taint.is_some());
        assert!(NODES[1..].iter().all(|n| n.taint.is_none()));
    }

    #[test]
    fn component_names_are_unique() {
        let mut names: Vec<_> = COMPONENTS.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), COMPONENTS.len());
    }
}
