//! Control-plane messages: every interaction between components (kubectl → apiserver →
//! etcd, watch notifications, the scheduler's bind, the kubelet's status update) recorded
//! with its time, endpoints, verb, object and a one-line human summary. The page animates
//! them; `sim messages` prints them.

use super::time::Millis;
use std::fmt;

/// A component of the cluster (or its user) that sends or receives messages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Component {
    Kubectl,
    ApiServer,
    Etcd,
    Scheduler,
    /// kube-controller-manager, naming the controller inside it (`deployment`, …).
    ControllerManager(String),
    CloudControllerManager,
    CoreDns,
    Kubelet(String),
    KubeProxy(String),
}

impl Component {
    /// The box the page draws this component in (controllers share one box).
    pub fn process(&self) -> String {
        match self {
            Component::ControllerManager(_) => "kube-controller-manager".to_string(),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Component::Kubectl => f.write_str("kubectl"),
            Component::ApiServer => f.write_str("kube-apiserver"),
            Component::Etcd => f.write_str("etcd"),
            Component::Scheduler => f.write_str("kube-scheduler"),
            Component::ControllerManager(c) => write!(f, "{c}-controller"),
            Component::CloudControllerManager => f.write_str("cloud-controller-manager"),
            Component::CoreDns => f.write_str("coredns"),
            Component::Kubelet(node) => write!(f, "kubelet@{node}"),
            Component::KubeProxy(node) => write!(f, "kube-proxy@{node}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub at: Millis,
    pub from: Component,
    pub to: Component,
    /// `create`, `update`, `delete`, `write`, `watch`, `bind`, …
    pub verb: String,
    /// `deployments/web` or `default/pods/web-7c5d-x2lq8`.
    pub object: String,
    pub summary: String,
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.at / 1000;
        write!(
            f,
            "{:02}:{:02}:{:02}.{:03} {} → {}: {}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            self.at % 1000,
            self.from,
            self.to,
            self.summary
        )
    }
}
