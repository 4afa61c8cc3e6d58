//! Every rule with its exact message. Inputs are already defaulted, as the apiserver
//! validates after defaulting.

use super::*;
use crate::sim::admission::{apply_defaults, AdmissionContext};
use crate::sim::json::json;
use crate::sim::resources::Registry;
use crate::sim::rng::Rng;
use serde_json::Value;

fn rt(api_version: &str, kind: &str) -> ResourceType {
    Registry::builtin()
        .for_kind(api_version, kind)
        .expect("builtin")
        .clone()
}

fn defaulted(api_version: &str, kind: &str, mut obj: Value) -> Value {
    let mut rng = Rng::new(1);
    let mut ctx = AdmissionContext {
        rng: &mut rng,
        now: 0,
    };
    apply_defaults(&rt(api_version, kind), &mut obj, &mut ctx);
    obj
}

fn errors(api_version: &str, kind: &str, obj: Value) -> Vec<String> {
    let obj = defaulted(api_version, kind, obj);
    validate(&rt(api_version, kind), &obj, None)
        .iter()
        .map(|e| e.to_string())
        .collect()
}

fn update_errors(api_version: &str, kind: &str, old: Value, new: Value) -> Vec<String> {
    let old = defaulted(api_version, kind, old);
    let new = defaulted(api_version, kind, new);
    validate(&rt(api_version, kind), &new, Some(&old))
        .iter()
        .map(|e| e.to_string())
        .collect()
}

fn deployment(spec: Value) -> Value {
    json!({"metadata": {"name": "web"}, "spec": spec})
}

fn web_template() -> Value {
    json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}})
}

fn web_spec() -> Value {
    json!({"selector": {"matchLabels": {"app": "web"}}, "template": web_template()})
}

fn with(mut base: Value, pointer: &str, value: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("pointer has a parent");
    base.pointer_mut(parent).expect("parent exists")[key] = value;
    base
}

#[test]
fn valid_objects_pass() {
    assert_eq!(
        errors("apps/v1", "Deployment", deployment(web_spec())),
        Vec::<String>::new()
    );
    let pod = json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "nginx"}]}});
    assert_eq!(errors("v1", "Pod", pod), Vec::<String>::new());
    let svc = json!({"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}});
    assert_eq!(errors("v1", "Service", svc), Vec::<String>::new());
}

#[test]
fn metadata_rules() {
    // apimachinery api/validation/objectmeta.go + util/validation/validation.go.
    let cases = [
        ("v1", "ConfigMap", json!({"metadata": {}}), vec!["metadata.name: Required value: name or generateName is required"]),
        ("v1", "ConfigMap", json!({"metadata": {"name": "Web"}}), vec!["metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]),
        ("v1", "Namespace", json!({"metadata": {"name": "a.b"}}), vec!["metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]),
        ("v1", "Service", json!({"metadata": {"name": "1web"}, "spec": {"ports": [{"port": 80}]}}), vec!["metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]),
        ("v1", "ConfigMap", json!({"metadata": {"name": "c", "labels": {"app": "a b"}}}), vec!["metadata.labels: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]),
        ("v1", "ConfigMap", json!({"metadata": {"name": "c", "labels": {"my key": "x"}}}), vec!["metadata.labels: Invalid value: \"my key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]),
        ("v1", "ConfigMap", json!({"metadata": {"name": "c"}, "data": {"a b": "x"}}), vec!["data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]),
    ];
    for (api_version, kind, obj, want) in cases {
        assert_eq!(errors(api_version, kind, obj), want);
    }
}

#[test]
fn deployment_rules() {
    // pkg/apis/apps/validation/validation.go; k8s-behaviour §3.
    let base = deployment(web_spec());
    let cases = [
        (with(base.clone(), "/spec/replicas", json!(-1)), vec!["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]),
        (
            deployment(json!({"template": web_template()})),
            vec!["spec.selector: Required value", "spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"],
        ),
        (with(base.clone(), "/spec/selector", json!({})), vec!["spec.selector: Invalid value: {}: empty selector is invalid for deployment"]),
        (
            with(base.clone(), "/spec/template/metadata/labels", json!({"app": "api"})),
            vec!["spec.template.metadata.labels: Invalid value: {\"app\":\"api\"}: `selector` does not match template `labels`"],
        ),
        (with(base.clone(), "/spec/template/spec/restartPolicy", json!("Never")), vec!["spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""]),
        (
            with(base.clone(), "/spec/strategy", json!({"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}})),
            vec!["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"],
        ),
        (
            with(base.clone(), "/spec/strategy", json!({"rollingUpdate": {"maxSurge": "0%", "maxUnavailable": "0%"}})),
            vec!["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0"],
        ),
        (with(base.clone(), "/spec/strategy", json!({"rollingUpdate": {"maxSurge": "0%", "maxUnavailable": "1%"}})), vec![]),
        (
            with(base.clone(), "/spec/strategy", json!({"rollingUpdate": {"maxUnavailable": "110%"}})),
            vec!["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"110%\": must not be greater than 100%"],
        ),
        (
            with(base.clone(), "/spec/strategy", json!({"rollingUpdate": {"maxSurge": -1}})),
            vec!["spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0"],
        ),
        (
            with(base.clone(), "/spec/strategy", json!({"rollingUpdate": {"maxSurge": "five"}})),
            vec!["spec.strategy.rollingUpdate.maxSurge: Invalid value: \"five\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
        ),
        (
            with(base.clone(), "/spec/strategy", json!({"type": "Recreate", "rollingUpdate": {"maxSurge": 1}})),
            vec!["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
        ),
        (
            with(with(base.clone(), "/spec/minReadySeconds", json!(700)), "/spec/progressDeadlineSeconds", json!(600)),
            vec!["spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"],
        ),
        (
            with(base.clone(), "/spec/template/spec/containers/0/image", json!("")),
            vec!["spec.template.spec.containers[0].image: Required value"],
        ),
    ];
    for (obj, want) in cases {
        assert_eq!(errors("apps/v1", "Deployment", obj.clone()), want, "{obj}");
    }
    let moved = with(
        with(
            base.clone(),
            "/spec/selector/matchLabels",
            json!({"app": "api"}),
        ),
        "/spec/template/metadata/labels",
        json!({"app": "api"}),
    );
    assert_eq!(
        update_errors("apps/v1", "Deployment", base, moved),
        vec![
            "spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"api\"}}: field is immutable"
        ]
    );
}

#[test]
fn replica_set_daemon_set_stateful_set_rules() {
    let rs =
        json!({"metadata": {"name": "rs"}, "spec": {"selector": {}, "template": web_template()}});
    assert_eq!(
        errors("apps/v1", "ReplicaSet", rs),
        vec!["spec.selector: Invalid value: {}: empty selector is invalid for deployment"]
    );
    let ds = json!({"metadata": {"name": "ds"}, "spec": {"selector": {"matchLabels": {"app": "x"}}, "template": web_template()}});
    assert_eq!(errors("apps/v1", "DaemonSet", ds), vec!["spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"]);
    let sts = json!({"metadata": {"name": "db"}, "spec": {"serviceName": "db", "selector": {"matchLabels": {"app": "web"}}, "template": web_template()}});
    assert_eq!(
        errors("apps/v1", "StatefulSet", sts.clone()),
        Vec::<String>::new()
    );
    let changed = with(sts.clone(), "/spec/serviceName", json!("other"));
    assert_eq!(
        update_errors("apps/v1", "StatefulSet", sts.clone(), changed),
        vec!["spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"]
    );
    let scaled = with(sts.clone(), "/spec/replicas", json!(3));
    assert_eq!(
        update_errors("apps/v1", "StatefulSet", sts, scaled),
        Vec::<String>::new()
    );
}

#[test]
fn persistent_volume_claim_rules() {
    // pkg/apis/core/validation ValidatePersistentVolumeClaimSpec, for PVCs and (1.34,
    // kubernetes#132212) for each of a StatefulSet's volumeClaimTemplates.
    let claim = |spec: Value| json!({"metadata": {"name": "data"}, "spec": spec});
    let good =
        json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}});
    let pvc_cases = [
        (good.clone(), vec![]),
        (json!({"accessModes": ["ReadWriteOnce"]}), vec!["spec.resources[storage]: Required value"]),
        (json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"cpu": "1"}}}), vec!["spec.resources[storage]: Required value"]),
        (
            json!({"resources": {"requests": {"storage": "1Gi"}}}),
            vec!["spec.accessModes: Required value: at least 1 access mode is required"],
        ),
        (
            json!({"accessModes": ["ReadWriteAll"], "resources": {"requests": {"storage": "1Gi"}}}),
            vec!["spec.accessModes: Unsupported value: \"ReadWriteAll\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""],
        ),
        (
            json!({"accessModes": ["ReadWriteOncePod", "ReadOnlyMany"], "resources": {"requests": {"storage": "1Gi"}}}),
            vec!["spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"],
        ),
        (
            json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "0"}}}),
            vec!["spec.resources[storage]: Invalid value: \"0\": must be greater than zero"],
        ),
    ];
    for (spec, want) in pvc_cases {
        assert_eq!(
            errors("v1", "PersistentVolumeClaim", claim(spec.clone())),
            want,
            "{spec}"
        );
    }
    let sts = |templates: Value| json!({"metadata": {"name": "db"}, "spec": {"serviceName": "db", "selector": {"matchLabels": {"app": "web"}}, "template": web_template(), "volumeClaimTemplates": templates}});
    assert_eq!(
        errors("apps/v1", "StatefulSet", sts(json!([claim(good.clone())]))),
        Vec::<String>::new()
    );
    assert_eq!(
        errors(
            "apps/v1",
            "StatefulSet",
            sts(json!([
                claim(good),
                claim(json!({"accessModes": ["ReadWriteOnce"]}))
            ]))
        ),
        vec!["spec.volumeClaimTemplates[1].spec.resources[storage]: Required value"]
    );
}

#[test]
fn pod_spec_rules() {
    // pkg/apis/core/validation/validation.go ValidatePodSpec and friends.
    let pod = |spec: Value| json!({"metadata": {"name": "p"}, "spec": spec});
    let cases = [
        (pod(json!({})), vec!["spec.containers: Required value"]),
        (pod(json!({"containers": [{"image": "nginx"}]})), vec!["spec.containers[0].name: Required value"]),
        (pod(json!({"containers": [{"name": "a"}]})), vec!["spec.containers[0].image: Required value"]),
        (
            pod(json!({"containers": [{"name": "Web", "image": "nginx"}]})),
            vec!["spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
        ),
        (
            pod(json!({"containers": [{"name": "a", "image": "x"}, {"name": "a", "image": "y"}]})),
            vec!["spec.containers[1].name: Duplicate value: \"a\""],
        ),
        (
            pod(json!({"containers": [{"name": "a", "image": "x", "ports": [{"containerPort": 70000}]}]})),
            vec!["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
        ),
        (
            pod(json!({"containers": [{"name": "a", "image": "x", "ports": [{"containerPort": 80, "protocol": "HTTP"}]}]})),
            vec!["spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""],
        ),
        (
            pod(json!({"restartPolicy": "Sometimes", "containers": [{"name": "a", "image": "x"}]})),
            vec!["spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""],
        ),
        (
            pod(json!({"containers": [{"name": "a", "image": "x", "imagePullPolicy": "Sometimes"}]})),
            vec!["spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""],
        ),
        (
            pod(json!({"containers": [{"name": "a", "image": "x", "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]})),
            vec!["spec.containers[0].volumeMounts[0].name: Not found: \"data\""],
        ),
    ];
    for (obj, want) in cases {
        assert_eq!(errors("v1", "Pod", obj.clone()), want, "{obj}");
    }
}

#[test]
fn pod_updates_are_limited() {
    let old = json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "nginx:1.24", "ports": [{"containerPort": 80}]}]}});
    let mut old_defaulted = defaulted("v1", "Pod", old.clone());
    let mut image_changed = old_defaulted.clone();
    image_changed["spec"]["containers"][0]["image"] = json!("nginx:1.25");
    assert!(validate(&rt("v1", "Pod"), &image_changed, Some(&old_defaulted)).is_empty());
    let mut port_changed = old_defaulted.clone();
    port_changed["spec"]["containers"][0]["ports"][0]["containerPort"] = json!(8080);
    let errs = validate(&rt("v1", "Pod"), &port_changed, Some(&old_defaulted));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].to_string().starts_with("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"), "{}", errs[0]);
    // Adding a toleration is allowed; removing one is not.
    let added = json!({"key": "k", "operator": "Exists"});
    let mut more = old_defaulted.clone();
    more["spec"]["tolerations"]
        .as_array_mut()
        .unwrap()
        .push(added);
    assert!(validate(&rt("v1", "Pod"), &more, Some(&old_defaulted)).is_empty());
    old_defaulted["spec"]["tolerations"]
        .as_array_mut()
        .unwrap()
        .pop();
    assert_eq!(
        validate(&rt("v1", "Pod"), &old_defaulted, Some(&more)).len(),
        1
    );
}

#[test]
fn service_rules() {
    let svc = |spec: Value| json!({"metadata": {"name": "web"}, "spec": spec});
    let cases = [
        (svc(json!({"selector": {"app": "web"}})), vec!["spec.ports: Required value"]),
        (svc(json!({"clusterIP": "None"})), vec![]),
        (svc(json!({"type": "ExternalName", "externalName": "example.com"})), vec![]),
        (svc(json!({"type": "ExternalName"})), vec!["spec.externalName: Required value"]),
        (
            // targetPort was defaulted from the port, so Go reports it too.
            svc(json!({"ports": [{"port": 0}]})),
            vec!["spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive", "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive"],
        ),
        (svc(json!({"ports": [{"port": 80, "targetPort": 70000}]})), vec!["spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive"]),
        (svc(json!({"ports": [{"port": 80}, {"port": 81}]})), vec!["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"]),
        (
            svc(json!({"type": "Bogus", "ports": [{"port": 80}]})),
            vec!["spec.type: Unsupported value: \"Bogus\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""],
        ),
        (svc(json!({"ports": [{"port": 80, "nodePort": 30007}]})), vec!["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]),
        (
            svc(json!({"type": "NodePort", "ports": [{"name": "a", "port": 80, "nodePort": 30007}, {"name": "b", "port": 81, "nodePort": 30007}]})),
            vec!["spec.ports[1].nodePort: Duplicate value: 30007"],
        ),
    ];
    for (obj, want) in cases {
        assert_eq!(errors("v1", "Service", obj.clone()), want, "{obj}");
    }
    let old = svc(
        json!({"clusterIP": "10.96.0.50", "clusterIPs": ["10.96.0.50"], "ports": [{"port": 80}]}),
    );
    let new = svc(json!({"clusterIP": "None", "clusterIPs": ["None"], "ports": [{"port": 80}]}));
    assert_eq!(
        update_errors("v1", "Service", old, new),
        vec!["spec.clusterIPs[0]: Invalid value: [\"None\"]: may not change once set"]
    );
}

#[test]
fn job_and_cron_job_rules() {
    let job = |restart: Value| json!({"metadata": {"name": "pi", "uid": "u"}, "spec": {"template": {"spec": {"restartPolicy": restart, "containers": [{"name": "pi", "image": "perl"}]}}}});
    assert_eq!(
        errors("batch/v1", "Job", job(json!("Never"))),
        Vec::<String>::new()
    );
    let want = vec![
        "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"",
    ];
    assert_eq!(errors("batch/v1", "Job", job(Value::Null)), want);
    assert_eq!(errors("batch/v1", "Job", job(json!("Always"))), want);
    let cron = |schedule: &str| json!({"metadata": {"name": "c"}, "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure", "containers": [{"name": "a", "image": "busybox"}]}}}}}});
    let cases = [
        ("*/5 * * * *", vec![]),
        ("0 0 * * MON-FRI", vec![]),
        ("@hourly", vec![]),
        ("", vec!["spec.schedule: Required value".to_string()]),
        ("x", vec!["spec.schedule: Invalid value: \"x\": expected exactly 5 fields, found 1: [x]".to_string()]),
        ("61 * * * *", vec!["spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61".to_string()]),
        ("a * * * *", vec!["spec.schedule: Invalid value: \"a * * * *\": failed to parse int from a: strconv.Atoi: parsing \"a\": invalid syntax".to_string()]),
    ];
    for (schedule, want) in cases {
        assert_eq!(
            errors("batch/v1", "CronJob", cron(schedule)),
            want,
            "{schedule}"
        );
    }
}

#[test]
fn ingress_rules() {
    let ing = |spec: Value| json!({"metadata": {"name": "i"}, "spec": spec});
    let backend = json!({"service": {"name": "web", "port": {"number": 80}}});
    let cases = [
        (ing(json!({})), vec!["spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"]),
        (ing(json!({"defaultBackend": backend})), vec![]),
        (
            ing(json!({"rules": [{"http": {"paths": [{"path": "/", "backend": backend}]}}]})),
            vec!["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"],
        ),
        (
            ing(json!({"rules": [{"http": {"paths": [{"path": "foo", "pathType": "Prefix", "backend": backend}]}}]})),
            vec!["spec.rules[0].http.paths[0].path: Invalid value: \"foo\": must be an absolute path"],
        ),
        (
            ing(json!({"rules": [{"http": {"paths": [{"path": "/", "pathType": "Regex", "backend": backend}]}}]})),
            vec!["spec.rules[0].http.paths[0].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""],
        ),
        (
            ing(json!({"rules": [{"http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {}}}}]}}]})),
            vec!["spec.rules[0].http.paths[0].backend.service.port: Required value: port name or number is required"],
        ),
    ];
    for (obj, want) in cases {
        assert_eq!(
            errors("networking.k8s.io/v1", "Ingress", obj.clone()),
            want,
            "{obj}"
        );
    }
}

#[test]
fn odd_input_never_panics() {
    for t in Registry::builtin().all() {
        for input in [
            json!(null),
            json!([]),
            json!({"spec": []}),
            json!({"metadata": 1, "spec": {"containers": "x", "template": 3, "ports": [1]}}),
        ] {
            validate(t, &input, None);
            validate(t, &input, Some(&input));
        }
    }
}
