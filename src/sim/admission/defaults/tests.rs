use super::*;
use crate::sim::admission::AdmissionContext;
use crate::sim::json::json;
use crate::sim::resources::Registry;
use crate::sim::rng::Rng;

fn defaulted(api_version: &str, kind: &str, mut obj: Value) -> Value {
    let rt = Registry::builtin()
        .for_kind(api_version, kind)
        .expect("builtin")
        .clone();
    let mut rng = Rng::new(1);
    let mut ctx = AdmissionContext {
        rng: &mut rng,
        now: 0,
    };
    apply(&rt, &mut obj, &mut ctx);
    obj
}

fn nginx_template() -> Value {
    json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}})
}

/// What `kubectl get -o yaml` shows for a template's spec with one nginx:1.25 container.
fn defaulted_template_spec() -> Value {
    json!({
        "containers": [{"name": "web", "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent", "resources": {},
            "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}],
        "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
        "securityContext": {}, "terminationGracePeriodSeconds": 30
    })
}

#[test]
fn image_pull_policy_follows_the_tag() {
    // k8s-behaviour §1 (pkg/apis/core/v1/defaults.go SetDefaults_Container).
    let digest = format!("sha256:{}", "a".repeat(64));
    let cases = [
        ("nginx".to_string(), "Always"),
        ("nginx:latest".to_string(), "Always"),
        ("nginx:1.25".to_string(), "IfNotPresent"),
        (format!("nginx@{digest}"), "IfNotPresent"),
        (format!("nginx:1.25@{digest}"), "IfNotPresent"),
        ("localhost:5000/nginx".to_string(), "Always"),
        ("registry.k8s.io/pause:3.9".to_string(), "IfNotPresent"),
    ];
    for (image, want) in cases {
        assert_eq!(pod::image_pull_policy(&image), want, "{image}");
    }
    let explicit = json!({"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "nginx", "imagePullPolicy": "Never"}]}}}});
    let d = defaulted("apps/v1", "Deployment", explicit);
    assert_eq!(
        d.pointer("/spec/template/spec/containers/0/imagePullPolicy"),
        Some(&json!("Never"))
    );
}

#[test]
fn deployment_defaults() {
    // k8s-behaviour §3.1 (pkg/apis/apps/v1/defaults.go SetDefaults_Deployment).
    let d = defaulted(
        "apps/v1",
        "Deployment",
        json!({"metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": nginx_template()}}),
    );
    let spec = &d["spec"];
    assert_eq!(spec["replicas"], 1);
    assert_eq!(
        spec["strategy"],
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}})
    );
    assert_eq!(spec["revisionHistoryLimit"], 10);
    assert_eq!(spec["progressDeadlineSeconds"], 600);
    assert_eq!(spec["template"]["spec"], defaulted_template_spec());
    let recreate = defaulted(
        "apps/v1",
        "Deployment",
        json!({"spec": {"strategy": {"type": "Recreate"}}}),
    );
    assert_eq!(recreate["spec"]["strategy"], json!({"type": "Recreate"}));
}

#[test]
fn replica_set_daemon_set_stateful_set_defaults() {
    let rs = defaulted(
        "apps/v1",
        "ReplicaSet",
        json!({"spec": {"template": nginx_template()}}),
    );
    assert_eq!(rs["spec"]["replicas"], 1);
    assert_eq!(rs["spec"]["template"]["spec"], defaulted_template_spec());
    // §5.
    let ds = defaulted(
        "apps/v1",
        "DaemonSet",
        json!({"spec": {"template": nginx_template()}}),
    );
    assert_eq!(
        ds["spec"]["updateStrategy"],
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}})
    );
    assert_eq!(ds["spec"]["revisionHistoryLimit"], 10);
    // §6.
    let sts = defaulted(
        "apps/v1",
        "StatefulSet",
        json!({"spec": {"template": nginx_template(), "volumeClaimTemplates": [{"metadata": {"name": "www"}, "spec": {}}]}}),
    );
    let spec = &sts["spec"];
    assert_eq!(spec["podManagementPolicy"], "OrderedReady");
    assert_eq!(
        spec["updateStrategy"],
        json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
    );
    assert_eq!(spec["replicas"], 1);
    assert_eq!(spec["revisionHistoryLimit"], 10);
    assert_eq!(
        spec["persistentVolumeClaimRetentionPolicy"],
        json!({"whenDeleted": "Retain", "whenScaled": "Retain"})
    );
    assert_eq!(
        spec["volumeClaimTemplates"][0]["spec"]["volumeMode"],
        "Filesystem"
    );
}

#[test]
fn bare_pod_gets_admission_defaults() {
    let pod = defaulted(
        "v1",
        "Pod",
        json!({"metadata": {"name": "p"}, "spec": {"containers": [
        {"name": "a", "image": "nginx", "ports": [{"containerPort": 80}],
         "env": [{"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
         "readinessProbe": {"httpGet": {"port": 80}},
         "resources": {"limits": {"cpu": "500m"}}}]}}),
    );
    let spec = &pod["spec"];
    let c = &spec["containers"][0];
    assert_eq!(c["imagePullPolicy"], "Always");
    assert_eq!(
        c["ports"][0],
        json!({"containerPort": 80, "protocol": "TCP"})
    );
    assert_eq!(
        c["env"][0]["valueFrom"]["fieldRef"],
        json!({"apiVersion": "v1", "fieldPath": "spec.nodeName"})
    );
    assert_eq!(
        c["readinessProbe"],
        json!({"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3})
    );
    assert_eq!(
        c["resources"],
        json!({"limits": {"cpu": "500m"}, "requests": {"cpu": "500m"}})
    );
    assert_eq!(spec["enableServiceLinks"], true);
    assert_eq!(spec["priority"], 0);
    assert_eq!(spec["preemptionPolicy"], "PreemptLowerPriority");
    assert_eq!(spec["serviceAccountName"], "default");
    assert_eq!(spec["serviceAccount"], "default");
    let volume_name = spec["volumes"][0]["name"].as_str().unwrap().to_string();
    assert!(
        volume_name.starts_with("kube-api-access-") && volume_name.len() == 21,
        "{volume_name}"
    );
    assert_eq!(
        spec["volumes"][0]["projected"],
        json!({"defaultMode": 420, "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
            {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}]})
    );
    assert_eq!(
        c["volumeMounts"],
        json!([{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": volume_name, "readOnly": true}])
    );
    // §11.1
    assert_eq!(
        spec["tolerations"],
        json!([
            {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
        ])
    );
}

#[test]
fn pod_admission_respects_what_is_there() {
    let pod = defaulted(
        "v1",
        "Pod",
        json!({"spec": {
        "automountServiceAccountToken": false, "serviceAccountName": "builder",
        "tolerations": [{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 10}],
        "containers": [{"name": "a", "image": "busybox:1.36"}]}}),
    );
    let spec = &pod["spec"];
    assert!(spec.get("volumes").is_none());
    assert_eq!(spec["serviceAccount"], "builder");
    let tolerations = spec["tolerations"].as_array().unwrap();
    assert_eq!(tolerations.len(), 2);
    assert_eq!(tolerations[1]["key"], "node.kubernetes.io/not-ready");
    // Templates get no admission defaults.
    let d = defaulted(
        "apps/v1",
        "Deployment",
        json!({"spec": {"template": nginx_template()}}),
    );
    assert!(d
        .pointer("/spec/template/spec/enableServiceLinks")
        .is_none());
    assert!(d.pointer("/spec/template/spec/tolerations").is_none());
}

#[test]
fn job_and_cron_job_defaults() {
    let job = defaulted(
        "batch/v1",
        "Job",
        json!({"metadata": {"name": "pi", "uid": "u-1"}, "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl:5.34"}]}}}}),
    );
    let labels = json!({"batch.kubernetes.io/controller-uid": "u-1", "batch.kubernetes.io/job-name": "pi", "controller-uid": "u-1", "job-name": "pi"});
    assert_eq!(job["metadata"]["labels"], labels);
    let spec = &job["spec"];
    assert_eq!(
        spec["selector"],
        json!({"matchLabels": {"batch.kubernetes.io/controller-uid": "u-1"}})
    );
    assert_eq!(spec["template"]["metadata"]["labels"], labels);
    for (k, v) in [
        ("completions", json!(1)),
        ("parallelism", json!(1)),
        ("backoffLimit", json!(6)),
        ("completionMode", json!("NonIndexed")),
        ("suspend", json!(false)),
        ("podReplacementPolicy", json!("TerminatingOrFailed")),
    ] {
        assert_eq!(spec[k], v, "{k}");
    }
    assert_eq!(spec["template"]["spec"]["restartPolicy"], "Never");
    let parallel = defaulted(
        "batch/v1",
        "Job",
        json!({"metadata": {"uid": "u"}, "spec": {"parallelism": 3}}),
    );
    assert!(parallel["spec"].get("completions").is_none());
    let manual = defaulted(
        "batch/v1",
        "Job",
        json!({"metadata": {"uid": "u"}, "spec": {"manualSelector": true, "selector": {"matchLabels": {"a": "b"}}}}),
    );
    assert_eq!(
        manual["spec"]["selector"],
        json!({"matchLabels": {"a": "b"}})
    );

    let cron = defaulted(
        "batch/v1",
        "CronJob",
        json!({"spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "busybox"}]}}}}}}),
    );
    let spec = &cron["spec"];
    assert_eq!(spec["concurrencyPolicy"], "Allow");
    assert_eq!(spec["suspend"], false);
    assert_eq!(spec["successfulJobsHistoryLimit"], 3);
    assert_eq!(spec["failedJobsHistoryLimit"], 1);
    assert_eq!(
        spec.pointer("/jobTemplate/spec/template/spec/dnsPolicy"),
        Some(&json!("ClusterFirst"))
    );
    assert!(spec.pointer("/jobTemplate/spec/backoffLimit").is_none());
}

#[test]
fn service_defaults() {
    // k8s-behaviour §7.2, §7.11.
    let cases = [
        (
            json!({"spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}),
            json!({"selector": {"app": "web"}, "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}], "type": "ClusterIP",
                   "sessionAffinity": "None", "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"}),
        ),
        (
            json!({"spec": {"type": "LoadBalancer", "sessionAffinity": "ClientIP", "ports": [{"port": 80, "targetPort": "http"}]}}),
            json!({"ports": [{"port": 80, "protocol": "TCP", "targetPort": "http"}], "type": "LoadBalancer", "sessionAffinity": "ClientIP",
                   "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}}, "externalTrafficPolicy": "Cluster",
                   "internalTrafficPolicy": "Cluster", "allocateLoadBalancerNodePorts": true, "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"}),
        ),
        (
            json!({"spec": {"type": "ExternalName", "externalName": "example.com"}}),
            json!({"type": "ExternalName", "externalName": "example.com", "sessionAffinity": "None"}),
        ),
        (
            json!({"spec": {"clusterIP": "None", "ports": [{"port": 80}]}}),
            json!({"clusterIP": "None", "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}], "type": "ClusterIP",
                   "sessionAffinity": "None", "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "RequireDualStack"}),
        ),
    ];
    for (input, want) in cases {
        assert_eq!(defaulted("v1", "Service", input)["spec"], want);
    }
}

#[test]
fn small_kinds() {
    let ns = defaulted("v1", "Namespace", json!({"metadata": {"name": "dev"}}));
    assert_eq!(
        ns["metadata"]["labels"],
        json!({"kubernetes.io/metadata.name": "dev"})
    );
    assert_eq!(ns["spec"], json!({"finalizers": ["kubernetes"]}));
    let pvc = defaulted("v1", "PersistentVolumeClaim", json!({"spec": {}}));
    assert_eq!(pvc["spec"]["volumeMode"], "Filesystem");
    let pv = defaulted("v1", "PersistentVolume", json!({"spec": {}}));
    assert_eq!(
        pv["spec"],
        json!({"persistentVolumeReclaimPolicy": "Retain", "volumeMode": "Filesystem"})
    );
    assert_eq!(defaulted("v1", "Secret", json!({}))["type"], "Opaque");
    assert_eq!(
        defaulted("v1", "Secret", json!({"type": "kubernetes.io/tls"}))["type"],
        "kubernetes.io/tls"
    );
    let np = defaulted(
        "networking.k8s.io/v1",
        "NetworkPolicy",
        json!({"spec": {"podSelector": {}, "egress": [{"ports": [{"port": 53}]}]}}),
    );
    assert_eq!(np["spec"]["policyTypes"], json!(["Ingress", "Egress"]));
    assert_eq!(np["spec"]["egress"][0]["ports"][0]["protocol"], "TCP");
    let hpa = defaulted(
        "autoscaling/v2",
        "HorizontalPodAutoscaler",
        json!({"apiVersion": "autoscaling/v2", "spec": {"maxReplicas": 5}}),
    );
    assert_eq!(hpa["spec"]["minReplicas"], 1);
    assert_eq!(
        hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"],
        80
    );
    let cm = defaulted("v1", "ConfigMap", json!({"data": {"a": "b"}}));
    assert_eq!(cm, json!({"data": {"a": "b"}}));
}

#[test]
fn odd_input_never_panics() {
    for input in [
        json!(null),
        json!([]),
        json!({"spec": []}),
        json!({"spec": {"containers": "x", "template": 3}}),
        json!({"spec": {"ports": [1, "a"]}}),
    ] {
        for (av, kind) in [
            ("v1", "Pod"),
            ("apps/v1", "Deployment"),
            ("v1", "Service"),
            ("batch/v1", "Job"),
            ("batch/v1", "CronJob"),
            ("v1", "ReplicationController"),
            ("v1", "Namespace"),
        ] {
            defaulted(av, kind, input.clone());
        }
    }
}
