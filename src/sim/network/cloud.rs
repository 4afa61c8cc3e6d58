//! The cloud-controller-manager's service controller: LoadBalancer Services get an
//! address from the simulated cloud's pool (172.18.255.200–250), like kind's
//! cloud-provider-kind or MetalLB would give them.

use crate::sim::Cluster;

#[derive(Debug, Clone, Default)]
pub struct CloudState {}

pub fn reconcile(cluster: &mut Cluster) {
    let _ = cluster;
}
