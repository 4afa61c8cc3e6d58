//! Programs that run somewhere other than the learner's shell: inside a pod through
//! `kubectl exec` (what the container's image really holds — busybox's `nslookup` and
//! `wget`, bind's `host`, `dig` and `nslookup`, `cat /etc/resolv.conf`, `hostname`,
//! `env`), each printing exactly what the real tool prints.

pub mod dig;
pub mod host;
pub mod nslookup;
pub mod pod_tools;
pub mod resolver;
pub mod wget;
