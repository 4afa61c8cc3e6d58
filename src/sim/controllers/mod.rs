//! kube-controller-manager's controllers, each a reconciler in its own module reading the
//! watch log from its own cursor, as informers do.
//!
//! [`run`] gives every controller one turn over what changed since its last turn and says
//! whether any of them wrote something (the cluster then settles again).

pub mod namespace;
pub mod serviceaccount;

use super::cluster::Cluster;

/// Each controller's position in the watch log.
#[derive(Debug, Clone, Default)]
pub struct Controllers {
    pub(crate) serviceaccount_cursor: usize,
}

/// One turn for every controller; true when anything was written.
pub fn run(cluster: &mut Cluster) -> bool {
    let before = cluster.store.revision();
    serviceaccount::reconcile(cluster);
    cluster.store.revision() != before
}
