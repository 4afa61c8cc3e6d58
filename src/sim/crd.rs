//! CustomResourceDefinitions: applying one makes the apiserver serve a new type (and
//! marks the CRD Established); deleting it removes the type and every custom object.

use super::cluster::Cluster;
use super::messages::Component;
use super::object;
use super::resources::ResourceType;
use serde_json::{json, Value};

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The type a CRD defines, if its spec names one.
pub fn type_of(crd: &Value) -> Option<ResourceType> {
    let spec = crd.get("spec")?;
    let names = spec.get("names")?;
    let kind = names.get("kind")?.as_str()?.to_string();
    let plural = names.get("plural")?.as_str()?.to_string();
    let mut versions: Vec<(bool, String)> = spec
        .get("versions")
        .and_then(Value::as_array)
        .map(|vs| {
            vs.iter()
                .filter(|v| v.get("served").and_then(Value::as_bool).unwrap_or(false))
                .filter_map(|v| {
                    let storage = v.get("storage").and_then(Value::as_bool).unwrap_or(false);
                    Some((!storage, v.get("name")?.as_str()?.to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    versions.sort_by_key(|v| v.0);
    Some(ResourceType {
        group: spec.get("group")?.as_str()?.to_string(),
        versions: versions.into_iter().map(|(_, v)| v).collect(),
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
            "storedVersions": [t.versions[0].clone()],
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
