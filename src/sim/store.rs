//! etcd, as the apiserver sees it: objects keyed by resource, namespace and name, one
//! global revision counter (every write gets the next `resourceVersion`), and the watch
//! log that controllers and `kubectl get -w` read from.
//!
//! Every mutation goes through [`Store::apply`], one match over [`WatchEventType`], so the
//! object map, its indexes and the watch log can never disagree (style.md #3).
//!
//! **Indexes** are what client-go's informers keep (`cache.Indexer`): controllers ask
//! "the pods on this node", "what this uid owns", "the uncontrolled pods of this
//! namespace", "the Events about this uid" without scanning every object of a kind, so a
//! sync costs what it touches, not what the cluster holds. See [`Indexes`].
//!
//! **Reading what changed.** A watcher (a controller, `kubectl get -w`) remembers the
//! revision it has seen (`let cursor = store.revision()`), and on its next turn reads
//! `store.events_since(cursor)`: every write after that revision, in order.
//!
//! **Compaction.** Like etcd, the log keeps only recent history: [`Store::compact`] drops
//! every entry at or below a revision (the cluster calls it on etcd's schedule, never
//! above the oldest cursor a component still holds). A watch asked to start from a
//! revision that is gone gets what the apiserver answers, `410 Gone` with
//! "too old resource version" ([`Store::watch_from`]).

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

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

    /// The resource a served type is stored under.
    pub fn of(rt: &super::resources::ResourceType) -> Self {
        GroupResource::new(&rt.group, &rt.plural)
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
/// the change (for deletions, the last state). The object is shared with the object map
/// (a write is stored once, not copied for the log); it is never changed in place.
#[derive(Debug, Clone)]
pub struct WatchEvent {
    pub revision: u64,
    pub event_type: WatchEventType,
    pub key: ObjectKey,
    pub object: Arc<Value>,
}

#[derive(Debug, Clone, Default)]
pub struct Store {
    revision: u64,
    objects: BTreeMap<GroupResource, BTreeMap<(String, String), Arc<Value>>>,
    /// Writes after `compacted`, oldest first: `log[i].revision == compacted + 1 + i`.
    log: Vec<WatchEvent>,
    /// The revision through which history has been dropped (0: nothing dropped yet).
    compacted: u64,
    indexes: Indexes,
}

/// A watch asked for history the store no longer holds: the apiserver's `410 Gone`
/// (`StatusReasonExpired`). Worded as the watch cache words it
/// (k8s.io/apiserver/pkg/storage/cacher/watch_cache.go): the revision asked for, then
/// the oldest one a watch may still start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expired {
    pub requested: u64,
    pub oldest: u64,
}

impl std::fmt::Display for Expired {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "too old resource version: {} ({})",
            self.requested, self.oldest
        )
    }
}

/// (namespace, name) of an object inside one resource.
pub type Slot = (String, String);

/// A slot (or a resource) as a lookup sees it, so that finding an object by `&str`s
/// builds no owned Strings (every `get` used to copy the group, the resource, the
/// namespace and the name).
trait SlotKey {
    fn parts(&self) -> (&str, &str);
}

impl SlotKey for Slot {
    fn parts(&self) -> (&str, &str) {
        (&self.0, &self.1)
    }
}

impl SlotKey for (&str, &str) {
    fn parts(&self) -> (&str, &str) {
        (self.0, self.1)
    }
}

// A resource is ordered as its derived `Ord` does: group, then resource.
impl SlotKey for GroupResource {
    fn parts(&self) -> (&str, &str) {
        (&self.group, &self.resource)
    }
}

impl<'a> std::borrow::Borrow<dyn SlotKey + 'a> for GroupResource {
    fn borrow(&self) -> &(dyn SlotKey + 'a) {
        self
    }
}

impl<'a> std::borrow::Borrow<dyn SlotKey + 'a> for Slot {
    fn borrow(&self) -> &(dyn SlotKey + 'a) {
        self
    }
}

// The order of `(String, String)`: namespace, then name.
impl PartialEq for dyn SlotKey + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for dyn SlotKey + '_ {}

impl PartialOrd for dyn SlotKey + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn SlotKey + '_ {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.parts().cmp(&other.parts())
    }
}

/// The object at `namespace`/`name` of one resource's map, found without copying either.
fn slot_get<'m>(
    map: &'m BTreeMap<Slot, Arc<Value>>,
    namespace: &str,
    name: &str,
) -> Option<&'m Arc<Value>> {
    map.get(&(namespace, name) as &dyn SlotKey)
}

/// Secondary indexes over the stored objects, updated on every write (remove what the old
/// object contributed, add what the new one does). Each answers one question a controller
/// asks on every sync; ordered sets keep every answer in (namespace, name) order, the
/// order a full `list` would give, so using an index never changes what a reconciler does.
#[derive(Debug, Clone, Default)]
pub struct Indexes {
    /// ownerReference uid → objects naming it (controller or not).
    owned_by: BTreeMap<String, BTreeSet<ObjectKey>>,
    /// (resource, namespace) → names of objects with no controller ownerReference: the
    /// orphans a ReplicaSet or Deployment may adopt.
    uncontrolled: BTreeMap<(GroupResource, String), BTreeSet<String>>,
    /// `spec.nodeName` → pods bound there ("" → pods not bound yet).
    pods_by_node: BTreeMap<String, BTreeSet<Slot>>,
    /// `involvedObject.uid` → Events about that object.
    events_by_uid: BTreeMap<String, BTreeSet<Slot>>,
    /// (`involvedObject.uid`, reason, message) → those Events: the candidates a new
    /// Event may aggregate into, so recording the 300th "Created pod: …" about one
    /// ReplicaSet does not compare it with the 299 before it.
    events_by_reason: BTreeMap<EventKey, BTreeSet<Slot>>,
    /// `metadata.uid` → the object (the garbage collector's "is the owner still there?").
    by_uid: BTreeMap<String, BTreeSet<ObjectKey>>,
    /// Objects being deleted in the foreground (deletionTimestamp set and the
    /// `foregroundDeletion` finalizer): owners waiting for their dependents.
    foreground: BTreeSet<ObjectKey>,
    /// finalizer → objects carrying it (the Job controller's tracked pods).
    finalizers: BTreeMap<String, BTreeSet<ObjectKey>>,
}

/// What one object contributes to the indexes.
#[derive(Debug, Default, PartialEq)]
struct IndexEntries {
    owners: Vec<String>,
    uncontrolled: bool,
    node: Option<String>,
    involved_uid: Option<String>,
    event_key: Option<EventKey>,
    uid: Option<String>,
    foreground: bool,
    finalizers: Vec<String>,
}

/// An Event's `involvedObject.uid`, `reason` and `message`.
type EventKey = (String, String, String);

fn is_pods(resource: &GroupResource) -> bool {
    resource.group.is_empty() && resource.resource == "pods"
}

fn is_events(resource: &GroupResource) -> bool {
    resource.group.is_empty() && resource.resource == "events"
}

fn entries_of(resource: &GroupResource, obj: &Value) -> IndexEntries {
    let refs = obj
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array);
    let owners: Vec<String> = refs
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("uid").and_then(Value::as_str))
        .filter(|u| !u.is_empty())
        .map(String::from)
        .collect();
    let controlled = refs
        .into_iter()
        .flatten()
        .any(|r| r.get("controller").and_then(Value::as_bool) == Some(true));
    // Pods not yet bound are indexed under "": the scheduler's queue.
    let node = is_pods(resource).then(|| {
        obj.pointer("/spec/nodeName")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    });
    let involved_uid = is_events(resource).then(|| {
        obj.pointer("/involvedObject/uid")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    });
    let event_key = is_events(resource).then(|| {
        let at = |path: &str| super::object::str_at(obj, path).to_string();
        (at("/involvedObject/uid"), at("/reason"), at("/message"))
    });
    let uid = obj
        .pointer("/metadata/uid")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
        .map(String::from);
    let finalizers: Vec<String> = obj
        .pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(String::from)
        .collect();
    let foreground = obj.pointer("/metadata/deletionTimestamp").is_some()
        && finalizers.iter().any(|f| f == "foregroundDeletion");
    IndexEntries {
        owners,
        uncontrolled: !controlled,
        node,
        involved_uid,
        event_key,
        uid,
        foreground,
        finalizers,
    }
}

impl Indexes {
    fn update(&mut self, key: &ObjectKey, entries: &IndexEntries, add: bool) {
        let slot = || (key.namespace.clone(), key.name.clone());
        for owner in &entries.owners {
            edit(&mut self.owned_by, owner.clone(), key.clone(), add);
        }
        if entries.uncontrolled {
            let at = (key.resource.clone(), key.namespace.clone());
            edit(&mut self.uncontrolled, at, key.name.clone(), add);
        }
        if let Some(node) = &entries.node {
            edit(&mut self.pods_by_node, node.clone(), slot(), add);
        }
        if let Some(uid) = &entries.involved_uid {
            edit(&mut self.events_by_uid, uid.clone(), slot(), add);
        }
        if let Some(at) = &entries.event_key {
            edit(&mut self.events_by_reason, at.clone(), slot(), add);
        }
        if let Some(uid) = &entries.uid {
            edit(&mut self.by_uid, uid.clone(), key.clone(), add);
        }
        for finalizer in &entries.finalizers {
            edit(&mut self.finalizers, finalizer.clone(), key.clone(), add);
        }
        if entries.foreground {
            if add {
                self.foreground.insert(key.clone());
            } else {
                self.foreground.remove(key);
            }
        }
    }
}

/// Adds `item` to (or removes it from) the set at `at`, dropping sets that empty.
fn edit<K: Ord, T: Ord>(index: &mut BTreeMap<K, BTreeSet<T>>, at: K, item: T, add: bool) {
    if add {
        index.entry(at).or_default().insert(item);
    } else if let Some(set) = index.get_mut(&at) {
        set.remove(&item);
        if set.is_empty() {
            index.remove(&at);
        }
    }
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
            .get(&key.resource)
            .and_then(|map| slot_get(map, &key.namespace, &key.name))
            .map(|v| &**v)
    }

    /// The object of `group`/`resource` at `namespace`/`name` ("" for cluster-scoped),
    /// found without building an [`ObjectKey`].
    pub fn get_at(
        &self,
        group: &str,
        resource: &str,
        namespace: &str,
        name: &str,
    ) -> Option<&Arc<Value>> {
        let map = self.objects.get(&(group, resource) as &dyn SlotKey)?;
        slot_get(map, namespace, name)
    }

    /// [`Store::get`], sharing the stored object instead of borrowing it.
    pub fn get_shared(&self, key: &ObjectKey) -> Option<Arc<Value>> {
        self.objects
            .get(&key.resource)
            .and_then(|map| slot_get(map, &key.namespace, &key.name))
            .cloned()
    }

    /// Objects of one resource, in (namespace, name) order; `None` namespace means all.
    pub fn list(&self, resource: &GroupResource, namespace: Option<&str>) -> Vec<&Value> {
        let Some(map) = self.objects.get(resource) else {
            return vec![];
        };
        match namespace {
            None => map.values().map(|v| &**v).collect(),
            Some(ns) => map
                .range((ns.to_string(), String::new())..)
                .take_while(|((n, _), _)| n == ns)
                .map(|(_, v)| &**v)
                .collect(),
        }
    }

    /// [`Store::list`], the objects shared with the store: for a caller that writes
    /// while it reads them (the DaemonSet controller's nodes and pods), which would
    /// otherwise copy each one.
    pub fn list_shared(
        &self,
        resource: &GroupResource,
        namespace: Option<&str>,
    ) -> Vec<Arc<Value>> {
        let Some(map) = self.objects.get(resource) else {
            return vec![];
        };
        match namespace {
            None => map.values().cloned().collect(),
            Some(ns) => map
                .range((ns.to_string(), String::new())..)
                .take_while(|((n, _), _)| n == ns)
                .map(|(_, v)| Arc::clone(v))
                .collect(),
        }
    }

    /// Every object, in (resource, namespace, name) order.
    pub fn objects(&self) -> impl Iterator<Item = &Value> {
        self.objects.values().flat_map(|m| m.values().map(|v| &**v))
    }

    pub fn count(&self, resource: &GroupResource) -> usize {
        self.objects.get(resource).map_or(0, |m| m.len())
    }

    /// Applies one change at the next revision and appends it to the watch log.
    pub fn apply(&mut self, event_type: WatchEventType, key: ObjectKey, object: Value) -> u64 {
        self.revision += 1;
        let object = Arc::new(object);
        let slot = (key.namespace.clone(), key.name.clone());
        let old = match event_type {
            WatchEventType::Added | WatchEventType::Modified => self
                .objects
                .entry(key.resource.clone())
                .or_default()
                .insert(slot, Arc::clone(&object)),
            WatchEventType::Deleted => self
                .objects
                .get_mut(&key.resource)
                .and_then(|map| map.remove(&slot)),
        };
        let before = old.map(|o| entries_of(&key.resource, &o));
        let after =
            (event_type != WatchEventType::Deleted).then(|| entries_of(&key.resource, &object));
        if before != after {
            if let Some(before) = &before {
                self.indexes.update(&key, before, false);
            }
            if let Some(after) = &after {
                self.indexes.update(&key, after, true);
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

    /// Watch events after `cursor`, the revision the watcher last saw (see the module
    /// comment). The cluster never compacts above a live cursor; a cursor below the
    /// compacted revision would be a bug, and gets what is left.
    pub fn events_since(&self, cursor: u64) -> &[WatchEvent] {
        debug_assert!(
            cursor >= self.compacted,
            "cursor {cursor} below the compacted revision {}",
            self.compacted
        );
        self.watch_from(cursor.max(self.compacted)).unwrap_or(&[])
    }

    /// A watch from `revision` (what `?watch=1&resourceVersion=N` asks): the writes after
    /// it, or `410 Gone` when compaction has dropped some of them.
    pub fn watch_from(&self, revision: u64) -> Result<&[WatchEvent], Expired> {
        if revision < self.compacted {
            return Err(Expired {
                requested: revision,
                oldest: self.compacted,
            });
        }
        let skip = usize::try_from(revision - self.compacted).unwrap_or(usize::MAX);
        Ok(self.log.get(skip..).unwrap_or(&[]))
    }

    /// Drops the watch history at or below `revision` (etcd's compaction); asking for
    /// less than what is already compacted changes nothing.
    pub fn compact(&mut self, revision: u64) {
        let revision = revision.min(self.revision);
        if revision <= self.compacted {
            return;
        }
        let drop = usize::try_from(revision - self.compacted).unwrap_or(usize::MAX);
        self.log.drain(..drop.min(self.log.len()));
        self.compacted = revision;
    }

    /// The revision through which history has been compacted away.
    pub fn compacted(&self) -> u64 {
        self.compacted
    }

    /// The watch history still held: what compaction bounds.
    pub fn retained_log(&self) -> &[WatchEvent] {
        &self.log
    }

    fn resolve<'a>(
        &'a self,
        resource: &GroupResource,
        slots: Option<&'a BTreeSet<Slot>>,
    ) -> Vec<&'a Value> {
        let Some(map) = self.objects.get(resource) else {
            return vec![];
        };
        slots
            .into_iter()
            .flatten()
            .filter_map(|slot| map.get(slot))
            .map(|v| &**v)
            .collect()
    }

    /// Pods bound to `node` (`""`: not bound yet), in (namespace, name) order.
    pub fn pods_on_node(&self, node: &str) -> Vec<&Value> {
        let pods = GroupResource::new("", "pods");
        self.resolve(&pods, self.indexes.pods_by_node.get(node))
    }

    /// Events whose `involvedObject.uid` is `uid`, in (namespace, name) order.
    pub fn events_about(&self, uid: &str) -> Vec<&Value> {
        let events = GroupResource::new("", "events");
        self.resolve(&events, self.indexes.events_by_uid.get(uid))
    }

    /// Events about `uid` with this `reason` and `message`, in (namespace, name) order:
    /// [`Store::events_about`] narrowed to what a new Event could aggregate into.
    pub fn events_like(&self, uid: &str, reason: &str, message: &str) -> Vec<&Value> {
        let events = GroupResource::new("", "events");
        let at = (uid.to_string(), reason.to_string(), message.to_string());
        self.resolve(&events, self.indexes.events_by_reason.get(&at))
    }

    /// Objects of `resource` with an ownerReference to `owner_uid` (any resource when
    /// `None`), in (resource, namespace, name) order.
    pub fn owned_by(&self, owner_uid: &str, resource: Option<&GroupResource>) -> Vec<&Value> {
        self.indexes
            .owned_by
            .get(owner_uid)
            .into_iter()
            .flatten()
            .filter(|k| resource.is_none_or(|r| *r == k.resource))
            .filter_map(|k| self.get(k))
            .collect()
    }

    /// Keys of every object with an ownerReference to `owner_uid`.
    pub fn keys_owned_by(&self, owner_uid: &str) -> Vec<&ObjectKey> {
        self.indexes
            .owned_by
            .get(owner_uid)
            .into_iter()
            .flatten()
            .collect()
    }

    /// Whether an object with this uid is stored.
    pub fn has_uid(&self, uid: &str) -> bool {
        self.indexes.by_uid.contains_key(uid)
    }

    /// Every uid some stored object names in its ownerReferences, in order.
    pub fn owner_uids(&self) -> impl Iterator<Item = &str> {
        self.indexes.owned_by.keys().map(String::as_str)
    }

    /// Objects of `resource` carrying `finalizer`, in (namespace, name) order.
    pub fn with_finalizer(&self, resource: &GroupResource, finalizer: &str) -> Vec<&Value> {
        self.indexes
            .finalizers
            .get(finalizer)
            .into_iter()
            .flatten()
            .filter(|k| k.resource == *resource)
            .filter_map(|k| self.get(k))
            .collect()
    }

    /// Keys of the objects being deleted in the foreground, in key order.
    pub fn foreground_deleting(&self) -> &BTreeSet<ObjectKey> {
        &self.indexes.foreground
    }

    /// Objects of `resource` in `namespace` without a controller ownerReference.
    pub fn uncontrolled(&self, resource: &GroupResource, namespace: &str) -> Vec<&Value> {
        let Some(map) = self.objects.get(resource) else {
            return vec![];
        };
        self.indexes
            .uncontrolled
            .get(&(resource.clone(), namespace.to_string()))
            .into_iter()
            .flatten()
            .filter_map(|name| slot_get(map, namespace, name))
            .map(|v| &**v)
            .collect()
    }

    /// Objects of `resource` in `namespace` a controller with uid `owner_uid` may claim:
    /// the ones it controls and the uncontrolled ones, in name order — what a full list
    /// of the namespace would hand `ClaimPods`, less the objects other controllers own.
    pub fn claimable(
        &self,
        resource: &GroupResource,
        namespace: &str,
        owner_uid: &str,
    ) -> Vec<&Value> {
        self.claimable_shared(resource, namespace, owner_uid)
            .into_iter()
            .map(|v| &**v)
            .collect()
    }

    /// [`Store::claimable`], the objects shared with the store rather than borrowed: a
    /// controller that writes while it holds them copies none (the ReplicaSet
    /// controller's pods on every sync).
    pub fn claimable_shared(
        &self,
        resource: &GroupResource,
        namespace: &str,
        owner_uid: &str,
    ) -> Vec<&Arc<Value>> {
        let Some(map) = self.objects.get(resource) else {
            return vec![];
        };
        let mut names: BTreeSet<&str> = self
            .indexes
            .uncontrolled
            .get(&(resource.clone(), namespace.to_string()))
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        names.extend(
            self.indexes
                .owned_by
                .get(owner_uid)
                .into_iter()
                .flatten()
                .filter(|k| k.resource == *resource && k.namespace == namespace)
                .map(|k| k.name.as_str()),
        );
        names
            .into_iter()
            .filter_map(|name| slot_get(map, namespace, name))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

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

    #[test]
    fn compaction_drops_old_history_and_a_watch_from_it_is_gone() {
        let mut s = Store::default();
        for n in 1..=5 {
            s.apply(
                WatchEventType::Added,
                key("default", &format!("p{n}")),
                json!({"n": n}),
            );
        }
        s.compact(3);
        assert_eq!(s.compacted(), 3);
        assert_eq!(s.retained_log().len(), 2);
        let revisions: Vec<u64> = s.events_since(3).iter().map(|e| e.revision).collect();
        assert_eq!(revisions, vec![4, 5]);
        assert_eq!(s.events_since(5).len(), 0);
        assert_eq!(
            s.watch_from(2).unwrap_err().to_string(),
            "too old resource version: 2 (3)"
        );
        // Compacting backwards or beyond the head changes nothing it should not.
        s.compact(1);
        assert_eq!(s.compacted(), 3);
        s.compact(99);
        assert_eq!(s.compacted(), 5);
        assert!(s.retained_log().is_empty());
        s.apply(WatchEventType::Added, key("default", "p6"), json!({"n": 6}));
        let revisions: Vec<u64> = s.events_since(5).iter().map(|e| e.revision).collect();
        assert_eq!(revisions, vec![6]);
        // The objects themselves are untouched.
        assert_eq!(s.list(&GroupResource::new("", "pods"), None).len(), 6);
    }

    fn pod(name: &str, node: &str, owner: Option<(&str, bool)>) -> Value {
        let mut p =
            json!({"metadata": {"name": name, "namespace": "default"}, "spec": {"nodeName": node}});
        if let Some((uid, controller)) = owner {
            p["metadata"]["ownerReferences"] = json!([{"uid": uid, "controller": controller}]);
        }
        p
    }

    fn names(values: Vec<&Value>) -> Vec<String> {
        values
            .iter()
            .map(|v| crate::sim::object::name(v).to_string())
            .collect()
    }

    #[test]
    fn indexes_answer_from_the_latest_write() {
        let pods = GroupResource::new("", "pods");
        // (writes, node asked, owner asked, want on node, want owned, want uncontrolled)
        type Case<'a> = (
            Vec<(WatchEventType, Value)>,
            &'a str,
            &'a str,
            Vec<&'a str>,
            Vec<&'a str>,
            Vec<&'a str>,
        );
        let cases: Vec<Case> = vec![
            (
                vec![(WatchEventType::Added, pod("a", "n1", Some(("rs1", true))))],
                "n1",
                "rs1",
                vec!["a"],
                vec!["a"],
                vec![],
            ),
            // Bound later: moves from the "" bucket to its node.
            (
                vec![
                    (WatchEventType::Added, pod("a", "", None)),
                    (WatchEventType::Modified, pod("a", "n2", None)),
                ],
                "",
                "rs1",
                vec![],
                vec![],
                vec!["a"],
            ),
            // Released by its owner: no longer owned, now uncontrolled.
            (
                vec![
                    (WatchEventType::Added, pod("a", "n1", Some(("rs1", true)))),
                    (WatchEventType::Modified, pod("a", "n1", None)),
                ],
                "n1",
                "rs1",
                vec!["a"],
                vec![],
                vec!["a"],
            ),
            // A non-controller reference counts as owned and leaves the pod uncontrolled.
            (
                vec![(WatchEventType::Added, pod("b", "n1", Some(("rs1", false))))],
                "n1",
                "rs1",
                vec!["b"],
                vec!["b"],
                vec!["b"],
            ),
            // Deleted: gone from every index.
            (
                vec![
                    (WatchEventType::Added, pod("a", "n1", Some(("rs1", true)))),
                    (WatchEventType::Added, pod("c", "n1", None)),
                    (WatchEventType::Deleted, pod("a", "n1", Some(("rs1", true)))),
                ],
                "n1",
                "rs1",
                vec!["c"],
                vec![],
                vec!["c"],
            ),
        ];
        for (i, (writes, node, owner, on_node, owned, uncontrolled)) in
            cases.into_iter().enumerate()
        {
            let mut s = Store::default();
            for (t, obj) in writes {
                let name = crate::sim::object::name(&obj).to_string();
                s.apply(t, key("default", &name), obj);
            }
            assert_eq!(
                names(s.pods_on_node(node)),
                on_node,
                "case {i}: pods on {node:?}"
            );
            assert_eq!(
                names(s.owned_by(owner, Some(&pods))),
                owned,
                "case {i}: owned"
            );
            assert_eq!(
                names(s.uncontrolled(&pods, "default")),
                uncontrolled,
                "case {i}: uncontrolled"
            );
        }
    }

    #[test]
    fn events_are_indexed_by_the_object_they_are_about() {
        let events = GroupResource::new("", "events");
        let mut s = Store::default();
        let ev = |name: &str, uid: &str| json!({"metadata": {"name": name, "namespace": "default"}, "involvedObject": {"uid": uid}});
        let k = |name: &str| ObjectKey {
            resource: events.clone(),
            namespace: "default".into(),
            name: name.into(),
        };
        s.apply(WatchEventType::Added, k("e1"), ev("e1", "u1"));
        s.apply(WatchEventType::Added, k("e2"), ev("e2", "u2"));
        s.apply(WatchEventType::Added, k("e3"), ev("e3", "u1"));
        assert_eq!(names(s.events_about("u1")), vec!["e1", "e3"]);
        s.apply(WatchEventType::Deleted, k("e1"), ev("e1", "u1"));
        assert_eq!(names(s.events_about("u1")), vec!["e3"]);
        assert!(s.events_about("u3").is_empty());
    }

    #[test]
    fn events_are_indexed_by_object_reason_and_message() {
        let events = GroupResource::new("", "events");
        let mut s = Store::default();
        let ev = |name: &str, uid: &str, message: &str| {
            json!({"metadata": {"name": name, "namespace": "default"}, "involvedObject": {"uid": uid},
                   "reason": "SuccessfulCreate", "message": message})
        };
        let k = |name: &str| ObjectKey {
            resource: events.clone(),
            namespace: "default".into(),
            name: name.into(),
        };
        s.apply(
            WatchEventType::Added,
            k("e1"),
            ev("e1", "u1", "Created pod: a"),
        );
        s.apply(
            WatchEventType::Added,
            k("e2"),
            ev("e2", "u1", "Created pod: b"),
        );
        s.apply(
            WatchEventType::Added,
            k("e3"),
            ev("e3", "u2", "Created pod: a"),
        );
        s.apply(
            WatchEventType::Added,
            k("e4"),
            ev("e4", "u1", "Created pod: a"),
        );
        let like = |s: &Store, uid, message| names(s.events_like(uid, "SuccessfulCreate", message));
        assert_eq!(like(&s, "u1", "Created pod: a"), vec!["e1", "e4"]);
        assert_eq!(like(&s, "u1", "Created pod: b"), vec!["e2"]);
        assert!(names(s.events_like("u1", "Killing", "Created pod: a")).is_empty());
        // A message rewritten in place moves the Event to its new key.
        s.apply(
            WatchEventType::Modified,
            k("e1"),
            ev("e1", "u1", "Created pod: b"),
        );
        assert_eq!(like(&s, "u1", "Created pod: a"), vec!["e4"]);
        assert_eq!(like(&s, "u1", "Created pod: b"), vec!["e1", "e2"]);
        s.apply(
            WatchEventType::Deleted,
            k("e4"),
            ev("e4", "u1", "Created pod: a"),
        );
        assert!(like(&s, "u1", "Created pod: a").is_empty());
    }

    mod agree_with_a_full_scan {
        use super::*;
        use proptest::prelude::*;

        /// One random write: which pod, Added/Modified or Deleted, node, owner.
        fn write() -> impl Strategy<Value = (u8, bool, u8, u8, bool)> {
            (0u8..8, any::<bool>(), 0u8..4, 0u8..4, any::<bool>())
        }

        proptest! {
            #[test]
            fn after_any_writes(writes in proptest::collection::vec(write(), 0..60)) {
                let pods = GroupResource::new("", "pods");
                let mut s = Store::default();
                for (n, delete, node, owner, controller) in writes {
                    let name = format!("p{n}");
                    let node = if node == 0 { String::new() } else { format!("n{node}") };
                    let owner_uid = format!("o{owner}");
                    let obj = pod(&name, &node, (owner > 0).then_some((owner_uid.as_str(), controller)));
                    let exists = s.get(&key("default", &name)).is_some();
                    let t = match (delete, exists) {
                        (true, true) => WatchEventType::Deleted,
                        (true, false) => continue,
                        (false, true) => WatchEventType::Modified,
                        (false, false) => WatchEventType::Added,
                    };
                    s.apply(t, key("default", &name), obj);
                }
                let all = s.list(&pods, None);
                for node in ["", "n1", "n2", "n3"] {
                    let scan: Vec<&Value> = all.iter().copied()
                        .filter(|p| crate::sim::object::str_at(p, "/spec/nodeName") == node)
                        .collect();
                    prop_assert_eq!(s.pods_on_node(node), scan);
                }
                for owner in ["o1", "o2", "o3"] {
                    let scan: Vec<&Value> = all.iter().copied()
                        .filter(|p| crate::sim::object::owner_refs(p).iter().any(|r| r.uid == owner))
                        .collect();
                    prop_assert_eq!(s.owned_by(owner, Some(&pods)), scan);
                    let claimable: Vec<&Value> = all.iter().copied()
                        .filter(|p| crate::sim::object::controller_of(p).is_none_or(|r| r.uid == owner)
                            || crate::sim::object::owner_refs(p).iter().any(|r| r.uid == owner))
                        .collect();
                    prop_assert_eq!(s.claimable(&pods, "default", owner), claimable);
                }
                let uncontrolled: Vec<&Value> = all.iter().copied()
                    .filter(|p| crate::sim::object::controller_of(p).is_none())
                    .collect();
                prop_assert_eq!(s.uncontrolled(&pods, "default"), uncontrolled);
                // The borrowed lookup finds what the keyed one does, and nothing else.
                for n in 0..=255u8 {
                    let name = format!("p{n}");
                    prop_assert_eq!(
                        s.get_at("", "pods", "default", &name).map(|v| &**v),
                        s.get(&key("default", &name))
                    );
                    prop_assert!(s.get_at("", "pods", "other", &name).is_none());
                    prop_assert!(s.get_at("apps", "pods", "default", &name).is_none());
                }
            }
        }
    }
}
