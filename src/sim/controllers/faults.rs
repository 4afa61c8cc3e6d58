//! Control-plane faults (`sim apiserver|etcd|scheduler|controller-manager down|up`):
//! a stopped component does nothing until it starts again, as on a real cluster.
//!
//! - kube-scheduler down: new pods stay Pending, with no event (nobody looks at them).
//! - kube-controller-manager down: nothing reconciles — no ReplicaSet or pod for a new
//!   Deployment, no endpoints for a new pod, no evictions.
//! - kube-apiserver or etcd down: every component that talks to the API is blind, so the
//!   whole control plane stands still; containers already running keep running and the
//!   data plane keeps forwarding with the rules it has. kubectl's answers are the
//!   console's business (connection refused, or the apiserver's timeout without etcd).
//!
//! Timed wake-ups that fall due while their component is down are kept and delivered
//! when it is up again; its watch cursor makes it catch up on what changed meanwhile,
//! as an informer's re-list does.

use crate::sim::cluster::Cluster;
use crate::sim::messages::Component;

/// A control-plane component `sim` can stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    ApiServer,
    Etcd,
    Scheduler,
    ControllerManager,
}

impl Part {
    pub fn parse(word: &str) -> Option<Part> {
        Some(match word {
            "apiserver" | "kube-apiserver" => Part::ApiServer,
            "etcd" => Part::Etcd,
            "scheduler" | "kube-scheduler" => Part::Scheduler,
            "controller-manager" | "kube-controller-manager" => Part::ControllerManager,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Part::ApiServer => "kube-apiserver",
            Part::Etcd => "etcd",
            Part::Scheduler => "kube-scheduler",
            Part::ControllerManager => "kube-controller-manager",
        }
    }

    fn component(self) -> Component {
        match self {
            Part::ApiServer => Component::ApiServer,
            Part::Etcd => Component::Etcd,
            Part::Scheduler => Component::Scheduler,
            Part::ControllerManager => {
                Component::ControllerManager("kube-controller-manager".into())
            }
        }
    }
}

impl Cluster {
    pub fn is_down(&self, part: Part) -> bool {
        self.controllers.stopped_parts.contains(&part)
    }

    /// Whether the API can be reached and can answer (both the apiserver and etcd up).
    pub fn api_available(&self) -> bool {
        !self.is_down(Part::ApiServer) && !self.is_down(Part::Etcd)
    }

    /// Stops or starts a component; the text `sim` prints.
    pub fn set_part(&mut self, part: Part, up: bool) -> String {
        let changed = if up {
            self.controllers.stopped_parts.remove(&part)
        } else {
            self.controllers.stopped_parts.insert(part)
        };
        let (state, verb) = if up {
            ("running", "start")
        } else {
            ("stopped", "stop")
        };
        if !changed {
            return format!("{} is already {state}", part.name());
        }
        self.record(
            part.component(),
            part.component(),
            verb,
            part.name().to_string(),
            format!("{} {state}", part.name()),
        );
        if up {
            self.redeliver_deferred_wakes();
        }
        format!("{} {state}", part.name())
    }

    /// Whether the reconciler named `controller` may run now.
    pub(crate) fn may_run(&self, controller: &str) -> bool {
        let owner = match controller {
            "scheduler" => Some(Part::Scheduler),
            "kubelet" | "network" | "cloud" | "ingress" | "metrics-server" => None,
            "traffic" => return true,
            _ => Some(Part::ControllerManager),
        };
        self.api_available() && owner.is_none_or(|p| !self.is_down(p))
    }

    /// Keeps a wake-up for a stopped component until it starts again.
    pub(crate) fn defer_wake(&mut self, controller: &'static str, key: &str) {
        self.controllers
            .deferred_wakes
            .push((controller, key.to_string()));
    }

    fn redeliver_deferred_wakes(&mut self) {
        for (controller, key) in std::mem::take(&mut self.controllers.deferred_wakes) {
            self.wake_after(0, controller, key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Cluster, ClusterOptions};

    /// Which reconcilers run with one component stopped.
    #[test]
    fn a_stopped_component_stops_exactly_what_depends_on_it() {
        let cases: &[(Part, &[&str], &[&str])] = &[
            (
                Part::Scheduler,
                &["deployment", "kubelet", "traffic"],
                &["scheduler"],
            ),
            (
                Part::ControllerManager,
                &["scheduler", "kubelet"],
                &["deployment", "taint-eviction", "job"],
            ),
            (
                Part::ApiServer,
                &["traffic"],
                &["scheduler", "kubelet", "deployment", "cloud"],
            ),
            (
                Part::Etcd,
                &["traffic"],
                &["scheduler", "kubelet", "replicaset"],
            ),
        ];
        for (part, running, stopped) in cases {
            let mut cluster = Cluster::new(ClusterOptions::default());
            assert_eq!(
                cluster.set_part(*part, false),
                format!("{} stopped", part.name())
            );
            for c in *running {
                assert!(cluster.may_run(c), "{c} must run with {part:?} down");
            }
            for c in *stopped {
                assert!(!cluster.may_run(c), "{c} must wait with {part:?} down");
            }
            cluster.set_part(*part, true);
            assert!(stopped.iter().all(|c| cluster.may_run(c)));
        }
    }
}
