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

use super::packed::Packed;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

/// A resource in the API: group + plural (`apps`/`deployments`, ``/`pods`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    objects: BTreeMap<GroupResource, BTreeMap<(String, String), Stored>>,
    /// Writes after `compacted` that every component has read (see
    /// [`Store::settle_history`]), oldest first: `history[i]` is revision
    /// `compacted + 1 + i`.
    history: VecDeque<Past>,
    /// The writes after the history, oldest first: `log[i].revision` is
    /// `compacted + history.len() + 1 + i`.
    log: Vec<WatchEvent>,
    /// The revision through which history has been dropped (0: nothing dropped yet).
    compacted: u64,
    indexes: Indexes,
    /// The packed managedFields of the objects, each distinct one held once.
    managed_fields_pool: Pool,
}

/// Packed values held once each (hash-consing): the pods of one ReplicaSet, created in
/// the same second, have the same managedFields, and so do many Events. Entries no
/// object holds any more are dropped when the pool has doubled since it was last swept,
/// so it never holds more than twice what is in use.
#[derive(Debug, Clone, Default)]
struct Pool {
    /// Hashed with FxHash: SipHash over every packing written was a percent of a run,
    /// and nothing iterates this set in an order that shows.
    held: rustc_hash::FxHashSet<Packed>,
    swept_at: usize,
}

impl Pool {
    fn intern(&mut self, packed: Packed) -> Packed {
        if let Some(same) = self.held.get(&packed) {
            return same.clone();
        }
        if self.held.len() >= 2 * self.swept_at.max(512) {
            self.held.retain(|p| p.shared() > 1);
            self.swept_at = self.held.len();
        }
        self.held.insert(packed.clone());
        packed
    }
}

/// An object in the object map, with the revision that wrote it (where its watch event
/// is in the log) and its `metadata.managedFields`, held apart and packed (see
/// [`Store::apply`]).
#[derive(Debug, Clone)]
struct Stored {
    revision: u64,
    body: Body,
    managed_fields: Option<Packed>,
}

/// How the object map holds an object. An Event every component has read is held
/// packed: Events are most of the objects a busy cluster holds (six for every pod
/// started) and, once recorded, are read only by `kubectl get events`, `describe` and
/// the recorder when the same thing happens again. A read unpacks one and keeps the
/// `Value` beside it until the Event is written again or removed (an Event lives an
/// hour).
#[derive(Debug, Clone)]
enum Body {
    /// Shared with the watch log (and history while it is current).
    Live(Arc<Value>),
    /// Packed as its history entry is ([`Past::pack`]: the key, then the object).
    Cold {
        packed: Packed,
        unpacked: std::sync::OnceLock<Arc<Value>>,
    },
}

impl Stored {
    fn object(&self) -> &Arc<Value> {
        match &self.body {
            Body::Live(object) => object,
            Body::Cold { packed, unpacked } => {
                unpacked.get_or_init(|| Arc::new(packed.unpack_with(PAST_KEY_STRINGS).1))
            }
        }
    }
}

/// A write every component has read, kept for a watch from an old revision (etcd's
/// history until compaction). While the object it wrote is still current the entry
/// shares it with the object map; once superseded (or deleted), only this entry holds
/// that version, so it is packed: the event type, key and object as a few bytes, which
/// cost a fraction of the `Value` (see `sim::packed`).
#[derive(Debug, Clone)]
enum Past {
    Current(Box<WatchEvent>),
    Packed(Packed),
}

/// The strings [`Past::pack`] puts ahead of the object: the event type and the key.
const PAST_KEY_STRINGS: usize = 5;

impl Past {
    fn pack(event: &WatchEvent) -> Past {
        let k = &event.key;
        Past::Packed(Packed::pack_with(
            &[
                event.event_type.as_str(),
                &k.resource.group,
                &k.resource.resource,
                &k.namespace,
                &k.name,
            ],
            &event.object,
        ))
    }

    fn event(&self, revision: u64) -> WatchEvent {
        match self {
            Past::Current(event) => WatchEvent::clone(event),
            Past::Packed(packed) => {
                let (strings, object) = packed.unpack_with(PAST_KEY_STRINGS);
                let [event_type, group, resource, namespace, name] =
                    <[String; 5]>::try_from(strings).expect("five strings were packed");
                let event_type = match event_type.as_str() {
                    "ADDED" => WatchEventType::Added,
                    "MODIFIED" => WatchEventType::Modified,
                    _ => WatchEventType::Deleted,
                };
                WatchEvent {
                    revision,
                    event_type,
                    key: ObjectKey {
                        resource: GroupResource { group, resource },
                        namespace,
                        name,
                    },
                    object: Arc::new(object),
                }
            }
        }
    }
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
    map: &'m BTreeMap<Slot, Stored>,
    namespace: &str,
    name: &str,
) -> Option<&'m Arc<Value>> {
    map.get(&(namespace, name) as &dyn SlotKey)
        .map(Stored::object)
}

/// Secondary indexes over the stored objects, updated on every write (remove what the old
/// object contributed, add what the new one does). Each answers one question a controller
/// asks on every sync; ordered sets keep every answer in (namespace, name) order, the
/// order a full `list` would give, so using an index never changes what a reconciler does.
#[derive(Debug, Clone, Default)]
pub struct Indexes {
    /// ownerReference uid → objects naming it (controller or not).
    owned_by: Multi<String, ObjectKey>,
    /// (resource, namespace) → names of objects with no controller ownerReference: the
    /// orphans a ReplicaSet or Deployment may adopt.
    uncontrolled: Multi<(GroupResource, String), String>,
    /// `spec.nodeName` → pods bound there ("" → pods not bound yet).
    pods_by_node: Multi<String, Slot>,
    /// `involvedObject.uid` → Events about that object.
    events_by_uid: Multi<String, Slot>,
    /// (`involvedObject.uid`, reason, message) → those Events: the candidates a new
    /// Event may aggregate into, so recording the 300th "Created pod: …" about one
    /// ReplicaSet does not compare it with the 299 before it.
    events_by_reason: Multi<EventKey, Slot>,
    /// `metadata.uid` → the object (the garbage collector's "is the owner still there?").
    by_uid: Multi<String, ObjectKey>,
    /// Objects being deleted in the foreground (deletionTimestamp set and the
    /// `foregroundDeletion` finalizer): owners waiting for their dependents.
    foreground: BTreeSet<ObjectKey>,
    /// finalizer → objects carrying it (the Job controller's tracked pods).
    finalizers: Multi<String, ObjectKey>,
}

/// A key → set-of-items index held as one ordered set of (key, item) pairs. Most keys
/// have one item or a few (a uid, an Event's reason and message, a pod's node), and a
/// set of its own per key costs a B-tree node with room for eleven items, over half a
/// kilobyte for one; pairs share nodes. Items of a key come in order, as a set's would.
#[derive(Debug, Clone)]
struct Multi<K, T>(BTreeSet<(K, T)>);

impl<K, T> Default for Multi<K, T> {
    fn default() -> Self {
        Multi(BTreeSet::new())
    }
}

impl<K: Ord + Clone, T: Ord + Default> Multi<K, T> {
    /// Adds `item` under `at`, or removes it.
    fn edit(&mut self, at: K, item: T, add: bool) {
        if add {
            self.0.insert((at, item));
        } else {
            self.0.remove(&(at, item));
        }
    }

    /// The items under `at`, in order. (`T::default()` is the least item: empty strings.)
    fn get(&self, at: K) -> impl Iterator<Item = &T> + '_ {
        self.0
            .range((at.clone(), T::default())..)
            .take_while(move |(k, _)| *k == at)
            .map(|(_, item)| item)
    }

    /// Every key with an item, once each, in order.
    fn keys(&self) -> impl Iterator<Item = &K> + '_ {
        let mut last: Option<&K> = None;
        self.0.iter().filter_map(move |(k, _)| {
            let new = last != Some(k);
            last = Some(k);
            new.then_some(k)
        })
    }
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
    let refs = super::object::at(obj, "/metadata/ownerReferences").and_then(Value::as_array);
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
        super::object::at(obj, "/spec/nodeName")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    });
    let involved_uid = is_events(resource).then(|| {
        super::object::at(obj, "/involvedObject/uid")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    });
    let event_key = is_events(resource).then(|| {
        let at = |path: &str| super::object::str_at(obj, path).to_string();
        (at("/involvedObject/uid"), at("/reason"), at("/message"))
    });
    let uid = super::object::at(obj, "/metadata/uid")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
        .map(String::from);
    let finalizers: Vec<String> = super::object::at(obj, "/metadata/finalizers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(String::from)
        .collect();
    let foreground = super::object::at(obj, "/metadata/deletionTimestamp").is_some()
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
            self.owned_by.edit(owner.clone(), key.clone(), add);
        }
        if entries.uncontrolled {
            let at = (key.resource.clone(), key.namespace.clone());
            self.uncontrolled.edit(at, key.name.clone(), add);
        }
        if let Some(node) = &entries.node {
            self.pods_by_node.edit(node.clone(), slot(), add);
        }
        if let Some(uid) = &entries.involved_uid {
            self.events_by_uid.edit(uid.clone(), slot(), add);
        }
        if let Some(at) = &entries.event_key {
            self.events_by_reason.edit(at.clone(), slot(), add);
        }
        if let Some(uid) = &entries.uid {
            self.by_uid.edit(uid.clone(), key.clone(), add);
        }
        for finalizer in &entries.finalizers {
            self.finalizers.edit(finalizer.clone(), key.clone(), add);
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

impl Store {
    /// The revision of the last write (what a List's `resourceVersion` shows).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The revision the next write will get; the apiserver stamps it into the object.
    pub fn next_revision(&self) -> u64 {
        self.revision + 1
    }

    /// The object map's entry for `key`.
    fn stored(&self, key: &ObjectKey) -> Option<&Stored> {
        self.objects
            .get(&key.resource)?
            .get(&(key.namespace.as_str(), key.name.as_str()) as &dyn SlotKey)
    }

    pub fn get(&self, key: &ObjectKey) -> Option<&Value> {
        self.stored(key).map(|stored| &**stored.object())
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
        self.stored(key).map(|stored| Arc::clone(stored.object()))
    }

    /// The object's `metadata.managedFields` (held apart from it, see [`Store::apply`]),
    /// or `None` when it has none or does not exist.
    pub fn managed_fields(&self, key: &ObjectKey) -> Option<Value> {
        self.stored(key)?
            .managed_fields
            .as_ref()
            .map(Packed::unpack)
    }

    /// The object as the apiserver serves it, `metadata.managedFields` included (a copy:
    /// the store holds them apart, see [`Store::apply`]).
    pub fn get_with_managed_fields(&self, key: &ObjectKey) -> Option<Value> {
        let mut object = self.get(key)?.clone();
        if let Some(entries) = self.managed_fields(key) {
            super::object::meta_mut(&mut object).insert("managedFields".into(), entries);
        }
        Some(object)
    }

    /// Objects of one resource, in (namespace, name) order; `None` namespace means all.
    pub fn list(&self, resource: &GroupResource, namespace: Option<&str>) -> Vec<&Value> {
        let Some(map) = self.objects.get(resource) else {
            return vec![];
        };
        match namespace {
            None => map.values().map(|v| &**v.object()).collect(),
            Some(ns) => map
                .range((ns.to_string(), String::new())..)
                .take_while(|((n, _), _)| n == ns)
                .map(|(_, v)| &**v.object())
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
            None => map.values().map(|v| Arc::clone(v.object())).collect(),
            Some(ns) => map
                .range((ns.to_string(), String::new())..)
                .take_while(|((n, _), _)| n == ns)
                .map(|(_, v)| Arc::clone(v.object()))
                .collect(),
        }
    }

    /// Every object, in (resource, namespace, name) order.
    pub fn objects(&self) -> impl Iterator<Item = &Value> {
        self.objects
            .values()
            .flat_map(|m| m.values().map(|v| &**v.object()))
    }

    /// Every object with its resource, in (resource, namespace, name) order.
    pub fn objects_by_resource(&self) -> impl Iterator<Item = (&GroupResource, &Value)> {
        self.objects
            .iter()
            .flat_map(|(r, m)| m.values().map(move |v| (r, &**v.object())))
    }

    pub fn count(&self, resource: &GroupResource) -> usize {
        self.objects.get(resource).map_or(0, |m| m.len())
    }

    /// Applies one change at the next revision and appends it to the watch log.
    ///
    /// The object's `metadata.managedFields` are taken out of it and held packed beside
    /// it: they were almost half of what a live object cost as a `Value` (FieldsV1 is
    /// made of small maps), and only the field manager and `--show-managed-fields` read
    /// them ([`Store::managed_fields`], [`Store::get_with_managed_fields`]). The object
    /// map, the watch log and the history hold the object without them.
    pub fn apply(&mut self, event_type: WatchEventType, key: ObjectKey, mut object: Value) -> u64 {
        self.revision += 1;
        let managed_fields = object
            .get_mut("metadata")
            .and_then(Value::as_object_mut)
            .and_then(|meta| meta.remove("managedFields"))
            .map(|entries| self.managed_fields_pool.intern(Packed::pack(&entries)));
        let object = Arc::new(object);
        let slot = (key.namespace.clone(), key.name.clone());
        let old = match event_type {
            WatchEventType::Added | WatchEventType::Modified => {
                let stored = Stored {
                    revision: self.revision,
                    body: Body::Live(Arc::clone(&object)),
                    managed_fields,
                };
                self.objects
                    .entry(key.resource.clone())
                    .or_default()
                    .insert(slot, stored)
            }
            WatchEventType::Deleted => self
                .objects
                .get_mut(&key.resource)
                .and_then(|map| map.remove(&slot)),
        };
        if let Some(old) = &old {
            self.superseded(old.revision);
        }
        let before = old.map(|o| entries_of(&key.resource, o.object()));
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

    /// The revision the history ends at: every write after it is in `log`.
    fn history_end(&self) -> u64 {
        self.compacted + self.history.len() as u64
    }

    /// The version written at `revision` is no longer the object's current one: if
    /// history holds it, only history does, so it is packed.
    fn superseded(&mut self, revision: u64) {
        let Some(at) = revision
            .checked_sub(self.compacted + 1)
            .and_then(|i| usize::try_from(i).ok())
        else {
            return;
        };
        if let Some(past) = self.history.get_mut(at) {
            if let Past::Current(event) = past {
                *past = Past::pack(event);
            }
        }
    }

    /// Every component has read the writes through `revision` (the oldest cursor): they
    /// move from the log into the history, where a version no longer current is packed.
    /// Nothing a watcher sees changes; only how the older history is held.
    pub fn settle_history(&mut self, revision: u64) {
        let through = revision.min(self.revision);
        let Some(moved) = through
            .checked_sub(self.history_end())
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n > 0)
        else {
            return;
        };
        for event in self.log.drain(..moved.min(self.log.len())) {
            let slot = (event.key.namespace.as_str(), event.key.name.as_str());
            let current = self
                .objects
                .get_mut(&event.key.resource)
                .and_then(|map| map.get_mut(&slot as &dyn SlotKey))
                .filter(|stored| {
                    event.event_type != WatchEventType::Deleted && stored.revision == event.revision
                });
            match current {
                // Read by every component: the Event goes cold (see [`Body`]), with one
                // packing for the object map and the history (the map skips the key).
                Some(stored) if is_events(&event.key.resource) => {
                    let past = Past::pack(&event);
                    if let Past::Packed(packed) = &past {
                        stored.body = Body::Cold {
                            packed: packed.clone(),
                            unpacked: std::sync::OnceLock::new(),
                        };
                    }
                    self.history.push_back(past);
                }
                Some(_) => self.history.push_back(Past::Current(Box::new(event))),
                None => self.history.push_back(Past::pack(&event)),
            }
        }
    }

    /// Watch events after `cursor`, the revision the watcher last saw (see the module
    /// comment). A component's cursor is never below what every component has read
    /// ([`Store::settle_history`]); a cursor below it would be a bug, and gets the
    /// writes after it.
    pub fn events_since(&self, cursor: u64) -> &[WatchEvent] {
        let start = self.history_end();
        debug_assert!(
            cursor >= start,
            "cursor {cursor} below the revision every component has read, {start}"
        );
        let skip = usize::try_from(cursor.saturating_sub(start)).unwrap_or(usize::MAX);
        self.log.get(skip..).unwrap_or(&[])
    }

    /// A watch from `revision` (what `?watch=1&resourceVersion=N` asks): the writes after
    /// it, or `410 Gone` when compaction has dropped some of them. Writes every component
    /// has read come back from the history (unpacked); later ones are borrowed.
    pub fn watch_from(&self, revision: u64) -> Result<Cow<'_, [WatchEvent]>, Expired> {
        if revision < self.compacted {
            return Err(Expired {
                requested: revision,
                oldest: self.compacted,
            });
        }
        let start = self.history_end();
        if revision >= start {
            let skip = usize::try_from(revision - start).unwrap_or(usize::MAX);
            return Ok(Cow::Borrowed(self.log.get(skip..).unwrap_or(&[])));
        }
        let skip = usize::try_from(revision - self.compacted).expect("within the history");
        let past = self
            .history
            .iter()
            .enumerate()
            .skip(skip)
            .map(|(i, past)| past.event(self.compacted + 1 + i as u64));
        Ok(Cow::Owned(past.chain(self.log.iter().cloned()).collect()))
    }

    /// Drops the watch history at or below `revision` (etcd's compaction); asking for
    /// less than what is already compacted changes nothing.
    pub fn compact(&mut self, revision: u64) {
        let revision = revision.min(self.revision);
        if revision <= self.compacted {
            return;
        }
        let drop = usize::try_from(revision - self.compacted).unwrap_or(usize::MAX);
        let from_history = drop.min(self.history.len());
        self.history.drain(..from_history);
        let from_log = drop - from_history;
        self.log.drain(..from_log.min(self.log.len()));
        self.compacted = revision;
    }

    /// The revision through which history has been compacted away.
    pub fn compacted(&self) -> u64 {
        self.compacted
    }

    /// The watch history still held (what compaction bounds), unpacked.
    pub fn retained_log(&self) -> Cow<'_, [WatchEvent]> {
        self.watch_from(self.compacted)
            .expect("the compacted revision is always watchable")
    }

    /// What the history holds: (entries, of which packed, bytes packed). For the
    /// benchmarks' account of memory.
    pub fn history_held(&self) -> (usize, usize, usize) {
        let packed: Vec<&Packed> = self
            .history
            .iter()
            .filter_map(|past| match past {
                Past::Packed(p) => Some(p),
                Past::Current(_) => None,
            })
            .collect();
        (
            self.history.len() + self.log.len(),
            packed.len(),
            packed.iter().map(|p| p.len()).sum(),
        )
    }

    /// Every object with its resource, as the object map holds it: a `Value`, or the
    /// bytes of a packed (cold) Event, which this does not unpack. For the benchmarks'
    /// account of memory.
    pub fn objects_as_held(&self) -> impl Iterator<Item = (&GroupResource, Result<&Value, usize>)> {
        self.objects.iter().flat_map(|(r, m)| {
            m.values().map(move |v| match &v.body {
                Body::Live(object) => (r, Ok(&**object)),
                Body::Cold { packed, unpacked } => match unpacked.get() {
                    Some(object) => (r, Ok(&**object)),
                    None => (r, Err(packed.len())),
                },
            })
        })
    }

    /// The managedFields held apart from the objects: (objects that have some,
    /// distinct packed lists, bytes they take). For the benchmarks' account of memory.
    pub fn managed_fields_held(&self) -> (usize, usize, usize) {
        let mut distinct: Vec<&Packed> = self
            .objects
            .values()
            .flat_map(|m| m.values().filter_map(|s| s.managed_fields.as_ref()))
            .collect();
        let with = distinct.len();
        distinct.sort_by_key(|p| p.as_ptr());
        distinct.dedup_by_key(|p| p.as_ptr());
        (with, distinct.len(), distinct.iter().map(|p| p.len()).sum())
    }

    fn resolve<'a>(
        &'a self,
        resource: &GroupResource,
        slots: impl Iterator<Item = &'a Slot>,
    ) -> Vec<&'a Value> {
        let Some(map) = self.objects.get(resource) else {
            return vec![];
        };
        slots
            .filter_map(|slot| map.get(slot))
            .map(|v| &**v.object())
            .collect()
    }

    /// Pods bound to `node` (`""`: not bound yet), in (namespace, name) order.
    pub fn pods_on_node(&self, node: &str) -> Vec<&Value> {
        let pods = GroupResource::new("", "pods");
        self.resolve(&pods, self.indexes.pods_by_node.get(node.to_string()))
    }

    /// Events whose `involvedObject.uid` is `uid`, in (namespace, name) order.
    pub fn events_about(&self, uid: &str) -> Vec<&Value> {
        let events = GroupResource::new("", "events");
        self.resolve(&events, self.indexes.events_by_uid.get(uid.to_string()))
    }

    /// Events about `uid` with this `reason` and `message`, in (namespace, name) order:
    /// [`Store::events_about`] narrowed to what a new Event could aggregate into.
    pub fn events_like(&self, uid: &str, reason: &str, message: &str) -> Vec<&Value> {
        let events = GroupResource::new("", "events");
        let at = (uid.to_string(), reason.to_string(), message.to_string());
        self.resolve(&events, self.indexes.events_by_reason.get(at))
    }

    /// Objects of `resource` with an ownerReference to `owner_uid` (any resource when
    /// `None`), in (resource, namespace, name) order.
    pub fn owned_by(&self, owner_uid: &str, resource: Option<&GroupResource>) -> Vec<&Value> {
        self.indexes
            .owned_by
            .get(owner_uid.to_string())
            .filter(|k| resource.is_none_or(|r| *r == k.resource))
            .filter_map(|k| self.get(k))
            .collect()
    }

    /// Keys of every object with an ownerReference to `owner_uid`.
    pub fn keys_owned_by(&self, owner_uid: &str) -> Vec<&ObjectKey> {
        self.indexes.owned_by.get(owner_uid.to_string()).collect()
    }

    /// Whether an object with this uid is stored.
    pub fn has_uid(&self, uid: &str) -> bool {
        self.indexes.by_uid.get(uid.to_string()).next().is_some()
    }

    /// Every uid some stored object names in its ownerReferences, in order.
    pub fn owner_uids(&self) -> impl Iterator<Item = &str> {
        self.indexes.owned_by.keys().map(String::as_str)
    }

    /// Objects of `resource` carrying `finalizer`, in (namespace, name) order.
    pub fn with_finalizer(&self, resource: &GroupResource, finalizer: &str) -> Vec<&Value> {
        self.indexes
            .finalizers
            .get(finalizer.to_string())
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
            .get((resource.clone(), namespace.to_string()))
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
            .get((resource.clone(), namespace.to_string()))
            .map(String::as_str)
            .collect();
        names.extend(
            self.indexes
                .owned_by
                .get(owner_uid.to_string())
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

    fn with_managers(name: &str, managers: &[&str]) -> Value {
        let entries: Vec<Value> = managers
            .iter()
            .map(|m| json!({"manager": m, "fieldsV1": {"f:spec": {"f:replicas": {}}}}))
            .collect();
        json!({"metadata": {"name": name, "managedFields": entries, "uid": "u"}, "spec": {}})
    }

    #[test]
    fn managed_fields_are_held_apart_shared_and_put_back_where_they_were() {
        let mut s = Store::default();
        let a = with_managers("a", &["kubectl", "kubelet"]);
        s.apply(WatchEventType::Added, key("default", "a"), a.clone());
        s.apply(
            WatchEventType::Added,
            key("default", "b"),
            with_managers("b", &["kubectl", "kubelet"]),
        );
        s.apply(
            WatchEventType::Added,
            key("default", "c"),
            json!({"metadata": {"name": "c"}}),
        );
        let stored = s.get(&key("default", "a")).unwrap();
        assert_eq!(stored.pointer("/metadata/managedFields"), None);
        assert_eq!(
            s.events_since(0)[0]
                .object
                .pointer("/metadata/managedFields"),
            None
        );
        assert_eq!(
            s.managed_fields(&key("default", "a")),
            a.pointer("/metadata/managedFields").cloned()
        );
        assert_eq!(s.managed_fields(&key("default", "c")), None);
        let full = s.get_with_managed_fields(&key("default", "a")).unwrap();
        assert_eq!(
            serde_json::to_string(&full).unwrap(),
            serde_json::to_string(&a).unwrap()
        );
        assert_eq!(s.managed_fields_held().0, 2);
        assert_eq!(
            s.managed_fields_held().1,
            1,
            "a and b have the same entries: held once"
        );
    }

    #[test]
    fn the_managed_fields_pool_lets_go_of_what_no_object_holds() {
        let mut s = Store::default();
        for i in 0..5000 {
            let name = format!("m{i}");
            s.apply(
                WatchEventType::Modified,
                key("default", "a"),
                with_managers("a", &[&name]),
            );
        }
        assert_eq!(s.managed_fields_held(), (1, 1, s.managed_fields_held().2));
        assert!(
            s.managed_fields_pool.held.len() <= 2 * 512,
            "{}",
            s.managed_fields_pool.held.len()
        );
    }

    #[test]
    fn an_event_every_component_has_read_is_held_packed_and_reads_the_same() {
        let event_key = |name: &str| ObjectKey {
            resource: GroupResource::new("", "events"),
            namespace: "default".into(),
            name: name.into(),
        };
        let event = |n: u64| {
            json!({"metadata": {"name": "e", "uid": "e1"}, "count": n,
            "involvedObject": {"uid": "p1"}, "reason": "Pulled", "message": "pulled"})
        };
        let mut s = Store::default();
        s.apply(WatchEventType::Added, event_key("e"), event(1));
        let cold = |s: &Store| s.objects_as_held().filter(|(_, o)| o.is_err()).count();
        assert_eq!(cold(&s), 0, "not yet read by every component");
        s.settle_history(1);
        assert_eq!(cold(&s), 1);
        assert_eq!(s.get(&event_key("e")), Some(&event(1)));
        assert_eq!(cold(&s), 0, "a read keeps it unpacked");
        assert_eq!(s.events_about("p1"), vec![&event(1)]);
        s.apply(WatchEventType::Modified, event_key("e"), event(2));
        s.settle_history(2);
        assert_eq!(cold(&s), 1, "written again: packed again once read");
        let seen: Vec<Value> = s
            .watch_from(0)
            .unwrap()
            .iter()
            .map(|e| (*e.object).clone())
            .collect();
        assert_eq!(seen, vec![event(1), event(2)]);
        assert_eq!(
            s.list(&GroupResource::new("", "events"), Some("default")),
            vec![&event(2)]
        );
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

    #[test]
    fn a_pair_index_answers_each_key_apart() {
        let mut m: Multi<String, Slot> = Multi::default();
        let slot = |n: &str| ("default".to_string(), n.to_string());
        for (key, name) in [
            ("o1", "b"),
            ("o10", "a"),
            ("o1", "a"),
            ("", "z"),
            ("o2", "c"),
        ] {
            m.edit(key.into(), slot(name), true);
        }
        let names = |m: &Multi<String, Slot>, key: &str| -> Vec<String> {
            m.get(key.into()).map(|(_, n)| n.clone()).collect()
        };
        assert_eq!(names(&m, "o1"), vec!["a", "b"], "not o10's");
        assert_eq!(names(&m, ""), vec!["z"]);
        assert!(names(&m, "o3").is_empty());
        m.edit("o1".into(), slot("a"), false);
        m.edit("o1".into(), slot("a"), false);
        assert_eq!(names(&m, "o1"), vec!["b"]);
        m.edit("o1".into(), slot("b"), false);
        let keys: Vec<&String> = m.keys().collect();
        assert_eq!(
            keys,
            vec!["", "o10", "o2"],
            "each key once, emptied keys gone"
        );
    }

    mod history {
        use super::*;
        use proptest::prelude::*;

        /// One random step: a write (pod, delete?, generation), moving what every
        /// component has read into the history, or a compaction, both at a revision
        /// some way back from the head.
        #[derive(Debug, Clone)]
        enum Step {
            Write(u8, bool, u8),
            Settle(u8),
            Compact(u8),
        }

        fn step() -> impl Strategy<Value = Step> {
            prop_oneof![
                4 => (0u8..6, any::<bool>(), any::<u8>()).prop_map(|(n, d, g)| Step::Write(n, d, g)),
                1 => (0u8..8).prop_map(Step::Settle),
                1 => (0u8..12).prop_map(Step::Compact),
            ]
        }

        fn seen(events: &[WatchEvent]) -> Vec<(u64, &'static str, ObjectKey, Value)> {
            events
                .iter()
                .map(|e| {
                    (
                        e.revision,
                        e.event_type.as_str(),
                        e.key.clone(),
                        (*e.object).clone(),
                    )
                })
                .collect()
        }

        proptest! {
            /// A store that moves read writes into its (packed) history answers every
            /// watch, from every revision, exactly as one that keeps them all in its
            /// log; the objects and the revision agree too.
            #[test]
            fn packing_changes_nothing_a_watch_sees(steps in proptest::collection::vec(step(), 0..80)) {
                let mut settled = Store::default();
                let mut plain = Store::default();
                for step in steps {
                    match step {
                        Step::Write(n, delete, generation) => {
                            let name = format!("p{n}");
                            let exists = plain.get(&key("default", &name)).is_some();
                            let t = match (delete, exists) {
                                (true, true) => WatchEventType::Deleted,
                                (true, false) => continue,
                                (false, true) => WatchEventType::Modified,
                                (false, false) => WatchEventType::Added,
                            };
                            let obj = json!({"metadata": {"name": name, "generation": generation}, "spec": {"n": -1.5, "list": [n, null, true]}});
                            settled.apply(t, key("default", &name), obj.clone());
                            plain.apply(t, key("default", &name), obj);
                        }
                        Step::Settle(back) => {
                            settled.settle_history(settled.revision().saturating_sub(u64::from(back)));
                        }
                        Step::Compact(back) => {
                            let to = plain.revision().saturating_sub(u64::from(back));
                            settled.compact(to);
                            plain.compact(to);
                        }
                    }
                    prop_assert_eq!(settled.revision(), plain.revision());
                    prop_assert_eq!(settled.compacted(), plain.compacted());
                    for from in 0..=plain.revision() {
                        match (settled.watch_from(from), plain.watch_from(from)) {
                            (Ok(a), Ok(b)) => prop_assert_eq!(seen(&a), seen(&b)),
                            (Err(a), Err(b)) => prop_assert_eq!(a, b),
                            (a, b) => prop_assert!(false, "from {}: {:?} against {:?}", from, a.is_ok(), b.is_ok()),
                        }
                    }
                    let objects = |s: &Store| s.objects().cloned().collect::<Vec<Value>>();
                    prop_assert_eq!(objects(&settled), objects(&plain));
                }
            }
        }

        #[test]
        fn a_version_read_and_replaced_is_packed_and_a_current_one_shared() {
            let mut s = Store::default();
            s.apply(WatchEventType::Added, key("default", "a"), json!({"v": 1}));
            s.apply(WatchEventType::Added, key("default", "b"), json!({"v": 1}));
            s.settle_history(2);
            assert_eq!(s.history_held(), (2, 0, 0), "both still current: shared");
            s.apply(
                WatchEventType::Modified,
                key("default", "a"),
                json!({"v": 2}),
            );
            let (entries, packed, bytes) = s.history_held();
            assert_eq!(
                (entries, packed),
                (3, 1),
                "a's first version is only history"
            );
            assert!(bytes > 0);
            assert_eq!(s.events_since(2).len(), 1);
            s.apply(
                WatchEventType::Deleted,
                key("default", "b"),
                json!({"v": 1}),
            );
            s.settle_history(4);
            assert_eq!(s.history_held().1, 3, "b's version and its deletion too");
            let types: Vec<_> = s
                .watch_from(0)
                .unwrap()
                .iter()
                .map(|e| e.event_type)
                .collect();
            use WatchEventType::*;
            assert_eq!(types, vec![Added, Added, Modified, Deleted]);
        }
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
