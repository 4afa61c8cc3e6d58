//! The API's resource types: what `kubectl api-resources` lists, how kinds map to their
//! plural resource names, short names and served versions, and which are namespaced.
//!
//! Built-in types are a fixed table as served by a v1.34 apiserver; CustomResourceDefinitions
//! add to it at run time. Any kind/version not here gets kubectl's
//! `no matches for kind "X" in version "Y"` (removed versions included).

/// One served resource type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceType {
    /// API group; empty for the core group.
    pub group: String,
    /// Served versions, the preferred (storage) version first.
    pub versions: Vec<String>,
    pub kind: String,
    /// Lower-case plural, the resource name in URLs: `deployments`.
    pub plural: String,
    /// Lower-case singular: `deployment`.
    pub singular: String,
    pub short_names: Vec<String>,
    pub namespaced: bool,
    /// Categories such as `all` (what `kubectl get all` lists).
    pub categories: Vec<String>,
    /// False for virtual types (reviews, bindings) that are created but never stored.
    pub listable: bool,
}

impl ResourceType {
    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(&self) -> String {
        self.api_version_for(&self.versions[0])
    }

    pub fn api_version_for(&self, version: &str) -> String {
        if self.group.is_empty() {
            version.to_string()
        } else {
            format!("{}/{}", self.group, version)
        }
    }

    /// `deployments.apps`, or `pods` for the core group: how errors name the resource.
    pub fn group_resource(&self) -> String {
        if self.group.is_empty() {
            self.plural.clone()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// `Deployment.apps`, or `Pod`: how Invalid errors name the kind.
    pub fn group_kind(&self) -> String {
        if self.group.is_empty() {
            self.kind.clone()
        } else {
            format!("{}.{}", self.kind, self.group)
        }
    }

    /// `deployment.apps`: the name printer's prefix (`deployment.apps/web created`).
    pub fn kind_prefix(&self) -> String {
        let lower = self.kind.to_lowercase();
        if self.group.is_empty() {
            lower
        } else {
            format!("{lower}.{}", self.group)
        }
    }

    pub fn serves(&self, version: &str) -> bool {
        self.versions.iter().any(|v| v == version)
    }
}

/// Splits `apps/v1` into (`apps`, `v1`) and `v1` into (``, `v1`).
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

// (group, versions, kind, plural, short names, namespaced, categories)
type Row = (
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static [&'static str],
    bool,
    &'static [&'static str],
);

const BUILTIN: &[Row] = &[
    ("", &["v1"], "Binding", "bindings", &[], true, &[]),
    (
        "",
        &["v1"],
        "ComponentStatus",
        "componentstatuses",
        &["cs"],
        false,
        &[],
    ),
    ("", &["v1"], "ConfigMap", "configmaps", &["cm"], true, &[]),
    ("", &["v1"], "Endpoints", "endpoints", &["ep"], true, &[]),
    ("", &["v1"], "Event", "events", &["ev"], true, &[]),
    (
        "",
        &["v1"],
        "LimitRange",
        "limitranges",
        &["limits"],
        true,
        &[],
    ),
    ("", &["v1"], "Namespace", "namespaces", &["ns"], false, &[]),
    ("", &["v1"], "Node", "nodes", &["no"], false, &[]),
    (
        "",
        &["v1"],
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        &["pvc"],
        true,
        &[],
    ),
    (
        "",
        &["v1"],
        "PersistentVolume",
        "persistentvolumes",
        &["pv"],
        false,
        &[],
    ),
    ("", &["v1"], "Pod", "pods", &["po"], true, &["all"]),
    ("", &["v1"], "PodTemplate", "podtemplates", &[], true, &[]),
    (
        "",
        &["v1"],
        "ReplicationController",
        "replicationcontrollers",
        &["rc"],
        true,
        &["all"],
    ),
    (
        "",
        &["v1"],
        "ResourceQuota",
        "resourcequotas",
        &["quota"],
        true,
        &[],
    ),
    ("", &["v1"], "Secret", "secrets", &[], true, &[]),
    (
        "",
        &["v1"],
        "ServiceAccount",
        "serviceaccounts",
        &["sa"],
        true,
        &[],
    ),
    ("", &["v1"], "Service", "services", &["svc"], true, &["all"]),
    (
        "admissionregistration.k8s.io",
        &["v1"],
        "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations",
        &[],
        false,
        &[],
    ),
    (
        "admissionregistration.k8s.io",
        &["v1"],
        "ValidatingAdmissionPolicy",
        "validatingadmissionpolicies",
        &[],
        false,
        &[],
    ),
    (
        "admissionregistration.k8s.io",
        &["v1"],
        "ValidatingAdmissionPolicyBinding",
        "validatingadmissionpolicybindings",
        &[],
        false,
        &[],
    ),
    (
        "admissionregistration.k8s.io",
        &["v1"],
        "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations",
        &[],
        false,
        &[],
    ),
    (
        "apiextensions.k8s.io",
        &["v1"],
        "CustomResourceDefinition",
        "customresourcedefinitions",
        &["crd", "crds"],
        false,
        &[],
    ),
    (
        "apiregistration.k8s.io",
        &["v1"],
        "APIService",
        "apiservices",
        &[],
        false,
        &[],
    ),
    (
        "apps",
        &["v1"],
        "ControllerRevision",
        "controllerrevisions",
        &[],
        true,
        &[],
    ),
    (
        "apps",
        &["v1"],
        "DaemonSet",
        "daemonsets",
        &["ds"],
        true,
        &["all"],
    ),
    (
        "apps",
        &["v1"],
        "Deployment",
        "deployments",
        &["deploy"],
        true,
        &["all"],
    ),
    (
        "apps",
        &["v1"],
        "ReplicaSet",
        "replicasets",
        &["rs"],
        true,
        &["all"],
    ),
    (
        "apps",
        &["v1"],
        "StatefulSet",
        "statefulsets",
        &["sts"],
        true,
        &["all"],
    ),
    (
        "authentication.k8s.io",
        &["v1"],
        "SelfSubjectReview",
        "selfsubjectreviews",
        &[],
        false,
        &[],
    ),
    (
        "authentication.k8s.io",
        &["v1"],
        "TokenReview",
        "tokenreviews",
        &[],
        false,
        &[],
    ),
    (
        "authorization.k8s.io",
        &["v1"],
        "LocalSubjectAccessReview",
        "localsubjectaccessreviews",
        &[],
        true,
        &[],
    ),
    (
        "authorization.k8s.io",
        &["v1"],
        "SelfSubjectAccessReview",
        "selfsubjectaccessreviews",
        &[],
        false,
        &[],
    ),
    (
        "authorization.k8s.io",
        &["v1"],
        "SelfSubjectRulesReview",
        "selfsubjectrulesreviews",
        &[],
        false,
        &[],
    ),
    (
        "authorization.k8s.io",
        &["v1"],
        "SubjectAccessReview",
        "subjectaccessreviews",
        &[],
        false,
        &[],
    ),
    (
        "autoscaling",
        &["v2", "v1"],
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        &["hpa"],
        true,
        &["all"],
    ),
    (
        "batch",
        &["v1"],
        "CronJob",
        "cronjobs",
        &["cj"],
        true,
        &["all"],
    ),
    ("batch", &["v1"], "Job", "jobs", &[], true, &["all"]),
    (
        "certificates.k8s.io",
        &["v1"],
        "CertificateSigningRequest",
        "certificatesigningrequests",
        &["csr"],
        false,
        &[],
    ),
    (
        "coordination.k8s.io",
        &["v1"],
        "Lease",
        "leases",
        &[],
        true,
        &[],
    ),
    (
        "discovery.k8s.io",
        &["v1"],
        "EndpointSlice",
        "endpointslices",
        &[],
        true,
        &[],
    ),
    (
        "events.k8s.io",
        &["v1"],
        "Event",
        "events",
        &["ev"],
        true,
        &[],
    ),
    (
        "flowcontrol.apiserver.k8s.io",
        &["v1"],
        "FlowSchema",
        "flowschemas",
        &[],
        false,
        &[],
    ),
    (
        "flowcontrol.apiserver.k8s.io",
        &["v1"],
        "PriorityLevelConfiguration",
        "prioritylevelconfigurations",
        &[],
        false,
        &[],
    ),
    (
        "networking.k8s.io",
        &["v1"],
        "IngressClass",
        "ingressclasses",
        &[],
        false,
        &[],
    ),
    (
        "networking.k8s.io",
        &["v1"],
        "Ingress",
        "ingresses",
        &["ing"],
        true,
        &[],
    ),
    (
        "networking.k8s.io",
        &["v1"],
        "IPAddress",
        "ipaddresses",
        &["ip"],
        false,
        &[],
    ),
    (
        "networking.k8s.io",
        &["v1"],
        "NetworkPolicy",
        "networkpolicies",
        &["netpol"],
        true,
        &[],
    ),
    (
        "networking.k8s.io",
        &["v1"],
        "ServiceCIDR",
        "servicecidrs",
        &[],
        false,
        &[],
    ),
    (
        "node.k8s.io",
        &["v1"],
        "RuntimeClass",
        "runtimeclasses",
        &[],
        false,
        &[],
    ),
    (
        "policy",
        &["v1"],
        "PodDisruptionBudget",
        "poddisruptionbudgets",
        &["pdb"],
        true,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        &["v1"],
        "ClusterRoleBinding",
        "clusterrolebindings",
        &[],
        false,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        &["v1"],
        "ClusterRole",
        "clusterroles",
        &[],
        false,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        &["v1"],
        "RoleBinding",
        "rolebindings",
        &[],
        true,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        &["v1"],
        "Role",
        "roles",
        &[],
        true,
        &[],
    ),
    (
        "resource.k8s.io",
        &["v1"],
        "DeviceClass",
        "deviceclasses",
        &[],
        false,
        &[],
    ),
    (
        "resource.k8s.io",
        &["v1"],
        "ResourceClaim",
        "resourceclaims",
        &[],
        true,
        &[],
    ),
    (
        "resource.k8s.io",
        &["v1"],
        "ResourceClaimTemplate",
        "resourceclaimtemplates",
        &[],
        true,
        &[],
    ),
    (
        "resource.k8s.io",
        &["v1"],
        "ResourceSlice",
        "resourceslices",
        &[],
        false,
        &[],
    ),
    (
        "scheduling.k8s.io",
        &["v1"],
        "PriorityClass",
        "priorityclasses",
        &["pc"],
        false,
        &[],
    ),
    (
        "storage.k8s.io",
        &["v1"],
        "CSIDriver",
        "csidrivers",
        &[],
        false,
        &[],
    ),
    (
        "storage.k8s.io",
        &["v1"],
        "CSINode",
        "csinodes",
        &[],
        false,
        &[],
    ),
    (
        "storage.k8s.io",
        &["v1"],
        "CSIStorageCapacity",
        "csistoragecapacities",
        &[],
        true,
        &[],
    ),
    (
        "storage.k8s.io",
        &["v1"],
        "StorageClass",
        "storageclasses",
        &["sc"],
        false,
        &[],
    ),
    (
        "storage.k8s.io",
        &["v1"],
        "VolumeAttachment",
        "volumeattachments",
        &[],
        false,
        &[],
    ),
    (
        "storage.k8s.io",
        &["v1"],
        "VolumeAttributesClass",
        "volumeattributesclasses",
        &["vac"],
        false,
        &[],
    ),
];

/// Whether a type is one the apiserver serves itself (not from a CRD).
pub fn is_builtin(group: &str, plural: &str) -> bool {
    BUILTIN.iter().any(|row| row.0 == group && row.3 == plural)
}

/// Kinds created but never stored: `kubectl get` on them is MethodNotAllowed.
const VIRTUAL: &[&str] = &[
    "bindings",
    "selfsubjectreviews",
    "tokenreviews",
    "localsubjectaccessreviews",
    "selfsubjectaccessreviews",
    "selfsubjectrulesreviews",
    "subjectaccessreviews",
];

/// All resource types the apiserver serves right now.
#[derive(Debug, Clone)]
pub struct Registry {
    types: Vec<ResourceType>,
}

impl Default for Registry {
    fn default() -> Self {
        Self::builtin()
    }
}

impl Registry {
    pub fn builtin() -> Registry {
        let types = BUILTIN
            .iter()
            .map(
                |(group, versions, kind, plural, shorts, namespaced, categories)| ResourceType {
                    group: group.to_string(),
                    versions: versions.iter().map(|v| v.to_string()).collect(),
                    kind: kind.to_string(),
                    plural: plural.to_string(),
                    singular: kind.to_lowercase(),
                    short_names: shorts.iter().map(|s| s.to_string()).collect(),
                    namespaced: *namespaced,
                    categories: categories.iter().map(|s| s.to_string()).collect(),
                    listable: !VIRTUAL.contains(plural),
                },
            )
            .collect();
        Registry { types }
    }

    pub fn all(&self) -> &[ResourceType] {
        &self.types
    }

    /// The type serving `kind` at `apiVersion`, if any (what a manifest's header maps to).
    pub fn for_kind(&self, api_version: &str, kind: &str) -> Option<&ResourceType> {
        let (group, version) = split_api_version(api_version);
        self.types
            .iter()
            .find(|t| t.group == group && t.kind == kind && t.serves(version))
    }

    /// Resolves what a user typed after `kubectl get`: plural, singular, short name or
    /// kind, optionally qualified by group (`deployments.apps`, `deploy`, `Deployment`).
    /// The core `events` wins over `events.events.k8s.io`, as in kubectl.
    pub fn resolve(&self, typed: &str) -> Option<&ResourceType> {
        let lower = typed.to_lowercase();
        let (name, group) = match lower.split_once('.') {
            Some((n, g)) => (n.to_string(), Some(g.to_string())),
            None => (lower.clone(), None),
        };
        let matches = |t: &&ResourceType| {
            let name_ok = t.plural == name
                || t.singular == name
                // Kinds are ASCII: no lower-cased copy per type on every lookup.
                || t.kind.eq_ignore_ascii_case(&name)
                || t.short_names.contains(&name);
            // `deployments.apps`, or with a version: `deployments.v1.apps`
            let group_ok = match &group {
                None => true,
                Some(g) => {
                    t.group == *g || g.split_once('.').is_some_and(|(_, rest)| rest == t.group)
                }
            };
            name_ok && group_ok
        };
        // Core group first, then the rest in table order: kubectl's priority for
        // ambiguous names like `events`.
        self.types
            .iter()
            .find(|t| t.group.is_empty() && matches(t))
            .or_else(|| self.types.iter().find(matches))
    }

    /// Adds (or replaces) a type served by a CustomResourceDefinition.
    pub fn add_custom(&mut self, t: ResourceType) {
        self.types
            .retain(|existing| !(existing.group == t.group && existing.plural == t.plural));
        self.types.push(t);
    }

    pub fn remove_custom(&mut self, group: &str, plural: &str) {
        self.types
            .retain(|t| !(t.group == group && t.plural == plural));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_what_users_type() {
        let r = Registry::builtin();
        for typed in [
            "deploy",
            "deployment",
            "deployments",
            "Deployment",
            "deployments.apps",
            "deploy.apps",
        ] {
            assert_eq!(
                r.resolve(typed).map(|t| t.plural.as_str()),
                Some("deployments"),
                "{typed}"
            );
        }
        assert_eq!(r.resolve("po").unwrap().kind, "Pod");
        assert_eq!(r.resolve("ev").unwrap().group, "");
        assert_eq!(
            r.resolve("events.events.k8s.io").unwrap().group,
            "events.k8s.io"
        );
        assert!(r.resolve("foo").is_none());
    }

    #[test]
    fn removed_versions_are_not_served() {
        let r = Registry::builtin();
        assert!(r.for_kind("apps/v1", "Deployment").is_some());
        assert!(r.for_kind("extensions/v1beta1", "Deployment").is_none());
        assert!(r
            .for_kind("policy/v1beta1", "PodDisruptionBudget")
            .is_none());
        assert!(r
            .for_kind("autoscaling/v1", "HorizontalPodAutoscaler")
            .is_some());
        assert_eq!(
            r.for_kind("v1", "Service").unwrap().group_resource(),
            "services"
        );
        assert_eq!(
            r.for_kind("apps/v1", "Deployment").unwrap().kind_prefix(),
            "deployment.apps"
        );
    }
}
