//! CustomResourceDefinitions: applying one makes the apiserver serve a new type (and
//! marks the CRD Established); deleting it removes the type and every custom object.

use super::cluster::Cluster;
use super::messages::Component;
use super::object;
use super::resources::ResourceType;
use crate::sim::json::json;
use crate::sim::sort::SharedSort;
use serde_json::Value;
use std::cmp::Reverse;

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The sort key of apimachinery's `CompareKubeAwareVersionStrings`, which orders a CRD's
/// versions in discovery (the first is the preferred one): GA before beta before alpha,
/// a higher major first, then a higher minor (`v2`, `v1`, `v1beta2`, `v1beta1`,
/// `v1alpha1`); names not of that form come last, alphabetically.
pub fn version_priority(version: &str) -> (u8, Reverse<u64>, Reverse<u64>, String) {
    let parsed = version.strip_prefix('v').and_then(|rest| {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let major: u64 = rest[..digits].parse().ok()?;
        let tail = &rest[digits..];
        if tail.is_empty() {
            return Some((0, major, 0));
        }
        let (level, minor) = match (tail.strip_prefix("beta"), tail.strip_prefix("alpha")) {
            (Some(m), _) => (1, m),
            (_, Some(m)) => (2, m),
            _ => return None,
        };
        // `^v\d+((alpha|beta)\d+)?$`: the level needs its number.
        if minor.is_empty() || !minor.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((level, major, minor.parse().ok()?))
    });
    match parsed {
        Some((level, major, minor)) => (level, Reverse(major), Reverse(minor), String::new()),
        None => (3, Reverse(0), Reverse(0), version.to_string()),
    }
}

/// The version a CRD stores its objects in (`storage: true`).
fn storage_version(crd: &Value) -> Option<String> {
    crd.pointer("/spec/versions")?
        .as_array()?
        .iter()
        .find(|v| v.get("storage").and_then(Value::as_bool) == Some(true))
        .and_then(|v| v.get("name")?.as_str().map(String::from))
}

/// The type a CRD defines, if its spec names one.
pub fn type_of(crd: &Value) -> Option<ResourceType> {
    let spec = crd.get("spec")?;
    let names = spec.get("names")?;
    let kind = names.get("kind")?.as_str()?.to_string();
    let plural = names.get("plural")?.as_str()?.to_string();
    let mut versions: Vec<String> = spec
        .get("versions")
        .and_then(Value::as_array)
        .map(|vs| {
            vs.iter()
                .filter(|v| v.get("served").and_then(Value::as_bool).unwrap_or(false))
                .filter_map(|v| Some(v.get("name")?.as_str()?.to_string()))
                .collect()
        })
        .unwrap_or_default();
    // Discovery lists a CRD's versions by priority, not storage: ReferenceGrant stores
    // v1beta1 but `kubectl api-resources` shows gateway.networking.k8s.io/v1.
    versions.sort_shared_by_key(|v| version_priority(v));
    Some(ResourceType {
        group: spec.get("group")?.as_str()?.to_string(),
        versions,
        singular: names
            .get("singular")
            .and_then(Value::as_str)
            .map(String::from)
            .unwrap_or_else(|| kind.to_lowercase()),
        short_names: strings(names.get("shortNames")),
        categories: strings(names.get("categories")),
        namespaced: spec.get("scope").and_then(Value::as_str) != Some("Cluster"),
        listable: true,
        kind,
        plural,
    })
}

impl Cluster {
    pub(crate) fn register_custom_type(&mut self, crd: &Value) {
        let Some(t) = type_of(crd) else { return };
        if t.versions.is_empty() {
            return;
        }
        let names = crd.pointer("/spec/names").cloned().unwrap_or(json!({}));
        let status = json!({
            "acceptedNames": names,
            "conditions": [
                {"lastTransitionTime": super::time::rfc3339(self.now), "message": "no conflicts found", "reason": "NoConflicts", "status": "True", "type": "NamesAccepted"},
                {"lastTransitionTime": super::time::rfc3339(self.now), "message": "the initial names have been accepted", "reason": "InitialNamesAccepted", "status": "True", "type": "Established"},
            ],
            "storedVersions": [storage_version(crd).unwrap_or_else(|| t.versions[0].clone())],
        });
        self.registry.add_custom(t);
        let crd_type = self
            .registry
            .resolve("customresourcedefinitions")
            .expect("built in")
            .clone();
        let name = object::name(crd).to_string();
        let _ = self.update_status(
            &crd_type,
            "",
            &name,
            status,
            Component::ControllerManager("apiextensions".into()),
        );
    }

    pub(crate) fn remove_custom_type(&mut self, crd: &Value) {
        let Some(t) = type_of(crd) else { return };
        let objects: Vec<Value> = self.list(&t, None).into_iter().cloned().collect();
        for obj in objects {
            self.remove(&t, &obj, &Component::ApiServer);
        }
        self.registry.remove_custom(&t.group, &t.plural);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sort_as_kubernetes_orders_them() {
        let mut v = vec![
            "v1alpha1",
            "foo",
            "v1beta1",
            "v2",
            "v1",
            "v10beta3",
            "v1beta2",
            "v1beta",
            "v11alpha2",
        ];
        v.sort_shared_by_key(|x| version_priority(x));
        // The example list of apimachinery's `CompareKubeAwareVersionStrings` doc comment,
        // with the malformed `v1beta` sorted with the non-Kubernetes names.
        assert_eq!(
            v,
            [
                "v2",
                "v1",
                "v10beta3",
                "v1beta2",
                "v1beta1",
                "v11alpha2",
                "v1alpha1",
                "foo",
                "v1beta"
            ]
        );
    }

    #[test]
    fn the_preferred_version_is_the_highest_served_one_not_the_stored_one() {
        let crd = json!({"spec": {"group": "gateway.networking.k8s.io",
            "names": {"kind": "ReferenceGrant", "plural": "referencegrants"},
            "scope": "Namespaced",
            "versions": [
                {"name": "v1beta1", "served": true, "storage": true},
                {"name": "v1", "served": true, "storage": false},
                {"name": "v1alpha2", "served": false, "storage": false}]}});
        let t = type_of(&crd).expect("a type");
        assert_eq!(t.versions, ["v1", "v1beta1"]);
        assert_eq!(t.api_version(), "gateway.networking.k8s.io/v1");
        assert_eq!(storage_version(&crd).as_deref(), Some("v1beta1"));
    }
}
