//! The fixed boxes of the cluster view: the control-plane components (and kubectl, the
//! client) and the node agents, with a one-line role for each so the inspector can
//! explain what was clicked. Nodes, pods and Services come live from the simulation
//! (see `scene`). Pure data, compiled natively too.

/// A control-plane component drawn in the top band.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Component {
    pub name: &'static str,
    /// A few words under the name.
    pub caption: &'static str,
    /// What it does, for the inspector.
    pub role: &'static str,
}

pub const COMPONENTS: [Component; 7] = [
    Component {
        name: "kubectl",
        caption: "you, at the console",
        role: "Not part of the cluster: the client. Every command you type (or Apply in the \
               editor) becomes requests to the API server, exactly as with a real cluster.",
    },
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

/// The outside world, drawn beside the cluster: where requests come from and the cloud's
/// load balancer they may pass. In the order of `packets::OUTSIDE_KEYS`.
pub const OUTSIDE: [Component; 3] = [
    Component {
        name: "your laptop",
        caption: "curl · port-forward",
        role: "Your machine, outside the cluster but on the nodes' network (as with kind): \
               the console's curl runs here, and kubectl port-forward opens its local port \
               here, tunnelled through the API server and the pod's kubelet.",
    },
    Component {
        name: "internet",
        caption: "sim traffic --from internet",
        role: "Clients somewhere on the internet: `sim traffic start --from internet` sends \
               their requests, through the cloud load balancer or straight to a NodePort.",
    },
    Component {
        name: "cloud LB",
        caption: "no LoadBalancer Service",
        role: "The cloud provider's load balancer in front of LoadBalancer Services: it \
               takes the address the cloud-controller-manager assigned (172.18.255.x) and \
               forwards each connection to a node's NodePort, where kube-proxy takes over.",
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
    fn component_names_are_unique() {
        let mut names: Vec<_> = COMPONENTS.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), COMPONENTS.len());
    }
}
