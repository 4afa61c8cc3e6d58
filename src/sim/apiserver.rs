//! The simulated kube-apiserver: create, update, delete, get and list with the real
//! request pipeline — namespace checks, strict decoding, defaulting, validation, service
//! address allocation, metadata stamping (uid, resourceVersion, generation,
//! creationTimestamp) — and the etcd write behind each change.
//!
//! Every client call records control-plane messages (caller → apiserver → etcd).

use super::admission::{self, AdmissionContext, FieldValidation};
use super::cluster::{Cluster, SimEvent};
use super::errors::{ApiError, FieldError};
use super::messages::Component;
use super::object;
use super::resources::ResourceType;
use super::store::{GroupResource, ObjectKey, WatchEventType};
use super::time::{rfc3339, SECOND};
use crate::sim::json::json;
use serde_json::{Map, Value};

/// Options of a write request (the query parameters kubectl sends).
#[derive(Debug, Clone)]
pub struct WriteOptions {
    pub validation: FieldValidation,
    /// `dryRun=All`: everything runs, nothing is stored.
    pub dry_run: bool,
    /// Who sends the request (for the message log).
    pub actor: Component,
    /// `fieldManager`: the name the write's fields are recorded under in
    /// `managedFields`; `None` names the client (`kubectl`, `kube-controller-manager`).
    pub field_manager: Option<String>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            validation: FieldValidation::Strict,
            dry_run: false,
            actor: Component::Kubectl,
            field_manager: None,
        }
    }
}

/// Who built an object sent to be created, which decides whether admission decodes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Built {
    /// A client (kubectl, a manifest): decoded strictly, as the apiserver decodes every
    /// request body.
    ByClient,
    /// The simulation's own components (`create_unread`: Events, the pods a ReplicaSet
    /// makes from its decoded template), whose objects are already in decoded form:
    /// decoding them again was a twentieth of a run and changed nothing.
    BySimulation,
}

/// How the next stored write records its managers (see [`super::fieldmanager`]).
#[derive(Debug, Clone)]
pub(crate) enum FieldOwner {
    /// An Update by this manager (`fieldManager`, with its subresource).
    Update(String, &'static str),
    /// A server-side apply computed the managedFields already.
    Applied(Value),
}

/// The manager a client's writes are recorded under when it names none: the
/// apiserver takes it from the User-Agent (`kubectl/v1.34.0 …` → `kubectl`).
fn default_manager(actor: &Component) -> &'static str {
    match actor {
        Component::Kubectl => "kubectl",
        Component::Scheduler => "kube-scheduler",
        Component::ControllerManager(_) => "kube-controller-manager",
        Component::CloudControllerManager => "cloud-controller-manager",
        Component::Kubelet(_) => "kubelet",
        Component::ApiServer | Component::Etcd => "kube-apiserver",
        Component::CoreDns => "coredns",
        Component::KubeProxy(_) => "kube-proxy",
    }
}

/// `propagationPolicy` of a delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Propagation {
    Background,
    Foreground,
    Orphan,
}

#[derive(Debug, Clone)]
pub struct DeleteOptions {
    pub propagation: Propagation,
    /// `gracePeriodSeconds`; `None` uses the object's own (pods: 30 s).
    pub grace_period_seconds: Option<i64>,
    pub dry_run: bool,
    pub actor: Component,
}

impl Default for DeleteOptions {
    fn default() -> Self {
        DeleteOptions {
            propagation: Propagation::Background,
            grace_period_seconds: None,
            dry_run: false,
            actor: Component::Kubectl,
        }
    }
}

/// Kinds whose `metadata.generation` the apiserver maintains.
fn tracks_generation(rt: &ResourceType) -> bool {
    matches!(
        rt.group.as_str(),
        "apps" | "batch" | "apiextensions.k8s.io" | "policy" | "autoscaling"
    ) || matches!(rt.plural.as_str(), "pods" | "ingresses" | "networkpolicies")
        || !rt_is_builtin(rt)
}

fn rt_is_builtin(rt: &ResourceType) -> bool {
    super::resources::is_builtin(&rt.group, &rt.plural)
}

pub(crate) fn key_for(rt: &ResourceType, namespace: &str, name: &str) -> ObjectKey {
    ObjectKey {
        resource: GroupResource::new(&rt.group, &rt.plural),
        namespace: if rt.namespaced {
            namespace.to_string()
        } else {
            String::new()
        },
        name: name.to_string(),
    }
}

/// `deployment.apps/web` — how messages and kubectl name an object.
pub fn display_ref(rt: &ResourceType, name: &str) -> String {
    concat(&[&rt.kind_prefix(), "/", name])
}

/// The parts joined into one string, allocated once: what `format!("{a}{b}…")` builds,
/// for the texts every write builds (its messages), where the formatting machinery
/// cost more than the bytes copied.
fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

impl Cluster {
    /// The resource type an object's apiVersion/kind maps to, if served.
    pub fn resource_for(&self, api_version: &str, kind: &str) -> Option<ResourceType> {
        self.registry.for_kind(api_version, kind).cloned()
    }

    pub fn get(&self, rt: &ResourceType, namespace: &str, name: &str) -> Result<&Value, ApiError> {
        self.stored(rt, namespace, name)
            .map(|v| &**v)
            .ok_or_else(|| ApiError::not_found(&rt.group_resource(), name))
    }

    /// An object as the store holds it, shared rather than copied (for readers on hot
    /// paths such as every simulated request).
    pub fn get_shared(
        &self,
        rt: &ResourceType,
        namespace: &str,
        name: &str,
    ) -> Option<std::sync::Arc<Value>> {
        self.stored(rt, namespace, name).cloned()
    }

    /// The stored object, looked up as [`key_for`] keys it but without building the key.
    fn stored(
        &self,
        rt: &ResourceType,
        namespace: &str,
        name: &str,
    ) -> Option<&std::sync::Arc<Value>> {
        let namespace = if rt.namespaced { namespace } else { "" };
        self.store.get_at(&rt.group, &rt.plural, namespace, name)
    }

    /// Objects of a type; `namespace: None` lists across all namespaces.
    pub fn list(&self, rt: &ResourceType, namespace: Option<&str>) -> Vec<&Value> {
        let ns = if rt.namespaced { namespace } else { None };
        self.store
            .list(&GroupResource::new(&rt.group, &rt.plural), ns)
    }

    /// Checks that the namespace of a request exists and accepts new objects.
    fn check_namespace(&self, rt: &ResourceType, namespace: &str) -> Result<(), ApiError> {
        if !rt.namespaced {
            return Ok(());
        }
        let ns_type = self
            .registry
            .resolve("namespaces")
            .expect("namespaces are built in")
            .clone();
        let ns = self.get(&ns_type, "", namespace)?;
        if object::is_deleting(ns) {
            return Err(ApiError::forbidden(format!(
                "{} {} is forbidden: unable to create new content in namespace {namespace} because it is being terminated",
                rt.group_resource(),
                super::errors::go_quote(object::name(ns)),
            )));
        }
        Ok(())
    }

    /// POST: creates an object. `namespace` is the request's namespace, used when the
    /// object names none.
    pub fn create(
        &mut self,
        rt: &ResourceType,
        obj: Value,
        namespace: &str,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let obj = self.admit_create(rt, obj, namespace, opts, Built::ByClient)?;
        if opts.dry_run {
            return Ok(obj);
        }
        self.own_next_write(opts);
        self.write(
            rt,
            WatchEventType::Added,
            obj.clone(),
            &opts.actor,
            "create",
        );
        self.after_create(rt, &obj);
        Ok(obj)
    }

    /// [`Cluster::create`] for the callers that read back only the name the object was
    /// given (Events, and the pods controllers create, by the thousand): the same write,
    /// without the copy of the object that would be returned.
    pub(crate) fn create_unread(
        &mut self,
        rt: &ResourceType,
        obj: Value,
        namespace: &str,
        opts: &WriteOptions,
    ) -> Result<String, ApiError> {
        if opts.dry_run || rt.plural == "customresourcedefinitions" {
            // A CRD registers its type after the write (`after_create`), from the object.
            return self
                .create(rt, obj, namespace, opts)
                .map(|created| object::name(&created).to_string());
        }
        let obj = self.admit_create(rt, obj, namespace, opts, Built::BySimulation)?;
        let name = object::name(&obj).to_string();
        self.own_next_write(opts);
        self.write(rt, WatchEventType::Added, obj, &opts.actor, "create");
        Ok(name)
    }

    /// A create's admission: decoding, naming, metadata, defaults, validation and the
    /// initial status; the object as it is about to be written.
    fn admit_create(
        &mut self,
        rt: &ResourceType,
        obj: Value,
        namespace: &str,
        opts: &WriteOptions,
        built: Built,
    ) -> Result<Value, ApiError> {
        let version = super::resources::split_api_version(object::api_version(&obj))
            .1
            .to_string();
        let mut obj = match built {
            Built::ByClient => admission::decode(rt, &version, obj, opts.validation)?.object,
            Built::BySimulation => {
                // Debug builds (every test and golden transcript) decode it anyway and
                // insist that decoding would change nothing.
                #[cfg(debug_assertions)]
                {
                    let again = admission::decode(rt, &version, obj.clone(), opts.validation);
                    let again = again.map(|decoded| decoded.object);
                    assert_eq!(again.as_ref().ok(), Some(&obj), "{rt:?} built decoded");
                }
                obj
            }
        };
        let ns = if rt.namespaced {
            match object::namespace(&obj) {
                "" => namespace.to_string(),
                own => own.to_string(),
            }
        } else {
            String::new()
        };
        if obj
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .is_some_and(|rv| !rv.is_empty())
        {
            return Err(ApiError::bad_request(
                "resourceVersion should not be set on objects to be created",
            ));
        }
        self.check_namespace(rt, &ns)?;
        // Admission errors name the object as sent: a generated name is not known yet.
        let requested_name = match object::name(&obj) {
            "" => object::str_at(&obj, "/metadata/generateName").to_string(),
            n => n.to_string(),
        };
        self.assign_name(rt, &mut obj)?;
        let name = object::name(&obj).to_string();
        if self.store.get(&key_for(rt, &ns, &name)).is_some() {
            return Err(ApiError::already_exists(&rt.group_resource(), &name));
        }
        self.stamp_new_metadata(rt, &mut obj, &ns);
        if rt.group.is_empty() && rt.plural == "pods" {
            self.admit_priority(&mut obj, &requested_name)?;
        }
        let mut ctx = AdmissionContext {
            rng: &mut self.rng,
            now: self.now,
        };
        admission::apply_defaults(rt, &mut obj, &mut ctx);
        if rt.group == "networking.k8s.io" && rt.plural == "ingresses" {
            super::network::ingress::admit_default_class(self, &mut obj);
        }
        if rt.group == super::network::gateway::GROUP {
            super::network::gateway::validation::default(&rt.kind, &mut obj);
        }
        let mut errors = admission::validate(rt, &obj, None);
        if rt.group == super::network::gateway::GROUP {
            errors.extend(super::network::gateway::validation::validate(
                &rt.kind, &obj,
            ));
        }
        if !errors.is_empty() {
            return Err(ApiError::invalid(&rt.kind, &rt.group_kind(), &name, errors));
        }
        if rt.group.is_empty() && rt.plural == "pods" {
            self.check_service_account(&obj, &ns, &requested_name)?;
        }
        if rt.group.is_empty() && rt.plural == "services" {
            self.allocate_service(&mut obj, None, opts.dry_run)?;
        }
        initial_status(rt, &mut obj);
        Ok(obj)
    }

    /// The field manager (and subresource) kubectl's writes are recorded under while
    /// the current command runs; `None` after it.
    pub fn set_client_field_manager(&mut self, manager: Option<(String, &'static str)>) {
        self.client_manager = manager;
    }

    /// The write about to be stored records its fields under the request's manager
    /// (unless a server-side apply already computed them).
    fn own_next_write(&mut self, opts: &WriteOptions) {
        if matches!(self.field_owner, Some(FieldOwner::Applied(_))) {
            return;
        }
        self.field_owner = opts
            .field_manager
            .clone()
            .map(|name| FieldOwner::Update(name, ""));
    }

    /// PUT: replaces an object's spec and metadata (status is kept, as with the status
    /// subresource). A write that changes nothing is not stored again.
    pub fn update(
        &mut self,
        rt: &ResourceType,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let version = super::resources::split_api_version(object::api_version(&obj))
            .1
            .to_string();
        let decoded = admission::decode(rt, &version, obj, opts.validation)?;
        let mut obj = decoded.object;
        let ns = if rt.namespaced {
            object::namespace(&obj).to_string()
        } else {
            String::new()
        };
        let name = object::name(&obj).to_string();
        let key = key_for(rt, &ns, &name);
        let old = self
            .store
            .get(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(&rt.group_resource(), &name))?;
        let sent_rv = obj
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !sent_rv.is_empty() && sent_rv != object::str_at(&old, "/metadata/resourceVersion") {
            return Err(conflict(rt, &name));
        }
        carry_server_fields(&old, &mut obj);
        let mut ctx = AdmissionContext {
            rng: &mut self.rng,
            now: self.now,
        };
        admission::apply_defaults(rt, &mut obj, &mut ctx);
        if rt.group == super::network::gateway::GROUP {
            super::network::gateway::validation::default(&rt.kind, &mut obj);
        }
        let mut errors = admission::validate(rt, &obj, Some(&old));
        if rt.group == super::network::gateway::GROUP {
            errors.extend(super::network::gateway::validation::validate(
                &rt.kind, &obj,
            ));
        }
        if !errors.is_empty() {
            return Err(ApiError::invalid(&rt.kind, &rt.group_kind(), &name, errors));
        }
        if rt.group.is_empty() && rt.plural == "services" {
            self.allocate_service(&mut obj, Some(&old), opts.dry_run)?;
        }
        if let Some(status) = old.get("status") {
            obj["status"] = status.clone();
        }
        if tracks_generation(rt) && spec_changed(rt, &old, &obj) {
            let generation = old
                .pointer("/metadata/generation")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            object::meta_mut(&mut obj).insert("generation".into(), json!(generation + 1));
        }
        if same_ignoring_version(&old, &obj) || opts.dry_run {
            self.field_owner = None;
            return Ok(if opts.dry_run { obj } else { old });
        }
        self.own_next_write(opts);
        self.write(
            rt,
            WatchEventType::Modified,
            obj.clone(),
            &opts.actor,
            "update",
        );
        Ok(obj)
    }

    /// PATCH with `application/apply-patch+yaml` (server-side apply): merges `config`
    /// into the live object (or creates it) under `manager`, recording ownership; a field
    /// another manager owns and this apply would change is a 409 unless `force`.
    pub fn server_side_apply(
        &mut self,
        rt: &ResourceType,
        mut config: Value,
        namespace: &str,
        manager: &str,
        force: bool,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        use super::fieldmanager::{apply, conflict_message, Manager};
        if rt.namespaced && object::namespace(&config).is_empty() {
            object::meta_mut(&mut config).insert("namespace".into(), json!(namespace));
        }
        let live =
            self.store
                .get_with_managed_fields(&key_for(rt, namespace, object::name(&config)));
        let applier = Manager {
            name: manager.to_string(),
            operation: "Apply",
            subresource: String::new(),
            api_version: object::api_version(&config).to_string(),
        };
        let now = rfc3339(self.now);
        let merged = match apply(live.as_ref(), &config, &applier, force, &now) {
            Ok(merged) => merged,
            // kubectl's own upgrade path (the apiserver's lastAppliedManager): conflicts
            // only with client-side apply, on fields whose live value is still what that
            // apply set, are taken over.
            Err(conflicts) if manager == "kubectl" && upgradable(live.as_ref(), &conflicts) => {
                apply(live.as_ref(), &config, &applier, true, &now)
                    .expect("a forced apply has no conflicts")
            }
            Err(conflicts) => return Err(ApiError::conflict(conflict_message(&conflicts))),
        };
        let mut merged = merged;
        if manager == "kubectl" {
            super::fieldmanager::absorb_client_side_apply(&mut merged);
        }
        let entries = merged
            .pointer("/metadata/managedFields")
            .cloned()
            .unwrap_or(json!([]));
        self.field_owner = Some(FieldOwner::Applied(entries));
        let result = match live {
            None => self.create(rt, merged, namespace, opts),
            Some(_) => self.update(rt, merged, opts),
        };
        self.field_owner = None;
        result
    }

    /// PUT on the status subresource: only `status` changes (controllers and kubelets).
    pub fn update_status(
        &mut self,
        rt: &ResourceType,
        namespace: &str,
        name: &str,
        status: Value,
        actor: Component,
    ) -> Result<Value, ApiError> {
        match self.with_status(rt, namespace, name, status)? {
            Some(obj) => {
                self.write(
                    rt,
                    WatchEventType::Modified,
                    obj.clone(),
                    &actor,
                    "update status",
                );
                Ok(obj)
            }
            None => self.get(rt, namespace, name).cloned(),
        }
    }

    /// [`Cluster::update_status`] for the callers that do not read the object back (the
    /// kubelet, the scheduler, controllers' status syncs): the write is the same, but
    /// the object is not copied a second time to be returned.
    pub fn write_status(
        &mut self,
        rt: &ResourceType,
        namespace: &str,
        name: &str,
        status: Value,
        actor: Component,
    ) -> Result<(), ApiError> {
        if let Some(obj) = self.with_status(rt, namespace, name, status)? {
            self.write(rt, WatchEventType::Modified, obj, &actor, "update status");
        }
        Ok(())
    }

    /// The stored object with `status` in place of its own, or None when that is the
    /// status it already has (a status write that changes nothing is not written).
    fn with_status(
        &self,
        rt: &ResourceType,
        namespace: &str,
        name: &str,
        status: Value,
    ) -> Result<Option<Value>, ApiError> {
        let old = self.get(rt, namespace, name)?;
        if old.get("status") == Some(&status) {
            return Ok(None);
        }
        // Copy all but the old status, which is about to be replaced (for a pod, the
        // larger part of the object).
        let mut obj = match old {
            Value::Object(fields) => Value::Object(
                fields
                    .iter()
                    .filter(|(field, _)| *field != "status")
                    .map(|(field, value)| (field.clone(), value.clone()))
                    .collect(),
            ),
            other => other.clone(),
        };
        obj["status"] = status;
        Ok(Some(obj))
    }

    /// Writes an object the caller already holds in full (controllers' metadata edits:
    /// owner references, finalizers, labels). No admission, but the write is recorded.
    pub(crate) fn write_through(
        &mut self,
        rt: &ResourceType,
        obj: Value,
        actor: Component,
    ) -> Value {
        self.write(rt, WatchEventType::Modified, obj.clone(), &actor, "update");
        obj
    }

    /// [`Cluster::write_through`] for the callers that do not read the object back
    /// (an Event's count, a node's lease): the same write, without the returned copy.
    pub(crate) fn write_through_unread(&mut self, rt: &ResourceType, obj: Value, actor: Component) {
        self.write(rt, WatchEventType::Modified, obj, &actor, "update");
    }

    /// DELETE: graceful for pods on nodes, finalizer-aware, with the requested
    /// propagation to dependents (the garbage collector does the rest).
    pub fn delete(
        &mut self,
        rt: &ResourceType,
        namespace: &str,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Value, ApiError> {
        let key = key_for(rt, namespace, name);
        let mut obj = self
            .store
            .get(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(&rt.group_resource(), name))?;
        if opts.dry_run {
            return Ok(obj);
        }
        let uid = object::uid(&obj).to_string();
        match opts.propagation {
            Propagation::Orphan => self.orphan_dependents(&uid),
            Propagation::Foreground => {
                add_finalizer(&mut obj, "foregroundDeletion");
            }
            Propagation::Background => {}
        }
        let is_pod = rt.group.is_empty() && rt.plural == "pods";
        let is_namespace = rt.group.is_empty() && rt.plural == "namespaces";
        if is_namespace {
            return Ok(self.start_namespace_deletion(rt, obj, &opts.actor));
        }
        let grace = if is_pod
            && !object::str_at(&obj, "/spec/nodeName").is_empty()
            && !pod_is_terminal(&obj)
        {
            opts.grace_period_seconds
                .or_else(|| {
                    obj.pointer("/spec/terminationGracePeriodSeconds")
                        .and_then(Value::as_i64)
                })
                .unwrap_or(30)
                .max(0)
        } else {
            0
        };
        let has_finalizers = obj
            .pointer("/metadata/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|f| !f.is_empty());
        if grace > 0 || has_finalizers {
            if !object::is_deleting(&obj) {
                let meta = object::meta_mut(&mut obj);
                meta.insert(
                    "deletionTimestamp".into(),
                    json!(rfc3339(self.now + grace as u64 * SECOND)),
                );
                meta.insert("deletionGracePeriodSeconds".into(), json!(grace));
                self.write(
                    rt,
                    WatchEventType::Modified,
                    obj.clone(),
                    &opts.actor,
                    "delete",
                );
                // The node's kubelet stops the containers and removes the pod
                // (src/sim/kubelet); a pod bound to a node that does not exist is removed
                // by the pod garbage collector instead.
                let node_type = self
                    .registry
                    .resolve("nodes")
                    .expect("nodes are built in")
                    .clone();
                let node = object::str_at(&obj, "/spec/nodeName").to_string();
                if is_pod && grace > 0 && self.get(&node_type, "", &node).is_err() {
                    self.schedule(
                        self.now,
                        SimEvent::PodTerminated {
                            namespace: namespace.into(),
                            name: name.into(),
                            uid,
                        },
                    );
                }
            }
            if has_finalizers {
                self.schedule(self.now, SimEvent::GarbageCollect);
            }
            return Ok(obj);
        }
        self.remove(rt, &obj, &opts.actor);
        Ok(obj)
    }

    /// Removes an object from storage for good and lets the garbage collector look at its
    /// dependents.
    pub(crate) fn remove(&mut self, rt: &ResourceType, obj: &Value, actor: &Component) {
        if rt.group.is_empty() && rt.plural == "services" {
            self.release_service(obj);
        }
        if rt.group == "apiextensions.k8s.io" && rt.plural == "customresourcedefinitions" {
            self.remove_custom_type(obj);
        }
        self.write(rt, WatchEventType::Deleted, obj.clone(), actor, "delete");
        self.schedule(self.now, SimEvent::GarbageCollect);
    }

    /// Records who set which fields (`metadata.managedFields`) on a write about to be
    /// stored: a server-side apply's own result, or an Update by the request's field
    /// manager (the client's name when it gave none; `status` for status writes).
    fn track_managers(
        &self,
        rt: &ResourceType,
        obj: &mut Value,
        owner: Option<FieldOwner>,
        actor: &Component,
        verb: &str,
    ) {
        use super::fieldmanager::{track_update_over, Manager};
        let (name, subresource) = match owner {
            Some(FieldOwner::Applied(entries)) => {
                object::meta_mut(obj).insert("managedFields".into(), entries);
                return;
            }
            Some(FieldOwner::Update(name, subresource)) => (name, subresource),
            None if verb == "update status" => (default_manager(actor).to_string(), "status"),
            None => match (&self.client_manager, actor) {
                (Some((name, subresource)), Component::Kubectl) => (name.clone(), *subresource),
                _ => (default_manager(actor).to_string(), ""),
            },
        };
        let key = key_for(rt, object::namespace(obj), object::name(obj));
        let old = self.store.get(&key);
        // The store holds managedFields apart from the object.
        let previous = match self.store.managed_fields(&key) {
            Some(Value::Array(entries)) => entries,
            _ => vec![],
        };
        // A controller's combined write of status and metadata (`write_through`) is its
        // UpdateStatus, as the deployment controller's revision annotation shows.
        let status_write = !matches!(actor, Component::Kubectl)
            && old.is_some_and(|old| old.get("status") != obj.get("status"));
        let subresource = if status_write { "status" } else { subresource };
        let manager = Manager::update(&name, subresource, object::api_version(obj));
        track_update_over(old, previous, obj, &manager, &rfc3339(self.now));
    }

    fn write(
        &mut self,
        rt: &ResourceType,
        event_type: WatchEventType,
        mut obj: Value,
        actor: &Component,
        verb: &str,
    ) {
        let owner = self.field_owner.take();
        if event_type != WatchEventType::Deleted {
            self.track_managers(rt, &mut obj, owner, actor, verb);
        }
        let rv = self.store.next_revision().to_string();
        if event_type != WatchEventType::Deleted {
            object::meta_mut(&mut obj).insert("resourceVersion".into(), Value::String(rv.clone()));
        }
        let ns = object::namespace(&obj).to_string();
        let name = object::name(&obj).to_string();
        // Every write records two messages: their texts are joined by hand, as
        // `format!`'s machinery cost more than the copying (see `concat`).
        let what = display_ref(rt, &name);
        let (in_ns, ns_shown) = if ns.is_empty() || ns == "default" {
            ("", "")
        } else {
            (" in ", ns.as_str())
        };
        self.record(
            actor.clone(),
            Component::ApiServer,
            verb,
            what.clone(),
            concat(&[verb, " ", &what, in_ns, ns_shown]),
        );
        let etcd_verb = if event_type == WatchEventType::Deleted {
            "delete"
        } else {
            "write"
        };
        self.record(
            Component::ApiServer,
            Component::Etcd,
            etcd_verb,
            what.clone(),
            concat(&[etcd_verb, " ", &what, " (revision ", &rv, ")"]),
        );
        if rt.group.is_empty() && rt.plural == "events" {
            // Every Event write comes with a fresh one-hour lease (`--event-ttl`).
            match event_type {
                WatchEventType::Deleted => self.housekeeping.release_event(&ns, &name),
                _ => self.housekeeping.lease_event(&ns, &name, self.now),
            }
        }
        let key = key_for(rt, &ns, &name);
        self.store.apply(event_type, key, obj);
    }

    /// The ServiceAccount admission plugin refuses pods whose account does not exist
    /// (mirror pods of static pods are exempt).
    /// The Priority admission plugin (plugin/pkg/admission/priority) on pod creation:
    /// `priorityClassName` (or the global default class) resolves to `spec.priority` and
    /// the class's `preemptionPolicy`; a pod may not state a different value itself.
    fn admit_priority(&self, pod: &mut Value, requested_name: &str) -> Result<(), ApiError> {
        let forbidden = |detail: String| {
            ApiError::forbidden(format!(
                "pods {} is forbidden: {detail}",
                super::errors::go_quote(requested_name)
            ))
        };
        let classes_rt = self
            .registry
            .resolve("priorityclasses")
            .expect("built in")
            .clone();
        let class_name = object::str_at(pod, "/spec/priorityClassName").to_string();
        let class = if class_name.is_empty() {
            // getDefaultPriority: the global default class with the highest value, if any.
            self.list(&classes_rt, None)
                .into_iter()
                .filter(|c| c.get("globalDefault").and_then(Value::as_bool) == Some(true))
                .max_by_key(|c| c.get("value").and_then(Value::as_i64).unwrap_or(0))
                .cloned()
        } else {
            match self.get(&classes_rt, "", &class_name) {
                Ok(c) => Some(c.clone()),
                Err(_) => {
                    return Err(forbidden(format!(
                        "no PriorityClass with name {class_name} was found"
                    )))
                }
            }
        };
        let priority = class
            .as_ref()
            .and_then(|c| c.get("value").and_then(Value::as_i64))
            .unwrap_or(0);
        if let Some(given) = pod.pointer("/spec/priority").and_then(Value::as_i64) {
            if given != priority {
                return Err(forbidden(format!("the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name")));
            }
        }
        let policy = class
            .as_ref()
            .map(|c| object::str_at(c, "/preemptionPolicy").to_string())
            .filter(|p| !p.is_empty());
        let Some(spec) = pod.get_mut("spec").filter(|s| s.is_object()) else {
            return Ok(());
        };
        if let Some(policy) = policy {
            let given = object::str_at(spec, "/preemptionPolicy").to_string();
            if !given.is_empty() && given != policy {
                return Err(forbidden(format!("the string value of PreemptionPolicy ({given}) must not be provided in pod spec; priority admission controller computed {policy} from the given PriorityClass name")));
            }
            spec["preemptionPolicy"] = json!(policy);
        }
        if let Some(c) = &class {
            spec["priorityClassName"] = json!(object::name(c));
        }
        spec["priority"] = json!(priority);
        Ok(())
    }

    fn check_service_account(
        &self,
        pod: &Value,
        ns: &str,
        requested_name: &str,
    ) -> Result<(), ApiError> {
        if object::annotation(pod, "kubernetes.io/config.mirror").is_some() {
            return Ok(());
        }
        let account = object::str_at(pod, "/spec/serviceAccountName");
        if account.is_empty() {
            return Ok(());
        }
        let sa_type = self
            .registry
            .resolve("serviceaccounts")
            .expect("built in")
            .clone();
        if self.get(&sa_type, ns, account).is_ok() {
            return Ok(());
        }
        Err(ApiError::forbidden(format!(
            "pods {} is forbidden: error looking up service account {ns}/{account}: serviceaccount {} not found",
            super::errors::go_quote(requested_name),
            super::errors::go_quote(account)
        )))
    }

    fn assign_name(&mut self, rt: &ResourceType, obj: &mut Value) -> Result<(), ApiError> {
        if !object::name(obj).is_empty() {
            return Ok(());
        }
        let generate = object::str_at(obj, "/metadata/generateName").to_string();
        if generate.is_empty() {
            let err = FieldError::required("metadata.name", "name or generateName is required");
            return Err(ApiError::invalid(&rt.kind, &rt.group_kind(), "", vec![err]));
        }
        let base: String = generate.chars().take(58).collect();
        let name = format!("{base}{}", self.rng.name_suffix(5));
        object::meta_mut(obj).insert("name".into(), json!(name));
        Ok(())
    }

    fn stamp_new_metadata(&mut self, rt: &ResourceType, obj: &mut Value, ns: &str) {
        let uid = self.rng.uuid();
        let now = rfc3339(self.now);
        let track = tracks_generation(rt);
        let meta = object::meta_mut(obj);
        for server_owned in [
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generation",
            "managedFields",
            "selfLink",
        ] {
            meta.remove(server_owned);
        }
        if rt.namespaced {
            meta.insert("namespace".into(), json!(ns));
        } else {
            meta.remove("namespace");
        }
        meta.insert("uid".into(), json!(uid));
        meta.insert("creationTimestamp".into(), json!(now));
        if track {
            meta.insert("generation".into(), json!(1));
        }
    }

    fn orphan_dependents(&mut self, owner_uid: &str) {
        let dependents: Vec<(ResourceType, Value)> = self.all_objects_owned_by(owner_uid);
        for (rt, mut dep) in dependents {
            if let Some(refs) = dep
                .pointer_mut("/metadata/ownerReferences")
                .and_then(Value::as_array_mut)
            {
                refs.retain(|r| r.get("uid").and_then(Value::as_str) != Some(owner_uid));
                if refs.is_empty() {
                    object::meta_mut(&mut dep).remove("ownerReferences");
                }
            }
            self.write_through(
                &rt,
                dep,
                Component::ControllerManager("garbage-collector".into()),
            );
        }
    }

    /// Every stored object with an ownerReference to `owner_uid`, with its type.
    /// Every object naming `owner_uid` in its ownerReferences (from the store's owner
    /// index), in the order listing each listable type in turn would give them.
    pub(crate) fn all_objects_owned_by(&self, owner_uid: &str) -> Vec<(ResourceType, Value)> {
        let keys: std::collections::BTreeSet<ObjectKey> = self
            .store
            .keys_owned_by(owner_uid)
            .into_iter()
            .cloned()
            .collect();
        self.in_listing_order(&keys)
    }

    /// The stored objects among `keys`, each with its type, in the order listing every
    /// listable type in turn would give them (registry order, then namespace and name).
    pub(crate) fn in_listing_order(
        &self,
        keys: &std::collections::BTreeSet<ObjectKey>,
    ) -> Vec<(ResourceType, Value)> {
        let mut out = vec![];
        if keys.is_empty() {
            return out;
        }
        for rt in self.registry.all().iter().filter(|t| t.listable) {
            let resource = GroupResource::of(rt);
            for key in keys.iter().filter(|k| k.resource == resource) {
                if let Some(obj) = self.store.get(key) {
                    out.push((rt.clone(), obj.clone()));
                }
            }
        }
        out
    }

    fn start_namespace_deletion(
        &mut self,
        rt: &ResourceType,
        mut obj: Value,
        actor: &Component,
    ) -> Value {
        if !object::is_deleting(&obj) {
            object::meta_mut(&mut obj).insert("deletionTimestamp".into(), json!(rfc3339(self.now)));
            obj["status"] = json!({"phase": "Terminating"});
            self.write(rt, WatchEventType::Modified, obj.clone(), actor, "delete");
        }
        let name = object::name(&obj).to_string();
        self.schedule(self.now, SimEvent::FinalizeNamespace(name));
        obj
    }

    fn allocate_service(
        &mut self,
        obj: &mut Value,
        old: Option<&Value>,
        dry_run: bool,
    ) -> Result<(), ApiError> {
        let name = object::name(obj).to_string();
        let invalid = |field: String, value: Value, detail: String| {
            ApiError::invalid(
                "Service",
                "Service",
                &name,
                vec![FieldError::invalid(field, value, detail)],
            )
        };
        // The cluster is IPv4-only (design.md §3), as `initIPFamilyFields` enforces.
        let families: Vec<String> = obj
            .pointer("/spec/ipFamilies")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(i) = families.iter().position(|f| f != "IPv4") {
            let family = families[i].clone();
            return Err(invalid(
                format!("spec.ipFamilies[{i}]"),
                json!(family),
                "not configured on this cluster".into(),
            ));
        }
        let svc_type = object::str_at(obj, "/spec/type").to_string();
        let old_ip = old
            .map(|o| object::str_at(o, "/spec/clusterIP").to_string())
            .unwrap_or_default();
        let mut allocated_ip: Option<String> = None;
        if svc_type != "ExternalName" {
            let wanted = object::str_at(obj, "/spec/clusterIP").to_string();
            let ip = if !old_ip.is_empty() {
                old_ip.clone()
            } else if wanted == "None" {
                "None".to_string()
            } else if wanted.is_empty() {
                let ip = self
                    .services
                    .allocate_next_ip(&mut self.rng)
                    .map_err(ApiError::internal)?;
                allocated_ip = Some(ip.clone());
                ip
            } else {
                self.services
                    .allocate_ip(&wanted)
                    .map_err(|e| invalid("spec.clusterIPs".into(), json!([wanted]), e))?;
                allocated_ip = Some(wanted.clone());
                wanted
            };
            obj["spec"]["clusterIP"] = json!(ip);
            obj["spec"]["clusterIPs"] = json!([ip]);
        }
        let needs_node_ports = svc_type == "NodePort"
            || (svc_type == "LoadBalancer"
                && obj
                    .pointer("/spec/allocateLoadBalancerNodePorts")
                    .and_then(Value::as_bool)
                    .unwrap_or(true));
        let old_ports: Vec<i64> = old
            .and_then(|o| o.pointer("/spec/ports").and_then(Value::as_array))
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| p.get("nodePort").and_then(Value::as_i64))
                    .collect()
            })
            .unwrap_or_default();
        let mut taken: Vec<i64> = vec![];
        let mut result = Ok(());
        if let Some(ports) = obj.pointer_mut("/spec/ports").and_then(Value::as_array_mut) {
            for (i, port) in ports.iter_mut().enumerate() {
                let wanted = port.get("nodePort").and_then(Value::as_i64);
                if !needs_node_ports {
                    continue;
                }
                let chosen = match wanted {
                    Some(p) if old_ports.contains(&p) => Ok(p),
                    Some(p) => self
                        .services
                        .allocate_port(p)
                        .map(|_| p)
                        .map_err(|e| invalid(format!("spec.ports[{i}].nodePort"), json!(p), e)),
                    None => self
                        .services
                        .allocate_next_port(&mut self.rng)
                        .map_err(ApiError::internal),
                };
                match chosen {
                    Ok(p) => {
                        port["nodePort"] = json!(p);
                        if !old_ports.contains(&p) {
                            taken.push(p);
                        }
                    }
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                }
            }
        }
        if result.is_err() || dry_run {
            for p in taken {
                self.services.release_port(p);
            }
            if let Some(ip) = allocated_ip {
                self.services.release_ip(&ip);
            }
            return result;
        }
        if let Some(old) = old {
            let now_ports: Vec<i64> = obj
                .pointer("/spec/ports")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .filter_map(|p| p.get("nodePort").and_then(Value::as_i64))
                        .collect()
                })
                .unwrap_or_default();
            for p in old_ports.into_iter().filter(|p| !now_ports.contains(p)) {
                self.services.release_port(p);
            }
            let _ = old;
        }
        Ok(())
    }

    fn release_service(&mut self, obj: &Value) {
        let ip = object::str_at(obj, "/spec/clusterIP").to_string();
        if ip != "None" {
            self.services.release_ip(&ip);
        }
        for p in obj
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(np) = p.get("nodePort").and_then(Value::as_i64) {
                self.services.release_port(np);
            }
        }
    }

    fn after_create(&mut self, rt: &ResourceType, obj: &Value) {
        if rt.group == "apiextensions.k8s.io" && rt.plural == "customresourcedefinitions" {
            self.register_custom_type(obj);
        }
    }
}

/// Whether every conflict is with client-side apply on a field whose live value still
/// equals the last-applied configuration's (apiserver's `lastAppliedManager`).
fn upgradable(live: Option<&Value>, conflicts: &[super::fieldmanager::Conflict]) -> bool {
    let Some(live) = live else {
        return false;
    };
    let Some(last) = object::annotation(live, "kubectl.kubernetes.io/last-applied-configuration")
        .and_then(|a| serde_json::from_str::<Value>(a).ok())
    else {
        return false;
    };
    conflicts.iter().all(|c| {
        c.manager
            .starts_with("\"kubectl-client-side-apply\" using ")
            && super::fieldmanager::same_at(&last, live, &c.raw_path)
    })
}

fn conflict(rt: &ResourceType, name: &str) -> ApiError {
    ApiError::conflict(format!(
        "Operation cannot be fulfilled on {} {}: the object has been modified; please apply your changes to the latest version and try again",
        rt.group_resource(),
        super::errors::go_quote(name)
    ))
}

fn pod_is_terminal(pod: &Value) -> bool {
    matches!(object::str_at(pod, "/status/phase"), "Succeeded" | "Failed")
}

fn add_finalizer(obj: &mut Value, finalizer: &str) {
    let meta = object::meta_mut(obj);
    let list = meta.entry("finalizers").or_insert_with(|| json!([]));
    if let Some(arr) = list.as_array_mut() {
        if !arr.iter().any(|f| f == finalizer) {
            arr.push(json!(finalizer));
        }
    }
}

/// Keeps the fields a client cannot change on update: uid, creation time, deletion
/// state, generation.
fn carry_server_fields(old: &Value, new: &mut Value) {
    let old_meta = old
        .get("metadata")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let meta = object::meta_mut(new);
    for field in [
        "uid",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "generation",
        "namespace",
    ] {
        match old_meta.get(field) {
            Some(v) => {
                meta.insert(field.into(), v.clone());
            }
            None => {
                meta.remove(field);
            }
        }
    }
    meta.remove("managedFields");
}

/// Did anything besides metadata and status change? (Deployments also count their
/// annotations, as the deployment strategy's PrepareForUpdate does.)
fn spec_changed(rt: &ResourceType, old: &Value, new: &Value) -> bool {
    let strip = |v: &Value| -> Map<String, Value> {
        let mut m = v.as_object().cloned().unwrap_or_default();
        m.remove("metadata");
        m.remove("status");
        m
    };
    if strip(old) != strip(new) {
        return true;
    }
    rt.plural == "deployments"
        && old.pointer("/metadata/annotations") != new.pointer("/metadata/annotations")
}

fn same_ignoring_version(old: &Value, new: &Value) -> bool {
    let mut a = old.clone();
    let mut b = new.clone();
    for obj in [&mut a, &mut b] {
        let meta = object::meta_mut(obj);
        meta.remove("resourceVersion");
        meta.remove("managedFields");
    }
    a == b
}

/// The status a freshly created object starts with (the registry strategies'
/// PrepareForCreate).
fn initial_status(rt: &ResourceType, obj: &mut Value) {
    let status = match (rt.group.as_str(), rt.plural.as_str()) {
        ("", "pods") => {
            let qos = super::pods::qos_class(obj);
            json!({"phase": "Pending", "qosClass": qos})
        }
        ("", "namespaces") => json!({"phase": "Active"}),
        ("", "persistentvolumeclaims") => json!({"phase": "Pending"}),
        ("", "persistentvolumes") => json!({"phase": "Pending"}),
        ("", "services") => json!({"loadBalancer": {}}),
        ("apps", _) | ("batch", "cronjobs") => json!({}),
        ("batch", "jobs") => json!({}),
        _ => return,
    };
    obj["status"] = status;
}

/// The kubelet has stopped the pod's containers: the apiserver removes it for good.
pub(crate) fn finish_pod_termination(
    cluster: &mut Cluster,
    namespace: &str,
    name: &str,
    uid: &str,
) {
    let rt = cluster
        .registry
        .resolve("pods")
        .expect("pods are built in")
        .clone();
    let Ok(pod) = cluster.get(&rt, namespace, name) else {
        return;
    };
    if object::uid(pod) != uid {
        return;
    }
    let pod = pod.clone();
    let node = object::str_at(&pod, "/spec/nodeName").to_string();
    cluster.remove(&rt, &pod, &Component::Kubelet(node));
}
