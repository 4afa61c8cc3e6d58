//! The PersistentVolume controller (pkg/controller/volume/persistentvolume) and kind's
//! `standard` StorageClass provisioner (rancher.io/local-path).
//!
//! Claims bind to matching Available volumes (class, access modes, capacity). Claims of
//! a `WaitForFirstConsumer` class stay Pending until a pod using them is on a node; then
//! the local-path provisioner creates `pvc-<claim uid>` under /var/local-path-provisioner
//! pinned to that node, and the claim binds. Claims and volumes carry the
//! `kubernetes.io/pvc-protection` / `kubernetes.io/pv-protection` finalizers: a claim in
//! use by a pod is only removed once no pod uses it, and a `Delete` volume goes with its
//! claim.

use crate::sim::apiserver::{DeleteOptions, WriteOptions};
use crate::sim::cluster::Cluster;
use crate::sim::events::EventSource;
use crate::sim::json::json;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::sort::SharedSort;
use crate::sim::time::rfc3339;
use serde_json::Value;

const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
const PV_PROTECTION: &str = "kubernetes.io/pv-protection";
const LOCAL_PATH: &str = "rancher.io/local-path";
/// The provisioner's identity in its events, as kind's local-path-provisioner reports it.
const PROVISIONER_SOURCE: &str = "rancher.io/local-path_local-path-provisioner-7dc846544d-kq7ts_4b1e9a47-3a0b-4c1f-9a58-6f0e3c2d9b10";

fn actor() -> Component {
    Component::ControllerManager("persistentvolume-binder".into())
}

fn rt(cluster: &Cluster, name: &str) -> ResourceType {
    cluster
        .registry
        .resolve(name)
        .expect("built-in resource")
        .clone()
}

pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.controllers.volume_cursor;
    let relevant = cluster.store.events_since(cursor).iter().any(|e| {
        matches!(
            (
                e.key.resource.group.as_str(),
                e.key.resource.resource.as_str()
            ),
            ("", "persistentvolumeclaims")
                | ("", "persistentvolumes")
                | ("storage.k8s.io", "storageclasses")
        ) || (e.key.resource.group.is_empty()
            && e.key.resource.resource == "pods"
            // Only pods that mount claims matter here (pvc-protection's pod handler).
            && !claims_of(&e.object).is_empty())
    });
    cluster.controllers.volume_cursor = cluster.store.revision();
    if relevant {
        sync_all(cluster);
    }
}

pub fn wake(cluster: &mut Cluster, _key: &str) {
    sync_all(cluster);
}

/// The claim names a pod mounts (`persistentVolumeClaim` volumes).
fn claims_of(pod: &Value) -> Vec<String> {
    object::at(pod, "/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| object::at(v, "/persistentVolumeClaim/claimName").and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}

fn pod_active(pod: &Value) -> bool {
    !matches!(object::str_at(pod, "/status/phase"), "Succeeded" | "Failed")
}

/// The node a pod must run on because a claim it mounts is bound to a volume pinned to
/// that node (local-path volumes): for the scheduler's VolumeBinding check.
pub fn pvc_node_constraint(cluster: &Cluster, pod: &Value) -> Option<String> {
    let pvc_rt = cluster.registry.resolve("persistentvolumeclaims")?;
    let pv_rt = cluster.registry.resolve("persistentvolumes")?;
    let ns = object::namespace(pod);
    for claim in claims_of(pod) {
        let Ok(pvc) = cluster.get(pvc_rt, ns, &claim) else {
            continue;
        };
        let volume = object::str_at(pvc, "/spec/volumeName");
        if volume.is_empty() {
            continue;
        }
        let Ok(pv) = cluster.get(pv_rt, "", volume) else {
            continue;
        };
        let terms = object::at(pv, "/spec/nodeAffinity/required/nodeSelectorTerms")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for t in terms {
            for e in t
                .get("matchExpressions")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
            {
                if object::str_at(&e, "/key") == "kubernetes.io/hostname"
                    && object::str_at(&e, "/operator") == "In"
                {
                    if let Some(n) = object::at(&e, "/values/0").and_then(Value::as_str) {
                        return Some(n.to_string());
                    }
                }
            }
        }
    }
    None
}

/// Whether the kubelet can mount every claim of `pod`: `Err` carries the reason (the
/// kubelet keeps the pod in ContainerCreating and reports it).
pub fn pod_volumes_ready(cluster: &Cluster, pod: &Value) -> Result<(), String> {
    let Some(pvc_rt) = cluster.registry.resolve("persistentvolumeclaims") else {
        return Ok(());
    };
    let ns = object::namespace(pod);
    for claim in claims_of(pod) {
        let Ok(pvc) = cluster.get(pvc_rt, ns, &claim) else {
            return Err(format!("persistentvolumeclaim \"{claim}\" not found"));
        };
        if object::is_deleting(pvc) {
            return Err(format!(
                "persistentvolumeclaim \"{claim}\" is being deleted"
            ));
        }
        if object::str_at(pvc, "/status/phase") != "Bound" {
            return Err(format!(
                "error processing PVC {ns}/{claim}: PVC is not bound"
            ));
        }
    }
    Ok(())
}

fn has_finalizer(obj: &Value, f: &str) -> bool {
    object::at(obj, "/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|x| x == f))
}

fn without_finalizer(obj: &Value, f: &str) -> Value {
    let mut o = obj.clone();
    if let Some(a) = o
        .pointer_mut("/metadata/finalizers")
        .and_then(Value::as_array_mut)
    {
        a.retain(|x| x != f);
        if a.is_empty() {
            object::meta_mut(&mut o).remove("finalizers");
        }
    }
    o
}

fn with_finalizer(obj: &Value, f: &str) -> Value {
    let mut o = obj.clone();
    let meta = object::meta_mut(&mut o);
    let fs = meta.entry("finalizers").or_insert_with(|| json!([]));
    if let Some(a) = fs.as_array_mut() {
        a.push(json!(f));
    }
    o
}

/// Removes a finalizer; an object being deleted with none left is gone.
fn drop_finalizer(cluster: &mut Cluster, t: &ResourceType, obj: &Value, f: &str) {
    let o = without_finalizer(obj, f);
    if object::is_deleting(&o) && object::at(&o, "/metadata/finalizers").is_none() {
        cluster.remove(t, &o, &actor());
    } else {
        cluster.write_through_unread(t, o, actor());
    }
}

fn emit(cluster: &mut Cluster, obj: &Value, kind: &str, reason: &str, message: &str, source: &str) {
    cluster.emit_event(
        obj,
        kind,
        reason,
        message,
        &EventSource::component(source),
        actor(),
    );
}

fn storage_request(pvc: &Value) -> String {
    object::str_at(pvc, "/spec/resources/requests/storage").to_string()
}

/// Bytes in a quantity (`1Gi`, `500Mi`, `2G`), for capacity comparisons.
fn quantity_bytes(q: &str) -> Option<f64> {
    let units: [(&str, f64); 12] = [
        ("Ki", 1024f64),
        ("Mi", 1024f64.powi(2)),
        ("Gi", 1024f64.powi(3)),
        ("Ti", 1024f64.powi(4)),
        ("Pi", 1024f64.powi(5)),
        ("Ei", 1024f64.powi(6)),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    for (suffix, mult) in units {
        if let Some(n) = q.strip_suffix(suffix) {
            return n.parse::<f64>().ok().map(|v| v * mult);
        }
    }
    q.parse().ok()
}

fn string_list(v: &Value, p: &str) -> Vec<String> {
    object::at(v, p)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

fn sync_all(cluster: &mut Cluster) {
    let pvc_rt = rt(cluster, "persistentvolumeclaims");
    let pv_rt = rt(cluster, "persistentvolumes");
    let pods_rt = rt(cluster, "pods");
    let sc_rt = rt(cluster, "storageclasses");
    let pvcs: Vec<Value> = cluster.list(&pvc_rt, None).into_iter().cloned().collect();
    let pods: Vec<Value> = cluster
        .list(&pods_rt, None)
        .into_iter()
        .filter(|p| pod_active(p))
        .cloned()
        .collect();
    for pvc in pvcs {
        let (ns, name) = (
            object::namespace(&pvc).to_string(),
            object::name(&pvc).to_string(),
        );
        let users: Vec<&Value> = pods
            .iter()
            .filter(|p| object::namespace(p) == ns && claims_of(p).contains(&name))
            .collect();
        if object::is_deleting(&pvc) {
            if users.is_empty() && has_finalizer(&pvc, PVC_PROTECTION) {
                drop_finalizer(cluster, &pvc_rt, &pvc, PVC_PROTECTION);
            }
            continue;
        }
        let pvc = if has_finalizer(&pvc, PVC_PROTECTION) {
            pvc
        } else {
            cluster.write_through(&pvc_rt, with_finalizer(&pvc, PVC_PROTECTION), actor())
        };
        if object::str_at(&pvc, "/status/phase") == "Bound" {
            continue;
        }
        // Retroactive default StorageClass assignment.
        let mut pvc = pvc;
        if object::at(&pvc, "/spec/storageClassName").is_none() {
            let default = cluster
                .list(&sc_rt, None)
                .into_iter()
                .find(|sc| {
                    object::annotation(sc, "storageclass.kubernetes.io/is-default-class")
                        == Some("true")
                })
                .map(|sc| object::name(sc).to_string());
            if let Some(class) = default {
                let mut updated = pvc.clone();
                updated["spec"]["storageClassName"] = json!(class);
                pvc = cluster.write_through(&pvc_rt, updated, actor());
            }
        }
        let class = object::str_at(&pvc, "/spec/storageClassName").to_string();
        if let Some(pv) = find_volume(cluster, &pvc) {
            bind(cluster, &pvc, &pv);
            continue;
        }
        let Ok(sc) = cluster.get(&sc_rt, "", &class).cloned() else {
            if !class.is_empty() {
                let msg = format!("storageclass.storage.k8s.io \"{class}\" not found");
                emit(
                    cluster,
                    &pvc,
                    "Warning",
                    "ProvisioningFailed",
                    &msg,
                    "persistentvolume-controller",
                );
            } else {
                let msg =
                    "no persistent volumes available for this claim and no storage class is set";
                emit(
                    cluster,
                    &pvc,
                    "Normal",
                    "FailedBinding",
                    msg,
                    "persistentvolume-controller",
                );
            }
            continue;
        };
        let node = users
            .iter()
            .map(|p| object::str_at(p, "/spec/nodeName"))
            .find(|n| !n.is_empty())
            .map(str::to_string);
        let wait = object::str_at(&sc, "/volumeBindingMode") == "WaitForFirstConsumer";
        match node {
            None if wait => {
                let msg = "waiting for first consumer to be created before binding";
                if !already_said(cluster, &pvc, "WaitForFirstConsumer") {
                    emit(
                        cluster,
                        &pvc,
                        "Normal",
                        "WaitForFirstConsumer",
                        msg,
                        "persistentvolume-controller",
                    );
                }
            }
            _ if object::str_at(&sc, "/provisioner") == LOCAL_PATH => {
                let node = node.unwrap_or_else(|| "worker-1".to_string());
                provision(cluster, &pvc, &sc, &node);
            }
            _ => {
                let provisioner = object::str_at(&sc, "/provisioner").to_string();
                let msg = format!("Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
                if !already_said(cluster, &pvc, "ExternalProvisioning") {
                    emit(
                        cluster,
                        &pvc,
                        "Normal",
                        "ExternalProvisioning",
                        &msg,
                        "persistentvolume-controller",
                    );
                }
            }
        }
    }
    // Volumes: release or delete those whose claim is gone; finish deletions.
    let pvs: Vec<Value> = cluster.list(&pv_rt, None).into_iter().cloned().collect();
    for pv in pvs {
        let claim_ns = object::str_at(&pv, "/spec/claimRef/namespace").to_string();
        let claim_name = object::str_at(&pv, "/spec/claimRef/name").to_string();
        let claim_uid = object::str_at(&pv, "/spec/claimRef/uid").to_string();
        let claim_alive = !claim_name.is_empty()
            && cluster
                .get(&pvc_rt, &claim_ns, &claim_name)
                .is_ok_and(|c| claim_uid.is_empty() || object::uid(c) == claim_uid);
        if object::is_deleting(&pv) {
            if !claim_alive && has_finalizer(&pv, PV_PROTECTION) {
                drop_finalizer(cluster, &pv_rt, &pv, PV_PROTECTION);
            }
            continue;
        }
        if !has_finalizer(&pv, PV_PROTECTION) {
            cluster.write_through_unread(&pv_rt, with_finalizer(&pv, PV_PROTECTION), actor());
            continue;
        }
        let phase = object::str_at(&pv, "/status/phase").to_string();
        if claim_name.is_empty() {
            if phase != "Available" {
                set_pv_phase(cluster, &pv, "Available");
            }
        } else if !claim_alive && phase == "Bound" {
            if object::str_at(&pv, "/spec/persistentVolumeReclaimPolicy") == "Delete" {
                let opts = DeleteOptions {
                    actor: actor(),
                    ..Default::default()
                };
                let _ = cluster.delete(&pv_rt, "", object::name(&pv), &opts);
            } else {
                set_pv_phase(cluster, &pv, "Released");
            }
        }
    }
}

fn already_said(cluster: &Cluster, pvc: &Value, reason: &str) -> bool {
    let Some(ev) = cluster.registry.resolve("events") else {
        return false;
    };
    let uid = object::uid(pvc);
    cluster
        .list(ev, Some(object::namespace(pvc)))
        .into_iter()
        .any(|e| {
            object::str_at(e, "/involvedObject/uid") == uid
                && object::str_at(e, "/reason") == reason
        })
}

fn set_pv_phase(cluster: &mut Cluster, pv: &Value, phase: &str) {
    let pv_rt = rt(cluster, "persistentvolumes");
    let status = json!({"phase": phase, "lastPhaseTransitionTime": rfc3339(cluster.now)});
    let _ = cluster.update_status(&pv_rt, "", object::name(pv), status, actor());
}

/// An Available volume the claim fits (`findMatchingVolume`), smallest first.
fn find_volume(cluster: &Cluster, pvc: &Value) -> Option<Value> {
    let pv_rt = cluster.registry.resolve("persistentvolumes")?;
    let class = object::str_at(pvc, "/spec/storageClassName");
    let want = quantity_bytes(&storage_request(pvc)).unwrap_or(0.0);
    let modes = string_list(pvc, "/spec/accessModes");
    let named = object::str_at(pvc, "/spec/volumeName");
    let mut fits: Vec<(f64, Value)> = cluster
        .list(pv_rt, None)
        .into_iter()
        .filter(|pv| !object::is_deleting(pv))
        .filter(|pv| named.is_empty() || object::name(pv) == named)
        .filter(|pv| {
            let claim = object::str_at(pv, "/spec/claimRef/name");
            claim.is_empty()
                || (claim == object::name(pvc)
                    && object::str_at(pv, "/spec/claimRef/namespace") == object::namespace(pvc))
        })
        .filter(|pv| object::str_at(pv, "/spec/storageClassName") == class)
        .filter(|pv| {
            let have = string_list(pv, "/spec/accessModes");
            modes.iter().all(|m| have.contains(m))
        })
        .filter_map(|pv| {
            let cap = quantity_bytes(object::str_at(pv, "/spec/capacity/storage"))?;
            (cap >= want).then(|| (cap, pv.clone()))
        })
        .collect();
    fits.sort_shared_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    fits.into_iter().next().map(|(_, pv)| pv)
}

fn bind(cluster: &mut Cluster, pvc: &Value, pv: &Value) {
    let pv_rt = rt(cluster, "persistentvolumes");
    let pvc_rt = rt(cluster, "persistentvolumeclaims");
    let (ns, name) = (
        object::namespace(pvc).to_string(),
        object::name(pvc).to_string(),
    );
    let mut pv = pv.clone();
    if object::str_at(&pv, "/spec/claimRef/uid") != object::uid(pvc) {
        pv["spec"]["claimRef"] = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": name, "namespace": ns,
            "resourceVersion": object::str_at(pvc, "/metadata/resourceVersion"), "uid": object::uid(pvc)});
        object::set_annotation(&mut pv, "pv.kubernetes.io/bound-by-controller", "yes");
        pv = cluster.write_through(&pv_rt, pv, actor());
    }
    let now = rfc3339(cluster.now);
    let _ = cluster.update_status(
        &pv_rt,
        "",
        object::name(&pv),
        json!({"phase": "Bound", "lastPhaseTransitionTime": now}),
        actor(),
    );
    let Ok(current) = cluster.get(&pvc_rt, &ns, &name) else {
        return;
    };
    let mut claim = current.clone();
    claim["spec"]["volumeName"] = json!(object::name(&pv));
    object::set_annotation(&mut claim, "pv.kubernetes.io/bind-completed", "yes");
    if object::annotation(&pv, "pv.kubernetes.io/provisioned-by").is_none() {
        object::set_annotation(&mut claim, "pv.kubernetes.io/bound-by-controller", "yes");
    }
    cluster.write_through_unread(&pvc_rt, claim, actor());
    let status = json!({"phase": "Bound", "accessModes": object::at(&pv, "/spec/accessModes").cloned().unwrap_or(json!([])),
        "capacity": object::at(&pv, "/spec/capacity").cloned().unwrap_or(json!({}))});
    let _ = cluster.update_status(&pvc_rt, &ns, &name, status, actor());
}

/// kind's local-path-provisioner: a hostPath volume on the consumer's node.
fn provision(cluster: &mut Cluster, pvc: &Value, sc: &Value, node: &str) {
    let pvc_rt = rt(cluster, "persistentvolumeclaims");
    let pv_rt = rt(cluster, "persistentvolumes");
    let (ns, name, uid) = (
        object::namespace(pvc).to_string(),
        object::name(pvc).to_string(),
        object::uid(pvc).to_string(),
    );
    let provisioner = object::str_at(sc, "/provisioner").to_string();
    // A claim asking for no valid size cannot become a PersistentVolume: say so once and
    // wait for the claim to change (provisioning again at once, on the claim this very
    // step rewrote, looped without end; found by `make fuzz`).
    let size = storage_request(pvc);
    if crate::sim::admission::quantity::canonicalize(&size).is_err() {
        if !already_said(cluster, pvc, "ProvisioningFailed") {
            let message = format!(
                "failed to provision volume with StorageClass \"{}\": claim {ns}/{name} requests no valid storage size ({size:?})",
                object::name(sc)
            );
            emit(
                cluster,
                pvc,
                "Warning",
                "ProvisioningFailed",
                &message,
                PROVISIONER_SOURCE,
            );
        }
        return;
    }
    // The scheduler's pick and the controller's hand-over annotations.
    let mut claim = pvc.clone();
    object::set_annotation(
        &mut claim,
        "volume.beta.kubernetes.io/storage-provisioner",
        &provisioner,
    );
    object::set_annotation(
        &mut claim,
        "volume.kubernetes.io/storage-provisioner",
        &provisioner,
    );
    object::set_annotation(&mut claim, "volume.kubernetes.io/selected-node", node);
    let claim = cluster.write_through(&pvc_rt, claim, actor());
    let msg = format!("Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
    emit(
        cluster,
        &claim,
        "Normal",
        "ExternalProvisioning",
        &msg,
        "persistentvolume-controller",
    );
    emit(
        cluster,
        &claim,
        "Normal",
        "Provisioning",
        &format!("External provisioner is provisioning volume for claim \"{ns}/{name}\""),
        PROVISIONER_SOURCE,
    );
    let pv_name = format!("pvc-{uid}");
    let reclaim = match object::str_at(sc, "/reclaimPolicy") {
        "" => "Delete",
        r => r,
    };
    let pv = json!({"apiVersion": "v1", "kind": "PersistentVolume",
        "metadata": {"name": pv_name, "annotations": {"local.path.provisioner/selected-node": node, "pv.kubernetes.io/provisioned-by": provisioner},
            "finalizers": [PV_PROTECTION]},
        "spec": {
            "accessModes": object::at(&claim, "/spec/accessModes").cloned().unwrap_or(json!(["ReadWriteOnce"])),
            "capacity": {"storage": storage_request(&claim)},
            "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": name, "namespace": ns,
                "resourceVersion": object::str_at(&claim, "/metadata/resourceVersion"), "uid": uid},
            "hostPath": {"path": format!("/var/local-path-provisioner/{pv_name}_{ns}_{name}"), "type": "DirectoryOrCreate"},
            "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}},
            "persistentVolumeReclaimPolicy": reclaim,
            "storageClassName": object::name(sc),
            "volumeMode": "Filesystem"}});
    let pv_actor = Component::ControllerManager("local-path-provisioner".into());
    match cluster.create(
        &pv_rt,
        pv,
        "",
        &WriteOptions {
            actor: pv_actor,
            ..Default::default()
        },
    ) {
        Ok(pv) => {
            emit(
                cluster,
                &claim,
                "Normal",
                "ProvisioningSucceeded",
                &format!("Successfully provisioned volume {pv_name}"),
                PROVISIONER_SOURCE,
            );
            bind(cluster, &claim, &pv);
        }
        Err(e) => emit(
            cluster,
            &claim,
            "Warning",
            "ProvisioningFailed",
            &e.to_string(),
            PROVISIONER_SOURCE,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::cluster::ClusterOptions;

    fn quiet_cluster() -> Cluster {
        let mut c = Cluster::new(ClusterOptions::default());
        for n in ["control-plane", "worker-1", "worker-2", "worker-3"] {
            c.controllers.stopped_kubelets.insert(n.to_string());
        }
        c
    }

    fn create(c: &mut Cluster, res: &str, obj: Value) {
        let t = rt(c, res);
        c.create(&t, obj, "default", &WriteOptions::default())
            .expect("valid");
        c.settle();
    }

    #[test]
    fn wait_for_first_consumer_then_local_path_provisioning() {
        let mut c = quiet_cluster();
        create(
            &mut c,
            "pvc",
            json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}),
        );
        let pvc_rt = rt(&c, "pvc");
        let pvc = c.get(&pvc_rt, "default", "data").expect("pvc").clone();
        assert_eq!(object::str_at(&pvc, "/status/phase"), "Pending");
        assert_eq!(object::str_at(&pvc, "/spec/storageClassName"), "standard");
        assert!(has_finalizer(&pvc, PVC_PROTECTION));
        assert!(already_said(&c, &pvc, "WaitForFirstConsumer"));
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "user"},
            "spec": {"nodeName": "worker-2", "containers": [{"name": "c", "image": "busybox"}],
                "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]}});
        assert!(pod_volumes_ready(&c, &pod).is_err());
        create(&mut c, "pods", pod.clone());
        let pvc = c.get(&pvc_rt, "default", "data").expect("pvc").clone();
        assert_eq!(object::str_at(&pvc, "/status/phase"), "Bound");
        assert_eq!(object::str_at(&pvc, "/status/capacity/storage"), "1Gi");
        let pv_name = format!("pvc-{}", object::uid(&pvc));
        assert_eq!(object::str_at(&pvc, "/spec/volumeName"), pv_name);
        let pod = c
            .get(&rt(&c, "pods"), "default", "user")
            .expect("pod")
            .clone();
        assert_eq!(pvc_node_constraint(&c, &pod).as_deref(), Some("worker-2"));
        assert!(pod_volumes_ready(&c, &pod).is_ok());
        // Deleting the claim waits for the pod; then the Delete-policy volume goes too.
        let del = DeleteOptions::default();
        c.delete(&pvc_rt, "default", "data", &del).expect("delete");
        c.settle();
        assert!(c
            .get(&pvc_rt, "default", "data")
            .is_ok_and(object::is_deleting));
        c.delete(
            &rt(&c, "pods"),
            "default",
            "user",
            &DeleteOptions {
                grace_period_seconds: Some(0),
                ..Default::default()
            },
        )
        .expect("pod");
        c.settle();
        assert!(c.get(&pvc_rt, "default", "data").is_err());
        assert!(c.get(&rt(&c, "pv"), "", &pv_name).is_err());
    }

    #[test]
    fn static_volumes_bind_by_class_modes_and_size() {
        let mut c = quiet_cluster();
        for (name, size) in [("small", "1Gi"), ("big", "10Gi")] {
            create(
                &mut c,
                "pv",
                json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name},
                "spec": {"storageClassName": "manual", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": size}, "hostPath": {"path": "/mnt/data"}}}),
            );
        }
        create(
            &mut c,
            "pvc",
            json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "claim"},
            "spec": {"storageClassName": "manual", "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "3Gi"}}}}),
        );
        let pvc = c
            .get(&rt(&c, "pvc"), "default", "claim")
            .expect("pvc")
            .clone();
        assert_eq!(object::str_at(&pvc, "/spec/volumeName"), "big");
        assert_eq!(object::str_at(&pvc, "/status/phase"), "Bound");
        let small = c.get(&rt(&c, "pv"), "", "small").expect("pv");
        assert_eq!(object::str_at(small, "/status/phase"), "Available");
    }
}
