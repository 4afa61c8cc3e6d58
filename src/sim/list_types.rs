//! How each list field of the built-in types merges: its strategic-merge patch strategy
//! and key from k8s.io/api's struct tags. Strategic merge patch (`console::patch`) and
//! the apiserver's field manager ([`super::fieldmanager`]) both key list items by it.

/// How a list field merges in a strategic merge patch (its `patchStrategy` tag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStrategy {
    /// No strategy: the patch's list replaces the live one (`+listType=atomic`).
    Replace,
    /// `patchStrategy:"merge" patchMergeKey:"…"`: elements merge on the key.
    MergeKey(&'static str),
    /// `patchStrategy:"merge"` on a list of strings (`metadata.finalizers`).
    MergePrimitive,
}

/// The strategy of list field `field` whose parent path is `parents` (field names only,
/// outermost first), from k8s.io/api's struct tags.
pub fn list_strategy(kind: &str, parents: &[String], field: &str) -> ListStrategy {
    let parent = parents.last().map(String::as_str).unwrap_or("");
    let in_container = parents
        .iter()
        .rev()
        .find(|p| p.ends_with("ontainers") || *p == "spec" || *p == "template")
        .is_some_and(|p| p.ends_with("ontainers"));
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "imagePullSecrets"
        | "volumes"
        | "resourceClaims" => ListStrategy::MergeKey("name"),
        "env" if in_container => ListStrategy::MergeKey("name"),
        "volumeMounts" if in_container => ListStrategy::MergeKey("mountPath"),
        "volumeDevices" if in_container => ListStrategy::MergeKey("devicePath"),
        "ports" if in_container => ListStrategy::MergeKey("containerPort"),
        "ports" if kind == "Service" && parents.len() == 1 => ListStrategy::MergeKey("port"),
        "hostAliases" => ListStrategy::MergeKey("ip"),
        "topologySpreadConstraints" => ListStrategy::MergeKey("topologyKey"),
        "conditions" if parent == "status" => ListStrategy::MergeKey("type"),
        "addresses" if kind == "Node" && parent == "status" => ListStrategy::MergeKey("type"),
        "ownerReferences" if parent == "metadata" => ListStrategy::MergeKey("uid"),
        "finalizers" if parent == "metadata" => ListStrategy::MergePrimitive,
        _ => ListStrategy::Replace,
    }
}
