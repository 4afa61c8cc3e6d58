//! etcd, as the apiserver sees it: objects keyed by resource, namespace and name, one
//! global revision counter (every write gets the next `resourceVersion`), and the watch
//! log that controllers and `kubectl get -w` read from.
//!
//! Every mutation goes through [`Store::apply`], one match over [`WatchEventType`], so the
//! object map and the watch log can never disagree (style.md #3).

use serde_json::Value;
use std::collections::BTreeMap;

/// A resource in the API: group + plural (`apps`/`deployments`, ``/`pods`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupResource {
    pub group: String,
    pub resource: String,
}

impl GroupResource {
    pub fn new(group: &str, resource: &str) -> Self {
        GroupResource {
            group: group.to_string(),
            resource: resource.to_string(),
        }
    }
}

/// Where one object lives: resource, namespace ("" for cluster-scoped) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    pub resource: GroupResource,
    pub namespace: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchEventType {
    Added,
    Modified,
    Deleted,
}

impl WatchEventType {
    pub fn as_str(&self) -> &'static str {
        match self {
            WatchEventType::Added => "ADDED",
            WatchEventType::Modified => "MODIFIED",
            WatchEventType::Deleted => "DELETED",
        }
    }
}

/// One entry of the watch log: what changed, at which revision, and the object after
/// the change (for deletions, the last state).
#[derive(Debug, Clone)]
pub struct WatchEvent {
    pub revision: u64,
    pub event_type: WatchEventType,
    pub key: ObjectKey,
    pub object: Value,
}

#[derive(Debug, Clone, Default)]
pub struct Store {
    revision: u64,
    objects: BTreeMap<GroupResource, BTreeMap<(String, String), Value>>,
    log: Vec<WatchEvent>,
}

impl Store {
    /// The revision of the last write (what a List's `resourceVersion` shows).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The revision the next write will get; the apiserver stamps it into the object.
    pub fn next_revision(&self) -> u64 {
        self.revision + 1
    }

    pub fn get(&self, key: &ObjectKey) -> Option<&Value> {
        self.objects
            .get(&key.resource)?
            .get(&(key.namespace.clone(), key.name.clone()))
    }

    /// Objects of one resource, in (namespace, name) order; `None` namespace means all.
    pub fn list(&self, resource: &GroupResource, namespace: Option<&str>) -> Vec<&Value> {
        let Some(map) = self.objects.get(resource) else {
            return vec![];
        };
        match namespace {
            None => map.values().collect(),
            Some(ns) => map
                .range((ns.to_string(), String::new())..)
                .take_while(|((n, _), _)| n == ns)
                .map(|(_, v)| v)
                .collect(),
        }
    }

    /// Every object, in (resource, namespace, name) order.
    pub fn objects(&self) -> impl Iterator<Item = &Value> {
        self.objects.values().flat_map(|m| m.values())
    }

    pub fn count(&self, resource: &GroupResource) -> usize {
        self.objects.get(resource).map_or(0, |m| m.len())
    }

    /// Applies one change at the next revision and appends it to the watch log.
    pub fn apply(&mut self, event_type: WatchEventType, key: ObjectKey, object: Value) -> u64 {
        self.revision += 1;
        let slot = (key.namespace.clone(), key.name.clone());
        match event_type {
            WatchEventType::Added | WatchEventType::Modified => {
                self.objects
                    .entry(key.resource.clone())
                    .or_default()
                    .insert(slot, object.clone());
            }
            WatchEventType::Deleted => {
                if let Some(map) = self.objects.get_mut(&key.resource) {
                    map.remove(&slot);
                }
            }
        }
        self.log.push(WatchEvent {
            revision: self.revision,
            event_type,
            key,
            object,
        });
        self.revision
    }

    /// Watch events after `cursor` (an index into the log, not a revision).
    pub fn events_since(&self, cursor: usize) -> &[WatchEvent] {
        self.log.get(cursor..).unwrap_or(&[])
    }

    /// How many watch events there are: the cursor a new watcher starts from.
    pub fn log_len(&self) -> usize {
        self.log.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(ns: &str, name: &str) -> ObjectKey {
        ObjectKey {
            resource: GroupResource::new("", "pods"),
            namespace: ns.into(),
            name: name.into(),
        }
    }

    #[test]
    fn writes_bump_the_revision_and_feed_the_watch_log() {
        let mut s = Store::default();
        assert_eq!(
            s.apply(WatchEventType::Added, key("default", "a"), json!({"n": 1})),
            1
        );
        assert_eq!(
            s.apply(
                WatchEventType::Added,
                key("kube-system", "b"),
                json!({"n": 2})
            ),
            2
        );
        assert_eq!(
            s.apply(
                WatchEventType::Modified,
                key("default", "a"),
                json!({"n": 3})
            ),
            3
        );
        assert_eq!(s.get(&key("default", "a")), Some(&json!({"n": 3})));
        let pods = GroupResource::new("", "pods");
        assert_eq!(s.list(&pods, Some("default")).len(), 1);
        assert_eq!(s.list(&pods, None).len(), 2);
        s.apply(
            WatchEventType::Deleted,
            key("default", "a"),
            json!({"n": 3}),
        );
        assert!(s.get(&key("default", "a")).is_none());
        let types: Vec<_> = s.events_since(2).iter().map(|e| e.event_type).collect();
        assert_eq!(
            types,
            vec![WatchEventType::Modified, WatchEventType::Deleted]
        );
    }
}
