//! The default cluster (design.md §3): what a fresh kubeadm/kind cluster holds a moment
//! after `kind create cluster` — four nodes, four namespaces, the control-plane static
//! pods, CoreDNS, kube-proxy and the kindnet CNI on every node, the `kubernetes` and
//! `kube-dns` Services with their endpoints, node leases and the default StorageClass —
//! plus the add-ons kubesim preinstalls (ingress-nginx, Envoy Gateway, metrics-server).
//! Names and addresses are fixed so that docs, scenarios and tests can rely on them.

use super::apiserver::WriteOptions;
use super::cluster::Cluster;
use super::errors::ApiError;
use super::hash::compute_hash;
use super::ipam::{node_pod_cidr, PodIpam};
use super::messages::Component;
use super::object;
use super::time::{rfc3339, rfc3339_micro};
use crate::sim::json::json;
use serde_json::Value;

pub const KUBERNETES_VERSION: &str = "v1.34.0";
pub const CONTAINER_RUNTIME: &str = "containerd://2.1.3";
pub const OS_IMAGE: &str = "Debian GNU/Linux 12 (bookworm)";
pub const KERNEL_VERSION: &str = "6.8.0-49-generic";
pub const COREDNS_IMAGE: &str = "registry.k8s.io/coredns/coredns:v1.12.1";
pub const ETCD_IMAGE: &str = "registry.k8s.io/etcd:3.6.4-0";
pub const KINDNET_IMAGE: &str = "docker.io/kindest/kindnetd:v20250512-df8de77b";

/// A node of the default cluster: name, index (pod CIDR 10.244.<index>.0/24), address.
pub struct NodeSpec {
    pub name: String,
    pub index: u32,
    pub ip: String,
}

/// `control-plane` at 172.18.0.2, then `worker-1` … at .3, .4, … (see `ipam::PodIpam`
/// for clusters past 253 workers).
pub fn default_nodes(workers: usize) -> Vec<NodeSpec> {
    (0..=workers)
        .map(|i| NodeSpec {
            name: if i == 0 {
                "control-plane".to_string()
            } else {
                format!("worker-{i}")
            },
            index: i as u32,
            ip: super::ipam::node_ip(i as u32),
        })
        .collect()
}

fn system() -> WriteOptions {
    WriteOptions {
        actor: Component::ApiServer,
        ..Default::default()
    }
}

/// Runs `install` with a random stream of its own, derived from the seed and `salt`,
/// so that an add-on's names and UIDs leave the cluster's own stream where it was.
pub(crate) fn with_own_stream(
    cluster: &mut Cluster,
    salt: u64,
    install: impl FnOnce(&mut Cluster),
) {
    let own = super::rng::Rng::new(cluster.options.seed ^ salt);
    let saved = std::mem::replace(&mut cluster.rng, own);
    install(cluster);
    cluster.rng = saved;
}

/// Creates an object the simulation itself built; its kind is built in, so the only
/// failure is the apiserver rejecting it (e.g. a node named by the user).
fn try_create(cluster: &mut Cluster, obj: Value) -> Result<Value, ApiError> {
    let rt = cluster
        .resource_for(object::api_version(&obj), object::kind(&obj))
        .unwrap_or_else(|| panic!("bootstrap kind {} is served", object::kind(&obj)));
    let ns = object::namespace(&obj).to_string();
    cluster.create(&rt, obj, &ns, &system())
}

/// Creates an object whose every field the simulation chose: rejection is a bug.
pub(crate) fn create(cluster: &mut Cluster, obj: Value) -> Value {
    match try_create(cluster, obj) {
        Ok(o) => o,
        Err(e) => panic!("bootstrap object is valid: {e}"),
    }
}

pub(crate) fn set_status(cluster: &mut Cluster, obj: &Value, status: Value) -> Value {
    let rt = cluster
        .resource_for(object::api_version(obj), object::kind(obj))
        .expect("bootstrap kind is served");
    cluster
        .update_status(
            &rt,
            object::namespace(obj),
            object::name(obj),
            status,
            Component::ApiServer,
        )
        .expect("bootstrap object exists")
}

pub fn bootstrap(cluster: &mut Cluster) {
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        create(
            cluster,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        );
    }
    let nodes = default_nodes(cluster.options.workers);
    for n in &nodes {
        add_node(cluster, n).expect("the default nodes have valid names");
    }
    create_system_objects(cluster);
    let mut ipam = PodIpam::default();
    for n in nodes.iter().filter(|n| n.index == 0) {
        for component in [
            "etcd",
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
        ] {
            static_pod(cluster, n, component);
        }
    }
    coredns(cluster, &nodes[0], &mut ipam);
    super::network::ingress::install::default_controller(cluster, &nodes[0], &mut ipam);
    super::network::gateway::install::default_controller(cluster, &nodes[0], &mut ipam);
    super::metrics::install::default_server(cluster, &nodes[0], &mut ipam);
    daemonset(
        cluster,
        &nodes,
        "kube-proxy",
        &format!("registry.k8s.io/kube-proxy:{KUBERNETES_VERSION}"),
    );
    daemonset(cluster, &nodes, "kindnet", KINDNET_IMAGE);
    cluster.pod_ipam = ipam;
}

/// Registers a node as its kubelet does: the Node object, Ready, and its lease.
/// The name may come from the user (`sim node add NAME`): the apiserver's rejection of
/// the Node is returned before anything is written.
pub fn add_node(cluster: &mut Cluster, n: &NodeSpec) -> Result<(), ApiError> {
    let control_plane = n.index == 0;
    let mut labels = json!({
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": n.name, "kubernetes.io/os": "linux",
    });
    if control_plane {
        labels["node-role.kubernetes.io/control-plane"] = json!("");
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = json!("");
        labels[super::network::ingress::install::READY_LABEL] = json!("true");
    }
    let mut spec = json!({"podCIDR": node_pod_cidr(n.index), "podCIDRs": [node_pod_cidr(n.index)], "providerID": format!("kind://docker/kind/{}", n.name)});
    if control_plane {
        spec["taints"] =
            json!([{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]);
    }
    let node = try_create(
        cluster,
        json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": n.name, "labels": labels, "annotations": {
            "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
            "node.alpha.kubernetes.io/ttl": "0",
            "volumes.kubernetes.io/controller-managed-attach-detach": "true"}}, "spec": spec}),
    )?;
    let status = node_status(cluster, n);
    set_status(cluster, &node, status);
    let now = rfc3339_micro(cluster.now);
    create(
        cluster,
        json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": n.name, "namespace": "kube-node-lease",
            "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": n.name, "uid": object::uid(&node)}]},
            "spec": {"holderIdentity": n.name, "leaseDurationSeconds": 40, "renewTime": now}}),
    );
    Ok(())
}

fn node_status(cluster: &mut Cluster, n: &NodeSpec) -> Value {
    let t = rfc3339(cluster.now);
    let condition = |type_: &str, status: &str, reason: &str, message: &str| json!({"lastHeartbeatTime": t, "lastTransitionTime": t, "message": message, "reason": reason, "status": status, "type": type_});
    let resources = json!({"cpu": "4", "ephemeral-storage": "102626232Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": "8148176Ki", "pods": "110"});
    let machine_id = cluster.rng.uuid().replace('-', "");
    json!({
        "addresses": [{"address": n.ip, "type": "InternalIP"}, {"address": n.name, "type": "Hostname"}],
        "allocatable": resources, "capacity": resources,
        "conditions": [
            condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ],
        "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
        "nodeInfo": {
            "architecture": "amd64", "bootID": cluster.rng.uuid(), "containerRuntimeVersion": CONTAINER_RUNTIME,
            "kernelVersion": KERNEL_VERSION, "kubeProxyVersion": "", "kubeletVersion": KUBERNETES_VERSION,
            "machineID": machine_id, "operatingSystem": "linux", "osImage": OS_IMAGE, "systemUUID": cluster.rng.uuid(),
        },
    })
}

/// The pod CIDR the cluster was built with (see `ipam::PodIpam`).
pub(crate) fn cluster_cidr(cluster: &Cluster) -> &'static str {
    super::ipam::cluster_cidr(cluster.options.workers + 1)
}

fn create_system_objects(cluster: &mut Cluster) {
    let cidr = cluster_cidr(cluster);
    for (name, value) in [
        ("system-cluster-critical", 2_000_000_000i64),
        ("system-node-critical", 2_000_001_000),
    ] {
        create(
            cluster,
            json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name},
            "value": value, "description": "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.", "preemptionPolicy": "PreemptLowerPriority"}),
        );
    }
    create(
        cluster,
        json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": {"name": "standard", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
        "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer"}),
    );
    for sa in ["coredns", "kube-proxy", "kindnet"] {
        create(
            cluster,
            json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": sa, "namespace": "kube-system"}}),
        );
    }
    create(
        cluster,
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "coredns", "namespace": "kube-system"},
        "data": {"Corefile": ".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30 {\n       disable success cluster.local\n       disable denial cluster.local\n    }\n    loop\n    reload\n    loadbalance\n}\n"}}),
    );
    create(
        cluster,
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kube-proxy", "namespace": "kube-system", "labels": {"app": "kube-proxy"}},
        "data": {"config.conf": format!("apiVersion: kubeproxy.config.k8s.io/v1alpha1\nclusterCIDR: {cidr}\nkind: KubeProxyConfiguration\nmode: iptables\n")}}),
    );
    create(
        cluster,
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kubeadm-config", "namespace": "kube-system"},
        "data": {"ClusterConfiguration": format!("apiVersion: kubeadm.k8s.io/v1beta4\nclusterName: kind\ncontrolPlaneEndpoint: control-plane:6443\nkind: ClusterConfiguration\nkubernetesVersion: {KUBERNETES_VERSION}\nnetworking:\n  dnsDomain: cluster.local\n  podSubnet: {cidr}\n  serviceSubnet: 10.96.0.0/12\n")}}),
    );
    create(
        cluster,
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cluster-info", "namespace": "kube-public"},
        "data": {"kubeconfig": "apiVersion: v1\nclusters:\n- cluster:\n    server: https://control-plane:6443\n  name: \"\"\nkind: Config\n"}}),
    );
    for (role, aggregate) in [
        ("cluster-admin", false),
        ("admin", true),
        ("edit", true),
        ("view", true),
    ] {
        let mut cr = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": role, "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"}, "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}},
            "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}, {"nonResourceURLs": ["*"], "verbs": ["*"]}]});
        if aggregate {
            cr["rules"] = json!([]);
            cr["aggregationRule"] = json!({"clusterRoleSelectors": [{"matchLabels": {format!("rbac.authorization.k8s.io/aggregate-to-{role}"): "true"}}]});
        }
        create(cluster, cr);
    }
    create(
        cluster,
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": "cluster-admin", "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"}, "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:masters"}]}),
    );
    // The apiserver's own Service, at the first address of the service CIDR.
    let kubernetes = create(
        cluster,
        json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {"clusterIP": "10.96.0.1", "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]}}),
    );
    endpoints(
        cluster,
        &kubernetes,
        &[("172.18.0.2", None)],
        &[("https", 6443, "TCP")],
        "kubernetes",
    );
    create(
        cluster,
        json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kube-dns", "namespace": "kube-system",
            "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"},
            "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}},
        "spec": {"clusterIP": "10.96.0.10", "selector": {"k8s-app": "kube-dns"}, "ports": [
            {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
            {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
            {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}]}}),
    );
    for (name, holder) in [
        ("kube-controller-manager", "control-plane"),
        ("kube-scheduler", "control-plane"),
    ] {
        let id = format!("{holder}_{}", cluster.rng.uuid());
        let now = rfc3339_micro(cluster.now);
        create(
            cluster,
            json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": name, "namespace": "kube-system"},
            "spec": {"acquireTime": now, "holderIdentity": id, "leaseDurationSeconds": 15, "leaseTransitions": 0, "renewTime": now}}),
        );
    }
}

/// Endpoints and an EndpointSlice for a Service, as the endpoint controllers (or, for
/// `kubernetes`, the apiserver itself) write them.
pub fn endpoints(
    cluster: &mut Cluster,
    svc: &Value,
    addresses: &[(&str, Option<&Value>)],
    ports: &[(&str, i64, &str)],
    managed_by: &str,
) {
    let (ns, name) = (
        object::namespace(svc).to_string(),
        object::name(svc).to_string(),
    );
    let target = |pod: Option<&Value>| {
        pod.map(|p| json!({"kind": "Pod", "name": object::name(p), "namespace": object::namespace(p), "uid": object::uid(p)}))
    };
    let ep_addresses: Vec<Value> = addresses
        .iter()
        .map(|(ip, pod)| {
            let mut a = json!({"ip": ip});
            if let Some(p) = pod {
                a["nodeName"] = json!(object::str_at(p, "/spec/nodeName"));
                a["targetRef"] = target(Some(p)).unwrap_or_default();
            }
            a
        })
        .collect();
    let ep_ports: Vec<Value> = ports
        .iter()
        .map(|(n, p, proto)| json!({"name": n, "port": p, "protocol": proto}))
        .collect();
    let mut labels = object::labels_value(svc);
    if managed_by != "kubernetes" {
        labels["service.kubernetes.io/headless"] = Value::Null;
    }
    let labels = strip_nulls(labels);
    create(
        cluster,
        json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": name, "namespace": ns, "labels": labels.clone()},
        "subsets": [{"addresses": ep_addresses, "ports": ep_ports}]}),
    );
    let slice_endpoints: Vec<Value> = addresses
        .iter()
        .map(|(ip, pod)| {
            let mut e = json!({"addresses": [ip], "conditions": {"ready": true, "serving": true, "terminating": false}});
            if let Some(p) = pod {
                e["nodeName"] = json!(object::str_at(p, "/spec/nodeName"));
                e["targetRef"] = target(Some(p)).unwrap_or_default();
            }
            e
        })
        .collect();
    let mut slice_labels = labels;
    slice_labels["kubernetes.io/service-name"] = json!(name);
    let controller = if managed_by == "kubernetes" {
        "kube-apiserver"
    } else {
        "endpointslice-controller.k8s.io"
    };
    slice_labels["endpointslice.kubernetes.io/managed-by"] = json!(controller);
    let slice_name = if managed_by == "kubernetes" {
        name.clone()
    } else {
        format!("{name}-{}", cluster.rng.name_suffix(5))
    };
    let mut slice = json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
        "metadata": {"name": slice_name, "namespace": ns, "labels": slice_labels},
        "endpoints": slice_endpoints,
        "ports": ports.iter().map(|(n, p, proto)| json!({"name": n, "port": p, "protocol": proto})).collect::<Vec<_>>()});
    if managed_by != "kubernetes" {
        slice["metadata"]["ownerReferences"] = json!([object::controller_ref(svc)]);
    }
    create(cluster, slice);
}

fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).collect()),
        other => other,
    }
}

fn container_id(cluster: &mut Cluster) -> String {
    let hex: String = (0..4)
        .map(|_| format!("{:016x}", cluster.rng.next_u64()))
        .collect();
    format!("containerd://{hex}")
}

fn image_id(image: &str) -> String {
    // A stable, plausible digest per image name.
    let digest: String = (0..8)
        .map(|i| format!("{:08x}", super::hash::fnv(&format!("{image}#{i}"))))
        .collect();
    let repo = image.split(':').next().unwrap_or(image);
    format!("{repo}@sha256:{digest}")
}

/// A preinstalled pod on the control plane (CoreDNS, the add-ons): takes the next
/// address of `ipam` there and reports the pod Running and Ready with it.
pub fn run_on_control_plane(
    cluster: &mut Cluster,
    pod: &Value,
    cp: &NodeSpec,
    ipam: &mut PodIpam,
) -> (Value, String) {
    let ip = ipam
        .allocate(cp.index)
        .expect("the control plane's /24 has room");
    let pod = running_status(cluster, pod, &cp.ip, &ip);
    (pod, ip)
}

/// Marks a pod Running and Ready on its node with the given IP, as the kubelet reports it.
pub fn running_status(cluster: &mut Cluster, pod: &Value, node_ip: &str, pod_ip: &str) -> Value {
    let t = rfc3339(cluster.now);
    let containers: Vec<(String, String)> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| {
            (
                object::str_at(c, "/name").to_string(),
                object::str_at(c, "/image").to_string(),
            )
        })
        .collect();
    let statuses: Vec<Value> = containers
        .iter()
        .map(|(name, image)| {
            json!({"containerID": container_id(cluster), "image": image, "imageID": image_id(image), "lastState": {}, "name": name,
                "ready": true, "restartCount": 0, "started": true, "state": {"running": {"startedAt": t}}})
        })
        .collect();
    let condition = |type_: &str| json!({"lastProbeTime": null, "lastTransitionTime": t, "status": "True", "type": type_});
    let status = json!({
        "conditions": [condition("PodReadyToStartContainers"), condition("Initialized"), condition("Ready"), condition("ContainersReady"), condition("PodScheduled")],
        "containerStatuses": statuses,
        "hostIP": node_ip, "hostIPs": [{"ip": node_ip}],
        "phase": "Running", "podIP": pod_ip, "podIPs": [{"ip": pod_ip}],
        "qosClass": object::str_at(pod, "/status/qosClass"),
        "startTime": t,
    });
    set_status(cluster, pod, status)
}

fn static_pod(cluster: &mut Cluster, n: &NodeSpec, component: &str) {
    let image = if component == "etcd" {
        ETCD_IMAGE.to_string()
    } else {
        format!("registry.k8s.io/{component}:{KUBERNETES_VERSION}")
    };
    let command: Vec<String> = match component {
        "etcd" => vec![
            "etcd".into(),
            format!("--advertise-client-urls=https://{}:2379", n.ip),
            "--data-dir=/var/lib/etcd".into(),
            format!(
                "--listen-client-urls=https://127.0.0.1:2379,https://{}:2379",
                n.ip
            ),
        ],
        "kube-apiserver" => vec![
            "kube-apiserver".into(),
            format!("--advertise-address={}", n.ip),
            "--service-cluster-ip-range=10.96.0.0/12".into(),
            "--service-node-port-range=30000-32767".into(),
        ],
        "kube-controller-manager" => vec![
            "kube-controller-manager".into(),
            "--allocate-node-cidrs=true".into(),
            format!("--cluster-cidr={}", cluster_cidr(cluster)),
            "--node-monitor-grace-period=50s".into(),
        ],
        _ => vec!["kube-scheduler".into(), "--leader-elect=true".into()],
    };
    let requests = match component {
        "etcd" => json!({"cpu": "100m", "memory": "100Mi"}),
        "kube-apiserver" => json!({"cpu": "250m"}),
        "kube-controller-manager" => json!({"cpu": "200m"}),
        _ => json!({"cpu": "100m"}),
    };
    let node = cluster
        .get(
            &cluster.registry.resolve("nodes").expect("built in").clone(),
            "",
            &n.name,
        )
        .expect("node registered")
        .clone();
    let hash = compute_hash(&json!({"component": component, "node": n.name}), None);
    let pod = create(
        cluster,
        json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": format!("{component}-{}", n.name), "namespace": "kube-system",
            "labels": {"component": component, "tier": "control-plane"},
            "annotations": {"kubernetes.io/config.hash": hash, "kubernetes.io/config.mirror": hash, "kubernetes.io/config.seen": rfc3339(cluster.now), "kubernetes.io/config.source": "file"},
            "ownerReferences": [{"apiVersion": "v1", "controller": true, "kind": "Node", "name": n.name, "uid": object::uid(&node)}]},
        "spec": {"containers": [{"name": component, "image": image, "command": command, "resources": {"requests": requests}}],
            "hostNetwork": true, "nodeName": n.name, "priorityClassName": "system-node-critical", "priority": 2_000_001_000,
            "tolerations": [{"effect": "NoExecute", "operator": "Exists"}]}}),
    );
    running_status(cluster, &pod, &n.ip, &n.ip);
}

fn coredns(cluster: &mut Cluster, cp: &NodeSpec, ipam: &mut PodIpam) {
    let template = json!({
        "metadata": {"labels": {"k8s-app": "kube-dns"}},
        "spec": {
            "containers": [{"name": "coredns", "image": COREDNS_IMAGE, "args": ["-conf", "/etc/coredns/Corefile"],
                "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"}, {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"}, {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}],
                "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
                "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181, "scheme": "HTTP"}},
                "livenessProbe": {"httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"}, "initialDelaySeconds": 60, "timeoutSeconds": 5, "failureThreshold": 5},
                "volumeMounts": [{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": true}]}],
            "dnsPolicy": "Default",
            "nodeSelector": {"kubernetes.io/os": "linux"},
            "priorityClassName": "system-cluster-critical",
            "serviceAccountName": "coredns",
            "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"}, {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}],
            "volumes": [{"configMap": {"items": [{"key": "Corefile", "path": "Corefile"}], "name": "coredns"}, "name": "config-volume"}],
        },
    });
    let deploy = create(
        cluster,
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "coredns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}, "annotations": {"deployment.kubernetes.io/revision": "1"}},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
            "template": template}}),
    );
    let live_template = deploy
        .pointer("/spec/template")
        .cloned()
        .unwrap_or_default();
    let hash = compute_hash(&live_template, None);
    let mut rs_template = live_template.clone();
    rs_template["metadata"]["labels"]["pod-template-hash"] = json!(hash);
    let rs_name = format!("coredns-{hash}");
    let rs = create(
        cluster,
        json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": rs_name, "namespace": "kube-system", "labels": {"k8s-app": "kube-dns", "pod-template-hash": hash},
            "annotations": {"deployment.kubernetes.io/desired-replicas": "2", "deployment.kubernetes.io/max-replicas": "3", "deployment.kubernetes.io/revision": "1"},
            "ownerReferences": [object::controller_ref(&deploy)]},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"k8s-app": "kube-dns", "pod-template-hash": hash}}, "template": rs_template.clone()}}),
    );
    let mut pod_ips = vec![];
    let mut pods = vec![];
    for _ in 0..2 {
        let mut pod = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"generateName": format!("{rs_name}-"), "namespace": "kube-system", "labels": rs_template["metadata"]["labels"].clone(), "ownerReferences": [object::controller_ref(&rs)]},
            "spec": rs_template["spec"].clone()});
        pod["spec"]["nodeName"] = json!(cp.name);
        let pod = create(cluster, pod);
        let (pod, ip) = run_on_control_plane(cluster, &pod, cp, ipam);
        pod_ips.push(ip);
        pods.push(pod);
    }
    let gen = deploy
        .pointer("/metadata/generation")
        .cloned()
        .unwrap_or(json!(1));
    set_status(
        cluster,
        &rs,
        json!({"availableReplicas": 2, "fullyLabeledReplicas": 2, "observedGeneration": 1, "readyReplicas": 2, "replicas": 2}),
    );
    let t = rfc3339(cluster.now);
    set_status(
        cluster,
        &deploy,
        json!({"availableReplicas": 2, "observedGeneration": gen, "readyReplicas": 2, "replicas": 2, "updatedReplicas": 2,
        "conditions": [
            {"lastTransitionTime": t, "lastUpdateTime": t, "message": "Deployment has minimum availability.", "reason": "MinimumReplicasAvailable", "status": "True", "type": "Available"},
            {"lastTransitionTime": t, "lastUpdateTime": t, "message": format!("ReplicaSet \"{rs_name}\" has successfully progressed."), "reason": "NewReplicaSetAvailable", "status": "True", "type": "Progressing"}]}),
    );
    let svc_type = cluster
        .registry
        .resolve("services")
        .expect("built in")
        .clone();
    let svc = cluster
        .get(&svc_type, "kube-system", "kube-dns")
        .expect("created above")
        .clone();
    let addresses: Vec<(&str, Option<&Value>)> = pod_ips
        .iter()
        .zip(pods.iter())
        .map(|(ip, p)| (ip.as_str(), Some(p)))
        .collect();
    endpoints(
        cluster,
        &svc,
        &addresses,
        &[
            ("dns", 53, "UDP"),
            ("dns-tcp", 53, "TCP"),
            ("metrics", 9153, "TCP"),
        ],
        "endpoint-controller",
    );
}

fn daemonset(cluster: &mut Cluster, nodes: &[NodeSpec], name: &str, image: &str) {
    let labels = if name == "kindnet" {
        json!({"app": "kindnet", "k8s-app": "kindnet", "tier": "node"})
    } else {
        json!({"k8s-app": name})
    };
    let selector = if name == "kindnet" {
        json!({"app": "kindnet"})
    } else {
        json!({"k8s-app": name})
    };
    let command = if name == "kube-proxy" {
        json!([
            "/usr/local/bin/kube-proxy",
            "--config=/var/lib/kube-proxy/config.conf",
            "--hostname-override=$(NODE_NAME)"
        ])
    } else {
        json!(["/bin/kindnetd"])
    };
    let resources = if name == "kindnet" {
        json!({"limits": {"cpu": "100m", "memory": "50Mi"}, "requests": {"cpu": "100m", "memory": "50Mi"}})
    } else {
        json!({})
    };
    let template = json!({"metadata": {"labels": labels},
        "spec": {"containers": [{"name": if name == "kindnet" { "kindnet-cni" } else { name }, "image": image, "command": command,
                "env": [{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
                "resources": resources, "securityContext": {"privileged": name == "kube-proxy"}}],
            "hostNetwork": true, "nodeSelector": {"kubernetes.io/os": "linux"}, "priorityClassName": "system-node-critical",
            "serviceAccountName": name, "tolerations": [{"operator": "Exists"}]}});
    let ds = create(
        cluster,
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": name, "namespace": "kube-system", "labels": labels.clone(), "annotations": {"deprecated.daemonset.template.generation": "1"}},
        "spec": {"selector": {"matchLabels": selector}, "template": template}}),
    );
    let revision_hash = compute_hash(ds.pointer("/spec/template").unwrap_or(&Value::Null), None);
    let mut pod_labels = labels.clone();
    pod_labels["controller-revision-hash"] = json!(revision_hash);
    pod_labels["pod-template-generation"] = json!("1");
    for n in nodes {
        let mut spec = ds
            .pointer("/spec/template/spec")
            .cloned()
            .unwrap_or_default();
        spec["nodeName"] = json!(n.name);
        spec["affinity"] = json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [n.name]}]}]}}});
        let mut tolerations = spec["tolerations"].as_array().cloned().unwrap_or_default();
        for (key, effect) in [
            ("node.kubernetes.io/not-ready", "NoExecute"),
            ("node.kubernetes.io/unreachable", "NoExecute"),
            ("node.kubernetes.io/disk-pressure", "NoSchedule"),
            ("node.kubernetes.io/memory-pressure", "NoSchedule"),
            ("node.kubernetes.io/pid-pressure", "NoSchedule"),
            ("node.kubernetes.io/unschedulable", "NoSchedule"),
            ("node.kubernetes.io/network-unavailable", "NoSchedule"),
        ] {
            tolerations.push(json!({"effect": effect, "key": key, "operator": "Exists"}));
        }
        spec["tolerations"] = json!(tolerations);
        let pod = create(
            cluster,
            json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"generateName": format!("{name}-"), "namespace": "kube-system", "labels": pod_labels, "ownerReferences": [object::controller_ref(&ds)]},
            "spec": spec}),
        );
        running_status(cluster, &pod, &n.ip, &n.ip);
    }
    let count = nodes.len();
    set_status(
        cluster,
        &ds,
        json!({"currentNumberScheduled": count, "desiredNumberScheduled": count, "numberAvailable": count, "numberMisscheduled": 0,
        "numberReady": count, "observedGeneration": 1, "updatedNumberScheduled": count}),
    );
}

/// A Deployment the default cluster ships already rolled out (ingress-nginx, Envoy
/// Gateway): the Deployment, its ReplicaSet and its one pod on `cp`, returned not yet
/// running. `name` is (name, namespace).
pub(crate) fn preinstalled_deployment(
    cluster: &mut Cluster,
    cp: &NodeSpec,
    (name, namespace): (&str, &str),
    labels: Value,
    selector: Value,
    strategy: Value,
    template: Value,
) -> Value {
    let deploy = create(
        cluster,
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": namespace, "labels": labels, "annotations": {"deployment.kubernetes.io/revision": "1"}},
            "spec": {"replicas": 1, "revisionHistoryLimit": 10, "selector": {"matchLabels": selector},
                "strategy": strategy,
                "template": template}}),
    );
    let live_template = deploy
        .pointer("/spec/template")
        .cloned()
        .unwrap_or_default();
    let hash = compute_hash(&live_template, None);
    let mut rs_template = live_template.clone();
    rs_template["metadata"]["labels"]["pod-template-hash"] = json!(hash);
    let mut rs_selector = selector.clone();
    rs_selector["pod-template-hash"] = json!(hash);
    let rs_name = format!("{name}-{hash}");
    let rs = create(
        cluster,
        json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": rs_name, "namespace": namespace, "labels": rs_template["metadata"]["labels"].clone(),
                "annotations": {"deployment.kubernetes.io/desired-replicas": "1", "deployment.kubernetes.io/max-replicas": "2", "deployment.kubernetes.io/revision": "1"},
                "ownerReferences": [object::controller_ref(&deploy)]},
            "spec": {"replicas": 1, "selector": {"matchLabels": rs_selector}, "template": rs_template.clone()}}),
    );
    let mut pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"generateName": format!("{rs_name}-"), "namespace": namespace, "labels": rs_template["metadata"]["labels"].clone(), "ownerReferences": [object::controller_ref(&rs)]},
        "spec": rs_template["spec"].clone()});
    pod["spec"]["nodeName"] = json!(cp.name);
    let pod = create(cluster, pod);
    set_status(
        cluster,
        &rs,
        json!({"availableReplicas": 1, "fullyLabeledReplicas": 1, "observedGeneration": 1, "readyReplicas": 1, "replicas": 1}),
    );
    let t = rfc3339(cluster.now());
    let gen = deploy
        .pointer("/metadata/generation")
        .cloned()
        .unwrap_or(json!(1));
    set_status(
        cluster,
        &deploy,
        json!({"availableReplicas": 1, "observedGeneration": gen, "readyReplicas": 1, "replicas": 1, "updatedReplicas": 1,
        "conditions": [
            {"lastTransitionTime": t, "lastUpdateTime": t, "message": "Deployment has minimum availability.", "reason": "MinimumReplicasAvailable", "status": "True", "type": "Available"},
            {"lastTransitionTime": t, "lastUpdateTime": t, "message": format!("ReplicaSet \"{rs_name}\" has successfully progressed."), "reason": "NewReplicaSetAvailable", "status": "True", "type": "Progressing"}]}),
    );
    pod
}
