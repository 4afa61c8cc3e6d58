//! The network tools a learner types — on the laptop (`curl`) or inside a pod through
//! `kubectl exec` (what the container's image really holds: busybox's `nslookup` and
//! `wget`, bind's `host`, `dig` and `nslookup`, curl, `cat /etc/resolv.conf`,
//! `hostname`, `env`) — with the real tools' options, output and error wording. They
//! send their requests through the simulated data plane (`sim::network`).

pub mod curl;
pub mod dig;
pub mod host;
pub mod nslookup;
pub mod pod_tools;
pub mod resolver;
pub mod wget;
