//! The cloud-controller-manager's service controller (k8s.io/cloud-provider
//! `controllers/service/controller.go`): a LoadBalancer Service gets a load balancer
//! from the simulated cloud and its address from the pool 172.18.255.200–250 (as kind's
//! cloud-provider-kind or MetalLB would give one), after a few seconds of `<pending>`.
//!
//! As the real controller does, it first records `EnsuringLoadBalancer` and adds the
//! `service.kubernetes.io/load-balancer-cleanup` finalizer; when the cloud has built the
//! balancer it writes `status.loadBalancer.ingress` and records `EnsuredLoadBalancer`. A
//! Service deleted (or changed to another type) has its balancer deleted and the address
//! freed before the finalizer goes (`DeletingLoadBalancer` / `DeletedLoadBalancer`). An
//! empty pool is a cloud error: `SyncLoadBalancerFailed`, retried with back-off.

use crate::sim::events::EventSource;
use crate::sim::json::json;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::store::WatchEventType;
use crate::sim::time::{Millis, SECOND};
use crate::sim::Cluster;
use serde_json::Value;
use std::collections::BTreeMap;

pub const FINALIZER: &str = "service.kubernetes.io/load-balancer-cleanup";
/// The simulated cloud's address pool.
pub const POOL_FIRST: u32 = 0xAC12_FFC8; // 172.18.255.200
pub const POOL_LAST: u32 = 0xAC12_FFFA; // 172.18.255.250
/// How long the cloud takes to build a load balancer.
pub const PROVISION_TIME: Millis = 4 * SECOND;
/// The controller's retry back-off after a failed sync (`minRetryDelay`, `maxRetryDelay`).
const MIN_RETRY: Millis = 5 * SECOND;
const MAX_RETRY: Millis = 300 * SECOND;

#[derive(Debug, Clone, Default)]
pub struct CloudState {
    pub(crate) cursor: u64,
    /// Address → the Service (`namespace/name`, uid) holding it.
    allocated: BTreeMap<u32, (String, String)>,
    /// Services whose balancer is being built: key → (uid, address, ready at).
    building: BTreeMap<String, (String, u32, Millis)>,
    /// Failed syncs waiting to be retried: key → current delay.
    retry: BTreeMap<String, Millis>,
}

impl CloudState {
    /// The address a Service holds, if any.
    pub fn address_of(&self, key: &str) -> Option<String> {
        self.allocated
            .iter()
            .find(|(_, (k, _))| k == key)
            .map(|(ip, _)| crate::sim::ipam::ip_to_string(*ip))
    }
}

fn actor() -> Component {
    Component::CloudControllerManager
}

fn wants_load_balancer(svc: &Value) -> bool {
    object::str_at(svc, "/spec/type") == "LoadBalancer"
        && svc.pointer("/spec/loadBalancerClass").is_none()
}

fn has_finalizer(svc: &Value) -> bool {
    svc.pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|f| f == FINALIZER))
}

/// Reads the Service changes since the last turn and syncs each changed one.
pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.network.cloud.cursor;
    let end = cluster.store.revision();
    if cursor >= end {
        return;
    }
    let mut changed: Vec<String> = vec![];
    for e in cluster.store.events_since(cursor) {
        if e.key.resource.group.is_empty() && e.key.resource.resource == "services" {
            let key = format!("{}/{}", e.key.namespace, e.key.name);
            adopt(&mut cluster.network.cloud, &key, &e.object, e.event_type);
            let interesting = e.event_type == WatchEventType::Deleted
                || wants_load_balancer(&e.object)
                || has_finalizer(&e.object);
            if interesting && !changed.contains(&key) {
                changed.push(key);
            }
        }
    }
    cluster.network.cloud.cursor = end;
    for key in changed {
        sync(cluster, &key);
    }
}

/// A balancer the cloud already has (a Service that came with its address, as the
/// default cluster's ingress-nginx does): its address is taken, not handed out again.
fn adopt(cloud: &mut CloudState, key: &str, svc: &Value, event: WatchEventType) {
    if event == WatchEventType::Deleted || !wants_load_balancer(svc) {
        return;
    }
    let ip = object::str_at(svc, "/status/loadBalancer/ingress/0/ip");
    if let Some(ip) =
        crate::sim::ipam::parse_ip(ip).filter(|ip| (POOL_FIRST..=POOL_LAST).contains(ip))
    {
        cloud
            .allocated
            .entry(ip)
            .or_insert_with(|| (key.to_string(), object::uid(svc).to_string()));
    }
}

/// A timed wake-up: the cloud finished building, or a retry is due.
pub fn wake(cluster: &mut Cluster, key: &str) {
    sync(cluster, key);
}

fn sync(cluster: &mut Cluster, key: &str) {
    let (ns, name) = key.split_once('/').unwrap_or(("", key));
    let rt = super::resource(cluster, "services");
    let Ok(svc) = cluster.get(&rt, ns, name).cloned() else {
        release(cluster, key);
        return;
    };
    let deleting = object::is_deleting(&svc);
    if (!wants_load_balancer(&svc) || deleting) && has_finalizer(&svc) {
        delete_balancer(cluster, &svc, key);
        return;
    }
    if !wants_load_balancer(&svc) || deleting {
        release(cluster, key);
        return;
    }
    let uid = object::uid(&svc).to_string();
    let has_address = svc
        .pointer("/status/loadBalancer/ingress/0/ip")
        .and_then(Value::as_str)
        .is_some_and(|ip| !ip.is_empty());
    if has_address {
        return;
    }
    // The balancer is being built: finish it when the cloud is done.
    if let Some((building_uid, ip, ready_at)) = cluster.network.cloud.building.get(key).cloned() {
        if building_uid == uid && cluster.now() >= ready_at {
            finish(cluster, &svc, key, ip);
        }
        return;
    }
    cluster.record(
        Component::ApiServer,
        actor(),
        "watch",
        format!("service/{name}"),
        format!("watch event service/{name} wants a load balancer"),
    );
    emit(
        cluster,
        &svc,
        "Normal",
        "EnsuringLoadBalancer",
        "Ensuring load balancer",
    );
    let svc = if has_finalizer(&svc) {
        svc
    } else {
        let mut with = svc.clone();
        let meta = object::meta_mut(&mut with);
        let list = meta.entry("finalizers").or_insert_with(|| json!([]));
        if let Some(a) = list.as_array_mut() {
            a.push(json!(FINALIZER));
        }
        cluster.write_through(&rt, with, actor())
    };
    let free =
        (POOL_FIRST..=POOL_LAST).find(|ip| !cluster.network.cloud.allocated.contains_key(ip));
    let Some(ip) = free else {
        let delay = cluster
            .network
            .cloud
            .retry
            .get(key)
            .map(|d| (d * 2).min(MAX_RETRY))
            .unwrap_or(MIN_RETRY);
        cluster.network.cloud.retry.insert(key.to_string(), delay);
        emit(
            cluster,
            &svc,
            "Warning",
            "SyncLoadBalancerFailed",
            "Error syncing load balancer: failed to ensure load balancer: no available addresses in pool 172.18.255.200-172.18.255.250 (51 of 51 allocated)",
        );
        cluster.wake_after(delay, "cloud", key);
        return;
    };
    cluster.network.cloud.retry.remove(key);
    cluster
        .network
        .cloud
        .allocated
        .insert(ip, (key.to_string(), uid.clone()));
    cluster
        .network
        .cloud
        .building
        .insert(key.to_string(), (uid, ip, cluster.now() + PROVISION_TIME));
    cluster.wake_after(PROVISION_TIME, "cloud", key);
}

fn finish(cluster: &mut Cluster, svc: &Value, key: &str, ip: u32) {
    cluster.network.cloud.building.remove(key);
    let rt = super::resource(cluster, "services");
    let address = crate::sim::ipam::ip_to_string(ip);
    let mut status = svc.get("status").cloned().unwrap_or_else(|| json!({}));
    status["loadBalancer"] = json!({"ingress": [{"ip": address, "ipMode": "VIP"}]});
    let _ = cluster.update_status(
        &rt,
        object::namespace(svc),
        object::name(svc),
        status,
        actor(),
    );
    let current = cluster
        .get(&rt, object::namespace(svc), object::name(svc))
        .cloned()
        .unwrap_or_else(|_| svc.clone());
    emit(
        cluster,
        &current,
        "Normal",
        "EnsuredLoadBalancer",
        "Ensured load balancer",
    );
}

fn delete_balancer(cluster: &mut Cluster, svc: &Value, key: &str) {
    let rt = super::resource(cluster, "services");
    let exists = cluster.network.cloud.address_of(key).is_some();
    if exists {
        emit(
            cluster,
            svc,
            "Normal",
            "DeletingLoadBalancer",
            "Deleting load balancer",
        );
    }
    release(cluster, key);
    let mut without = svc.clone();
    if let Some(a) = without
        .pointer_mut("/metadata/finalizers")
        .and_then(Value::as_array_mut)
    {
        a.retain(|f| f != FINALIZER);
        if a.is_empty() {
            object::meta_mut(&mut without).remove("finalizers");
        }
    }
    emit(
        cluster,
        svc,
        "Normal",
        "DeletedLoadBalancer",
        "Deleted load balancer",
    );
    if object::is_deleting(&without) && without.pointer("/metadata/finalizers").is_none() {
        cluster.remove(&rt, &without, &actor());
        return;
    }
    if let Some(st) = without.get_mut("status") {
        st["loadBalancer"] = json!({});
    }
    cluster.write_through_unread(&rt, without, actor());
}

fn release(cluster: &mut Cluster, key: &str) {
    let cloud = &mut cluster.network.cloud;
    cloud.allocated.retain(|_, (k, _)| k != key);
    cloud.building.remove(key);
    cloud.retry.remove(key);
}

fn emit(cluster: &mut Cluster, svc: &Value, kind: &str, reason: &str, message: &str) {
    cluster.emit_event(
        svc,
        kind,
        reason,
        message,
        &EventSource::component("service-controller"),
        actor(),
    );
}
