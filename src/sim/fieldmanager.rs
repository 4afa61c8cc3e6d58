//! Field management, as the apiserver's `managedfields` package does it: every write
//! records which manager set which fields in `metadata.managedFields` (FieldsV1), and
//! server-side apply merges a manager's configuration into the live object, owning
//! exactly the fields it sent, removing the ones it no longer sends (unless someone else
//! owns them too), and refusing to change a field another manager owns (a conflict)
//! unless forced.
//!
//! Paths use FieldsV1's elements: `f:name` a field, `k:{"name":"web"}` a list item by its
//! key, `v:"x"` an item of a set-like list of scalars. List keys are the strategic-merge
//! keys of the Go types ([`super::list_types`]); a container or Service port's key adds
//! its `protocol`, as the published `x-kubernetes-list-map-keys` do.

use super::admission::schema::{table, Ty};
use super::list_types::{list_strategy, ListStrategy};
use crate::sim::json::json;
use crate::sim::sort::SharedSort;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A set of field paths, shaped as FieldsV1: a node is in the set itself (`member`,
/// written `.` when it has children too) and/or through its children.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldSet {
    pub member: bool,
    pub children: BTreeMap<String, FieldSet>,
}

impl FieldSet {
    pub fn is_empty(&self) -> bool {
        !self.member && self.children.is_empty()
    }

    pub fn to_fields_v1(&self) -> Value {
        let mut map = Map::new();
        if self.member && !self.children.is_empty() {
            map.insert(".".into(), json!({}));
        }
        for (k, child) in &self.children {
            map.insert(k.clone(), child.to_fields_v1());
        }
        Value::Object(map)
    }

    /// [`FieldSet::to_fields_v1`], moving the keys instead of copying them.
    pub fn into_fields_v1(self) -> Value {
        let mut map = Map::new();
        if self.member && !self.children.is_empty() {
            map.insert(".".into(), Value::Object(Map::new()));
        }
        for (k, child) in self.children {
            map.insert(k, child.into_fields_v1());
        }
        Value::Object(map)
    }

    pub fn from_fields_v1(value: &Value) -> FieldSet {
        let mut set = FieldSet::default();
        let Some(map) = value.as_object() else {
            return set;
        };
        if map.is_empty() {
            set.member = true;
        }
        for (k, v) in map {
            if k == "." {
                set.member = true;
            } else {
                set.children.insert(k.clone(), FieldSet::from_fields_v1(v));
            }
        }
        set
    }

    pub fn contains(&self, path: &[String]) -> bool {
        match path.split_first() {
            None => self.member,
            Some((first, rest)) => self.children.get(first).is_some_and(|c| c.contains(rest)),
        }
    }

    fn insert(&mut self, path: &[String]) {
        match path.split_first() {
            None => self.member = true,
            Some((first, rest)) => self.children.entry(first.clone()).or_default().insert(rest),
        }
    }

    pub fn union(&mut self, other: &FieldSet) {
        self.member |= other.member;
        for (k, child) in &other.children {
            self.children.entry(k.clone()).or_default().union(child);
        }
    }

    /// Removes every member of `other`; emptied nodes go.
    pub fn subtract(&mut self, other: &FieldSet) {
        if other.member {
            self.member = false;
        }
        for (k, child) in &other.children {
            if let Some(mine) = self.children.get_mut(k) {
                mine.subtract(child);
                if mine.is_empty() {
                    self.children.remove(k);
                }
            }
        }
    }

    /// Every member path, outermost first.
    pub fn paths(&self) -> Vec<Vec<String>> {
        let mut out = vec![];
        self.collect_paths(&mut vec![], &mut out);
        out
    }

    fn collect_paths(&self, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        if self.member && !prefix.is_empty() {
            out.push(prefix.clone());
        }
        for (k, child) in &self.children {
            prefix.push(k.clone());
            child.collect_paths(prefix, out);
            prefix.pop();
        }
    }

    /// Paths in the set with nothing below them: the values a manager set.
    fn leaves(&self) -> Vec<Vec<String>> {
        self.paths()
            .into_iter()
            .filter(|p| self.node(p).is_some_and(|n| n.children.is_empty()))
            .collect()
    }

    fn node(&self, path: &[String]) -> Option<&FieldSet> {
        match path.split_first() {
            None => Some(self),
            Some((first, rest)) => self.children.get(first)?.node(rest),
        }
    }
}

/// A path as the apiserver prints it in a conflict: `.spec.replicas`,
/// `.spec.template.spec.containers[name="nginx"].image`.
pub fn display_path(path: &[String]) -> String {
    let mut out = String::new();
    for element in path {
        if let Some(field) = element.strip_prefix("f:") {
            out.push('.');
            out.push_str(field);
        } else if let Some(key) = element.strip_prefix("k:") {
            let fields: Map<String, Value> = serde_json::from_str(key).unwrap_or_default();
            let parts: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{k}={}", serde_json::to_string(v).unwrap_or_default()))
                .collect();
            out.push_str(&format!("[{}]", parts.join(",")));
        } else if let Some(value) = element.strip_prefix("v:") {
            out.push_str(&format!("[={value}]"));
        } else if let Some(index) = element.strip_prefix("i:") {
            out.push_str(&format!("[{index}]"));
        }
    }
    out
}

/// Metadata the apiserver sets, which no manager owns.
const SERVER_METADATA: [&str; 10] = [
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "managedFields",
    "selfLink",
];

/// The fields of an object a manager can own: everything but the identity and the
/// server's own metadata; a status write owns the status (and metadata it changes), any
/// other write all but the status.
fn owned_part(obj: &Value, status: bool) -> Value {
    let mut out = obj.as_object().cloned().unwrap_or_default();
    out.remove("apiVersion");
    out.remove("kind");
    if status {
        out.retain(|k, _| k == "status" || k == "metadata");
    } else {
        out.remove("status");
    }
    if let Some(Value::Object(meta)) = out.get_mut("metadata") {
        for server in SERVER_METADATA {
            meta.remove(server);
        }
        if meta.is_empty() {
            out.remove("metadata");
        }
    }
    Value::Object(out)
}

/// Whether a top-level field is one [`owned_part`] keeps (its metadata aside).
fn owned_field(name: &str, status: bool) -> bool {
    match name {
        "apiVersion" | "kind" => false,
        "status" => status,
        "metadata" => true,
        _ => !status,
    }
}

/// A set restricted to what [`owned_part`] keeps.
fn keep_owned(set: &mut FieldSet, status: bool) {
    set.children.retain(|k, _| {
        k.strip_prefix("f:")
            .is_some_and(|name| owned_field(name, status))
    });
    if let Some(meta) = set.children.get_mut("f:metadata") {
        for server in SERVER_METADATA {
            // Looked up by the bare name first: most sets hold none of these, and a
            // `format!` per name on every write showed in profiles.
            if meta
                .children
                .keys()
                .any(|k| k.strip_prefix("f:") == Some(server))
            {
                meta.children.remove(&format!("f:{server}"));
            }
        }
        if meta.children.is_empty() {
            set.children.remove("f:metadata");
        }
    }
}

/// How an object's fields are walked: its kind (for list keys) and schema.
struct Walk<'a> {
    kind: &'a str,
}

impl Walk<'_> {
    fn set_of(&self, value: &Value, ty: Option<&Ty>, parents: &mut Vec<String>) -> FieldSet {
        self.set_of_fields(value, ty, parents, |_| true)
    }

    /// [`Walk::set_of`] over the fields `keep` admits (at this level only).
    fn set_of_fields(
        &self,
        value: &Value,
        ty: Option<&Ty>,
        parents: &mut Vec<String>,
        keep: impl Fn(&str) -> bool,
    ) -> FieldSet {
        let mut set = FieldSet::default();
        let Some(map) = value.as_object() else {
            set.member = true;
            return set;
        };
        for (name, child) in map.iter().filter(|(name, _)| keep(name)) {
            let child_ty = field_ty(ty, name);
            let node = self.field_set(name, child, child_ty.as_ref(), parents);
            set.children.insert(field_key(name), node);
        }
        set
    }

    fn field_set(
        &self,
        name: &str,
        value: &Value,
        ty: Option<&Ty>,
        parents: &mut Vec<String>,
    ) -> FieldSet {
        match value {
            Value::Object(map) if map.is_empty() || atomic_struct(ty) => leaf(),
            Value::Object(_) => {
                parents.push(name.to_string());
                let mut set = self.set_of(value, ty, parents);
                parents.pop();
                set.member = matches!(ty, Some(Ty::Map(_)));
                set
            }
            Value::Array(items) => match list_strategy(self.kind, parents, name) {
                ListStrategy::MergeKey(key) => {
                    let item_ty = match ty {
                        Some(Ty::Array(inner)) => Some((**inner).clone()),
                        _ => None,
                    };
                    parents.push(name.to_string());
                    let mut set = FieldSet::default();
                    for item in items {
                        let mut node = self.set_of(item, item_ty.as_ref(), parents);
                        node.member = true;
                        set.children.insert(key_element(key, item), node);
                    }
                    parents.pop();
                    set
                }
                ListStrategy::MergePrimitive => FieldSet {
                    member: false,
                    children: items.iter().map(|i| (format!("v:{i}"), leaf())).collect(),
                },
                ListStrategy::Replace => leaf(),
            },
            _ => leaf(),
        }
    }
}

/// What a write added or changed, and what it removed.
#[derive(Debug, Default)]
struct Delta {
    changed: FieldSet,
    removed: FieldSet,
}

impl Delta {
    /// Files a child's delta under `key`, leaving out empty sides.
    fn insert(&mut self, key: String, child: Delta) {
        if !child.changed.is_empty() {
            self.changed.children.insert(key.clone(), child.changed);
        }
        if !child.removed.is_empty() {
            self.removed.children.insert(key, child.removed);
        }
    }
}

impl Walk<'_> {
    /// What `new` adds or changes over `old` (`changed`), and what it no longer has
    /// (`removed`), in one walk of both that skips equal subtrees: a write's usual case
    /// (a status update, a replica count) costs only the part it changed.
    fn diff(
        &self,
        old: Option<&Value>,
        new: Option<&Value>,
        ty: Option<&Ty>,
        parents: &mut Vec<String>,
        delta: &mut Delta,
    ) {
        self.diff_fields((old, new), ty, parents, delta, |_| true);
    }

    /// [`Walk::diff`] over the fields `keep` admits (at this level only).
    fn diff_fields(
        &self,
        (old, new): (Option<&Value>, Option<&Value>),
        ty: Option<&Ty>,
        parents: &mut Vec<String>,
        delta: &mut Delta,
        keep: impl Fn(&str) -> bool,
    ) {
        let empty = Map::new();
        let old_map = old.and_then(Value::as_object).unwrap_or(&empty);
        let new_map = new.and_then(Value::as_object).unwrap_or(&empty);
        for (name, value) in new_map.iter().filter(|(name, _)| keep(name)) {
            let before = old_map.get(name);
            if before == Some(value) {
                continue;
            }
            let child_ty = field_ty(ty, name);
            let mut child = Delta::default();
            self.field_diff(
                name,
                (before, value),
                child_ty.as_ref(),
                parents,
                &mut child,
            );
            delta.insert(field_key(name), child);
        }
        for (name, value) in old_map.iter().filter(|(name, _)| keep(name)) {
            if !new_map.contains_key(name) {
                let child_ty = field_ty(ty, name);
                let gone = self.field_set(name, value, child_ty.as_ref(), parents);
                delta.removed.children.insert(field_key(name), gone);
            }
        }
    }

    fn field_diff(
        &self,
        name: &str,
        (old, new): (Option<&Value>, &Value),
        ty: Option<&Ty>,
        parents: &mut Vec<String>,
        delta: &mut Delta,
    ) {
        match (old, new) {
            (Some(Value::Object(_)), Value::Object(map))
                if !map.is_empty() && !atomic_struct(ty) =>
            {
                parents.push(name.to_string());
                self.diff(old, Some(new), ty, parents, delta);
                parents.pop();
            }
            (_, Value::Object(map)) if !map.is_empty() && !atomic_struct(ty) => {
                delta.changed = self.field_set(name, new, ty, parents);
                if let Some(before) = old {
                    delta.removed = self.field_set(name, before, ty, parents);
                }
            }
            (Some(Value::Array(before)), Value::Array(items)) => {
                match list_strategy(self.kind, parents, name) {
                    ListStrategy::MergeKey(key) => {
                        let item_ty = match ty {
                            Some(Ty::Array(inner)) => Some((**inner).clone()),
                            _ => None,
                        };
                        parents.push(name.to_string());
                        let keyed = |list: &Vec<Value>| -> BTreeMap<String, usize> {
                            list.iter()
                                .enumerate()
                                .map(|(i, item)| (key_element(key, item), i))
                                .collect()
                        };
                        let (old_keys, new_keys) = (keyed(before), keyed(items));
                        for (k, i) in &new_keys {
                            let previous = old_keys.get(k).map(|j| &before[*j]);
                            if previous == Some(&items[*i]) {
                                continue;
                            }
                            let mut item = Delta::default();
                            self.diff(
                                previous,
                                Some(&items[*i]),
                                item_ty.as_ref(),
                                parents,
                                &mut item,
                            );
                            item.changed.member |= previous.is_none();
                            delta.insert(k.clone(), item);
                        }
                        for (k, j) in &old_keys {
                            if !new_keys.contains_key(k) {
                                let mut gone = self.set_of(&before[*j], item_ty.as_ref(), parents);
                                gone.member = true;
                                delta.removed.children.insert(k.clone(), gone);
                            }
                        }
                        parents.pop();
                    }
                    ListStrategy::MergePrimitive => {
                        for item in items.iter().filter(|i| !before.contains(i)) {
                            delta.changed.children.insert(format!("v:{item}"), leaf());
                        }
                        for item in before.iter().filter(|i| !items.contains(i)) {
                            delta.removed.children.insert(format!("v:{item}"), leaf());
                        }
                    }
                    ListStrategy::Replace => delta.changed = leaf(),
                }
            }
            (None, Value::Array(_)) => delta.changed = self.field_set(name, new, ty, parents),
            (Some(before), Value::Array(_)) => {
                delta.changed = self.field_set(name, new, ty, parents);
                delta.removed = self.field_set(name, before, ty, parents);
            }
            _ => delta.changed = leaf(),
        }
    }
}

/// A field's FieldsV1 element, `f:name`: built directly rather than with `format!`,
/// whose machinery cost more than the copy, once per field of every object written.
fn field_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() + 2);
    key.push_str("f:");
    key.push_str(name);
    key
}

fn leaf() -> FieldSet {
    FieldSet {
        member: true,
        children: BTreeMap::new(),
    }
}

fn field_ty(ty: Option<&Ty>, name: &str) -> Option<Ty> {
    match ty? {
        Ty::Struct(index) => table().def(*index).field(name).cloned(),
        Ty::Map(inner) => Some((**inner).clone()),
        _ => None,
    }
}

/// `x-kubernetes-map-type: atomic` structs a manager owns whole (label selectors).
fn atomic_struct(ty: Option<&Ty>) -> bool {
    matches!(ty, Some(Ty::Struct(i)) if table().def(*i).name == "LabelSelector")
}

/// `k:{"containerPort":80,"protocol":"TCP"}`: the item's key fields, sorted.
fn key_element(key: &str, item: &Value) -> String {
    let mut fields = BTreeMap::new();
    fields.insert(key, item.get(key).cloned().unwrap_or(Value::Null));
    if key == "containerPort" || key == "port" {
        fields.insert(
            "protocol",
            item.get("protocol").cloned().unwrap_or(json!("TCP")),
        );
    }
    format!("k:{}", serde_json::to_string(&fields).unwrap_or_default())
}

/// The value at a FieldsV1 path.
fn lookup<'a>(value: &'a Value, path: &[String]) -> Option<&'a Value> {
    let Some((first, rest)) = path.split_first() else {
        return Some(value);
    };
    let next = if let Some(field) = first.strip_prefix("f:") {
        value.get(field)?
    } else if let Some(key) = first.strip_prefix("k:") {
        let fields: Map<String, Value> = serde_json::from_str(key).ok()?;
        value
            .as_array()?
            .iter()
            .find(|item| matches_key(item, &fields))?
    } else if let Some(v) = first.strip_prefix("v:") {
        let wanted: Value = serde_json::from_str(v).ok()?;
        value.as_array()?.iter().find(|item| **item == wanted)?
    } else {
        return None;
    };
    lookup(next, rest)
}

fn matches_key(item: &Value, fields: &Map<String, Value>) -> bool {
    fields.iter().all(|(k, v)| match item.get(k) {
        Some(found) => found == v,
        None => k == "protocol" && v == "TCP",
    })
}

/// Removes the value at a path (a field, a list item); false if it was not there.
fn remove_at(value: &mut Value, path: &[String]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut current = value;
    for element in parents {
        let next = if let Some(field) = element.strip_prefix("f:") {
            current.get_mut(field)
        } else if let Some(key) = element.strip_prefix("k:") {
            let fields: Map<String, Value> = serde_json::from_str(key).unwrap_or_default();
            current
                .as_array_mut()
                .and_then(|items| items.iter_mut().find(|item| matches_key(item, &fields)))
        } else {
            None
        };
        match next {
            Some(n) => current = n,
            None => return false,
        }
    }
    if let Some(field) = last.strip_prefix("f:") {
        return current
            .as_object_mut()
            .and_then(|m| m.remove(field))
            .is_some();
    }
    let Some(items) = current.as_array_mut() else {
        return false;
    };
    let before = items.len();
    if let Some(key) = last.strip_prefix("k:") {
        let fields: Map<String, Value> = serde_json::from_str(key).unwrap_or_default();
        items.retain(|item| !matches_key(item, &fields));
    } else if let Some(v) = last.strip_prefix("v:") {
        let wanted: Value = serde_json::from_str(v).unwrap_or(Value::Null);
        items.retain(|item| *item != wanted);
    }
    items.len() != before
}

/// After a removal, the lists and maps it left empty go too (Go's `omitempty` drops an
/// empty slice or map when the object is stored), unless the configuration sets them.
fn prune_emptied(obj: &mut Value, removed: &[String], applied: &FieldSet) {
    for depth in (1..removed.len()).rev() {
        let parent = &removed[..depth];
        let emptied = match lookup(obj, parent) {
            Some(Value::Array(items)) => items.is_empty(),
            Some(Value::Object(map)) => map.is_empty(),
            _ => false,
        };
        if !emptied || applied.contains(parent) || !remove_at(obj, parent) {
            return;
        }
    }
}

/// Who writes: a manager's identity as the apiserver keys it.
#[derive(Debug, Clone, PartialEq)]
pub struct Manager {
    pub name: String,
    /// `Apply` or `Update`.
    pub operation: &'static str,
    pub subresource: String,
    pub api_version: String,
}

impl Manager {
    pub fn update(name: &str, subresource: &str, api_version: &str) -> Manager {
        Manager {
            name: name.to_string(),
            operation: "Update",
            subresource: subresource.to_string(),
            api_version: api_version.to_string(),
        }
    }

    /// Appliers are one manager whatever version they apply with.
    fn same(&self, entry: &Value) -> bool {
        entry["manager"] == self.name.as_str()
            && entry["operation"] == self.operation
            && entry
                .get("subresource")
                .and_then(Value::as_str)
                .unwrap_or("")
                == self.subresource
            && (self.operation == "Apply" || entry["apiVersion"] == self.api_version.as_str())
    }

    /// How a conflict names it: `"kubectl-client-side-apply" using apps/v1`.
    fn describe(entry: &Value) -> String {
        let mut out = format!("{:?}", entry["manager"].as_str().unwrap_or(""));
        if let Some(sub) = entry.get("subresource").and_then(Value::as_str) {
            out.push_str(&format!(" with subresource {sub:?}"));
        }
        if entry["operation"] == "Update" {
            out.push_str(&format!(
                " using {}",
                entry["apiVersion"].as_str().unwrap_or("")
            ));
        }
        out
    }
}

fn entries(obj: &Value) -> Vec<Value> {
    obj.pointer("/metadata/managedFields")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn entry_set(entry: &Value) -> FieldSet {
    FieldSet::from_fields_v1(&entry["fieldsV1"])
}

/// A managedFields entry. Built field by field rather than with `json!`, which would copy
/// the FieldsV1 tree once more through the serializer (every create records one).
fn entry(manager: &Manager, set: FieldSet, time: &str) -> Value {
    let text = |s: &str| Value::String(s.to_string());
    let mut e = Map::new();
    e.insert("apiVersion".into(), text(&manager.api_version));
    e.insert("fieldsType".into(), text("FieldsV1"));
    e.insert("fieldsV1".into(), set.into_fields_v1());
    e.insert("manager".into(), text(&manager.name));
    e.insert("operation".into(), text(manager.operation));
    e.insert("time".into(), text(time));
    if !manager.subresource.is_empty() {
        e.insert("subresource".into(), text(&manager.subresource));
    }
    Value::Object(e)
}

/// The apiserver's order: Apply before Update, then by time, manager, version, subresource.
fn sorted(mut list: Vec<Value>) -> Vec<Value> {
    fn key(e: &Value) -> [&str; 5] {
        ["operation", "time", "manager", "apiVersion", "subresource"]
            .map(|k| e.get(k).and_then(Value::as_str).unwrap_or(""))
    }
    // Borrowed keys: every write sorts its object's entries.
    list.sort_shared_by(|a, b| key(a).cmp(&key(b)));
    list
}

fn set_entries(obj: &mut Value, list: Vec<Value>) {
    let meta = super::object::meta_mut(obj);
    if list.is_empty() {
        meta.remove("managedFields");
    } else {
        meta.insert("managedFields".into(), Value::Array(sorted(list)));
    }
}

fn kind_ty(obj: &Value) -> Option<Ty> {
    let index = table().kind(super::object::api_version(obj), super::object::kind(obj))?;
    Some(Ty::Struct(index))
}

/// The field set of an object's manageable part (`status` for a status write).
pub fn set_of_object(obj: &Value, status: bool) -> FieldSet {
    let walk = Walk {
        kind: super::object::kind(obj),
    };
    walk.set_of(&owned_part(obj, status), kind_ty(obj).as_ref(), &mut vec![])
}

/// An Update (create, update, patch, a status write) by `manager`: it comes to own what
/// it added or changed, which no other manager keeps; what it removed, nobody owns.
pub fn track_update(old: Option<&Value>, new: &mut Value, manager: &Manager, time: &str) {
    let previous = old.map(entries).unwrap_or_default();
    track_update_over(old, previous, new, manager, time);
}

/// [`track_update`] with the stored object's managedFields given apart (`previous`):
/// the store holds them apart from the object (see `Store::apply`).
pub fn track_update_over(
    old: Option<&Value>,
    mut previous: Vec<Value>,
    new: &mut Value,
    manager: &Manager,
    time: &str,
) {
    let status = manager.subresource == "status";
    let walk = Walk {
        kind: super::object::kind(new),
    };
    let mut delta = Delta::default();
    // The objects are walked in place (equal subtrees cost nothing) and the fields no
    // manager owns dropped after, rather than copying each object's owned part. The
    // top-level fields the write cannot own are not walked at all: a status write does
    // not compare the specs, a create does not list the initial status.
    let keep = |name: &str| owned_field(name, status);
    match old {
        None => delta.changed = walk.set_of_fields(new, kind_ty(new).as_ref(), &mut vec![], keep),
        Some(old) => walk.diff_fields(
            (Some(old), Some(new)),
            kind_ty(new).as_ref(),
            &mut vec![],
            &mut delta,
            keep,
        ),
    }
    let Delta {
        mut changed,
        mut removed,
    } = delta;
    keep_owned(&mut changed, status);
    keep_owned(&mut removed, status);
    if changed.is_empty() && removed.is_empty() {
        // Nothing anyone owns moved: the managers stay as they were.
        if !previous.is_empty() {
            super::object::meta_mut(new).insert("managedFields".into(), Value::Array(previous));
        }
        return;
    }
    // An entry the write leaves as it was is moved whole into the new list, and its
    // FieldsV1 parsed only when the write touches what it owns.
    let take = |entries: &mut Vec<Value>, i: usize| std::mem::take(&mut entries[i]);
    let mut list = vec![];
    let mut had_entry = None;
    for i in 0..previous.len() {
        if manager.same(&previous[i]) {
            had_entry = Some(i);
            continue;
        }
        let fields = &previous[i]["fieldsV1"];
        if !touches(fields, &changed) && !touches(fields, &removed) {
            list.push(take(&mut previous, i));
            continue;
        }
        let mut set = FieldSet::from_fields_v1(fields);
        let before = set.clone();
        set.subtract(&changed);
        set.subtract(&removed);
        if set == before {
            list.push(take(&mut previous, i));
        } else if !set.is_empty() {
            let mut e = take(&mut previous, i);
            e["fieldsV1"] = set.to_fields_v1();
            list.push(e);
        }
    }
    match had_entry {
        // The writer already owns all it changed and owned none of what it removed:
        // its entry stays as it was.
        Some(i)
            if covers(&previous[i]["fieldsV1"], &changed)
                && !touches(&previous[i]["fieldsV1"], &removed) =>
        {
            list.push(take(&mut previous, i))
        }
        _ => {
            let (mut mine, before) = match had_entry {
                Some(i) => {
                    let mut mine = entry_set(&previous[i]);
                    let before = mine.clone();
                    mine.union(&changed);
                    (mine, before)
                }
                // A new entry (every create): what the write changed, moved, not copied.
                None => (changed, FieldSet::default()),
            };
            mine.subtract(&removed);
            if !mine.is_empty() {
                match had_entry.filter(|_| mine == before) {
                    Some(unchanged) => list.push(take(&mut previous, unchanged)),
                    None => list.push(entry(manager, mine, time)),
                }
            }
        }
    }
    set_entries(new, list);
}

/// Whether [`FieldSet::subtract`]ing `set` would change the set FieldsV1 `fields`
/// holds: some member of `set` is a member there. Anything but an object along the
/// way answers yes, so the caller takes the exact path.
fn touches(fields: &Value, set: &FieldSet) -> bool {
    let Some(map) = fields.as_object() else {
        return true;
    };
    if set.member && (map.is_empty() || map.contains_key(".")) {
        return true;
    }
    set.children
        .iter()
        .any(|(k, child)| map.get(k).is_some_and(|v| touches(v, child)))
}

/// Whether FieldsV1 `fields` already holds every member and node of `set`, so that a
/// [`FieldSet::union`] with it would change nothing.
fn covers(fields: &Value, set: &FieldSet) -> bool {
    let Some(map) = fields.as_object() else {
        return false;
    };
    if set.member && !(map.is_empty() || map.contains_key(".")) {
        return false;
    }
    set.children
        .iter()
        .all(|(k, child)| map.get(k).is_some_and(|v| covers(v, child)))
}

/// One field another manager owns that an apply would change.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// As the message names it: `"kubectl-client-side-apply" using apps/v1`.
    pub manager: String,
    /// As the message prints it: `.spec.replicas`.
    pub path: String,
    pub raw_path: Vec<String>,
}

/// The apiserver's message for an apply's conflicts (its `getConflictMessage`).
pub fn conflict_message(conflicts: &[Conflict]) -> String {
    if let [only] = conflicts {
        return format!(
            "Apply failed with 1 conflict: conflict with {}: {}",
            only.manager, only.path
        );
    }
    let mut by_manager: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for c in conflicts {
        by_manager.entry(&c.manager).or_default().push(&c.path);
    }
    let mut lines = vec![];
    for (manager, paths) in by_manager {
        lines.push(format!("conflicts with {manager}:"));
        lines.extend(paths.iter().map(|p| format!("- {p}")));
    }
    format!(
        "Apply failed with {} conflicts: {}",
        conflicts.len(),
        lines.join("\n")
    )
}

/// Server-side apply of `config` by `manager` onto `live` (None: the object is new):
/// the object to store, its managedFields already set, or the conflicts.
pub fn apply(
    live: Option<&Value>,
    config: &Value,
    manager: &Manager,
    force: bool,
    time: &str,
) -> Result<Value, Vec<Conflict>> {
    let walk = Walk {
        kind: super::object::kind(config),
    };
    let applied = walk.set_of(
        &owned_part(config, false),
        kind_ty(config).as_ref(),
        &mut vec![],
    );
    let empty = json!({});
    let base = live.unwrap_or(&empty);
    let mut merged = base.clone();
    merge_into(
        &mut merged,
        config,
        &walk,
        kind_ty(config).as_ref(),
        &mut vec![],
    );
    let others: Vec<Value> = live
        .map(entries)
        .unwrap_or_default()
        .into_iter()
        .filter(|e| !manager.same(e))
        .collect();
    let previous = live
        .map(entries)
        .unwrap_or_default()
        .into_iter()
        .find(|e| manager.same(e))
        .map(|e| entry_set(&e))
        .unwrap_or_default();
    // Fields this manager applied before and no longer does go, unless another owns them.
    let mut dropped = previous;
    dropped.subtract(&applied);
    for path in dropped.paths() {
        let owned_elsewhere = others.iter().any(|e| {
            let set = entry_set(e);
            set.contains(&path) || set.node(&path).is_some_and(|n| !n.is_empty())
        });
        if !owned_elsewhere
            && dropped.node(&path).is_some_and(|n| n.member)
            && remove_at(&mut merged, &path)
        {
            prune_emptied(&mut merged, &path, &applied);
        }
    }
    let (live_part, merged_part) = (owned_part(base, false), owned_part(&merged, false));
    let changed: Vec<Vec<String>> = applied
        .leaves()
        .into_iter()
        .filter(|p| lookup(&live_part, p) != lookup(&merged_part, p))
        .collect();
    let mut conflicts = vec![];
    for e in &others {
        let set = entry_set(e);
        for path in changed.iter().filter(|p| set.contains(p)) {
            conflicts.push(Conflict {
                manager: Manager::describe(e),
                path: display_path(path),
                raw_path: path.clone(),
            });
        }
    }
    if !conflicts.is_empty() && !force {
        return Err(conflicts);
    }
    let mut taken = FieldSet::default();
    for path in &changed {
        taken.insert(path);
    }
    taken.union(&dropped);
    let mut list: Vec<Value> = others
        .into_iter()
        .filter_map(|mut e| {
            let mut set = entry_set(&e);
            set.subtract(&taken);
            (!set.is_empty()).then(|| {
                e["fieldsV1"] = set.to_fields_v1();
                e
            })
        })
        .collect();
    if !applied.is_empty() {
        list.push(entry(manager, applied, time));
    }
    set_entries(&mut merged, list);
    Ok(merged)
}

/// Whether two objects hold the same value at a path (both lacking it counts).
pub fn same_at(a: &Value, b: &Value, path: &[String]) -> bool {
    lookup(&owned_part(a, false), path) == lookup(&owned_part(b, false), path)
}

/// After a server-side apply by `kubectl`, kubectl moves what client-side apply owned
/// to the applier (its `csaupgrade`), so that the next apply can drop those fields.
pub fn absorb_client_side_apply(obj: &mut Value) {
    let list = entries(obj);
    let is_csa =
        |e: &Value| e["manager"] == "kubectl-client-side-apply" && e["operation"] == "Update";
    let Some(csa) = list.iter().find(|e| is_csa(e)) else {
        return;
    };
    let csa_set = entry_set(csa);
    let mut list: Vec<Value> = list.iter().filter(|e| !is_csa(e)).cloned().collect();
    let Some(applier) = list
        .iter_mut()
        .find(|e| e["manager"] == "kubectl" && e["operation"] == "Apply")
    else {
        return;
    };
    let mut set = entry_set(applier);
    set.union(&csa_set);
    applier["fieldsV1"] = set.to_fields_v1();
    set_entries(obj, list);
}

/// Merges an applied configuration into the object: maps field by field, keyed lists
/// item by item, set-like lists as a union; anything else the configuration replaces.
fn merge_into(
    target: &mut Value,
    config: &Value,
    walk: &Walk,
    ty: Option<&Ty>,
    parents: &mut Vec<String>,
) {
    let (Some(target_map), Some(config_map)) = (target.as_object_mut(), config.as_object()) else {
        *target = config.clone();
        return;
    };
    for (name, value) in config_map {
        let child_ty = field_ty(ty, name);
        let slot = target_map.entry(name.clone()).or_insert(Value::Null);
        match (value, &*slot) {
            (Value::Object(_), Value::Object(_)) if !atomic_struct(child_ty.as_ref()) => {
                parents.push(name.clone());
                merge_into(slot, value, walk, child_ty.as_ref(), parents);
                parents.pop();
            }
            (Value::Array(items), Value::Array(_)) => {
                match list_strategy(walk.kind, parents, name) {
                    ListStrategy::MergeKey(key) => {
                        let item_ty = match &child_ty {
                            Some(Ty::Array(inner)) => Some((**inner).clone()),
                            _ => None,
                        };
                        parents.push(name.clone());
                        for item in items {
                            let fields: Map<String, Value> =
                                serde_json::from_str(&key_element(key, item)[2..])
                                    .unwrap_or_default();
                            let list = slot.as_array_mut().expect("matched an array");
                            match list.iter_mut().find(|i| matches_key(i, &fields)) {
                                Some(existing) => {
                                    merge_into(existing, item, walk, item_ty.as_ref(), parents)
                                }
                                None => list.push(item.clone()),
                            }
                        }
                        parents.pop();
                    }
                    ListStrategy::MergePrimitive => {
                        let list = slot.as_array_mut().expect("matched an array");
                        for item in items {
                            if !list.contains(item) {
                                list.push(item.clone());
                            }
                        }
                    }
                    ListStrategy::Replace => *slot = value.clone(),
                }
            }
            _ => *slot = value.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(replicas: i64, image: &str) -> Value {
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": image, "ports": [{"containerPort": 80}]}]}
                }
            }
        })
    }

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_object_set_keys_list_items_and_marks_maps() {
        let set = set_of_object(&deployment(2, "nginx:1.25"), false);
        let v1 = set.to_fields_v1();
        assert_eq!(v1["f:metadata"]["f:labels"], json!({".": {}, "f:app": {}}));
        assert_eq!(
            v1["f:spec"]["f:selector"],
            json!({}),
            "label selectors are atomic"
        );
        let container =
            &v1["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"nginx\"}"];
        assert_eq!(container["."], json!({}));
        assert_eq!(
            container["f:ports"]["k:{\"containerPort\":80,\"protocol\":\"TCP\"}"]
                ["f:containerPort"],
            json!({})
        );
        assert_eq!(FieldSet::from_fields_v1(&v1), set);
        assert_eq!(set.clone().into_fields_v1(), v1);
        assert_eq!(
            display_path(&path(&[
                "f:spec",
                "f:template",
                "f:spec",
                "f:containers",
                "k:{\"name\":\"nginx\"}",
                "f:image"
            ])),
            ".spec.template.spec.containers[name=\"nginx\"].image"
        );
    }

    #[test]
    fn an_update_takes_the_fields_it_changes_from_their_owner() {
        let mut created = deployment(2, "nginx:1.25");
        let cli = Manager::update("kubectl-client-side-apply", "", "apps/v1");
        track_update(None, &mut created, &cli, "t0");
        let mut scaled = created.clone();
        scaled["spec"]["replicas"] = json!(5);
        let scaler = Manager::update("kubectl", "scale", "apps/v1");
        track_update(Some(&created), &mut scaled, &scaler, "t1");
        let list = entries(&scaled);
        assert_eq!(list.len(), 2);
        let owner_of = |e: &Value| entry_set(e).contains(&path(&["f:spec", "f:replicas"]));
        assert!(!owner_of(&list[0]) && list[0]["manager"] == "kubectl-client-side-apply");
        assert!(owner_of(&list[1]) && list[1]["subresource"] == "scale");
    }

    #[test]
    fn apply_conflicts_with_another_owner_unless_forced_and_drops_what_it_stops_sending() {
        let mut live = deployment(2, "nginx:1.25");
        track_update(
            None,
            &mut live,
            &Manager::update("kubectl-client-side-apply", "", "apps/v1"),
            "t0",
        );
        let ssa = Manager {
            name: "kubectl".into(),
            operation: "Apply",
            subresource: String::new(),
            api_version: "apps/v1".into(),
        };
        let err = apply(Some(&live), &deployment(3, "nginx:1.25"), &ssa, false, "t1").unwrap_err();
        assert_eq!(
            conflict_message(&err),
            "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas"
        );
        // The same value is shared ownership, not a conflict.
        let shared = apply(Some(&live), &deployment(2, "nginx:1.25"), &ssa, false, "t1").unwrap();
        let forced = apply(
            Some(&shared),
            &deployment(3, "nginx:1.25"),
            &ssa,
            true,
            "t2",
        )
        .unwrap();
        assert_eq!(forced["spec"]["replicas"], 3);
        let old_owner = entries(&forced)
            .into_iter()
            .find(|e| e["operation"] == "Update")
            .unwrap();
        assert!(!entry_set(&old_owner).contains(&path(&["f:spec", "f:replicas"])));
        // Only the applier owns the labels now? No: both do; dropping them from the
        // config keeps them while the other manager still owns them.
        let mut without_label = deployment(3, "nginx:1.25");
        without_label["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("labels");
        let kept = apply(Some(&forced), &without_label, &ssa, false, "t3").unwrap();
        assert_eq!(kept["metadata"]["labels"]["app"], "web");
        // On an object only the applier manages, a field it stops sending goes.
        let fresh = apply(None, &deployment(3, "nginx:1.25"), &ssa, false, "t0").unwrap();
        let mut no_replicas = deployment(3, "nginx:1.25");
        no_replicas["spec"]
            .as_object_mut()
            .unwrap()
            .remove("replicas");
        let removed = apply(Some(&fresh), &no_replicas, &ssa, false, "t1").unwrap();
        assert!(removed["spec"].get("replicas").is_none());
    }

    mod shortcuts {
        use super::super::*;
        use proptest::prelude::*;

        /// A set of up to 8 paths, 0–3 elements deep, over a small vocabulary so that
        /// two sets often share paths.
        fn field_set() -> impl Strategy<Value = FieldSet> {
            let element = prop::sample::select(vec!["f:a", "f:b", "k:{\"name\":\"x\"}", "v:1"]);
            prop::collection::vec(prop::collection::vec(element, 0..4), 0..8).prop_map(|paths| {
                let mut set = FieldSet::default();
                for p in paths {
                    let p: Vec<String> = p.into_iter().map(String::from).collect();
                    set.insert(&p);
                }
                set
            })
        }

        proptest! {
            /// `touches` and `covers`, read off the stored FieldsV1, answer exactly what
            /// subtracting and uniting the parsed set would: track_update skips the
            /// parse on their word.
            #[test]
            fn touches_and_covers_agree_with_the_set_operations(
                owned in field_set(), other in field_set()
            ) {
                let fields = owned.to_fields_v1();
                let parsed = FieldSet::from_fields_v1(&fields);
                let mut subtracted = parsed.clone();
                subtracted.subtract(&other);
                prop_assert_eq!(touches(&fields, &other), subtracted != parsed);
                let mut united = parsed.clone();
                united.union(&other);
                prop_assert_eq!(covers(&fields, &other), united == parsed);
            }
        }
    }
}
