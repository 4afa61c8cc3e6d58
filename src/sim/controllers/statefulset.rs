//! The StatefulSet controller (pkg/controller/statefulset): pods `<sts>-<ordinal>` with a
//! stable identity (hostname, subdomain, `statefulset.kubernetes.io/pod-name`), one PVC
//! per ordinal and claim template, OrderedReady or Parallel management, and rolling
//! updates from the highest ordinal down to the partition. Revisions are
//! ControllerRevisions `<sts>-<hash>` holding the template.

use crate::sim::apiserver::{DeleteOptions, WriteOptions};
use crate::sim::cluster::Cluster;
use crate::sim::events::EventSource;
use crate::sim::hash::compute_hash;
use crate::sim::json::json;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn actor() -> Component {
    Component::ControllerManager("statefulset".into())
}

fn rt(cluster: &Cluster, name: &str) -> ResourceType {
    cluster
        .registry
        .resolve(name)
        .expect("built-in resource")
        .clone()
}

pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.controllers.statefulset_cursor;
    let mut dirty: BTreeSet<(String, String)> = BTreeSet::new();
    for e in cluster.store.events_since(cursor) {
        let (group, res) = (
            e.key.resource.group.as_str(),
            e.key.resource.resource.as_str(),
        );
        match (group, res) {
            ("apps", "statefulsets") => {
                dirty.insert((e.key.namespace.clone(), e.key.name.clone()));
            }
            ("", "pods") => {
                if let Some(owner) =
                    object::controller_of(&e.object).filter(|o| o.kind == "StatefulSet")
                {
                    dirty.insert((e.key.namespace.clone(), owner.name));
                }
            }
            _ => {}
        }
    }
    cluster.record_watch(
        cursor,
        Component::ControllerManager("statefulset".into()),
        &[("apps", "statefulsets")],
        false,
    );
    cluster.controllers.statefulset_cursor = cluster.store.revision();
    for (ns, name) in dirty {
        sync(cluster, &ns, &name);
    }
}

/// A timed re-check (minReadySeconds).
pub fn wake(cluster: &mut Cluster, key: &str) {
    if let Some((ns, name)) = key.split_once('/') {
        sync(cluster, ns, name);
    }
}

/// `isRunningAndReady`.
pub fn running_and_ready(pod: &Value) -> bool {
    object::str_at(pod, "/status/phase") == "Running" && pod_ready(pod)
}

pub fn pod_ready(pod: &Value) -> bool {
    object::at(pod, "/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| object::str_at(c, "/type") == "Ready" && object::str_at(c, "/status") == "True")
}

fn ordinal_of(sts_name: &str, pod_name: &str) -> Option<i64> {
    pod_name
        .strip_prefix(sts_name)?
        .strip_prefix('-')?
        .parse()
        .ok()
}

fn int_at(v: &Value, p: &str, default: i64) -> i64 {
    object::at(v, p).and_then(Value::as_i64).unwrap_or(default)
}

/// The name of the PVC for `claim` and `ordinal` (`getPersistentVolumeClaimName`).
pub fn claim_name(claim: &str, sts: &str, ordinal: i64) -> String {
    format!("{claim}-{sts}-{ordinal}")
}

/// Ensures the ControllerRevision for `template` exists; returns its name.
fn ensure_revision(cluster: &mut Cluster, sts: &Value, template: &Value, hash: &str) -> String {
    let ns = object::namespace(sts).to_string();
    let name = format!("{}-{hash}", object::name(sts));
    let cr_rt = rt(cluster, "controllerrevisions");
    if cluster.get(&cr_rt, &ns, &name).is_ok() {
        return name;
    }
    let sts_uid = object::uid(sts).to_string();
    let next = cluster
        .list(&cr_rt, Some(&ns))
        .into_iter()
        .filter(|c| object::controller_of(c).is_some_and(|o| o.uid == sts_uid))
        .map(|c| int_at(c, "/revision", 0))
        .max()
        .unwrap_or(0)
        + 1;
    let mut labels = object::at(template, "/metadata/labels")
        .cloned()
        .unwrap_or_else(|| json!({}));
    labels["controller.kubernetes.io/hash"] = json!(hash);
    let mut data_template = template.clone();
    if let Some(m) = data_template.as_object_mut() {
        m.insert("$patch".into(), json!("replace"));
    }
    let cr = json!({"apiVersion": "apps/v1", "kind": "ControllerRevision",
        "metadata": {"name": name, "namespace": ns, "labels": labels, "ownerReferences": [object::controller_ref(sts)]},
        "data": {"spec": {"template": data_template}}, "revision": next});
    let _ = cluster.create(
        &cr_rt,
        cr,
        &ns,
        &WriteOptions {
            actor: actor(),
            ..Default::default()
        },
    );
    name
}

/// The template stored in a revision (without the `$patch` marker).
fn revision_template(cluster: &Cluster, ns: &str, name: &str) -> Option<Value> {
    let cr_rt = cluster.registry.resolve("controllerrevisions")?;
    let cr = cluster.get(cr_rt, ns, name).ok()?;
    let mut t = object::at(cr, "/data/spec/template")?.clone();
    if let Some(m) = t.as_object_mut() {
        m.remove("$patch");
    }
    Some(t)
}

fn new_pod(sts: &Value, template: &Value, revision_hash: &str, ordinal: i64) -> Value {
    let sts_name = object::name(sts);
    let pod_name = format!("{sts_name}-{ordinal}");
    let mut labels = object::at(template, "/metadata/labels")
        .cloned()
        .unwrap_or_else(|| json!({}));
    labels["statefulset.kubernetes.io/pod-name"] = json!(pod_name);
    labels["apps.kubernetes.io/pod-index"] = json!(ordinal.to_string());
    labels["controller-revision-hash"] = json!(revision_hash);
    let mut meta = json!({"name": pod_name, "namespace": object::namespace(sts), "labels": labels,
        "ownerReferences": [object::controller_ref(sts)]});
    if let Some(a) = object::at(template, "/metadata/annotations") {
        meta["annotations"] = a.clone();
    }
    let mut spec = template.get("spec").cloned().unwrap_or_else(|| json!({}));
    spec["hostname"] = json!(pod_name);
    if let Some(svc) = object::at(sts, "/spec/serviceName")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        spec["subdomain"] = json!(svc);
    }
    // updateStorage: every claim template becomes a PVC volume, replacing a same-named one.
    let claims: Vec<String> = claim_templates(sts)
        .iter()
        .map(|c| object::name(c).to_string())
        .collect();
    if !claims.is_empty() {
        let mut volumes: Vec<Value> = spec
            .get("volumes")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|v| {
                !claims
                    .iter()
                    .any(|c| v.get("name").and_then(Value::as_str) == Some(c))
            })
            .collect();
        for c in &claims {
            volumes.push(json!({"name": c, "persistentVolumeClaim": {"claimName": claim_name(c, sts_name, ordinal)}}));
        }
        spec["volumes"] = json!(volumes);
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec})
}

fn claim_templates(sts: &Value) -> Vec<Value> {
    object::at(sts, "/spec/volumeClaimTemplates")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn emit(cluster: &mut Cluster, sts: &Value, kind: &str, reason: &str, message: &str) {
    cluster.emit_event(
        sts,
        kind,
        reason,
        message,
        &EventSource::component("statefulset-controller"),
        actor(),
    );
}

/// `createPersistentVolumeClaims`: the claims of one ordinal that do not exist yet.
fn create_claims(cluster: &mut Cluster, sts: &Value, ordinal: i64) {
    let ns = object::namespace(sts).to_string();
    let sts_name = object::name(sts).to_string();
    let pvc_rt = rt(cluster, "persistentvolumeclaims");
    let labels = object::at(sts, "/spec/selector/matchLabels")
        .cloned()
        .unwrap_or_else(|| json!({}));
    for tmpl in claim_templates(sts) {
        let claim = object::name(&tmpl).to_string();
        let name = claim_name(&claim, &sts_name, ordinal);
        if cluster.get(&pvc_rt, &ns, &name).is_ok() {
            continue;
        }
        let mut meta = json!({"name": name, "namespace": ns, "labels": labels.clone()});
        if let Some(a) = object::at(&tmpl, "/metadata/annotations") {
            meta["annotations"] = a.clone();
        }
        let mut spec = tmpl.get("spec").cloned().unwrap_or_else(|| json!({}));
        if let Some(m) = spec.as_object_mut() {
            m.remove("volumeName");
        }
        let pvc = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta, "spec": spec});
        let pod_name = format!("{sts_name}-{ordinal}");
        match cluster.create(&pvc_rt, pvc, &ns, &WriteOptions { actor: actor(), ..Default::default() }) {
            Ok(_) => emit(cluster, sts, "Normal", "SuccessfulCreate", &format!("create Claim {name} Pod {pod_name} in StatefulSet {sts_name} success")),
            Err(e) => emit(cluster, sts, "Warning", "FailedCreate", &format!("create Claim {name} for Pod {pod_name} in StatefulSet {sts_name} failed error: {e}")),
        }
    }
}

fn delete_pod(cluster: &mut Cluster, sts: &Value, pod: &Value) {
    let pods = rt(cluster, "pods");
    let opts = DeleteOptions {
        actor: actor(),
        ..Default::default()
    };
    let (sts_name, pod_name) = (object::name(sts).to_string(), object::name(pod).to_string());
    match cluster.delete(&pods, object::namespace(pod), &pod_name, &opts) {
        Ok(_) => emit(
            cluster,
            sts,
            "Normal",
            "SuccessfulDelete",
            &format!("delete Pod {pod_name} in StatefulSet {sts_name} successful"),
        ),
        Err(e) => emit(
            cluster,
            sts,
            "Warning",
            "FailedDelete",
            &format!("delete Pod {pod_name} in StatefulSet {sts_name} failed error: {e}"),
        ),
    }
}

fn create_pod(cluster: &mut Cluster, sts: &Value, pod: Value) {
    let pods = rt(cluster, "pods");
    let ns = object::namespace(sts).to_string();
    let (sts_name, pod_name) = (
        object::name(sts).to_string(),
        object::name(&pod).to_string(),
    );
    match cluster.create(
        &pods,
        pod,
        &ns,
        &WriteOptions {
            actor: actor(),
            ..Default::default()
        },
    ) {
        Ok(_) => emit(
            cluster,
            sts,
            "Normal",
            "SuccessfulCreate",
            &format!("create Pod {pod_name} in StatefulSet {sts_name} successful"),
        ),
        Err(e) => emit(
            cluster,
            sts,
            "Warning",
            "FailedCreate",
            &format!("create Pod {pod_name} in StatefulSet {sts_name} failed error: {e}"),
        ),
    }
}

fn sync(cluster: &mut Cluster, ns: &str, name: &str) {
    let sts_rt = rt(cluster, "statefulsets");
    let Ok(sts) = cluster.get(&sts_rt, ns, name) else {
        return;
    };
    let sts = sts.clone();
    if object::is_deleting(&sts) {
        return;
    }
    let sts_uid = object::uid(&sts).to_string();
    let template = object::at(&sts, "/spec/template")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let collision = Some(
        object::at(&sts, "/status/collisionCount")
            .and_then(Value::as_i64)
            .unwrap_or(0),
    );
    let update_hash = compute_hash(&template, collision);
    let update_revision = ensure_revision(cluster, &sts, &template, &update_hash);
    let current_revision = match object::str_at(&sts, "/status/currentRevision") {
        "" => update_revision.clone(),
        r => r.to_string(),
    };
    let current_template =
        revision_template(cluster, ns, &current_revision).unwrap_or_else(|| template.clone());
    let current_hash = current_revision
        .strip_prefix(&format!("{name}-"))
        .unwrap_or(&update_hash)
        .to_string();

    let pods_rt = rt(cluster, "pods");
    let mut pods: BTreeMap<i64, Value> = BTreeMap::new();
    for p in cluster.list(&pods_rt, Some(ns)) {
        if object::controller_of(p).is_some_and(|o| o.uid == sts_uid) {
            if let Some(ord) = ordinal_of(name, object::name(p)) {
                pods.insert(ord, p.clone());
            }
        }
    }
    let replicas = int_at(&sts, "/spec/replicas", 1).max(0);
    let start = int_at(&sts, "/spec/ordinals/start", 0).max(0);
    let end = start + replicas;
    let parallel = object::str_at(&sts, "/spec/podManagementPolicy") == "Parallel";
    let rolling = object::str_at(&sts, "/spec/updateStrategy/type") != "OnDelete";
    let partition = int_at(&sts, "/spec/updateStrategy/rollingUpdate/partition", 0);
    let revision_of =
        |p: &Value| object::str_at(p, "/metadata/labels/controller-revision-hash").to_string();

    let mut done = false;
    // Replicas in increasing ordinal order.
    for ord in start..end {
        let Some(pod) = pods.get(&ord).cloned() else {
            // newVersionedStatefulSetPod: below the partition the current revision is kept.
            let use_current =
                rolling && ord < start + partition && current_revision != update_revision;
            let (tmpl, hash) = if use_current {
                (&current_template, &current_hash)
            } else {
                (&template, &update_hash)
            };
            create_claims(cluster, &sts, ord);
            create_pod(cluster, &sts, new_pod(&sts, tmpl, hash, ord));
            if !parallel {
                done = true;
                break;
            }
            continue;
        };
        let phase = object::str_at(&pod, "/status/phase");
        if (phase == "Failed" || phase == "Succeeded") && !object::is_deleting(&pod) {
            emit(
                cluster,
                &sts,
                "Warning",
                "RecreatingFailedPod",
                &format!(
                    "StatefulSet {ns}/{name} is recreating failed Pod {}",
                    object::name(&pod)
                ),
            );
            delete_pod(cluster, &sts, &pod);
            if !parallel {
                done = true;
                break;
            }
            continue;
        }
        if !parallel && (object::is_deleting(&pod) || !running_and_ready(&pod)) {
            done = true;
            break;
        }
    }
    // Condemned pods (ordinals outside the range), highest first.
    if !done {
        let condemned: Vec<Value> = pods
            .iter()
            .rev()
            .filter(|(o, _)| **o < start || **o >= end)
            .map(|(_, p)| p.clone())
            .collect();
        for pod in condemned {
            if object::is_deleting(&pod) {
                if !parallel {
                    done = true;
                    break;
                }
                continue;
            }
            delete_pod(cluster, &sts, &pod);
            if !parallel {
                done = true;
                break;
            }
        }
    }
    // Rolling update from the highest ordinal down to the partition, one pod at a time.
    if !done && rolling {
        for ord in (start..end).rev() {
            if ord < start + partition {
                break;
            }
            let Some(pod) = pods.get(&ord) else { break };
            if revision_of(pod) != update_hash && !object::is_deleting(pod) {
                let pod = pod.clone();
                delete_pod(cluster, &sts, &pod);
                break;
            }
            if object::is_deleting(pod) || !running_and_ready(pod) {
                break;
            }
        }
    }
    update_status(
        cluster,
        &sts,
        &current_revision,
        &update_revision,
        &current_hash,
        &update_hash,
    );
}

fn update_status(
    cluster: &mut Cluster,
    sts: &Value,
    current_revision: &str,
    update_revision: &str,
    current_hash: &str,
    update_hash: &str,
) {
    let (ns, name) = (
        object::namespace(sts).to_string(),
        object::name(sts).to_string(),
    );
    let sts_uid = object::uid(sts).to_string();
    let pods_rt = rt(cluster, "pods");
    let (mut replicas, mut ready, mut current, mut updated) = (0, 0, 0, 0);
    for p in cluster.list(&pods_rt, Some(&ns)) {
        if object::controller_of(p).is_none_or(|o| o.uid != sts_uid) {
            continue;
        }
        replicas += 1;
        if running_and_ready(p) {
            ready += 1;
        }
        if !object::is_deleting(p) {
            let hash = object::str_at(p, "/metadata/labels/controller-revision-hash");
            if hash == current_hash {
                current += 1;
            }
            if hash == update_hash {
                updated += 1;
            }
        }
    }
    let spec_replicas = int_at(sts, "/spec/replicas", 1);
    let mut current_revision = current_revision.to_string();
    // completeRollingUpdate.
    if object::str_at(sts, "/spec/updateStrategy/type") != "OnDelete"
        && updated == spec_replicas
        && ready == spec_replicas
        && replicas == spec_replicas
    {
        current_revision = update_revision.to_string();
        current = updated;
    }
    let status = json!({
        "availableReplicas": ready,
        "collisionCount": int_at(sts, "/status/collisionCount", 0),
        "currentReplicas": current,
        "currentRevision": current_revision,
        "observedGeneration": int_at(sts, "/metadata/generation", 1),
        "readyReplicas": ready,
        "replicas": replicas,
        "updateRevision": update_revision,
        "updatedReplicas": updated,
    });
    let mut status = status;
    // Zero counts are omitted (omitempty), as the real objects show.
    if let Some(m) = status.as_object_mut() {
        m.retain(|k, v| {
            !(v == &json!(0)
                && matches!(
                    k.as_str(),
                    "availableReplicas" | "currentReplicas" | "readyReplicas" | "updatedReplicas"
                ))
        });
    }
    let sts_rt = rt(cluster, "statefulsets");
    let _ = cluster.update_status(&sts_rt, &ns, &name, status, actor());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::cluster::ClusterOptions;

    /// A cluster whose kubelets are stopped: the test plays the kubelet.
    fn quiet_cluster() -> Cluster {
        let mut c = Cluster::new(ClusterOptions::default());
        for n in ["control-plane", "worker-1", "worker-2", "worker-3"] {
            c.controllers.stopped_kubelets.insert(n.to_string());
        }
        c
    }

    fn sts(cluster: &mut Cluster, yaml: Value) {
        let t = rt(cluster, "statefulsets");
        cluster
            .create(&t, yaml, "default", &WriteOptions::default())
            .expect("valid");
        cluster.settle();
    }

    fn web(replicas: i64, policy: &str) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "serviceName": "nginx", "podManagementPolicy": policy,
                "selector": {"matchLabels": {"app": "nginx"}},
                "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx",
                    "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}]}]}},
                "volumeClaimTemplates": [{"metadata": {"name": "www"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]}})
    }

    fn pod_names(cluster: &Cluster) -> Vec<String> {
        let t = cluster.registry.resolve("pods").expect("pods").clone();
        cluster
            .list(&t, Some("default"))
            .into_iter()
            .filter(|p| !object::is_deleting(p))
            .map(|p| object::name(p).to_string())
            .collect()
    }

    /// Lets terminating pods go, as their kubelet would once the containers stopped.
    fn finish_terminating(cluster: &mut Cluster) {
        let t = rt(cluster, "pods");
        let deleting: Vec<String> = cluster
            .list(&t, Some("default"))
            .into_iter()
            .filter(|p| object::is_deleting(p))
            .map(|p| object::name(p).to_string())
            .collect();
        for name in deleting {
            let opts = DeleteOptions {
                grace_period_seconds: Some(0),
                ..Default::default()
            };
            cluster
                .delete(&t, "default", &name, &opts)
                .expect("pod exists");
        }
        cluster.settle();
    }

    /// Marks a pod Running and Ready as a kubelet would.
    fn make_ready(cluster: &mut Cluster, name: &str) {
        let t = rt(cluster, "pods");
        let status = json!({"phase": "Running", "podIP": "10.244.1.9", "conditions": [{"type": "Ready", "status": "True"}]});
        cluster
            .update_status(
                &t,
                "default",
                name,
                status,
                Component::Kubelet("worker-1".into()),
            )
            .expect("pod exists");
        cluster.settle();
    }

    #[test]
    fn ordered_ready_creates_one_at_a_time_with_identity_and_claims() {
        let mut c = quiet_cluster();
        sts(&mut c, web(3, "OrderedReady"));
        assert_eq!(pod_names(&c), vec!["web-0"]);
        let pods = rt(&c, "pods");
        let p = c.get(&pods, "default", "web-0").expect("created").clone();
        assert_eq!(object::str_at(&p, "/spec/hostname"), "web-0");
        assert_eq!(object::str_at(&p, "/spec/subdomain"), "nginx");
        assert_eq!(
            object::str_at(&p, "/metadata/labels/apps.kubernetes.io~1pod-index"),
            "0"
        );
        assert_eq!(
            object::str_at(&p, "/metadata/labels/statefulset.kubernetes.io~1pod-name"),
            "web-0"
        );
        let vols = p
            .pointer("/spec/volumes")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        assert!(
            vols.iter()
                .any(|v| object::str_at(v, "/persistentVolumeClaim/claimName") == "www-web-0"),
            "{vols:?}"
        );
        let pvc = rt(&c, "pvc");
        let claim = c.get(&pvc, "default", "www-web-0").expect("claim created");
        assert_eq!(object::str_at(claim, "/metadata/labels/app"), "nginx");
        make_ready(&mut c, "web-0");
        assert_eq!(pod_names(&c), vec!["web-0", "web-1"]);
        make_ready(&mut c, "web-1");
        make_ready(&mut c, "web-2");
        let s = c
            .get(&rt(&c, "sts"), "default", "web")
            .expect("sts")
            .clone();
        assert_eq!(
            s.pointer("/status/readyReplicas"),
            Some(&json!(3)),
            "{:#}",
            s["status"]
        );
        assert_eq!(
            object::str_at(&s, "/status/currentRevision"),
            object::str_at(&s, "/status/updateRevision")
        );
        let cr = rt(&c, "controllerrevisions");
        assert!(c
            .get(&cr, "default", object::str_at(&s, "/status/updateRevision"))
            .is_ok());

        // Scale 3 → 1: web-2 goes first, web-1 only once web-2 is gone.
        let mut s2 = s.clone();
        s2["spec"]["replicas"] = json!(1);
        c.update(&rt(&c, "sts"), s2, &WriteOptions::default())
            .expect("scale");
        c.settle();
        finish_terminating(&mut c);
        finish_terminating(&mut c);
        assert_eq!(pod_names(&c), vec!["web-0"]);
        let deleted: Vec<String> = c
            .list(&rt(&c, "events"), Some("default"))
            .into_iter()
            .map(|e| object::str_at(e, "/message").to_string())
            .filter(|m| m.starts_with("delete Pod"))
            .collect();
        assert_eq!(
            deleted,
            vec![
                "delete Pod web-2 in StatefulSet web successful",
                "delete Pod web-1 in StatefulSet web successful"
            ]
        );
        assert!(
            c.get(&pvc, "default", "www-web-2").is_ok(),
            "claims are retained"
        );
    }

    #[test]
    fn parallel_creates_all_at_once() {
        let mut c = quiet_cluster();
        sts(&mut c, web(3, "Parallel"));
        assert_eq!(pod_names(&c), vec!["web-0", "web-1", "web-2"]);
    }

    #[test]
    fn rolling_update_goes_from_the_highest_ordinal() {
        let mut c = quiet_cluster();
        sts(&mut c, web(2, "Parallel"));
        make_ready(&mut c, "web-0");
        make_ready(&mut c, "web-1");
        let t = rt(&c, "sts");
        let mut s = c.get(&t, "default", "web").expect("sts").clone();
        s["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.27");
        c.update(&t, s, &WriteOptions::default()).expect("update");
        c.settle();
        let pods = rt(&c, "pods");
        finish_terminating(&mut c);
        assert_eq!(
            object::str_at(
                c.get(&pods, "default", "web-0").expect("kept"),
                "/spec/containers/0/image"
            ),
            "nginx",
            "web-0 waits for web-1 to be ready"
        );
        let p = c.get(&pods, "default", "web-1").expect("recreated");
        assert_eq!(object::str_at(p, "/spec/containers/0/image"), "nginx:1.27");
        make_ready(&mut c, "web-1");
        finish_terminating(&mut c);
        let p = c.get(&pods, "default", "web-0").expect("recreated");
        assert_eq!(object::str_at(p, "/spec/containers/0/image"), "nginx:1.27");
    }
}
