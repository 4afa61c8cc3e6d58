//! stub

use crate::sim::cluster::Cluster;

pub fn reconcile(cluster: &mut Cluster) {
    let _ = cluster;
}

pub fn wake(cluster: &mut Cluster, key: &str) {
    let _ = (cluster, key);
}
