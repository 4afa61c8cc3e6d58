use super::*;
use crate::sim::json::json;
use crate::sim::resources::Registry;

fn rt(api_version: &str, kind: &str) -> ResourceType {
    Registry::builtin()
        .for_kind(api_version, kind)
        .expect("builtin kind")
        .clone()
}

fn decode_as(
    api_version: &str,
    kind: &str,
    raw: Value,
    validation: FieldValidation,
) -> Result<Decoded, ApiError> {
    let t = rt(api_version, kind);
    let version = crate::sim::resources::split_api_version(api_version)
        .1
        .to_string();
    decode(&t, &version, raw, validation)
}

fn error_of(api_version: &str, kind: &str, raw: Value) -> String {
    match decode_as(api_version, kind, raw, FieldValidation::Strict) {
        Ok(d) => panic!("expected an error, decoded {}", d.object),
        Err(e) => e.message,
    }
}

#[test]
fn every_builtin_kind_has_a_type() {
    for t in Registry::builtin().all() {
        for v in &t.versions {
            assert!(
                schema::table()
                    .kind(&t.api_version_for(v), &t.kind)
                    .is_some(),
                "{} {}",
                t.kind,
                v
            );
        }
    }
}

#[test]
fn unknown_fields_are_strict_errors() {
    let cases = [
        (
            "apps/v1",
            "ReplicaSet",
            json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "x"}, "template": {}}),
            "ReplicaSet in version \"v1\" cannot be handled as a ReplicaSet: strict decoding error: unknown field \"template\"",
        ),
        (
            "v1",
            "Pod",
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
                   "spec": {"containers": [{"name": "a", "image": "nginx", "imagePullPolcy": "Always"}]}}),
            "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].imagePullPolcy\"",
        ),
        (
            "apps/v1",
            "Deployment",
            json!({"metadata": {"name": "x", "lables": {}}, "spec": {"template": {"spec": {"containers": [
                {"name": "a", "image": "b"}, {"name": "c", "image": "d", "port": 80}]}}, "replica": 2}}),
            "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"metadata.lables\", unknown field \"spec.replica\", unknown field \"spec.template.spec.containers[1].port\"",
        ),
    ];
    for (api_version, kind, raw, want) in cases {
        let e = decode_as(api_version, kind, raw, FieldValidation::Strict).unwrap_err();
        assert_eq!(e.message, want);
        assert_eq!(e.reason.code(), 400);
    }
}

#[test]
fn warn_and_ignore_drop_unknown_fields() {
    let raw = json!({"metadata": {"name": "x"}, "spec": {"containers": [{"name": "a", "image": "b", "imagePullPolcy": "x"}]}});
    let warned = decode_as("v1", "Pod", raw.clone(), FieldValidation::Warn).unwrap();
    assert_eq!(
        warned.warnings,
        vec!["unknown field \"spec.containers[0].imagePullPolcy\"".to_string()]
    );
    assert_eq!(
        warned.object["spec"]["containers"][0],
        json!({"name": "a", "image": "b"})
    );
    let ignored = decode_as("v1", "Pod", raw, FieldValidation::Ignore).unwrap();
    assert!(ignored.warnings.is_empty());
    assert_eq!(ignored.object, warned.object);
    assert_eq!(ignored.object["apiVersion"], "v1");
    assert_eq!(ignored.object["kind"], "Pod");
}

#[test]
fn type_errors_read_like_go() {
    let prefix = |k: &str| format!("{k} in version \"v1\" cannot be handled as a {k}: ");
    let cases = [
        (
            "apps/v1",
            "Deployment",
            json!({"metadata": {"name": "x"}, "spec": {"replicas": "3"}}),
            "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
        ),
        (
            "v1",
            "Pod",
            json!({"metadata": {"name": "x"}, "spec": {"affinity": {"nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [{"nodeSelectorTerms": []}]}}}}),
            "json: cannot unmarshal array into Go struct field NodeAffinity.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution of type v1.NodeSelector",
        ),
        (
            "v1",
            "Pod",
            json!({"metadata": {"name": "x"}, "spec": {"containers": [{"name": "a", "ports": [{"containerPort": "80"}]}]}}),
            "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32",
        ),
        (
            "v1",
            "Pod",
            json!({"metadata": {"name": "x", "labels": {"app": 1}}}),
            "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
        ),
        (
            "v1",
            "Pod",
            json!({"metadata": {"name": "x"}, "spec": {"containers": {"name": "a"}}}),
            "json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container",
        ),
        (
            "v1",
            "Pod",
            json!({"metadata": {"name": "x"}, "spec": {"containers": [{"name": "a", "args": "sleep"}]}}),
            "json: cannot unmarshal string into Go struct field Container.spec.containers.args of type []string",
        ),
        (
            "apps/v1",
            "Deployment",
            json!({"metadata": {"name": "x"}, "spec": {"replicas": 1.5}}),
            "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32",
        ),
        (
            "v1",
            "Pod",
            json!({"metadata": "x"}),
            "json: cannot unmarshal string into Go struct field Pod.metadata of type v1.ObjectMeta",
        ),
    ];
    for (api_version, kind, raw, want) in cases {
        assert_eq!(
            error_of(api_version, kind, raw),
            format!("{}{want}", prefix(kind))
        );
    }
}

#[test]
fn quantities_are_accepted_as_numbers_and_canonicalized() {
    let raw = json!({"metadata": {"name": "x"}, "spec": {"containers": [{"name": "a", "image": "b",
        "resources": {"limits": {"cpu": 0.5, "memory": 128}, "requests": {"cpu": "1000m", "memory": "1024Mi"}}}]}});
    let d = decode_as("v1", "Pod", raw, FieldValidation::Strict).unwrap();
    assert_eq!(
        d.object["spec"]["containers"][0]["resources"],
        json!({"limits": {"cpu": "500m", "memory": "128"}, "requests": {"cpu": "1", "memory": "1Gi"}})
    );
    let bad = json!({"metadata": {"name": "x"}, "spec": {"containers": [{"name": "a", "resources": {"limits": {"memory": "1gb"}}}]}});
    assert_eq!(
        error_of("v1", "Pod", bad),
        "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    );
}

#[test]
fn int_or_string_accepts_both() {
    let raw = json!({"metadata": {"name": "x"}, "spec": {"ports": [{"port": 80, "targetPort": "http"}, {"port": 81, "targetPort": 8081}]}});
    let d = decode_as("v1", "Service", raw, FieldValidation::Strict).unwrap();
    assert_eq!(d.object["spec"]["ports"][0]["targetPort"], "http");
    assert_eq!(d.object["spec"]["ports"][1]["targetPort"], 8081);
}

#[test]
fn secrets_check_base64_and_merge_string_data() {
    let bad =
        json!({"metadata": {"name": "s"}, "data": {"tls.crt": "-----BEGIN CERTIFICATE-----"}});
    assert_eq!(
        error_of("v1", "Secret", bad),
        "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 0"
    );
    let raw = json!({"metadata": {"name": "s"}, "data": {"a": "YQ==", "b": "Yg=="}, "stringData": {"b": "admin", "c": "x"}});
    let d = decode_as("v1", "Secret", raw, FieldValidation::Strict).unwrap();
    assert_eq!(
        d.object["data"],
        json!({"a": "YQ==", "b": "YWRtaW4=", "c": "eA=="})
    );
    assert!(d.object.get("stringData").is_none());
}

#[test]
fn missing_required_fields_stay_missing_and_nulls_are_ignored() {
    let raw = json!({"metadata": {"name": "x", "creationTimestamp": null}, "spec": {"replicas": 2, "template": {"spec": {"containers": []}}}});
    let d = decode_as("apps/v1", "Deployment", raw, FieldValidation::Strict).unwrap();
    assert_eq!(
        d.object["spec"],
        json!({"replicas": 2, "template": {"spec": {}}})
    );
    assert_eq!(d.object["metadata"], json!({"name": "x"}));
}

#[test]
fn custom_kinds_pass_through() {
    let t = ResourceType {
        group: "example.com".into(),
        versions: vec!["v1".into()],
        kind: "Widget".into(),
        plural: "widgets".into(),
        singular: "widget".into(),
        short_names: vec![],
        namespaced: true,
        categories: vec![],
        listable: true,
    };
    let d = decode(
        &t,
        "v1",
        json!({"spec": {"anything": 1}}),
        FieldValidation::Strict,
    )
    .unwrap();
    assert_eq!(
        d.object,
        json!({"apiVersion": "example.com/v1", "kind": "Widget", "spec": {"anything": 1}})
    );
}
