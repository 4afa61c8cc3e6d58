//! The cluster as the describe printers see it: related objects and events, looked up
//! by group, resource and namespace.

use super::printers::describe::ObjectSource;
use crate::sim::store::{GroupResource, ObjectKey};
use crate::sim::Cluster;
use serde_json::Value;

impl ObjectSource for Cluster {
    fn get(&self, group: &str, plural: &str, namespace: &str, name: &str) -> Option<&Value> {
        let key = ObjectKey {
            resource: GroupResource::new(group, plural),
            namespace: namespace.to_string(),
            name: name.to_string(),
        };
        self.store().get(&key)
    }

    fn list(&self, group: &str, plural: &str, namespace: Option<&str>) -> Vec<&Value> {
        self.store()
            .list(&GroupResource::new(group, plural), namespace)
    }
}
